"""Key slots: each user's password unlocks a wrapped copy of the database key.

The SQLCipher database key is 256 random bits, used as a raw key. It is never
derived from a password, so adding a user or changing a password rewraps one
slot and never rewrites the database (like LUKS key slots).

Where slots live, and why: in ``keyslots.json`` beside ``clinic.db``. They must
be readable *before* the database is open, so they cannot live inside it. A
slot holds only a salt, the Argon2id cost, a nonce and the AES-256-GCM wrapped
key; the associated data binds it to this clinic and this user, so a slot
copied from another clinic or to another user name does not open. The file is
written atomically (temporary file, fsync, rename) and readable by its owner only.

What else the file holds, for the same reason (it is needed before the
database opens):

* the slot ``__recovery__``: the same key wrapped with Argon2id of the
  clinic's recovery key (printed once at set-up; see
  ``clinic_app.security.recovery``). No user name can take that name.
* ``accounts``: per user name, the lock-out counters, failed logins not yet
  written to the (encrypted) audit trail, and the state "disabled" or
  "password reset required" (a disabled user or one voided by a re-key has no
  slot at all, so the state says why login is refused). None of it is secret;
  someone who can edit this file can also copy it and guess passwords
  offline, which only the Argon2id cost slows down.

During a re-key the next slots are written to ``keyslots.json.next`` before
the database is re-encrypted, and renamed over ``keyslots.json`` after: at every
instant one of the two files opens the database (see ``rekey_database``).
Changes go through :func:`editing_slots`, which holds a lock on the folder so
two programs (the window and the command line) do not lose each other's
changes.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from clinic_app.errors import KeySlotsMissing, NotAClinicDatabase, WrongPassword

try:  # POSIX; on Windows the folder lock is skipped (one program per laptop there).
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

SLOTS_FORMAT = 1
KEY_BYTES = 32
RECOVERY_SLOT = "__recovery__"
NEXT_SUFFIX = ".next"


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost. ``STANDARD`` aims at unlocking in about half a second.

    Measured with ``benchmarks/bench_unlock.py`` (derivation + opening the
    database + the login audit entry), median of 7 logins on the 2-core
    reference machine: t=3 m=128 MiB 0.30 s (the floor of the 0.3-1.0 s
    target), t=3 m=192 MiB 0.47 s (chosen: more memory costs a guessing GPU
    more than more passes, and a laptop twice as slow still opens in 1 s).
    Slots record their own cost, so changing it affects new slots only.
    """

    time_cost: int
    memory_kib: int
    parallelism: int


STANDARD_COST = KdfCost(time_cost=3, memory_kib=192 * 1024, parallelism=2)
# For tests only: the same code path, cheaper.
TEST_COST = KdfCost(time_cost=1, memory_kib=8 * 1024, parallelism=1)


def new_database_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _kek(password: str, salt: bytes, cost: KdfCost) -> bytes:
    return hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_kib,
        parallelism=cost.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _aad(clinic_id: str, username: str) -> bytes:
    return f"clinic-app keyslot v1|{clinic_id}|{username}".encode()


def wrap_key(
    db_key: bytes, *, clinic_id: str, username: str, password: str, cost: KdfCost
) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(_kek(password, salt, cost)).encrypt(nonce, db_key, _aad(clinic_id, username))
    return {
        "kdf": "argon2id",
        "t": cost.time_cost,
        "m": cost.memory_kib,
        "p": cost.parallelism,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(wrapped),
    }


def unwrap_key(slot: dict[str, Any], *, clinic_id: str, username: str, password: str) -> bytes:
    try:
        cost = KdfCost(int(slot["t"]), int(slot["m"]), int(slot["p"]))
        salt, nonce, wrapped = (_unb64(slot[k]) for k in ("salt", "nonce", "wrapped"))
        return AESGCM(_kek(password, salt, cost)).decrypt(nonce, wrapped, _aad(clinic_id, username))
    except InvalidTag as exc:
        raise WrongPassword() from exc
    except (KeyError, ValueError, TypeError) as exc:
        raise WrongPassword() from exc


# What a slot's Argon2id cost may be: enough for tests, never a denial of service.
COST_BOUNDS = {"t": (1, 10), "m": (8 * 1024, 1024 * 1024), "p": (1, 8)}
_ACCOUNT_COUNTERS = ("failures", "unaudited")
_ACCOUNT_INSTANTS = ("locked_until", "last_failure")


def _check_slot(slot: object) -> None:
    if not isinstance(slot, dict):
        raise ValueError("a slot is not an object")
    for name, (low, high) in COST_BOUNDS.items():
        value = slot[name]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"slot cost {name} out of bounds")
    for name, size in (("salt", 16), ("nonce", 12)):
        if len(_unb64(slot[name])) != size:
            raise ValueError(f"slot {name} has the wrong size")
    if len(_unb64(slot["wrapped"])) != KEY_BYTES + 16:
        raise ValueError("wrapped key has the wrong size")


