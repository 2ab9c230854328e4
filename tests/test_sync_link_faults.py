"""A real central behind a bad link (tests/faultproxy.py): slow, cut, silent after commit.

Every test ends the same way: the outbox is empty and central holds each of the
clinic's records exactly once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from central_process import CentralProcess
from faultproxy import FaultProxy
from sync_helpers import (
    central_change_count,
    central_copies,
    clinic_records,
    enrol,
    nurse_sees_patients,
    outbox_count,
    queued_changes,
)

from clinic_app.session import Session
from clinic_app.sync.errors import ServerUnreachable
from clinic_app.sync.service import sync_now

# A throttled link: each read waits for ~5 KB/s to deliver a page; 5 s would be too tight.
SLOW = (5.0, 15.0)
RATE = 5_000  # bytes per second, each way (~40 kbit/s)


@pytest.fixture
def proxy(central: CentralProcess) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", central.port, lifetime=120) as running:
        yield running


def through(admin: Session, central: CentralProcess, proxy: FaultProxy) -> None:
    """Enrol directly, then send every later request through the proxy.

    One clean sync first: the clinic is a copy of the tests' template, whose own
    audit trail another test may already have sent to this central; each test then
    counts only the work it does itself.
    """
    enrol(admin, central)
    sync_now(admin, timeout=SLOW)
    with admin.transaction() as tx:
        tx.execute("UPDATE sync_state SET value = ? WHERE key = 'server_url'", (proxy.base_url,))


def assert_exactly_once(nurse: Session, central: CentralProcess) -> None:
    assert outbox_count(nurse) == 0
    held = clinic_records(nurse)
    assert central_copies(central, nurse.site_id, held) == held


def test_a_5_kb_per_second_link_delivers_everything_once(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 10)
    waiting = queued_changes(nurse)
    proxy.set_link(rate=RATE)
    started = time.monotonic()
    report = sync_now(nurse, timeout=SLOW, max_batch_bytes=8 * 1024)
    took = time.monotonic() - started
    assert report.pushed == waiting
    assert report.batches >= 2
    assert_exactly_once(nurse, central)
    # The throttle really throttled: the bytes took at least their time at 5 KB/s.
    assert took >= 0.8 * (proxy.stats.bytes_up + proxy.stats.bytes_down) / RATE / 2


def test_a_cut_mid_push_fails_typed_loses_nothing_and_the_next_sync_drains(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 12)
    waiting = queued_changes(nurse)
    # Small batches (about 1 KB gzipped): the cut falls in the second or a later one.
    proxy.cut_after(2_000, direction="up")
    with pytest.raises(ServerUnreachable):
        sync_now(nurse, timeout=SLOW, max_batch_bytes=4 * 1024)
    assert proxy.stats.cuts == 1
    left = outbox_count(nurse)
    assert 0 < left < waiting  # the batches before the cut stay acknowledged
    before = central_change_count(central)

    report = sync_now(nurse, timeout=SLOW, max_batch_bytes=4 * 1024)
    assert report.pushed == left
    assert_exactly_once(nurse, central)
    # Central got each record once: new sequence numbers only for what it lacked.
    assert central_change_count(central) - before <= left


def test_an_answer_lost_after_central_committed_is_not_applied_twice(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 3)
    waiting = queued_changes(nurse)
    before = central_change_count(central)
    proxy.drop_responses(1, path="/api/v1/push")
    with pytest.raises(ServerUnreachable):
        sync_now(nurse, timeout=SLOW)
    assert proxy.stats.drops == 1
    assert outbox_count(nurse) == waiting  # the clinic never heard the acknowledgement
    committed = central_change_count(central)
    assert committed - before == waiting  # ... but central had stored the batch

    report = sync_now(nurse, timeout=SLOW)
    assert report.pushed == waiting
    assert_exactly_once(nurse, central)
    assert central_change_count(central) == committed  # the re-sent batch changed nothing
    assert proxy.stats.count("POST", "/api/v1/push") == 2


def test_600_ms_round_trips_still_sync(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 2)
    proxy.set_link(latency=0.3)
    started = time.monotonic()
    report = sync_now(nurse, timeout=SLOW)
    took = time.monotonic() - started
    assert report.pushed > 0
    assert_exactly_once(nurse, central)
    requests = len(proxy.stats.requests)
    assert requests >= 2  # one push, one pull at least
    assert took >= 0.6 * requests * 0.9  # every request paid its round trip
