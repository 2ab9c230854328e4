"""The medicine store's ledger: receipts, dispensings, expiry write-offs.

Rules this module keeps:

* Stock is a ledger. Each receipt, dispensing or write-off is one row of
  ``stock_movements`` with a signed quantity; rows are never updated or
  deleted. A lot's balance is the SUM of its movements, computed when needed.
* No movement makes a lot's balance negative. Balances are read *inside* the
  writing transaction, which ``BEGIN IMMEDIATE`` serialises against every other
  writer (a second storekeeper window, the sync worker), so two dispensings
  can never both take the last box.
* First expiry, first out: a prescription takes stock from the usable lot that
  expires first. A lot is usable up to and including its expiry date on the
  clinic's calendar (``session.zone``); from the next day it is expired, is
  never dispensed, and leaves stock only by :func:`write_off_expired`.
* Every movement is written with its audit event and its outbox entry
  (``sync_kind="stock_movement"``) in the same transaction — or not at all.
* ``clock`` arguments exist so tests can stand on a chosen day; the window
  never passes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic_app.clock import Clock, local_date, shown_date, to_iso, utc_now
from clinic_app.documents.signing import PREFIX
from clinic_app.documents.verification import verify_clinic_document
from clinic_app.errors import ClinicError, InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.inventory.catalogue import CatalogueItem
from clinic_app.records.prescriptions import Prescription, get_prescription
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Row, Tx

__all__ = [
    "AlreadyDispensed",
    "Dispensed",
    "ExpiredLot",
    "InsufficientStock",
    "InvalidInput",
    "LotExpiryConflict",
    "NoPrescriptionScanned",
    "NotAPrescription",
    "PrescriptionNotHere",
    "ReceiptLine",
    "StockLine",
    "UnknownProduct",
    "WrittenOff",
    "dispense_prescription",
    "dispensed_prescriptions",
    "item_balance",
    "prescription_for_dispensing",
    "receive_stock",
    "stock_on_hand",
    "write_off_expired",
]

# One delivery line of more than this is a typing slip (an extra zero, a GTIN
# typed into the quantity), not a delivery a clinic store receives.
MAX_RECEIPT_QUANTITY = 100_000
MAX_LOT_LENGTH = 20  # GS1 AI (10) holds at most 20 characters
MAX_SHELF_LIFE_YEARS = 10


# --- errors the storekeeper can act on ------------------------------------------


class UnknownProduct(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This product (GTIN {gtin}) is not in the catalogue. Check the code or ask "
        "central to add it.",
    )


class ExpiredLot(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Lot {lot} of {drug} expired on {expiry}: it must not be received or dispensed.",
    )


class LotExpiryConflict(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Lot {lot} of {drug} was already received with expiry {known}, but this delivery "
        "says {given}. One lot has one expiry date: check the box and the earlier "
        "delivery note.",
    )


class InsufficientStock(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Not enough {drug} in stock: the prescription needs {needed} {unit}, only "
        "{available} can be dispensed. Nothing was dispensed.",
    )


class AlreadyDispensed(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Prescription {number} was already dispensed ({drug}); it is not dispensed "
        "twice. Nothing was changed.",
    )


class PrescriptionNotHere(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Prescription {number} is not in this clinic's records. Check the number on the "
        "paper; a prescription from another clinic is dispensed by that clinic's store.",
    )


class NotAPrescription(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This code is document {number}, not a prescription. Scan the code printed on "
        "the prescription.",
    )


class NoPrescriptionScanned(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Scan the code printed on the prescription, or type its number (ORD-…).",
    )


# --- what services take and return ----------------------------------------------


@dataclass(frozen=True)
class ReceiptLine:
    """One line of a delivery, as scanned or typed at the store."""

    gtin: str
    lot: str
    expiry: date | None
    quantity: int  # dispensing units (tablets, bottles…), as in the catalogue


@dataclass(frozen=True)
class StockLine:
    """One lot on the shelf."""

    item: CatalogueItem
    lot: str
    expiry: date | None
    quantity: int
    expired: bool
    below_reorder: bool  # the item's usable stock, all lots together, is under its level

    @property
    def catalogue_item_id(self) -> str:
        return self.item.id

    @property
    def label(self) -> str:
        return self.item.label

    @property
    def gtin(self) -> str:
        return self.item.gtin


@dataclass(frozen=True)
class Dispensed:
    """Stock handed out for one prescription line from one lot."""

    movement_id: str
    prescription_item_id: str
    catalogue_item_id: str
    drug_name: str
    lot: str
    expiry: date | None
    quantity: int  # positive: units handed out


@dataclass(frozen=True)
class WrittenOff:
    movement_id: str
    catalogue_item_id: str
    lot: str
    quantity: int  # positive: units taken out of stock


# --- helpers --------------------------------------------------------------------


def _today(session: Session, clock: Clock) -> date:
    return local_date(clock(), session.zone)


def _expiry(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _shown_expiry(expiry: date | None) -> str:
    return shown_date(expiry) if expiry is not None else "—"


def _is_expired(expiry: date | None, today: date) -> bool:
    # Usable through the expiry day itself; a lot without expiry never expires.
    return expiry is not None and expiry < today


def _check_quantity(quantity: object) -> int:
    # bool is an int in Python; a checkbox value is no quantity.
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The quantity must be a whole number."),
            field="quantity",
        )
    if quantity < 1:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The quantity must be at least 1."),
            field="quantity",
        )
    if quantity > MAX_RECEIPT_QUANTITY:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "{quantity} is more than one delivery line can hold ({max} at most). "
                "Check the quantity.",
            ),
            field="quantity",
            quantity=quantity,
            max=MAX_RECEIPT_QUANTITY,
        )
    return quantity


def _check_expiry(expiry: object, today: date) -> date:
    """Every medicine received carries its expiry date, and a plausible one.

    A lot without one could never be refused as expired; a date decades ahead
    is a typing slip (2072 for 2027).
    """
    if expiry is None:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "Type the expiry date printed on the box: every lot needs one."
            ),
            field="expiry",
        )
    # A datetime is a date to Python but cannot be compared with one.
    if not isinstance(expiry, date) or isinstance(expiry, datetime):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The expiry date is not a date; type it as on the box."),
            field="expiry",
        )
    if expiry > today.replace(year=today.year + MAX_SHELF_LIFE_YEARS, day=min(today.day, 28)):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "An expiry date more than {years} years ahead is surely mistyped; check it.",
            ),
            field="expiry",
            years=MAX_SHELF_LIFE_YEARS,
        )
    return expiry


def _normal_gtin(gtin: str) -> str:
    text = str(gtin).strip()
    if not (text.isascii() and text.isdigit() and len(text) in (8, 12, 13, 14)):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "A GTIN is 8, 12, 13 or 14 digits; {gtin} is not one.",
            ),
            field="gtin",
            gtin=text,
        )
    return text.zfill(14)


def _normal_lot(lot: str) -> str:
    text = str(lot or "").strip()
    if not text:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "Type the lot number printed on the box: every pack received needs one.",
            ),
            field="lot",
        )
    # GS1 lots (AI 10) hold printable ASCII only; letter case is not a different lot.
    text = text.upper()
    if len(text) > MAX_LOT_LENGTH or not all(33 <= ord(ch) <= 126 for ch in text):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "A lot number has at most {max} letters, digits and signs, without "
                "accents or spaces; check it.",
            ),
            field="lot",
            max=MAX_LOT_LENGTH,
        )
    return text


def _lot_balances(tx: Tx, catalogue_item_id: str) -> list[Row]:
    """The item's lots still holding stock, as read inside the writing transaction."""
    return tx.all(
        "SELECT lot, MAX(expiry) AS expiry, SUM(quantity) AS balance "
        "FROM stock_movements WHERE catalogue_item_id = ? "
        "GROUP BY lot HAVING SUM(quantity) > 0",
        (catalogue_item_id,),
    )


