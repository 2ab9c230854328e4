"""Push batches on a bad link, against a real central with a test-only fault switch.

The switch is a file named by ``CENTRAL_FAULTS_FILE`` that central reads on
every push (``central.services._fault_switch``): a second central process on
the same database gets the variable, the shared one never does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from central_process import CentralProcess
from sync_helpers import (
    central_copies,
    clinic_records,
    nurse_sees_patients,
    outbox_count,
    queued_changes,
)
from test_sync_merge import Clinic, clinic_identities, new_clinic

from clinic_app.sync.errors import ServerAnswerInvalid, ServerUnreachable
from clinic_app.sync.service import (
    BATCH_BYTES_MAX,
    BATCH_BYTES_MIN,
    BATCH_BYTES_START,
    PUSH_BATCH_BYTES,
    _next_batch,
    compressed_size,
    push_batch_bytes,
    sync_now,
)

__all__ = ["clinic_identities"]  # a session fixture shared with test_sync_merge

SLOW_LINK = (2.0, 1.0)  # connect, read: a push answered after 3 s has timed out


@pytest.fixture
def faulty_central(
    central: CentralProcess,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[CentralProcess, Path]]:
    """A second central process on the shared database, reading a fault file this test writes."""
    faults = tmp_path / "faults"
    faults.write_text("")
    monkeypatch.setenv("CENTRAL_FAULTS_FILE", str(faults))
    with CentralProcess(tmp_path / "faulty", database_url=central.database_url) as server:
        yield server, faults


@pytest.fixture
def clinic(
    clinic_identities: list[Path], tmp_path: Path, faulty_central: tuple[CentralProcess, Path]
) -> Iterator[Clinic]:
    made = new_clinic(clinic_identities[2], tmp_path / "clinic", faulty_central[0])
    yield made
    made.close()


def test_a_503_on_batch_two_keeps_batch_one_and_the_next_sync_resumes_and_drains(
    clinic: Clinic, faulty_central: tuple[CentralProcess, Path]
) -> None:
    server, faults = faulty_central
    nurse_sees_patients(clinic.nurse, 3)
    held = clinic_records(clinic.nurse)
    waiting = queued_changes(clinic.nurse)
    faults.write_text("push_503_once_after=1")
    with pytest.raises(ServerAnswerInvalid):
        sync_now(clinic.nurse, timeout=(2.0, 5.0), max_batch_changes=5)
    assert outbox_count(clinic.nurse) == waiting - 5  # batch 1 acknowledged, kept so
    report = sync_now(clinic.nurse, timeout=(2.0, 5.0), max_batch_changes=5)
    assert report.pushed == waiting - 5
    assert outbox_count(clinic.nurse) == 0
    assert central_copies(server, clinic.site_id, held) == held  # each exactly once


def test_the_batch_size_shrinks_on_a_timeout_and_grows_back(
    clinic: Clinic, faulty_central: tuple[CentralProcess, Path]
) -> None:
    server, faults = faulty_central
    assert push_batch_bytes(clinic.nurse.store) == BATCH_BYTES_START
    nurse_sees_patients(clinic.nurse, 3)
    held = clinic_records(clinic.nurse)
    faults.write_text("push_delay_once=3")
    with pytest.raises(ServerUnreachable):
        sync_now(clinic.nurse, timeout=SLOW_LINK)
    assert push_batch_bytes(clinic.nurse.store) == BATCH_BYTES_START // 2
    report = sync_now(clinic.nurse, timeout=(2.0, 5.0))
    assert report.batches >= 1
    assert push_batch_bytes(clinic.nurse.store) > BATCH_BYTES_START // 2  # grown on success
    assert central_copies(server, clinic.site_id, held) == held
    # Repeated timeouts never go below the floor; successes never above the ceiling.
    for _ in range(6):
        faults.write_text("push_delay_once=3")
        nurse_sees_patients(clinic.nurse, 1)
        with pytest.raises(ServerUnreachable):
            sync_now(clinic.nurse, timeout=SLOW_LINK)
    assert push_batch_bytes(clinic.nurse.store) == BATCH_BYTES_MIN
    with clinic.nurse.transaction() as tx:
        tx.execute("UPDATE sync_state SET value = ? WHERE key = ?", (str(10**9), PUSH_BATCH_BYTES))
    assert push_batch_bytes(clinic.nurse.store) == BATCH_BYTES_MAX


def test_batches_are_cut_by_their_compressed_size(
    clinic: Clinic, faulty_central: tuple[CentralProcess, Path]
) -> None:
    nurse_sees_patients(clinic.nurse, 40)
    with clinic.nurse.transaction() as tx:
        small = _next_batch(tx, 1000, 10**9, BATCH_BYTES_MIN)
        large = _next_batch(tx, 1000, 10**9, BATCH_BYTES_MAX)
    assert 1 < len(small) < len(large)
    assert compressed_size(small) <= BATCH_BYTES_MIN
    # A clinic remembering a small size sends more, smaller batches; all arrive once.
    with clinic.nurse.transaction() as tx:
        tx.execute(
            "INSERT INTO sync_state (key, value) VALUES (?, ?)",
            (PUSH_BATCH_BYTES, str(BATCH_BYTES_MIN)),
        )
    held = clinic_records(clinic.nurse)
    report = sync_now(clinic.nurse, timeout=(2.0, 5.0))
    # About 8 KB gzipped: one batch at the default size; here 4 KB, then the rest.
    assert report.batches >= 2
    assert central_copies(faulty_central[0], clinic.site_id, held) == held
