"""A clinic day synced over a 2G-like link: 40 kbit/s each way, 600 ms round trips.

    .venv/bin/python benchmarks/bench_sync_link.py

A real ``clinic-central serve`` (SQLite) behind ``tests/faultproxy.py``. The
clinic is a real SQLCipher file; its day is made through the services: 100
consultations with vital signs, each with a diagnosis and a prescription, and
200 stock movements (100 receipts, 100 dispensings), with their audit entries
(which travel too, kind ``audit_entry``).

1. The day's sync: total time (target < 60 s), and its ratio to the time the
   bytes the proxy forwarded (both ways, compressed, headers included) need at
   40 kbit/s (target within 1.5 x).
2. The same day, the link cut half-way through the push: which changes were
   sent twice, recorded at the client's push call (target: only those of the
   one batch the cut fell in).
3. A new clinic's first sync against a central holding only the drug
   catalogue (the ICD-11 list, staff and keys: ``bench_first_sync.py``).

Exit 0 when every target is met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests", ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))  # run as a script from anywhere, without installing

from big_clinic import describe_machine  # noqa: E402
from central_process import CHEAP_HASHER, OPERATOR, CentralProcess  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402

from central.db import create_tables, make_engine  # noqa: E402
from central.services import create_operator, seed_catalogue  # noqa: E402
from clinic_app.inventory.catalogue import list_catalogue  # noqa: E402
from clinic_app.inventory.stock import (  # noqa: E402
    ReceiptLine,
    dispense_prescription,
    receive_stock,
)
from clinic_app.records.consultations import ConsultationForm, record_consultation  # noqa: E402
from clinic_app.records.diagnoses import add_diagnosis  # noqa: E402
from clinic_app.records.patients import PatientForm, register_patient  # noqa: E402
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription  # noqa: E402
from clinic_app.resources import resource_path  # noqa: E402
from clinic_app.security.accounts import create_clinic, create_user, login  # noqa: E402
from clinic_app.security.consent import sort_outbox_by_consent  # noqa: E402
from clinic_app.security.permissions import Role  # noqa: E402
from clinic_app.session import Session  # noqa: E402
from clinic_app.storage.keys import TEST_COST  # noqa: E402
from clinic_app.sync.client import CentralClient  # noqa: E402
from clinic_app.sync.errors import SyncError  # noqa: E402
from clinic_app.sync.kinds import CLINIC_KINDS  # noqa: E402
from clinic_app.sync.service import enrol_clinic, sync_now  # noqa: E402

RATE = 5_000  # bytes per second each way = 40 kbit/s
ONE_WAY = 0.3  # seconds: 600 ms round trips
TIMEOUT = (10.0, 30.0)
DAY_TARGET_S = 60.0
RATIO_TARGET = 1.5
FIRST_SYNC_TARGET_S = 300.0
USER, PASSWORD = "all", "all-roles-pass-1"
GIVEN = ("Awa", "Zoé", "Koffi", "Aminata", "Éloïse", "Sékou", "Mariétou", "Yao", "Adjoua")
FAMILY = ("Koné", "N'Guessan", "Ouédraogo", "Traoré", "Diallo", "Kouassi-Yao", "Bamba", "Yéo")
VITALS = {
    "systolic": 122,
    "diastolic": 78,
    "heart_rate": 80,
    "temperature": 38.1,
    "weight": 61,
    "height": 164,
}
COMPLAINTS = (
    "Fièvre depuis deux jours, céphalées",
    "Toux sèche depuis une semaine",
    "Douleurs abdominales et diarrhée",
    "Contrôle tensionnel",
)
DIAGNOSES = ("1F4Z", "CA40.Z", "1A40.Z", "BA00.Z")


def new_clinic(folder: Path, site_code: str) -> Path:
    """A new clinic with one user holding every role (cheap key derivation)."""
    admin = create_clinic(
        folder,
        clinic_name=f"Centre de santé {site_code}",
        site_code=site_code,
        timezone="Africa/Abidjan",
        admin_username="admin",
        admin_password="admin-pass-12",
        admin_display_name="Admin",
        cost=TEST_COST,
    )
    create_user(
        admin,
        username=USER,
        display_name="Tous rôles",
        roles=set(Role),
        password=PASSWORD,
        cost=TEST_COST,
    )
    admin.close()
    return folder


def start_central(folder: Path, catalogue: Path | None = None) -> CentralProcess:
    """A real central (SQLite) with the test operator and, if given, a catalogue."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'central.db'}"
    engine = make_engine(url)
    try:
        create_tables(engine)
        create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
        seed_catalogue(engine, catalogue or resource_path("demo", "catalogue.tsv"))
    finally:
        engine.dispose()
    central = CentralProcess(folder, database_url=url)
    central.start()
    return central


