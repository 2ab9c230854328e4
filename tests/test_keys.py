"""Key slots, the recovery key and re-keying, on real SQLCipher files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlcipher3

from clinic_app.errors import (
    AccountDisabled,
    NotAClinicDatabase,
    PermissionDenied,
    WrongPassword,
)
from clinic_app.security import recovery
from clinic_app.security.accounts import (
    PasswordResetRequired,
    change_password,
    create_clinic,
    create_user,
    disable_user,
    login,
    reset_password,
    take_recovery_key,
)
from clinic_app.security.permissions import Role
from clinic_app.security.recovery import (
    RecoveryKeyMistyped,
    WrongRecoveryKey,
    make_recovery_key,
    new_recovery_key,
    normalise_recovery_key,
    recover_with_key,
    recovery_secret,
    rekey_database,
)
from clinic_app.session import Session
from clinic_app.storage.keys import RECOVERY_SLOT, TEST_COST, KeySlots, next_slots_path
from clinic_app.storage.store import DB_FILE, SLOTS_FILE
from tests.conftest import PASSWORDS

PAGE = 4096


def slots_of(clinic_dir: Path) -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads((clinic_dir / SLOTS_FILE).read_text())
    return data["slots"]


def raw_key(clinic_dir: Path, username: str = "admin") -> bytes:
    return KeySlots.load(clinic_dir / SLOTS_FILE).unlock(username, PASSWORDS[username])


def opens_with(db_path: Path, key: bytes) -> bool:
    conn = sqlcipher3.connect(str(db_path))
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()


def changed_pages(before: bytes, after: bytes) -> int:
    pages = max(len(before), len(after)) // PAGE
    return sum(
        before[i * PAGE : (i + 1) * PAGE] != after[i * PAGE : (i + 1) * PAGE] for i in range(pages)
    )


# --- slots: one user, one slot -------------------------------------------------------------


def test_adding_a_user_writes_one_slot_and_leaves_the_database_unrewritten(
    clinic_dir: Path,
) -> None:
    db = clinic_dir / DB_FILE
    before_db, before_slots = db.read_bytes(), slots_of(clinic_dir)
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    create_user(
        admin,
        username="midwife",
        display_name="Sage-femme",
        roles={Role.NURSE},
        password="midwife-pass-1",
        cost=TEST_COST,
    )
    admin.close()  # checkpoints the WAL into clinic.db
    after_slots = slots_of(clinic_dir)
    assert set(after_slots) == set(before_slots) | {"midwife"}
    assert {k: v for k, v in after_slots.items() if k != "midwife"} == before_slots
    # SQLCipher writes every page with a fresh IV: re-encrypting would change them all.
    # Only the pages of the new user row and the audit entries may differ.
    pages = len(before_db) // PAGE
    assert pages > 500
    assert changed_pages(before_db, db.read_bytes()) <= 8
    login(clinic_dir, "midwife", "midwife-pass-1").close()


def test_changing_a_password_rewraps_only_that_slot(clinic_dir: Path) -> None:
    db = clinic_dir / DB_FILE
    before_db, before_slots = db.read_bytes(), slots_of(clinic_dir)
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    change_password(nurse, PASSWORDS["nurse"], "a new nurse sentence", cost=TEST_COST)
    nurse.close()
    after_slots = slots_of(clinic_dir)
    assert after_slots["nurse"] != before_slots["nurse"]
    assert {k: v for k, v in after_slots.items() if k != "nurse"} == {
        k: v for k, v in before_slots.items() if k != "nurse"
    }
    assert changed_pages(before_db, db.read_bytes()) <= 8
    with pytest.raises(WrongPassword):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    login(clinic_dir, "nurse", "a new nurse sentence").close()


def test_change_password_refuses_a_wrong_current_password(nurse: Session) -> None:
    before = slots_of(nurse.data_dir)
    with pytest.raises(WrongPassword):
        change_password(nurse, "not-my-password", "a new nurse sentence", cost=TEST_COST)
    assert slots_of(nurse.data_dir)["nurse"] == before["nurse"]


def test_a_disabled_users_slot_is_gone(admin: Session, clinic_dir: Path) -> None:
    disable_user(admin, "store")
    assert "store" not in slots_of(clinic_dir)
    with pytest.raises(AccountDisabled):
        login(clinic_dir, "store", PASSWORDS["store"])


# --- the recovery key ----------------------------------------------------------------------


def test_recovery_key_format_is_typeable_and_checked() -> None:
    key = make_recovery_key()
    groups = key.split("-")
    assert len(groups) == 8
    assert all(len(g) == 5 for g in groups)
    assert set(key.replace("-", "")) <= set(recovery.ALPHABET)
    # Case, spaces and look-alike letters do not matter.
    sloppy = " ".join(groups).lower().replace("0", "o").replace("1", "l")
    assert recovery_secret(sloppy) == normalise_recovery_key(key)
    assert make_recovery_key() != key


@pytest.mark.parametrize("where", [0, 17, 39])
def test_a_typo_in_any_group_is_caught(where: int) -> None:
    key = make_recovery_key().replace("-", "")
    typo = "A" if key[where] != "A" else "B"
    with pytest.raises(RecoveryKeyMistyped, match="mistyped"):
        recovery_secret(key[:where] + typo + key[where + 1 :])


def test_a_short_or_strange_key_is_mistyped() -> None:
    key = make_recovery_key()
    for text in (key[:-1], key + "X", key.replace(key[0], "U", 1), ""):
        with pytest.raises(RecoveryKeyMistyped):
            recovery_secret(text)


def test_create_clinic_hands_out_the_recovery_key_once_and_it_opens_the_clinic(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "clinic"
    admin = create_clinic(
        data_dir,
        clinic_name="Test",
        site_code="TST",
        timezone="UTC",
        admin_username="admin",
        admin_password=PASSWORDS["admin"],
        admin_display_name="Admin",
        cost=TEST_COST,
    )
    key = take_recovery_key(admin)
    assert key is not None
    assert take_recovery_key(admin) is None
    assert RECOVERY_SLOT in slots_of(data_dir)
    assert key.replace("-", "").encode() not in (data_dir / SLOTS_FILE).read_bytes()
    admin.close()
    session = recover_with_key(data_dir, key, "admin", "the admin's new sentence", cost=TEST_COST)
    assert session.actor.username == "admin"
    session.close()
    login(data_dir, "admin", "the admin's new sentence").close()


def test_every_password_lost_the_recovery_key_makes_a_new_admin(clinic_dir: Path) -> None:
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    key = new_recovery_key(admin, cost=TEST_COST)
    admin.close()
    session = recover_with_key(
        clinic_dir.resolve(), key, "chief", "chief new password", cost=TEST_COST
    )
    assert Role.ADMIN in session.actor.roles
    row = session.store.one(
        "SELECT action FROM audit_events WHERE action = 'recovery_used' AND object_id = ?",
        (session.actor.user_id,),
    )
    assert row is not None
    session.close()
    login(clinic_dir, "chief", "chief new password").close()
    login(clinic_dir, "admin", PASSWORDS["admin"]).close()  # others keep their passwords


def test_recovery_can_give_an_existing_user_a_new_password(clinic_dir: Path) -> None:
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    key = new_recovery_key(admin, cost=TEST_COST)
    admin.close()
    recover_with_key(clinic_dir, key, "admin", "forgotten no more", cost=TEST_COST).close()
    with pytest.raises(WrongPassword):
        login(clinic_dir, "admin", PASSWORDS["admin"])
    login(clinic_dir, "admin", "forgotten no more").close()


def test_a_wrong_recovery_key_is_refused(clinic_dir: Path) -> None:
    before = (clinic_dir / SLOTS_FILE).read_bytes()
    with pytest.raises(WrongRecoveryKey) as caught:
        recover_with_key(clinic_dir, make_recovery_key(), "chief", "chief new password")
    assert not isinstance(caught.value, RecoveryKeyMistyped)
    assert "does not open this clinic" in str(caught.value)
    assert (
        json.loads((clinic_dir / SLOTS_FILE).read_bytes())["slots"] == json.loads(before)["slots"]
    )


def test_a_mistyped_recovery_key_is_refused_before_any_derivation(
    clinic_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_derivation(*_: object, **__: object) -> bytes:
        raise AssertionError("the slow derivation ran")

    monkeypatch.setattr("clinic_app.storage.keys._kek", no_derivation)
    key = make_recovery_key()
    mistyped = key[:3] + ("Z" if key[3] != "Z" else "Y") + key[4:]
    with pytest.raises(RecoveryKeyMistyped, match="mistyped"):
        recover_with_key(clinic_dir, mistyped, "chief", "chief new password")


def test_a_replaced_recovery_key_no_longer_opens(clinic_dir: Path) -> None:
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    first = new_recovery_key(admin, cost=TEST_COST)
    second = new_recovery_key(admin, cost=TEST_COST)
    admin.close()
    with pytest.raises(WrongRecoveryKey):
        recover_with_key(clinic_dir, first, "chief", "chief new password", cost=TEST_COST)
    recover_with_key(clinic_dir, second, "chief", "chief new password", cost=TEST_COST).close()


def test_only_an_admin_makes_a_new_recovery_key(nurse: Session) -> None:
    with pytest.raises(PermissionDenied):
        new_recovery_key(nurse, cost=TEST_COST)


# --- re-key ---------------------------------------------------------------------------------


def test_rekey_old_key_is_useless_and_others_must_reset(clinic_dir: Path) -> None:
    db = clinic_dir / DB_FILE
    old_key = raw_key(clinic_dir)
    old_slots = (clinic_dir / SLOTS_FILE).read_bytes()
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    result = rekey_database(admin, PASSWORDS["admin"], cost=TEST_COST)
    assert result.password_reset_required == ("doctor", "nurse", "store")
    assert len(result.recovery_key.split("-")) == 8
    new_session = result.session
    new_key = raw_key(clinic_dir)
    assert new_key != old_key
    assert new_session.store.one("SELECT count(*) AS n FROM users")["n"] == 4
    new_session.close()

    assert opens_with(db, new_key)
    assert not opens_with(db, old_key)
    assert not next_slots_path(clinic_dir / SLOTS_FILE).exists()
    login(clinic_dir, "admin", PASSWORDS["admin"]).close()

    # The others' old passwords open nothing, and they are told why.
    with pytest.raises(PasswordResetRequired, match="temporary password"):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    # A copy of the old slots file (a stolen backup of it) no longer opens the database.
    (clinic_dir / SLOTS_FILE).rename(clinic_dir / "new-slots.json")
    (clinic_dir / SLOTS_FILE).write_bytes(old_slots)
    with pytest.raises(NotAClinicDatabase):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    (clinic_dir / "new-slots.json").replace(clinic_dir / SLOTS_FILE)

    # The admin gives the nurse a temporary password; the new recovery key opens.
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    reset_password(admin, "nurse", "temporary nurse 1", cost=TEST_COST)
    admin.close()
    login(clinic_dir, "nurse", "temporary nurse 1").close()
    recover_with_key(
        clinic_dir, result.recovery_key, "chief", "chief new password", cost=TEST_COST
    ).close()


def test_rekey_needs_the_admins_password_and_role(clinic_dir: Path) -> None:
    before = (clinic_dir / DB_FILE).read_bytes()
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    with pytest.raises(PermissionDenied):
        rekey_database(nurse, PASSWORDS["nurse"], cost=TEST_COST)
    nurse.close()
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    with pytest.raises(WrongPassword):
        rekey_database(admin, "not the password", cost=TEST_COST)
    admin.close()
    assert opens_with(clinic_dir / DB_FILE, raw_key(clinic_dir))
    assert changed_pages(before, (clinic_dir / DB_FILE).read_bytes()) <= 8


@pytest.mark.parametrize(
    "step", ["_write_next_slots", "_reencrypt_database", "_promote_next_slots"]
)
def test_a_failure_at_any_rekey_step_loses_nothing(
    clinic_dir: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    real = getattr(recovery, step)

    def fail_after(*args: object) -> None:
        real(*args)  # the step happens, then the power goes
        raise OSError("disk gone")

    def fail_before(*_: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(recovery, step, fail_before if step == "_write_next_slots" else fail_after)
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    with pytest.raises(OSError, match="disk gone"):
        rekey_database(admin, PASSWORDS["admin"], cost=TEST_COST)
    monkeypatch.undo()
    # Whatever happened, the admin gets in with the same password and the data is there.
    session = login(clinic_dir, "admin", PASSWORDS["admin"])
    assert session.store.one("SELECT count(*) AS n FROM users")["n"] == 4
    session.close()
    assert not next_slots_path(clinic_dir / SLOTS_FILE).exists()
    rekeyed = step != "_write_next_slots"
    if rekeyed:
        with pytest.raises(PasswordResetRequired):
            login(clinic_dir, "nurse", PASSWORDS["nurse"])
    else:
        login(clinic_dir, "nurse", PASSWORDS["nurse"]).close()


CRASH_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from clinic_app.security import recovery
    from clinic_app.security.accounts import login
    from clinic_app.storage.keys import TEST_COST

    step = sys.argv[2]
    real = getattr(recovery, step)

    def then_die(*args):
        real(*args)
        os._exit(9)  # no handler, no cleanup: a power cut right after this step

    setattr(recovery, step, then_die)
    session = login(Path(sys.argv[1]), "admin", "admin-pass-1")
    recovery.rekey_database(session, "admin-pass-1", cost=TEST_COST)
    """
)


