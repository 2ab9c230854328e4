"""Creating a clinic, its users, logging in, and keeping passwords.

Logging in *is* unlocking: the user's password unwraps their key slot, which
opens the database; there is no other password check to get wrong. Every
change to a password (a new user, a changed or reset password, an account
enabled again) rewraps that one user's slot in ``keyslots.json`` and never
rewrites the database (see ``clinic_app.storage.keys``).

Lock-out. After ``MAX_FAILURES`` consecutive wrong passwords for one user name,
each further attempt is refused for a delay that doubles (30 s, 1 min, 2 min,
... at most 15 min) *before* any key derivation runs, and a right password
resets the count. The counters live in ``keyslots.json`` because they must work
before the database is open; they count unknown user names too, so the
lock-out says nothing about which names exist. What it protects against: a
person at the shared laptop's keyboard trying passwords. What it does not:
someone who copies ``keyslots.json`` and ``clinic.db`` guesses offline, as
fast as the Argon2id cost (``STANDARD_COST``) lets them; only long passwords
(``check_password_rules``) help there.

Failed logins cannot be written to the encrypted audit trail while the
database is locked: they are counted beside the lock-out counters and written
as one "failed_login" entry per user (count and time of the last one;
identifiers only) at the next successful login of anyone.

Disabled accounts, and those voided by a re-key, have no key slot at all:
``keyslots.json`` keeps only their state, so login can say why it refuses.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import math
import re
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from clinic_app.clock import Clock, clinic_zone, from_iso, to_iso, utc_now
from clinic_app.errors import (
    AccountDisabled,
    ClinicAlreadyExists,
    ClinicError,
    InvalidInput,
    NoClinicDatabase,
    NotAClinicDatabase,
    NotFound,
    WrongPassword,
)
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.security.audit import anchor_audit_chain
from clinic_app.security.permissions import Action, Actor, Role, format_roles, parse_roles
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
)
from clinic_app.storage.store import (
    DB_FILE,
    SLOTS_FILE,
    Store,
    Tx,
    open_store,
    prepare_data_folder,
)
from clinic_app.validation import check_printable, check_site_code, clean_line

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


# --- errors ---------------------------------------------------------------------------


class AccountLockedOut(ClinicError):
    """Too many wrong passwords in a row for this user name; ``seconds`` until the next try."""

    template = QT_TRANSLATE_NOOP("errors", "Too many failed attempts; try again in {minutes} min.")
    in_seconds = QT_TRANSLATE_NOOP("errors", "Too many failed attempts; try again in {seconds} s.")

    def __init__(self, *, seconds: int) -> None:
        self.seconds = seconds
        if seconds < 60:
            super().__init__(self.in_seconds, seconds=max(1, seconds))
        else:
            super().__init__(minutes=math.ceil(seconds / 60))


class PasswordResetRequired(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "Your password no longer opens the clinic (the clinic's key was changed). "
        "Ask the clinic admin for a temporary password.",
    )


# --- password rules -----------------------------------------------------------------

MIN_PASSWORD_LENGTH = 10

# Among the first guesses of anyone trying passwords (lists of leaked passwords,
# English and French), kept to those the length rule alone would let through.
COMMON_PASSWORDS = frozenset(
    [
        "password12",
        "password123",
        "password1234",
        "password12345",
        "passw0rd123",
        "p@ssword123",
        "motdepasse",
        "motdepasse1",
        "motdepasse12",
        "motdepasse123",
        "qwertyuiop",
        "qwertyuiop1",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "azertyuiop",
        "azertyuiop1",
        "azerty1234",
        "azerty12345",
        "azerty123456",
        "abcdefghij",
        "abcdefghijk",
        "abcd123456",
        "abc1234567",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "q1w2e3r4t5",
        "1qaz2wsx3edc",
        "iloveyou12",
        "iloveyou123",
        "jetaime123",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme12",
        "changeme123",
        "sunshine12",
        "princess12",
        "football12",
        "football123",
        "baseball12",
        "dragon1234",
        "monkey1234",
        "superman12",
        "starwars12",
        "trustno123",
        "administrator",
        "admin12345",
        "admin123456",
        "administrateur",
        "bienvenue1",
        "bienvenue12",
        "bienvenue123",
        "bonjour123",
        "soleil1234",
        "doudou1234",
        "chouchou12",
        "clinique12",
        "clinique123",
        "hopital123",
        "docteur123",
        "infirmiere1",
        "infirmier1",
        "pharmacie1",
        "pharmacie12",
        "password!!",
    ]
)


def check_password_rules(password: str, *, username: str = "") -> None:
    """Refuse a password that is easy to guess; the message says what to do instead."""
    if len("".join(password.split())) < MIN_PASSWORD_LENGTH:  # spaces and tabs do not count
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The password must have at least {n} characters. "
                "A short sentence is long enough and easy to remember.",
            ),
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )
    lowered = password.lower()
    name = normalise_username(username) if username else ""
    # The user name, alone or repeated or with a digit or two, is the first guess.
    if name and name in lowered and len(re.sub(r"[\W\d_]+", "", lowered.replace(name, ""))) < 3:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "The password must not be the user name. Choose something only you know."
            ),
            field="password",
        )
    if password.isdigit():
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The password must not be only digits. Add letters, or use a short sentence.",
            ),
            field="password",
        )
    if len(set(password)) == 1:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The password must not repeat a single character. Use a short sentence instead.",
            ),
            field="password",
        )
    if lowered in COMMON_PASSWORDS:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "This password is among the first anyone would try. Choose another one.",
            ),
            field="password",
        )


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    username = normalise_username(username)
    if not _USERNAME.match(username):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "A user name has 2 to 32 characters: lower-case letters, digits, "
                "dot, dash or underscore.",
            ),
            field="username",
        )
    return username


# --- lock-out ------------------------------------------------------------------------

MAX_FAILURES = 5
FIRST_DELAY_S = 30
MAX_DELAY_S = 15 * 60
# Names tried that have no slot (typos, guesses) are remembered, but not forever.
# Failed attempts at names this clinic does not know are counted together, under a
# name no user can have: a typed "name" may be a password put in the wrong box, and
# keyslots.json is not encrypted (it must be read before the database opens).
UNKNOWN_NAMES = "*unknown*"

# Account states kept in keyslots.json (no slot, and this says why).
DISABLED = "disabled"
RESET_REQUIRED = "reset_required"
# Central's staff directory says this person is no longer active (schema step 6,
# ``staff_directory``): like DISABLED, but only central can lift it.
DISABLED_BY_CENTRAL = "disabled_by_central"


class StaffDeactivated(AccountDisabled):
    """Central's staff directory deactivated this person: no login at this clinic."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The institution has deactivated this account at central; it can no longer log in "
        "at this clinic. If this is a mistake, ask the clinic admin to contact central.",
    )


