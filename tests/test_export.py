"""De-identified export: statistics leave the clinic, identities do not."""

from __future__ import annotations

import csv
import stat
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from clinic_app.errors import PermissionDenied
from clinic_app.inventory.catalogue import (
    find_by_gtin,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.inventory.stock import ReceiptLine, dispense_prescription, receive_stock
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.diagnoses import add_diagnosis
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription
from clinic_app.reports.deidentified import age_band, export_deidentified_csv
from clinic_app.resources import resource_path
from clinic_app.session import Session
from clinic_app.storage.backup import FolderUnavailable

PARACETAMOL = "03614142000018"
MALARIA = "1F40.Z"

PEOPLE = (
    # given, family, national number, phone, village, complaint, notes, allergy reaction
    (
        "Philomène",
        "Zagbayou",
        "CI-7741-2290",
        "+225 07 48 31 66 90",
        "Bonoufla",
        "Vertiges nocturnes persistants",
        "Habite chez sa tante",
        "oedème labial",
        date(1951, 3, 9),
    ),
    (
        "Théodore",
        "Kwassikro",
        "CI-5519-0087",
        "+225 05 11 22 93 47",
        "Gbatongouin",
        "Céphalées pulsatiles",
        "Chauffeur de taxi",
        "prurit généralisé",
        date(2019, 11, 30),
    ),
)


def all_exported_bytes(paths: list[Path]) -> bytes:
    return b"".join(path.read_bytes() for path in paths)


def rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def clinic_work(
    nurse: Session, doctor: Session, storekeeper: Session
) -> list[tuple[str, str, str]]:
    """Two patients with distinctive identities, each seen, diagnosed, prescribed, dispensed.

    Returns (patient id, consultation id, prescription id) per patient.
    """
    with storekeeper.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
    paracetamol = find_by_gtin(storekeeper, PARACETAMOL)
    assert paracetamol is not None
    receive_stock(storekeeper, ReceiptLine(PARACETAMOL, "PX-0042", date(2032, 6, 30), 500))
    made = []
    for given, family, national, phone, village, complaint, notes, reaction, born in PEOPLE:
        patient = register_patient(
            nurse, PatientForm(given, family, "female", born, national, phone, village)
        )
        consultation = record_consultation(
            nurse,
            ConsultationForm(
                patient.id,
                complaint,
                vitals={"systolic": 142, "diastolic": 91, "temperature": 37.9, "weight": 61},
                notes=notes,
                new_allergies=(("Pénicilline", reaction),),
            ),
        )
        add_diagnosis(doctor, consultation.id, MALARIA)
        prescription = write_prescription(
            doctor,
            patient_id=patient.id,
            encounter_id=consultation.id,
            lines=[PrescriptionLine(paracetamol.id, "1 comprimé matin", "3 fois", 5, 15)],
        )
        dispense_prescription(storekeeper, prescription.id)
        made.append((patient.id, consultation.id, prescription.id))
    return made


def test_no_identifier_survives_the_export(
    admin: Session, clinic_work: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    (tmp_path / "usb").mkdir()
    paths = export_deidentified_csv(admin, tmp_path / "usb")
    assert sorted(p.name for p in paths) == [
        "consultations.csv",
        "diagnoses.csv",
        "prescriptions.csv",
        "stock_movements.csv",
    ]
    exported = all_exported_bytes(paths)
    text = exported.decode("utf-8").casefold()
    forbidden: list[str] = []
    for given, family, national, phone, village, complaint, notes, reaction, born in PEOPLE:
        forbidden += [given, family, national, national.replace("-", ""), village, reaction]
        forbidden += [phone, phone.replace(" ", ""), phone.replace(" ", "")[-8:]]
        forbidden += [word for word in (complaint + " " + notes).split() if len(word) > 3]
        forbidden.append(born.isoformat())
    for patient_id, consultation_id, prescription_id in clinic_work:
        forbidden += [patient_id, consultation_id, prescription_id]
        forbidden += [patient_id.replace("-", ""), consultation_id.replace("-", "")]
    forbidden += ["1 comprimé matin", "ORD-"]  # typed dose, document number
    for word in forbidden:
        assert word.casefold() not in text, word

    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not list((tmp_path / "usb").glob(".*"))  # no temporary file left behind


def test_the_export_keeps_what_statistics_need(
    admin: Session, clinic_work: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    export_deidentified_csv(admin, folder)
    consultations = rows(folder / "consultations.csv")
    assert len(consultations) == 2
    first = consultations[0]
    assert first["loinc_8480-6"] == "142.0"
    assert first["loinc_8310-5"] == "37.9"
    assert first["loinc_8302-2"] == ""  # not measured
    assert {c["age_band"] for c in consultations} == {"65+", "5-14"}
    assert {c["sex"] for c in consultations} == {"female"}
    assert all(len(c["visit_date"]) == 10 for c in consultations)
    assert all(len(c["national_number"]) == 16 for c in consultations)
    diagnoses = rows(folder / "diagnoses.csv")
    assert [(d["code"], d["title"]) for d in diagnoses] == [
        (MALARIA, "Malaria due to Plasmodium falciparum, unspecified")
    ] * 2
    assert {d["consultation"] for d in diagnoses} == {c["consultation"] for c in consultations}
    prescriptions = rows(folder / "prescriptions.csv")
    assert [
        (p["gtin"], p["quantity_prescribed"], p["quantity_dispensed"]) for p in prescriptions
    ] == [(PARACETAMOL, "15", "15")] * 2
    movements = rows(folder / "stock_movements.csv")
    assert sorted((m["kind"], m["quantity"]) for m in movements) == [
        ("dispense", "-15"),
        ("dispense", "-15"),
        ("receipt", "500"),
    ]
    assert set(movements[0]) == {
        "clinic",
        "date",
        "gtin",
        "atc",
        "drug",
        "unit",
        "lot",
        "expiry",
        "kind",
        "quantity",
    }
    audit = admin.store.one(
        "SELECT detail FROM audit_events WHERE action = 'export_deidentified' ORDER BY seq DESC"
    )
    assert audit is not None
    assert audit["detail"] == "consultations=2;diagnoses=2;prescriptions=2;stock_movements=3"


def test_pseudonyms_are_stable_across_exports_and_differ_between_patients(
    admin: Session, clinic_work: list[tuple[str, str, str]], tmp_path: Path
) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        export_deidentified_csv(admin, tmp_path / name)
    first = rows(tmp_path / "a" / "consultations.csv")
    second = rows(tmp_path / "b" / "consultations.csv")
    assert [r["patient"] for r in first] == [r["patient"] for r in second]
    assert [r["national_number"] for r in first] == [r["national_number"] for r in second]
    assert first[0]["patient"] != first[1]["patient"]
    assert first[0]["national_number"] != first[1]["national_number"]
    assert first[0]["patient"] != first[0]["national_number"]  # domains kept apart
    by_prescription = rows(tmp_path / "a" / "prescriptions.csv")
    assert {r["patient"] for r in by_prescription} == {r["patient"] for r in first}
    assert (tmp_path / "a" / "consultations.csv").read_bytes() == (
        tmp_path / "b" / "consultations.csv"
    ).read_bytes()


def test_only_the_admin_exports_and_a_missing_stick_is_a_clear_error(
    admin: Session, nurse: Session, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        export_deidentified_csv(nurse, tmp_path)
    with pytest.raises(FolderUnavailable) as refused:
        export_deidentified_csv(admin, tmp_path / "not-plugged-in" / "x")
    assert "USB stick" in str(refused.value)


@pytest.mark.parametrize(
    ("born", "on", "band"),
    [
        (date(2020, 6, 1), date(2025, 5, 31), "0-4"),
        (date(2020, 6, 1), date(2025, 6, 1), "5-14"),
        (date(2000, 1, 1), date(2025, 1, 1), "25-44"),
        (date(1960, 1, 2), date(2025, 1, 1), "45-64"),
        (date(1960, 1, 1), date(2025, 1, 1), "65+"),
        (None, date(2025, 1, 1), ""),
    ],
)
def test_age_bands(born: date | None, on: date, band: str) -> None:
    assert age_band(born, on) == band


def test_a_stick_that_fills_up_gets_all_four_files_or_none(
    admin: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clinic_app.reports.deidentified as module

    real = module.write_atomically
    written: list[Path] = []

    def fills_up_at_the_third(path: Path, chunks: Any, **options: Any) -> int:
        if len(written) == 2:
            raise FolderUnavailable(path=str(path.parent))  # as the real one says ENOSPC
        written.append(path)
        return real(path, chunks, **options)

    monkeypatch.setattr(module, "write_atomically", fills_up_at_the_third)
    stick = tmp_path / "usb"
    stick.mkdir()
    with pytest.raises(FolderUnavailable):
        export_deidentified_csv(admin, stick)
    assert list(stick.iterdir()) == []  # no half export, no work folder
    events = admin.store.all("SELECT 1 FROM audit_events WHERE action = 'export_deidentified'")
    assert events == []
