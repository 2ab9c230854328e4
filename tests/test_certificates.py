"""Sick-leave certificates on a real clinic database: dates, chains, refusals, sync."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from clinic_app.clock import Clock
from clinic_app.documents.signing import verify_document
from clinic_app.errors import NotFound, PermissionDenied
from clinic_app.records.certificates import (
    BackDatedCertificate,
    BrokenExtension,
    CertificateRefused,
    FarFutureCertificate,
    LapsedExtension,
    OverlappingCertificate,
    SickLeaveForm,
    end_date_of,
    get_certificate,
    issue_sick_leave_certificate,
    list_certificates,
)
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.session import Session

MALARIA = "1F40.Z"
MALARIA_TITLE = "Malaria due to Plasmodium falciparum, unspecified"


def at(instant: str) -> Clock:
    """A clock stopped at ``instant`` (ISO text with its offset)."""
    moment = datetime.fromisoformat(instant)
    return lambda: moment


def register(
    session: Session, given: str = "Zoé", family: str = "N'Guessan", national_id: str = ""
) -> str:
    return register_patient(
        session, PatientForm(given, family, "female", date(1990, 2, 1), national_id)
    ).id


def initial(patient_id: str, start: date, days: int, **changes: Any) -> SickLeaveForm:
    form = SickLeaveForm(patient_id, None, start, days, "initial", outings_allowed=True)
    return replace(form, **changes)


def set_timezone(session: Session, zone: str) -> None:
    with session.transaction() as tx:
        tx.execute("UPDATE settings SET value = ? WHERE key = 'timezone'", (zone,))


def count(session: Session, sql: str, *params: object) -> int:
    row = session.store.one(sql, params)
    assert row is not None
    return int(row[0])


# --- the period --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "end"),
    [
        (date(2026, 3, 2), 1, date(2026, 3, 2)),  # one day: back at work the next morning
        (date(2026, 1, 30), 3, date(2026, 2, 1)),  # across a month end
        (date(2026, 4, 29), 2, date(2026, 4, 30)),  # a 30-day month
        (date(2026, 12, 30), 5, date(2027, 1, 3)),  # across the new year
        (date(2028, 2, 28), 2, date(2028, 2, 29)),  # leap day is a day of leave
        (date(2028, 2, 28), 3, date(2028, 3, 1)),
        (date(2027, 2, 28), 2, date(2027, 3, 1)),  # no leap day in 2027
        (date(2026, 1, 1), 365, date(2026, 12, 31)),
    ],
)
def test_end_date_counts_the_start_day(start: date, days: int, end: date) -> None:
    assert end_date_of(start, days) == end


def test_doctor_issues_certificate_across_the_new_year(doctor: Session) -> None:
    patient_id = register(doctor)
    certificate = issue_sick_leave_certificate(
        doctor,
        initial(patient_id, date(2026, 12, 30), 5, diagnosis_code=" 1f40.z "),
        clock=at("2026-12-30T09:00:00+00:00"),
    )
    assert certificate.end_date == date(2027, 1, 3)
    assert certificate.number == "AT-TRV-2026-000001"
    assert certificate.diagnosis_code == MALARIA
    assert certificate.diagnosis_display == MALARIA_TITLE
    assert get_certificate(doctor, certificate.id) == certificate
    row = doctor.store.one("SELECT * FROM sick_leave_certificates WHERE id = ?", (certificate.id,))
    assert row is not None
    assert (row["start_date"], row["end_date"], row["days"]) == ("2026-12-30", "2027-01-03", 5)


def test_leap_day_certificate(doctor: Session) -> None:
    patient_id = register(doctor)
    certificate = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2028, 2, 28), 2), clock=at("2028-02-27T10:00:00+00:00")
    )
    assert certificate.end_date == date(2028, 2, 29)
    assert certificate.number == "AT-TRV-2028-000001"


def test_today_is_the_clinics_date_not_utcs(doctor: Session) -> None:
    # 23:30 UTC on 31 December is already 00:30 on 1 January in Lagos (UTC+1).
    set_timezone(doctor, "Africa/Lagos")
    patient_id = register(doctor)
    late = at("2026-12-31T23:30:00+00:00")
    # 30 days after the clinic's 1 January; 31 after UTC's 31 December.
    certificate = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2027, 1, 31), 2), clock=late
    )
    assert certificate.number == "AT-TRV-2027-000001"


# --- chains of certificates ------------------------------------------------------------


def test_extension_continues_the_chain(doctor: Session) -> None:
    patient_id = register(doctor)
    clock = at("2026-03-02T08:00:00+00:00")
    first = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 5, diagnosis_code=MALARIA), clock=clock
    )
    second = issue_sick_leave_certificate(
        doctor,
        initial(
            patient_id,
            date(2026, 3, 7),
            3,
            kind="extension",
            extends_number=first.number.lower(),
            outings_allowed=False,
        ),
        clock=at("2026-03-06T15:00:00+00:00"),
    )
    third = issue_sick_leave_certificate(
        doctor,
        initial(patient_id, date(2026, 3, 10), 2, kind="extension", extends_number=second.number),
        clock=at("2026-03-09T15:00:00+00:00"),
    )
    assert (second.kind, second.extends_id, second.extends_number) == (
        "extension",
        first.id,
        first.number,
    )
    assert second.end_date == date(2026, 3, 9)
    assert third.end_date == date(2026, 3, 11)
    assert [c.number for c in list_certificates(doctor, patient_id)] == [
        third.number,
        second.number,
        first.number,
    ]
    assert list_certificates(doctor, patient_id)[1] == second
    public_key = doctor.store.setting("signing_public_key") or ""
    fields = verify_document(second.signature, public_key)
    assert (fields["k"], fields["x"], fields["o"]) == ("extension", first.number, False)


@pytest.mark.parametrize(
    ("start", "expected"), [(date(2026, 3, 8), "07/03/2026"), (date(2026, 3, 6), "07/03/2026")]
)
def test_extension_must_start_the_day_after(doctor: Session, start: date, expected: str) -> None:
    patient_id = register(doctor)
    clock = at("2026-03-05T08:00:00+00:00")
    first = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 5), clock=clock
    )
    with pytest.raises(BrokenExtension) as refused:
        issue_sick_leave_certificate(
            doctor,
            initial(patient_id, start, 3, kind="extension", extends_number=first.number),
            clock=clock,
        )
    assert refused.value.field == "start_date"
    assert expected in str(refused.value)
    assert first.number in str(refused.value)


@pytest.mark.parametrize("start", [date(2026, 3, 7), date(2026, 3, 11)])
def test_a_lapsed_certificate_is_not_extended_but_a_new_one_issued(
    doctor: Session, start: date
) -> None:
    patient_id = register(doctor)
    first = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 5), clock=at("2026-03-02T08:00:00+00:00")
    )  # ends on 6 March: its extension starts on the 7th
    wednesday = at("2026-03-11T08:00:00+00:00")  # the 7th is 4 days back: too far
    extension = initial(patient_id, start, 3, kind="extension", extends_number=first.number)
    with pytest.raises(LapsedExtension) as refused:
        issue_sick_leave_certificate(doctor, extension, clock=wednesday)
    assert refused.value.field == "extends_number"
    assert "06/03/2026" in str(refused.value)
    assert "new initial certificate" in str(refused.value)
    fresh = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 11), 3), clock=wednesday
    )
    assert (fresh.kind, fresh.extends_number) == ("initial", None)


def test_an_extension_three_days_late_is_still_allowed(doctor: Session) -> None:
    patient_id = register(doctor)
    first = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 5), clock=at("2026-03-02T08:00:00+00:00")
    )
    extension = issue_sick_leave_certificate(
        doctor,
        initial(patient_id, date(2026, 3, 7), 3, kind="extension", extends_number=first.number),
        clock=at("2026-03-10T08:00:00+00:00"),
    )
    assert extension.extends_number == first.number


def test_extension_of_another_patients_certificate_is_refused(doctor: Session) -> None:
    zoe = register(doctor)
    awa = register(doctor, "Awa", "Ouédraogo")
    clock = at("2026-03-02T08:00:00+00:00")
    first = issue_sick_leave_certificate(doctor, initial(zoe, date(2026, 3, 2), 2), clock=clock)
    for number in (first.number, "AT-TRV-2026-999999"):
        with pytest.raises(CertificateRefused, match="No certificate") as refused:
            issue_sick_leave_certificate(
                doctor,
                initial(awa, date(2026, 3, 4), 2, kind="extension", extends_number=number),
                clock=clock,
            )
        assert refused.value.field == "extends_number"


def test_a_certificate_is_extended_only_once(doctor: Session) -> None:
    patient_id = register(doctor)
    clock = at("2026-03-02T08:00:00+00:00")
    first = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 2), clock=clock
    )
    extension = initial(
        patient_id, date(2026, 3, 4), 2, kind="extension", extends_number=first.number
    )
    second = issue_sick_leave_certificate(doctor, extension, clock=clock)
    with pytest.raises(CertificateRefused, match=f"already extended by {second.number}"):
        issue_sick_leave_certificate(doctor, extension, clock=clock)


def test_overlapping_initial_certificate_is_refused(doctor: Session) -> None:
    patient_id = register(doctor)
    clock = at("2026-03-02T08:00:00+00:00")
    first = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 5), clock=clock
    )
    with pytest.raises(OverlappingCertificate, match=first.number):
        issue_sick_leave_certificate(doctor, initial(patient_id, date(2026, 3, 1), 2), clock=clock)
    # The day after the first one ends is free again.
    issue_sick_leave_certificate(doctor, initial(patient_id, date(2026, 3, 7), 1), clock=clock)


@pytest.mark.parametrize(
    ("kind", "extends_number", "field"),
    [
        ("extension", None, "extends_number"),
        ("initial", "AT-TRV-2026-000001", "extends_number"),
        ("renewal", None, "kind"),
        ("extension", 12, "extends_number"),
        ("extension", "AT-" + "9" * 100_000, "extends_number"),
    ],
)
def test_kind_and_extended_number_must_agree(
    doctor: Session, kind: str, extends_number: str | None, field: str
) -> None:
    patient_id = register(doctor)
    with pytest.raises(CertificateRefused) as refused:
        issue_sick_leave_certificate(
            doctor,
            initial(patient_id, date(2026, 3, 2), 2, kind=kind, extends_number=extends_number),
            clock=at("2026-03-02T08:00:00+00:00"),
        )
    assert refused.value.field == field


# --- refusals --------------------------------------------------------------------------


def test_three_days_back_is_allowed_four_is_refused(doctor: Session) -> None:
    patient_id = register(doctor)
    monday = at("2026-03-09T08:00:00+00:00")
    with pytest.raises(BackDatedCertificate) as refused:
        issue_sick_leave_certificate(doctor, initial(patient_id, date(2026, 3, 5), 7), clock=monday)
    assert refused.value.field == "start_date"
    assert "05/03/2026" in str(refused.value)
    assert "09/03/2026" in str(refused.value)
    friday = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 6), 7), clock=monday
    )
    assert friday.start_date == date(2026, 3, 6)


def test_more_than_thirty_days_ahead_is_refused(doctor: Session) -> None:
    patient_id = register(doctor)
    clock = at("2026-03-01T08:00:00+00:00")
    with pytest.raises(FarFutureCertificate):
        issue_sick_leave_certificate(doctor, initial(patient_id, date(2026, 4, 1), 2), clock=clock)
    issue_sick_leave_certificate(doctor, initial(patient_id, date(2026, 3, 31), 2), clock=clock)


@pytest.mark.parametrize("days", [0, -2, 366, True])
def test_impossible_number_of_days_is_refused(doctor: Session, days: int) -> None:
    patient_id = register(doctor)
    with pytest.raises(CertificateRefused, match="1 to 365") as refused:
        issue_sick_leave_certificate(
            doctor,
            initial(patient_id, date(2026, 3, 2), days),
            clock=at("2026-03-02T08:00:00+00:00"),
        )
    assert refused.value.field == "days"


def test_nurse_may_not_issue_sick_leave(nurse: Session) -> None:
    patient_id = register(nurse)
    with pytest.raises(PermissionDenied):
        issue_sick_leave_certificate(nurse, initial(patient_id, date.today(), 2))
    assert count(nurse, "SELECT count(*) FROM sick_leave_certificates") == 0


def test_unknown_icd_code_is_refused_and_nothing_is_written(doctor: Session) -> None:
    patient_id = register(doctor)
    clock = at("2026-03-02T08:00:00+00:00")
    with pytest.raises(CertificateRefused, match="XX99 is not an ICD-11 code") as refused:
        issue_sick_leave_certificate(
            doctor, initial(patient_id, date(2026, 3, 2), 2, diagnosis_code="xx99"), clock=clock
        )
    assert refused.value.field == "diagnosis_code"
    assert count(doctor, "SELECT count(*) FROM outbox WHERE kind = 'sick_leave_certificate'") == 0
    # The refused certificate used no number.
    certificate = issue_sick_leave_certificate(
        doctor, initial(patient_id, date(2026, 3, 2), 2), clock=clock
    )
    assert certificate.number == "AT-TRV-2026-000001"


def test_encounter_of_another_patient_is_refused(doctor: Session) -> None:
    zoe = register(doctor)
    awa = register(doctor, "Awa", "Ouédraogo")
    visit = record_consultation(doctor, ConsultationForm(awa, "Fièvre"))
    with pytest.raises(NotFound):
        issue_sick_leave_certificate(
            doctor,
            initial(zoe, date(2026, 3, 2), 2, encounter_id=visit.id),
            clock=at("2026-03-02T08:00:00+00:00"),
        )
    with pytest.raises(NotFound):
        get_certificate(doctor, "no-such-certificate")


# --- what leaves the machine ---------------------------------------------------------


def test_certificate_is_queued_for_central_and_audited(doctor: Session) -> None:
    patient_id = register(doctor)
    visit = record_consultation(doctor, ConsultationForm(patient_id, "Fièvre et frissons"))
    certificate = issue_sick_leave_certificate(
        doctor,
        initial(patient_id, date(2026, 3, 2), 4, encounter_id=visit.id, diagnosis_code=MALARIA),
        clock=at("2026-03-02T08:00:00+00:00"),
    )
    outbox: list[Any] = doctor.store.all(
        "SELECT record_id, payload FROM outbox WHERE kind = 'sick_leave_certificate'"
    )
    assert [row["record_id"] for row in outbox] == [certificate.id]
    payload = json.loads(outbox[0]["payload"])
    assert (payload["number"], payload["end_date"], payload["encounter_id"]) == (
        certificate.number,
        "2026-03-05",
        visit.id,
    )
    audit: list[Any] = doctor.store.all(
        "SELECT * FROM audit_events WHERE action = 'issue_sick_leave'"
    )
    assert len(audit) == 1
    assert (audit[0]["object_id"], audit[0]["patient_id"], audit[0]["user_id"]) == (
        certificate.id,
        patient_id,
        doctor.actor.user_id,
    )
    # Identifiers only: no name, no diagnosis in the trail.
    assert "Malaria" not in json.dumps(dict(audit[0]))
    assert MALARIA not in json.dumps(dict(audit[0]))


def test_signed_code_holds_the_period_but_not_the_diagnosis(doctor: Session) -> None:
    patient_id = register(doctor, "Adjoa Ɛkua", "Kouassi-Yao")
    issued = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    certificate = issue_sick_leave_certificate(
        doctor,
        initial(patient_id, date(2026, 3, 2), 4, diagnosis_code=MALARIA),
        clock=lambda: issued,
    )
    fields = verify_document(
        certificate.signature, doctor.store.setting("signing_public_key") or ""
    )
    assert fields == {
        "t": "sl",
        "n": certificate.number,
        "c": doctor.site_id,
        "d": int(issued.timestamp()),
        "p": ["Kouassi-Yao", "Adjoa Ɛkua", "1990-02-01"],
        "s": "2026-03-02",
        "e": "2026-03-05",
        "j": 4,
        "k": "initial",
        "o": True,
    }
    flat = json.dumps(fields, ensure_ascii=False)
    assert MALARIA not in flat
    assert "1F40" not in flat


def test_certificates_are_listed_for_one_patient_only(doctor: Session) -> None:
    zoe = register(doctor)
    awa = register(doctor, "Awa", "Ouédraogo")
    clock: Callable[[], datetime] = at("2026-03-02T08:00:00+00:00")
    mine = issue_sick_leave_certificate(doctor, initial(zoe, date(2026, 3, 2), 2), clock=clock)
    issue_sick_leave_certificate(doctor, initial(awa, date(2026, 3, 2), 2), clock=clock)
    assert [c.id for c in list_certificates(doctor, zoe)] == [mine.id]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"outings_allowed": "no"}, "outings_allowed"),
        ({"outings_allowed": "false"}, "outings_allowed"),
        ({"outings_allowed": 1}, "outings_allowed"),
        ({"outings_allowed": None}, "outings_allowed"),
        ({"diagnosis_code": 123}, "diagnosis_code"),
        ({"encounter_id": [1]}, "encounter_id"),
        ({"patient_id": [1]}, "patient_id"),
        ({"patient_id": None}, "patient_id"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_by_name(
    doctor: Session, changes: dict[str, Any], field: str
) -> None:
    patient_id = register(doctor)
    form = replace(initial(patient_id, date(2026, 3, 2), 2), **changes)
    with pytest.raises(CertificateRefused) as refused:
        issue_sick_leave_certificate(doctor, form, clock=at("2026-03-02T08:00:00+00:00"))
    assert refused.value.field == field
    assert count(doctor, "SELECT count(*) AS n FROM sick_leave_certificates") == 0
