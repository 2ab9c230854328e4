"""When something went wrong: every password lost, a key suspected stolen, the trail doubted.

Recovery key. Made at set-up and shown once (``accounts.take_recovery_key``):
8 groups of 5 characters from Crockford's base32 alphabet (no I, L, O, U:
nothing to confuse), e.g. ``7K3QF-M9XBT-...``. The first 7 groups are 175
random bits; the 8th is a check group (25 bits of a SHA-256 of the others), so
a typo is caught at once, before the slow key derivation. Typing is forgiving:
case, spaces and dashes do not matter, O reads as 0, I and L as 1. The key
unwraps the slot ``__recovery__`` of ``keyslots.json`` (Argon2id of the
normalised text, like a password), which holds the same database key as the
users' slots. ``recover_with_key`` then gives an administrator a new password.
Kept on paper, away from the laptop: whoever holds it opens every record.

Re-key (``rekey_database``), for a suspected compromise (a laptop or a backup
copied, a password or the recovery sheet seen): the database is re-encrypted
with a new random key, so copies of the old ``keyslots.json`` open nothing.
Only the acting admin's password (given again) and a new recovery key wrap the
new key; every other user's slot is void, they are marked "password reset
required", and the admin gives each a temporary password
(``accounts.reset_password``; they are asked to change it).

The order keeps the clinic openable if the process dies at any instant:

1. the new slots are written to ``keyslots.json.next`` (fsync'd); the database
   still has the old key, and ``keyslots.json`` still opens it;
2. ``PRAGMA rekey`` re-encrypts the database in one transaction (in WAL mode
   the commit frame makes it all or nothing);
3. ``keyslots.json.next`` is renamed over ``keyslots.json``.

Between 2 and 3 the old slots no longer open the database: login notices,
tries ``keyslots.json.next`` and finishes step 3 itself
(``accounts.unlock_clinic``). If anything fails, ``rekey_database`` looks
which key opens the database and keeps the matching slots file. One gap: if
the process dies after step 2 the new recovery key was never shown; the admin's
password still opens the clinic, and the admin makes a new recovery key.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from clinic_app.clock import Clock, to_iso, utc_now
from clinic_app.errors import ClinicError, NoClinicDatabase, NotAClinicDatabase, WrongPassword
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.security.accounts import (
    RESET_REQUIRED,
    _actor,
    _audit_failed_logins,
    _check_own_password,
    _insert_user,
    _open_checked,
    _record_success,
    check_password_rules,
    check_username,
    clinic_exists,
    database_key,
    unlock_clinic,
)
from clinic_app.security.audit import AuditCheck, verify_audit_chain
from clinic_app.security.permissions import Action, Role, format_roles, parse_roles
from clinic_app.session import Session
from clinic_app.storage.keys import (
    RECOVERY_SLOT,
    STANDARD_COST,
    KdfCost,
    KeySlots,
    editing_slots,
    folder_lock,
    new_database_key,
    next_slots_path,
    sync_folder,
    write_private_file,
)
from clinic_app.storage.store import DB_FILE, SLOTS_FILE

# --- the recovery key's text ----------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
GROUP_LENGTH = 5
GROUPS = 8
_DATA_LENGTH = GROUP_LENGTH * (GROUPS - 1)
_TYPED_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class WrongRecoveryKey(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This recovery key does not open this clinic. Check that the sheet belongs to "
        "this clinic and is the latest one (a re-key makes a new one).",
    )


class RecoveryKeyMistyped(WrongRecoveryKey):
    """The check group does not match: a typo, found before any slow derivation."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The recovery key was mistyped: it has 8 groups of 5 letters and digits, and "
        "they do not match each other. Compare each group with the printed sheet and "
        "type it again.",
    )


def _check_group(data: str) -> str:
    digest = hashlib.sha256(f"clinic-app recovery v1|{data}".encode()).digest()
    bits = int.from_bytes(digest[:4], "big") >> (32 - 5 * GROUP_LENGTH)
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(GROUP_LENGTH)))


def make_recovery_key() -> str:
    """A new recovery key as printed: ``XXXXX-XXXXX-...`` (8 groups, the last a check)."""
    data = "".join(secrets.choice(ALPHABET) for _ in range(_DATA_LENGTH))
    text = data + _check_group(data)
    return "-".join(text[i : i + GROUP_LENGTH] for i in range(0, len(text), GROUP_LENGTH))


