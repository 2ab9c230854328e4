"""Finding and registering patients."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from clinic_app.clock import local_date, to_iso, utc_now
from clinic_app.errors import ClinicError, InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.records.search import (
    PHONE_CLUE_DIGITS,
    PHONE_MARKS,
    ascii_digits,
    fold,
    patient_search_key,
    phone_digits,
    phone_matches,
    query_tokens,
    token_clause,
)
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Row, Store, Tx
from clinic_app.validation import check_date, clean_line, clean_printed_name

SEXES = ("female", "male", "other", "unknown")
MAX_NAME = 100


class DuplicatePatient(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "A patient with this national number is already registered. "
        "Search for the number and open that record instead.",
    )

    def __init__(self, existing_id: str) -> None:
        self.existing_id = existing_id
        super().__init__()


class PossibleDuplicate(ClinicError):
    """Someone with the same names and birth date or phone is registered already."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "A patient with the same name and the same date of birth or phone is already "
        "registered ({count}). Search for them and open that record; if this is another "
        "person, save again.",
    )

    def __init__(self, existing_ids: list[str]) -> None:
        self.existing_ids = existing_ids
        super().__init__(count=len(existing_ids))


@dataclass(frozen=True)
class PatientForm:
    given_name: str
    family_name: str
    sex: str
    birth_date: date | None = None
    national_id: str = ""
    phone: str = ""
    village: str = ""


@dataclass(frozen=True)
class Patient:
    id: str
    given_name: str
    family_name: str
    sex: str
    birth_date: date | None
    national_id: str
    phone: str
    village: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @classmethod
    def from_row(cls, row: Row) -> Patient:
        return cls(
            id=row["id"],
            given_name=row["given_name"],
            family_name=row["family_name"],
            sex=row["sex"],
            birth_date=date.fromisoformat(row["birth_date"]) if row["birth_date"] else None,
            national_id=row["national_id"] or "",
            phone=row["phone"] or "",
            village=row["village"] or "",
        )


def compact_national_id(value: str) -> str:
    """The number as compared: upper-case letters and digits only.

    The same card is written "CI 0012 3456", "ci-0012-3456" or "CI00123456":
    one patient, one number. The number is printed as it was typed.
    """
    return "".join(ch for ch in value if ch.isalnum()).upper()


def _validate(session: Session, form: PatientForm) -> PatientForm:
    # In the order of the form (family name first), so the first field wrong is named.
    family = clean_printed_name(form.family_name, "family_name", limit=MAX_NAME)
    given = clean_printed_name(form.given_name, "given_name", limit=MAX_NAME)
    if form.sex not in SEXES:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "Choose the sex."), field="sex")
    today = local_date(utc_now(), session.zone)
    birth_date = None if form.birth_date is None else check_date(form.birth_date, "birth_date")
    if birth_date is not None and not date(1890, 1, 1) <= birth_date <= today:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "The date of birth cannot be in the future or before 1890."
            ),
            field="birth_date",
        )
    national_id = clean_line(form.national_id, "national_id", limit=64).upper()
    if national_id and not (
        re.fullmatch(r"[A-Z0-9 ./-]+", national_id)
        and 4 <= len(compact_national_id(national_id)) <= 32
    ):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The national number has 4 to 32 letters and digits "
                "(spaces, dots and dashes are allowed).",
            ),
            field="national_id",
        )
    phone = ascii_digits(clean_line(form.phone, "phone", limit=32))
    if phone and not is_phone_number(phone):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The phone number is not valid: 6 to 15 digits, which may be grouped "
                "with spaces, dashes, dots, slashes or brackets in pairs, and a + before "
                "the country code.",
            ),
            field="phone",
        )
    village = clean_line(form.village, "village", limit=MAX_NAME)
    return PatientForm(given, family, form.sex, birth_date, national_id, phone, village)


def is_phone_number(text: str) -> bool:
    """Digits as people write them: "+225 07 12 34 56 78", "(+225) 0712345678",
    "07-12-34-56-78", "07/12/34/56/78". 6 to 15 digits (E.164 allows 15), not all
    zeros; it starts with a digit, "+" or "("; one "+" at most, before the digits and
    not followed by a zero; brackets closed, one pair at a time."""
    if not text or any(not ("0" <= ch <= "9") and ch not in PHONE_MARKS for ch in text):
        return False
    digits = phone_digits(text)
    if not 6 <= len(digits) <= 15 or not digits.strip("0"):
        return False
    if text[0] not in "+(" and not text[0].isdigit():
        return False
    plus = text.find("+")
    if text.count("+") > 1 or (plus >= 0 and phone_digits(text[:plus])):
        return False
    if plus >= 0 and phone_digits(text[plus:]).startswith("0"):
        return False  # "+00225": the + already stands for the 00
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth not in (0, 1):
            return False
    return depth == 0


