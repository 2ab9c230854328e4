"""Consent: a patient who does not share with central never has a record sent there.

Real SQLCipher clinics; the sync tests run against a real central process.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

import pytest
from central_process import CentralProcess
from sync_helpers import FAST, central_copies, enrol

from clinic_app.clock import local_date, utc_now
from clinic_app.errors import NotFound, PermissionDenied
from clinic_app.inventory.catalogue import (
    list_catalogue,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.inventory.stock import ReceiptLine, receive_stock
from clinic_app.records.certificates import SickLeaveForm, issue_sick_leave_certificate
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.diagnoses import add_diagnosis
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription
from clinic_app.resources import resource_path
from clinic_app.security.audit import verify_audit_chain
from clinic_app.security.consent import (
    POLICY_SETTING,
    consent_history,
    current_consent,
    held_back_changes,
    record_consent,
    set_consent_policy,
)
from clinic_app.session import Session
from clinic_app.sync.service import pending_changes, sync_now
from clinic_app.sync.status import SyncMonitor, SyncState

MALARIA = "1F40.Z"
PARACETAMOL = "03614142000018"


def register(session: Session, given: str, family: str) -> str:
    return register_patient(session, PatientForm(given, family, "female", date(1988, 5, 17))).id


def full_visit(nurse: Session, doctor: Session, patient_id: str) -> None:
    """Every kind of record a patient can have: consultation, vitals, allergy,
    diagnosis, prescription with items, sick-leave certificate."""
    consultation = record_consultation(
        nurse,
        ConsultationForm(
            patient_id=patient_id,
            complaint="Fièvre et frissons",
            vitals={"temperature": 39.1, "heart_rate": 104, "weight": 58},
            new_allergies=(("Sulfamides", "éruption"),),
        ),
    )
    add_diagnosis(doctor, consultation.id, MALARIA)
    items = [item.id for item in list_catalogue(doctor)]
    write_prescription(
        doctor,
        patient_id=patient_id,
        encounter_id=consultation.id,
        lines=[
            PrescriptionLine(items[0], "1 comprimé", "3 fois par jour", 5, 15),
            PrescriptionLine(items[1], "1 sachet", "2 fois par jour", 3, 6),
        ],
    )
    issue_sick_leave_certificate(
        doctor,
        SickLeaveForm(
            patient_id,
            consultation.id,
            local_date(utc_now(), doctor.zone),
            3,
            "initial",
            outings_allowed=True,
        ),
    )


def records_of(session: Session, patient_id: str) -> Counter[tuple[str, str]]:
    """Every record of one patient the clinic would send, by (kind, id)."""
    held: Counter[tuple[str, str]] = Counter({("patient", patient_id): 1})
    for kind, table in (
        ("encounter", "encounters"),
        ("observation", "observations"),
        ("allergy", "allergies"),
        ("diagnosis", "diagnoses"),
        ("prescription", "prescriptions"),
        ("sick_leave_certificate", "sick_leave_certificates"),
    ):
        rows: list[Any] = session.store.all(
            f"SELECT id FROM {table} WHERE patient_id = ?", (patient_id,)
        )
        held.update((kind, row["id"]) for row in rows)
    items: list[Any] = session.store.all(
        "SELECT i.id FROM prescription_items i JOIN prescriptions p ON p.id = i.prescription_id "
        "WHERE p.patient_id = ?",
        (patient_id,),
    )
    held.update(("prescription_item", row["id"]) for row in items)
    return held


@pytest.fixture
def catalogue(doctor: Session) -> None:
    with doctor.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))


def count_kind(session: Session, table: str, kind: str) -> int:
    row = session.store.one(f"SELECT count(*) AS n FROM {table} WHERE kind = ?", (kind,))
    assert row is not None
    return int(row["n"])


def count(session: Session, table: str) -> int:
    row = session.store.one(f"SELECT count(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


def held_changes(session: Session) -> Counter[tuple[str, str]]:
    """What waits in outbox_held, by (kind, id)."""
    rows: list[Any] = session.store.all("SELECT kind, record_id FROM outbox_held")
    return Counter((row["kind"], row["record_id"]) for row in rows)


def clinical(changes: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """``changes`` without consent decisions and audit entries: since issue 3 those are
    held and sent with the patient's records too (tests/test_sync_consent.py)."""
    return Counter(
        {key: n for key, n in changes.items() if key[0] not in ("patient_consent", "audit_entry")}
    )