@pytest.mark.parametrize("step", ["_write_next_slots", "_reencrypt_database"])
def test_a_process_killed_during_rekey_leaves_an_openable_clinic(
    clinic_dir: Path, step: str
) -> None:
    root = Path(__file__).resolve().parents[1]
    killed = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, str(clinic_dir), step],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == 9, killed.stderr
    pending = next_slots_path(clinic_dir / SLOTS_FILE)
    assert pending.exists()  # the crash left both slots files
    old_key = raw_key(clinic_dir)
    assert opens_with(clinic_dir / DB_FILE, old_key) == (step == "_write_next_slots")

    session = login(clinic_dir, "admin", PASSWORDS["admin"])
    assert session.store.one("SELECT count(*) AS n FROM users")["n"] == 4
    session.close()
    if step == "_reencrypt_database":
        # Login found the database re-keyed and finished the rename.
        assert not pending.exists()
        assert opens_with(clinic_dir / DB_FILE, raw_key(clinic_dir))
        with pytest.raises(PasswordResetRequired):
            login(clinic_dir, "nurse", PASSWORDS["nurse"])
    else:
        login(clinic_dir, "nurse", PASSWORDS["nurse"]).close()


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("slots", "nurse", "t"), 0),
        (("slots", "nurse", "t"), 10**6),
        (("slots", "nurse", "t"), -1),
        (("slots", "nurse", "m"), 2**40),
        (("slots", "nurse", "m"), 4 * 1024 * 1024),
        (("slots", "nurse", "p"), 0),
        (("slots", "nurse", "p"), "2"),
        (("slots", "nurse", "salt"), ""),
        (("slots", "nurse"), "x"),
        (("slots",), [["nurse", {}]]),
        (("accounts",), {"doctor": {"unaudited": "x"}}),
        (("accounts",), {"nurse": {"failures": "x"}}),
        (("accounts",), {"nurse": "x"}),
        (("accounts",), {"nurse": {"locked_until": "garbage"}}),
        (("accounts",), {"nurse": {"locked_until": 5}}),
    ],
)
def test_every_tampered_field_of_the_slots_file_is_refused_before_any_derivation(
    clinic_dir: Path, where: tuple[str, ...], value: object
) -> None:
    import json
    import time

    from clinic_app.errors import NotAClinicDatabase
    from clinic_app.security.accounts import login
    from tests.conftest import PASSWORDS

    path = clinic_dir / "keyslots.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    target = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(NotAClinicDatabase):
        login(clinic_dir, "nurse", PASSWORDS["nurse"])
    assert time.monotonic() - started < 5
