"""A real ``clinic-central serve`` process on 127.0.0.1, for sync tests.

The server runs in its own Python process exactly as in production (uvicorn,
its own database connection), so tests see real sockets, real gzip, real
timeouts. It can be stopped and started again on the same port and database
in the middle of a test, to play a link that drops and comes back.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

import requests
from argon2 import PasswordHasher
from sqlalchemy import Engine

from central.db import make_engine

REPO = Path(__file__).resolve().parents[1]
OPERATOR = ("operator", "central-pass-1")
# Argon2id at a test cost: every enrolment verifies the operator's password.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class CentralProcess:
    """One central server; ``database_url`` defaults to an SQLite file in ``data_dir``."""

    def __init__(
        self, data_dir: Path, *, database_url: str | None = None, port: int | None = None
    ) -> None:
        self.data_dir = data_dir
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{data_dir / 'central.db'}"
        self.port = port or free_port()
        self.log_path = data_dir / "central.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._engine: Engine | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def run_cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run another ``clinic-central`` sub-command against the same database."""
        return subprocess.run(
            [sys.executable, "-m", "central.cli", *args, "--database-url", self.database_url],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def start(self, timeout: float = 20.0) -> None:
        assert self._process is None, "already running"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("CENTRAL_DATABASE_URL", None)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "central.cli",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                    "--data-dir",
                    str(self.data_dir),
                    "--log-level",
                    "warning",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"central exited at start:\n{self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                answer = requests.get(
                    f"{self.base_url}/api/v1/status", headers={"X-Clinic-Protocol": "1"}, timeout=1
                )
                if answer.status_code == 200:
                    return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"central did not answer within {timeout} s:\n{self.log_tail()}")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def engine(self) -> Engine:
        """An engine on the server's database, to look at what central stored."""
        if self._engine is None:
            self._engine = make_engine(self.database_url)
        return self._engine

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def close(self) -> None:
        self.stop()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> CentralProcess:
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _exc: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.close()