def enrol_through(session: Session, central: CentralProcess, proxy: FaultProxy) -> None:
    """Enrol on central directly, then send every sync through the proxy."""
    enrol_clinic(session, central.base_url, *OPERATOR, timeout=TIMEOUT)
    with session.transaction() as tx:
        tx.execute("UPDATE sync_state SET value = ? WHERE key = 'server_url'", (proxy.base_url,))


def clinic_day(session: Session, rng: random.Random, consultations: int = 100) -> None:
    """``consultations`` visits (vitals, diagnosis, prescription) and 2x as many stock moves."""
    items = list_catalogue(session)[:20]
    receipts = 0
    for item in items:
        receive_stock(
            session, ReceiptLine(item.gtin, f"L{rng.randrange(10**6)}", date(2030, 1, 31), 5000)
        )
        receipts += 1
    while receipts < consultations:
        item = items[receipts % len(items)]
        receive_stock(
            session, ReceiptLine(item.gtin, f"M{rng.randrange(10**6)}", date(2030, 6, 30), 100)
        )
        receipts += 1
    patients = [
        register_patient(
            session,
            PatientForm(rng.choice(GIVEN), rng.choice(FAMILY), rng.choice(["female", "male"])),
        )
        for _ in range(max(1, consultations * 7 // 10))
    ]
    for n in range(consultations):
        patient = patients[n % len(patients)]
        visit = record_consultation(
            session, ConsultationForm(patient.id, rng.choice(COMPLAINTS), VITALS)
        )
        add_diagnosis(session, visit.id, rng.choice(DIAGNOSES))
        prescription = write_prescription(
            session,
            patient_id=patient.id,
            encounter_id=visit.id,
            lines=[PrescriptionLine(rng.choice(items).id, "1 comprimé", "3 fois par jour", 3, 9)],
        )
        dispense_prescription(session, prescription.id)


def outbox_size(session: Session) -> int:
    row = session.store.one("SELECT count(*) AS n FROM outbox")
    return int(row["n"]) if row is not None else 0


def queued_by_kind(session: Session) -> dict[str, int]:
    """The outbox as the next sync reads it (the audit trail copied in first), by kind."""
    with session.transaction() as tx:
        sort_outbox_by_consent(tx)
    rows = session.store.all("SELECT kind, count(*) AS n FROM outbox GROUP BY kind ORDER BY kind")
    return {row["kind"]: int(row["n"]) for row in rows}


@contextlib.contextmanager
def recorded_pushes() -> Iterator[list[list[int]]]:
    """The outbox sequence numbers of every push request the client makes, in order.

    Observes ``CentralClient.push`` (the real call still goes out): what was sent
    twice is read off the requests themselves, not inferred from counts.
    """
    sent: list[list[int]] = []
    real_push = CentralClient.push

    def push(self: CentralClient, batch_id: str, changes: list[dict[str, Any]]) -> int:
        sent.append([int(change["seq"]) for change in changes])
        return real_push(self, batch_id, changes)

    CentralClient.push = push  # type: ignore[method-assign]
    try:
        yield sent
    finally:
        CentralClient.push = real_push  # type: ignore[method-assign]


def day_template(folder: Path) -> Path:
    """A clinic with the day's work done, not yet enrolled (copied for each measure)."""
    data_dir = new_clinic(folder / "day", "DAY")
    session = login(data_dir, USER, PASSWORD)
    try:
        # The catalogue arrives as central's master data: one untimed sync without a link.
        central = start_central(folder / "central-template")
        try:
            enrol_clinic(session, central.base_url, *OPERATOR, timeout=TIMEOUT)
            sync_now(session, timeout=TIMEOUT)
        finally:
            central.close()
        with session.transaction() as tx:
            tx.execute("DELETE FROM sync_state")
        clinic_day(session, random.Random(2026))
    finally:
        session.close()
    return data_dir


def _request_counts(requests: list[tuple[str, str]]) -> list[str]:
    """``["1 x GET /api/v1/status", "2 x POST /api/v1/push", ...]`` in order of first use."""
    counts: dict[str, int] = {}
    for method, path in requests:
        key = f"{method} {path.split('?', 1)[0]}"
        counts[key] = counts.get(key, 0) + 1
    return [f"{n} x {key}" for key, n in counts.items()]


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def measure_day(work: Path, template: Path) -> tuple[bool, int]:
    """Part 1; returns (ok, bytes up)."""
    data_dir = work / "clinic-1"
    shutil.copytree(template, data_dir)
    central = start_central(work / "central-1")
    try:
        with FaultProxy("127.0.0.1", central.port, lifetime=600) as proxy:
            session = login(data_dir, USER, PASSWORD)
            try:
                enrol_through(session, central, proxy)
                kinds = queued_by_kind(session)
                changes = sum(kinds.values())
                proxy.set_link(latency=ONE_WAY, rate=RATE)
                proxy.reset_stats()
                started = time.perf_counter()
                report = sync_now(session, timeout=TIMEOUT)
                took = time.perf_counter() - started
            finally:
                session.close()
            stats = proxy.stats
    finally:
        central.close()
    wire = stats.bytes_up + stats.bytes_down
    needed = wire / RATE
    ratio = took / needed
    ok = took < DAY_TARGET_S and ratio <= RATIO_TARGET
    print(
        f"clinic day: {changes} changes ({kinds.get('audit_entry', 0)} of them audit entries), "
        f"{report.pushed} pushed in {report.batches} batches, {report.pulled} pulled"
    )
    print(
        f"  bytes on the wire: {stats.bytes_up} up + {stats.bytes_down} down = {wire} "
        f"({len(stats.requests)} requests on {stats.connections} connections: "
        f"{', '.join(_request_counts(stats.requests))})"
    )
    print(
        f"  push batch size kept for the next sync: {report.batch_bytes} bytes gzipped "
        f"({report.batch_bytes / RATE:.1f} s at 40 kbit/s)"
    )
    day_ok = took < DAY_TARGET_S
    print(f"  day sync time: {took:.1f} s (target < {DAY_TARGET_S:.0f} s) {verdict(day_ok)}")
    print(
        f"  time / (bytes at 40 kbit/s = {needed:.1f} s): {ratio:.2f} x "
        f"(target <= {RATIO_TARGET} x) {verdict(ratio <= RATIO_TARGET)}"
    )
    print(
        f"  (full duplex: the larger direction alone needs "
        f"{max(stats.bytes_up, stats.bytes_down) / RATE:.1f} s)"
    )
    return ok, stats.bytes_up


def measure_cut(work: Path, template: Path, clean_up: int) -> bool:
    """Part 2: cut half-way through the push; count what is sent twice."""
    data_dir = work / "clinic-2"
    shutil.copytree(template, data_dir)
    central = start_central(work / "central-2")
    try:
        with FaultProxy("127.0.0.1", central.port, lifetime=600) as proxy:
            session = login(data_dir, USER, PASSWORD)
            try:
                enrol_through(session, central, proxy)
                proxy.set_link(latency=ONE_WAY, rate=RATE)
                proxy.reset_stats()
                total = sum(queued_by_kind(session).values())
                proxy.cut_after(clean_up // 2, direction="up")
                failed = ""
                with recorded_pushes() as sent:
                    try:
                        sync_now(session, timeout=TIMEOUT)
                    except SyncError as exc:
                        failed = type(exc).__name__
                    before_cut = len(sent)
                    left = outbox_size(session)
                    proxy.heal()
                    second = sync_now(session, timeout=TIMEOUT)
                drained = outbox_size(session) == 0
            finally:
                session.close()
            extra_bytes = proxy.stats.bytes_up - clean_up
    finally:
        central.close()
    times_sent = Counter(seq for request in sent for seq in request)
    twice = {seq for seq, n in times_sent.items() if n > 1}
    cut_batch = set(sent[before_cut - 1]) if before_cut else set()
    # Requests after the cut that carried something already sent: the cut batch again,
    # possibly in two halves (the target halves after a cut).
    resent_requests = sum(1 for request in sent[before_cut:] if twice & set(request))
    within_one_batch = twice <= cut_batch
    ok = bool(failed) and drained and within_one_batch
    print(
        f"cut after {clean_up // 2} bytes up: first sync failed with {failed or 'nothing'} "
        f"after {before_cut} push requests, {total - left} of {total} changes acknowledged; "
        f"second sync sent {second.pushed} in {second.batches} batches, drained: {drained}"
    )
    print(
        f"  changes sent twice: {len(twice)}, all of the batch the cut fell in "
        f"({len(cut_batch)} changes): {within_one_batch}; requests that resent them: "
        f"{resent_requests} (target: at most that one batch again) {verdict(within_one_batch)}"
    )
    print(
        f"  bytes up beyond the clean sync: {extra_bytes} ({extra_bytes / RATE:.1f} s at 40 kbit/s)"
    )
    return ok


def measure_first_sync(work: Path) -> bool:
    """Part 3: a new clinic's first sync of master data over the link."""
    central = start_central(work / "central-3")
    try:
        data_dir = new_clinic(work / "clinic-3", "NEW")
        with FaultProxy("127.0.0.1", central.port, lifetime=600) as proxy:
            session = login(data_dir, USER, PASSWORD)
            try:
                enrol_through(session, central, proxy)
                proxy.set_link(latency=ONE_WAY, rate=RATE)
                proxy.reset_stats()
                started = time.perf_counter()
                report = sync_now(session, timeout=TIMEOUT)
                took = time.perf_counter() - started
                icd = session.store.one("SELECT count(*) AS n FROM icd11_codes")
            finally:
                session.close()
            stats = proxy.stats
    finally:
        central.close()
    ok = took < FIRST_SYNC_TARGET_S
    print(
        f"new clinic's first sync: {report.pulled} master records pulled "
        f"({stats.bytes_up + stats.bytes_down} bytes): {took:.1f} s "
        f"(target < {FIRST_SYNC_TARGET_S:.0f} s) {verdict(ok)}"
    )
    print(
        "  (a central holding the catalogue only; with the ICD-11 list, staff and 200 "
        f"clinics' keys see bench_first_sync.py; the clinic has {int(icd['n']) if icd else 0} "
        "ICD-11 codes of its own)"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    print(describe_machine())
    print(f"link: {RATE * 8 / 1000:.0f} kbit/s each way, {2 * ONE_WAY * 1000:.0f} ms round trip")
    print(f"clinic kinds synced: {', '.join(sorted(CLINIC_KINDS))}")
    work = Path(tempfile.mkdtemp(prefix="bench-sync-link-"))
    try:
        template = day_template(work)
        day_ok, clean_up = measure_day(work, template)
        cut_ok = measure_cut(work, template, clean_up)
        first_ok = measure_first_sync(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0 if day_ok and cut_ok and first_ok else 1


if __name__ == "__main__":
    sys.exit(main())