def lockout_delay(failures: int) -> int:
    """Seconds refused after the ``failures``-th wrong password in a row (0 below the limit)."""
    if failures < MAX_FAILURES:
        return 0
    return int(min(FIRST_DELAY_S * 2 ** min(failures - MAX_FAILURES, 16), MAX_DELAY_S))


def _lockout_refusal(slots: KeySlots, name: str, now: datetime) -> AccountLockedOut | None:
    """The refusal while a lock-out runs (before any slow derivation), or None.

    A lock-out ends ``MAX_DELAY_S`` at most after *now*: if the stored end is
    further away, the clock was ahead when the failures happened (or has been
    set back), and the end is brought back to now + the maximum in ``slots``
    (saved by the caller), so a corrected clock never locks a person out for
    the months it was wrong.
    """
    info = slots.accounts.get(name, {})
    until = info.get("locked_until")
    if not until:
        return None
    remaining = (from_iso(until) - now).total_seconds()
    if remaining > MAX_DELAY_S:
        info["locked_until"] = to_iso(now + timedelta(seconds=MAX_DELAY_S))
        remaining = MAX_DELAY_S
    return AccountLockedOut(seconds=math.ceil(remaining)) if remaining > 0 else None


def _state_refusal(slots: KeySlots, name: str) -> ClinicError | None:
    state = slots.accounts.get(name, {}).get("state")
    if state == DISABLED_BY_CENTRAL:
        return StaffDeactivated()
    if state == DISABLED:
        return AccountDisabled()
    if state == RESET_REQUIRED:
        return PasswordResetRequired()
    return None


def _refuse_by_state(slots: KeySlots, name: str) -> None:
    refusal = _state_refusal(slots, name)
    if refusal is not None:
        raise refusal


def _reserve_attempt(path: Path, name: str, now: datetime, *, audited: bool = False) -> KeySlots:
    """Check the lock-out and count this attempt as a failure, in one step under the lock.

    Counted *before* the slow derivation, so attempts made in parallel cannot
    all pass the check while none has failed yet; a success takes it back
    (``_attempt_succeeded``). An attempt at an account central deactivated is
    refused at once and noted for the audit trail (written, like failed
    logins, at the next login of anyone), without counting toward a lock-out
    that would hide the reason.
    """
    refusal: ClinicError | None
    with editing_slots(path) as slots:
        name = _counted_as(slots, name)
        refusal = _lockout_refusal(slots, name, now)
        if refusal is None:
            refusal = _state_refusal(slots, name)
            if refusal is None:
                _count_failure(slots, name, now, audited=audited)
            elif isinstance(refusal, StaffDeactivated) and not audited:
                info = slots.account(name)
                info["unaudited"] = int(info.get("unaudited", 0)) + 1
                info["last_failure"] = to_iso(now)
    if refusal is not None:
        raise refusal
    return slots


