"""Push batches sized to the link: cut by their compressed bytes, adapted to the pace.

The pure rule (``_batch_bytes_after``) is checked with numbers; the rest runs a
real clinic against a real central, through ``tests/faultproxy.py`` where the
link matters. No test measures a time: a throttled link can only make a batch
slower than its bytes need, and the assertions hold however slow the machine.
"""

from __future__ import annotations

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
)

from central.api import MAX_BODY, MAX_COMPRESSED_BODY
from central.protocol import MAX_BATCH_CHANGES
from clinic_app.session import Session
from clinic_app.sync.errors import ServerUnreachable
from clinic_app.sync.service import (
    BATCH_BYTES_MAX,
    BATCH_BYTES_MIN,
    PUSH_BATCH_BYTES,
    PUSH_MAX_BYTES,
    PUSH_MAX_CHANGES,
    _batch_bytes_after,
    _cut_batch,
    compressed_size,
    push_batch_bytes,
    sync_now,
)

KB = 1024


@pytest.fixture
def proxy(central: CentralProcess) -> Iterator[FaultProxy]:
    with FaultProxy("127.0.0.1", central.port, lifetime=180) as running:
        yield running


def through(admin: Session, central: CentralProcess, proxy: FaultProxy) -> None:
    """Enrol directly, then send every later request through the proxy."""
    enrol(admin, central)
    with admin.transaction() as tx:
        tx.execute("UPDATE sync_state SET value = ? WHERE key = 'server_url'", (proxy.base_url,))


def start_batches_at(session: Session, size: int) -> None:
    with session.transaction() as tx:
        tx.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (PUSH_BATCH_BYTES, str(size)),
        )


def assert_exactly_once(nurse: Session, central: CentralProcess) -> None:
    assert outbox_count(nurse) == 0
    held = clinic_records(nurse)
    assert central_copies(central, nurse.site_id, held) == held


# --- the rule, with numbers --------------------------------------------------------------


def test_a_batch_carried_quickly_makes_the_next_bigger_but_at_most_twice() -> None:
    # 32 KB acknowledged in 4 s: the link carries 64 KB in 8 s.
    assert _batch_bytes_after(32 * KB, 32 * KB, 4.0, 8.0) == 64 * KB
    # On a fast network the pace says megabytes; the size still only doubles.
    assert _batch_bytes_after(32 * KB, 32 * KB, 0.05, 8.0) == 64 * KB
    # 32 KB in 6.5 s: 8 s carry about 39 KB.
    assert 32 * KB < _batch_bytes_after(32 * KB, 32 * KB, 6.5, 8.0) < 40 * KB


def test_a_full_batch_slower_than_its_time_makes_the_next_smaller_but_at_least_half() -> None:
    # 32 KB took 16 s: at that pace 8 s carry 16 KB.
    assert _batch_bytes_after(32 * KB, 32 * KB, 16.0, 8.0) == 16 * KB
    # Took 60 s: no less than half, as after a timeout.
    assert _batch_bytes_after(32 * KB, 32 * KB, 60.0, 8.0) == 16 * KB
    # 24 KB of a 32 KB target in 10 s: 8 s carry about 19 KB.
    assert 19 * KB <= _batch_bytes_after(32 * KB, 24 * KB, 10.0, 8.0) < 20 * KB


def test_a_small_last_batch_says_nothing_of_the_link_and_keeps_the_size() -> None:
    # The outbox's last 600 bytes took a 0.7 s round trip: no reason to shrink.
    assert _batch_bytes_after(32 * KB, 600, 0.7, 8.0) == 32 * KB
    # Nor when central was slow to answer a small batch.
    assert _batch_bytes_after(32 * KB, 2 * KB, 12.0, 8.0) == 32 * KB


def test_the_batch_limits_stay_within_what_central_accepts() -> None:
    assert PUSH_MAX_CHANGES <= MAX_BATCH_CHANGES
    assert PUSH_MAX_BYTES <= MAX_BODY
    assert BATCH_BYTES_MAX <= MAX_COMPRESSED_BODY


