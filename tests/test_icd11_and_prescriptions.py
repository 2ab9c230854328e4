"""Doctors diagnose with ICD-11 and write signed prescriptions from the catalogue."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from clinic_app.documents.signing import ForgedDocument, verify_document
from clinic_app.errors import InvalidInput, PermissionDenied
from clinic_app.inventory.catalogue import (
    list_catalogue,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.diagnoses import add_diagnosis, encounter_diagnoses
from clinic_app.records.icd11 import import_icd11_tsv, search_icd11
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.records.prescriptions import (
    PrescriptionLine,
    list_prescriptions,
    write_prescription,
)
from clinic_app.resources import resource_path
from clinic_app.session import Session
from tests.conftest import shared_path


@pytest.fixture
def encounter(doctor: Session) -> tuple[str, str]:
    patient = register_patient(doctor, PatientForm("Zoé", "N'Guessan", "female"))
    consultation = record_consultation(doctor, ConsultationForm(patient.id, "Fièvre"))
    return patient.id, consultation.id


@pytest.fixture
def catalogue(doctor: Session) -> list[str]:
    with doctor.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
    return [item.id for item in list_catalogue(doctor)]


def test_the_whole_who_list_is_loaded(doctor: Session) -> None:
    with open(shared_path("data", "icd11-mms-2024-01-en.tsv"), encoding="utf-8") as handle:
        expected = sum(1 for line in handle if line.split("\t")[3] == "category")
    count = doctor.store.one("SELECT count(*) AS n FROM icd11_codes")
    assert count is not None
    assert count["n"] == expected
    assert "34" in str(expected)[:2]  # 34,663 coded categories per shared/data/README.md


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("paludisme", "1F4Z"),
        ("Paludisme", "1F4Z"),
        ("palu", "1F4Z"),
        ("malaria", "1F4Z"),
        ("diabete", "5A14"),
        ("hypertension", "BA00.Z"),
        ("fièvre typhoïde", "1A07.Z"),
        ("1F4Z", "1F4Z"),
        ("cough", "MD12"),
        ("toux", "MD12"),
    ],
)
def test_doctor_finds_codes_by_french_word_english_title_or_code(
    doctor: Session, query: str, code: str
) -> None:
    results = search_icd11(doctor, query)
    assert code in [r.code for r in results[:3]]


def test_who_titles_are_unmodified_and_aliases_kept_apart(doctor: Session) -> None:
    top = search_icd11(doctor, "paludisme")[0]
    assert top.title == "Malaria, unspecified"
    assert top.alias == "paludisme"


def test_icd_search_with_special_characters_does_not_fail(doctor: Session) -> None:
    for query in ("%", "100%", "'", "(", "a_b"):
        assert len(search_icd11(doctor, query)) <= 30


def test_diagnosis_is_recorded_with_system_code_and_title(
    doctor: Session, encounter: tuple[str, str]
) -> None:
    _, encounter_id = encounter
    diagnosis = add_diagnosis(doctor, encounter_id, "1f4z")
    assert (diagnosis.system, diagnosis.code, diagnosis.display) == (
        "http://id.who.int/icd/release/11/mms",
        "1F4Z",
        "Malaria, unspecified",
    )
    assert encounter_diagnoses(doctor, encounter_id) == [diagnosis]


def test_unknown_code_is_refused(doctor: Session, encounter: tuple[str, str]) -> None:
    with pytest.raises(InvalidInput):
        add_diagnosis(doctor, encounter[1], "ZZZ9")


def test_nurse_may_not_diagnose(
    nurse: Session, doctor: Session, encounter: tuple[str, str]
) -> None:
    with pytest.raises(PermissionDenied):
        add_diagnosis(nurse, encounter[1], "1F4Z")


def test_an_institution_can_import_its_own_release(admin: Session, tmp_path: Path) -> None:
    source = shared_path("data", "icd11-mms-2024-01-en.tsv").read_text(encoding="utf-8")
    lines = source.splitlines()
    french = [lines[0]] + [
        line.replace("Malaria, unspecified", "Paludisme, sans précision") for line in lines[1:]
    ]
    path = tmp_path / "icd11-fr.tsv.gz"
    path.write_bytes(gzip.compress("\n".join(french).encode("utf-8")))
    assert import_icd11_tsv(admin, path) > 30000
    row = admin.store.one("SELECT title FROM icd11_codes WHERE code = '1F4Z'")
    assert row is not None
    assert row["title"] == "Paludisme, sans précision"


def test_a_file_that_is_not_an_icd_list_is_refused(admin: Session, tmp_path: Path) -> None:
    path = tmp_path / "junk.tsv"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(InvalidInput):
        import_icd11_tsv(admin, path)
    assert admin.store.one("SELECT count(*) AS n FROM icd11_codes")["n"] > 30000  # type: ignore[index]


def test_doctor_writes_a_numbered_signed_prescription(
    doctor: Session, encounter: tuple[str, str], catalogue: list[str]
) -> None:
    patient_id, encounter_id = encounter
    first = write_prescription(
        doctor,
        patient_id=patient_id,
        encounter_id=encounter_id,
        lines=[PrescriptionLine(catalogue[0], "1 comprimé", "3 fois par jour", 5, 15)],
    )
    second = write_prescription(
        doctor,
        patient_id=patient_id,
        encounter_id=None,
        lines=[PrescriptionLine(catalogue[1], "2 comprimés", "2 fois par jour", 3, 12)],
    )
    assert first.number.startswith("ORD-TRV-")
    assert first.number.endswith("-000001")
    assert second.number.endswith("-000002")
    public_key = doctor.store.setting("signing_public_key") or ""
    signed = verify_document(first.signature, public_key)
    assert signed["n"] == first.number
    assert signed["p"][:2] == ["N'Guessan", "Zoé"]
    tampered = (
        first.signature[:-3] + ("A" if first.signature[-3] != "A" else "B") + first.signature[-2:]
    )
    with pytest.raises(ForgedDocument):
        verify_document(tampered, public_key)
    assert [p.number for p in list_prescriptions(doctor, patient_id=patient_id)] == [
        second.number,
        first.number,
    ]


@pytest.mark.parametrize(
    "line",
    [
        PrescriptionLine("no-such-drug", "1", "1/j", 1, 1),
        PrescriptionLine("{first}", "", "1/j", 1, 1),
        PrescriptionLine("{first}", "1", "1/j", 0, 1),
        PrescriptionLine("{first}", "1", "1/j", 5, 0),
        PrescriptionLine("{first}", "1", "1/j", 5, 10**9),
    ],
)
def test_bad_prescription_line_is_refused_and_nothing_written(
    doctor: Session, encounter: tuple[str, str], catalogue: list[str], line: PrescriptionLine
) -> None:
    if line.catalogue_item_id == "{first}":
        line = PrescriptionLine(
            catalogue[0], line.dose, line.frequency, line.duration_days, line.quantity
        )
    with pytest.raises(InvalidInput):
        write_prescription(doctor, patient_id=encounter[0], encounter_id=None, lines=[line])
    assert list_prescriptions(doctor) == []
    assert doctor.store.one("SELECT count(*) AS n FROM document_counters")["n"] == 0  # type: ignore[index]


def test_the_same_medicine_twice_on_one_prescription_is_refused(
    doctor: Session, encounter: tuple[str, str], catalogue: list[str]
) -> None:
    lines = [
        PrescriptionLine(catalogue[0], "1 comprimé", "3 fois par jour", 5, 15),
        PrescriptionLine(catalogue[0], "2 comprimés", "1 fois par jour", 2, 4),
    ]
    with pytest.raises(InvalidInput, match="Line 2"):
        write_prescription(doctor, patient_id=encounter[0], encounter_id=None, lines=lines)
    assert list_prescriptions(doctor) == []


def test_the_same_diagnosis_twice_on_one_consultation_is_refused(
    doctor: Session, encounter: tuple[str, str]
) -> None:
    add_diagnosis(doctor, encounter[1], "1F4Z")
    for variant in ("1f4z", " 1F4Z "):
        with pytest.raises(InvalidInput):
            add_diagnosis(doctor, encounter[1], variant)


@pytest.mark.parametrize(
    "changes",
    [
        {"dose": "x" * 100_000},
        {"frequency": "y" * 5000},
        {"quantity": "abc"},
        {"quantity": None},
        {"quantity": float("nan")},
        {"quantity": 1.9},
        {"quantity": True},
        {"duration_days": 10**30},
        {"dose": "1 cp\0"},
    ],
)
def test_a_line_that_could_not_be_printed_or_counted_is_refused_before_signing(
    doctor: Session, encounter: tuple[str, str], catalogue: list[str], changes: dict[str, object]
) -> None:
    from dataclasses import replace

    line = replace(
        PrescriptionLine(catalogue[0], "1 comprimé", "3 fois par jour", 5, 15), **changes
    )  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        write_prescription(doctor, patient_id=encounter[0], encounter_id=None, lines=[line])
    assert list_prescriptions(doctor) == []


def test_a_drug_matching_a_recorded_allergy_needs_the_doctors_confirmation(
    doctor: Session, encounter: tuple[str, str], catalogue: list[str]
) -> None:
    from clinic_app.inventory.catalogue import find_by_gtin
    from clinic_app.records.consultations import record_allergy
    from clinic_app.records.prescriptions import AllergyConflict

    patient_id = encounter[0]
    record_allergy(doctor, patient_id, "Pénicilline", "urticaire")
    amoxicillin = find_by_gtin(doctor, "08800154310022")  # ATC J01CA04: a penicillin
    paracetamol = find_by_gtin(doctor, "03614142000018")
    assert amoxicillin is not None
    assert paracetamol is not None
    line = PrescriptionLine(amoxicillin.id, "1 gélule", "3 fois par jour", 7, 21)
    with pytest.raises(AllergyConflict) as caught:
        write_prescription(doctor, patient_id=patient_id, encounter_id=None, lines=[line])
    assert "Pénicilline" in str(caught.value)
    assert list_prescriptions(doctor) == []
    safe = PrescriptionLine(paracetamol.id, "1 comprimé", "3 fois par jour", 3, 9)
    write_prescription(doctor, patient_id=patient_id, encounter_id=None, lines=[safe])
    confirmed = write_prescription(
        doctor, patient_id=patient_id, encounter_id=None, lines=[line], allergy_confirmed=True
    )
    doctor.flush_audit()
    row = doctor.store.one("SELECT detail FROM audit_events WHERE object_id = ?", (confirmed.id,))
    assert row is not None
    assert row["detail"] == "allergy_warning_overridden"