def _attempt_succeeded(path: Path, name: str, *, audited: bool) -> None:
    """Take back the failure ``_reserve_attempt`` counted for an attempt that succeeded."""
    with editing_slots(path) as slots:
        info = slots.account(name)
        if not audited and int(info.get("unaudited", 0)) > 0:
            info["unaudited"] = int(info["unaudited"]) - 1
            if not info["unaudited"]:
                del info["unaudited"]
        _clear_lockout(info)


def _count_failure(slots: KeySlots, name: str, now: datetime, *, audited: bool) -> None:
    info = slots.account(name)
    failures = int(info.get("failures", 0)) + 1
    info["failures"] = failures
    info["last_failure"] = to_iso(now)
    if not audited:
        info["unaudited"] = int(info.get("unaudited", 0)) + 1
    delay = lockout_delay(failures)
    if delay:
        info["locked_until"] = to_iso(now + timedelta(seconds=delay))
    _forget_unknown_names(slots)


def _known(slots: KeySlots, name: str) -> bool:
    """A name with a key slot, or an account kept without one (disabled, to reset)."""
    return name in slots.slots or bool(slots.accounts.get(name, {}).get("state"))


def _counted_as(slots: KeySlots, name: str) -> str:
    """Where an attempt at ``name`` is counted: its own entry, or the unknown names'."""
    return name if _known(slots, name) else UNKNOWN_NAMES


def _forget_unknown_names(slots: KeySlots) -> None:
    """Fold entries of unknown names (written by older versions) into the shared one."""
    for name in [n for n in slots.accounts if n != UNKNOWN_NAMES and not _known(slots, n)]:
        info = slots.accounts.pop(name)
        if info.get("unaudited"):
            shared = slots.account(UNKNOWN_NAMES)
            shared["unaudited"] = int(shared.get("unaudited", 0)) + int(info["unaudited"])
            shared["last_failure"] = max(
                str(shared.get("last_failure", "")), str(info.get("last_failure", ""))
            )


def _clear_lockout(info: dict[str, Any]) -> None:
    for field in ("failures", "locked_until"):
        info.pop(field, None)


def _record_success(path: Path, name: str) -> dict[str, tuple[int, str]]:
    """Reset ``name``'s lock-out; return every user name's failures not yet audited."""
    with editing_slots(path) as slots:
        _clear_lockout(slots.account(name))
        _forget_unknown_names(slots)
        return {
            user: (int(info["unaudited"]), str(info.get("last_failure", "")))
            for user, info in slots.accounts.items()
            if info.get("unaudited")
        }


def _audit_failed_logins(session: Session, pending: dict[str, tuple[int, str]]) -> None:
    """Write the failures counted while the database was locked, then forget them."""
    if not pending:
        return
    with session.transaction() as tx:
        for name, (count, last) in sorted(pending.items()):
            row = tx.one("SELECT id FROM users WHERE username = ?", (name,))
            # An unknown name may be a password typed in the wrong box: never stored
            # (counted under UNKNOWN_NAMES, see _counted_as).
            session.audit(
                tx,
                "failed_login",
                object_kind="user" if row is not None else "unknown_user",
                object_id=row["id"] if row is not None else "",
                outcome="refused",
                detail=f"count={count};last={last}",
            )
    with editing_slots(session.data_dir / SLOTS_FILE) as slots:
        for name, (count, _) in pending.items():
            info = slots.accounts.get(name)
            if info is not None:
                left = int(info.get("unaudited", 0)) - count
                if left > 0:
                    info["unaudited"] = left
                else:
                    info.pop("unaudited", None)


# --- opening the clinic ---------------------------------------------------------------


def clinic_exists(data_dir: Path) -> bool:
    return (data_dir / DB_FILE).is_file()


def unlock_clinic(data_dir: Path, name: str, secret: str, *, clock: Clock = utc_now) -> Store:
    """Open the database with slot ``name`` (a user name or the recovery slot).

    Keeps the lock-out (refuses before deriving anything; counts a failure;
    resets on success) and finishes a re-key that stopped between
    re-encrypting the database and renaming ``keyslots.json.next`` into place.
    Raises ``WrongPassword``, ``AccountLockedOut``, ``AccountDisabled``,
    ``PasswordResetRequired``, ``NotAClinicDatabase``.
    """
    if not clinic_exists(data_dir):
        raise NoClinicDatabase(path=str(data_dir))
    path = data_dir / SLOTS_FILE
    now = clock()
    slots = _reserve_attempt(path, name, now)
    try:
        key = slots.unlock(name, secret)
    except WrongPassword:
        raise  # already counted by _reserve_attempt
    _attempt_succeeded(path, name, audited=False)
    try:
        store = _open_checked(data_dir, key, slots.clinic_id)
    except NotAClinicDatabase:
        store = _open_with_next_slots(data_dir, name, secret)
    return store


