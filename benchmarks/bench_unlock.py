"""Time to unlock the clinic: Argon2id derivation + opening the database + the login entry.

    .venv/bin/python benchmarks/bench_unlock.py [--runs 7] [--time-cost T --memory-mib M]

Makes a real clinic (SQLCipher file, ICD-11 loaded, its administrator's slot
wrapped at the cost measured) in a temporary folder, then logs in ``--runs``
times with ``clinic_app.security.accounts.login`` exactly as the login window
does, logging out each time. One first login warms the disk cache and is not
counted. Prints each time, the median and the target: long enough to make
guessing a copied slot file slow, short enough that nobody waits at the desk.
Without options it measures ``STANDARD_COST``; with them, a candidate cost.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from clinic_app.security.accounts import create_clinic, login, logout
from clinic_app.storage.keys import STANDARD_COST, KdfCost

TARGET_S = (0.3, 1.0)
PASSWORD = "bench unlock password"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--time-cost", type=int, default=STANDARD_COST.time_cost)
    parser.add_argument("--memory-mib", type=int, default=STANDARD_COST.memory_kib // 1024)
    parser.add_argument("--parallelism", type=int, default=STANDARD_COST.parallelism)
    args = parser.parse_args()
    cost = KdfCost(args.time_cost, args.memory_mib * 1024, args.parallelism)
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "clinic"
        create_clinic(
            data_dir,
            clinic_name="Bench",
            site_code="BEN",
            timezone="UTC",
            admin_username="admin",
            admin_password=PASSWORD,
            admin_display_name="Bench admin",
            cost=cost,
        ).close()
        logout(login(data_dir, "admin", PASSWORD))  # warm-up, not counted
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            session = login(data_dir, "admin", PASSWORD)
            times.append(time.perf_counter() - started)
            logout(session)
    median = statistics.median(times)
    low, high = TARGET_S
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"cost: Argon2id t={cost.time_cost}, m={cost.memory_kib // 1024} MiB, "
        f"p={cost.parallelism}" + (" (STANDARD_COST)" if cost == STANDARD_COST else "")
    )
    print("unlock times (s): " + " ".join(f"{t:.3f}" for t in times))
    print(f"median unlock: {median:.3f} s (target {low}-{high} s, {args.runs} logins)")
    return 0 if low <= median <= high else 1


if __name__ == "__main__":
    sys.exit(main())