def audit_actions(session: Session, action: str) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in session.store.all(
            "SELECT * FROM audit_events WHERE action = ? ORDER BY seq", (action,)
        )
    ]


# --- recording consent ------------------------------------------------------------------


def test_consent_follows_the_clinic_policy_until_the_patient_decides(
    nurse: Session, admin: Session
) -> None:
    patient = register(nurse, "Awa", "Traoré")
    consent = current_consent(nurse, patient)
    assert consent.is_default
    assert (consent.share_with_central, consent.share_with_clinics) == (True, False)

    set_consent_policy(admin, False)
    assert admin.store.setting(POLICY_SETTING) == "0"
    assert current_consent(nurse, patient).share_with_central is False
    set_consent_policy(admin, True)

    first = record_consent(nurse, patient, share_with_central=False, share_with_clinics=True)
    second = record_consent(nurse, patient, share_with_central=True, share_with_clinics=False)
    now = current_consent(nurse, patient)
    assert not now.is_default
    assert (now.id, now.share_with_central, now.share_with_clinics) == (second.id, True, False)
    assert now.recorded_by == nurse.actor.user_id
    assert now.recorded_by_name == nurse.actor.display_name
    history = consent_history(nurse, patient)
    assert [c.id for c in history] == [second.id, first.id]  # newest first, nothing replaced

    audited = audit_actions(nurse, "record_consent")
    assert [(a["object_id"], a["patient_id"]) for a in audited] == [
        (first.id, patient),
        (second.id, patient),
    ]
    assert audited[0]["detail"] == "central=0;clinics=1"
    assert [a["detail"] for a in audit_actions(admin, "set_consent_policy")] == [
        "central=0",
        "central=1",
    ]
    assert verify_audit_chain(nurse.store).intact


def test_only_allowed_roles_record_consent_or_set_the_policy(
    nurse: Session, storekeeper: Session
) -> None:
    patient = register(nurse, "Awa", "Traoré")
    with pytest.raises(PermissionDenied):
        record_consent(storekeeper, patient, False, False)
    with pytest.raises(PermissionDenied):
        current_consent(storekeeper, patient)
    with pytest.raises(PermissionDenied):
        set_consent_policy(nurse, False)
    with pytest.raises(NotFound):
        record_consent(nurse, "no-such-patient", False, False)
    assert count(nurse, "patient_consents") == 0


def test_a_withheld_patients_changes_are_held_not_counted_and_not_lost(
    nurse: Session, doctor: Session, catalogue: None
) -> None:
    shared = register(nurse, "Awa", "Traoré")
    private = register(nurse, "Mariam", "Sangaré")
    record_consent(nurse, private, share_with_central=False, share_with_clinics=False)
    held = held_changes(nurse)
    assert clinical(held) == Counter({("patient", private): 1})  # the patient row, held at once
    # ...with the decision itself and the audit entry of the registration (about them).
    assert {kind for kind, _ in held} == {"patient", "patient_consent", "audit_entry"}
    full_visit(nurse, doctor, private)
    full_visit(nurse, doctor, shared)
    private_records = sum(records_of(nurse, private).values())
    shared_records = sum(records_of(nurse, shared).values())
    in_outbox = count(nurse, "outbox")
    # Written after the decision, they sit in the outbox until sorted, but the
    # status bar never counts them as "waiting to be sent".
    audit_waiting = count_kind(nurse, "outbox", "audit_entry")
    assert (
        pending_changes(nurse.store)
        == in_outbox - (private_records - 1)
        == shared_records + audit_waiting
    )
    assert nurse.store.setting(POLICY_SETTING) is None  # no policy set: "share"


# --- sync with a real central ------------------------------------------------------------