def _open_checked(data_dir: Path, key: bytes, clinic_id: str) -> Store:
    store = open_store(data_dir / DB_FILE, key)
    if store.setting("clinic_id") != clinic_id:
        # The slots belong to another clinic's database.
        store.close()
        raise WrongPassword()
    return store


def _open_with_next_slots(data_dir: Path, name: str, secret: str) -> Store:
    """The database no longer opens with ``keyslots.json``: was a re-key interrupted?"""
    path = data_dir / SLOTS_FILE
    pending_path = next_slots_path(path)
    if not pending_path.is_file():
        raise NotAClinicDatabase(path=str(data_dir / DB_FILE))
    pending = KeySlots.load(pending_path)
    _refuse_by_state(pending, name)
    key = pending.unlock(name, secret)
    store = _open_checked(data_dir, key, pending.clinic_id)
    # The new key opens the database: the re-key did finish; its slots are the real ones.
    with folder_lock(data_dir):
        if pending_path.is_file():
            pending_path.replace(path)
    return store


def _actor(row: Any) -> Actor:
    return Actor(row["id"], row["username"], row["display_name"], parse_roles(row["roles"]))


def login(data_dir: Path | str, username: str, password: str, *, clock: Clock = utc_now) -> Session:
    """Unlock the clinic with this user's password.

    Raises ``WrongPassword``, ``AccountLockedOut``, ``AccountDisabled``,
    ``PasswordResetRequired``, ``NoClinicDatabase``, ``NotAClinicDatabase``.
    A session opened with a temporary password may only change it
    (``Session.password_change_required``).
    """
    data_dir = Path(data_dir)
    if not isinstance(username, str) or not isinstance(password, str):
        raise WrongPassword()  # a script passing None: the same answer as a wrong password
    username = normalise_username(username)
    store = unlock_clinic(data_dir, username, password, clock=clock)
    try:
        row = store.one("SELECT * FROM users WHERE username = ?", (username,))
        if row is None:
            raise WrongPassword()
        if not row["active"]:
            raise AccountDisabled()
    except BaseException:
        store.close()
        raise
    session = Session(store=store, actor=_actor(row), data_dir=data_dir)
    if deactivated_by_central(store, username):
        # Central's word arrived with a pull but was not applied yet (the sync stopped
        # after its page): apply it now, and say why the door stays shut.
        try:
            with session.transaction() as tx:
                session.audit(
                    tx,
                    "login",
                    object_kind="user",
                    object_id=row["id"],
                    outcome="refused",
                    detail="deactivated_by_central",
                )
                _disable_for_central(session, tx, row)
        finally:
            session.close()
        raise StaffDeactivated()
    pending = _record_success(data_dir / SLOTS_FILE, username)
    session.password_change_required = must_change_password(session)
    with session.transaction() as tx:
        session.audit(tx, "login", object_kind="user", object_id=session.actor.user_id)
        anchor_audit_chain(tx)
    _audit_failed_logins(session, pending)
    from clinic_app.storage.backup import remove_leftover_work

    remove_leftover_work(data_dir)  # an interrupted backup's copy of the database
    return session


def logout(session: Session) -> None:
    with contextlib.suppress(Exception), session.transaction() as tx:
        session.audit(tx, "logout", object_kind="user", object_id=session.actor.user_id)
    session.close()


def switch_user(
    session: Session, username: str, password: str, *, clock: Clock = utc_now
) -> Session:
    """Another person takes the (locked) workstation: log them in, then log the first out.

    If the new login is refused, ``session`` stays as it was (still locked).
    """
    new_session = login(session.data_dir, username, password, clock=clock)
    logout(session)
    return new_session


def unlock_session(session: Session, password: str, *, clock: Clock = utc_now) -> None:
    """The screen was locked: the *same* user types their password again.

    Counts toward the lock-out like a login and is audited ("unlock", ok or
    refused). Raises ``WrongPassword``, ``AccountLockedOut``,
    ``AccountDisabled`` (an admin disabled the account meanwhile),
    ``PasswordResetRequired``.
    """
    _check_own_password(session, password, clock=clock, action="unlock")
    with session.transaction() as tx:
        session.audit(tx, "unlock", object_kind="user", object_id=session.actor.user_id)


def _check_own_password(session: Session, password: str, *, clock: Clock, action: str) -> None:
    """Check that ``password`` opens the acting user's slot to *this* database's key."""
    path = session.data_dir / SLOTS_FILE
    name = session.actor.username
    now = clock()
    slots = _reserve_attempt(path, name, now, audited=True)
    try:
        key = slots.unlock(name, password)
        if not hmac.compare_digest(key, database_key(session.store)):
            raise WrongPassword()
    except WrongPassword:
        with session.transaction() as tx:
            session.audit(
                tx, action, object_kind="user", object_id=session.actor.user_id, outcome="refused"
            )
        raise
    _attempt_succeeded(path, name, audited=True)


