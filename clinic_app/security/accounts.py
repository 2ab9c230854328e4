"""Creating a clinic, its users, and logging in.

Logging in *is* unlocking: the user's password unwraps their key slot, which
opens the database; there is no other password check to get wrong.
"""

from __future__ import annotations

import base64
import contextlib
import re
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from clinic_app.clock import clinic_zone, to_iso, utc_now
from clinic_app.errors import (
    AccountDisabled,
    ClinicAlreadyExists,
    InvalidInput,
    NoClinicDatabase,
    WrongPassword,
)
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.security.permissions import Action, Actor, Role, format_roles, parse_roles
from clinic_app.session import Session
from clinic_app.storage.keys import STANDARD_COST, KdfCost, KeySlots, new_database_key
from clinic_app.storage.store import DB_FILE, SLOTS_FILE, Store, Tx, open_store

MIN_PASSWORD_LENGTH = 8
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The password must have at least {n} characters."),
            field="password",
            n=MIN_PASSWORD_LENGTH,
        )


def _check_username(username: str) -> str:
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
    """First start: a new encrypted database and its first administrator.

    The database is built under a temporary name and renamed into place last,
    so a power cut during set-up leaves no half-made clinic behind.
    """
    from clinic_app.records.icd11 import load_bundled_icd11

    clinic_zone(timezone)
    admin_username = _check_username(admin_username)
    check_password_rules(admin_password)
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
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
                "clinic_name": clinic_name.strip(),
                "site_code": site_code.strip().upper(),
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
    slots = KeySlots(data_dir / SLOTS_FILE, clinic_id, {})
    slots.set_password(admin_username, admin_password, key, cost)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.replace(db_path)
    return login(data_dir, admin_username, admin_password)


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


def clinic_exists(data_dir: Path) -> bool:
    return (data_dir / DB_FILE).is_file()


def login(data_dir: Path, username: str, password: str) -> Session:
    """Unlock the clinic with this user's password; raise ``WrongPassword`` otherwise."""
    if not clinic_exists(data_dir):
        raise NoClinicDatabase(path=str(data_dir))
    username = normalise_username(username)
    slots = KeySlots.load(data_dir / SLOTS_FILE)
    key = slots.unlock(username, password)
    store = open_store(data_dir / DB_FILE, key)
    try:
        if store.setting("clinic_id") != slots.clinic_id:
            # The slots belong to another clinic's database.
            raise WrongPassword()
        row = store.one("SELECT * FROM users WHERE username = ?", (username,))
        if row is None:
            raise WrongPassword()
        if not row["active"]:
            raise AccountDisabled()
    except BaseException:
        store.close()
        raise
    actor = Actor(row["id"], row["username"], row["display_name"], parse_roles(row["roles"]))
    session = Session(store=store, actor=actor, data_dir=data_dir)
    with session.transaction() as tx:
        session.audit(tx, "login", object_kind="user", object_id=actor.user_id)
    return session


def logout(session: Session) -> None:
    with contextlib.suppress(Exception), session.transaction() as tx:
        session.audit(tx, "logout", object_kind="user", object_id=session.actor.user_id)
    session.close()


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    roles: set[Role],
    password: str,
    cost: KdfCost = STANDARD_COST,
) -> str:
    """Add a user and their key slot; the database itself is not rewritten."""
    session.require(Action.MANAGE_USERS)
    username = _check_username(username)
    check_password_rules(password)
    if not roles:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "Choose at least one role."), field="roles")
    user_id = new_id()
    slots = KeySlots.load(session.data_dir / SLOTS_FILE)
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
        slots.set_password(username, password, _database_key(session.store), cost)
    return user_id


def _database_key(store: Store) -> bytes:
    return store._key
