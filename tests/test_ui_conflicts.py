"""The "Conflicts" dialog: a nurse sees both values of a field and keeps one."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.session import Session
from clinic_app.ui.conflicts import ConflictsDialog
from clinic_app.ui.desk import Desk
from clinic_app.ui.tasks import TaskRunner

pytestmark = pytest.mark.timeout(60)

OTHER_SITE = "0190a0a0-0000-7000-8000-0000000000aa"


def received_conflict(nurse: Session, patient_id: str) -> str:
    """A conflict as a pull brings it from central (two villages typed at two clinics)."""
    from clinic_app.sync.kinds import apply_remote_change
    from clinic_app.sync.merge import conflict_payload

    mine = f"{1_764_000_000_000:013d}.00000.{nurse.site_id}"
    theirs = f"{1_764_000_060_000:013d}.00000.{OTHER_SITE}"
    payload = conflict_payload(
        site_id=nurse.site_id,
        patient_id=patient_id,
        record_kind="patient",
        record_id=patient_id,
        name="village",
        value_a="Anoumabo",
        version_a=mine,
        value_b="Treichville",
        version_b=theirs,
        kept_value="Treichville",
        detected_at="2026-12-03T10:00:00.000000+00:00",
    )
    with nurse.transaction() as tx:
        apply_remote_change(tx, "sync_conflict", payload)
    return str(payload["id"])


def test_a_nurse_keeps_the_first_value_and_the_conflict_is_gone(
    qtbot: QtBot, nurse: Session
) -> None:
    patient = register_patient(nurse, PatientForm("Adjoua", "Kouamé", "female", village="Anoumabo"))
    received_conflict(nurse, patient.id)
    tasks = TaskRunner()
    desk = Desk(nurse, tasks)
    announced: list[object] = []
    desk.data_changed.connect(announced.append)
    dialog = ConflictsDialog(desk)
    qtbot.addWidget(dialog)

    assert dialog.table.rowCount() == 1
    row = [dialog.table.item(0, column).text() for column in range(dialog.COLUMNS)]
    assert row[0] == "Kouamé Adjoua"
    assert row[1] == "Village"  # the field as the form names it, not the column
    assert row[2].startswith("Anoumabo — this clinic")
    assert row[3].startswith("Treichville — another clinic")
    assert dialog.keep_a.isEnabled()

    dialog.keep_a.click()

    assert dialog.table.rowCount() == 0
    assert dialog.empty.isVisibleTo(dialog)
    assert not dialog.keep_a.isEnabled()
    assert not dialog.error.text()
    assert announced
    stored = nurse.store.one("SELECT village FROM patients WHERE id = ?", (patient.id,))
    assert stored is not None
    assert stored["village"] == "Anoumabo"
    tasks.stop()
