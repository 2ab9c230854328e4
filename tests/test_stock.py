"""The store's day: deliveries in, prescriptions out, first expiry first out, never below zero.

Real SQLCipher clinics: the doctor writes the prescription, the storekeeper
receives and dispenses. ``clock`` puts the store on a chosen day.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from conftest import PASSWORDS, make_clinic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_app.documents.signing import ForgedDocument
from clinic_app.documents.verification import UnknownIssuingClinic
from clinic_app.errors import InvalidInput, NotFound, PermissionDenied
from clinic_app.inventory.catalogue import (
    counted_unit,
    find_by_gtin,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.inventory.scanning import parse_scan
from clinic_app.inventory.stock import (
    AlreadyDispensed,
    ExpiredLot,
    InsufficientStock,
    LotExpiryConflict,
    NoPrescriptionScanned,
    NotAPrescription,
    PrescriptionNotHere,
    ReceiptLine,
    UnknownProduct,
    dispense_prescription,
    dispensed_prescriptions,
    item_balance,
    prescription_for_dispensing,
    receive_stock,
    stock_on_hand,
    write_off_expired,
)
from clinic_app.records.certificates import SickLeaveForm, issue_sick_leave_certificate
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.records.prescriptions import PrescriptionLine, get_prescription, write_prescription
from clinic_app.resources import resource_path
from clinic_app.security.accounts import login
from clinic_app.session import Session

PARACETAMOL = "03614142000018"  # reorder level 500
AMOXICILLIN = "08800154310022"  # reorder level 300
ORS = "03760100004564"  # oral rehydration salts, reorder level 100

MONDAY = date(2030, 3, 4)


def on(day: date, at: time = time(12, 0)) -> Callable[[], datetime]:
    """A clock standing still on ``day`` (UTC; the test clinic is in Abidjan, UTC+0)."""
    return lambda: datetime.combine(day, at, tzinfo=UTC)


def count(session: Session, table: str) -> int:
    row = session.store.one(f"SELECT count(*) AS n FROM {table}")
    assert row is not None
    return int(row["n"])


def ledger_counts(session: Session) -> tuple[int, int, int]:
    return (
        count(session, "stock_movements"),
        count(session, "outbox"),
        count(session, "audit_events"),
    )


@pytest.fixture
def catalogue(storekeeper: Session) -> dict[str, str]:
    """The demo catalogue; returns catalogue item id by GTIN."""
    with storekeeper.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
    ids = {}
    for gtin in (PARACETAMOL, AMOXICILLIN, ORS):
        item = find_by_gtin(storekeeper, gtin)
        assert item is not None
        ids[gtin] = item.id
    return ids


@pytest.fixture
def patient_id(doctor: Session) -> str:
    return register_patient(doctor, PatientForm("Koffi", "Kouassi", "male")).id


@pytest.fixture
def prescribe(doctor: Session, patient_id: str, catalogue: dict[str, str]) -> Callable[..., str]:
    def write(*lines: tuple[str, int]) -> str:
        prescription = write_prescription(
            doctor,
            patient_id=patient_id,
            encounter_id=None,
            lines=[
                PrescriptionLine(catalogue[gtin], "1 comprimé", "3 fois par jour", 5, qty)
                for gtin, qty in lines
            ],
        )
        return prescription.id

    return write


def receive(
    storekeeper: Session,
    gtin: str,
    lot: str,
    expiry: date | None,
    quantity: int,
    day: date = MONDAY,
) -> str:
    return receive_stock(storekeeper, ReceiptLine(gtin, lot, expiry, quantity), clock=on(day))


def lot_balances(session: Session) -> dict[tuple[str, str], int]:
    rows = session.store.all(
        "SELECT catalogue_item_id, lot, SUM(quantity) AS n FROM stock_movements "
        "GROUP BY catalogue_item_id, lot"
    )
    return {(row["catalogue_item_id"], row["lot"]): int(row["n"]) for row in rows}


# --- receiving ----------------------------------------------------------------------


def test_storekeeper_receives_a_scanned_delivery_and_sees_it_on_hand(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    scanned = parse_scan("]d2010880015431002210BX7781\x1d17261130", today=MONDAY)
    movement_id = receive(
        storekeeper, scanned.gtin, scanned.lot or "", scanned.expiry, 120, day=date(2026, 1, 5)
    )
    assert movement_id
    lines = stock_on_hand(storekeeper, clock=on(date(2026, 1, 5)))
    assert len(lines) == 1
    line = lines[0]
    assert (line.catalogue_item_id, line.gtin, line.lot, line.expiry, line.quantity) == (
        catalogue[AMOXICILLIN],
        AMOXICILLIN,
        "BX7781",
        date(2026, 11, 30),
        120,
    )
    assert line.label == "Amoxicilline 500 mg (gélule)"
    assert line.expired is False
    assert line.below_reorder is True  # 120 under the reorder level of 300
    assert item_balance(storekeeper, catalogue[AMOXICILLIN]) == 120


def test_second_delivery_of_the_same_lot_adds_to_it(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 31), 400)
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 31), 200)
    [line] = stock_on_hand(storekeeper, clock=on(MONDAY))
    assert line.quantity == 600
    assert line.below_reorder is False


def test_gtin_13_typed_without_the_leading_zero_is_the_same_product(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, PARACETAMOL.lstrip("0"), "P1", date(2031, 1, 31), 10)
    assert item_balance(storekeeper, catalogue[PARACETAMOL]) == 10


def test_expired_lot_is_refused_at_receipt(storekeeper: Session, catalogue: dict[str, str]) -> None:
    before = ledger_counts(storekeeper)
    with pytest.raises(ExpiredLot) as caught:
        receive(storekeeper, PARACETAMOL, "OLD1", MONDAY - timedelta(days=1), 50)
    assert "expired on 03/03/2030" in str(caught.value)
    assert ledger_counts(storekeeper) == before


def test_lot_expiring_today_may_still_be_received(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, PARACETAMOL, "LAST", MONDAY, 5)
    assert item_balance(storekeeper, catalogue[PARACETAMOL]) == 5


def test_unknown_product_is_refused_with_its_gtin(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    with pytest.raises(UnknownProduct) as caught:
        receive(storekeeper, "04006381333931", "X1", date(2031, 1, 1), 10)
    assert str(caught.value) == (
        "This product (GTIN 04006381333931) is not in the catalogue. "
        "Check the code or ask central to add it."
    )


@pytest.mark.parametrize("gtin", ["", "abc", "0361414200001", "036141420000180"])
def test_a_gtin_that_is_not_one_is_refused_as_input(
    storekeeper: Session, catalogue: dict[str, str], gtin: str
) -> None:
    with pytest.raises((InvalidInput, UnknownProduct)):
        receive(storekeeper, gtin, "X1", date(2031, 1, 1), 10)


@pytest.mark.parametrize("quantity", [0, -1, -500, 100_001, 10**12, 2.5, True, "3", None])
def test_impossible_quantities_are_refused(
    storekeeper: Session, catalogue: dict[str, str], quantity: object
) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), quantity)  # type: ignore[arg-type]
    assert caught.value.field == "quantity"
    assert count(storekeeper, "stock_movements") == 0


@pytest.mark.parametrize("expiry", ["2031-01-01", datetime(2031, 1, 1, tzinfo=UTC), 20310101])
def test_an_expiry_that_is_not_a_calendar_date_is_refused(
    storekeeper: Session, catalogue: dict[str, str], expiry: object
) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(storekeeper, PARACETAMOL, "P1", expiry, 10)  # type: ignore[arg-type]
    assert caught.value.field == "expiry"


@pytest.mark.parametrize("lot", ["", "   ", "L" * 21])
def test_lot_is_required_and_short(
    storekeeper: Session, catalogue: dict[str, str], lot: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(storekeeper, PARACETAMOL, lot, date(2031, 1, 1), 10)
    assert caught.value.field == "lot"


def test_lot_received_again_with_another_expiry_is_refused(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 31), 10)
    with pytest.raises(LotExpiryConflict) as caught:
        receive(storekeeper, PARACETAMOL, "P1", date(2031, 2, 28), 10)
    assert "31/01/2031" in str(caught.value)
    assert "28/02/2031" in str(caught.value)
    assert item_balance(storekeeper, catalogue[PARACETAMOL]) == 10


# --- dispensing ---------------------------------------------------------------------


def test_first_expiry_first_out_across_two_lots(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, PARACETAMOL, "LATE", date(2031, 6, 30), 100)
    receive(storekeeper, PARACETAMOL, "EARLY", date(2030, 9, 30), 30)
    dispensed = dispense_prescription(storekeeper, prescribe((PARACETAMOL, 50)), clock=on(MONDAY))
    assert [(d.lot, d.quantity) for d in dispensed] == [("EARLY", 30), ("LATE", 20)]
    assert all(d.drug_name.startswith("Paracétamol") for d in dispensed)
    balances = lot_balances(storekeeper)
    assert balances[(catalogue[PARACETAMOL], "EARLY")] == 0
    assert balances[(catalogue[PARACETAMOL], "LATE")] == 80
    rows = storekeeper.store.all(
        "SELECT kind, quantity, prescription_item_id FROM stock_movements "
        "WHERE kind = 'dispense' ORDER BY quantity"
    )
    assert [(r["kind"], r["quantity"]) for r in rows] == [("dispense", -30), ("dispense", -20)]
    assert all(r["prescription_item_id"] == dispensed[0].prescription_item_id for r in rows)
    # The empty lot leaves the shelf list unless asked for.
    assert [line.lot for line in stock_on_hand(storekeeper, clock=on(MONDAY))] == ["LATE"]
    assert [
        line.lot for line in stock_on_hand(storekeeper, include_empty=True, clock=on(MONDAY))
    ] == ["EARLY", "LATE"]


def test_lot_expiring_today_is_used_and_yesterdays_never(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, PARACETAMOL, "TODAY", MONDAY, 10, day=MONDAY - timedelta(days=30))
    receive(storekeeper, PARACETAMOL, "LATER", date(2031, 1, 1), 100)
    first = dispense_prescription(
        storekeeper, prescribe((PARACETAMOL, 4)), clock=on(MONDAY, time(23, 59))
    )
    assert [(d.lot, d.quantity) for d in first] == [("TODAY", 4)]
    tuesday = MONDAY + timedelta(days=1)
    second = dispense_prescription(
        storekeeper, prescribe((PARACETAMOL, 4)), clock=on(tuesday, time(0, 1))
    )
    assert [(d.lot, d.quantity) for d in second] == [("LATER", 4)]
    lines = {line.lot: line for line in stock_on_hand(storekeeper, clock=on(tuesday))}
    assert lines["TODAY"].expired is True
    assert lines["TODAY"].quantity == 6
    assert lines["LATER"].expired is False


def test_the_clinics_own_calendar_decides_when_a_lot_has_expired(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    with storekeeper.transaction() as tx:  # move the clinic to Lagos, UTC+1
        tx.execute("UPDATE settings SET value = 'Africa/Lagos' WHERE key = 'timezone'")
    receive(storekeeper, PARACETAMOL, "MON", MONDAY, 10, day=MONDAY - timedelta(days=3))
    receive(storekeeper, PARACETAMOL, "NEXT", date(2031, 1, 1), 10, day=MONDAY - timedelta(days=3))
    # 22:30 UTC is 23:30 on Monday in Lagos: lot MON is still good.
    evening = dispense_prescription(
        storekeeper, prescribe((PARACETAMOL, 1)), clock=on(MONDAY, time(22, 30))
    )
    assert evening[0].lot == "MON"
    # 23:30 UTC is already Tuesday in Lagos: lot MON has expired.
    night = dispense_prescription(
        storekeeper, prescribe((PARACETAMOL, 1)), clock=on(MONDAY, time(23, 30))
    )
    assert night[0].lot == "NEXT"


def test_more_than_the_stock_is_refused_and_nothing_is_written(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    receive(storekeeper, AMOXICILLIN, "A1", date(2031, 1, 1), 5)
    prescription_id = prescribe((PARACETAMOL, 10), (AMOXICILLIN, 6))
    before = ledger_counts(storekeeper)
    with pytest.raises(InsufficientStock) as caught:
        dispense_prescription(storekeeper, prescription_id, clock=on(MONDAY))
    text = str(caught.value)
    assert "Amoxicilline" in text
    assert "needs 6" in text
    assert "only 5" in text
    # The paracetamol line could have been served: all lines or none.
    assert ledger_counts(storekeeper) == before
    assert item_balance(storekeeper, catalogue[PARACETAMOL]) == 100


def test_when_several_expired_lots_are_all_that_is_left_each_is_named(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    for lot, quantity, days_before in (("ORS-A", 4, 3), ("ORS-B", 30, 2), ("ORS-C", 41, 1)):
        expiry = MONDAY - timedelta(days=days_before)
        receive(storekeeper, ORS, lot, expiry, quantity, day=MONDAY - timedelta(days=60))
    prescription_id = prescribe((ORS, 2))
    before = ledger_counts(storekeeper)
    with pytest.raises(ExpiredLot) as caught:
        dispense_prescription(storekeeper, prescription_id, clock=on(MONDAY))
    message = str(caught.value)
    assert "75" in message  # all that is left, not the first lot's 4
    for lot in ("ORS-A", "ORS-B", "ORS-C"):
        assert lot in message
    assert ledger_counts(storekeeper) == before


def test_when_only_expired_stock_is_left_it_must_be_written_off(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, ORS, "ORS-OLD", MONDAY, 40, day=MONDAY - timedelta(days=60))
    tuesday = MONDAY + timedelta(days=1)
    prescription_id = prescribe((ORS, 2))
    before = ledger_counts(storekeeper)
    with pytest.raises(ExpiredLot) as caught:
        dispense_prescription(storekeeper, prescription_id, clock=on(tuesday))
    assert "ORS-OLD" in str(caught.value)
    assert "Write the lot off" in str(caught.value)
    assert ledger_counts(storekeeper) == before

    written_off = write_off_expired(storekeeper, catalogue[ORS], "ORS-OLD", clock=on(tuesday))
    assert written_off.quantity == 40
    assert item_balance(storekeeper, catalogue[ORS]) == 0
    kinds = storekeeper.store.all("SELECT kind, quantity FROM stock_movements ORDER BY rowid")
    assert [(r["kind"], r["quantity"]) for r in kinds] == [
        ("receipt", 40),
        ("expiry_write_off", -40),
    ]
    with pytest.raises(InvalidInput):  # nothing left to write off
        write_off_expired(storekeeper, catalogue[ORS], "ORS-OLD", clock=on(tuesday))


def test_some_usable_stock_and_some_expired_names_both(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, ORS, "OLD", MONDAY, 40, day=MONDAY - timedelta(days=60))
    receive(storekeeper, ORS, "NEW", date(2031, 1, 1), 3)
    with pytest.raises(InsufficientStock) as caught:
        dispense_prescription(
            storekeeper, prescribe((ORS, 5)), clock=on(MONDAY + timedelta(days=1))
        )
    assert "only 3" in str(caught.value)
    assert "40 more are in expired lots" in str(caught.value)


def test_a_lot_that_has_not_expired_is_not_written_off(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, ORS, "GOOD", date(2031, 1, 1), 10)
    with pytest.raises(InvalidInput):
        write_off_expired(storekeeper, catalogue[ORS], "GOOD", clock=on(MONDAY))
    with pytest.raises(NotFound):
        write_off_expired(storekeeper, catalogue[ORS], "NO-SUCH-LOT", clock=on(MONDAY))


def test_dispensing_twice_is_refused(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    prescription_id = prescribe((PARACETAMOL, 10))
    dispense_prescription(storekeeper, prescription_id, clock=on(MONDAY))
    before = ledger_counts(storekeeper)
    with pytest.raises(AlreadyDispensed) as caught:
        dispense_prescription(storekeeper, prescription_id, clock=on(MONDAY))
    assert "already dispensed" in str(caught.value)
    assert ledger_counts(storekeeper) == before
    assert item_balance(storekeeper, catalogue[PARACETAMOL]) == 90


def test_same_drug_on_two_lines_does_not_count_the_same_boxes_twice(
    storekeeper: Session, catalogue: dict[str, str], prescribe: Callable[..., str]
) -> None:
    # A prescription now names each medicine once, but one written before that rule
    # (or pulled from a clinic running an older program) may carry it on two lines.
    def older_prescription(first: int, second: int) -> str:
        prescription_id = prescribe((PARACETAMOL, first), (AMOXICILLIN, second))
        with storekeeper.transaction() as tx:
            tx.execute(
                "UPDATE prescription_items SET catalogue_item_id = ? "
                "WHERE prescription_id = ? AND catalogue_item_id = ?",
                (catalogue[PARACETAMOL], prescription_id, catalogue[AMOXICILLIN]),
            )
        return prescription_id

    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 10)
    with pytest.raises(InsufficientStock):
        dispense_prescription(storekeeper, older_prescription(6, 6), clock=on(MONDAY))
    dispensed = dispense_prescription(storekeeper, older_prescription(6, 4), clock=on(MONDAY))
    assert sum(d.quantity for d in dispensed) == 10
    assert item_balance(storekeeper, catalogue[PARACETAMOL]) == 0


def test_unknown_prescription_is_not_found(storekeeper: Session) -> None:
    with pytest.raises(NotFound):
        dispense_prescription(storekeeper, "no-such-prescription")


# --- the paper the patient hands over ------------------------------------------------------


def test_the_prescriptions_qr_code_or_number_finds_it_at_the_store(
    storekeeper: Session, doctor: Session, prescribe: Callable[..., str]
) -> None:
    prescription = get_prescription(doctor, prescribe((PARACETAMOL, 10)))
    qr_text = prescription.signature
    assert qr_text.startswith("CA1:")
    # As scanners type it: with an Enter or a tab after it, with Caps Lock on.
    for scanned in (qr_text, qr_text + "\r\n", "\t" + qr_text.lower() + "\n"):
        assert prescription_for_dispensing(storekeeper, scanned).id == prescription.id
    # The number, from the printed barcode or typed from the paper.
    for typed in (
        prescription.number,
        f"  {prescription.number.lower()} ",
        "ORD - TRV" + (prescription.number[len("ORD-TRV") :]),
    ):
        assert prescription_for_dispensing(storekeeper, typed).id == prescription.id


def test_an_altered_or_foreign_code_is_refused_at_the_store(
    storekeeper: Session,
    doctor: Session,
    prescribe: Callable[..., str],
    tmp_path: Path,
) -> None:
    qr_text = get_prescription(doctor, prescribe((PARACETAMOL, 10))).signature
    # One character of the signed text changed (Base45 keeps it decodable).
    position = len(qr_text) // 2
    altered = (
        qr_text[:position] + ("A" if qr_text[position] != "A" else "B") + qr_text[position + 1 :]
    )
    with pytest.raises(ForgedDocument):
        prescription_for_dispensing(storekeeper, altered)
    with pytest.raises(ForgedDocument):
        prescription_for_dispensing(storekeeper, "CA1:not base45 at all ~~")
    certificate = issue_sick_leave_certificate(
        doctor,
        SickLeaveForm(
            get_prescription(doctor, prescribe((ORS, 2))).patient_id,
            None,
            MONDAY,
            3,
            "initial",
            outings_allowed=True,
        ),
        clock=on(MONDAY),
    )
    with pytest.raises(NotAPrescription) as caught:
        prescription_for_dispensing(storekeeper, certificate.signature)
    assert certificate.number in str(caught.value)
    with pytest.raises(PrescriptionNotHere) as missing:
        prescription_for_dispensing(storekeeper, "ORD-TRV-2019-999999")
    assert "ORD-TRV-2019-999999" in str(missing.value)
    for nothing in ("", "   ", "\r\n", "x" * 10_000):
        with pytest.raises((NoPrescriptionScanned, PrescriptionNotHere)):
            prescription_for_dispensing(storekeeper, nothing)
    # A prescription printed by a clinic whose key this one has never received.
    other_dir = tmp_path / "other-clinic"
    other_dir.mkdir()
    make_clinic(other_dir, site_code="ABO", clinic_name="Centre de santé d'Abobo")
    other_doctor = login(other_dir, "doctor", PASSWORDS["doctor"])
    try:
        with other_doctor.transaction() as tx:
            upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
        item = find_by_gtin(other_doctor, PARACETAMOL)
        assert item is not None
        foreign = write_prescription(
            other_doctor,
            patient_id=register_patient(other_doctor, PatientForm("Awa", "Traoré", "female")).id,
            encounter_id=None,
            lines=[PrescriptionLine(item.id, "1 comprimé", "3 fois par jour", 5, 10)],
        )
    finally:
        other_doctor.close()
    with pytest.raises(UnknownIssuingClinic) as unknown:
        prescription_for_dispensing(storekeeper, foreign.signature)
    assert "ABO" in str(unknown.value)


def test_the_store_sees_which_prescriptions_it_has_dispensed(
    storekeeper: Session, nurse: Session, prescribe: Callable[..., str]
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    first, second = prescribe((PARACETAMOL, 10)), prescribe((PARACETAMOL, 5))
    assert dispensed_prescriptions(storekeeper, [first, second]) == set()
    dispense_prescription(storekeeper, first, clock=on(MONDAY))
    assert dispensed_prescriptions(storekeeper, [first, second, "unknown"]) == {first}
    with pytest.raises(PermissionDenied):
        prescription_for_dispensing(nurse, "ORD-TRV-2030-000001")


# --- who may -----------------------------------------------------------------------------


def test_a_nurse_may_not_receive_dispense_or_look_at_stock(
    nurse: Session,
    storekeeper: Session,
    catalogue: dict[str, str],
    prescribe: Callable[..., str],
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    prescription_id = prescribe((PARACETAMOL, 10))
    before = ledger_counts(storekeeper)
    with pytest.raises(PermissionDenied):
        receive(nurse, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    with pytest.raises(PermissionDenied):
        dispense_prescription(nurse, prescription_id)
    with pytest.raises(PermissionDenied):
        write_off_expired(nurse, catalogue[PARACETAMOL], "P1")
    with pytest.raises(PermissionDenied):
        stock_on_hand(nurse)
    assert ledger_counts(storekeeper) == before


def test_a_doctor_sees_the_stock_but_does_not_hand_it_out(
    doctor: Session,
    storekeeper: Session,
    catalogue: dict[str, str],
    prescribe: Callable[..., str],
) -> None:
    receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    assert item_balance(doctor, catalogue[PARACETAMOL]) == 100
    with pytest.raises(PermissionDenied):
        dispense_prescription(doctor, prescribe((PARACETAMOL, 10)))
    with pytest.raises(PermissionDenied):
        receive(doctor, PARACETAMOL, "P1", date(2031, 1, 1), 100)


# --- sync and audit ----------------------------------------------------------------------


def test_every_movement_waits_in_the_outbox_with_its_audit_event(
    storekeeper: Session,
    catalogue: dict[str, str],
    prescribe: Callable[..., str],
    patient_id: str,
) -> None:
    receipt_id = receive(storekeeper, PARACETAMOL, "P1", date(2031, 1, 1), 100)
    prescription_id = prescribe((PARACETAMOL, 10))
    [dispensed] = dispense_prescription(storekeeper, prescription_id, clock=on(MONDAY))
    outbox = storekeeper.store.all(
        "SELECT record_id, payload FROM outbox WHERE kind = 'stock_movement' ORDER BY seq"
    )
    assert [row["record_id"] for row in outbox] == [receipt_id, dispensed.movement_id]
    payloads = [json.loads(row["payload"]) for row in outbox]
    assert [p["quantity"] for p in payloads] == [100, -10]
    assert payloads[0]["site_id"] == storekeeper.site_id
    assert payloads[1]["prescription_item_id"] == dispensed.prescription_item_id
    audit = {
        row["action"]: row
        for row in storekeeper.store.all(
            "SELECT * FROM audit_events WHERE user_id = ?", (storekeeper.actor.user_id,)
        )
    }
    assert audit["receive_stock"]["object_id"] == receipt_id
    assert audit["receive_stock"]["patient_id"] is None
    assert audit["dispense_prescription"]["object_id"] == prescription_id
    assert audit["dispense_prescription"]["patient_id"] == patient_id


def test_stock_lines_flag_expired_lots_and_items_to_reorder(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, PARACETAMOL, "OLD", MONDAY, 900, day=MONDAY - timedelta(days=9))
    receive(storekeeper, PARACETAMOL, "NEW", date(2031, 1, 1), 200)
    receive(storekeeper, AMOXICILLIN, "A1", date(2031, 1, 1), 301)
    lines = stock_on_hand(storekeeper, clock=on(MONDAY + timedelta(days=1)))
    by_lot = {line.lot: line for line in lines}
    assert by_lot["OLD"].expired is True
    # 900 expired tablets do not keep paracetamol above its level of 500.
    assert by_lot["NEW"].below_reorder is True
    assert by_lot["A1"].below_reorder is False
    assert [line.lot for line in lines] == ["A1", "OLD", "NEW"]  # by drug, then expiry


# --- the ledger never goes below zero -----------------------------------------------------

BASE = date(2030, 1, 1)
GTINS = (PARACETAMOL, AMOXICILLIN, ORS)

receipt_ops = st.tuples(
    st.just("receive"),
    st.sampled_from(GTINS),
    st.sampled_from("ABC"),
    st.integers(0, 40),
    st.integers(1, 30),
    st.integers(0, 30),
)
dispense_ops = st.tuples(
    st.just("dispense"),
    st.sampled_from(GTINS),
    st.just(""),
    st.just(0),
    st.integers(1, 40),
    st.integers(0, 30),
)


@given(st.lists(st.one_of(receipt_ops, dispense_ops), min_size=1, max_size=12))
@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_random_receipts_and_dispensings_keep_every_lot_at_or_above_zero(
    storekeeper: Session,
    catalogue: dict[str, str],
    prescribe: Callable[..., str],
    operations: list[tuple[str, str, str, int, int, int]],
) -> None:
    # The clinic lives on across examples; the model starts from what is there.
    model: dict[tuple[str, str], list[object]] = {}
    for row in storekeeper.store.all(
        "SELECT catalogue_item_id, lot, MAX(expiry) AS expiry, SUM(quantity) AS n "
        "FROM stock_movements GROUP BY catalogue_item_id, lot"
    ):
        model[(row["catalogue_item_id"], row["lot"])] = [
            date.fromisoformat(row["expiry"]),
            int(row["n"]),
        ]

    for kind, gtin, lot, expiry_day, quantity, day in operations:
        item_id = catalogue[gtin]
        today = BASE + timedelta(days=day)
        if kind == "receive":
            expiry = BASE + timedelta(days=expiry_day)
            known = model.get((item_id, lot))
            refused = expiry < today or (known is not None and known[0] != expiry)
            try:
                receive(storekeeper, gtin, lot, expiry, quantity, day=today)
            except (ExpiredLot, LotExpiryConflict):
                assert refused
            else:
                assert not refused
                entry = model.setdefault((item_id, lot), [expiry, 0])
                entry[1] = int(str(entry[1])) + quantity
        else:
            usable = sorted(
                (
                    (str(entry[0]), lot_name, int(str(entry[1])))
                    for (owner, lot_name), entry in model.items()
                    if owner == item_id
                    and int(str(entry[1])) > 0
                    and date.fromisoformat(str(entry[0])) >= today
                ),
            )
            enough = sum(balance for _, _, balance in usable) >= quantity
            try:
                dispensed = dispense_prescription(
                    storekeeper, prescribe((gtin, quantity)), clock=on(today)
                )
            except (InsufficientStock, ExpiredLot):
                assert not enough
            else:
                assert enough
                expected = []
                left = quantity
                for _, lot_name, balance in usable:
                    if left == 0:
                        break
                    expected.append((lot_name, min(balance, left)))
                    left -= min(balance, left)
                assert [(d.lot, d.quantity) for d in dispensed] == expected
                for lot_name, taken in expected:
                    entry = model[(item_id, lot_name)]
                    entry[1] = int(str(entry[1])) - taken

        balances = lot_balances(storekeeper)
        assert all(balance >= 0 for balance in balances.values())
        assert balances == {key: int(str(entry[1])) for key, entry in model.items()}
        shelf = stock_on_hand(storekeeper, include_empty=True, clock=on(today))
        assert {(line.catalogue_item_id, line.lot): line.quantity for line in shelf} == balances
        for item_id in catalogue.values():
            assert item_balance(storekeeper, item_id) == sum(
                balance for (owner, _), balance in balances.items() if owner == item_id
            )


@pytest.mark.parametrize("expiry", [None, date(2199, 1, 1), MONDAY + timedelta(days=365 * 11)])
def test_a_lot_without_a_plausible_expiry_is_refused(
    storekeeper: Session, catalogue: dict[str, str], expiry: date | None
) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(storekeeper, PARACETAMOL, "NOEXP", expiry, 5)  # type: ignore[arg-type]
    assert caught.value.field == "expiry"
    assert count(storekeeper, "stock_movements") == 0


@pytest.mark.parametrize("lot", ["Lé1", "L 1", "L\x001", "🙂"])
def test_a_lot_a_gs1_code_cannot_hold_is_refused(
    storekeeper: Session, catalogue: dict[str, str], lot: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(storekeeper, PARACETAMOL, lot, date(2031, 1, 1), 5)
    assert caught.value.field == "lot"


def test_lot_letter_case_does_not_make_another_lot(
    storekeeper: Session, catalogue: dict[str, str]
) -> None:
    receive(storekeeper, PARACETAMOL, "bx7781", date(2031, 1, 1), 5)
    receive(storekeeper, PARACETAMOL, "BX7781", date(2031, 1, 1), 5)
    lots = {(line.lot, line.quantity) for line in stock_on_hand(storekeeper)}
    assert lots == {("BX7781", 10)}


@pytest.mark.parametrize(
    ("quantity", "unit", "printed"),
    [
        (1, "comprimé", "comprimé"),
        (15, "comprimé", "comprimés"),
        (4, "gélule", "gélules"),
        (2, "flacon", "flacons"),
        (3, "comprimé effervescent", "comprimés effervescents"),
        (10, "ml", "ml"),
        (2, "UI", "UI"),
        (5, "dose(s)", "dose(s)"),
        (6, "boîte de 10", "boîtes de 10"),
        (2, "tube", "tubes"),
        (2, "sachets", "sachets"),
        (0, "ampoule", "ampoule"),
    ],
)
def test_a_unit_reads_right_after_its_quantity(quantity: int, unit: str, printed: str) -> None:
    assert counted_unit(quantity, unit) == printed
