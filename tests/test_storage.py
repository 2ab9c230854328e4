"""The encrypted store: typed refusals, file modes, nothing readable in plain text."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import sqlcipher3

from clinic_app.errors import (
    ClinicAlreadyExists,
    NewerSchema,
    NoClinicDatabase,
    NotAClinicDatabase,
    WrongPassword,
)
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.accounts import create_clinic, login
from clinic_app.storage.keys import TEST_COST, KeySlots
from clinic_app.storage.schema import SCHEMA_VERSION
from clinic_app.storage.store import DB_FILE, SLOTS_FILE, open_store
from tests.conftest import PASSWORDS


def test_wrong_password_is_refused_with_a_typed_error(clinic_dir: Path) -> None:
    with pytest.raises(WrongPassword) as caught:
        login(clinic_dir, "nurse", "not-the-password")
    assert "Wrong user name or password" in str(caught.value)


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(clinic_dir: Path) -> None:
    with pytest.raises(WrongPassword):
        login(clinic_dir, "nobody", PASSWORDS["nurse"])


def test_user_name_is_not_case_sensitive(clinic_dir: Path) -> None:
    session = login(clinic_dir, "  Nurse ", PASSWORDS["nurse"])
    assert session.actor.username == "nurse"
    session.close()


def test_empty_folder_has_no_clinic(tmp_path: Path) -> None:
    with pytest.raises(NoClinicDatabase):
        login(tmp_path, "admin", "whatever-1")


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is a text file\n", b"SQLite format 3\x00" + b"\x00" * 4000],
    ids=["empty", "text", "plain-sqlite-header"],
)
def test_a_file_that_is_not_a_clinic_database_is_refused(clinic_dir: Path, content: bytes) -> None:
    (clinic_dir / DB_FILE).write_bytes(content)
    with pytest.raises(NotAClinicDatabase):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    assert (clinic_dir / DB_FILE).read_bytes() == content  # looked at, never written


def test_a_truncated_database_is_refused(clinic_dir: Path) -> None:
    path = clinic_dir / DB_FILE
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(NotAClinicDatabase):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])


def test_a_plain_sqlite_database_is_not_a_clinic(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlcipher3.connect(str(path))
    conn.execute("CREATE TABLE t (a)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAClinicDatabase):
        open_store(path, b"\x01" * 32)


def test_damaged_key_slots_are_refused(clinic_dir: Path) -> None:
    (clinic_dir / SLOTS_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(NotAClinicDatabase):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])


def test_slots_of_another_clinic_do_not_open_this_one(tmp_path: Path, clinic_dir: Path) -> None:
    other = tmp_path / "other"
    create_clinic(
        other,
        clinic_name="Autre",
        site_code="OTH",
        timezone="UTC",
        admin_username="admin",
        admin_password=PASSWORDS["admin"],
        admin_display_name="Other admin",
        cost=TEST_COST,
    ).close()
    (clinic_dir / SLOTS_FILE).write_bytes((other / SLOTS_FILE).read_bytes())
    with pytest.raises((WrongPassword, NotAClinicDatabase)):
        login(clinic_dir, "admin", PASSWORDS["admin"])


def test_a_missing_key_file_is_named_as_missing(clinic_dir: Path) -> None:
    from clinic_app.errors import KeySlotsMissing

    (clinic_dir / SLOTS_FILE).unlink()
    with pytest.raises(KeySlotsMissing) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    assert "missing" in str(caught.value)
    assert "backup" in str(caught.value)


def test_a_slot_moved_to_another_user_does_not_open(clinic_dir: Path) -> None:
    slots = KeySlots.load(clinic_dir / SLOTS_FILE)
    slots.slots["nurse"] = slots.slots["doctor"]
    slots.save()
    with pytest.raises(WrongPassword):
        login(clinic_dir, "nurse", PASSWORDS["doctor"])


def test_a_newer_schema_is_refused(clinic_dir: Path) -> None:
    session = login(clinic_dir, "admin", PASSWORDS["admin"])
    session.store.connection().execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    session.close()
    with pytest.raises(NewerSchema):
        login(clinic_dir, "admin", PASSWORDS["admin"])


def test_creating_a_clinic_twice_changes_nothing(clinic_dir: Path) -> None:
    before = (clinic_dir / DB_FILE).read_bytes()
    with pytest.raises(ClinicAlreadyExists):
        create_clinic(
            clinic_dir,
            clinic_name="X",
            site_code="XX",
            timezone="UTC",
            admin_username="admin",
            admin_password="another-pass-1",
            admin_display_name="X",
            cost=TEST_COST,
        )
    assert (clinic_dir / DB_FILE).read_bytes() == before


def test_clinic_files_are_readable_by_their_owner_only(clinic_dir: Path) -> None:
    session = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    register_patient(session, PatientForm("Zoé", "N'Guessan", "female"))
    for path in clinic_dir.iterdir():
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path.name} is mode {oct(mode)}"
    session.close()


def test_no_patient_name_in_plain_text_in_any_file(clinic_dir: Path) -> None:
    session = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    register_patient(
        session, PatientForm("Zoé", "Ouédraogo-Plaintextcheck", "female", national_id="CI99887766")
    )
    # Read the files while the WAL still holds the new page, and after a checkpoint.
    needles = [b"Plaintextcheck", "Ouédraogo".encode(), b"CI99887766", b"plaintextcheck"]
    for phase in ("wal", "checkpointed"):
        for path in clinic_dir.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for needle in needles:
                    assert needle not in data, f"{needle!r} readable in {path.name} ({phase})"
        session.store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    session.close()
    slots = json.loads((clinic_dir / SLOTS_FILE).read_text(encoding="utf-8"))
    assert set(slots["slots"]) == {"admin", "nurse", "doctor", "store", "__recovery__"}


def test_a_failing_service_inside_a_grouped_transaction_undoes_only_its_part(
    clinic_dir: Path,
) -> None:
    from clinic_app.errors import InvalidInput
    from clinic_app.records.patients import search_patients

    session = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    with session.transaction():
        register_patient(session, PatientForm("Awa", "Koné", "female"))
        with pytest.raises(InvalidInput):
            register_patient(session, PatientForm("", "Koné", "female"))
        register_patient(session, PatientForm("Zoé", "N'Guessan", "female"))
    assert {p.full_name for p in search_patients(session, "")} == {"Awa Koné", "Zoé N'Guessan"}

    def power_cut_after_registering() -> None:
        with session.transaction():
            register_patient(session, PatientForm("Ali", "Traoré", "male"))
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        power_cut_after_registering()
    assert len(search_patients(session, "")) == 2
    session.close()


@pytest.mark.parametrize("damage", ["truncate_one_byte", "flip_middle_byte", "flip_last_byte"])
def test_a_damaged_file_is_refused_at_login_with_a_clear_message(
    clinic_dir: Path, damage: str
) -> None:
    from clinic_app.errors import DatabaseUnreadable

    path = clinic_dir / DB_FILE
    data = bytearray(path.read_bytes())
    if damage == "truncate_one_byte":
        del data[-1]
    else:
        where = len(data) // 2 if damage == "flip_middle_byte" else len(data) - 10
        data[where] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises((DatabaseUnreadable, NotAClinicDatabase)) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    assert "backup" in str(caught.value)


def test_a_table_dropped_by_hand_gives_a_typed_error_not_a_crash(clinic_dir: Path) -> None:
    from clinic_app.errors import DatabaseUnreadable
    from clinic_app.records.patients import search_patients

    session = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    session.store.connection().execute("DROP TABLE icd11_aliases")
    with pytest.raises(DatabaseUnreadable):
        session.store.all("SELECT * FROM icd11_aliases")
    assert search_patients(session, "") == []  # the rest still works
    session.close()


def test_a_session_open_during_a_rekey_is_told_to_log_in_again(clinic_dir: Path) -> None:
    from clinic_app.errors import DatabaseUnreadable
    from clinic_app.records.patients import search_patients
    from clinic_app.security.recovery import rekey_database

    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    result = rekey_database(admin, PASSWORDS["admin"], cost=TEST_COST)
    with pytest.raises(DatabaseUnreadable) as caught:
        search_patients(nurse, "zoe")
    assert "log in again" in str(caught.value)
    nurse.close()
    result.session.close()


@pytest.mark.parametrize("code", ["T", "TRV-2", "trv!", "ABCDEFGHIJK", ""])
def test_a_site_code_central_would_refuse_is_refused_at_set_up(tmp_path: Path, code: str) -> None:
    from clinic_app.errors import InvalidInput
    from clinic_app.security.accounts import create_clinic

    with pytest.raises(InvalidInput) as caught:
        create_clinic(
            tmp_path / "clinic",
            clinic_name="Centre",
            site_code=code,
            timezone="Africa/Abidjan",
            admin_username="admin",
            admin_password="admin-pass-1",
            admin_display_name="Admin",
        )
    assert caught.value.field == "site_code"
    assert not (tmp_path / "clinic" / "clinic.db").exists()


@pytest.mark.parametrize(
    "name", ["", "   ", "C" * 81, "Centre\u200bde santé", "مستشفى الشفاء", "Clinique ሆስፒታል"]
)
def test_a_clinic_name_that_would_not_print_is_refused_at_set_up(tmp_path: Path, name: str) -> None:
    from clinic_app.errors import InvalidInput
    from clinic_app.security.accounts import create_clinic

    with pytest.raises(InvalidInput) as caught:
        create_clinic(
            tmp_path / "clinic",
            clinic_name=name,
            site_code="TRV",
            timezone="Africa/Abidjan",
            admin_username="admin",
            admin_password="admin-pass-1",
            admin_display_name="Admin",
        )
    assert caught.value.field == "clinic_name"
    assert not (tmp_path / "clinic").exists() or not any((tmp_path / "clinic").iterdir())


def test_the_clinics_site_code_rule_is_centrals() -> None:
    from central.protocol import SITE_CODE_PATTERN as CENTRALS
    from clinic_app.validation import SITE_CODE_PATTERN

    assert SITE_CODE_PATTERN.pattern == CENTRALS.pattern