def normalise_recovery_key(text: str) -> str:
    """Upper case, without spaces or dashes; O read as 0, I and L as 1."""
    kept = "".join(ch for ch in text.upper() if not ch.isspace() and ch not in "-–—_.")
    return kept.translate(_TYPED_AS)


def recovery_secret(text: str) -> str:
    """What Argon2id derives from: the normalised key, once its check group holds.

    Raises ``RecoveryKeyMistyped`` at once (no derivation) for a wrong length,
    a character outside the alphabet or a check group that does not match.
    """
    key = normalise_recovery_key(text)
    if (
        len(key) != GROUPS * GROUP_LENGTH
        or any(ch not in ALPHABET for ch in key)
        or not secrets.compare_digest(_check_group(key[:_DATA_LENGTH]), key[_DATA_LENGTH:])
    ):
        raise RecoveryKeyMistyped()
    return key


# --- using it ---------------------------------------------------------------------------


def recover_with_key(
    data_dir: Path,
    recovery_key: str,
    new_admin_username: str,
    new_password: str,
    *,
    display_name: str = "",
    cost: KdfCost = STANDARD_COST,
    clock: Clock = utc_now,
) -> Session:
    """Every password is lost: open the clinic with its recovery key.

    ``new_admin_username`` gets ``new_password`` (its slot is rewrapped) and the
    admin role; the user is created if it does not exist, enabled if it was
    disabled. Audited as "recovery_used". The recovery key stays valid; make a
    new one (``new_recovery_key``) if the sheet may have been seen.
    Raises ``RecoveryKeyMistyped`` (instantly), ``WrongRecoveryKey``,
    ``AccountLockedOut`` (repeated wrong keys), ``InvalidInput``.
    """
    if not clinic_exists(data_dir):
        raise NoClinicDatabase(path=str(data_dir))
    secret = recovery_secret(recovery_key)
    username = check_username(new_admin_username)
    check_password_rules(new_password, username=username)
    try:
        store = unlock_clinic(data_dir, RECOVERY_SLOT, secret, clock=clock)
    except WrongPassword as exc:
        raise WrongRecoveryKey() from exc
    path = data_dir / SLOTS_FILE
    try:
        key = database_key(store)
        slot = KeySlots.load(path).wrap(username, new_password, key, cost)
        now = to_iso(utc_now())
        with store.transaction() as tx:
            row = tx.one("SELECT * FROM users WHERE username = ?", (username,))
            if row is None:
                _insert_user(tx, new_id(), username, display_name, {Role.ADMIN}, now)
            else:
                roles = set(parse_roles(row["roles"])) | {Role.ADMIN}
                tx.update(
                    "users",
                    {"id": row["id"], "roles": format_roles(roles), "active": 1, "updated_at": now},
                )
            row = tx.one("SELECT * FROM users WHERE username = ?", (username,))
            assert row is not None  # inserted or updated just above
            session = Session(store=store, actor=_actor(row), data_dir=data_dir)
            session.audit(tx, "recovery_used", object_kind="user", object_id=row["id"])
            with editing_slots(path) as slots:
                slots.slots[username] = slot
                info = slots.account(username)
                for field in ("state", "must_change", "failures", "locked_until"):
                    info.pop(field, None)
    except BaseException:
        store.close()
        raise
    _audit_failed_logins(session, _record_success(path, RECOVERY_SLOT))
    return session


def new_recovery_key(session: Session, *, cost: KdfCost = STANDARD_COST) -> str:
    """Replace the clinic's recovery key (admin); return the new text to print. The old one dies."""
    session.require(Action.MANAGE_USERS)
    text = make_recovery_key()
    path = session.data_dir / SLOTS_FILE
    slot = KeySlots.load(path).wrap(
        RECOVERY_SLOT, recovery_secret(text), database_key(session.store), cost
    )
    with session.transaction() as tx:
        session.audit(tx, "new_recovery_key", object_kind="clinic", object_id=session.site_id)
        with editing_slots(path) as slots:
            slots.slots[RECOVERY_SLOT] = slot
    return text


# --- re-key -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RekeyResult:
    session: Session  # the admin's session on the re-keyed database (the old one is closed)
    recovery_key: str  # print it now: it is shown only this once
    password_reset_required: tuple[str, ...]  # user names who need a temporary password


