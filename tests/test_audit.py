"""The audit trail's chain finds tampering at the right entry; the command line says where."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlcipher3

from clinic_app.cli import main
from clinic_app.errors import PermissionDenied
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.accounts import login
from clinic_app.security.recovery import new_recovery_key, verify_audit_trail
from clinic_app.storage.keys import TEST_COST, KeySlots
from clinic_app.storage.store import DB_FILE, SLOTS_FILE
from tests.conftest import PASSWORDS

ROOT = Path(__file__).resolve().parents[1]


def a_busy_morning(clinic_dir: Path) -> int:
    """A few audited actions; return how many entries the trail holds."""
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    for given in ("Awa", "Zoé", "Ali"):
        register_patient(nurse, PatientForm(given, "Koné", "female"))
    nurse.close()
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    count = int(admin.store.one("SELECT count(*) AS n FROM audit_events")["n"])
    admin.close()
    return count


def raw_connection(clinic_dir: Path) -> sqlcipher3.Connection:
    """The database opened like a tool would, with the raw key from the admin's slot."""
    key = KeySlots.load(clinic_dir / SLOTS_FILE).unlock("admin", PASSWORDS["admin"])
    conn = sqlcipher3.connect(str(clinic_dir / DB_FILE), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def tamper(clinic_dir: Path, sql: str, *params: object) -> None:
    conn = raw_connection(clinic_dir)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.execute("DROP TRIGGER audit_events_no_delete")
    conn.execute(sql, params)
    conn.close()


def check(clinic_dir: Path) -> tuple[int | None, str]:
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    try:
        result = verify_audit_trail(admin)
    finally:
        admin.close()
    # The reason may add that the append-only triggers were dropped too.
    return result.first_broken_seq, result.reason.split(";")[0]


def test_an_untouched_trail_is_intact(clinic_dir: Path) -> None:
    entries = a_busy_morning(clinic_dir)
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    result = verify_audit_trail(admin)
    admin.close()
    assert result.intact
    assert result.entries >= entries


def test_an_edited_entry_is_named(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    tamper(clinic_dir, "UPDATE audit_events SET object_id = 'someone-else' WHERE seq = ?", 4)
    assert check(clinic_dir) == (4, "content changed")


def test_a_deleted_entry_is_named(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    tamper(clinic_dir, "DELETE FROM audit_events WHERE seq = ?", 3)
    assert check(clinic_dir) == (3, "missing entry")


def test_the_database_refuses_to_edit_or_delete_entries(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    conn = raw_connection(clinic_dir)
    for sql in (
        "UPDATE audit_events SET object_id = 'x' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 2",
    ):
        with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
            conn.execute(sql)
    conn.close()
    assert check(clinic_dir) == (None, "")


def test_only_an_admin_checks_the_trail(clinic_dir: Path) -> None:
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    with pytest.raises(PermissionDenied):
        verify_audit_trail(nurse)
    nurse.close()


# --- the command line ------------------------------------------------------------------------


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clinic_app.cli", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_audit_verify_command_says_intact_then_names_the_broken_entry(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    args = ("audit", "verify", "--data-dir", str(clinic_dir), "--user", "admin")
    intact = run_cli(*args, CLINIC_APP_PASSWORD=PASSWORDS["admin"])
    assert intact.returncode == 0, intact.stderr
    assert intact.stdout.startswith("audit trail intact: ")
    assert intact.stdout.strip().endswith(" entries")

    tamper(clinic_dir, "UPDATE audit_events SET action = 'nothing' WHERE seq = ?", 5)
    broken = run_cli(*args, CLINIC_APP_PASSWORD=PASSWORDS["admin"])
    assert broken.returncode == 1
    assert broken.stdout.startswith("audit trail broken at entry #5 (content changed")


def test_audit_verify_command_refuses_in_one_line(clinic_dir: Path) -> None:
    args = ("audit", "verify", "--data-dir", str(clinic_dir), "--user", "admin")
    wrong = run_cli(*args, "--password", "not the password")
    assert wrong.returncode == 2
    assert wrong.stderr.count("\n") == 1
    assert "Wrong user name or password" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    nurse = run_cli(*args[:-1], "nurse", CLINIC_APP_PASSWORD=PASSWORDS["nurse"])
    assert nurse.returncode == 2
    assert "Traceback" not in nurse.stderr


def test_passwd_rekey_and_recover_commands(
    clinic_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    d = str(clinic_dir)
    monkeypatch.setenv("CLINIC_APP_PASSWORD", PASSWORDS["nurse"])
    monkeypatch.setenv("CLINIC_APP_NEW_PASSWORD", "short")
    assert main(["passwd", "--data-dir", d, "--user", "nurse"]) == 2
    assert "at least 10 characters" in capsys.readouterr().err
    monkeypatch.setenv("CLINIC_APP_NEW_PASSWORD", "the nurse's new one")
    assert main(["passwd", "--data-dir", d, "--user", "nurse"]) == 0
    assert "Password changed for nurse." in capsys.readouterr().out
    login(clinic_dir, "nurse", "the nurse's new one").close()

    monkeypatch.setenv("CLINIC_APP_PASSWORD", PASSWORDS["admin"])
    assert main(["rekey", "--data-dir", d, "--user", "admin"]) == 0
    out = capsys.readouterr().out
    key = next(line.strip() for line in out.splitlines() if line.startswith("    ") and "-" in line)
    assert "need a temporary password: doctor, nurse, store" in out

    monkeypatch.setenv("CLINIC_APP_NEW_PASSWORD", "temporary doctor 1")
    assert main(["passwd", "--data-dir", d, "--user", "admin", "--reset", "doctor"]) == 0
    login(clinic_dir, "doctor", "temporary doctor 1").close()

    monkeypatch.setenv("CLINIC_APP_RECOVERY_KEY", key[:-1] + ("0" if key[-1] != "0" else "1"))
    monkeypatch.setenv("CLINIC_APP_NEW_PASSWORD", "chief new password")
    assert main(["recover", "--data-dir", d, "--user", "chief"]) == 2
    assert "mistyped" in capsys.readouterr().err
    monkeypatch.setenv("CLINIC_APP_RECOVERY_KEY", key.lower().replace("-", " "))
    assert main(["recover", "--data-dir", d, "--user", "chief"]) == 0
    assert "chief is an administrator" in capsys.readouterr().out
    chief = login(clinic_dir, "chief", "chief new password")
    new_recovery_key(chief, cost=TEST_COST)
    chief.close()


def test_entries_deleted_from_the_end_are_found_missing(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    last = admin.store.one("SELECT max(seq) AS n FROM audit_events")["n"]  # type: ignore[index]
    admin.close()  # anchors the chain's end
    tamper(clinic_dir, "DELETE FROM audit_events WHERE seq >= ?", last - 3)
    seq, reason = check(clinic_dir)
    assert reason in {"missing entry", "content changed"}
    assert seq is not None
    assert last - 3 <= seq <= last + 1


def test_an_emptied_trail_is_not_intact(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    tamper(clinic_dir, "DELETE FROM audit_events")
    assert check(clinic_dir)[0] is not None


def test_dropping_the_append_only_triggers_is_reported(clinic_dir: Path) -> None:
    a_busy_morning(clinic_dir)
    conn = raw_connection(clinic_dir)
    conn.execute("DROP TRIGGER audit_events_no_update")
    conn.close()
    assert check(clinic_dir)[1] == "the append-only protection was removed"


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (["audit", "verify", "--user", "admin"], "CLINIC_APP_PASSWORD"),
        (["recover"], "CLINIC_APP_RECOVERY_KEY"),
        (["backup", "--user", "admin", "--to", "."], "CLINIC_APP_PASSWORD"),
    ],
)
def test_with_no_terminal_to_ask_at_a_command_names_the_variable(
    clinic_dir: Path, args: list[str], variable: str
) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("CLINIC_APP_")}
    result = subprocess.run(
        [sys.executable, "-m", "clinic_app", *args[:1], *args[1:], "--data-dir", str(clinic_dir)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr  # one line, no Python warning
    assert variable in result.stderr
    assert "Warning" not in result.stderr


def test_a_commands_message_is_in_the_language_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = str(tmp_path / "nothing-here")
    verify = ["audit", "verify", "--data-dir", missing, "--user", "admin", "--password", "x"]
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert main(verify) == 2
    assert "There is no clinic database" in capsys.readouterr().err
    assert main(["--language", "fr", *verify]) == 2
    assert "Il n’y a pas de base de données" in capsys.readouterr().err
    monkeypatch.setenv("LANG", "fr_CI.UTF-8")  # the machine's own language
    assert main(verify) == 2
    assert "Il n’y a pas de base de données" in capsys.readouterr().err


def test_what_a_command_says_is_in_french_when_asked(
    clinic_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLINIC_APP_PASSWORD", PASSWORDS["admin"])
    verify = ["audit", "verify", "--data-dir", str(clinic_dir), "--user", "admin"]
    assert main(["--language", "fr", *verify]) == 0
    assert capsys.readouterr().out.startswith("journal d'audit intact : ")
    assert main(verify) == 0
    assert capsys.readouterr().out.startswith("audit trail intact: ")
