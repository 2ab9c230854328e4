"""Central on PostgreSQL under 200 clinics pushing at once.

    .venv/bin/python benchmarks/bench_central_load.py [--clinics 200] [--seconds 60]

Makes a fresh PostgreSQL database on 127.0.0.1:5432 (dropped at the end;
``$CLINIC_TEST_POSTGRES`` names the admin connection, as for the tests), starts
``clinic-central serve`` on it (one uvicorn worker: ``clinic-central serve``
runs ``uvicorn.run(app)`` on an application object, which cannot fork
workers), enrols ``--clinics`` simulated clinics through ``/api/v1/enrol``
(the operator's Argon2id at a test cost), then has every clinic push batches
as fast as central answers for ``--seconds`` (asyncio + httpx, one connection
per clinic, only 127.0.0.1).

The batches are built like the real client's: the payloads come from a real
clinic's outbox (a patient registered, a consultation with vital signs, a
diagnosis, a prescription), given fresh UUIDv7 ids (references rewritten to
match) and the simulated clinic's site id; each batch is ``{seq, kind, id,
payload}`` changes with a content-derived batch id, gzip-compressed JSON.

Targets: ≥ 500 records/s sustained, p95 request latency < 2 s, no 5xx.
Exit 0 when all are met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gzip
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests", ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import httpx  # noqa: E402
import psycopg  # noqa: E402
import uuid_utils  # noqa: E402
from bench_sync_bytes import record_visits  # noqa: E402
from bench_sync_link import (  # noqa: E402
    PASSWORD,
    TIMEOUT,
    USER,
    new_clinic,
    start_central,
)
from big_clinic import describe_machine, percentile  # noqa: E402
from central_process import CHEAP_HASHER, OPERATOR, CentralProcess  # noqa: E402

from central.db import create_tables, make_engine  # noqa: E402
from central.services import create_operator  # noqa: E402
from clinic_app.security.accounts import login  # noqa: E402
from clinic_app.sync.service import batch_id_for, enrol_clinic, sync_now  # noqa: E402

ADMIN_URL = os.environ.get("CLINIC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
RATE_TARGET = 500.0
P95_TARGET_S = 2.0
CONSULTATIONS_PER_BATCH = 3
HEADERS = {"X-Clinic-Protocol": "1", "Accept-Encoding": "gzip"}
REFERENCES = ("patient_id", "encounter_id", "prescription_id", "extends_id")


def template_changes(work: Path) -> list[list[tuple[str, dict[str, Any]]]]:
    """Each consultation's records from a real clinic's outbox: [(kind, payload), ...]."""
    import random

    central = start_central(work / "template-central")
    try:
        data_dir = new_clinic(work / "template-clinic", "TPL")
        session = login(data_dir, USER, PASSWORD)
        try:
            enrol_clinic(session, central.base_url, *OPERATOR, timeout=TIMEOUT)
            sync_now(session, timeout=TIMEOUT)  # the catalogue
            record_visits(session, 10, random.Random(3))
            rows: list[Any] = session.store.all("SELECT kind, payload FROM outbox ORDER BY seq")
        finally:
            session.close()
    finally:
        central.close()
    visits: list[list[tuple[str, dict[str, Any]]]] = []
    for row in rows:
        if row["kind"] == "patient":
            visits.append([])
        visits[-1].append((row["kind"], json.loads(row["payload"])))
    return visits


class Clinic:
    def __init__(self, number: int) -> None:
        self.clinic_id = str(uuid_utils.uuid7())
        self.site_code = f"L{number:04d}"
        self.token = ""
        self.seq = 0

    def batch(self, visits: list[list[tuple[str, dict[str, Any]]]], start: int) -> dict[str, Any]:
        """The next batch: a few consultations' records with fresh ids, as the client sends."""
        changes: list[dict[str, Any]] = []
        for n in range(CONSULTATIONS_PER_BATCH):
            fresh: dict[str, str] = {}
            for kind, payload in visits[(start + n) % len(visits)]:
                record = dict(payload)
                fresh[record["id"]] = str(uuid_utils.uuid7())
                record["id"] = fresh[record["id"]]
                for name in REFERENCES:
                    if isinstance(record.get(name), str) and record[name] in fresh:
                        record[name] = fresh[record[name]]
                if "site_id" in record:
                    record["site_id"] = self.clinic_id
                self.seq += 1
                changes.append(
                    {"seq": self.seq, "kind": kind, "id": record["id"], "payload": record}
                )
        return {"batch_id": batch_id_for(self.clinic_id, changes), "changes": changes}


