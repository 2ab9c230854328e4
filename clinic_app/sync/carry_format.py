"""The hand-carried sync file: one encrypted file on a USB stick, both ways.

Shared by the clinic (``clinic_app.sync.handcarry``) and central
(``central.handcarry``); plain Python and ``cryptography`` only, so central
needs nothing of the clinic's storage to read it.

Layout::

    MAGIC                 b"CLINIC-APP-CARRY\\n"
    header length         4 bytes, big-endian
    header                JSON, in clear: format, direction ("to_central" or
                          "to_clinic"), clinic_id, site_code, created_at, salt,
                          nonce. Nothing about patients.
    ciphertext            AES-256-GCM of the gzip'd JSON body; the associated
                          data is MAGIC + length + header, so a changed header
                          byte fails like a changed ciphertext byte.

The key
-------
``HKDF-SHA256(ikm = SHA-256(device token), salt = header salt, info =
"clinic-app:carry:v1:" + clinic_id + ":" + direction)``.

Central keeps only the SHA-256 of each clinic's device token (``devices``),
never the token; the clinic keeps the token inside its encrypted database.
Both therefore hold SHA-256(token), and nobody else does: the file needs no
new secret, no change to enrolment, and re-enrolling (or revoking) the clinic
retires the key with the token. A fresh random salt per file gives a fresh
key per file, so the random 96-bit nonce is never reused under one key.
The price, written down: someone holding a copy of central's ``devices``
table could read carried files of the clinics whose token is still live (that
copy still grants no API access: the API wants the token itself). A separate
secret shared at enrolment would avoid that, but would need a protocol change
and a second secret to lose; the device token is what the design already
protects.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CLINIC-APP-CARRY\n"
FORMAT = 1
TO_CENTRAL = "to_central"
TO_CLINIC = "to_clinic"
EXPORT_SUFFIX = ".clinicsync"
ANSWER_SUFFIX = ".clinicanswer"
MAX_HEADER = 16 * 1024
MAX_FILE = 256 * 1024 * 1024
MAX_BODY = 1024 * 1024 * 1024  # after gunzip


class CarryFormatError(ValueError):
    """The file is not a carried sync file, is damaged, or was not made for this key."""


@dataclass(frozen=True)
class CarryHeader:
    direction: str
    clinic_id: str
    site_code: str
    created_at: str


def token_digest(token: str) -> bytes:
    """SHA-256 of the device token: what central's ``devices.token_hash`` holds, as bytes."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def _file_key(digest: bytes, salt: bytes, clinic_id: str, direction: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=salt,
        info=f"clinic-app:carry:v{FORMAT}:{clinic_id}:{direction}".encode(),
    ).derive(digest)


def seal(digest: bytes, header: CarryHeader, body: dict[str, Any]) -> bytes:
    """The whole file for ``body``, encrypted under a key derived from ``digest``."""
    salt, nonce = os.urandom(16), os.urandom(12)
    head = json.dumps(
        {
            "format": FORMAT,
            "direction": header.direction,
            "clinic_id": header.clinic_id,
            "site_code": header.site_code,
            "created_at": header.created_at,
            "salt": base64.b64encode(salt).decode("ascii"),
            "nonce": base64.b64encode(nonce).decode("ascii"),
        },
        sort_keys=True,
    ).encode("utf-8")
    prefix = MAGIC + len(head).to_bytes(4, "big") + head
    plain = gzip.compress(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8"), mtime=0
    )
    key = _file_key(digest, salt, header.clinic_id, header.direction)
    return prefix + AESGCM(key).encrypt(nonce, plain, prefix)


def read_header(data: bytes) -> tuple[CarryHeader, dict[str, Any], bytes, bytes]:
    """The clear header (not yet authenticated), its raw fields, the prefix and the ciphertext."""
    if len(data) > MAX_FILE:
        raise CarryFormatError("the file is too large to be a carried sync file")
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise CarryFormatError("the file is not a carried sync file")
    length = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "big")
    if length > MAX_HEADER or len(data) < len(MAGIC) + 4 + length:
        raise CarryFormatError("the file is damaged or cut short")
    prefix = data[: len(MAGIC) + 4 + length]
    try:
        fields = json.loads(prefix[len(MAGIC) + 4 :].decode("utf-8"))
        header = CarryHeader(
            str(fields["direction"]),
            str(fields["clinic_id"]),
            str(fields["site_code"]),
            str(fields["created_at"]),
        )
        if fields["format"] != FORMAT or header.direction not in (TO_CENTRAL, TO_CLINIC):
            raise CarryFormatError("the file was made by another version of the program")
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, CarryFormatError):
            raise
        raise CarryFormatError("the file is damaged") from exc
    return header, fields, prefix, data[len(prefix) :]


def open_sealed(data: bytes, digest: bytes) -> tuple[CarryHeader, dict[str, Any]]:
    """Decrypt and check a whole file; any changed byte or another key fails the same way."""
    header, fields, prefix, ciphertext = read_header(data)
    try:
        salt = base64.b64decode(fields["salt"], validate=True)
        nonce = base64.b64decode(fields["nonce"], validate=True)
        key = _file_key(digest, salt, header.clinic_id, header.direction)
        plain = AESGCM(key).decrypt(nonce, ciphertext, prefix)
    except (InvalidTag, ValueError, KeyError, TypeError) as exc:
        raise CarryFormatError(
            "the file was changed after it was written, or was not made for this clinic's key"
        ) from exc
    try:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        raw = inflater.decompress(plain, MAX_BODY)
        body = json.loads(raw.decode("utf-8"))
    except (ValueError, zlib.error) as exc:
        raise CarryFormatError("the file's content is damaged") from exc
    if not isinstance(body, dict):
        raise CarryFormatError("the file's content is damaged")
    return header, body
