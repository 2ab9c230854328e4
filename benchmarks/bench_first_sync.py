"""A new clinic's first sync of master data over a 2G-like link: 40 kbit/s, 600 ms round trips.

    .venv/bin/python benchmarks/bench_first_sync.py [--staff 40] [--clinics 200] [--keep]

A real ``clinic-central serve`` (SQLite) behind ``tests/faultproxy.py``, holding
what a real institution's central holds: the drug catalogue (the demo's 30
items), the ICD-11 list (WHO's 34,663 codes, ``clinic-central seed-icd11``),
``--clinics`` enrolled clinics (their public keys) each with ``--staff`` staff
members. A new clinic (a real SQLCipher file) enrols, then syncs once through
the link; the clock runs from ``sync_now`` to its return, the ICD-11 list
installed (one transaction) included.

1. **Worst case**: the new clinic's own list differs from central's (it
   shipped an older release), so the whole list is downloaded (target < 5 min).
   Simulated by forgetting which list the clinic holds: the rows are the same,
   the bytes on the wire and the work are those of a new release.
2. **The link cut half-way through the list**, then the next sync: it must ask
   only for the rest (target: under the rest + 8 KB of headers and answers).
3. **Common case**: the clinic ships the same list as central: no download.

Prints bytes each way (HTTP headers included, counted at the proxy), requests,
time, and the time those bytes need at 40 kbit/s; exit 0 when every target is met.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests", ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))  # run as a script from anywhere, without installing

from big_clinic import describe_machine  # noqa: E402
from central_process import CHEAP_HASHER, OPERATOR, CentralProcess  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402

from central.db import create_tables, make_engine  # noqa: E402
from central.masterdata import add_staff, seed_icd11  # noqa: E402
from central.services import create_operator, enrol_site, seed_catalogue  # noqa: E402
from clinic_app.resources import resource_path  # noqa: E402
from clinic_app.security.accounts import create_clinic, login  # noqa: E402
from clinic_app.session import Session  # noqa: E402
from clinic_app.storage.keys import TEST_COST  # noqa: E402
from clinic_app.sync.errors import SyncError  # noqa: E402
from clinic_app.sync.masterdata import PARTIAL_PREFIX, PARTIAL_SUFFIX  # noqa: E402
from clinic_app.sync.service import SyncReport, enrol_clinic, sync_now  # noqa: E402

RATE = 5_000  # bytes per second each way = 40 kbit/s
ONE_WAY = 0.3  # seconds: 600 ms round trips
TIMEOUT = (10.0, 30.0)
TARGET_S = 300.0
ROLES = (["nurse"], ["nurse"], ["doctor"], ["storekeeper"], ["nurse", "doctor"])


def public_key() -> str:
    import base64

    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def site_code(n: int) -> str:
    return f"C{n:03d}"


def start_central(folder: Path, clinics: int) -> tuple[CentralProcess, int]:
    """Central with the catalogue, the ICD-11 list, ``clinics`` clinics and their staff."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'central.db'}"
    engine = make_engine(url)
    try:
        create_tables(engine)
        create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
        seed_catalogue(engine, resource_path("demo", "catalogue.tsv"))
        info, _new = seed_icd11(engine)
        for n in range(clinics):
            enrol_site(
                engine,
                username=OPERATOR[0],
                password=OPERATOR[1],
                clinic_id=str(uuid.uuid4()),
                clinic_name=f"Centre de santé n° {n}",
                site_code=site_code(n),
                public_key=public_key(),
            )
    finally:
        engine.dispose()
    print(
        f"central: 30 catalogue items, ICD-11 version {info.version} ({info.entries} codes, "
        f"{info.size} bytes of gzip), {clinics} other clinics"
    )
    central = CentralProcess(folder, database_url=url)
    central.start()
    return central, info.size


def hire_staff(central: CentralProcess, codes: list[str], staff: int) -> None:
    engine = make_engine(central.database_url)
    try:
        for code in codes:
            for n in range(staff):
                add_staff(
                    engine,
                    site_code=code,
                    username=f"agent{n:03d}",
                    display_name=f"Agent {n} de {code}",
                    roles=ROLES[n % len(ROLES)],
                )
    finally:
        engine.dispose()


def new_clinic(folder: Path, code: str) -> Path:
    admin = create_clinic(
        folder,
        clinic_name=f"Nouveau centre {code}",
        site_code=code,
        timezone="Africa/Abidjan",
        admin_username="admin",
        admin_password="admin-pass-12",
        admin_display_name="Admin",
        cost=TEST_COST,
    )
    admin.close()
    return folder


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def line_seconds(nbytes: int) -> float:
    return nbytes / RATE


def one_sync(session: Session, proxy: FaultProxy) -> tuple[float, SyncReport | None, str]:
    proxy.reset_stats()
    started = time.perf_counter()
    try:
        report: SyncReport | None = sync_now(session, timeout=TIMEOUT)
        failure = ""
    except SyncError as exc:
        report, failure = None, type(exc).__name__
    return time.perf_counter() - started, report, failure


