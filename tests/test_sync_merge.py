"""Merging by kind between clinics, on a real central (SQLite and PostgreSQL).

Patients seen at two clinics are linked at central; both clinics edit the same
patient; concurrent edits of a field land in the conflicts list everywhere and
a person settles them. Clinic clocks two hours ahead and two days behind order
edits right all the same (hybrid logical clocks).
"""

from __future__ import annotations

import json
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from central_process import OPERATOR, CentralProcess
from conftest import PASSWORDS, make_clinic
from sqlalchemy import func, select
from sync_helpers import FAST

from central.db import records
from central.services import link_patients
from clinic_app.clock import utc_now
from clinic_app.errors import InvalidInput
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.accounts import login
from clinic_app.session import Session
from clinic_app.sync import hlc
from clinic_app.sync.edits import (
    Conflict,
    ConflictAlreadySettled,
    history_of,
    list_conflicts,
    settle_conflict,
    update_patient,
    void_record,
)
from clinic_app.sync.errors import ChangesRefused
from clinic_app.sync.kinds import apply_remote_change
from clinic_app.sync.service import enrol_clinic, sync_now
from clinic_app.sync.status import SyncMonitor

# --- several clinics against one central -------------------------------------------------


@dataclass
class Clinic:
    """One real SQLCipher clinic with its own id and site code, enrolled with central."""

    data_dir: Path
    site_id: str
    admin: Session
    nurse: Session
    doctor: Session
    store_keeper: Session

    def sessions(self) -> tuple[Session, ...]:
        return (self.admin, self.nurse, self.doctor, self.store_keeper)

    def set_clock(self, offset: timedelta) -> None:
        """Every session's wall clock runs ``offset`` from the true time (HLC tests)."""
        for session in self.sessions():
            hlc.set_wall_clock(session.store, lambda: utc_now() + offset)

    def sync(self) -> None:
        sync_now(self.nurse, timeout=FAST)

    def close(self) -> None:
        for session in self.sessions():
            session.close()


def make_identity(data_dir: Path) -> Path:
    """A new clinic (its own id, a random site code) with one user per role."""
    return make_clinic(
        data_dir, site_code="T" + secrets.token_hex(4).upper(), clinic_name="Centre de santé"
    )


