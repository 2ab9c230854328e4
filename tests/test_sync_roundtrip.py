"""A clinic enrols, sends its day's work, and receives the drug catalogue — on a real central."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from central_process import OPERATOR, CentralProcess
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

from central.services import seed_catalogue
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.ids import stable_id
from clinic_app.session import Session
from clinic_app.sync.client import EnrolmentRefused
from clinic_app.sync.errors import ChangesRefused, NotEnrolled
from clinic_app.sync.service import (
    enrol_clinic,
    is_enrolled,
    read_sync_state,
    sync_now,
)
from clinic_app.sync.status import SyncMonitor, SyncState

CATALOGUE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "catalogue.tsv"


def test_admin_enrols_the_clinic_and_wrong_central_password_is_refused(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    with pytest.raises(EnrolmentRefused):
        enrol_clinic(admin, central.base_url, OPERATOR[0], "not-the-password", timeout=FAST)
    assert not is_enrolled(admin.store)
    with pytest.raises(NotEnrolled):
        sync_now(nurse, timeout=FAST)
    with pytest.raises(InvalidInput):
        enrol_clinic(admin, "central.example.org", *OPERATOR, timeout=FAST)
    with pytest.raises(PermissionDenied):
        enrol_clinic(nurse, central.base_url, *OPERATOR, timeout=FAST)

    enrolment = enrol_clinic(admin, central.base_url + "/", *OPERATOR, timeout=FAST)
    assert enrolment.clinic_id == admin.site_id
    state = read_sync_state(admin.store)
    assert state["server_url"] == central.base_url
    assert state["pull_cursor"] == "0"
    assert len(state["device_token"]) >= 40
    assert is_enrolled(nurse.store)
    outcomes = [
        row["outcome"]
        for row in admin.store.all(
            "SELECT outcome FROM audit_events WHERE action = 'enrol_clinic' ORDER BY occurred_at"
        )
    ]
    assert outcomes == ["refused", "ok"]


def test_nurse_work_reaches_central_exactly_once(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 4)
    waiting = queued_changes(nurse)
    held = clinic_records(nurse)
    assert waiting == sum(held.values()) > 20
    monitor = SyncMonitor.from_store(nurse.store)
    assert monitor.status().state is SyncState.WAITING
    seen: list[tuple[int, int]] = []

    report = sync_now(
        nurse,
        lambda done, total: seen.append((done, total)),
        monitor=monitor,
        timeout=FAST,
        max_batch_changes=7,
    )

    assert report.pushed == waiting
    assert report.batches == -(-waiting // 7)
    assert report.pending == 0
    assert outbox_count(nurse) == 0
    assert central_copies(central, nurse.site_id, held) == held  # every record, each once
    assert seen[0] == (0, waiting)
    assert (waiting, waiting) in seen
    status = monitor.status()
    assert status.state is SyncState.UP_TO_DATE
    assert status.last_success == report.finished_at

    # Nothing new: nothing sent, nothing doubled, no new change on central.
    changes_on_central = central_change_count(central)
    again = sync_now(nurse, monitor=monitor, timeout=FAST)
    assert (again.pushed, again.batches) == (0, 0)
    assert central_copies(central, nurse.site_id, held) == held
    assert central_change_count(central) == changes_on_central

    # New work after a sync waits, then goes alone.
    nurse_sees_patients(nurse, 1)
    monitor.changes_waiting(outbox_count(nurse))
    assert monitor.status().state is SyncState.WAITING
    third = sync_now(nurse, monitor=monitor, timeout=FAST)
    assert third.pushed == sum(clinic_records(nurse).values()) - sum(held.values())
    assert central_copies(central, nurse.site_id, clinic_records(nurse)) == clinic_records(nurse)
    assert monitor.status().state is SyncState.UP_TO_DATE


def test_the_drug_catalogue_comes_down_once(
    admin: Session, storekeeper: Session, central: CentralProcess
) -> None:
    seed_catalogue(central.engine(), CATALOGUE)
    enrol(admin, central)
    gtins = [
        line.split("\t")[0]
        for line in CATALOGUE.read_text("utf-8").splitlines()[1:]
        if line.strip()
    ]

    first = sync_now(storekeeper, timeout=FAST, pull_page_size=7)
    rows = {
        row["gtin"]: dict(row) for row in storekeeper.store.all("SELECT * FROM catalogue_items")
    }
    assert set(rows) == set(gtins)
    assert first.applied == len(gtins)
    paracetamol = rows["03614142000018"]
    assert paracetamol["id"] == stable_id("catalogue_item", "03614142000018")
    assert paracetamol["reorder_level"] == 500
    assert int(read_sync_state(storekeeper.store)["pull_cursor"]) >= len(gtins)
    assert outbox_count(storekeeper) == 0  # received records do not travel back

    second = sync_now(storekeeper, timeout=FAST)
    assert (second.pulled, second.applied) == (0, 0)
    assert {
        row["gtin"]: dict(row) for row in storekeeper.store.all("SELECT * FROM catalogue_items")
    } == rows


def test_a_refused_batch_keeps_the_batches_before_it_acknowledged(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 2)
    good = queued_changes(nurse)
    # A change central must refuse (clinics may not send catalogue items), queued last.
    item_id = stable_id("catalogue_item", "03614142000018")
    with nurse.transaction() as tx:
        tx.record_change("catalogue_item", {"id": item_id, "name": "forged"})

    with pytest.raises(ChangesRefused):
        sync_now(nurse, timeout=FAST, max_batch_changes=5)

    left = nurse.store.all("SELECT kind FROM outbox")
    assert len(left) < 5  # only the last batch stayed
    assert left[-1]["kind"] == "catalogue_item"
    sent = central_copies(central, nurse.site_id, clinic_records(nurse))
    assert sum(sent.values()) == good - (len(left) - 1)
    assert set(sent.values()) == {1}
    error = json.loads(read_sync_state(nurse.store)["last_error"])
    assert error["error"] == "ChangesRefused"
    monitor = SyncMonitor.from_store(nurse.store)
    assert monitor.status().state is SyncState.ERROR


def test_admin_enrols_and_syncs_from_the_command_line(
    clinic_dir: Path, nurse: Session, central: CentralProcess
) -> None:
    from conftest import PASSWORDS

    from clinic_app.sync.cli import enrol_from_cli, sync_from_cli

    enrolment = enrol_from_cli(clinic_dir, "admin", PASSWORDS["admin"], central.base_url, *OPERATOR)
    assert enrolment.server_url == central.base_url
    nurse_sees_patients(nurse, 1)
    report = sync_from_cli(clinic_dir, "nurse", PASSWORDS["nurse"])
    assert report.pushed > 0
    assert report.pending == 0

    # Central down: the command says to run it again (nothing retries after it).
    from clinic_app.sync.errors import ServerUnreachable

    nurse_sees_patients(nurse, 1)
    central.stop()
    try:
        with pytest.raises(ServerUnreachable) as caught:
            sync_from_cli(clinic_dir, "nurse", PASSWORDS["nurse"])
        assert "run the command again" in str(caught.value)
        assert "retry by itself" not in str(caught.value).split("(")[0]
    finally:
        central.start()
