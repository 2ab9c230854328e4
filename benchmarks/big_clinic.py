"""The clinic every benchmark measures: the demo clinic with 10,000 patients.

It is made once with ``clinic_app.demo.create_demo_clinic`` (real SQLCipher
file, standard key-derivation cost, every patient through ``register_patient``)
and kept in a cache folder, so each benchmark run measures the program, not
the making of its data. A marker file written last says the clinic is whole;
a folder without it (an interrupted run) is made again.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere, without installing

from clinic_app.demo import DEMO_ACCOUNTS, create_demo_clinic  # noqa: E402
from clinic_app.security.permissions import Role  # noqa: E402

BENCH_PATIENTS = 10_000
BENCH_SEED = 2026
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "clinic-app-benchmarks"
# A name no one gives their real clinic folder: a half-made one is deleted.
CLINIC_FOLDER = "bench-clinic-{patients}"
MARKER = "bench-clinic-{patients}.json"


def account(role: Role) -> tuple[str, str]:
    """(user name, password) of the demo account with this role."""
    found = next(a for a in DEMO_ACCOUNTS if a.role is role)
    return found.username, found.password


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"folder that keeps the benchmark clinic (default {DEFAULT_CACHE})",
    )
    parser.add_argument("--patients", type=int, default=BENCH_PATIENTS)
    parser.add_argument("--fresh", action="store_true", help="make the clinic again")


def ensure_big_clinic(cache: Path, *, patients: int = BENCH_PATIENTS, fresh: bool = False) -> Path:
    """The data folder of the benchmark clinic, made now if the cache has none."""
    cache.mkdir(parents=True, exist_ok=True)
    data_dir = cache / CLINIC_FOLDER.format(patients=patients)
    marker = cache / MARKER.format(patients=patients)
    if marker.is_file() and data_dir.is_dir() and not fresh:
        return data_dir
    marker.unlink(missing_ok=True)
    if data_dir.exists():
        shutil.rmtree(data_dir)
    print(f"making the benchmark clinic ({patients} patients) in {data_dir} ...", flush=True)
    started = time.perf_counter()
    create_demo_clinic(data_dir, patients=patients, seed=BENCH_SEED)
    took = time.perf_counter() - started
    marker.write_text(
        json.dumps({"patients": patients, "seed": BENCH_SEED, "made_in_s": round(took, 1)}),
        encoding="utf-8",
    )
    print(f"made in {took:.1f} s", flush=True)
    return data_dir


def describe_machine() -> str:
    """One line to print with every figure: other work on the machine moves the numbers."""
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{datetime.now():%Y-%m-%d %H:%M}, {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, load average {load}, Python {platform.python_version()}"
    )


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the value below which ``fraction`` of ``values`` lie."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)
