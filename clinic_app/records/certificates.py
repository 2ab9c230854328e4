"""Sick-leave certificates ("arrêts de travail"): issued by a doctor, numbered, signed.

Rules this module keeps:

* The period is a run of whole calendar days in the clinic's own calendar:
  ``end_date = start_date + days - 1``, so the end date is *inclusive* — a
  one-day certificate starting on Monday ends on that Monday, and the worker is
  back on Tuesday. Dates are calendar dates, not instants (DESIGN: Times).
* "Today" is the clinic's local date at the moment of issue (``session.zone``),
  never the UTC date: at 23:30 in a UTC+1 clinic it is still the same day on the
  wall, whatever UTC says.
* A certificate, once issued, never changes. Sick leave that goes on is a new
  certificate of kind ``extension`` that names the previous one and starts the
  day after it ends, so a chain of certificates covers one unbroken period.
* The signed code printed on paper holds the number, clinic, issue time, the
  patient's name and birth date, and the period — never the diagnosis: the
  employer's copy carries the same code, and medical secrecy holds for it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from clinic_app.clock import Clock, from_iso, local_date, shown_date, to_iso, utc_now
from clinic_app.documents.numbers import next_document_number
from clinic_app.documents.signing import sign_document
from clinic_app.errors import InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.records.icd11 import ICD11_SYSTEM
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Row, Tx
from clinic_app.validation import check_date

CertificateKind = Literal["initial", "extension"]
KINDS: tuple[CertificateKind, ...] = ("initial", "extension")
MIN_DAYS = 1
MAX_DAYS = 365
# A worker taken ill on Friday evening may only reach the clinic on Monday (the
# clinic is shut at the weekend); three days covers that and a public holiday.
# Further back, the doctor never saw the illness, and a back-dated certificate
# is exactly the fraud the institution fears most.
MAX_DAYS_BACK = 3
# Leave planned ahead (after surgery, say) is fine; a month is the horizon at
# which the doctor can still judge the patient's state.
MAX_DAYS_AHEAD = 30
SIGNED_TYPE = "sl"
MAX_NUMBER_LENGTH = 40  # AT-<site code, 2 to 10>-<year>-<000001>, with room to spare


class CertificateRefused(InvalidInput):
    """A sick-leave certificate the rules do not allow; ``field`` names the form field."""

    template = QT_TRANSLATE_NOOP("errors", "This sick-leave certificate cannot be issued.")


class BackDatedCertificate(CertificateRefused):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The sick leave cannot start on {start}: a certificate may start at most "
        "{max} days before today ({today}). Start it today or later.",
    )


class FarFutureCertificate(CertificateRefused):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The sick leave cannot start on {start}: a certificate may start at most "
        "{max} days after today ({today}).",
    )


class BrokenExtension(CertificateRefused):
    """An extension that does not continue the certificate it names."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "An extension must start the day after certificate {number} ends, "
        "that is on {expected}, not on {start}.",
    )