def database_key(store: Store) -> bytes:
    return store._key


# --- a new clinic ----------------------------------------------------------------------

# The recovery key of a clinic just made, until the window (or the command
# line) takes it to show it: it is never stored anywhere in clear.
_FRESH_RECOVERY_KEYS: dict[int, tuple[weakref.ref[Session], str]] = {}


def take_recovery_key(session: Session) -> str | None:
    """The recovery key of the clinic ``create_clinic`` just made, once; later ``None``.

    Show it to the administrator to print or copy on paper, and say it is shown
    only this once: it opens the clinic when every password is lost.
    """
    held = _FRESH_RECOVERY_KEYS.pop(id(session), None)
    if held is None or held[0]() is not session:
        return None
    return held[1]


def _hold_recovery_key(session: Session, text: str) -> None:
    key = id(session)
    _FRESH_RECOVERY_KEYS[key] = (weakref.ref(session), text)
    weakref.finalize(session, _FRESH_RECOVERY_KEYS.pop, key, None)


MAX_CLINIC_NAME = 80
"""Characters in a clinic's name: what the documents' letterhead holds on one line."""


def create_clinic(
    data_dir: Path,
    *,
    clinic_name: str,
    site_code: str,
    timezone: str,
    admin_username: str,
    admin_password: str,
    admin_display_name: str,
    cost: KdfCost = STANDARD_COST,
) -> Session:
    """First start: a new encrypted database, its first administrator, its recovery key.

    The database is built under a temporary name and renamed into place last,
    so a power cut during set-up leaves no half-made clinic behind. The
    recovery key is made here and handed out once by ``take_recovery_key``.
    """
    from clinic_app.records.icd11 import load_bundled_icd11
    from clinic_app.security.recovery import make_recovery_key, recovery_secret

    clinic_zone(timezone)
    clinic_name = check_printable(
        clean_line(clinic_name, "clinic_name", limit=MAX_CLINIC_NAME, required=True),
        "clinic_name",
    )
    site_code = check_site_code(site_code)
    admin_username = check_username(admin_username)
    admin_display_name = check_display_name(admin_display_name)
    check_password_rules(admin_password, username=admin_username)
    prepare_data_folder(data_dir)
    db_path = data_dir / DB_FILE
    if db_path.exists():
        raise ClinicAlreadyExists(path=str(data_dir))
    partial = data_dir / (DB_FILE + ".partial")
    for leftover in data_dir.glob(DB_FILE + ".partial*"):
        leftover.unlink()

    key = new_database_key()
    clinic_id = new_id()
    signing_key = Ed25519PrivateKey.generate()
    now = to_iso(utc_now())
    admin_id = new_id()
    store = open_store(partial, key, create=True)
    try:
        with store.transaction() as tx:
            settings = {
                "clinic_id": clinic_id,
                "clinic_name": clinic_name,
                "site_code": site_code,
                "timezone": timezone,
                "language": "fr",
                "signing_key": base64.b64encode(signing_key.private_bytes_raw()).decode(),
                "signing_public_key": base64.b64encode(
                    signing_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
                ).decode(),
                "created_at": now,
            }
            for name, value in settings.items():
                tx.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (name, value))
            _insert_user(tx, admin_id, admin_username, admin_display_name, {Role.ADMIN}, now)
            load_bundled_icd11(tx)
        store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    recovery_key = make_recovery_key()
    slots = KeySlots(data_dir / SLOTS_FILE, clinic_id, {})
    slots.slots[admin_username] = slots.wrap(admin_username, admin_password, key, cost)
    slots.slots[RECOVERY_SLOT] = slots.wrap(RECOVERY_SLOT, recovery_secret(recovery_key), key, cost)
    next_slots_path(slots.path).unlink(missing_ok=True)
    slots.save()
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.replace(db_path)
    session = login(data_dir, admin_username, admin_password)
    _hold_recovery_key(session, recovery_key)
    return session


def check_display_name(value: object) -> str:
    """A user's full name as prescriptions print it ("Dr Awa Koné"); may be left empty."""
    return check_printable(clean_line(value, "display_name", limit=100), "display_name")


def _insert_user(
    tx: Tx, user_id: str, username: str, display_name: str, roles: set[Role], now: str
) -> None:
    tx.insert(
        "users",
        {
            "id": user_id,
            "username": username,
            "display_name": display_name.strip() or username,
            "roles": format_roles(roles),
            "active": 1,
            "created_at": now,
            "updated_at": now,
        },
    )


# --- users and their passwords ---------------------------------------------------------


