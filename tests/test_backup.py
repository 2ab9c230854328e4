"""Backup to a USB stick and restore onto a fresh install — real SQLCipher files throughout."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import PASSWORDS, make_clinic

from clinic_app.cli import main
from clinic_app.clock import utc_now
from clinic_app.errors import ClinicAlreadyExists, PermissionDenied, WrongPassword
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.patients import PatientForm, register_patient, search_patients
from clinic_app.security.accounts import login
from clinic_app.security.audit import verify_audit_chain
from clinic_app.session import Session
from clinic_app.storage.backup import (
    MAGIC,
    BackupDamaged,
    BackupMissing,
    FolderUnavailable,
    RestoreFolderUnavailable,
    backup_clinic,
    backup_due,
    restore_clinic,
)
from clinic_app.storage.keys import TEST_COST

NAME = ("Hyacinthe", "Djédjé-Zoukou")
TABLES = (
    "patients",
    "encounters",
    "observations",
    "allergies",
    "users",
    "outbox",
    "patient_consents",
    "icd11_codes",
)


def snapshot_of(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: [tuple(row) for row in session.store.all(f"SELECT * FROM {table} ORDER BY 1")]
        for table in TABLES
    }


def folder_state(path: Path) -> dict[str, bytes] | None:
    """Every file under ``path`` with its content (None: the folder does not exist)."""
    if not path.exists():
        return None
    return {str(p.relative_to(path)): p.read_bytes() for p in path.rglob("*") if p.is_file()}


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    stick = tmp_path / "usb"
    stick.mkdir()
    return stick


@pytest.fixture
def backup_file(admin: Session, nurse: Session, usb: Path) -> Path:
    patient = register_patient(
        nurse, PatientForm(*NAME, "male", national_id="CI-3300-4411", village="Yopougon-Kouté")
    )
    record_consultation(nurse, ConsultationForm(patient.id, "Douleurs abdominales"))
    return backup_clinic(admin, usb).path


def restore_as_admin(backup: Path, target: Path, password: str = PASSWORDS["admin"]) -> Any:
    return restore_clinic(backup, target, "admin", password)


# --- writing a backup -------------------------------------------------------------------


def test_backup_round_trip_gives_the_same_clinic(
    admin: Session, nurse: Session, usb: Path, tmp_path: Path
) -> None:
    patient = register_patient(nurse, PatientForm(*NAME, "male", national_id="CI-3300-4411"))
    record_consultation(
        nurse, ConsultationForm(patient.id, "Douleurs", vitals={"temperature": 38.2})
    )
    before = snapshot_of(admin)

    report = backup_clinic(admin, usb)

    assert report.path.parent == usb
    assert report.path.name.startswith("clinic-TRV-")
    assert report.path.suffix == ".clinicbackup"
    assert report.size == report.path.stat().st_size
    assert report.sha256 == hashlib.sha256(report.path.read_bytes()).hexdigest()
    assert stat.S_IMODE(report.path.stat().st_mode) == 0o600
    assert [p.name for p in usb.iterdir()] == [report.path.name]  # no temporary file left
    assert not list(admin.data_dir.glob(".backup-*"))
    backups = admin.store.all("SELECT * FROM audit_events WHERE action = 'backup'")
    assert [(b["object_id"], b["user_id"]) for b in backups] == [
        (report.path.name, admin.actor.user_id)
    ]

    fresh = tmp_path / "new-laptop" / "clinic"
    restored = restore_as_admin(report.path, fresh)

    assert restored.clinic_id == admin.site_id
    again = login(fresh, "nurse", PASSWORDS["nurse"])
    try:
        assert snapshot_of(again) == before
        assert [p.full_name for p in search_patients(again, "hyacinthe")] == [" ".join(NAME)]
        restores = again.store.all("SELECT * FROM audit_events WHERE action = 'restore'")
        assert [r["object_id"] for r in restores] == [report.path.name]
        assert verify_audit_chain(again.store).intact
    finally:
        again.close()
    assert not list(fresh.glob(".restore-*"))
    assert sorted(p.name for p in fresh.iterdir() if not p.name.startswith("clinic.db-")) == [
        "clinic.db",
        "keyslots.json",
    ]


def test_the_backup_is_encrypted_and_holds_no_name_in_clear(backup_file: Path) -> None:
    data = backup_file.read_bytes()
    assert data.startswith(MAGIC)
    assert b"SQLite format 3" not in data
    for secret in (*NAME, "Hyacinthe", "CI-3300-4411", "Yopougon", "abdominales"):
        assert secret.encode("utf-8") not in data, secret
        assert secret.encode("utf-16-le") not in data, secret
    # The database member alone does not open as plain SQLite.
    length = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "big")
    manifest = json.loads(data[len(MAGIC) + 8 : len(MAGIC) + 8 + length])
    start = len(MAGIC) + 8 + length
    db_bytes = data[start : start + manifest["members"][0]["size"]]
    plain = backup_file.parent / "as-plain.db"
    plain.write_bytes(db_bytes)
    conn = sqlite3.connect(plain)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()


def test_backup_due_reminds_after_a_day(admin: Session, usb: Path) -> None:
    assert backup_due(admin)  # never backed up
    report = backup_clinic(admin, usb)
    assert not backup_due(admin)
    assert not backup_due(admin, now=report.created_at + timedelta(hours=23))
    assert backup_due(admin, now=report.created_at + timedelta(days=1, minutes=1))
    assert utc_now() - report.created_at < timedelta(minutes=1)


def test_only_the_admin_backs_up_and_a_missing_stick_is_a_clear_error(
    admin: Session, nurse: Session, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        backup_clinic(nurse, tmp_path)
    with pytest.raises(FolderUnavailable) as refused:
        backup_clinic(admin, tmp_path / "no-stick")
    assert "USB stick" in str(refused.value)
    assert backup_due(admin)


# --- restoring ----------------------------------------------------------------------------


def test_a_changed_byte_anywhere_is_refused_and_nothing_is_written(
    backup_file: Path, tmp_path: Path
) -> None:
    original = backup_file.read_bytes()
    length = int.from_bytes(original[len(MAGIC) : len(MAGIC) + 8], "big")
    manifest_end = len(MAGIC) + 8 + length
    positions = {
        0,
        len(MAGIC) - 1,
        len(MAGIC) + 7,  # manifest length
        len(MAGIC) + 20,  # inside the manifest
        manifest_end - 5,  # the manifest's HMAC
        manifest_end,  # first byte of the database
        manifest_end + 5000,
        len(original) - 200,  # the key slots
        len(original) - 33,  # last byte of the key slots
        len(original) - 1,  # the trailer
    }
    positions |= set(range(0, len(original), max(1, len(original) // 25)))
    target = tmp_path / "fresh"
    tampered = tmp_path / "tampered.clinicbackup"
    for position in sorted(positions):
        data = bytearray(original)
        data[position] ^= 0x01
        tampered.write_bytes(bytes(data))
        with pytest.raises(BackupDamaged):
            restore_as_admin(tampered, target)
        assert folder_state(target) is None, position


def test_a_backup_forged_without_the_key_is_refused(backup_file: Path, tmp_path: Path) -> None:
    """Someone changes the key slots and fixes every unkeyed hash: the HMAC still says no."""
    data = backup_file.read_bytes()
    length = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "big")
    manifest = json.loads(data[len(MAGIC) + 8 : len(MAGIC) + 8 + length])
    db_size = manifest["members"][0]["size"]
    start = len(MAGIC) + 8 + length
    db_bytes = bytearray(data[start : start + db_size])
    db_bytes[-100] ^= 0xFF  # a change deep in the database
    manifest["members"][0]["sha256"] = hashlib.sha256(db_bytes).hexdigest()
    new_manifest = json.dumps(manifest, sort_keys=True, indent=1).encode()
    body = (
        MAGIC
        + len(new_manifest).to_bytes(8, "big")
        + new_manifest
        + bytes(db_bytes)
        + data[start + db_size : -32]
    )
    forged = tmp_path / "forged.clinicbackup"
    forged.write_bytes(body + hashlib.sha256(body).digest())
    target = tmp_path / "fresh"
    with pytest.raises(BackupDamaged):
        restore_as_admin(forged, target)
    assert folder_state(target) is None


@pytest.mark.parametrize("keep", [0, 10, 30, 0.5, -32, -1])
def test_a_truncated_backup_is_refused(backup_file: Path, tmp_path: Path, keep: float) -> None:
    data = backup_file.read_bytes()
    cut = data[: int(len(data) * keep)] if isinstance(keep, float) else data[: int(keep)]
    if keep in (-32, -1):
        cut = data[: len(data) + int(keep)]
    short = tmp_path / "short.clinicbackup"
    short.write_bytes(cut)
    target = tmp_path / "fresh"
    target.mkdir()  # an empty folder chosen by the admin stays empty
    with pytest.raises(BackupDamaged):
        restore_as_admin(short, target)
    assert folder_state(target) == {}


def test_wrong_password_or_a_nurse_cannot_restore(backup_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    with pytest.raises(WrongPassword):
        restore_as_admin(backup_file, target, "not-the-password")
    assert folder_state(target) is None
    with pytest.raises(WrongPassword):
        restore_clinic(backup_file, target, "nobody", "whatever-1")
    assert folder_state(target) is None
    with pytest.raises(PermissionDenied):
        restore_clinic(backup_file, target, "nurse", PASSWORDS["nurse"])
    assert folder_state(target) is None
    with pytest.raises(BackupMissing):
        restore_as_admin(tmp_path / "nothing-here.clinicbackup", target)


def test_a_backup_never_overwrites_an_existing_clinic(
    backup_file: Path, clinic_dir: Path, tmp_path: Path
) -> None:
    other = make_clinic(tmp_path / "other-clinic")
    for existing in (other, clinic_dir):  # another clinic, and this very clinic
        before = folder_state(existing)
        with pytest.raises(ClinicAlreadyExists):
            restore_as_admin(backup_file, existing)
        assert folder_state(existing) == before


def test_a_restored_clinic_is_backed_up_again(backup_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh"
    restore_as_admin(backup_file, target)
    admin = login(target, "admin", PASSWORDS["admin"])
    try:
        stick = tmp_path / "second-stick"
        stick.mkdir()
        second = backup_clinic(admin, stick)
    finally:
        admin.close()
    again = tmp_path / "third"
    restore_as_admin(second.path, again)
    assert (again / "clinic.db").is_file()


# --- command line -------------------------------------------------------------------------


def test_backup_restore_and_export_from_the_command_line(
    clinic_dir: Path,
    backup_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLINIC_APP_PASSWORD", PASSWORDS["admin"])
    stick = tmp_path / "cli-stick"
    stick.mkdir()
    assert (
        main(["backup", "--data-dir", str(clinic_dir), "--user", "admin", "--to", str(stick)]) == 0
    )
    written = list(stick.glob("*.clinicbackup"))
    assert len(written) == 1
    assert "Backup written and checked" in capsys.readouterr().out

    target = tmp_path / "cli-restored"
    assert (
        main(["restore", "--from", str(written[0]), "--data-dir", str(target), "--user", "admin"])
        == 0
    )
    assert (target / "clinic.db").is_file()
    capsys.readouterr()

    # Again into the same folder: refused in one line, nothing overwritten.
    before = folder_state(target)
    assert (
        main(["restore", "--from", str(written[0]), "--data-dir", str(target), "--user", "admin"])
        == 2
    )
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "already exists" in error
    assert "Traceback" not in error
    assert folder_state(target) == before

    damaged = tmp_path / "damaged.clinicbackup"
    damaged.write_bytes(written[0].read_bytes()[:-10])
    assert (
        main(["restore", "--from", str(damaged), "--data-dir", str(tmp_path / "x"), "--user", "a"])
        == 2
    )
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "damaged" in error

    out = tmp_path / "stats"
    out.mkdir()
    assert main(["export", "--data-dir", str(clinic_dir), "--user", "admin", "--to", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "consultations.csv",
        "diagnoses.csv",
        "prescriptions.csv",
        "stock_movements.csv",
    ]
    assert NAME[1].encode() not in b"".join(p.read_bytes() for p in out.iterdir())

    monkeypatch.setenv("CLINIC_APP_PASSWORD", "wrong-password")
    assert (
        main(["backup", "--data-dir", str(clinic_dir), "--user", "admin", "--to", str(stick)]) == 2
    )
    assert capsys.readouterr().err.startswith("clinic-app: Wrong user name or password")
    shutil.rmtree(out)


# --- what an interrupted backup or restore leaves behind -----------------------------------


def leftover(data_dir: Path, prefix: str, *, age: float) -> Path:
    """A work folder as a killed backup leaves it: a whole copy of the database inside."""
    folder = data_dir / f"{prefix}killed"
    folder.mkdir()
    shutil.copyfile(data_dir / "clinic.db", folder / "check-clinic.db")
    then = utc_now().timestamp() - age
    os.utime(folder, (then, then))
    return folder


def test_an_interrupted_backups_copy_is_removed_at_the_next_login(admin: Session) -> None:
    old = leftover(admin.data_dir, ".backup-", age=2 * 3600)
    old_restore = leftover(admin.data_dir, ".restore-", age=2 * 3600)
    running = leftover(admin.data_dir, ".backup-running-", age=5)  # another window's, now
    login(admin.data_dir, "nurse", PASSWORDS["nurse"]).close()
    assert not old.exists()
    assert not old_restore.exists()
    assert running.exists()


def test_a_rekey_leaves_no_copy_on_the_old_key(admin: Session) -> None:
    from clinic_app.security.recovery import rekey_database

    fresh = leftover(admin.data_dir, ".backup-", age=5)
    result = rekey_database(admin, PASSWORDS["admin"], cost=TEST_COST)
    result.session.close()
    assert not fresh.exists()
    assert [p.name for p in admin.data_dir.iterdir() if p.name.startswith(".")] == []


def test_two_backups_in_the_same_second_are_two_files(
    admin: Session, usb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clinic_app.storage.backup as backup_module

    instant = utc_now()
    monkeypatch.setattr(backup_module, "utc_now", lambda: instant)
    first = backup_clinic(admin, usb)
    second = backup_clinic(admin, usb)
    assert first.path != second.path
    assert sorted(p.name for p in usb.iterdir()) == sorted([first.path.name, second.path.name])
    assert hashlib.sha256(first.path.read_bytes()).hexdigest() == first.sha256  # not overwritten


def test_a_restore_onto_a_full_disk_is_a_clear_error_and_leaves_nothing(
    backup_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clinic_app.storage.backup as backup_module

    def disk_full(*_args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup_module, "_copy_member", disk_full)
    target = tmp_path / "new-laptop" / "clinic"
    with pytest.raises(RestoreFolderUnavailable) as caught:
        restore_as_admin(backup_file, target)
    assert str(target) in str(caught.value)
    assert not target.exists()


def test_a_backup_into_the_clinics_own_folder_is_refused(admin: Session) -> None:
    from clinic_app.storage.backup import BackupInsideClinic

    inside = admin.data_dir / "backups"
    inside.mkdir()
    for folder in (admin.data_dir, inside):
        with pytest.raises(BackupInsideClinic):
            backup_clinic(admin, folder)
    assert list(inside.iterdir()) == []