@pytest.fixture(scope="session")
def clinic_identities(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three clinics with distinct ids, made once; tests work on copies of them.

    Copies of one identity share its id on the shared central across tests, so
    the tests look records up by the ids they made, never by site alone.
    """
    root = tmp_path_factory.mktemp("identities")
    return [make_identity(root / f"clinic-{n}") for n in range(3)]


def new_clinic(template: Path, where: Path, central: CentralProcess) -> Clinic:
    """A fresh copy of a template clinic, enrolled with central (its pull starts at 0)."""
    shutil.copytree(template, where)
    sessions = [login(where, name, PASSWORDS[name]) for name in ("admin", "nurse", "doctor")]
    clinic = Clinic(
        where, sessions[0].site_id, *sessions, login(where, "store", PASSWORDS["store"])
    )
    # A real clinic never issues a document number twice; copies of one identity would
    # (same site code on the shared central), so each copy continues from a random point.
    with clinic.admin.transaction() as tx:
        for kind in ("prescription", "sick_leave_certificate"):
            tx.execute(
                "INSERT INTO document_counters (kind, year, last) VALUES (?, ?, ?)",
                (kind, utc_now().year, secrets.randbelow(10**9)),
            )
    enrol_clinic(clinic.admin, central.base_url, *OPERATOR, timeout=FAST)
    # Earlier tests' copies of this identity left records on the shared central that
    # this copy never held (a real clinic holds its own): start the pull after them,
    # with the catalogue (master data) copied in.
    with central.engine().connect() as conn:
        top = conn.execute(select(func.max(records.c.change_seq))).scalar() or 0
        catalogue = conn.execute(
            select(records.c.payload).where(records.c.kind == "catalogue_item")
        ).scalars()
        with clinic.admin.transaction() as tx:
            for payload in catalogue:
                apply_remote_change(tx, "catalogue_item", json.loads(payload))
            tx.execute("UPDATE sync_state SET value = ? WHERE key = 'pull_cursor'", (str(top),))
    return clinic


@pytest.fixture
def clinics(
    clinic_identities: list[Path], tmp_path: Path, central: CentralProcess
) -> Iterator[list[Clinic]]:
    made = [new_clinic(clinic_identities[n], tmp_path / f"clinic-{n}", central) for n in range(2)]
    yield made
    for clinic in made:
        clinic.close()


def register(clinic: Clinic, family: str = "Kouamé", **fields: Any) -> str:
    form = PatientForm(given_name="Adjoua", family_name=family, sex="female", **fields)
    return register_patient(clinic.nurse, form).id


def linked_patient(central: CentralProcess, a: Clinic, b: Clinic) -> tuple[str, str]:
    """The same woman registered at both clinics, linked at central, and pulled by both."""
    at_a = register(a, village="Anoumabo")
    record_consultation(a.nurse, ConsultationForm(patient_id=at_a, complaint="Toux"))
    at_b = register(b, village="Anoumabo")
    a.sync()
    b.sync()
    link_patients(central.engine(), at_a, at_b, "operator")
    a.sync()
    b.sync()
    return at_a, at_b


def patient_row(clinic: Clinic, patient_id: str) -> dict[str, Any]:
    row = clinic.nurse.store.one("SELECT * FROM patients WHERE id = ?", (patient_id,))
    assert row is not None, "the clinic does not hold this patient"
    return dict(row)


def central_payload(central: CentralProcess, kind: str, record_id: str) -> dict[str, Any]:
    with central.engine().connect() as conn:
        text = conn.execute(
            select(records.c.payload).where(records.c.kind == kind, records.c.id == record_id)
        ).scalar_one()
    payload: dict[str, Any] = json.loads(text)
    return payload


def central_conflicts(central: CentralProcess, patient_id: str) -> list[dict[str, Any]]:
    with central.engine().connect() as conn:
        rows = conn.execute(
            select(records.c.payload).where(
                records.c.kind == "sync_conflict", records.c.patient_id == patient_id
            )
        ).all()
    return [json.loads(row.payload) for row in rows]


def conflicts_of(clinic: Clinic, patient_id: str) -> list[Conflict]:
    return [c for c in list_conflicts(clinic.nurse) if c.patient_id == patient_id]


DEMOGRAPHICS = ("given_name", "family_name", "sex", "birth_date", "phone", "village")


def demographics(row: dict[str, Any]) -> dict[str, Any]:
    return {name: row[name] for name in DEMOGRAPHICS}


# --- the tests -------------------------------------------------------------------------------


def test_a_linked_patient_and_her_records_reach_the_other_clinic(
    clinics: list[Clinic], central: CentralProcess
) -> None:
    a, b = clinics
    at_a, at_b = linked_patient(central, a, b)
    assert patient_row(b, at_a)["site_id"] == a.site_id
    assert patient_row(a, at_b)["site_id"] == b.site_id
    encounters = b.nurse.store.all("SELECT id FROM encounters WHERE patient_id = ?", (at_a,))
    assert len(encounters) == 1


def test_a_clinic_never_receives_or_edits_an_unlinked_patient_of_another(
    clinics: list[Clinic], central: CentralProcess
) -> None:
    a, b = clinics
    only_at_a = register(a)
    a.sync()
    b.sync()
    assert b.nurse.store.one("SELECT 1 FROM patients WHERE id = ?", (only_at_a,)) is None
    # B forges an edit of A's patient: central refuses it (403), nothing stored.
    forged = dict(patient_row(a, only_at_a), phone="0700000000")
    with b.nurse.transaction() as tx:
        tx.record_change("patient", forged)
    with pytest.raises(ChangesRefused):
        b.sync()
    assert central_payload(central, "patient", only_at_a).get("phone") is None
    with b.nurse.transaction() as tx:
        tx.execute("DELETE FROM outbox")


def test_edits_of_different_fields_merge_and_the_same_field_is_a_conflict(
    clinics: list[Clinic], central: CentralProcess
) -> None:
    a, b = clinics
    patient, _ = linked_patient(central, a, b)
    update_patient(a.nurse, patient, {"phone": "0701010101"})
    update_patient(b.nurse, patient, {"phone": "0702020202", "village": "Koumassi"})
    for clinic in (a, b, a, b):
        clinic.sync()

    at_a, at_b = patient_row(a, patient), patient_row(b, patient)
    on_central = central_payload(central, "patient", patient)
    assert demographics(at_a) == demographics(at_b) == demographics(on_central)
    assert at_a["village"] == "Koumassi"  # B's edit of another field is merged, not lost
    # The later version wins for now; both values are in the conflict, everywhere.
    (conflict,) = central_conflicts(central, patient)
    assert conflict["field"] == "phone"
    assert {conflict["value_a"], conflict["value_b"]} == {"0701010101", "0702020202"}
    assert conflict["kept_value"] == at_a["phone"]
    for clinic in (a, b):
        (seen,) = conflicts_of(clinic, patient)
        assert seen.id == conflict["id"]
        assert seen.settled_at is None
    replaced = [
        entry["value"] for entry in history_of(a.nurse, patient) if entry["field"] == "phone"
    ]
    assert None in replaced  # the registration's (empty) value is kept in the history

    # A person settles it at A with a third number: it wins everywhere, settled everywhere.
    settle_conflict(a.nurse, conflict["id"], "0703030303")
    with pytest.raises(ConflictAlreadySettled):
        settle_conflict(a.nurse, conflict["id"], "0703030303")
    for clinic in (a, b):
        clinic.sync()
    assert patient_row(a, patient)["phone"] == patient_row(b, patient)["phone"] == "0703030303"
    assert central_payload(central, "patient", patient)["phone"] == "0703030303"
    (conflict,) = central_conflicts(central, patient)
    assert conflict["settled_value"] == "0703030303"
    assert conflicts_of(a, patient) == conflicts_of(b, patient) == []
    actions = [
        row["action"]
        for row in a.nurse.store.all(
            "SELECT action FROM audit_events WHERE action IN ('update_patient', 'settle_conflict')"
        )
    ]
    assert actions == ["update_patient", "settle_conflict"]


def test_clocks_two_hours_ahead_and_two_days_behind_still_order_edits(
    clinics: list[Clinic], central: CentralProcess
) -> None:
    a, b = clinics
    a.set_clock(timedelta(hours=2))
    b.set_clock(timedelta(days=-2))
    patient, _ = linked_patient(central, a, b)
    update_patient(a.nurse, patient, {"phone": "0701010101"})
    a.sync()
    b.sync()  # B sees A's edit; B's clock is two days behind A's version
    update_patient(b.nurse, patient, {"phone": "0702020202"})
    b_version = patient_row(b, patient)["version"]
    a_version = json.loads(patient_row(a, patient)["field_versions"])["phone"]["v"]
    assert b_version > a_version  # ordered after what B saw, whatever its wall clock
    b.sync()
    a.sync()
    assert patient_row(a, patient)["phone"] == patient_row(b, patient)["phone"] == "0702020202"
    assert central_conflicts(central, patient) == []  # one after the other: no conflict
    # The status bar warns about the clocks; sync itself did not need them.
    status_a = SyncMonitor.from_store(a.nurse.store).status()
    status_b = SyncMonitor.from_store(b.nurse.store).status()
    assert status_a.clock_skew_seconds is not None
    assert status_a.clock_skew_seconds > 7000
    assert status_a.clock_warning is not None
    assert "ahead" in status_a.clock_warning.template
    assert status_b.clock_warning is not None
    assert "behind" in status_b.clock_warning.template


def test_a_void_racing_an_edit_keeps_both(clinics: list[Clinic], central: CentralProcess) -> None:
    a, b = clinics
    patient, _ = linked_patient(central, a, b)
    (encounter,) = a.nurse.store.all("SELECT id FROM encounters WHERE patient_id = ?", (patient,))
    with pytest.raises(InvalidInput):
        void_record(a.nurse, "encounter", encounter["id"], "  ")
    void_id = void_record(a.nurse, "encounter", encounter["id"], "Saisi dans le mauvais dossier")
    update_patient(b.nurse, patient, {"village": "Marcory"})
    for clinic in (a, b, a):
        clinic.sync()
    # The encounter is still there everywhere, with its void beside it.
    for clinic in (a, b):
        assert clinic.nurse.store.one("SELECT 1 FROM encounters WHERE id = ?", (encounter["id"],))
        void = clinic.nurse.store.one("SELECT * FROM encounter_voids WHERE id = ?", (void_id,))
        assert void is not None
        assert void["encounter_id"] == encounter["id"]
        assert patient_row(clinic, patient)["village"] == "Marcory"


def test_an_append_only_record_sent_again_with_other_content_is_refused(
    clinics: list[Clinic], central: CentralProcess
) -> None:
    a, _b = clinics
    patient = register(a)
    record_consultation(a.nurse, ConsultationForm(patient_id=patient, complaint="Toux"))
    a.sync()
    (row,) = a.nurse.store.all("SELECT * FROM encounters WHERE patient_id = ?", (patient,))
    with a.nurse.transaction() as tx:
        tx.record_change("encounter", dict(row, complaint="Autre chose"))
    with pytest.raises(ChangesRefused):
        a.sync()
    assert central_payload(central, "encounter", row["id"])["complaint"] == "Toux"
    with a.nurse.transaction() as tx:
        tx.execute("DELETE FROM outbox")
    # The same content again is fine (a union): nothing changes.
    with a.nurse.transaction() as tx:
        tx.record_change("encounter", dict(row))
    a.sync()


def test_update_patient_validates_like_registration(clinics: list[Clinic]) -> None:
    a, _b = clinics
    patient = register(a)
    with pytest.raises(InvalidInput):
        update_patient(a.nurse, patient, {"phone": "not a phone"})
    with pytest.raises(InvalidInput):
        update_patient(a.nurse, patient, {"site_id": "x"})
    updated = update_patient(a.nurse, patient, {"family_name": "Yao", "birth_date": None})
    assert updated.family_name == "Yao"
    assert "yao" in patient_row(a, patient)["search_key"]


def test_hlc_versions_sort_as_text_and_never_repeat(clinics: list[Clinic]) -> None:
    a, _b = clinics
    store = a.nurse.store
    a.set_clock(timedelta(0))
    frozen = datetime(2026, 1, 1, tzinfo=utc_now().tzinfo)
    hlc.set_wall_clock(store, lambda: frozen)
    with store.transaction() as tx:
        seen = [hlc.tick(store, tx, a.site_id) for _ in range(5)]
        hlc.observe(tx, ["9999999999999.00007.other-site"])
        after = hlc.tick(store, tx, a.site_id)
    assert seen == sorted(seen)
    assert len(set(seen)) == 5
    assert after > "9999999999999.00007.other-site"
    assert hlc.parse_version(after) == hlc.Hlc(9999999999999, 8, a.site_id)
    assert hlc.parse_version("") is None
    assert hlc.is_version("")
