"""The clinic's process is killed (SIGKILL) in the middle of a sync, again and again.

A real driver process (tests/sync_driver.py) syncs through the fault proxy with
a real central. The test watches the requests crossing the proxy and kills the
driver a random moment after the k-th push (its acknowledgement is being
recorded, or the next batch read) or the k-th pull (a page is being applied),
then starts it again. At the end the outbox is empty, central holds each
record exactly once and the clinic holds each master record once, with its
cursor at central's last change.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from central_process import CHEAP_HASHER, OPERATOR, CentralProcess
from conftest import PASSWORDS
from faultproxy import FaultProxy
from sqlalchemy import func, select
from sync_helpers import central_copies, clinic_records, enrol, nurse_sees_patients, outbox_count

from central.db import create_tables, make_engine, records
from central.services import create_operator, seed_catalogue
from clinic_app.session import Session

DRIVER = Path(__file__).with_name("sync_driver.py")
CATALOGUE_ITEMS = 1_500
PAGE = 60  # catalogue items per pull page: many pages, many transactions
BATCH_BYTES = 6 * 1024  # small push batches: many acknowledgements
BUDGET = 75.0  # seconds for the whole kill-and-restart loop


def gtin13(n: int) -> str:
    body = f"200{n:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


@pytest.fixture(scope="module")
def big_central(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CentralProcess]:
    """A central of its own (SQLite) with a large catalogue to pull."""
    folder = tmp_path_factory.mktemp("crash-central")
    url = f"sqlite:///{folder / 'central.db'}"
    catalogue = folder / "catalogue.tsv"
    lines = ["gtin\tname\tform\tstrength\tatc\tunit\treorder_level"]
    lines += [
        f"{gtin13(n)}\tMédicament d'essai n° {n}\tcomprimé\t{n % 900 + 100} mg"
        f"\t\tcomprimé\t{n % 50}"
        for n in range(CATALOGUE_ITEMS)
    ]
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = make_engine(url)
    try:
        create_tables(engine)
        create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
        seed_catalogue(engine, catalogue)
    finally:
        engine.dispose()
    with CentralProcess(folder, database_url=url) as server:
        yield server


def start_driver(clinic_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            str(DRIVER),
            str(clinic_dir),
            "nurse",
            "--page-size",
            str(PAGE),
            "--batch-bytes",
            str(BATCH_BYTES),
        ],
        env={**os.environ, "CLINIC_DRIVER_PASSWORD": PASSWORDS["nurse"]},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill_after(
    driver: subprocess.Popen[bytes],
    proxy: FaultProxy,
    path: str,
    nth: int,
    delay: float,
    deadline: float,
) -> bool:
    """SIGKILL the driver ``delay`` s after the proxy sees its ``nth`` request to ``path``."""
    seen_before = sum(1 for _m, p in proxy.stats.requests if p.startswith(path))
    while time.monotonic() < deadline and driver.poll() is None:
        seen = sum(1 for _m, p in proxy.stats.requests if p.startswith(path))
        if seen - seen_before >= nth:
            time.sleep(delay)
            break
        time.sleep(0.005)
    if driver.poll() is not None:
        return False
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait(10)
    return True


def master_records(central: CentralProcess) -> tuple[int, int]:
    with central.engine().connect() as conn:
        count, last = conn.execute(
            select(func.count(), func.max(records.c.change_seq)).where(records.c.site_id.is_(None))
        ).one()
    return int(count), int(last or 0)


def test_killed_while_pushing_and_pulling_then_restarted_loses_and_doubles_nothing(
    admin: Session, nurse: Session, clinic_dir: Path, big_central: CentralProcess
) -> None:
    rng = random.Random(int(os.environ.get("CRASH_SEED", "4")))
    enrol(admin, big_central)
    nurse_sees_patients(nurse, 30)
    waiting = outbox_count(nurse)
    with FaultProxy("127.0.0.1", big_central.port, lifetime=BUDGET + 30) as proxy:
        with admin.transaction() as tx:
            tx.execute(
                "UPDATE sync_state SET value = ? WHERE key = 'server_url'", (proxy.base_url,)
            )
        proxy.set_link(latency=0.02, rate=60_000)
        deadline = time.monotonic() + BUDGET
        kills: list[tuple[str, int]] = []
        # After the k-th push: mid-acknowledgement or reading the next batch.
        # After the k-th pull: applying a page (or asking for the next one).
        plan = [("/api/v1/push", 2), ("/api/v1/push", 3), ("/api/v1/pull", 3), ("/api/v1/pull", 5)]
        plan += [
            (rng.choice(["/api/v1/push", "/api/v1/pull"]), rng.randint(1, 4)) for _ in range(4)
        ]
        for path, nth in plan:
            driver = start_driver(clinic_dir)
            if kill_after(driver, proxy, path, nth, rng.uniform(0.0, 0.15), deadline):
                kills.append((path, outbox_count(nurse)))
        finished = False
        while not finished and time.monotonic() < deadline:
            driver = start_driver(clinic_dir)
            output, _ = driver.communicate(timeout=max(5.0, deadline - time.monotonic()))
            finished = driver.returncode == 0 and b'"pending": 0' in output
    print("kills (path, outbox left):", kills)
    assert finished, output.decode(errors="replace")[-2000:]
    assert any(path.endswith("push") for path, _left in kills), kills
    assert any(path.endswith("pull") for path, _left in kills), kills

    # Nothing lost, nothing doubled on central.
    assert outbox_count(nurse) == 0
    held = clinic_records(nurse)
    assert sum(held.values()) >= waiting
    assert central_copies(big_central, nurse.site_id, held) == held
    # Every master record arrived once, and the cursor stands at central's last one.
    count, last = master_records(big_central)
    assert count >= CATALOGUE_ITEMS
    row = nurse.store.one("SELECT count(*) AS n FROM catalogue_items")
    assert row is not None
    assert int(row["n"]) == count
    cursor = nurse.store.one("SELECT value FROM sync_state WHERE key = 'pull_cursor'")
    assert cursor is not None
    assert int(cursor["value"]) >= last