def rekey_database(
    session: Session,
    password: str,
    *,
    cost: KdfCost = STANDARD_COST,
    clock: Clock = utc_now,
) -> RekeyResult:
    """Re-encrypt the database with a new random key (admin; their password again).

    Closes ``session`` — every connection holds the old key — and returns a new
    session of the same admin. Other programs with the clinic open must log in
    again. The other users are marked "password reset required": give each a
    temporary password with ``accounts.reset_password``. See the module
    docstring for the order of the steps and what a crash at each one leaves.
    """
    from clinic_app.storage.backup import remove_leftover_work

    session.require(Action.MANAGE_USERS)
    _check_own_password(session, password, clock=clock, action="rekey")
    data_dir = session.data_dir
    # A copy left by an interrupted backup would still open with the old key.
    remove_leftover_work(data_dir, older_than=0)
    path = data_dir / SLOTS_FILE
    actor = session.actor
    clinic_id = session.site_id
    old_key = database_key(session.store)
    new_key = new_database_key()
    recovery_key = make_recovery_key()

    current = KeySlots.load(path)
    upcoming = KeySlots(path, current.clinic_id, {}, copy.deepcopy(current.accounts))
    upcoming.slots[actor.username] = upcoming.wrap(actor.username, password, new_key, cost)
    upcoming.slots[RECOVERY_SLOT] = upcoming.wrap(
        RECOVERY_SLOT, recovery_secret(recovery_key), new_key, cost
    )
    voided = tuple(sorted(set(current.slots) - {actor.username, RECOVERY_SLOT}))
    for name in voided:
        info = upcoming.account(name)
        info["state"] = RESET_REQUIRED
        info.pop("must_change", None)
    for field in ("state", "must_change"):
        upcoming.account(actor.username).pop(field, None)

    session.flush_audit()
    session.close()
    try:
        _write_next_slots(upcoming, next_slots_path(path))
        _reencrypt_database(data_dir / DB_FILE, old_key, new_key)
        _promote_next_slots(data_dir)
    except BaseException:
        _settle_interrupted_rekey(data_dir, old_key, new_key)
        raise
    store = _open_checked(data_dir, new_key, clinic_id)
    new_session = Session(store=store, actor=actor, data_dir=data_dir)
    with new_session.transaction() as tx:
        new_session.audit(
            tx, "rekey", object_kind="clinic", object_id=clinic_id, detail=f"voided={len(voided)}"
        )
    return RekeyResult(new_session, recovery_key, voided)


def _write_next_slots(upcoming: KeySlots, pending_path: Path) -> None:
    write_private_file(pending_path, upcoming.to_bytes())


def _connect(db_path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(db_path), isolation_level=None, timeout=15)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute("PRAGMA busy_timeout = 15000")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _opens_with(db_path: Path, key: bytes) -> bool:
    try:
        conn = _connect(db_path, key)
    except sqlcipher3.DatabaseError as exc:
        if "not a database" in str(exc):
            return False
        raise
    conn.close()
    return True


def _reencrypt_database(db_path: Path, old_key: bytes, new_key: bytes) -> None:
    conn = _connect(db_path, old_key)
    try:
        # An empty WAL first: every page is then re-encrypted by one transaction.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if not _opens_with(db_path, new_key):
        raise NotAClinicDatabase(path=str(db_path))


def _promote_next_slots(data_dir: Path) -> None:
    path = data_dir / SLOTS_FILE
    with folder_lock(data_dir):
        next_slots_path(path).replace(path)
    sync_folder(data_dir)


def _settle_interrupted_rekey(data_dir: Path, old_key: bytes, new_key: bytes) -> None:
    """After a failure: keep the slots file whose key opens the database.

    Deletes ``keyslots.json.next`` only once the *old* key is seen to open the
    database; when neither can be checked (the disk is gone), both files stay
    and the next login sorts it out.
    """
    db_path = data_dir / DB_FILE
    pending = next_slots_path(data_dir / SLOTS_FILE)
    with contextlib.suppress(Exception):
        if _opens_with(db_path, new_key):
            if pending.is_file():
                _promote_next_slots(data_dir)
        elif _opens_with(db_path, old_key):
            pending.unlink(missing_ok=True)


# --- the audit trail ----------------------------------------------------------------------


def verify_audit_trail(session: Session) -> AuditCheck:
    """Walk the hash chain (admin); name the first entry that does not hold.

    The check itself is audited ("verify_audit", with the result).
    """
    session.require(Action.VIEW_AUDIT)
    session.flush_audit()
    check = verify_audit_chain(session.store)
    with session.transaction() as tx:
        session.audit(
            tx,
            "verify_audit",
            object_kind="audit_trail",
            outcome="ok" if check.intact else "broken",
            detail=f"entries={check.entries};first_broken={check.first_broken_seq or ''}",
        )
    return check
