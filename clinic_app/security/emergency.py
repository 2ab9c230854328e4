"""Emergency access ("break the glass"): opening a chart one's role may not open.

Rules this module keeps:

* Any role holding ``Action.EMERGENCY_ACCESS`` may open any chart this way,
  with a typed reason of at least ``MIN_REASON_LENGTH`` characters; without
  one, nothing is written and the chart stays closed.
* Each opening writes an ``emergency_accesses`` row (the reason lives there,
  inside the encrypted database) and an audit entry ``emergency_access``
  with identifiers only (never the reason: the audit trail carries no free
  text).
* The admin (``Action.REVIEW_EMERGENCY_ACCESS``) lists the openings not yet
  reviewed and marks each one reviewed with a note; listing and reviewing
  are audited too. A review is final: a second one is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_app.clock import from_iso, to_iso, utc_now
from clinic_app.errors import ClinicError, InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.records.patients import Patient
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Row
from clinic_app.validation import clean_text

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 1000
MIN_NOTE_LENGTH = 3
MAX_NOTE_LENGTH = 1000


class AlreadyReviewed(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors", "This emergency access was already reviewed; nothing was changed."
    )


@dataclass(frozen=True)
class EmergencyAccess:
    """One emergency opening of a chart, as the admin reviews it."""

    id: str
    user_id: str
    username: str
    user_display_name: str
    patient_id: str
    patient_name: str
    reason: str
    occurred_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    review_note: str


def _text(value: str, field: str, minimum: int, maximum: int, template: str) -> str:
    cleaned = " ".join(value.split())
    if len(cleaned) < minimum:
        raise InvalidInput(template, field=field, n=minimum)
    if len(cleaned) > maximum:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The text is too long (at most {n} characters)."),
            field=field,
            n=maximum,
        )
    return cleaned


def open_chart_in_emergency(session: Session, patient_id: str, reason: str) -> Patient:
    """Open the chart whatever the role may normally see; always recorded and audited.

    A refused attempt (no permission, no real reason) writes no access row but
    is audited too, with the outcome "refused".
    """
    session.require(Action.EMERGENCY_ACCESS, patient_id=patient_id)
    try:
        reason = _text(
            clean_text(reason, "reason", limit=MAX_REASON_LENGTH),
            "reason",
            MIN_REASON_LENGTH,
            MAX_REASON_LENGTH,
            QT_TRANSLATE_NOOP(
                "errors",
                "Type why you must open this chart in an emergency (at least {n} characters). "
                "The clinic admin reviews every emergency access.",
            ),
        )
        if len(set(reason.replace(" ", "").lower())) < 4:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors", "Type the real reason in words: the clinic admin will read it."
                ),
                field="reason",
            )
    except InvalidInput:
        session.audit_read(
            "emergency_access",
            object_kind="patient",
            object_id=patient_id,
            patient_id=patient_id,
            outcome="refused",
        )
        raise
    access_id = new_id()
    with session.transaction() as tx:
        row = tx.one("SELECT * FROM patients WHERE id = ?", (patient_id,))
        if row is None:
            raise NotFound()
        tx.insert(
            "emergency_accesses",
            {
                "id": access_id,
                "site_id": session.site_id,
                "user_id": session.actor.user_id,
                "patient_id": patient_id,
                "reason": reason,
                "occurred_at": to_iso(utc_now()),
            },
        )
        session.audit(
            tx,
            "emergency_access",
            object_kind="emergency_access",
            object_id=access_id,
            patient_id=patient_id,
        )
    session.emergency_charts.add(patient_id)
    return Patient.from_row(row)


_LIST_SQL = """
SELECT e.*, u.username, u.display_name AS user_display_name,
       p.given_name || ' ' || p.family_name AS patient_name
FROM emergency_accesses e
LEFT JOIN users u ON u.id = e.user_id
LEFT JOIN patients p ON p.id = e.patient_id
"""


def _from_row(row: Row) -> EmergencyAccess:
    return EmergencyAccess(
        id=row["id"],
        user_id=row["user_id"],
        username=row["username"] or "",
        user_display_name=row["user_display_name"] or "",
        patient_id=row["patient_id"],
        patient_name=row["patient_name"] or "",
        reason=row["reason"],
        occurred_at=from_iso(row["occurred_at"]),
        reviewed_by=row["reviewed_by"],
        reviewed_at=from_iso(row["reviewed_at"]) if row["reviewed_at"] else None,
        review_note=row["review_note"] or "",
    )


def emergency_accesses_to_review(session: Session) -> list[EmergencyAccess]:
    """Openings not reviewed yet, oldest first; the listing itself is audited."""
    session.require(Action.REVIEW_EMERGENCY_ACCESS)
    rows = session.store.all(
        _LIST_SQL + " WHERE e.reviewed_at IS NULL ORDER BY e.occurred_at, e.id"
    )
    with session.transaction() as tx:
        session.audit(
            tx,
            "list_emergency_accesses",
            object_kind="emergency_access",
            object_id=str(len(rows)),
        )
    return [_from_row(row) for row in rows]


def review_emergency_access(session: Session, access_id: str, note: str) -> EmergencyAccess:
    """The admin marks one opening reviewed, with a note saying what was found."""
    session.require(Action.REVIEW_EMERGENCY_ACCESS)
    note = _text(
        note,
        "note",
        MIN_NOTE_LENGTH,
        MAX_NOTE_LENGTH,
        QT_TRANSLATE_NOOP("errors", "Write a short review note (at least {n} characters)."),
    )
    with session.transaction() as tx:
        row = tx.one(
            "SELECT patient_id, reviewed_at FROM emergency_accesses WHERE id = ?", (access_id,)
        )
        if row is None:
            raise NotFound()
        if row["reviewed_at"] is not None:
            raise AlreadyReviewed()
        tx.execute(
            "UPDATE emergency_accesses SET reviewed_by = ?, reviewed_at = ?, review_note = ? "
            "WHERE id = ?",
            (session.actor.user_id, to_iso(utc_now()), note, access_id),
        )
        session.audit(
            tx,
            "review_emergency_access",
            object_kind="emergency_access",
            object_id=access_id,
            patient_id=row["patient_id"],
        )
        reviewed = tx.one(_LIST_SQL + " WHERE e.id = ?", (access_id,))
    assert reviewed is not None
    return _from_row(reviewed)