@dataclass(frozen=True)
class UserAccount:
    """A user as the admin's list shows them."""

    user_id: str
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    password_reset_required: bool  # voided by a re-key: needs a temporary password
    must_change_password: bool  # holds a temporary password set by an admin
    locked_out_until: str  # ISO-8601 UTC, "" when not locked out
    deactivated_by_central: bool = False  # central's staff directory says inactive


def list_users(session: Session) -> list[UserAccount]:
    session.require(Action.MANAGE_USERS)
    slots = KeySlots.load(session.data_dir / SLOTS_FILE)
    users = []
    for row in session.store.all("SELECT * FROM users ORDER BY username"):
        info = slots.accounts.get(row["username"], {})
        users.append(
            UserAccount(
                user_id=row["id"],
                username=row["username"],
                display_name=row["display_name"],
                roles=parse_roles(row["roles"]),
                active=bool(row["active"]),
                password_reset_required=info.get("state") == RESET_REQUIRED,
                must_change_password=bool(info.get("must_change")),
                locked_out_until=str(info.get("locked_until", "")),
                deactivated_by_central=info.get("state") == DISABLED_BY_CENTRAL,
            )
        )
    return users


def must_change_password(session: Session) -> bool:
    """True when the acting user logged in with a temporary password an admin set."""
    slots = KeySlots.load(session.data_dir / SLOTS_FILE)
    return bool(slots.accounts.get(session.actor.username, {}).get("must_change"))


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    roles: set[Role],
    password: str,
    cost: KdfCost = STANDARD_COST,
    user_id: str | None = None,
    temporary: bool = False,
) -> str:
    """Add a user and their key slot; the database itself is not rewritten.

    ``user_id``: the id to give (a staff member from central keeps central's id);
    ``temporary``: the password is one the admin chose, to change at first login.
    """
    session.require(Action.MANAGE_USERS)
    username = check_username(username)
    display_name = check_display_name(display_name)
    check_password_rules(password, username=username)
    _check_roles(roles)
    user_id = user_id or new_id()
    path = session.data_dir / SLOTS_FILE
    slot = KeySlots.load(path).wrap(username, password, database_key(session.store), cost)
    with session.transaction() as tx:
        if tx.one("SELECT 1 FROM users WHERE username = ?", (username,)):
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "The user name {username} is already taken."),
                field="username",
                username=username,
            )
        _insert_user(tx, user_id, username, display_name, roles, to_iso(utc_now()))
        session.audit(tx, "create_user", object_kind="user", object_id=user_id)
        # Written inside the transaction: if the slot cannot be saved, the user is not added.
        with editing_slots(path) as slots:
            slots.slots[username] = slot
            slots.accounts.pop(username, None)  # counters of earlier guesses at this name
            if temporary:
                slots.account(username)["must_change"] = True
    return user_id


def change_password(
    session: Session,
    old_password: str,
    new_password: str,
    *,
    cost: KdfCost = STANDARD_COST,
    clock: Clock = utc_now,
) -> None:
    """The acting user changes their own password: their one slot is rewrapped.

    The old password is checked (a wrong one counts toward the lock-out).
    """
    username = session.actor.username
    check_password_rules(new_password, username=username)
    if new_password == old_password:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The new password must differ from the current one."),
            field="password",
        )
    _check_own_password(session, old_password, clock=clock, action="change_password")
    path = session.data_dir / SLOTS_FILE
    slot = KeySlots.load(path).wrap(username, new_password, database_key(session.store), cost)
    with session.transaction() as tx:
        session.audit(tx, "change_password", object_kind="user", object_id=session.actor.user_id)
        with editing_slots(path) as slots:
            slots.slots[username] = slot
            slots.account(username).pop("must_change", None)
    session.password_change_required = False


def _user_row(tx: Tx, username: str) -> Any:
    row = tx.one("SELECT * FROM users WHERE username = ?", (normalise_username(username),))
    if row is None:
        raise NotFound(
            QT_TRANSLATE_NOOP("errors", "There is no user named {username}."),
            username=normalise_username(username),
        )
    return row


def reset_password(
    session: Session,
    username: str,
    new_password: str,
    *,
    cost: KdfCost = STANDARD_COST,
) -> None:
    """An admin gives ``username`` a temporary password (forgotten, or voided by a re-key).

    Rewraps that user's slot only, lifts their lock-out, and marks the password
    as one to change (``must_change_password``).
    """
    session.require(Action.MANAGE_USERS)
    username = normalise_username(username)
    check_password_rules(new_password, username=username)
    path = session.data_dir / SLOTS_FILE
    slot = KeySlots.load(path).wrap(username, new_password, database_key(session.store), cost)
    with session.transaction() as tx:
        row = _user_row(tx, username)
        if not row["active"]:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors", "The account {username} is disabled. Enable it with a new password."
                ),
                field="username",
                username=username,
            )
        session.audit(tx, "reset_password", object_kind="user", object_id=row["id"])
        with editing_slots(path) as slots:
            slots.slots[username] = slot
            info = slots.account(username)
            _clear_lockout(info)
            info.pop("state", None)
            if username != session.actor.username:
                info["must_change"] = True


