"""Recording a consultation: LOINC vitals, impossible values refused, all or nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.records.consultations import (
    BMI_LOINC,
    ConsultationForm,
    patient_allergies,
    patient_consultations,
    record_consultation,
)
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.session import Session

VITALS = {
    "systolic": 128,
    "diastolic": 82,
    "heart_rate": 76,
    "respiratory_rate": 16,
    "temperature": 38.4,
    "spo2": 97,
    "weight": 64,
    "height": 165,
}


@pytest.fixture
def patient_id(nurse: Session) -> str:
    return register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female")).id


def test_nurse_records_consultation_offline(nurse: Session, patient_id: str) -> None:
    saved = record_consultation(
        nurse,
        ConsultationForm(
            patient_id, "Fièvre depuis 3 jours", VITALS, "RAS", (("Pénicilline", "urticaire"),)
        ),
    )
    rows = nurse.store.all(
        "SELECT loinc, value, unit FROM observations WHERE encounter_id = ?", (saved.id,)
    )
    by_code = {r["loinc"]: (r["value"], r["unit"]) for r in rows}
    assert by_code["8310-5"] == (38.4, "Cel")
    assert by_code["8480-6"] == (128, "mm[Hg]")
    assert by_code["59408-5"] == (97, "%")
    assert by_code[BMI_LOINC][0] == pytest.approx(23.5, abs=0.1)
    assert patient_allergies(nurse, patient_id) == ["Pénicilline"]
    history = patient_consultations(nurse, patient_id)
    assert history[0].complaint == "Fièvre depuis 3 jours"
    assert history[0].vitals["temperature"] == 38.4
    kinds = {r["kind"] for r in nurse.store.all("SELECT kind FROM outbox")}
    assert {"encounter", "observation", "allergy"} <= kinds


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("temperature", 377),
        ("temperature", 20),
        ("systolic", 400),
        ("diastolic", 5),
        ("heart_rate", 0),
        ("spo2", 101),
        ("weight", -3),
        ("height", 900),
        ("respiratory_rate", 200),
        ("temperature", "trente-sept"),
    ],
)
def test_impossible_vital_is_refused_and_nothing_saved(
    nurse: Session, patient_id: str, key: str, value: object
) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_consultation(nurse, ConsultationForm(patient_id, "Toux", {**VITALS, key: value}))
    assert caught.value.field == key
    assert nurse.store.one("SELECT count(*) AS n FROM encounters")["n"] == 0  # type: ignore[index]
    assert nurse.store.one("SELECT count(*) AS n FROM observations")["n"] == 0  # type: ignore[index]


def test_diastolic_above_systolic_is_refused(nurse: Session, patient_id: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_consultation(
            nurse, ConsultationForm(patient_id, "Céphalées", {"systolic": 80, "diastolic": 120})
        )
    assert caught.value.field == "diastolic"


def test_complaint_is_required(nurse: Session, patient_id: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_consultation(nurse, ConsultationForm(patient_id, "   "))
    assert caught.value.field == "complaint"


def test_storekeeper_may_not_record_consultations(storekeeper: Session, patient_id: str) -> None:
    with pytest.raises(PermissionDenied):
        record_consultation(storekeeper, ConsultationForm(patient_id, "Toux"))


def test_a_french_decimal_comma_is_understood(nurse: Session, patient_id: str) -> None:
    saved = record_consultation(
        nurse, ConsultationForm(patient_id, "Fièvre", {"temperature": "38,5", "weight": "61,2"})
    )
    assert saved.vitals["temperature"] == 38.5


@pytest.mark.parametrize(
    "typed", ["3_8", "3.85e1", "38.", ".5", "1 000", "38,5,1", "nan", "inf", "0x26"]
)
def test_a_vital_sign_is_typed_as_a_person_writes_a_number(
    nurse: Session, patient_id: str, typed: str
) -> None:
    # Python's own number syntax is no measure: "3_8" would be saved as 38.
    with pytest.raises(InvalidInput) as caught:
        record_consultation(nurse, ConsultationForm(patient_id, "Toux", {"temperature": typed}))
    assert caught.value.field == "temperature"


def test_a_reaction_without_its_substance_is_refused_not_dropped(
    nurse: Session, patient_id: str
) -> None:
    form = ConsultationForm(patient_id, "Toux", new_allergies=(("", "urticaire"),))
    with pytest.raises(InvalidInput) as caught:
        record_consultation(nurse, form)
    assert caught.value.field == "allergy"
    assert nurse.store.one("SELECT count(*) AS n FROM encounters")["n"] == 0  # type: ignore[index]


@pytest.mark.parametrize(
    ("vitals", "field"),
    [
        ({"temperature": 10**400}, "temperature"),
        ({"temperature": True}, "temperature"),
        ({"weight": 350, "height": 20}, "weight"),
        ({"weight": 3, "height": 200}, "weight"),
    ],
)
def test_absurd_numbers_are_refused(
    nurse: Session, patient_id: str, vitals: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        record_consultation(nurse, ConsultationForm(patient_id, "Toux", vitals))
    assert caught.value.field == field


@pytest.mark.parametrize(
    "form_changes",
    [
        {"vitals": [("temperature", 37)]},
        {"new_allergies": (("x",),)},
        {"occurred_at": datetime(2026, 1, 1)},  # no time zone
        {"occurred_at": datetime.now(UTC) + timedelta(days=3650)},
        {"complaint": "Toux\0"},
        {"notes": "N" * 20001},
    ],
)
def test_malformed_consultations_get_a_clear_refusal(
    nurse: Session, patient_id: str, form_changes: dict[str, object]
) -> None:
    form = ConsultationForm(patient_id, "Toux")
    with pytest.raises(InvalidInput):
        record_consultation(nurse, replace(form, **form_changes))  # type: ignore[arg-type]
    assert nurse.store.one("SELECT count(*) AS n FROM encounters")["n"] == 0  # type: ignore[index]