def _lot_balance(tx: Tx, catalogue_item_id: str, lot: str) -> int:
    row = tx.one(
        "SELECT COALESCE(SUM(quantity), 0) AS balance FROM stock_movements "
        "WHERE catalogue_item_id = ? AND lot = ?",
        (catalogue_item_id, lot),
    )
    return int(row["balance"]) if row is not None else 0


def _write_movement(
    session: Session,
    tx: Tx,
    *,
    catalogue_item_id: str,
    lot: str,
    expiry: date | None,
    kind: str,
    quantity: int,
    occurred_at: str,
    prescription_item_id: str | None = None,
    reason: str = "",
) -> str:
    movement_id = new_id()
    tx.insert(
        "stock_movements",
        {
            "id": movement_id,
            "site_id": session.site_id,
            "catalogue_item_id": catalogue_item_id,
            "lot": lot,
            "expiry": expiry.isoformat() if expiry is not None else None,
            "kind": kind,
            "quantity": quantity,
            "prescription_item_id": prescription_item_id,
            "reason": reason,
            "author_id": session.actor.user_id,
            "occurred_at": occurred_at,
        },
        sync_kind="stock_movement",
    )
    if quantity < 0 and _lot_balance(tx, catalogue_item_id, lot) < 0:
        # Unreachable while the callers take no more than they read; kept because
        # a negative lot is the one thing this ledger must never hold.
        raise InsufficientStock(
            QT_TRANSLATE_NOOP("errors", "Lot {lot} does not hold that much stock."),
            lot=lot,
        )
    return movement_id