def test_a_patient_without_consent_never_reaches_central_until_consent_is_given(
    admin: Session,
    nurse: Session,
    doctor: Session,
    storekeeper: Session,
    catalogue: None,
    central: CentralProcess,
) -> None:
    enrol(admin, central)
    consenting = register(nurse, "Awa", "Traoré")
    refusing = register(nurse, "Mariam", "Sangaré")
    record_consent(nurse, refusing, share_with_central=False, share_with_clinics=False)
    full_visit(nurse, doctor, consenting)
    full_visit(nurse, doctor, refusing)
    movement = receive_stock(storekeeper, ReceiptLine(PARACETAMOL, "LOT-1", date(2031, 1, 31), 100))
    refused_records = records_of(nurse, refusing)
    consented_records = records_of(nurse, consenting)
    assert len(refused_records) >= 9  # patient, encounter, 3 vitals, allergy, diagnosis, ...
    assert {kind for kind, _ in refused_records} == {
        "patient",
        "encounter",
        "observation",
        "allergy",
        "diagnosis",
        "prescription",
        "prescription_item",
        "sick_leave_certificate",
    }
    monitor = SyncMonitor.from_store(nurse.store)

    report = sync_now(nurse, monitor=monitor, timeout=FAST, max_batch_changes=4)

    assert central_copies(central, nurse.site_id, consented_records) == consented_records
    assert central_copies(central, nurse.site_id, refused_records) == Counter()
    stock = Counter({("stock_movement", movement): 1})  # no patient in it: it travels
    assert central_copies(central, nurse.site_id, stock) == stock
    assert report.pending == 0
    assert count(nurse, "outbox") == 0
    assert clinical(held_changes(nurse)) == refused_records
    # "Up to date" is true: everything the patients allowed has reached central.
    assert monitor.status().state is SyncState.UP_TO_DATE

    # Consent given later: the held records go, each exactly once.
    record_consent(nurse, refusing, share_with_central=True, share_with_clinics=False)
    assert held_back_changes(nurse.store) == 0
    assert pending_changes(nurse.store) == count(nurse, "outbox") > sum(refused_records.values())
    monitor.changes_waiting(pending_changes(nurse.store))
    assert monitor.status().state is SyncState.WAITING
    later = sync_now(nurse, monitor=monitor, timeout=FAST)
    assert later.pushed >= sum(refused_records.values())  # with their decisions and audit
    assert central_copies(central, nurse.site_id, refused_records) == refused_records
    again = sync_now(nurse, timeout=FAST)
    assert again.pushed == 0
    assert central_copies(central, nurse.site_id, refused_records) == refused_records
    assert monitor.status().state is SyncState.UP_TO_DATE


