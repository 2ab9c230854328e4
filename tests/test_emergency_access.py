"""Break the glass: a storekeeper opens a chart in an emergency; the admin reviews it."""

from __future__ import annotations

from typing import Any

import pytest

from clinic_app.errors import InvalidInput, NotFound, PermissionDenied
from clinic_app.records.patients import PatientForm, open_chart, register_patient
from clinic_app.security.audit import verify_audit_chain
from clinic_app.security.emergency import (
    AlreadyReviewed,
    emergency_accesses_to_review,
    open_chart_in_emergency,
    review_emergency_access,
)
from clinic_app.session import Session

REASON = "Patient collapsed at the dispensary, nurse away on a home visit"


def count(session: Session, sql: str, *params: object) -> int:
    row = session.store.one(sql, params)
    assert row is not None
    return int(row[0])


def audited(session: Session, action: str) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in session.store.all(
            "SELECT * FROM audit_events WHERE action = ? ORDER BY seq", (action,)
        )
    ]


@pytest.fixture
def patient_id(nurse: Session) -> str:
    return register_patient(nurse, PatientForm("Salimata", "Konaté", "female")).id


def test_storekeeper_opens_a_chart_in_an_emergency_and_the_admin_reviews_it(
    storekeeper: Session, admin: Session, patient_id: str
) -> None:
    with pytest.raises(PermissionDenied):
        open_chart(storekeeper, patient_id)  # the role may not open charts normally

    patient = open_chart_in_emergency(storekeeper, patient_id, "  " + REASON + "  ")

    assert patient.id == patient_id
    assert patient.family_name == "Konaté"
    entries = audited(storekeeper, "emergency_access")
    assert len(entries) == 1
    entry = entries[0]
    assert (entry["user_id"], entry["patient_id"], entry["object_kind"]) == (
        storekeeper.actor.user_id,
        patient_id,
        "emergency_access",
    )
    # The reason is free text: kept in the (encrypted) table, never in the audit trail.
    assert "collapsed" not in " ".join(str(v) for v in entry.values())
    assert verify_audit_chain(storekeeper.store).intact

    waiting = emergency_accesses_to_review(admin)
    assert [(a.id, a.patient_id, a.reason, a.username) for a in waiting] == [
        (entry["object_id"], patient_id, REASON, "store")
    ]
    assert waiting[0].patient_name == "Salimata Konaté"
    assert waiting[0].reviewed_at is None
    assert audited(admin, "list_emergency_accesses")[-1]["object_id"] == "1"

    reviewed = review_emergency_access(admin, waiting[0].id, "Checked with the nurse: justified.")
    assert reviewed.reviewed_by == admin.actor.user_id
    assert reviewed.reviewed_at is not None
    assert reviewed.review_note == "Checked with the nurse: justified."
    assert emergency_accesses_to_review(admin) == []
    review = audited(admin, "review_emergency_access")
    assert [(r["object_id"], r["patient_id"]) for r in review] == [(waiting[0].id, patient_id)]
    with pytest.raises(AlreadyReviewed):
        review_emergency_access(admin, waiting[0].id, "Second look")
    assert verify_audit_chain(admin.store).intact


@pytest.mark.parametrize("reason", ["", "   ", "urgent", "  short    "])
def test_an_emergency_access_without_a_real_reason_is_refused_and_nothing_written(
    storekeeper: Session, patient_id: str, reason: str
) -> None:
    before = (
        count(storekeeper, "SELECT count(*) FROM emergency_accesses"),
        count(storekeeper, "SELECT count(*) FROM audit_events"),
    )
    with pytest.raises(InvalidInput) as refused:
        open_chart_in_emergency(storekeeper, patient_id, reason)
    assert refused.value.field == "reason"
    assert "at least 10 characters" in str(refused.value)
    after = (
        count(storekeeper, "SELECT count(*) FROM emergency_accesses"),
        count(storekeeper, "SELECT count(*) FROM audit_events"),
    )
    assert after == before


def test_unknown_patient_and_unknown_access_are_refused(
    storekeeper: Session, admin: Session
) -> None:
    with pytest.raises(NotFound):
        open_chart_in_emergency(storekeeper, "no-such-patient", REASON)
    assert count(storekeeper, "SELECT count(*) FROM emergency_accesses") == 0
    with pytest.raises(NotFound):
        review_emergency_access(admin, "no-such-access", "Nothing to see")


def test_only_the_admin_reviews_and_a_review_needs_a_note(
    storekeeper: Session, nurse: Session, admin: Session, patient_id: str
) -> None:
    open_chart_in_emergency(storekeeper, patient_id, REASON)
    with pytest.raises(PermissionDenied):
        emergency_accesses_to_review(nurse)
    access = emergency_accesses_to_review(admin)[0]
    with pytest.raises(PermissionDenied):
        review_emergency_access(storekeeper, access.id, "I reviewed myself")
    with pytest.raises(InvalidInput):
        review_emergency_access(admin, access.id, " ")
    assert [a.id for a in emergency_accesses_to_review(admin)] == [access.id]


def test_nurse_and_doctor_open_charts_as_usual(
    nurse: Session, doctor: Session, patient_id: str
) -> None:
    assert open_chart(nurse, patient_id).id == patient_id
    assert open_chart(doctor, patient_id).id == patient_id
    assert count(nurse, "SELECT count(*) FROM emergency_accesses") == 0
    assert audited(nurse, "emergency_access") == []
    # They may also break the glass (e.g. a chart outside their usual list), always recorded.
    open_chart_in_emergency(doctor, patient_id, "Night duty, patient unconscious")
    assert count(doctor, "SELECT count(*) FROM emergency_accesses") == 1


def test_an_emergency_opening_lets_that_role_read_that_chart_and_no_other(
    nurse: Session, storekeeper: Session
) -> None:
    from clinic_app.records.consultations import (
        ConsultationForm,
        patient_allergies,
        patient_consultations,
        record_consultation,
    )

    zoe = register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female"))
    other = register_patient(nurse, PatientForm("Awa", "Koné", "female"))
    record_consultation(
        nurse, ConsultationForm(zoe.id, "Crise d'asthme", {"spo2": 88}, "", (("Aspirine", ""),))
    )
    with pytest.raises(PermissionDenied):
        patient_allergies(storekeeper, zoe.id)
    open_chart_in_emergency(storekeeper, zoe.id, "Malaise au magasin, infirmière absente")
    assert patient_allergies(storekeeper, zoe.id) == ["Aspirine"]
    assert patient_consultations(storekeeper, zoe.id)[0].vitals["spo2"] == 88
    with pytest.raises(PermissionDenied):
        patient_consultations(storekeeper, other.id)