# --- receiving ------------------------------------------------------------------


def receive_stock(session: Session, line: ReceiptLine, *, clock: Clock = utc_now) -> str:
    """Enter one delivery line into stock; return the movement id.

    Refuses an unknown product, a missing lot or expiry, a lot already expired
    on the clinic's calendar, and a lot already received with another expiry
    date. Lots are compared in upper case ("l1" and "L1" are one lot).
    """
    session.require(Action.RECEIVE_STOCK)
    gtin = _normal_gtin(line.gtin)
    lot = _normal_lot(line.lot)
    quantity = _check_quantity(line.quantity)
    now = clock()
    today = local_date(now, session.zone)
    expiry = _check_expiry(line.expiry, today)
    with session.transaction() as tx:
        item = tx.one("SELECT * FROM catalogue_items WHERE gtin = ? AND active = 1", (gtin,))
        if item is None:
            raise UnknownProduct(gtin=gtin)
        drug = CatalogueItem.from_row(item).label
        if _is_expired(expiry, today):
            raise ExpiredLot(lot=lot, drug=drug, expiry=shown_date(expiry))
        known = tx.one(
            "SELECT expiry FROM stock_movements WHERE catalogue_item_id = ? AND lot = ? "
            "AND kind = 'receipt' LIMIT 1",
            (item["id"], lot),
        )
        if known is not None and _expiry(known["expiry"]) != expiry:
            raise LotExpiryConflict(
                lot=lot,
                drug=drug,
                known=_shown_expiry(_expiry(known["expiry"])),
                given=_shown_expiry(expiry),
            )
        movement_id = _write_movement(
            session,
            tx,
            catalogue_item_id=item["id"],
            lot=lot,
            expiry=expiry,
            kind="receipt",
            quantity=quantity,
            occurred_at=to_iso(now),
        )
        session.audit(tx, "receive_stock", object_kind="stock_movement", object_id=movement_id)
    return movement_id


# --- looking at the shelves -----------------------------------------------------


def stock_on_hand(
    session: Session, *, include_empty: bool = False, clock: Clock = utc_now
) -> list[StockLine]:
    """Every lot with stock (or every lot ever received, with ``include_empty``).

    Sorted by drug, then first expiry first — the order they leave the shelf.
    ``below_reorder`` compares the item's usable stock (expired lots do not
    count: they cannot be handed out) with its reorder level.
    """
    session.require(Action.VIEW_STOCK)
    today = _today(session, clock)
    rows: list[Any] = session.store.all(
        "SELECT c.*, m.lot AS lot, MAX(m.expiry) AS lot_expiry, SUM(m.quantity) AS balance "
        "FROM stock_movements m JOIN catalogue_items c ON c.id = m.catalogue_item_id "
        "GROUP BY m.catalogue_item_id, m.lot"
    )
    usable: dict[str, int] = {}
    for row in rows:
        if not _is_expired(_expiry(row["lot_expiry"]), today):
            usable[row["id"]] = usable.get(row["id"], 0) + int(row["balance"])
    lines: list[StockLine] = []
    for row in rows:
        quantity = int(row["balance"])
        if quantity == 0 and not include_empty:
            continue
        item = CatalogueItem.from_row(row)
        expiry = _expiry(row["lot_expiry"])
        lines.append(
            StockLine(
                item=item,
                lot=row["lot"],
                expiry=expiry,
                quantity=quantity,
                expired=_is_expired(expiry, today),
                below_reorder=usable.get(item.id, 0) < item.reorder_level,
            )
        )
    lines.sort(
        key=lambda line: (
            line.item.name,
            line.item.strength,
            line.item.id,
            line.expiry or date.max,
            line.lot,
        )
    )
    return lines


def item_balance(session: Session, catalogue_item_id: str) -> int:
    """Units of the item in the store, all lots together, expired ones included."""
    session.require(Action.VIEW_STOCK)
    row = session.store.one(
        "SELECT COALESCE(SUM(quantity), 0) AS balance FROM stock_movements "
        "WHERE catalogue_item_id = ?",
        (catalogue_item_id,),
    )
    return int(row["balance"]) if row is not None else 0