def _refuse_to_remove_last_admin(tx: Tx, user_id: str) -> None:
    others = tx.one(
        "SELECT count(*) AS n FROM users WHERE active = 1 AND id != ? "
        "AND (',' || roles || ',') LIKE '%,admin,%'",
        (user_id,),
    )
    if others is None or int(others["n"]) == 0:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "The clinic must keep at least one active administrator. "
                "Give the admin role to someone else first.",
            ),
            field="roles",
        )


def disable_user(session: Session, username: str) -> None:
    """Disable an account: its key slot is deleted, so its password opens nothing.

    Refused for oneself and for the last active administrator.
    """
    session.require(Action.MANAGE_USERS)
    username = normalise_username(username)
    if username == session.actor.username:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "You cannot disable your own account. Ask another administrator."
            ),
            field="username",
        )
    with session.transaction() as tx:
        row = _user_row(tx, username)
        if Role.ADMIN in parse_roles(row["roles"]):
            _refuse_to_remove_last_admin(tx, row["id"])
        tx.update("users", {"id": row["id"], "active": 0, "updated_at": to_iso(utc_now())})
        session.audit(tx, "disable_user", object_kind="user", object_id=row["id"])
        with editing_slots(session.data_dir / SLOTS_FILE) as slots:
            slots.slots.pop(username, None)
            info = slots.account(username)
            info["state"] = DISABLED
            info.pop("must_change", None)


def enable_user(
    session: Session,
    username: str,
    temporary_password: str,
    *,
    cost: KdfCost = STANDARD_COST,
) -> None:
    """Enable an account again, with a temporary password (its old slot was deleted).

    Refused while central's staff directory says the person is deactivated:
    master data belongs to central, and the next sync would disable them again.
    """
    session.require(Action.MANAGE_USERS)
    username = normalise_username(username)
    if deactivated_by_central(session.store, username):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "Central has deactivated {username}. Only central can make the account "
                "active again; ask the central operator.",
            ),
            field="username",
            username=username,
        )
    check_password_rules(temporary_password, username=username)
    path = session.data_dir / SLOTS_FILE
    slot = KeySlots.load(path).wrap(username, temporary_password, database_key(session.store), cost)
    with session.transaction() as tx:
        row = _user_row(tx, username)
        tx.update("users", {"id": row["id"], "active": 1, "updated_at": to_iso(utc_now())})
        session.audit(tx, "enable_user", object_kind="user", object_id=row["id"])
        with editing_slots(path) as slots:
            slots.slots[username] = slot
            info = slots.account(username)
            _clear_lockout(info)
            info.pop("state", None)
            info["must_change"] = True


def set_roles(session: Session, username: str, roles: set[Role]) -> None:
    """Change what a user may do; audited as a "permission_change" (old and new roles).

    No key slot changes. A user already logged in keeps their roles until they
    log in again.
    """
    session.require(Action.MANAGE_USERS)
    _check_roles(roles)
    with session.transaction() as tx:
        row = _user_row(tx, username)
        old = parse_roles(row["roles"])
        if Role.ADMIN in old and Role.ADMIN not in roles:
            _refuse_to_remove_last_admin(tx, row["id"])
        new = format_roles(roles)
        tx.update("users", {"id": row["id"], "roles": new, "updated_at": to_iso(utc_now())})
        session.audit(
            tx,
            "permission_change",
            object_kind="user",
            object_id=row["id"],
            detail=f"{format_roles(old)}->{new}",
        )


def _check_roles(roles: set[Role]) -> None:
    if not roles:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "Choose at least one role."), field="roles")


# --- the staff directory from central (issue 4, docs/sync.md "Master data") ---------------
#
# Central's operator keeps each clinic's staff (``staff_member`` records: user name,
# name, roles, active); the clinic receives its own in ``staff_directory``. Central
# never holds a password or a key: a person listed there has no account here until
# the clinic admin opens one with a first password (to change at first login).
# A person and a local account are matched by user name.


def deactivated_by_central(store: Store | Tx, username: str) -> bool:
    """True when central's staff directory lists ``username`` at this clinic as inactive."""
    row = store.one(
        "SELECT 1 FROM staff_directory WHERE username = ? AND active = 0 "
        "AND site_id = (SELECT value FROM settings WHERE key = 'clinic_id')",
        (normalise_username(username),),
    )
    return row is not None


