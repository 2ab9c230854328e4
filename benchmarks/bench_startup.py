"""Time from launching the program to its login window, on a 10,000-patient clinic.

    .venv/bin/python benchmarks/bench_startup.py [--cache DIR] [--runs 5]

Each run starts a new process (``app_driver.py startup``, which calls the real
``clinic_app.ui.app.run``) under ``QT_QPA_PLATFORM=offscreen``. The clock is
this process's: it starts just before the child is launched and stops when
the child says the login dialog has been painted (its first Paint event, i.e.
what a person would see) — the time of its Show event is printed beside it.
One first run warms the disk cache and is reported apart, not counted.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from big_clinic import add_common_arguments, describe_machine, ensure_big_clinic, median

TARGET_S = 2.0
DRIVER = Path(__file__).with_name("app_driver.py")
RUN_TIMEOUT_S = 60.0


def launch_to_login(data_dir: Path) -> tuple[float, float]:
    """(seconds to Show, seconds to first Paint) of the login dialog, in a new process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryFile("w+") as errors:  # a file, not a pipe: it can never fill up
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, str(DRIVER), "startup", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
        shown = painted = math.nan
        try:
            assert child.stdout is not None
            for line in child.stdout:
                word = line.strip()
                if word == "login-shown":
                    shown = time.perf_counter() - started
                elif word == "login-painted":
                    painted = time.perf_counter() - started
                    break
            child.wait(timeout=RUN_TIMEOUT_S)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if math.isnan(painted):
            errors.seek(0)
            raise SystemExit("the login window did not appear:\n" + errors.read())
    return shown, painted


def interpreter_start() -> float:
    """A bare ``python -c pass``, for scale: the part no program code can win back."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(parser)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = ensure_big_clinic(args.cache, patients=args.patients, fresh=args.fresh)
    print(describe_machine())

    cold_shown, cold_painted = launch_to_login(data_dir)
    print(f"first run (not counted): shown {cold_shown:.2f} s, painted {cold_painted:.2f} s")
    shown_times: list[float] = []
    painted_times: list[float] = []
    for number in range(1, args.runs + 1):
        shown, painted = launch_to_login(data_dir)
        shown_times.append(shown)
        painted_times.append(painted)
        print(f"  run {number}: shown {shown:.2f} s, painted {painted:.2f} s")
    print(f"bare interpreter start: {interpreter_start():.2f} s")
    result = median(painted_times)
    print(f"login window shown (median of {args.runs}): {median(shown_times):.2f} s")
    print(
        f"startup to login window painted (median of {args.runs}): {result:.2f} s"
        f" (target < {TARGET_S:.0f} s) {'OK' if result < TARGET_S else 'TOO SLOW'}"
    )
    return 0 if result < TARGET_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
