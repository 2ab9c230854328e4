"""One sync in its own process, for the crash tests: log in, run ``sync_now``, print the report.

    CLINIC_DRIVER_PASSWORD=... python tests/sync_driver.py DATA_DIR USERNAME
        [--page-size N] [--batch-bytes N] [--timeout SECONDS]

Prints one JSON line with the report and exits 0; a ``SyncError`` prints its
class name and exits 3. The password comes from the environment, never argv.
The tests kill this process with SIGKILL at chosen moments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from clinic_app.security.accounts import login  # noqa: E402
from clinic_app.sync.errors import SyncError  # noqa: E402
from clinic_app.sync.service import sync_now  # noqa: E402

PASSWORD_ENV = "CLINIC_DRIVER_PASSWORD"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("username")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--batch-bytes", type=int, default=64 * 1024)
    parser.add_argument("--timeout", type=float, default=15.0)
    args = parser.parse_args()
    session = login(args.data_dir, args.username, os.environ[PASSWORD_ENV])
    print(json.dumps({"event": "logged_in"}), flush=True)
    try:
        report = sync_now(
            session,
            timeout=(5.0, args.timeout),
            max_batch_bytes=args.batch_bytes,
            pull_page_size=args.page_size,
        )
    except SyncError as exc:
        print(json.dumps({"event": "failed", "error": type(exc).__name__}), flush=True)
        return 3
    finally:
        session.close()
    print(
        json.dumps(
            {
                "event": "done",
                "pushed": report.pushed,
                "batches": report.batches,
                "pulled": report.pulled,
                "pending": report.pending,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
