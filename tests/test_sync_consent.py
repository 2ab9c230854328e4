"""Consent decisions travel to central, and central honours "not shared with other clinics".

Real SQLCipher clinics of their own (links made here must not reach the
template's copies) and a real central process, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from central_process import CentralProcess
from sqlalchemy import or_, select
from sync_helpers import FAST
from test_duplicates import new_clinic

from central.consent import consents_in_force, patients_hidden_from_other_clinics
from central.db import records
from central.duplicates import confirm_link, find_duplicates
from central.services import CentralError, pull_changes
from clinic_app.clock import utc_now
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.patients import PatientForm, open_chart, register_patient
from clinic_app.security import consent
from clinic_app.security.consent import current_consent, record_consent
from clinic_app.session import Session
from clinic_app.sync import hlc
from clinic_app.sync.service import sync_now


@pytest.fixture
def two_clinics(tmp_path: Path, central: CentralProcess) -> Iterator[tuple[Session, Session]]:
    home = new_clinic(tmp_path / "home", central, "Centre de santé de Treichville")
    other = new_clinic(tmp_path / "other", central, "Centre de santé de Koumassi")
    yield home, other
    home.close()
    other.close()


def national_number() -> str:
    return f"CI {secrets.randbelow(10**8):08d}"


def register(session: Session, given: str, family: str, number: str | None = None) -> str:
    form = PatientForm(given, family, "female", date(1990, 4, 12), national_id=number or "")
    return register_patient(session, form).id


def central_records_about(central: CentralProcess, patient_id: str) -> list[tuple[str, str]]:
    with central.engine().connect() as conn:
        rows = conn.execute(
            select(records.c.kind, records.c.id).where(
                or_(records.c.patient_id == patient_id, records.c.id == patient_id)
            )
        ).all()
    return [(row.kind, row.id) for row in rows]


def served_to(central: CentralProcess, site_id: str) -> list[tuple[str, str, Any]]:
    """Everything central would serve this clinic from the start: (kind, id, patient id)."""
    served: list[tuple[str, str, Any]] = []
    after = 0
    while True:
        page = pull_changes(central.engine(), site_id, after, 1000)
        served += [(c.kind, c.id, c.payload.get("patient_id")) for c in page.changes]
        after = page.last_seq
        if not page.more:
            return served


def hidden_by_sql(central: CentralProcess) -> set[str]:
    with central.engine().connect() as conn:
        return {str(row[0]) for row in conn.execute(patients_hidden_from_other_clinics())}


# --- the decision travels; the latest version is in force ---------------------------------------


def test_a_consent_decision_reaches_central_and_a_later_one_wins_whatever_the_clock(
    two_clinics: tuple[Session, Session],
    central: CentralProcess,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nurse, _ = two_clinics
    patient = register(nurse, "Awa", "Traoré")
    first = record_consent(nurse, patient, share_with_central=True, share_with_clinics=True)
    sync_now(nurse, timeout=FAST)
    with central.engine().connect() as conn:
        held = consents_in_force(conn, [patient])[patient]
    assert (held.share_with_central, held.share_with_clinics) == (True, True)
    assert (held.recorded_by, held.site_id) == (nurse.actor.user_id, nurse.site_id)
    assert held.version == first_version(nurse, first.id)
    assert patient not in hidden_by_sql(central)

    # The clinic's clock is now two days behind: the next decision's wall time is
    # older than the first one's, but its hybrid-logical-clock version is later.
    behind = utc_now() - timedelta(days=2)

    def clock() -> datetime:
        return behind

    monkeypatch.setattr(consent, "utc_now", clock)
    hlc.set_wall_clock(nurse.store, clock)
    second = record_consent(nurse, patient, share_with_central=True, share_with_clinics=False)
    assert second.recorded_at is not None
    assert first.recorded_at is not None
    assert second.recorded_at < first.recorded_at
    assert current_consent(nurse, patient).id == second.id  # in force here...
    sync_now(nurse, timeout=FAST)
    with central.engine().connect() as conn:
        in_force = consents_in_force(conn, [patient])[patient]
    assert (in_force.share_with_central, in_force.share_with_clinics) == (True, False)
    assert in_force.version == first_version(nurse, second.id) > held.version  # ...and there
    assert patient in hidden_by_sql(central)  # the pull filter's SQL agrees with Python
    assert {kind for kind, _ in central_records_about(central, patient)} >= {
        "patient",
        "patient_consent",
        "audit_entry",
    }


def first_version(session: Session, consent_id: str | None) -> str:
    row = session.store.one("SELECT version FROM patient_consents WHERE id = ?", (consent_id,))
    assert row is not None
    return str(row["version"])


def test_a_patient_not_shared_with_central_sends_nothing_not_even_the_decision(
    two_clinics: tuple[Session, Session], central: CentralProcess
) -> None:
    nurse, _ = two_clinics
    private = register(nurse, "Mariam", "Sangaré")
    record_consent(nurse, private, share_with_central=False, share_with_clinics=False)
    record_consultation(nurse, ConsultationForm(private, "Toux"))
    open_chart(nurse, private)
    register(nurse, "Fatou", "Diarra")  # someone else, shared: the sync does happen
    report = sync_now(nurse, timeout=FAST)
    assert report.pushed > 0
    assert central_records_about(central, private) == []  # central knows nothing of them


# --- "not shared with other clinics" at central ------------------------------------------------


def test_a_patient_not_shared_with_clinics_is_neither_offered_nor_linked_nor_served(
    two_clinics: tuple[Session, Session], central: CentralProcess
) -> None:
    home, other = two_clinics
    private_number, open_number = national_number(), national_number()
    private = register(home, "Aya", "Konan", private_number)
    private_twin = register(other, "Aya", "Konan", private_number)
    record_consent(home, private, share_with_central=True, share_with_clinics=False)
    shared = register(home, "Adjoua", "Yao", open_number)
    shared_twin = register(other, "Adjoua", "Yao", open_number)
    record_consent(home, shared, share_with_central=True, share_with_clinics=True)
    sync_now(home, timeout=FAST)
    sync_now(other, timeout=FAST)

    pairs = {frozenset({c.a.patient_id, c.b.patient_id}) for c in find_duplicates(central.engine())}
    assert frozenset({shared, shared_twin}) in pairs
    assert not [pair for pair in pairs if private in pair]  # not offered for linking
    with pytest.raises(CentralError) as refused:
        confirm_link(central.engine(), private, private_twin, "operator")
    assert (refused.value.status, refused.value.code) == (409, "consent_withheld")

    confirm_link(central.engine(), shared, shared_twin, "operator")
    sync_now(other, timeout=FAST)
    assert other.store.one("SELECT 1 FROM patients WHERE id = ?", (shared,)) is not None
    assert other.store.one("SELECT 1 FROM patients WHERE id = ?", (private,)) is None

    # The patient changes their mind at home: the linked clinic gets nothing more of them,
    # not even the decision, and nothing of them is served to it from the start either.
    record_consent(home, shared, share_with_central=True, share_with_clinics=False)
    later = record_consultation(home, ConsultationForm(shared, "Contrôle"))
    sync_now(home, timeout=FAST)
    sync_now(other, timeout=FAST)
    assert other.store.one("SELECT 1 FROM encounters WHERE id = ?", (later.id,)) is None
    for patient_id in (shared, private):
        assert not [c for c in served_to(central, other.site_id) if patient_id in c[1:]]


def test_a_decision_recorded_at_a_linked_clinic_is_in_force_at_home(
    two_clinics: tuple[Session, Session], central: CentralProcess
) -> None:
    home, other = two_clinics
    number = national_number()
    patient = register(home, "Salimata", "Coulibaly", number)
    twin = register(other, "Salimata", "Coulibaly", number)
    sync_now(home, timeout=FAST)
    sync_now(other, timeout=FAST)
    confirm_link(central.engine(), patient, twin, "operator")  # no decision yet: links decide
    sync_now(other, timeout=FAST)
    assert other.store.one("SELECT 1 FROM patients WHERE id = ?", (patient,)) is not None

    # She tells the other clinic she does not want to be shared with other clinics.
    decision = record_consent(other, patient, share_with_central=True, share_with_clinics=False)
    sync_now(other, timeout=FAST)
    sync_now(home, timeout=FAST)
    at_home = current_consent(home, patient)
    assert (at_home.id, at_home.share_with_clinics, at_home.is_default) == (
        decision.id,
        False,
        False,
    )
    assert patient in hidden_by_sql(central)
    assert not [c for c in served_to(central, other.site_id) if patient in c[1:]]


def test_a_withdrawal_about_a_patient_central_holds_travels_and_hides_them(
    two_clinics: tuple[Session, Session], central: CentralProcess
) -> None:
    home, other = two_clinics
    number = national_number()
    patient = register(home, "Rokia", "Bamba", number)
    twin = register(other, "Rokia", "Bamba", number)
    sync_now(home, timeout=FAST)
    sync_now(other, timeout=FAST)
    confirm_link(central.engine(), patient, twin, "operator")

    withdrawal = record_consent(home, patient, share_with_central=False, share_with_clinics=True)
    record_consultation(home, ConsultationForm(patient, "Paludisme ?"))
    report = sync_now(home, timeout=FAST)
    assert report.pushed == 1  # the withdrawal only: their new records stay at home
    with central.engine().connect() as conn:
        in_force = consents_in_force(conn, [patient])[patient]
    assert in_force.share_with_central is False
    assert ("patient_consent", withdrawal.id) in central_records_about(central, patient)
    assert patient in hidden_by_sql(central)
    assert not [c for c in served_to(central, other.site_id) if patient in c[1:]]
