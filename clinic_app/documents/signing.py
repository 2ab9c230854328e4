"""The signed code printed on every document, checkable offline.

Text printed in the QR code: ``CA1:`` + Base45( CBOR([payload, signature]) ),
where ``payload`` is the CBOR encoding of a small map with short keys (the
document's key fields) and ``signature`` is the clinic's Ed25519 signature
over those exact bytes. Anyone holding the institution's list of clinic
public keys can check a paper document without a network: change one
character of the printed number, a date or a name and the check fails.
"""

from __future__ import annotations

import base64
from typing import Any

import base45
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.storage.store import Store

PREFIX = "CA1:"


class ForgedDocument(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "This document's code is not valid: it was altered or not issued by a known clinic.",
    )


def sign_document(store: Store, fields: dict[str, Any]) -> str:
    """Sign ``fields`` (short keys, plain values) with this clinic's key; return the QR text."""
    private = Ed25519PrivateKey.from_private_bytes(
        base64.b64decode(store.setting("signing_key") or "")
    )
    payload = cbor2.dumps(fields, canonical=True)
    envelope = cbor2.dumps([payload, private.sign(payload)])
    return PREFIX + base45.b45encode(envelope).decode("ascii")


def verify_document(text: str, public_key_b64: str) -> dict[str, Any]:
    """The signed fields of a document code, or ``ForgedDocument``."""
    try:
        if not text.startswith(PREFIX):
            raise ValueError("unknown prefix")
        payload, signature = cbor2.loads(base45.b45decode(text[len(PREFIX) :]))
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        public.verify(signature, payload)
        fields = cbor2.loads(payload)
        if not isinstance(fields, dict):
            raise ValueError("payload is not a map")
        return fields
    except (InvalidSignature, ValueError, TypeError, cbor2.CBORDecodeError) as exc:
        raise ForgedDocument() from exc