def _disable_for_central(session: Session, tx: Tx, row: Any) -> None:
    """Disable a local account because central deactivated the person (inside ``tx``).

    As ``disable_user``: the key slot goes (their password opens nothing any
    more) and nothing else is deleted; the account's state says central did it.
    """
    tx.update("users", {"id": row["id"], "active": 0, "updated_at": to_iso(utc_now())})
    session.audit(tx, "disable_user", object_kind="user", object_id=row["id"], detail="by=central")
    with editing_slots(session.data_dir / SLOTS_FILE) as slots:
        slots.slots.pop(row["username"], None)
        info = slots.account(row["username"])
        info["state"] = DISABLED_BY_CENTRAL
        info.pop("must_change", None)


def apply_staff_directory(session: Session) -> int:
    """Disable the local accounts of people central deactivated; return how many.

    Called by the sync after each pull (``clinic_app.sync.masterdata``), under
    whoever runs the sync: it carries out central's decision, it is not an
    admin's, so it needs no permission of its own. Each is audited
    (``disable_user``, detail ``by=central``). Idempotent: it looks at the whole
    directory, so a sync that stopped before it is caught up by the next one
    (and ``login`` checks the directory too). Central's deactivation applies
    even to the last administrator: the recovery key still opens the clinic.
    """
    rows: list[Any] = session.store.all(
        "SELECT u.* FROM users u JOIN staff_directory d ON d.username = u.username "
        "WHERE d.active = 0 AND u.active = 1 "
        "AND d.site_id = (SELECT value FROM settings WHERE key = 'clinic_id')"
    )
    for row in rows:
        with session.transaction() as tx:
            _disable_for_central(session, tx, row)
    return len(rows)


@dataclass(frozen=True)
class PendingStaff:
    """A person central lists for this clinic whose account the admin has to open."""

    staff_id: str
    username: str
    display_name: str
    roles: frozenset[Role]
    reopen: bool  # their account exists, disabled by central, and central lists them again


def _known_roles(text: str) -> frozenset[Role]:
    """The roles this program knows among central's (a newer central may send more)."""
    known = {role.value for role in Role}
    return frozenset(Role(part) for part in text.split(",") if part in known)


def pending_staff_accounts(session: Session) -> list[PendingStaff]:
    """Staff central lists as active here who cannot log in yet, by name (clinic admin)."""
    session.require(Action.MANAGE_USERS)
    slots = KeySlots.load(session.data_dir / SLOTS_FILE)
    rows: list[Any] = session.store.all(
        "SELECT d.id, d.username, d.display_name, d.roles, u.active AS user_active "
        "FROM staff_directory d LEFT JOIN users u ON u.username = d.username "
        "WHERE d.active = 1 AND d.site_id = (SELECT value FROM settings WHERE key = 'clinic_id') "
        "ORDER BY d.display_name, d.username"
    )
    pending = []
    for row in rows:
        state = slots.accounts.get(row["username"], {}).get("state")
        reopen = row["user_active"] == 0 and state == DISABLED_BY_CENTRAL
        if row["user_active"] is None or reopen:
            pending.append(
                PendingStaff(
                    staff_id=row["id"],
                    username=row["username"],
                    display_name=row["display_name"],
                    roles=_known_roles(row["roles"]),
                    reopen=reopen,
                )
            )
    return pending


def open_staff_account(
    session: Session,
    staff_id: str,
    temporary_password: str,
    *,
    cost: KdfCost = STANDARD_COST,
) -> str:
    """Open the account of a person from central's staff directory (clinic admin).

    The admin chooses the first password; the person must change it at their
    first login. The account takes central's id, user name, name and roles. A
    person central listed again after deactivating them gets their account
    back the same way. Returns the user id.
    """
    session.require(Action.MANAGE_USERS)
    row = session.store.one(
        "SELECT * FROM staff_directory WHERE id = ? "
        "AND site_id = (SELECT value FROM settings WHERE key = 'clinic_id')",
        (staff_id,),
    )
    if row is None:
        raise NotFound(
            QT_TRANSLATE_NOOP(
                "errors", "This person is not in the staff list central sent to this clinic."
            )
        )
    username = row["username"]
    if not row["active"]:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "Central has deactivated {username}; their account cannot be opened."
            ),
            field="username",
            username=username,
        )
    roles = set(_known_roles(row["roles"]))
    existing = session.store.one("SELECT id, active FROM users WHERE username = ?", (username,))
    if existing is None:
        return create_user(
            session,
            username=username,
            display_name=row["display_name"],
            roles=roles,
            password=temporary_password,
            cost=cost,
            user_id=row["id"],
            temporary=True,
        )
    state = KeySlots.load(session.data_dir / SLOTS_FILE).accounts.get(username, {}).get("state")
    if existing["active"] or state != DISABLED_BY_CENTRAL:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "{username} already has an account at this clinic."),
            field="username",
            username=username,
        )
    enable_user(session, username, temporary_password, cost=cost)
    return str(existing["id"])