# --- a real clinic -----------------------------------------------------------------------


def test_a_batch_is_cut_just_under_its_compressed_target(nurse: Session) -> None:
    nurse_sees_patients(nurse, 60)
    with nurse.transaction() as tx:
        everything, whole = _cut_batch(tx, PUSH_MAX_CHANGES, PUSH_MAX_BYTES, BATCH_BYTES_MAX)
        target = whole // 2
        batch, size = _cut_batch(tx, PUSH_MAX_CHANGES, PUSH_MAX_BYTES, target)
    assert size == compressed_size(batch) <= target
    # Not cut by halves: close to the target, and one more change would not fit.
    assert size > 0.8 * target
    assert compressed_size(everything[: len(batch) + 2]) > 0.95 * target
    assert [change["seq"] for change in batch] == [c["seq"] for c in everything[: len(batch)]]


def test_one_big_record_goes_alone_whatever_the_target(nurse: Session) -> None:
    nurse_sees_patients(nurse, 2)
    with nurse.transaction() as tx:
        batch, size = _cut_batch(tx, PUSH_MAX_CHANGES, PUSH_MAX_BYTES, 10)
    assert len(batch) == 1
    assert size == compressed_size(batch) > 10


def test_on_a_fast_link_batches_grow_by_doubling_and_all_arrive_once(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 60)
    start_batches_at(nurse, BATCH_BYTES_MIN)
    seen: list[tuple[int, int]] = []
    report = sync_now(nurse, lambda done, total: seen.append((done, total)), timeout=(5.0, 20.0))
    assert report.batches >= 2
    assert BATCH_BYTES_MIN < push_batch_bytes(nurse.store) <= BATCH_BYTES_MIN * 2**report.batches
    assert proxy.stats.count("POST", "/api/v1/push") == report.batches
    assert_exactly_once(nurse, central)
    # The status bar's "n of m" only moves forward and never passes its total.
    assert all(done <= total for done, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1][0] == report.pushed + report.pulled


def test_on_a_slow_link_the_batch_shrinks_to_what_the_link_carries_in_its_time(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 80)
    start_batches_at(nurse, 8 * KB)
    rate = 2_000  # bytes per second each way
    proxy.set_link(latency=0.1, rate=rate)
    read_timeout = 6.0  # a batch aims at half of it: 3 s, 6 KB at this rate
    report = sync_now(nurse, timeout=(5.0, read_timeout))
    assert report.batches >= 2
    # The pace a batch is measured at (round trip included) never beats the link's
    # rate, so the size the clinic keeps fits in the batch's time at that rate.
    assert push_batch_bytes(nurse.store) <= rate * read_timeout / 2 < 8 * KB
    assert_exactly_once(nurse, central)


def test_a_cut_link_costs_the_batch_in_flight_and_halves_the_next(
    admin: Session, nurse: Session, central: CentralProcess, proxy: FaultProxy
) -> None:
    through(admin, central, proxy)
    nurse_sees_patients(nurse, 80)
    start_batches_at(nurse, 8 * KB)
    waiting = outbox_count(nurse)
    proxy.cut_after(10 * KB, direction="up")  # in the second batch (16 KB or 8 KB)
    with pytest.raises(ServerUnreachable):
        sync_now(nurse, timeout=(5.0, 20.0))
    assert proxy.stats.cuts == 1
    left = outbox_count(nurse)
    assert 0 < left < waiting  # the first batch stays acknowledged
    assert push_batch_bytes(nurse.store) <= 8 * KB  # half the second batch's target
    pushes = proxy.stats.count("POST", "/api/v1/push")
    before = central_change_count(central)

    report = sync_now(nurse, timeout=(5.0, 20.0))
    assert report.pushed == left
    assert_exactly_once(nurse, central)
    assert central_change_count(central) - before <= left
    # Every push but the cut one was acknowledged: one batch was sent again, no more.
    assert proxy.stats.count("POST", "/api/v1/push") - (pushes - 1 + report.batches) == 1