class LapsedExtension(CertificateRefused):
    """An extension that would start further back than any certificate may."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "Certificate {number} ended on {end}: its extension would start on {expected}, "
        "more than {max} days ago, which no certificate may. If the patient is still "
        "unfit for work, issue a new initial certificate starting today.",
    )


class OverlappingCertificate(CertificateRefused):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This period overlaps certificate {number} ({start} to {end}) of the same patient. "
        "Issue an extension of that certificate, or start after {end}.",
    )


@dataclass(frozen=True)
class SickLeaveForm:
    """What the doctor fills in. ``days`` counts calendar days, the start day included."""

    patient_id: str
    encounter_id: str | None
    start_date: date
    days: int
    kind: CertificateKind
    outings_allowed: bool
    diagnosis_code: str | None = None  # ICD-11 MMS; shown on the patient's copy only
    extends_number: str | None = None  # for an extension: the certificate it continues


@dataclass(frozen=True)
class SickLeaveCertificate:
    id: str
    number: str
    patient_id: str
    encounter_id: str | None
    doctor_id: str
    issued_at: datetime
    kind: CertificateKind
    start_date: date
    days: int
    end_date: date  # inclusive: the last day of leave
    outings_allowed: bool
    diagnosis_code: str | None
    diagnosis_display: str | None  # WHO's ICD-11 title, unmodified
    extends_id: str | None
    extends_number: str | None
    signature: str  # the signed code printed as a QR code

    @property
    def diagnosis_system(self) -> str | None:
        return ICD11_SYSTEM if self.diagnosis_code else None


def end_date_of(start_date: date, days: int) -> date:
    """The last day of leave: ``days`` calendar days counted from ``start_date`` included."""
    return start_date + timedelta(days=days - 1)


def _check_form(form: SickLeaveForm, today: date) -> None:
    check_date(form.start_date, "start_date")
    if form.kind not in KINDS:
        raise CertificateRefused(
            QT_TRANSLATE_NOOP(
                "errors", "Choose whether this is an initial certificate or an extension."
            ),
            field="kind",
        )
    if (
        isinstance(form.days, bool)
        or not isinstance(form.days, int)
        or not MIN_DAYS <= form.days <= MAX_DAYS
    ):
        raise CertificateRefused(
            QT_TRANSLATE_NOOP("errors", "The number of days of sick leave must be {min} to {max}."),
            field="days",
            min=MIN_DAYS,
            max=MAX_DAYS,
        )
    for name in ("patient_id", "encounter_id", "diagnosis_code", "extends_number"):
        value = getattr(form, name)
        if not (isinstance(value, str) or (value is None and name != "patient_id")):
            raise CertificateRefused(
                QT_TRANSLATE_NOOP("errors", "This field must be text."), field=name
            )
    if len(form.extends_number or "") > MAX_NUMBER_LENGTH:
        raise CertificateRefused(
            QT_TRANSLATE_NOOP("errors", "This text is too long (at most {n} characters)."),
            field="extends_number",
            n=MAX_NUMBER_LENGTH,
        )
    if not isinstance(form.outings_allowed, bool):
        raise CertificateRefused(
            QT_TRANSLATE_NOOP("errors", "Say whether the patient may go out during the leave."),
            field="outings_allowed",
        )
    if form.kind == "extension" and not (form.extends_number or "").strip():
        raise CertificateRefused(
            QT_TRANSLATE_NOOP(
                "errors", "An extension must give the number of the certificate it extends."
            ),
            field="extends_number",
        )
    if form.kind == "initial" and (form.extends_number or "").strip():
        raise CertificateRefused(
            QT_TRANSLATE_NOOP(
                "errors",
                'An initial certificate extends no other; choose "extension" or clear the number.',
            ),
            field="extends_number",
        )
    # An extension starts the day after the certificate it extends: checked, and its
    # lapse told apart, with that certificate (``_previous_certificate``).
    if form.kind == "initial" and form.start_date < today - timedelta(days=MAX_DAYS_BACK):
        raise BackDatedCertificate(
            field="start_date",
            start=shown_date(form.start_date),
            max=MAX_DAYS_BACK,
            today=shown_date(today),
        )
    if form.start_date > today + timedelta(days=MAX_DAYS_AHEAD):
        raise FarFutureCertificate(
            field="start_date",
            start=shown_date(form.start_date),
            max=MAX_DAYS_AHEAD,
            today=shown_date(today),
        )


def _previous_certificate(tx: Tx, form: SickLeaveForm, today: date) -> Row:
    """The certificate an extension continues, checked against the rules of a chain."""
    number = (form.extends_number or "").strip().upper()
    previous = tx.one("SELECT * FROM sick_leave_certificates WHERE number = ?", (number,))
    if previous is None or previous["patient_id"] != form.patient_id:
        # Same answer for "no such number" and "another patient's number": the
        # form must not reveal who holds a certificate.
        raise CertificateRefused(
            QT_TRANSLATE_NOOP(
                "errors",
                "No certificate {number} was issued to this patient. "
                "Check the number on the previous certificate.",
            ),
            field="extends_number",
            number=number,
        )
    follower = tx.one(
        "SELECT number FROM sick_leave_certificates WHERE extends_id = ?", (previous["id"],)
    )
    if follower is not None:
        raise CertificateRefused(
            QT_TRANSLATE_NOOP(
                "errors",
                "Certificate {number} was already extended by {later}. Extend {later} instead.",
            ),
            field="extends_number",
            number=number,
            later=follower["number"],
        )
    ended = date.fromisoformat(previous["end_date"])
    expected = ended + timedelta(days=1)
    if expected < today - timedelta(days=MAX_DAYS_BACK):
        raise LapsedExtension(
            field="extends_number",
            number=number,
            end=shown_date(ended),
            expected=shown_date(expected),
            max=MAX_DAYS_BACK,
        )
    if form.start_date != expected:
        raise BrokenExtension(
            field="start_date",
            number=number,
            expected=shown_date(expected),
            start=shown_date(form.start_date),
        )
    return previous


def issue_sick_leave_certificate(
    session: Session, form: SickLeaveForm, *, clock: Clock = utc_now
) -> SickLeaveCertificate:
    """Issue, number and sign a sick-leave certificate (doctors only).

    The record, its outbox entry and the audit event are written in one
    transaction. ``clock`` is for tests of dates only.
    """
    session.require(Action.ISSUE_SICK_LEAVE)
    issued = clock()
    today = local_date(issued, session.zone)
    _check_form(form, today)
    end_date = end_date_of(form.start_date, form.days)
    site_code = session.store.setting("site_code") or "XXX"
    certificate_id = new_id()
    with session.transaction() as tx:
        patient = tx.one("SELECT * FROM patients WHERE id = ?", (form.patient_id,))
        if patient is None:
            raise NotFound()
        if (
            form.encounter_id is not None
            and tx.one(
                "SELECT 1 FROM encounters WHERE id = ? AND patient_id = ?",
                (form.encounter_id, form.patient_id),
            )
            is None
        ):
            raise NotFound()
        diagnosis_code: str | None = None
        diagnosis_display: str | None = None
        if form.diagnosis_code and form.diagnosis_code.strip():
            diagnosis_code = form.diagnosis_code.strip().upper()
            known = tx.one("SELECT title FROM icd11_codes WHERE code = ?", (diagnosis_code,))
            if known is None:
                raise CertificateRefused(
                    QT_TRANSLATE_NOOP("errors", "{code} is not an ICD-11 code. Search by word."),
                    field="diagnosis_code",
                    code=diagnosis_code,
                )
            diagnosis_display = str(known["title"])
        previous = _previous_certificate(tx, form, today) if form.kind == "extension" else None
        overlap = tx.one(
            "SELECT number, start_date, end_date FROM sick_leave_certificates "
            "WHERE patient_id = ? AND start_date <= ? AND end_date >= ? "
            "ORDER BY start_date LIMIT 1",
            (form.patient_id, end_date.isoformat(), form.start_date.isoformat()),
        )
        if overlap is not None:
            raise OverlappingCertificate(
                field="start_date",
                number=overlap["number"],
                start=shown_date(date.fromisoformat(overlap["start_date"])),
                end=shown_date(date.fromisoformat(overlap["end_date"])),
            )
        number = next_document_number(tx, "sick_leave_certificate", site_code, today.year)
        fields: dict[str, object] = {
            "t": SIGNED_TYPE,
            "n": number,
            "c": session.site_id,
            "d": int(issued.timestamp()),
            "p": [patient["family_name"], patient["given_name"], patient["birth_date"]],
            "s": form.start_date.isoformat(),
            "e": end_date.isoformat(),
            "j": form.days,
            "k": form.kind,
            "o": bool(form.outings_allowed),
        }
        if previous is not None:
            fields["x"] = previous["number"]  # lets a checker follow the chain offline
        signature = sign_document(session.store, fields)
        tx.insert(
            "sick_leave_certificates",
            {
                "id": certificate_id,
                "site_id": session.site_id,
                "number": number,
                "patient_id": form.patient_id,
                "encounter_id": form.encounter_id,
                "doctor_id": session.actor.user_id,
                "issued_at": to_iso(issued),
                "kind": form.kind,
                "extends_id": previous["id"] if previous else None,
                "start_date": form.start_date.isoformat(),
                "days": form.days,
                "end_date": end_date.isoformat(),
                "outings_allowed": int(bool(form.outings_allowed)),
                "diagnosis_code": diagnosis_code,
                "diagnosis_display": diagnosis_display,
                "signature": signature,
                "created_at": to_iso(issued),
            },
            sync_kind="sick_leave_certificate",
        )
        session.audit(
            tx,
            "issue_sick_leave",
            object_kind="sick_leave_certificate",
            object_id=certificate_id,
            patient_id=form.patient_id,
        )
    return SickLeaveCertificate(
        certificate_id,
        number,
        form.patient_id,
        form.encounter_id,
        session.actor.user_id,
        issued,
        form.kind,
        form.start_date,
        form.days,
        end_date,
        bool(form.outings_allowed),
        diagnosis_code,
        diagnosis_display,
        previous["id"] if previous else None,
        previous["number"] if previous else None,
        signature,
    )


_SELECT = (
    "SELECT c.*, p.number AS extends_number FROM sick_leave_certificates c "
    "LEFT JOIN sick_leave_certificates p ON p.id = c.extends_id "
)


def _from_row(row: Row) -> SickLeaveCertificate:
    return SickLeaveCertificate(
        row["id"],
        row["number"],
        row["patient_id"],
        row["encounter_id"],
        row["doctor_id"],
        from_iso(row["issued_at"]),
        row["kind"],
        date.fromisoformat(row["start_date"]),
        int(row["days"]),
        date.fromisoformat(row["end_date"]),
        bool(row["outings_allowed"]),
        row["diagnosis_code"],
        row["diagnosis_display"],
        row["extends_id"],
        row["extends_number"],
        row["signature"],
    )


def get_certificate(session: Session, certificate_id: str) -> SickLeaveCertificate:
    """One certificate, diagnosis included: for people who may open the chart."""
    row = session.store.one(_SELECT + "WHERE c.id = ?", (certificate_id,))
    if row is None:
        session.require(Action.OPEN_CHART)
        raise NotFound()
    session.require_chart(row["patient_id"])
    return _from_row(row)


def list_certificates(session: Session, patient_id: str) -> list[SickLeaveCertificate]:
    """A patient's certificates, the latest period first."""
    session.require_chart(patient_id)
    rows = session.store.all(
        _SELECT + "WHERE c.patient_id = ? ORDER BY c.start_date DESC, c.issued_at DESC",
        (patient_id,),
    )
    return [_from_row(row) for row in rows]