def test_withdrawn_consent_holds_new_records_and_central_keeps_what_it_had(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    patient = register(nurse, "Fatou", "Diarra")
    record_consultation(nurse, ConsultationForm(patient, "Toux"))
    before = records_of(nurse, patient)
    sync_now(nurse, timeout=FAST)
    assert central_copies(central, nurse.site_id, before) == before

    record_consent(nurse, patient, share_with_central=False, share_with_clinics=False)
    record_consultation(nurse, ConsultationForm(patient, "Toux, contrôle"))
    after = records_of(nurse, patient) - before
    assert after
    report = sync_now(nurse, timeout=FAST)
    # Only the withdrawal goes: central held the patient, and must stop sharing them.
    assert report.pushed == 1
    withdrawal = current_consent(nurse, patient).id
    assert withdrawal is not None
    decision = Counter({("patient_consent", withdrawal): 1})
    assert central_copies(central, nurse.site_id, decision) == decision
    assert central_copies(central, nurse.site_id, after) == Counter()
    assert central_copies(central, nurse.site_id, before) == before  # a later issue
    assert clinical(held_changes(nurse)) == after


def test_clinic_policy_no_holds_everyone_without_a_decision(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    set_consent_policy(admin, False)
    silent = register(nurse, "Kadi", "Ouattara")
    agreeing = register(nurse, "Ami", "Coulibaly")
    record_consent(nurse, agreeing, share_with_central=True, share_with_clinics=False)
    sync_now(nurse, timeout=FAST)
    assert central_copies(central, nurse.site_id, records_of(nurse, silent)) == Counter()
    assert central_copies(central, nurse.site_id, records_of(nurse, agreeing)) == records_of(
        nurse, agreeing
    )
    set_consent_policy(admin, True)
    sync_now(nurse, timeout=FAST)
    assert central_copies(central, nurse.site_id, records_of(nurse, silent)) == records_of(
        nurse, silent
    )


def test_consent_withdrawn_while_a_batch_is_on_the_wire_sends_nothing_twice(
    admin: Session, nurse: Session, central: CentralProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clinic_app.sync.client import CentralClient

    enrol(admin, central)
    patient = register(nurse, "Rokia", "Bamba")
    record_consultation(nurse, ConsultationForm(patient, "Paludisme ?"))
    sent = records_of(nurse, patient)
    real_push = CentralClient.push
    withdrawn: list[int] = []

    def push_while_consent_is_withdrawn(self: CentralClient, *args: Any, **kwargs: Any) -> Any:
        if not withdrawn:
            record_consent(nurse, patient, share_with_central=False, share_with_clinics=False)
            withdrawn.append(held_back_changes(nurse.store))
        return real_push(self, *args, **kwargs)

    monkeypatch.setattr(CentralClient, "push", push_while_consent_is_withdrawn)
    sync_now(nurse, timeout=FAST)

    # Held meanwhile: the records, their audit entries and the withdrawal itself...
    assert withdrawn == [sum(sent.values()) + 3]
    assert central_copies(central, nurse.site_id, sent) == sent  # ...but already on the wire
    # Acknowledged: not kept to send again; the withdrawal went once central held the patient
    # (only the audit entry of the withdrawal, about the patient, waits with them).
    assert set(held_changes(nurse)) == {
        ("audit_entry", a["id"]) for a in audit_actions(nurse, "record_consent")
    }
    withdrawal = current_consent(nurse, patient).id
    assert withdrawal is not None
    decision = Counter({("patient_consent", withdrawal): 1})
    assert central_copies(central, nurse.site_id, decision) == decision
    monkeypatch.setattr(CentralClient, "push", real_push)
    record_consent(nurse, patient, share_with_central=True, share_with_clinics=False)
    waiting: list[Any] = nurse.store.all("SELECT DISTINCT kind FROM outbox")
    assert {row["kind"] for row in waiting} <= {"patient_consent", "audit_entry"}
    sync_now(nurse, timeout=FAST)
    assert central_copies(central, nurse.site_id, sent) == sent


def test_a_withheld_patients_dispensing_travels_without_its_prescription_link(
    nurse: Session, doctor: Session, storekeeper: Session, catalogue: None
) -> None:
    from clinic_app.inventory.catalogue import find_by_gtin
    from clinic_app.inventory.stock import dispense_prescription
    from clinic_app.security.consent import sort_outbox_by_consent

    patient_id = register(nurse, "Zoé", "N'Guessan")
    record_consent(nurse, patient_id, False, False)
    item = find_by_gtin(doctor, "03614142000018")
    assert item is not None
    receive_stock(storekeeper, ReceiptLine(item.gtin, "P1", date(2030, 1, 31), 50))
    rx = write_prescription(
        doctor,
        patient_id=patient_id,
        encounter_id=None,
        lines=[PrescriptionLine(item.id, "1 comprimé", "3 fois par jour", 3, 9)],
    )
    dispense_prescription(storekeeper, rx.id)
    with storekeeper.transaction() as tx:
        sort_outbox_by_consent(tx)
    rows = storekeeper.store.all(
        "SELECT payload FROM outbox WHERE kind = 'stock_movement' "
        "AND json_extract(payload, '$.kind') = 'dispense'"
    )
    assert rows, "the dispensing still travels: the ledger must be whole at central"
    assert all(json.loads(row["payload"])["prescription_item_id"] is None for row in rows)
    kept = storekeeper.store.one(
        "SELECT prescription_item_id FROM stock_movements WHERE kind = 'dispense'"
    )
    assert kept is not None
    assert kept["prescription_item_id"] is not None