async def enrol_all(base_url: str, clinics: list[Clinic]) -> None:
    limit = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, timeout=60) as http:

        async def enrol(clinic: Clinic) -> None:
            async with limit:
                answer = await http.post(
                    "/api/v1/enrol",
                    json={
                        "username": OPERATOR[0],
                        "password": OPERATOR[1],
                        "clinic_id": clinic.clinic_id,
                        "clinic_name": f"Centre de santé {clinic.site_code}",
                        "site_code": clinic.site_code,
                        "public_key": base64.b64encode(secrets.token_bytes(32)).decode(),
                    },
                )
                answer.raise_for_status()
                clinic.token = answer.json()["device_token"]

        await asyncio.gather(*(enrol(clinic) for clinic in clinics))


async def push_load(
    base_url: str,
    clinics: list[Clinic],
    visits: list[list[tuple[str, dict[str, Any]]]],
    seconds: float,
) -> tuple[float, list[float], int, int, dict[str, int]]:
    latencies: list[float] = []
    records = 0
    server_errors = 0
    other: dict[str, int] = {}
    limits = httpx.Limits(max_connections=len(clinics), max_keepalive_connections=len(clinics))
    async with httpx.AsyncClient(
        base_url=base_url, headers=HEADERS, timeout=60, limits=limits
    ) as http:
        started = time.perf_counter()
        deadline = started + seconds

        async def clinic_pushes(number: int, clinic: Clinic) -> None:
            nonlocal records, server_errors
            await asyncio.sleep(number * 0.005)  # they do not all start in the same millisecond
            turn = number
            while time.perf_counter() < deadline:
                batch = clinic.batch(visits, turn)
                body = gzip.compress(json.dumps(batch, separators=(",", ":")).encode())
                turn += CONSULTATIONS_PER_BATCH
                sent = time.perf_counter()
                try:
                    answer = await http.post(
                        "/api/v1/push",
                        content=body,
                        headers={
                            "Authorization": f"Bearer {clinic.token}",
                            "Content-Type": "application/json",
                            "Content-Encoding": "gzip",
                        },
                    )
                except httpx.HTTPError as exc:
                    other[type(exc).__name__] = other.get(type(exc).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - sent)
                if answer.status_code >= 500:
                    server_errors += 1
                elif answer.status_code != 200:
                    key = f"HTTP {answer.status_code}"
                    other[key] = other.get(key, 0) + 1
                elif answer.json().get("acked_seq") == clinic.seq:
                    records += len(batch["changes"])
                else:
                    other["wrong acked_seq"] = other.get("wrong acked_seq", 0) + 1

        await asyncio.gather(*(clinic_pushes(n, c) for n, c in enumerate(clinics)))
        took = time.perf_counter() - started
    return records / took, latencies, server_errors, records, other


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clinics", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    print(describe_machine())
    try:
        admin = psycopg.connect(ADMIN_URL, connect_timeout=3, autocommit=True)
    except psycopg.Error as exc:
        print(f"PostgreSQL does not answer at {ADMIN_URL}: {type(exc).__name__}")
        return 1
    name = f"central_load_{os.getpid()}_{secrets.token_hex(3)}"
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    url = f"{base}/{name}"
    work = Path(tempfile.mkdtemp(prefix="bench-central-load-"))
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        visits = template_changes(work)
        engine = make_engine(url)
        try:
            create_tables(engine)
            create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
        finally:
            engine.dispose()
        with CentralProcess(work / "central", database_url=url) as central:
            clinics = [Clinic(n) for n in range(args.clinics)]
            started = time.perf_counter()
            asyncio.run(enrol_all(central.base_url, clinics))
            print(f"{len(clinics)} clinics enrolled in {time.perf_counter() - started:.1f} s")
            per_batch = sum(len(v) for v in visits[:CONSULTATIONS_PER_BATCH])
            print(
                f"pushing for {args.seconds:.0f} s: batches of ~{per_batch} records "
                f"({CONSULTATIONS_PER_BATCH} consultations), one uvicorn worker, PostgreSQL"
            )
            rate, latencies, errors, records, other = asyncio.run(
                push_load(central.base_url, clinics, visits, args.seconds)
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    p95 = percentile(latencies, 0.95) if latencies else float("inf")
    p50 = percentile(latencies, 0.50) if latencies else float("inf")
    rate_ok, p95_ok, errors_ok = rate >= RATE_TARGET, p95 < P95_TARGET_S, errors == 0
    print(f"requests: {len(latencies)}, records stored: {records}, other failures: {other or 0}")
    print(
        f"records/s sustained: {rate:.0f} (target >= {RATE_TARGET:.0f}) "
        f"{'OK' if rate_ok else 'MISSED'}"
    )
    print(
        f"request latency p50 {p50:.2f} s, p95 {p95:.2f} s (target < {P95_TARGET_S:.0f} s) "
        f"{'OK' if p95_ok else 'MISSED'}"
    )
    print(f"5xx answers: {errors} (target 0) {'OK' if errors_ok else 'MISSED'}")
    return 0 if rate_ok and p95_ok and errors_ok and not other else 1


if __name__ == "__main__":
    sys.exit(main())
