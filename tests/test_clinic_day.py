"""A clinic's whole day, end to end, through the services, on real parts.

A real SQLCipher file, a real ``clinic-central`` process on 127.0.0.1 (its own
SQLite database), real PDFs read back. Part of the day happens while central
is stopped; that work reaches central once it is back — once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from central_process import CHEAP_HASHER, OPERATOR, CentralProcess
from pypdf import PdfReader
from sync_helpers import FAST, central_change_count, central_copies, clinic_records

from central.db import create_tables, make_engine
from central.services import create_operator
from clinic_app.clock import local_date, utc_now
from clinic_app.documents.pdf import prescription_pdf, sick_leave_pdf
from clinic_app.documents.signing import verify_document
from clinic_app.inventory.catalogue import find_by_gtin, list_catalogue
from clinic_app.inventory.scanning import parse_scan
from clinic_app.inventory.stock import (
    ExpiredLot,
    InsufficientStock,
    ReceiptLine,
    dispense_prescription,
    receive_stock,
    stock_on_hand,
)
from clinic_app.records.certificates import SickLeaveForm, issue_sick_leave_certificate
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.diagnoses import add_diagnosis
from clinic_app.records.icd11 import search_icd11
from clinic_app.records.patients import PatientForm, open_chart, register_patient, search_patients
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription
from clinic_app.resources import resource_path
from clinic_app.security.accounts import create_clinic, create_user, login
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST
from clinic_app.sync.errors import ServerUnreachable
from clinic_app.sync.service import enrol_clinic, pending_changes, sync_now
from clinic_app.sync.status import SyncMonitor, SyncState

STAFF = {
    "infirmiere": ("Adjoua Yao", Role.NURSE, "adjoua-salle-3"),
    "medecin": ("Dr Awa Koné", Role.DOCTOR, "awa-consult-7"),
    "magasin": ("Mamadou Diallo", Role.STOREKEEPER, "stock-diallo-5"),
}


@pytest.fixture
def central(tmp_path: Path) -> Iterator[CentralProcess]:
    server = CentralProcess(tmp_path / "central")
    engine = make_engine(server.database_url)
    create_tables(engine)
    create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
    engine.dispose()
    server.run_cli("seed-catalogue", str(resource_path("demo", "catalogue.tsv")))
    with server:
        yield server


def sign_in(data_dir: Path, username: str) -> Session:
    return login(data_dir, username, STAFF[username][2])


def test_a_clinic_day_from_first_start_to_central(tmp_path: Path, central: CentralProcess) -> None:
    data_dir = tmp_path / "clinic"

    # 1. First start: an encrypted clinic and its administrator, then the team.
    admin = create_clinic(
        data_dir,
        clinic_name="Centre de santé de Treichville",
        site_code="TRV",
        timezone="Africa/Abidjan",
        admin_username="admin",
        admin_password="admin-pass-1",
        admin_display_name="Aïcha Bamba",
        cost=TEST_COST,
    )
    for username, (name, role, password) in STAFF.items():
        create_user(
            admin,
            username=username,
            display_name=name,
            roles={role},
            password=password,
            cost=TEST_COST,
        )

    # 6a. Enrolment, and the catalogue (master data) comes from central.
    enrol_clinic(admin, central.base_url, *OPERATOR, timeout=FAST)
    sync_now(admin, timeout=FAST)
    assert len(list_catalogue(admin)) == 30
    admin.close()

    # 3. Nurse: registers, finds, records a consultation with vitals and an allergy.
    nurse = sign_in(data_dir, "infirmiere")
    zoe = register_patient(
        nurse,
        PatientForm(
            "Zoé", "N'Guessan", "female", None, "CI0123456789", "+225 07 11 22 33", "Bouaké"
        ),
    )
    register_patient(nurse, PatientForm("Marie", "Laurent", "female"))
    register_patient(nurse, PatientForm("Laurent", "Marie", "male"))
    assert [p.id for p in search_patients(nurse, "nguessan zoe")] == [zoe.id]
    assert len(search_patients(nurse, "Laurent")) == 2
    assert search_patients(nurse, "100%") == []
    visit = record_consultation(
        nurse,
        ConsultationForm(
            zoe.id,
            "Fièvre et frissons depuis 3 jours",
            {"temperature": 39.2, "heart_rate": 104, "systolic": 118, "diastolic": 74},
            "TDR paludisme positif",
            (("Sulfamides", "éruption"),),
        ),
    )
    nurse.close()

    # 4. Doctor: ICD-11 by the clinic's word, a prescription, a sick-leave certificate, PDFs.
    doctor = sign_in(data_dir, "medecin")
    assert open_chart(doctor, zoe.id).full_name == "Zoé N'Guessan"
    malaria = search_icd11(doctor, "paludisme")[0]
    add_diagnosis(doctor, visit.id, malaria.code)
    act = find_by_gtin(doctor, "06141410000410")
    paracetamol = find_by_gtin(doctor, "03614142000018")
    assert act is not None
    assert paracetamol is not None
    rx = write_prescription(
        doctor,
        patient_id=zoe.id,
        encounter_id=visit.id,
        lines=[
            PrescriptionLine(act.id, "4 comprimés", "2 fois par jour", 3, 24),
            PrescriptionLine(paracetamol.id, "1 comprimé", "3 fois par jour", 3, 9),
        ],
    )
    today = local_date(utc_now(), doctor.zone)
    certificate = issue_sick_leave_certificate(
        doctor, SickLeaveForm(zoe.id, visit.id, today, 3, "initial", False, malaria.code)
    )
    assert certificate.end_date == today + timedelta(days=2)
    rx_text = _pdf_text(prescription_pdf(doctor, rx.id, tmp_path / "rx.pdf"))
    patient_copy = _pdf_text(sick_leave_pdf(doctor, certificate.id, tmp_path / "at.pdf"))
    employer_copy = _pdf_text(
        sick_leave_pdf(doctor, certificate.id, tmp_path / "at-emp.pdf", employer_copy=True)
    )
    for text in (rx_text, patient_copy, employer_copy):
        assert "N'GUESSAN" in text.upper()
        assert "Zoé" in text
        assert today.strftime("%d/%m/%Y") in text
    assert rx.number in rx_text
    assert certificate.number in employer_copy
    assert malaria.code in patient_copy
    assert malaria.code not in employer_copy
    assert malaria.title not in employer_copy
    public_key = doctor.store.setting("signing_public_key") or ""
    assert verify_document(rx.signature, public_key)["n"] == rx.number
    doctor.close()

    # 5. Storekeeper: receives by scanning, refuses an expired lot, dispenses FEFO.
    store = sign_in(data_dir, "magasin")
    for raw, quantity in (
        ("01036141420000181727063010LOT2024A", 500),  # paracetamol, 2027-06-30
        ("(01)06141410000410(17)270531(10)K-552", 120),  # ACT, 2027-05-31
        ("]C101054001234567871728013110A1B2C3", 10),  # amoxicillin syrup
    ):
        scan = parse_scan(raw, today=today)
        receive_stock(store, ReceiptLine(scan.gtin, scan.lot or "", scan.expiry, quantity))
    expired = parse_scan("]d2010880015431002210BX7781\x1d17261130", today=today)
    assert expired.expiry is not None
    assert expired.expiry < today  # the sample's lot expired on 2026-11-30
    with pytest.raises(ExpiredLot):
        receive_stock(store, ReceiptLine(expired.gtin, expired.lot or "", expired.expiry, 5))
    dispensed = dispense_prescription(store, rx.id)
    assert sum(d.quantity for d in dispensed) == 33
    on_hand = {(line.item.gtin, line.lot): line.quantity for line in stock_on_hand(store)}
    assert on_hand[("06141410000410", "K-552")] == 96
    assert on_hand[("03614142000018", "LOT2024A")] == 491
    doctor = sign_in(data_dir, "medecin")
    too_much = write_prescription(
        doctor,
        patient_id=zoe.id,
        encounter_id=None,
        lines=[PrescriptionLine(act.id, "4 comprimés", "2 fois par jour", 3, 1000)],
    )
    doctor.close()
    with pytest.raises(InsufficientStock):
        dispense_prescription(store, too_much.id)

    # 6b. Sync: everything so far reaches central.
    monitor = SyncMonitor.from_store(store.store)
    sync_now(store, monitor=monitor, timeout=FAST)
    assert monitor.status().state is SyncState.UP_TO_DATE
    assert pending_changes(store.store) == 0

    # 6c. Central goes down; the nurse keeps working; nothing is lost.
    central.stop()
    nurse = sign_in(data_dir, "infirmiere")
    offline_patient = register_patient(nurse, PatientForm("Koffi", "Kouassi-Yao", "male"))
    record_consultation(nurse, ConsultationForm(offline_patient.id, "Toux", {"spo2": 96}))
    waiting = pending_changes(nurse.store)
    assert waiting >= 3
    monitor = SyncMonitor.from_store(nurse.store)
    with pytest.raises(ServerUnreachable):
        sync_now(nurse, monitor=monitor, timeout=FAST)
    assert monitor.status().state is SyncState.OFFLINE
    assert pending_changes(nurse.store) == waiting

    # 6d. Central is back: the offline work arrives, once; a second sync sends nothing.
    central.start()
    sync_now(nurse, monitor=monitor, timeout=FAST)
    assert monitor.status().state is SyncState.UP_TO_DATE
    assert pending_changes(nurse.store) == 0
    held = clinic_records(nurse)
    on_central = central_copies(central, nurse.site_id, held)
    assert on_central == held  # every record, exactly once
    assert ("patient", offline_patient.id) in on_central
    changes_before = central_change_count(central)
    report = sync_now(nurse, timeout=FAST)
    assert report.pushed == 0
    assert central_change_count(central) == changes_before
    nurse.close()
    store.close()

    # Nothing the clinic wrote holds a patient's name or number in plain text.
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in ("N'Guessan", "Kouassi-Yao", "CI0123456789", "Sulfamides"):
                for encoded in (secret.encode("utf-8"), secret.encode("utf-16-le")):
                    assert encoded not in data, f"{secret} readable in {path.name}"


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
