"""Every role against every guarded service: allowed, or refused before anything is written.

The rule lives in one table (security/permissions.py); this walks the
services a window can call with each role and checks the service itself says
yes or no — hiding a button is never the guard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from clinic_app.documents.pdf import prescription_pdf
from clinic_app.errors import ClinicError, PermissionDenied
from clinic_app.inventory.catalogue import (
    list_catalogue,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.inventory.stock import (
    ReceiptLine,
    dispense_prescription,
    receive_stock,
    stock_on_hand,
    write_off_expired,
)
from clinic_app.records.certificates import SickLeaveForm, issue_sick_leave_certificate
from clinic_app.records.consultations import ConsultationForm, record_allergy, record_consultation
from clinic_app.records.diagnoses import add_diagnosis
from clinic_app.records.icd11 import search_icd11
from clinic_app.records.patients import PatientForm, open_chart, register_patient, search_patients
from clinic_app.records.prescriptions import (
    PrescriptionLine,
    list_prescriptions,
    write_prescription,
)
from clinic_app.reports.deidentified import export_deidentified_csv
from clinic_app.resources import resource_path
from clinic_app.security.accounts import create_user, login
from clinic_app.security.audit import audit_entries
from clinic_app.security.consent import record_consent
from clinic_app.security.emergency import emergency_accesses_to_review, open_chart_in_emergency
from clinic_app.security.permissions import PERMISSIONS, Action, Role
from clinic_app.security.settings import set_idle_lock_minutes
from clinic_app.session import Session
from clinic_app.storage.backup import backup_clinic
from clinic_app.storage.keys import TEST_COST
from tests.conftest import PASSWORDS

USERS = {Role.NURSE: "nurse", Role.DOCTOR: "doctor", Role.STOREKEEPER: "store", Role.ADMIN: "admin"}


@pytest.fixture
def world(clinic_dir: Path) -> dict[str, Any]:
    """A patient, a consultation and a prescription, made by a doctor-and-admin."""
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    create_user(
        admin,
        username="boss",
        display_name="Tout",
        roles=set(Role),
        password="boss-pass-1",
        cost=TEST_COST,
    )
    admin.close()
    boss = login(clinic_dir, "boss", "boss-pass-1")
    with boss.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
    item = list_catalogue(boss)[0]
    patient = register_patient(boss, PatientForm("Zoé", "N'Guessan", "female"))
    visit = record_consultation(boss, ConsultationForm(patient.id, "Fièvre"))
    rx = write_prescription(
        boss,
        patient_id=patient.id,
        encounter_id=visit.id,
        lines=[PrescriptionLine(item.id, "1", "3/j", 3, 9)],
    )
    receive_stock(boss, ReceiptLine(item.gtin, "L1", date.today() + timedelta(days=700), 100))
    boss.close()
    return {
        "patient": patient.id,
        "visit": visit.id,
        "rx": rx.id,
        "item": item,
        "tmp": clinic_dir.parent,
    }


SERVICES: dict[Action, Callable[[Session, dict[str, Any]], object]] = {
    Action.SEARCH_PATIENTS: lambda s, w: search_patients(s, "zoe"),
    Action.OPEN_CHART: lambda s, w: open_chart(s, w["patient"]),
    Action.REGISTER_PATIENT: lambda s, w: register_patient(s, PatientForm("Awa", "Koné", "female")),
    Action.RECORD_CONSULTATION: lambda s, w: record_consultation(
        s, ConsultationForm(w["patient"], "Toux")
    ),
    Action.RECORD_ALLERGY: lambda s, w: record_allergy(s, w["patient"], "Pénicilline"),
    Action.DIAGNOSE: lambda s, w: (search_icd11(s, "palu"), add_diagnosis(s, w["visit"], "1F4Z")),
    Action.PRESCRIBE: lambda s, w: write_prescription(
        s,
        patient_id=w["patient"],
        encounter_id=None,
        lines=[PrescriptionLine(w["item"].id, "1", "1/j", 1, 1)],
    ),
    Action.ISSUE_SICK_LEAVE: lambda s, w: issue_sick_leave_certificate(
        s, SickLeaveForm(w["patient"], None, date.today(), 2, "initial", True)
    ),
    Action.VIEW_STOCK: lambda s, w: stock_on_hand(s),
    Action.RECEIVE_STOCK: lambda s, w: receive_stock(
        s, ReceiptLine(w["item"].gtin, "L2", date.today() + timedelta(days=700), 5)
    ),
    Action.DISPENSE: lambda s, w: dispense_prescription(s, w["rx"]),
    Action.VIEW_PRESCRIPTIONS: lambda s, w: list_prescriptions(s),
    Action.MANAGE_USERS: lambda s, w: create_user(
        s,
        username="newcomer",
        display_name="N",
        roles={Role.NURSE},
        password="newcomer-pass",
        cost=TEST_COST,
    ),
    Action.MANAGE_SETTINGS: lambda s, w: set_idle_lock_minutes(s, 7),
    Action.PRINT_DOCUMENT: lambda s, w: prescription_pdf(s, w["rx"], w["tmp"] / "rx.pdf"),
    Action.WRITE_OFF_STOCK: lambda s, w: write_off_expired(s, w["item"].id, "L1"),
    Action.RECORD_CONSENT: lambda s, w: record_consent(s, w["patient"], False, False),
    Action.EMERGENCY_ACCESS: lambda s, w: open_chart_in_emergency(
        s, w["patient"], "Malaise dans la salle d'attente"
    ),
    Action.REVIEW_EMERGENCY_ACCESS: lambda s, w: emergency_accesses_to_review(s),
    Action.VIEW_AUDIT: lambda s, w: audit_entries(s),
    Action.EXPORT_DEIDENTIFIED: lambda s, w: export_deidentified_csv(s, w["tmp"]),
    Action.BACKUP: lambda s, w: backup_clinic(s, w["tmp"]),
}


def _table_rows() -> int:
    return sum(len(v) for v in PERMISSIONS.values())


@pytest.mark.parametrize("role", list(Role))
def test_every_role_against_every_guarded_service(
    clinic_dir: Path, world: dict[str, Any], role: Role
) -> None:
    session = login(clinic_dir, USERS[role], PASSWORDS[USERS[role]])
    try:
        for action, service in SERVICES.items():
            allowed = action in PERMISSIONS[role]
            outbox_before = session.store.one("SELECT count(*) AS n FROM outbox")["n"]
            try:
                service(session, world)
            except PermissionDenied:
                assert not allowed, f"{role} was refused {action}"
                outbox_after = session.store.one("SELECT count(*) AS n FROM outbox")["n"]
                assert outbox_after == outbox_before, f"{action} wrote before refusing"
                continue
            except ClinicError as other:  # allowed, then refused for another reason
                assert allowed, f"{role} reached {action}'s rules: {other}"  # noqa: PT017
                continue
            assert allowed, f"{role} was allowed {action}"
    finally:
        session.close()


def test_every_action_has_a_guarded_service_or_is_wired_elsewhere() -> None:
    # Wired where no session exists yet (restore into a fresh install) or to central.
    elsewhere = {Action.ENROL_CLINIC, Action.SYNC, Action.RESTORE}
    assert set(Action) == set(SERVICES) | elsewhere
    assert _table_rows() > 0


def test_every_refusal_names_the_action_in_words(nurse: Session) -> None:
    from clinic_app.security.permissions import ACTION_NAMES

    assert set(ACTION_NAMES) == set(Action)
    with pytest.raises(PermissionDenied) as caught:
        nurse.require(Action.MANAGE_USERS)
    assert str(caught.value) == (
        "Your role does not allow you to manage user accounts and keys. Ask a colleague who may."
    )
