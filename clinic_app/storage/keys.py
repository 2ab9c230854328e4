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
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from clinic_app.errors import NotAClinicDatabase, WrongPassword

SLOTS_FORMAT = 1
KEY_BYTES = 32


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost. ``STANDARD`` aims at about half a second on a clinic laptop."""

    time_cost: int
    memory_kib: int
    parallelism: int


STANDARD_COST = KdfCost(time_cost=3, memory_kib=128 * 1024, parallelism=2)
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


class KeySlots:
    """The ``keyslots.json`` file of one clinic data folder."""

    def __init__(self, path: Path, clinic_id: str, slots: dict[str, dict[str, Any]]) -> None:
        self.path = path
        self.clinic_id = clinic_id
        self.slots = slots

    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != SLOTS_FORMAT:
                raise ValueError("unknown key slot format")
            return cls(path, str(data["clinic_id"]), dict(data["slots"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise NotAClinicDatabase(path=str(path)) from exc

    def save(self) -> None:
        data = {"format": SLOTS_FORMAT, "clinic_id": self.clinic_id, "slots": self.slots}
        write_private_file(self.path, json.dumps(data, indent=1, sort_keys=True).encode())

    def unlock(self, username: str, password: str) -> bytes:
        slot = self.slots.get(username)
        if slot is None:
            # Same cost and answer as a wrong password: no hint that the user exists.
            _kek(password, b"\0" * 16, TEST_COST)
            raise WrongPassword()
        return unwrap_key(slot, clinic_id=self.clinic_id, username=username, password=password)

    def set_password(
        self, username: str, password: str, db_key: bytes, cost: KdfCost = STANDARD_COST
    ) -> None:
        self.slots[username] = wrap_key(
            db_key, clinic_id=self.clinic_id, username=username, password=password, cost=cost
        )
        self.save()


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
