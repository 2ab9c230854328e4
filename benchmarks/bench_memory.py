"""The program's resident memory with the patient list open, on a 10,000-patient clinic.

    .venv/bin/python benchmarks/bench_memory.py [--cache DIR] [--runs 3]

Each run starts the real program (``app_driver.py memory``, which calls
``clinic_app.ui.app.run``) under ``QT_QPA_PLATFORM=offscreen``, types the
nurse's user name and password into the login dialog, waits for the main
window, types a name into the patient search and waits for the rows. Then this
process reads the child's resident set size (psutil RSS) from outside and lets
it quit. The largest RSS of the runs is the figure held against the target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
from big_clinic import account, add_common_arguments, describe_machine, ensure_big_clinic

from clinic_app.security.permissions import Role

TARGET_MB = 300.0
DRIVER = Path(__file__).with_name("app_driver.py")
RUN_TIMEOUT_S = 120.0
MB = 1024 * 1024


def memory_with_patient_list_open(data_dir: Path) -> tuple[float, float, int]:
    """(RSS MB, USS MB, rows shown) of a new program process with the search done."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    username, password = account(Role.NURSE)
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(
            [sys.executable, str(DRIVER), "memory", str(data_dir), username, password],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
        try:
            assert child.stdout is not None
            assert child.stdin is not None
            for line in child.stdout:
                if line.startswith("ready"):
                    rows = int(line.split("rows=")[1])
                    break
            else:
                errors.seek(0)
                raise SystemExit("the patient list never became ready:\n" + errors.read())
            info = psutil.Process(child.pid).memory_full_info()
            child.stdin.write("measured\n")
            child.stdin.flush()
            child.wait(timeout=RUN_TIMEOUT_S)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
    return info.rss / MB, info.uss / MB, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = ensure_big_clinic(args.cache, patients=args.patients, fresh=args.fresh)
    print(describe_machine())

    rss_values: list[float] = []
    for number in range(1, args.runs + 1):
        rss, uss, rows = memory_with_patient_list_open(data_dir)
        rss_values.append(rss)
        print(f"  run {number}: RSS {rss:.0f} MB, USS {uss:.0f} MB, {rows} rows in the list")
    worst = max(rss_values)
    verdict = "OK" if worst < TARGET_MB else "TOO BIG"
    print(
        f"resident memory with the patient list open (largest of {args.runs}): "
        f"{worst:.0f} MB (target < {TARGET_MB:.0f} MB) {verdict}"
    )
    return 0 if worst < TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
