"""The link drops, the server talks nonsense, the token is revoked: nothing is ever lost."""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from central_process import CentralProcess
from conftest import PASSWORDS
from sync_helpers import (
    FAST,
    central_change_count,
    central_copies,
    clinic_records,
    enrol,
    nurse_sees_patients,
    outbox_count,
    queued_changes,
)

from central.services import revoke_site
from clinic_app.session import Session
from clinic_app.sync.errors import (
    ServerAnswerInvalid,
    ServerUnreachable,
    SyncAlreadyRunning,
    TokenRefused,
)
from clinic_app.sync.service import read_sync_state, sync_now
from clinic_app.sync.status import SyncMonitor, SyncState


def point_clinic_at(session: Session, url: str) -> None:
    """Make the clinic believe it is enrolled with the server at ``url``."""
    with session.transaction() as tx:
        for key, value in (
            ("server_url", url),
            ("device_token", "token-for-a-fake-server"),
            ("pull_cursor", "0"),
        ):
            tx.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value))


def test_offline_work_is_kept_and_arrives_once_when_central_returns(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    monitor = SyncMonitor.from_store(nurse.store)
    sync_now(nurse, monitor=monitor, timeout=FAST)
    assert monitor.status().state is SyncState.UP_TO_DATE

    central.stop()  # the 2G link is gone
    nurse_sees_patients(nurse, 3, village="Koumassi")
    waiting = queued_changes(nurse)
    monitor.changes_waiting(waiting)
    with pytest.raises(ServerUnreachable) as unreachable:
        sync_now(nurse, monitor=monitor, timeout=FAST)
    assert "Work continues offline" in str(unreachable.value)
    status = monitor.status()
    assert status.state is SyncState.OFFLINE
    assert status.pending == waiting
    assert outbox_count(nurse) == waiting  # nothing lost
    assert SyncMonitor.from_store(nurse.store).status().state is SyncState.OFFLINE  # remembered

    central.start()  # same port, same database
    report = sync_now(nurse, monitor=monitor, timeout=FAST)
    assert report.pushed == waiting
    assert outbox_count(nurse) == 0
    held = clinic_records(nurse)
    assert central_copies(central, nurse.site_id, held) == held
    assert monitor.status().state is SyncState.UP_TO_DATE
    before = central_change_count(central)
    sync_now(nurse, timeout=FAST)
    assert central_change_count(central) == before


def test_revoked_clinic_is_told_to_enrol_again(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    revoke_site(central.engine(), nurse.site_id)
    waiting = queued_changes(nurse)
    monitor = SyncMonitor.from_store(nurse.store)
    with pytest.raises(TokenRefused):
        sync_now(nurse, monitor=monitor, timeout=FAST)
    status = monitor.status()
    assert status.state is SyncState.ERROR
    assert "enrol the clinic again" in str(status.error)
    assert outbox_count(nurse) == waiting

    enrol(admin, central)  # the admin does as told
    sync_now(nurse, monitor=monitor, timeout=FAST)
    assert outbox_count(nurse) == 0
    assert monitor.status().state is SyncState.UP_TO_DATE


# --- servers that are not central ----------------------------------------------------


DRIVER = Path(__file__).with_name("sync_driver.py")


def serve_once(
    respond: Callable[[http.server.BaseHTTPRequestHandler], None],
) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            respond(self)

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            respond(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def answer(
    status: int, body: bytes, content_type: str, *, protocol: bool
) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        if protocol:
            handler.send_header("X-Clinic-Protocol", "1")
        handler.end_headers()
        handler.wfile.write(body)

    return respond


GARBAGE = {
    "captive_portal_html": answer(
        200, b"<html><body>Connectez-vous au Wi-Fi</body></html>", "text/html", protocol=False
    ),
    "broken_json": answer(200, b'{"acked_seq": 12', "application/json", protocol=True),
    "wrong_shape": answer(200, b'{"acked_seq": "all of them"}', "application/json", protocol=True),
    "internal_error": answer(500, b"Internal Server Error", "text/plain", protocol=True),
}


@pytest.mark.parametrize("garbage", sorted(GARBAGE))
def test_garbage_answers_are_refused_and_the_outbox_stays(nurse: Session, garbage: str) -> None:
    nurse_sees_patients(nurse, 1)
    waiting = outbox_count(nurse)
    monitor = SyncMonitor(enrolled=True, pending=waiting)
    for url in serve_once(GARBAGE[garbage]):
        point_clinic_at(nurse, url)
        with pytest.raises(ServerAnswerInvalid):
            sync_now(nurse, monitor=monitor, timeout=FAST)
    assert outbox_count(nurse) == waiting
    status = monitor.status()
    assert status.state is SyncState.ERROR
    assert "Nothing was lost" in str(status.error)


def trickle(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Central's header, then one byte of body every 0.3 s: never idle long enough
    for the read timeout, never done."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("X-Clinic-Protocol", "1")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    try:
        for _ in range(100):
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.3)
    except OSError:
        pass  # the clinic gave up and closed the connection: as it should


def endless(handler: http.server.BaseHTTPRequestHandler) -> None:
    """Central's header, then more JSON-looking bytes than any answer of central's."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("X-Clinic-Protocol", "1")
    handler.end_headers()
    with contextlib.suppress(OSError):  # the clinic stopped reading: as it should
        handler.wfile.write(b'{"changes": [' + b"0, " * 1_000_000)


def test_a_server_that_trickles_its_answer_is_given_up_at_the_deadline(
    nurse: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinic_app.sync import client

    monkeypatch.setattr(client, "ANSWER_DEADLINE_S", 2.0)  # 300 s in real life
    nurse_sees_patients(nurse, 1)
    waiting = outbox_count(nurse)
    for url in serve_once(trickle):
        point_clinic_at(nurse, url)
        started = time.monotonic()
        with pytest.raises(ServerUnreachable):
            sync_now(nurse, timeout=(1.0, 1.0))
        assert time.monotonic() - started < 5
    assert outbox_count(nurse) == waiting


def test_an_answer_bigger_than_central_ever_sends_is_refused_unread(
    nurse: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinic_app.sync import client

    monkeypatch.setattr(client, "MAX_ANSWER_BYTES", 1024 * 1024)  # 32 MiB in real life
    nurse_sees_patients(nurse, 1)
    waiting = outbox_count(nurse)
    for url in serve_once(endless):
        point_clinic_at(nurse, url)
        with pytest.raises(ServerAnswerInvalid, match="too large"):
            sync_now(nurse, timeout=FAST)
    assert outbox_count(nurse) == waiting


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections (the kernel does it) and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_server_that_never_answers_is_unreachable_within_the_read_timeout(
    nurse: Session, silent_server: str
) -> None:
    nurse_sees_patients(nurse, 1)
    waiting = outbox_count(nurse)
    point_clinic_at(nurse, silent_server)
    monitor = SyncMonitor(enrolled=True, pending=waiting)
    started = time.monotonic()
    with pytest.raises(ServerUnreachable):
        sync_now(nurse, monitor=monitor, timeout=(1.0, 1.0))
    assert time.monotonic() - started < 4
    assert monitor.status().state is SyncState.OFFLINE
    assert outbox_count(nurse) == waiting


def test_two_syncs_never_run_at_once(nurse: Session, doctor: Session, silent_server: str) -> None:
    nurse_sees_patients(nurse, 1)
    point_clinic_at(nurse, silent_server)
    outcome: list[BaseException] = []

    def slow_sync() -> None:
        try:
            sync_now(nurse, timeout=(1.0, 1.5))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=slow_sync)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    with pytest.raises(SyncAlreadyRunning):
        sync_now(doctor, timeout=FAST)  # another session on the same clinic database
    assert time.monotonic() - started < 0.5
    worker.join(10)
    assert [type(exc) for exc in outcome] == [ServerUnreachable]


def test_a_sync_in_another_program_on_the_same_folder_is_not_run_twice(
    nurse: Session, clinic_dir: Path, silent_server: str
) -> None:
    # The window syncing while someone runs `clinic-app sync` on the same laptop.
    nurse_sees_patients(nurse, 1)
    point_clinic_at(nurse, silent_server)
    other = subprocess.Popen(
        [sys.executable, str(DRIVER), str(clinic_dir), "nurse", "--timeout", "3"],
        env={**os.environ, "CLINIC_DRIVER_PASSWORD": PASSWORDS["nurse"]},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert other.stdout is not None
        assert b"logged_in" in other.stdout.readline()
        time.sleep(0.5)  # it is now waiting for the silent server
        with pytest.raises(SyncAlreadyRunning):
            sync_now(nurse, timeout=FAST)
        output, _ = other.communicate(timeout=30)
        assert b"ServerUnreachable" in output
    finally:
        other.kill()
        other.wait()
    with pytest.raises(ServerUnreachable):  # the lock went with the other program
        sync_now(nurse, timeout=(1.0, 1.0))


def test_enrolling_at_a_wrong_address_says_what_to_check(admin: Session) -> None:
    from clinic_app.sync.errors import EnrolmentAnswerInvalid, EnrolmentUnreachable
    from clinic_app.sync.service import enrol_clinic

    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{unused.getsockname()[1]}"
    with pytest.raises(EnrolmentUnreachable) as unreachable:
        enrol_clinic(admin, nobody, "operator", "password", timeout=(1.0, 1.0))
    assert nobody in str(unreachable.value)
    assert "enrol again" in str(unreachable.value)
    assert "retry" not in str(unreachable.value)
    for url in serve_once(GARBAGE["captive_portal_html"]):
        with pytest.raises(EnrolmentAnswerInvalid) as wrong:
            enrol_clinic(admin, url, "operator", "password", timeout=FAST)
        assert "not as a central server does" in str(wrong.value)
    assert read_sync_state(admin.store).get("server_url") is None  # nothing was kept
