"""Reading the audit trail: the admin's viewer and "who opened this record?"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clinic_app.clock import local_date, utc_now
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.records.patients import PatientForm, open_chart, register_patient
from clinic_app.security.audit import audit_entries, short_id, verify_audit_chain, who_opened
from clinic_app.security.settings import (
    DEFAULT_IDLE_LOCK_MINUTES,
    idle_lock_minutes,
    set_idle_lock_minutes,
)
from clinic_app.session import Session


def test_admin_reads_the_trail_newest_first_with_names(admin: Session, nurse: Session) -> None:
    patient = register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female"))
    open_chart(nurse, patient.id)
    nurse.flush_audit()  # reads are queued; another session's queue is not the admin's
    entries = audit_entries(admin)
    assert entries[0].seq > entries[-1].seq
    opening = next(e for e in entries if e.action == "open_chart")
    assert opening.user_name == "Inf. Adjoua Yao"
    assert opening.username == "nurse"
    assert opening.roles == "nurse"
    assert opening.patient_id == patient.id
    assert opening.outcome == "ok"


def test_viewing_the_audit_is_itself_audited(admin: Session) -> None:
    audit_entries(admin)
    latest = audit_entries(admin, limit=1)[0]
    assert latest.action == "view_audit"
    assert latest.user_id == admin.actor.user_id
    assert verify_audit_chain(admin.store).intact


def test_filters_by_user_patient_short_id_and_days(
    admin: Session, nurse: Session, doctor: Session
) -> None:
    zoe = register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female"))
    koffi = register_patient(nurse, PatientForm("Koffi", "Kouassi", "male"))
    open_chart(doctor, zoe.id)
    open_chart(nurse, koffi.id)
    for session in (nurse, doctor):
        session.flush_audit()

    by_doctor = audit_entries(admin, user_id=doctor.actor.user_id)
    assert by_doctor
    assert {e.user_id for e in by_doctor} == {doctor.actor.user_id}

    for key in (zoe.id, short_id(zoe.id), "#" + short_id(zoe.id).upper()):
        about_zoe = audit_entries(admin, patient_id=key)
        assert {e.patient_id for e in about_zoe} == {zoe.id}
        assert {"register_patient", "open_chart"} <= {e.action for e in about_zoe}

    today = local_date(utc_now(), admin.zone)
    assert audit_entries(admin, since=today, until=today)
    assert audit_entries(admin, since=today + timedelta(days=1)) == []
    assert audit_entries(admin, until=today - timedelta(days=1)) == []


def test_a_nurse_may_not_read_the_audit(nurse: Session) -> None:
    with pytest.raises(PermissionDenied):
        audit_entries(nurse)


def test_who_opened_lists_the_openings_of_one_chart(
    admin: Session, nurse: Session, doctor: Session, storekeeper: Session
) -> None:
    zoe = register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female"))
    other = register_patient(nurse, PatientForm("Koffi", "Kouassi", "male"))
    open_chart(nurse, zoe.id)
    open_chart(doctor, zoe.id)
    open_chart(doctor, other.id)
    for session in (nurse, doctor):
        session.flush_audit()

    openings = who_opened(doctor, zoe.id)  # the doctor, at the chart
    assert [o.user_name for o in openings] == ["Dr Awa Koné", "Inf. Adjoua Yao"]
    assert [o.roles for o in openings] == ["doctor", "nurse"]
    assert not any(o.emergency for o in openings)
    assert len(who_opened(admin, zoe.id)) == 2
    with pytest.raises(PermissionDenied):
        who_opened(storekeeper, zoe.id)
    doctor.flush_audit()
    asked = audit_entries(admin, patient_id=zoe.id, limit=3)
    assert "view_chart_openings" in {e.action for e in asked}


def test_idle_lock_minutes_is_set_by_the_admin_within_bounds(
    admin: Session, nurse: Session
) -> None:
    assert idle_lock_minutes(admin.store) == DEFAULT_IDLE_LOCK_MINUTES
    set_idle_lock_minutes(admin, 12)
    assert idle_lock_minutes(nurse.store) == 12
    for wrong in (0, 121):
        with pytest.raises(InvalidInput) as refused:
            set_idle_lock_minutes(admin, wrong)
        assert refused.value.field == "idle_lock_minutes"
    with pytest.raises(PermissionDenied):
        set_idle_lock_minutes(nurse, 10)
    assert audit_entries(admin, limit=1)[0].action == "set_idle_lock_minutes"
