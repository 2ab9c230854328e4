"""A clinic restored from a backup gets back, from central, what it had sent after that
backup; no document number is given twice, even before the first sync."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from central_process import CentralProcess
from sync_helpers import FAST, central_copies, clinic_records, enrol, nurse_sees_patients

from clinic_app.inventory.catalogue import read_catalogue_file, upsert_catalogue_items
from clinic_app.inventory.stock import ReceiptLine, receive_stock
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription
from clinic_app.resources import resource_path
from clinic_app.security.accounts import login
from clinic_app.session import Session
from clinic_app.storage.backup import backup_clinic, restore_clinic
from clinic_app.sync.handcarry import export_pending_changes, import_answer_file
from clinic_app.sync.service import RECOVERING_OWN, read_sync_state, sync_now
from tests.conftest import PASSWORDS

CATALOGUE = resource_path("demo", "catalogue.tsv")


def without_audit(held: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """The records; the audit trail after the backup stays at central (never pulled)."""
    return Counter({record: n for record, n in held.items() if record[0] != "audit_entry"})


def serial(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


def prescribe(doctor: Session, patient_id: str) -> str:
    drug = doctor.store.one("SELECT id FROM catalogue_items ORDER BY name LIMIT 1")
    assert drug is not None
    return write_prescription(
        doctor,
        patient_id=patient_id,
        encounter_id=None,
        lines=[PrescriptionLine(drug["id"], "1 comprimé", "3 fois par jour", 5, 15)],
    ).number


def test_a_restored_clinic_gets_back_what_it_sent_after_the_backup(
    admin: Session,
    nurse: Session,
    doctor: Session,
    storekeeper: Session,
    central: CentralProcess,
    tmp_path: Path,
) -> None:
    with admin.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(CATALOGUE))
    enrol(admin, central)
    first = nurse_sees_patients(nurse, 1)
    before_backup = prescribe(doctor, first[0])
    sync_now(nurse, timeout=FAST)
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = backup_clinic(admin, usb).path

    # The day goes on after the backup, and reaches central; then the laptop is lost.
    later = nurse_sees_patients(nurse, 2, village="Abobo")
    after_backup = prescribe(doctor, later[0])
    gtin = next(iter(read_catalogue_file(CATALOGUE)))["gtin"]
    receive_stock(storekeeper, ReceiptLine(gtin, "LOT-R1", date(2031, 1, 31), 120))
    sync_now(nurse, timeout=FAST)
    made = without_audit(clinic_records(nurse))
    site_id = nurse.site_id

    restored = tmp_path / "new-laptop" / "clinic"
    restore_clinic(backup, restored, "admin", PASSWORDS["admin"])

    # Offline still: a new prescription takes no number issued after the backup.
    doctor_again = login(restored, "doctor", PASSWORDS["doctor"])
    try:
        offline = prescribe(doctor_again, first[0])
        assert serial(offline) > serial(after_backup) > serial(before_backup)
    finally:
        doctor_again.close()

    nurse_again = login(restored, "nurse", PASSWORDS["nurse"])
    try:
        assert RECOVERING_OWN in read_sync_state(nurse_again.store)
        report = sync_now(nurse_again, timeout=FAST)
        assert report.applied > 0
        back = without_audit(clinic_records(nurse_again))
        missing = [record for record in made if record not in back]
        assert missing == []  # every patient, consultation, prescription and stock line
        assert RECOVERING_OWN not in read_sync_state(nurse_again.store)
        # The next number moves past every number central gave back, too.
        with nurse_again.transaction() as tx:
            row = tx.one(
                "SELECT last FROM document_counters WHERE kind = 'prescription' AND year = ?",
                (int(after_backup.split("-")[2]),),
            )
        assert row is not None
        assert int(row["last"]) >= serial(offline)
        again = sync_now(nurse_again, timeout=FAST)
        assert (again.pulled, again.applied) == (0, 0)  # caught up: own records stop coming
        stock = nurse_again.store.one(
            "SELECT SUM(quantity) AS n FROM stock_movements WHERE lot = 'LOT-R1'"
        )
        assert stock is not None
        assert stock["n"] == 120
    finally:
        nurse_again.close()
    # Nothing twice at central.
    copies = central_copies(central, site_id, made)
    assert all(copies[record] == 1 for record in made)


def test_a_restored_clinic_with_no_link_gets_its_records_back_by_usb_stick(
    admin: Session, nurse: Session, central: CentralProcess, tmp_path: Path
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    sync_now(nurse, timeout=FAST)
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = backup_clinic(admin, usb).path
    nurse_sees_patients(nurse, 2, village="Abobo")
    sync_now(nurse, timeout=FAST)
    made = without_audit(clinic_records(nurse))

    restored = tmp_path / "new-laptop" / "clinic"
    restore_clinic(backup, restored, "admin", PASSWORDS["admin"])
    nurse_again = login(restored, "nurse", PASSWORDS["nurse"])
    try:
        carried = export_pending_changes(nurse_again, usb)
        done = central.run_cli("import", str(carried))
        assert done.returncode == 0, done.stdout + done.stderr
        import_answer_file(nurse_again, carried.with_suffix(".clinicanswer"))
        back = without_audit(clinic_records(nurse_again))
        assert [record for record in made if record not in back] == []
        assert RECOVERING_OWN not in read_sync_state(nurse_again.store)
    finally:
        nurse_again.close()


def test_the_same_backup_restored_twice_never_gives_a_number_twice(
    admin: Session, doctor: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clinic_app.storage.backup as backup_module

    with admin.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(CATALOGUE))
    patient = nurse_sees_patients(doctor, 1)[0]
    usb = tmp_path / "usb"
    usb.mkdir()
    backup = backup_clinic(admin, usb).path
    first_home = tmp_path / "first-attempt"
    restore_clinic(backup, first_home, "admin", PASSWORDS["admin"])
    first = login(first_home, "doctor", PASSWORDS["doctor"])
    try:
        issued_first = [prescribe(first, patient) for _ in range(3)]
    finally:
        first.close()
    # Forty minutes later the same backup goes onto another laptop.
    later = backup_module.utc_now() + timedelta(minutes=40)
    monkeypatch.setattr(backup_module, "utc_now", lambda: later)
    second_home = tmp_path / "second-laptop"
    restore_clinic(backup, second_home, "admin", PASSWORDS["admin"])
    second = login(second_home, "doctor", PASSWORDS["doctor"])
    try:
        issued_second = prescribe(second, patient)
    finally:
        second.close()
    assert serial(issued_second) > max(serial(n) for n in issued_first)