# --- dispensing -----------------------------------------------------------------


MAX_SCANNED_LENGTH = 4_000  # a prescription's QR text is a few hundred characters


def prescription_for_dispensing(session: Session, scanned: str) -> Prescription:
    """The prescription a patient hands over, from its QR code or its number.

    The QR code (``CA1:…``) is checked against the issuing clinic's key before
    anything is looked up, so a forged or altered paper is refused
    (``ForgedDocument``); a number (typed, or read from the printed barcode)
    is looked up as written. Raises ``NotAPrescription`` for a certificate's
    code and ``PrescriptionNotHere`` for a number this clinic never recorded.
    """
    session.require(Action.DISPENSE)
    # Upper case: Base45 has no small letters, so a scanner typing with Caps Lock
    # on changes nothing; the ends lose a scanner's Enter or tab.
    text = str(scanned or "").strip().upper()
    if not text or len(text) > MAX_SCANNED_LENGTH:
        raise NoPrescriptionScanned()
    if text.startswith(PREFIX):
        verified = verify_clinic_document(session, text)  # Base45 may hold spaces: kept
        if verified.kind != "prescription":
            raise NotAPrescription(number=verified.number)
        number = verified.number
    else:
        number = "".join(text.split())
    row = session.store.one("SELECT id FROM prescriptions WHERE number = ?", (number,))
    if row is None:
        raise PrescriptionNotHere(number=number[:40])
    return get_prescription(session, str(row["id"]))


