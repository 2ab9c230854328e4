"""Diagnoses, coded in ICD-11 MMS, attached to a consultation."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.clock import to_iso, utc_now
from clinic_app.errors import InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.records.icd11 import ICD11_SYSTEM
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.validation import clean_line


@dataclass(frozen=True)
class Diagnosis:
    id: str
    encounter_id: str
    patient_id: str
    system: str
    code: str
    display: str


def add_diagnosis(session: Session, encounter_id: str, code: str) -> Diagnosis:
    """Code a consultation with an ICD-11 category; the WHO title is stored unmodified."""
    session.require(Action.DIAGNOSE)
    code = clean_line(code, "diagnosis", limit=16).upper()
    with session.transaction() as tx:
        encounter = tx.one("SELECT patient_id FROM encounters WHERE id = ?", (encounter_id,))
        if encounter is None:
            raise NotFound()
        if tx.one(
            "SELECT 1 FROM diagnoses WHERE encounter_id = ? AND code = ?", (encounter_id, code)
        ):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "{code} is already a diagnosis of this consultation."),
                field="diagnosis",
                code=code,
            )
        known = tx.one("SELECT title FROM icd11_codes WHERE code = ?", (code,))
        if known is None:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "{code} is not an ICD-11 code. Search by word."),
                field="diagnosis",
                code=code,
            )
        diagnosis = Diagnosis(
            new_id(), encounter_id, encounter["patient_id"], ICD11_SYSTEM, code, known["title"]
        )
        tx.insert(
            "diagnoses",
            {
                "id": diagnosis.id,
                "site_id": session.site_id,
                "encounter_id": encounter_id,
                "patient_id": diagnosis.patient_id,
                "system": ICD11_SYSTEM,
                "code": code,
                "display": diagnosis.display,
                "author_id": session.actor.user_id,
                "created_at": to_iso(utc_now()),
            },
            sync_kind="diagnosis",
        )
        session.audit(
            tx,
            "add_diagnosis",
            object_kind="diagnosis",
            object_id=diagnosis.id,
            patient_id=diagnosis.patient_id,
        )
    return diagnosis


def encounter_diagnoses(session: Session, encounter_id: str) -> list[Diagnosis]:
    encounter = session.store.one("SELECT patient_id FROM encounters WHERE id = ?", (encounter_id,))
    if encounter is None:
        session.require(Action.OPEN_CHART)
        return []
    session.require_chart(encounter["patient_id"])
    rows = session.store.all(
        "SELECT * FROM diagnoses WHERE encounter_id = ? ORDER BY created_at", (encounter_id,)
    )
    return [
        Diagnosis(r["id"], r["encounter_id"], r["patient_id"], r["system"], r["code"], r["display"])
        for r in rows
    ]


def patient_diagnoses(session: Session, patient_id: str) -> list[Diagnosis]:
    session.require_chart(patient_id)
    rows = session.store.all(
        "SELECT * FROM diagnoses WHERE patient_id = ? ORDER BY created_at DESC", (patient_id,)
    )
    return [
        Diagnosis(r["id"], r["encounter_id"], r["patient_id"], r["system"], r["code"], r["display"])
        for r in rows
    ]
