"""Electronic prescriptions: written from the catalogue, numbered, signed.

A prescription is signed when written: its lines never change afterwards (a
correction is a new prescription). The signed code printed on paper carries
the number, date, clinic, patient and every line's GTIN and quantity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from clinic_app.clock import Clock, from_iso, local_date, to_iso, utc_now
from clinic_app.documents.numbers import next_document_number
from clinic_app.documents.signing import sign_document
from clinic_app.errors import ClinicError, InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.records.search import tokens
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Row
from clinic_app.validation import check_whole_number, clean_line

MAX_LINES = 20
MAX_DURATION_DAYS = 365
MAX_QUANTITY = 10_000
MAX_TEXT = 120  # dose, frequency: what fits on a printed line


@dataclass(frozen=True)
class PrescriptionLine:
    """What the doctor fills in for one drug."""

    catalogue_item_id: str
    dose: str  # "1 comprimé"
    frequency: str  # "3 fois par jour"
    duration_days: int
    quantity: int  # dispensing units to hand out


@dataclass(frozen=True)
class PrescriptionItem:
    id: str
    catalogue_item_id: str
    drug_name: str
    dose: str
    frequency: str
    duration_days: int
    quantity: int


@dataclass(frozen=True)
class Prescription:
    id: str
    number: str
    patient_id: str
    encounter_id: str | None
    prescriber_id: str
    issued_at: datetime
    signature: str
    items: tuple[PrescriptionItem, ...]


def _check_line(line: PrescriptionLine, index: int) -> PrescriptionLine:
    """The line as it will be signed: texts bounded and clean, counts whole numbers."""
    field = f"line{index}"
    dose = clean_line(line.dose, field, limit=MAX_TEXT)
    frequency = clean_line(line.frequency, field, limit=MAX_TEXT)
    if not dose or not frequency:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Line {n}: give the dose and how often to take it."),
            field=field,
            n=index + 1,
        )
    duration = check_whole_number(line.duration_days, field, low=1, high=MAX_DURATION_DAYS)
    quantity = check_whole_number(line.quantity, field, low=1, high=MAX_QUANTITY)
    item_id = clean_line(line.catalogue_item_id, field, limit=64)
    return PrescriptionLine(item_id, dose, frequency, duration, quantity)


class AllergyConflict(ClinicError):
    """A drug matches a recorded allergy: the doctor must look, then may confirm."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "This patient is recorded as allergic to: {substance}. {drug} is one of them "
        "or of the same family. Check, then confirm to prescribe anyway.",
    )


# Allergy words a clinic records, and the ATC groups they cover (class allergies:
# a penicillin allergy covers amoxicillin). Matching by name alone catches the rest.
ALLERGY_CLASSES: dict[str, tuple[str, ...]] = {
    "penicilline": ("J01C",),
    "penicillines": ("J01C",),
    "amoxicilline": ("J01C",),
    "betalactamine": ("J01C", "J01D"),
    "betalactamines": ("J01C", "J01D"),
    "cephalosporine": ("J01D",),
    "cephalosporines": ("J01D",),
    "sulfamide": ("J01E", "P01BD"),
    "sulfamides": ("J01E", "P01BD"),
    "cotrimoxazole": ("J01E",),
    "aspirine": ("N02BA", "B01AC06"),
    "ains": ("M01A", "N02BA"),
    "anti-inflammatoires": ("M01A",),
    "quinine": ("P01BC",),
}


def allergy_conflicts(allergies: Sequence[str], drug_name: str, atc: str | None) -> list[str]:
    """The recorded substances that ``drug_name`` (with its ATC code) matches."""
    drug_words = [w for w in tokens(drug_name) if len(w) >= 4]
    found = []
    for substance in allergies:
        words = [w for w in tokens(substance) if len(w) >= 4]
        by_name = any(d.startswith(w) or w.startswith(d) for w in words for d in drug_words)
        groups = [g for w in tokens(substance) for g in ALLERGY_CLASSES.get(w, ())]
        by_class = bool(atc) and any(str(atc).startswith(group) for group in groups)
        if by_name or by_class:
            found.append(substance)
    return found


