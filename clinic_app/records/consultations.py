"""Consultations: complaint, vital signs (LOINC), notes, allergies.

A saved consultation is a clinical fact: it is never edited in place (a
correction is a new record). Vital signs outside what a living patient can
show are refused with the field named, so a typo (37 typed as 377) never
reaches the chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from clinic_app.clock import to_iso, utc_now
from clinic_app.errors import InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Tx

LOINC_SYSTEM = "http://loinc.org"


@dataclass(frozen=True)
class VitalSign:
    key: str
    loinc: str
    label: str  # marked for translation, context "vitals"
    unit: str  # UCUM
    low: float
    high: float


VITAL_SIGNS: tuple[VitalSign, ...] = (
    VitalSign(
        "systolic",
        "8480-6",
        QT_TRANSLATE_NOOP("vitals", "Systolic blood pressure"),
        "mm[Hg]",
        50,
        280,
    ),
    VitalSign(
        "diastolic",
        "8462-4",
        QT_TRANSLATE_NOOP("vitals", "Diastolic blood pressure"),
        "mm[Hg]",
        20,
        180,
    ),
    VitalSign("heart_rate", "8867-4", QT_TRANSLATE_NOOP("vitals", "Heart rate"), "/min", 20, 250),
    VitalSign(
        "respiratory_rate", "9279-1", QT_TRANSLATE_NOOP("vitals", "Respiratory rate"), "/min", 4, 80
    ),
    VitalSign(
        "temperature", "8310-5", QT_TRANSLATE_NOOP("vitals", "Body temperature"), "Cel", 30, 45
    ),
    VitalSign(
        "spo2", "59408-5", QT_TRANSLATE_NOOP("vitals", "Oxygen saturation (SpO2)"), "%", 50, 100
    ),
    VitalSign("weight", "29463-7", QT_TRANSLATE_NOOP("vitals", "Body weight"), "kg", 0.3, 350),
    VitalSign("height", "8302-2", QT_TRANSLATE_NOOP("vitals", "Body height"), "cm", 20, 250),
)
VITALS_BY_KEY = {vital.key: vital for vital in VITAL_SIGNS}
VITALS_BY_LOINC = {vital.loinc: vital for vital in VITAL_SIGNS}
BMI_LOINC = "39156-5"


@dataclass(frozen=True)
class ConsultationForm:
    patient_id: str
    complaint: str
    vitals: dict[str, float] = field(default_factory=dict)  # VitalSign.key -> value
    notes: str = ""
    new_allergies: tuple[tuple[str, str], ...] = ()  # (substance, reaction)
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class Consultation:
    id: str
    patient_id: str
    occurred_at: str
    complaint: str
    notes: str
    vitals: dict[str, float]


def check_vitals(vitals: dict[str, float]) -> dict[str, float]:
    """Refuse impossible values, naming the field; return them as floats."""
    checked: dict[str, float] = {}
    for key, raw in vitals.items():
        vital = VITALS_BY_KEY.get(key)
        if vital is None:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "Unknown vital sign: {key}."), field=key, key=key
            )
        try:
            value = float(raw)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "{label}: enter a number."),
                field=key,
                label=vital.label,
            ) from exc
        if not vital.low <= value <= vital.high:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors", "{label}: {value} {unit} is impossible; expected {low} to {high}."
                ),
                field=key,
                label=vital.label,
                value=f"{value:g}",
                unit=vital.unit,
                low=f"{vital.low:g}",
                high=f"{vital.high:g}",
            )
        checked[key] = value
    if (
        "systolic" in checked
        and "diastolic" in checked
        and (checked["diastolic"] >= checked["systolic"])
    ):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "The diastolic pressure must be lower than the systolic pressure."
            ),
            field="diastolic",
        )
    return checked


def _clean_text(value: str, field: str, limit: int, *, required: bool) -> str:
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The reason for the visit is missing."), field=field
        )
    if len(cleaned) > limit:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "This text is too long (at most {n} characters)."),
            field=field,
            n=limit,
        )
    return cleaned


def record_consultation(session: Session, form: ConsultationForm) -> Consultation:
    """Save a consultation with its vital signs and any new allergies, all or nothing."""
    session.require(Action.RECORD_CONSULTATION)
    complaint = _clean_text(form.complaint, "complaint", 2000, required=True)
    notes = _clean_text(form.notes, "notes", 20000, required=False)
    vitals = check_vitals(form.vitals)
    allergies = [
        (_clean_text(substance, "allergy", 200, required=False), reaction.strip()[:500])
        for substance, reaction in form.new_allergies
    ]
    now = utc_now()
    occurred = to_iso(form.occurred_at or now)
    encounter_id = new_id()
    with session.transaction() as tx:
        if tx.one("SELECT 1 FROM patients WHERE id = ?", (form.patient_id,)) is None:
            raise NotFound()
        base = {
            "site_id": session.site_id,
            "author_id": session.actor.user_id,
            "created_at": to_iso(now),
        }
        tx.insert(
            "encounters",
            {
                "id": encounter_id,
                "patient_id": form.patient_id,
                "occurred_at": occurred,
                "complaint": complaint,
                "notes": notes,
                **base,
            },
            sync_kind="encounter",
        )
        for key, value in vitals.items():
            vital = VITALS_BY_KEY[key]
            _insert_observation(
                tx, base, encounter_id, form.patient_id, vital.loinc, value, vital.unit
            )
        if "weight" in vitals and "height" in vitals:
            bmi = vitals["weight"] / (vitals["height"] / 100) ** 2
            _insert_observation(
                tx, base, encounter_id, form.patient_id, BMI_LOINC, round(bmi, 1), "kg/m2"
            )
        for substance, reaction in allergies:
            if substance:
                tx.insert(
                    "allergies",
                    {
                        "id": new_id(),
                        "patient_id": form.patient_id,
                        "substance": substance,
                        "reaction": reaction or None,
                        **base,
                    },
                    sync_kind="allergy",
                )
        session.audit(
            tx,
            "record_consultation",
            object_kind="encounter",
            object_id=encounter_id,
            patient_id=form.patient_id,
        )
    return Consultation(encounter_id, form.patient_id, occurred, complaint, notes, vitals)


def _insert_observation(
    tx: Tx,
    base: dict[str, str],
    encounter_id: str,
    patient_id: str,
    loinc: str,
    value: float,
    unit: str,
) -> None:
    tx.insert(
        "observations",
        {
            "id": new_id(),
            "encounter_id": encounter_id,
            "patient_id": patient_id,
            "loinc": loinc,
            "value": value,
            "unit": unit,
            **base,
        },
        sync_kind="observation",
    )


def record_allergy(session: Session, patient_id: str, substance: str, reaction: str = "") -> str:
    session.require(Action.RECORD_ALLERGY)
    substance = _clean_text(substance, "allergy", 200, required=False)
    if not substance:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Name the substance the patient is allergic to."),
            field="allergy",
        )
    allergy_id = new_id()
    with session.transaction() as tx:
        if tx.one("SELECT 1 FROM patients WHERE id = ?", (patient_id,)) is None:
            raise NotFound()
        tx.insert(
            "allergies",
            {
                "id": allergy_id,
                "site_id": session.site_id,
                "patient_id": patient_id,
                "substance": substance,
                "reaction": reaction.strip()[:500] or None,
                "author_id": session.actor.user_id,
                "created_at": to_iso(utc_now()),
            },
            sync_kind="allergy",
        )
        session.audit(
            tx, "record_allergy", object_kind="allergy", object_id=allergy_id, patient_id=patient_id
        )
    return allergy_id


def patient_allergies(session: Session, patient_id: str) -> list[str]:
    session.require(Action.OPEN_CHART)
    rows = session.store.all(
        "SELECT substance FROM allergies WHERE patient_id = ? ORDER BY created_at", (patient_id,)
    )
    return [row["substance"] for row in rows]


def patient_consultations(session: Session, patient_id: str) -> list[Consultation]:
    session.require(Action.OPEN_CHART)
    encounters = session.store.all(
        "SELECT * FROM encounters WHERE patient_id = ? ORDER BY occurred_at DESC", (patient_id,)
    )
    result = []
    for row in encounters:
        obs = session.store.all(
            "SELECT loinc, value FROM observations WHERE encounter_id = ?", (row["id"],)
        )
        vitals = {
            VITALS_BY_LOINC[o["loinc"]].key: o["value"]
            for o in obs
            if o["loinc"] in VITALS_BY_LOINC
        }
        result.append(
            Consultation(
                row["id"], patient_id, row["occurred_at"], row["complaint"], row["notes"], vitals
            )
        )
    return result
