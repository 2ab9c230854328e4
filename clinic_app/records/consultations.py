"""Consultations: complaint, vital signs (LOINC), notes, allergies.

A saved consultation is a clinical fact: it is never edited in place (a
correction is a new record). Vital signs outside what a living patient can
show are refused with the field named, so a typo (37 typed as 377) never
reaches the chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from clinic_app.clock import to_iso, utc_now
from clinic_app.errors import InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Tx
from clinic_app.validation import check_instant, clean_line, clean_text, parse_decimal

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
# A body mass index outside this range means the weight or the height was mistyped.
BMI_LOW, BMI_HIGH = 7.0, 90.0


@dataclass(frozen=True)
class ConsultationForm:
    patient_id: str
    complaint: str
    vitals: Mapping[str, object] = field(default_factory=dict)  # VitalSign.key -> value
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


def check_vitals(vitals: Mapping[str, object]) -> dict[str, float]:
    """Refuse impossible values, naming the field; return them as floats.

    Text is accepted with a decimal point or comma ("38,5"), as typed in French.
    """
    if not isinstance(vitals, Mapping):
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "Please check the form."), field="vitals")
    checked: dict[str, float] = {}
    for key, raw in vitals.items():
        vital = VITALS_BY_KEY.get(key)
        if vital is None:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "Unknown vital sign: {key}."), field=key, key=key
            )
        try:
            value = parse_decimal(raw, key)
        except InvalidInput as exc:
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
    if "weight" in checked and "height" in checked:
        bmi = body_mass_index(checked["weight"], checked["height"])
        if not BMI_LOW <= bmi <= BMI_HIGH:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors",
                    "Weight and height do not fit together (body mass index {bmi}); check both.",
                ),
                field="weight",
                bmi=f"{bmi:.0f}",
            )
    return checked


def body_mass_index(weight_kg: float, height_cm: float) -> float:
    return weight_kg / (height_cm / 100) ** 2


def _check_allergies(pairs: object) -> list[tuple[str, str]]:
    if not isinstance(pairs, tuple | list) or not all(
        isinstance(pair, tuple | list) and len(pair) == 2 for pair in pairs
    ):
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "Please check the form."), field="allergy")
    checked = []
    for substance, reaction in pairs:
        name = clean_line(substance, "allergy", limit=200)
        what = clean_line(reaction, "allergy_reaction", limit=500)
        if not name and what:  # a reaction to nothing named would be thrown away
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "Name the substance the patient is allergic to."),
                field="allergy",
            )
        checked.append((name, what))
    return checked


def _check_when(occurred_at: object, now: datetime) -> datetime:
    """A consultation happens now or in the past (typed in later), not in the future."""
    if occurred_at is None:
        return now
    when = check_instant(occurred_at, "occurred_at")
    if when > now + timedelta(minutes=10) or when < now - timedelta(days=366):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The consultation's date must be within the last year, not in the future.",
            ),
            field="occurred_at",
        )
    return when


def record_consultation(session: Session, form: ConsultationForm) -> Consultation:
    """Save a consultation with its vital signs and any new allergies, all or nothing."""
    session.require(Action.RECORD_CONSULTATION)
    complaint = clean_text(form.complaint, "complaint", limit=2000)
    if not complaint:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The reason for the visit is missing."), field="complaint"
        )
    notes = clean_text(form.notes, "notes", limit=20000)
    vitals = check_vitals(form.vitals)
    allergies = _check_allergies(form.new_allergies)
    now = utc_now()
    occurred = to_iso(_check_when(form.occurred_at, now))
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
            bmi = body_mass_index(vitals["weight"], vitals["height"])
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
    substance = clean_line(substance, "allergy", limit=200)
    reaction = clean_line(reaction, "allergy_reaction", limit=500)
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
    session.require_chart(patient_id)
    rows = session.store.all(
        "SELECT substance FROM allergies WHERE patient_id = ? ORDER BY created_at", (patient_id,)
    )
    return [row["substance"] for row in rows]


def patient_consultations(session: Session, patient_id: str) -> list[Consultation]:
    session.require_chart(patient_id)
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