def write_prescription(
    session: Session,
    *,
    patient_id: str,
    encounter_id: str | None,
    lines: Sequence[PrescriptionLine],
    allergy_confirmed: bool = False,
    clock: Clock = utc_now,
) -> Prescription:
    """Write, number and sign a prescription; ``clock`` is for tests of dates only."""
    session.require(Action.PRESCRIBE)
    if not lines:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Add at least one drug to the prescription."),
            field="lines",
        )
    if len(lines) > MAX_LINES:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "A prescription has at most {max} lines."),
            field="lines",
            max=MAX_LINES,
        )
    lines = [_check_line(line, index) for index, line in enumerate(lines)]
    seen: set[str] = set()
    for index, line in enumerate(lines):
        if line.catalogue_item_id in seen:
            # Two lines of one drug: the dispensary would count its stock twice over.
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors",
                    "Line {line}: this medicine is already on the prescription; "
                    "change the first line's dose or quantity instead.",
                ),
                field="lines",
                line=index + 1,
            )
        seen.add(line.catalogue_item_id)
    issued = clock()
    site_code = session.store.setting("site_code") or "XXX"
    prescription_id = new_id()
    with session.transaction() as tx:
        patient = tx.one("SELECT * FROM patients WHERE id = ?", (patient_id,))
        if patient is None:
            raise NotFound()
        if (
            encounter_id is not None
            and tx.one(
                "SELECT 1 FROM encounters WHERE id = ? AND patient_id = ?",
                (encounter_id, patient_id),
            )
            is None
        ):
            raise NotFound()
        items: list[PrescriptionItem] = []
        gtins: list[list[object]] = []
        allergies = [
            row["substance"]
            for row in tx.all("SELECT substance FROM allergies WHERE patient_id = ?", (patient_id,))
        ]
        overridden: list[str] = []
        for index, line in enumerate(lines):
            drug = tx.one(
                "SELECT * FROM catalogue_items WHERE id = ? AND active = 1",
                (line.catalogue_item_id,),
            )
            if drug is None:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("errors", "Line {n}: this drug is not in the catalogue."),
                    field=f"line{index}",
                    n=index + 1,
                )
            conflicts = allergy_conflicts(allergies, drug["name"], drug["atc"])
            if conflicts and not allergy_confirmed:
                raise AllergyConflict(substance=", ".join(conflicts), drug=drug["name"])
            overridden.extend(conflicts)
            items.append(
                PrescriptionItem(
                    new_id(),
                    drug["id"],
                    f"{drug['name']} {drug['strength']} ({drug['form']})",
                    line.dose.strip(),
                    line.frequency.strip(),
                    int(line.duration_days),
                    int(line.quantity),
                )
            )
            gtins.append([drug["gtin"], int(line.quantity)])
        number = next_document_number(
            tx, "prescription", site_code, local_date(issued, session.zone).year
        )
        signature = sign_document(
            session.store,
            {
                "t": "rx",
                "n": number,
                "c": session.site_id,
                "d": int(issued.timestamp()),
                "p": [patient["family_name"], patient["given_name"], patient["birth_date"]],
                "l": gtins,
            },
        )
        tx.insert(
            "prescriptions",
            {
                "id": prescription_id,
                "site_id": session.site_id,
                "number": number,
                "patient_id": patient_id,
                "encounter_id": encounter_id,
                "prescriber_id": session.actor.user_id,
                "issued_at": to_iso(issued),
                "signature": signature,
                "created_at": to_iso(issued),
            },
            sync_kind="prescription",
        )
        for item in items:
            tx.insert(
                "prescription_items",
                {
                    "id": item.id,
                    "prescription_id": prescription_id,
                    "catalogue_item_id": item.catalogue_item_id,
                    "drug_name": item.drug_name,
                    "dose": item.dose,
                    "frequency": item.frequency,
                    "duration_days": item.duration_days,
                    "quantity": item.quantity,
                },
                sync_kind="prescription_item",
            )
        session.audit(
            tx,
            "write_prescription",
            object_kind="prescription",
            object_id=prescription_id,
            patient_id=patient_id,
            # Identifiers only: that an allergy warning was overridden, not which one.
            detail="allergy_warning_overridden" if overridden else "",
        )
    return Prescription(
        prescription_id,
        number,
        patient_id,
        encounter_id,
        session.actor.user_id,
        issued,
        signature,
        tuple(items),
    )


def _from_rows(row: Row, item_rows: list[Row]) -> Prescription:
    return Prescription(
        row["id"],
        row["number"],
        row["patient_id"],
        row["encounter_id"],
        row["prescriber_id"],
        from_iso(row["issued_at"]),
        row["signature"],
        tuple(
            PrescriptionItem(
                r["id"],
                r["catalogue_item_id"],
                r["drug_name"],
                r["dose"],
                r["frequency"],
                r["duration_days"],
                r["quantity"],
            )
            for r in item_rows
        ),
    )


def get_prescription(session: Session, prescription_id: str) -> Prescription:
    if not (session.actor.may(Action.OPEN_CHART) or session.actor.may(Action.VIEW_PRESCRIPTIONS)):
        session.require(Action.VIEW_PRESCRIPTIONS)
    row = session.store.one("SELECT * FROM prescriptions WHERE id = ?", (prescription_id,))
    if row is None:
        raise NotFound()
    items = session.store.all(
        "SELECT * FROM prescription_items WHERE prescription_id = ? ORDER BY rowid",
        (prescription_id,),
    )
    return _from_rows(row, items)


def list_prescriptions(
    session: Session, *, patient_id: str | None = None, limit: int = 200
) -> list[Prescription]:
    """Newest first; for one patient (their chart), or the clinic's latest ones.

    The clinic-wide list is the dispensary's queue: only roles that may view
    prescriptions see it. One patient's list is part of their chart.
    """
    if patient_id is None:
        session.require(Action.VIEW_PRESCRIPTIONS)
    elif not session.actor.may(Action.VIEW_PRESCRIPTIONS):
        session.require_chart(patient_id)
    if patient_id is None:
        rows = session.store.all(
            "SELECT * FROM prescriptions ORDER BY issued_at DESC LIMIT ?", (limit,)
        )
    else:
        rows = session.store.all(
            "SELECT * FROM prescriptions WHERE patient_id = ? ORDER BY issued_at DESC LIMIT ?",
            (patient_id, limit),
        )
    result = []
    for row in rows:
        items = session.store.all(
            "SELECT * FROM prescription_items WHERE prescription_id = ? ORDER BY rowid",
            (row["id"],),
        )
        result.append(_from_rows(row, items))
    return result