def dispensed_prescriptions(session: Session, prescription_ids: Sequence[str]) -> set[str]:
    """Which of these prescriptions the store has already handed out."""
    session.require(Action.VIEW_STOCK)
    dispensed: set[str] = set()
    for start in range(0, len(prescription_ids), 500):
        chunk = list(prescription_ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        rows = session.store.all(
            "SELECT DISTINCT i.prescription_id FROM prescription_items i "
            "JOIN stock_movements m ON m.prescription_item_id = i.id "
            f"WHERE i.prescription_id IN ({marks})",
            tuple(chunk),
        )
        dispensed.update(str(r["prescription_id"]) for r in rows)
    return dispensed


def dispense_prescription(
    session: Session, prescription_id: str, *, clock: Clock = utc_now
) -> list[Dispensed]:
    """Hand out every line of a prescription, first expiry first out — all lines or none.

    Refuses a prescription already dispensed, and a line that needs more than
    the usable (non-expired) stock, naming the drug and what is there.
    """
    session.require(Action.DISPENSE)
    now = clock()
    today = local_date(now, session.zone)
    occurred_at = to_iso(now)
    dispensed: list[Dispensed] = []
    with session.transaction() as tx:
        prescription = tx.one("SELECT * FROM prescriptions WHERE id = ?", (prescription_id,))
        if prescription is None:
            raise NotFound()
        lines = tx.all(
            "SELECT p.*, COALESCE(c.unit, '') AS unit FROM prescription_items p "
            "LEFT JOIN catalogue_items c ON c.id = p.catalogue_item_id "
            "WHERE p.prescription_id = ? ORDER BY p.rowid",
            (prescription_id,),
        )
        for line in lines:
            if (
                tx.one(
                    "SELECT 1 FROM stock_movements WHERE prescription_item_id = ? LIMIT 1",
                    (line["id"],),
                )
                is not None
            ):
                raise AlreadyDispensed(number=prescription["number"], drug=line["drug_name"])
        for line in lines:
            # Read per line, after the lines before it were written: two lines of
            # the same drug must not both count the same boxes.
            dispensed.extend(_dispense_line(session, tx, line, today, occurred_at))
        session.audit(
            tx,
            "dispense_prescription",
            object_kind="prescription",
            object_id=prescription_id,
            patient_id=prescription["patient_id"],
        )
    return dispensed


def _dispense_line(
    session: Session, tx: Tx, line: Row, today: date, occurred_at: str
) -> list[Dispensed]:
    needed = int(line["quantity"])
    lots = [
        (row["lot"], _expiry(row["expiry"]), int(row["balance"]))
        for row in _lot_balances(tx, line["catalogue_item_id"])
    ]
    usable = sorted(
        (lot for lot in lots if not _is_expired(lot[1], today)),
        key=lambda lot: (lot[1] or date.max, lot[0]),
    )
    expired = sorted(
        (lot for lot in lots if _is_expired(lot[1], today)),
        key=lambda lot: (lot[1] or date.max, lot[0]),
    )
    available = sum(balance for _, _, balance in usable)
    if available < needed:
        _refuse_short_line(line, needed, available, expired)
    taken: list[Dispensed] = []
    for lot, expiry, balance in usable:
        if needed == 0:
            break
        take = min(balance, needed)
        movement_id = _write_movement(
            session,
            tx,
            catalogue_item_id=line["catalogue_item_id"],
            lot=lot,
            expiry=expiry,
            kind="dispense",
            quantity=-take,
            occurred_at=occurred_at,
            prescription_item_id=line["id"],
        )
        taken.append(
            Dispensed(
                movement_id,
                line["id"],
                line["catalogue_item_id"],
                line["drug_name"],
                lot,
                expiry,
                take,
            )
        )
        needed -= take
    return taken


def _refuse_short_line(
    line: Row, needed: int, available: int, expired: Sequence[tuple[str, date | None, int]]
) -> None:
    drug = line["drug_name"]
    if len(expired) == 1 and available == 0:
        lot, expiry, balance = expired[0]
        raise ExpiredLot(
            QT_TRANSLATE_NOOP(
                "errors",
                "The only {drug} left (lot {lot}, {balance} {unit}) expired on {expiry}: "
                "it must not be dispensed. Write the lot off and order more. Nothing was "
                "dispensed.",
            ),
            drug=drug,
            lot=lot,
            balance=balance,
            unit=line["unit"],
            expiry=_shown_expiry(expiry),
        )
    if expired and available == 0:
        raise ExpiredLot(
            QT_TRANSLATE_NOOP(
                "errors",
                "All the {drug} left ({balance} {unit}, lots {lots}) is in expired lots: it "
                "must not be dispensed. Write the lots off and order more. Nothing was "
                "dispensed.",
            ),
            drug=drug,
            lots=", ".join(lot for lot, _, _ in expired[:5]) + ("…" if len(expired) > 5 else ""),
            balance=sum(balance for _, _, balance in expired),
            unit=line["unit"],
        )
    if expired:
        raise InsufficientStock(
            QT_TRANSLATE_NOOP(
                "errors",
                "Not enough {drug} in stock: the prescription needs {needed} {unit}, only "
                "{available} can be dispensed; {expired} more are in expired lots, which "
                "must be written off. Nothing was dispensed.",
            ),
            drug=drug,
            needed=needed,
            available=available,
            unit=line["unit"],
            expired=sum(balance for _, _, balance in expired),
        )
    raise InsufficientStock(drug=drug, needed=needed, available=available, unit=line["unit"])


# --- expired lots leave stock ---------------------------------------------------


def write_off_expired(
    session: Session, catalogue_item_id: str, lot: str, *, clock: Clock = utc_now
) -> WrittenOff:
    """Take what is left of an expired lot out of stock (to be destroyed).

    Uses the storekeeper's right to receive stock: the permission table has no
    separate write-off action yet.
    """
    session.require(Action.WRITE_OFF_STOCK)
    lot = _normal_lot(lot)
    now = clock()
    today = local_date(now, session.zone)
    with session.transaction() as tx:
        item = tx.one("SELECT * FROM catalogue_items WHERE id = ?", (catalogue_item_id,))
        if item is None:
            raise NotFound()
        drug = CatalogueItem.from_row(item).label
        row = tx.one(
            "SELECT MAX(expiry) AS expiry, SUM(quantity) AS balance FROM stock_movements "
            "WHERE catalogue_item_id = ? AND lot = ?",
            (catalogue_item_id, lot),
        )
        if row is None or row["balance"] is None:
            raise NotFound()
        expiry = _expiry(row["expiry"])
        if not _is_expired(expiry, today):
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors",
                    "Lot {lot} of {drug} has not expired (expiry {expiry}); only expired "
                    "lots are written off here.",
                ),
                field="lot",
                lot=lot,
                drug=drug,
                expiry=_shown_expiry(expiry),
            )
        balance = int(row["balance"])
        if balance <= 0:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "Lot {lot} of {drug} holds no stock to write off."),
                field="lot",
                lot=lot,
                drug=drug,
            )
        movement_id = _write_movement(
            session,
            tx,
            catalogue_item_id=catalogue_item_id,
            lot=lot,
            expiry=expiry,
            kind="expiry_write_off",
            quantity=-balance,
            occurred_at=to_iso(now),
            reason="expired",
        )
        session.audit(tx, "write_off_expired", object_kind="stock_movement", object_id=movement_id)
    return WrittenOff(movement_id, catalogue_item_id, lot, balance)