def held_counts(session: Session) -> str:
    counts = {}
    for name, table in (
        ("catalogue", "catalogue_items"),
        ("staff", "staff_directory"),
        ("clinic keys", "clinic_keys"),
        ("ICD-11 codes", "icd11_codes"),
    ):
        row = session.store.one(f"SELECT count(*) AS n FROM {table}")
        counts[name] = int(row["n"]) if row is not None else 0
    return ", ".join(f"{n} {name}" for name, n in counts.items())


def describe(label: str, took: float, proxy: FaultProxy) -> int:
    stats = proxy.stats
    total = stats.bytes_up + stats.bytes_down
    larger = line_seconds(max(stats.bytes_up, stats.bytes_down))
    print(
        f"{label}: {took:.1f} s; {stats.bytes_up} bytes up + {stats.bytes_down} down = {total} "
        f"in {len(stats.requests)} requests ({larger:.1f} s of link time for the larger direction)"
    )
    return total


def measure(work: Path, clinics: int, staff: int) -> bool:
    central, size = start_central(work / "central", clinics)
    ok = True
    try:
        codes = ["NEW", "OLD", *(site_code(n) for n in range(clinics))]
        data_dir = new_clinic(work / "clinic-new", "NEW")
        same_dir = new_clinic(work / "clinic-same", "OLD")
        with FaultProxy("127.0.0.1", central.port, lifetime=1800) as proxy:
            sessions = [login(folder, "admin", "admin-pass-12") for folder in (data_dir, same_dir)]
            try:
                for session in sessions:
                    enrol_clinic(session, central.base_url, *OPERATOR, timeout=TIMEOUT)
                    with session.transaction() as tx:
                        tx.execute(
                            "UPDATE sync_state SET value = ? WHERE key = 'server_url'",
                            (proxy.base_url,),
                        )
                hire_staff(central, codes, staff)
                new, same = sessions
                with new.transaction() as tx:  # it shipped another release: see the docstring
                    tx.execute("DELETE FROM code_lists")
                proxy.set_link(latency=ONE_WAY, rate=RATE)

                took, report, failure = one_sync(new, proxy)
                describe("1. new clinic, whole ICD-11 list downloaded", took, proxy)
                first_ok = report is not None and took < TARGET_S
                ok &= first_ok
                print(f"   now held: {held_counts(new)}")
                print(
                    f"   first sync time: {took:.1f} s (target < {TARGET_S:.0f} s) "
                    f"{verdict(first_ok)}{' — failed: ' + failure if failure else ''}"
                )

                with new.transaction() as tx:  # the same again, cut half-way through the list
                    tx.execute("DELETE FROM code_lists")
                proxy.reset_stats()
                proxy.cut_after(320_000, direction="down")
                took_cut, _report, failure = one_sync(new, proxy)
                down_cut = proxy.stats.bytes_down
                partial = sorted(new.data_dir.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"))
                kept = partial[0].stat().st_size if partial else 0
                print(
                    f"2. cut after 320000 bytes down: {failure or 'no failure'} after "
                    f"{took_cut:.1f} s, {kept} bytes of the list kept"
                )
                proxy.heal()
                took, report, failure = one_sync(new, proxy)
                down = proxy.stats.bytes_down
                # Resumed: the next sync fetches the rest, plus a few KB of headers and answers.
                resumed_ok = report is not None and kept > 0 and down < size - kept + 8_000
                ok &= resumed_ok
                print(
                    f"   next sync: {took:.1f} s, {down} bytes down for the list's remaining "
                    f"{size - kept}: resumed {verdict(resumed_ok)}"
                    f"{' — failed: ' + failure if failure else ''}"
                )
                print(
                    f"   both syncs: {down_cut} + {down} = {down_cut + down} bytes down for a "
                    f"{size}-byte list ({down_cut + down - size} bytes of headers, the other "
                    "answers, and the read in progress at the cut)"
                )

                took, report, failure = one_sync(same, proxy)
                describe("3. new clinic shipping central's own list (no download)", took, proxy)
                print(f"   now held: {held_counts(same)}")
                ok &= report is not None and took < TARGET_S
            finally:
                for session in sessions:
                    session.close()
    finally:
        central.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinics", type=int, default=200, help="other enrolled clinics")
    parser.add_argument("--staff", type=int, default=40, help="staff members per clinic")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    print(describe_machine())
    print(f"link: {RATE * 8 / 1000:.0f} kbit/s each way, {2 * ONE_WAY * 1000:.0f} ms round trip")
    work = Path(tempfile.mkdtemp(prefix="bench-first-sync-"))
    try:
        ok = measure(work, args.clinics, args.staff)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(describe_machine())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