def register_patient(
    session: Session, form: PatientForm, *, despite_similar: bool = False
) -> Patient:
    """Register a new patient.

    Raises ``DuplicatePatient`` when the national number is someone's already, and
    ``PossibleDuplicate`` when someone has the same names and the same birth date or
    phone — unless ``despite_similar`` (the nurse looked: it is another person).
    """
    session.require(Action.REGISTER_PATIENT)
    form = _validate(session, form)
    now = to_iso(utc_now())
    patient_id = new_id()
    row = {
        "id": patient_id,
        "site_id": session.site_id,
        "given_name": form.given_name,
        "family_name": form.family_name,
        "sex": form.sex,
        "birth_date": form.birth_date.isoformat() if form.birth_date else None,
        "national_id": form.national_id or None,
        "national_id_key": compact_national_id(form.national_id) or None,
        "phone": form.phone or None,
        "village": form.village or None,
        "search_key": patient_search_key(
            form.given_name, form.family_name, compact_national_id(form.national_id), form.phone
        ),
        "author_id": session.actor.user_id,
        "created_at": now,
        "updated_at": now,
    }
    with session.transaction() as tx:
        if form.national_id:
            existing = tx.one(
                "SELECT id FROM patients WHERE national_id_key = ?",
                (compact_national_id(form.national_id),),
            )
            if existing is not None:
                raise DuplicatePatient(existing["id"])
        if not despite_similar:
            similar = _similar_patients(tx, form)
            if similar:
                raise PossibleDuplicate(similar)
        tx.insert("patients", row, sync_kind="patient")
        session.audit(
            tx,
            "register_patient",
            object_kind="patient",
            object_id=patient_id,
            patient_id=patient_id,
        )
    return Patient.from_row(row)


def _rows_with_phone(db: Store | Tx, digits: str) -> list[Row]:
    """Patients whose phone is the number ``digits`` (``phone_matches``).

    The phone's digits are a word of ``search_key``: only the few rows holding the
    last digits are read, and the number itself is compared here.
    """
    rows = db.all(
        "SELECT * FROM patients WHERE instr(search_key, ?) > 0", (digits[-PHONE_CLUE_DIGITS:],)
    )
    return [row for row in rows if phone_matches(row["phone"] or "", digits)]


def _similar_patients(tx: Tx, form: PatientForm) -> list[str]:
    """Patients with the same names (accents and case aside), the same sex (or one not
    known) and the same birth date or phone number."""
    candidates: list[Row] = []
    if form.birth_date is not None:
        candidates += tx.all(
            "SELECT * FROM patients WHERE birth_date = ?", (form.birth_date.isoformat(),)
        )
    digits = phone_digits(form.phone)
    if len(digits) >= PHONE_CLUE_DIGITS:
        candidates += _rows_with_phone(tx, digits)
    names = (fold(form.given_name), fold(form.family_name))
    return list(
        dict.fromkeys(
            row["id"]
            for row in candidates
            if (fold(row["given_name"]), fold(row["family_name"])) == names
            and (row["sex"] == form.sex or "unknown" in (row["sex"], form.sex))
        )
    )


_PHONE_QUERY = re.compile(r"[\d\s().\-+/'’ʼ‘`´]+")
MAX_SEARCH_RESULTS = 1000


def search_patients(session: Session, query: str, *, limit: int = 100) -> list[Patient]:
    """Patients whose words start with every word of ``query``, in any order.

    An empty query lists the most recently registered patients.
    """
    session.require(Action.SEARCH_PATIENTS)
    if not isinstance(query, str):
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "This field must be text."), field="query")
    query = query[:200]  # a runaway paste stays a cheap search
    # Invisible characters pasted with a name or a number (stored text has none).
    query = "".join(ch for ch in query if unicodedata.category(ch) != "Cf")
    words = query_tokens(query)
    if query.strip() and not words:
        return []  # only separators typed ("_", "-"): that is no name, not "everyone"
    # A number typed as on the card ("CI 0012 3456") or in part ("0012 3456").
    number = compact_national_id(query)
    by_number = len(number) >= 4 and any(ch.isdigit() for ch in number) and number.isalnum()
    # A phone number however it is written ("01 34 63 47 12", "+225 0134634712",
    # "(+225) 01 34 63 47 12"), alone or after a name ("Awa 07 12 34 56 78"): see
    # ``phone_matches``.
    name_words = [word for word in words if any(ch.isalpha() for ch in word)]
    digits = phone_digits(query)  # a name holds none
    rest = "".join(ch for ch in query if not (ch.isalpha() or unicodedata.combining(ch)))
    by_phone = (
        len(digits) >= PHONE_CLUE_DIGITS
        and _PHONE_QUERY.fullmatch(rest.strip(" '’ʼ‘`´")) is not None
    )
    limit = max(1, min(int(limit), MAX_SEARCH_RESULTS))
    if words:
        where = token_clause("search_key", len(words))
        params: tuple[object, ...] = tuple(words)
        if by_number:
            where = f"({where}) OR instr(national_id_key, ?) > 0"
            params = (*params, number)
        sql = f"SELECT * FROM patients WHERE {where} ORDER BY family_name, given_name LIMIT ?"
        rows = session.store.all(sql, (*params, limit))
    else:
        sql = "SELECT * FROM patients ORDER BY created_at DESC LIMIT ?"
        rows = session.store.all(sql, (limit,))
    if by_phone:
        seen = {row["id"] for row in rows}
        extra = [
            row
            for row in _rows_with_phone(session.store, digits)
            if row["id"] not in seen
            and all(f" {word}" in row["search_key"] for word in name_words)  # a name too
        ]
        if extra:
            rows = sorted([*rows, *extra], key=lambda r: (r["family_name"], r["given_name"]))
            rows = rows[:limit]
    # The query text itself may be a name: only the fact and the count are audited.
    session.audit_read("search_patients", object_kind="patient_search", object_id=str(len(rows)))
    return [Patient.from_row(row) for row in rows]


def open_chart(session: Session, patient_id: str) -> Patient:
    """Open one patient's record; every opening is audited."""
    session.require_chart(patient_id)
    row = session.store.one("SELECT * FROM patients WHERE id = ?", (patient_id,))
    if row is None:
        raise NotFound()
    session.audit_read(
        "open_chart", object_kind="patient", object_id=patient_id, patient_id=patient_id
    )
    return Patient.from_row(row)


def patient_as_dict(patient: Patient) -> dict[str, object]:
    return asdict(patient)