def _check_account(info: object) -> None:
    if not isinstance(info, dict):
        raise ValueError("an account is not an object")
    for name in _ACCOUNT_COUNTERS:
        value = info.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**6:
            raise ValueError(f"account {name} is not a count")
    for name in _ACCOUNT_INSTANTS:
        value = info.get(name)
        if value is not None:
            parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
            if parsed is None or parsed.tzinfo is None:
                raise ValueError(f"account {name} is not an instant")
    if "state" in info and not isinstance(info["state"], str):
        raise ValueError("account state is not text")


class KeySlots:
    """The ``keyslots.json`` file of one clinic data folder."""

    def __init__(
        self,
        path: Path,
        clinic_id: str,
        slots: dict[str, dict[str, Any]],
        accounts: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.path = path
        self.clinic_id = clinic_id
        self.slots = slots
        # Per user name: lock-out counters, unaudited failures, state (see the module doc).
        self.accounts: dict[str, dict[str, Any]] = accounts if accounts is not None else {}

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        """Read and check the whole file: every field of every slot and account.

        The file sits outside the encryption, so anything in it may have been
        edited: a cost of a million passes or 4 GiB, a counter that is text,
        a slot that is not an object. Each is refused here as a damaged file,
        before any derivation runs.
        """
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise KeySlotsMissing(path=str(path)) from exc
        except (OSError, ValueError) as exc:
            raise NotAClinicDatabase(path=str(path)) from exc
        try:
            if not isinstance(data, dict) or data.get("format") != SLOTS_FORMAT:
                raise ValueError("unknown key slot format")
            slots, accounts = data["slots"], data.get("accounts", {})
            if not isinstance(slots, dict) or not isinstance(accounts, dict):
                raise ValueError("slots or accounts is not an object")
            for slot in slots.values():
                _check_slot(slot)
            for info in accounts.values():
                _check_account(info)
            return cls(path, str(data["clinic_id"]), dict(slots), dict(accounts))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise NotAClinicDatabase(path=str(path)) from exc

    def to_bytes(self) -> bytes:
        data = {
            "format": SLOTS_FORMAT,
            "clinic_id": self.clinic_id,
            "slots": self.slots,
            "accounts": {name: info for name, info in self.accounts.items() if info},
        }
        return json.dumps(data, indent=1, sort_keys=True).encode()

    def save(self, path: Path | None = None) -> None:
        write_private_file(path or self.path, self.to_bytes())

    def unlock(self, username: str, password: str) -> bytes:
        slot = self.slots.get(username)
        if slot is None:
            # Same cost and answer as a wrong password: no hint that the user exists.
            _kek(password, b"\0" * 16, TEST_COST)
            raise WrongPassword()
        return unwrap_key(slot, clinic_id=self.clinic_id, username=username, password=password)

    def wrap(
        self, username: str, password: str, db_key: bytes, cost: KdfCost = STANDARD_COST
    ) -> dict[str, Any]:
        """A new slot for ``username`` (the slow part: call it outside the folder lock)."""
        return wrap_key(
            db_key, clinic_id=self.clinic_id, username=username, password=password, cost=cost
        )

    def set_password(
        self, username: str, password: str, db_key: bytes, cost: KdfCost = STANDARD_COST
    ) -> None:
        """Rewrap this user's slot and save the file, keeping changes other programs made."""
        slot = self.wrap(username, password, db_key, cost)
        with editing_slots(self.path) as fresh:
            fresh.slots[username] = slot
        self.slots = fresh.slots
        self.accounts = fresh.accounts

    def account(self, username: str) -> dict[str, Any]:
        """This user name's metadata, created empty (it is dropped on save if still empty)."""
        return self.accounts.setdefault(username, {})


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the clinic folder, between programs and threads."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def held_unless_busy(path: Path) -> Iterator[bool]:
    """Try an exclusive lock on the file ``path`` (made owner-only) without waiting.

    Yields True while held, False when another program (or thread) holds it.
    """
    if fcntl is None:  # pragma: no cover
        yield True
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def editing_slots(path: Path) -> Iterator[KeySlots]:
    """Load ``keyslots.json`` afresh under the folder lock; save it if the block succeeds."""
    with folder_lock(path.parent):
        slots = KeySlots.load(path)
        before = slots.to_bytes()
        yield slots
        if slots.to_bytes() != before:
            slots.save()


def next_slots_path(path: Path) -> Path:
    """Where a re-key puts the slots of the new key until the database is re-encrypted."""
    return path.with_name(path.name + NEXT_SUFFIX)


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` atomically, readable by the owner only."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a re-key acts on it)."""
    if os.name != "posix":  # pragma: no cover
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
