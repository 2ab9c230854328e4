"""Helpers of the sync tests: a clinic's day of work, and what central holds of it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from central_process import OPERATOR, CentralProcess
from sqlalchemy import func, select

from central.db import records
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.consent import sort_outbox_by_consent
from clinic_app.session import Session
from clinic_app.sync.kinds import CLINIC_KINDS, KIND_TABLES
from clinic_app.sync.service import enrol_clinic

FAST = (2.0, 5.0)  # connect, read timeouts: a test never waits 20 s


def enrol(admin: Session, central: CentralProcess) -> None:
    enrol_clinic(admin, central.base_url, *OPERATOR, timeout=FAST)


def nurse_sees_patients(nurse: Session, count: int, *, village: str = "Anoumabo") -> list[str]:
    """Register ``count`` patients and record one consultation each; return the patient ids."""
    ids: list[str] = []
    for n in range(count):
        patient = register_patient(
            nurse,
            PatientForm(
                given_name="Adjoua",
                family_name=f"Kouamé {chr(65 + n % 26)}",
                sex="female",
                village=village,
            ),
        )
        record_consultation(
            nurse,
            ConsultationForm(
                patient_id=patient.id,
                complaint="Fièvre depuis deux jours",
                vitals={"temperature": 38.5, "heart_rate": 96, "weight": 60, "height": 165},
                new_allergies=(("Pénicilline", "urticaire"),) if n == 0 else (),
            ),
        )
        ids.append(patient.id)
    return ids


def clinic_records(session: Session) -> Counter[tuple[str, str]]:
    """Every record of the kinds a clinic sends, as held by the clinic."""
    held: Counter[tuple[str, str]] = Counter()
    for kind in CLINIC_KINDS:
        rows: list[Any] = session.store.all(f"SELECT id FROM {KIND_TABLES[kind]}")
        held.update((kind, row["id"]) for row in rows)
    return held


def central_copies(
    central: CentralProcess, site_id: str, wanted: Counter[tuple[str, str]]
) -> Counter[tuple[str, str]]:
    """How many copies of each wanted record central holds for this clinic.

    Looked up by id: the test clinics are copies of one template and share a
    clinic id, so a site's records on a shared central include earlier tests'.
    """
    ids = sorted({record_id for _kind, record_id in wanted})
    with central.engine().connect() as conn:
        rows = conn.execute(
            select(records.c.kind, records.c.id)
            .where(records.c.site_id == site_id)
            .where(records.c.id.in_(ids))
        ).all()
    return Counter((row.kind, row.id) for row in rows)


def central_change_count(central: CentralProcess) -> int:
    with central.engine().connect() as conn:
        return int(conn.execute(select(func.max(records.c.change_seq))).scalar() or 0)


def outbox_count(session: Session) -> int:
    row = session.store.one("SELECT count(*) AS n FROM outbox")
    assert row is not None
    return int(row["n"])


def queued_changes(session: Session) -> int:
    """The outbox as the next sync reads it: the audit trail written so far copied in.

    A sync copies the trail into the outbox when it reads it
    (``sort_outbox_by_consent``); counting after the same copy says exactly what
    the next sync sends, audit entries included.
    """
    with session.transaction() as tx:
        sort_outbox_by_consent(tx)
    return outbox_count(session)
