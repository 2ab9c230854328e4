"""Checking a prescription or certificate printed by any clinic of the institution, offline.

The QR code of a document (``clinic_app.documents.signing``) carries its
signed fields, among them its number (``n``, with the issuing clinic's site
code) and the issuing clinic's id (``c``). The clinics' public keys come from
central with the master data (``clinic_keys``, see
``clinic_app.sync.masterdata``); this clinic's own key is in its settings. A
document checks when one key of the clinic that issued it verifies it — the
current key, or an older one the clinic had before it enrolled again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import base45
import cbor2

from clinic_app.documents.signing import PREFIX, ForgedDocument, verify_document
from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.security.permissions import Action
from clinic_app.session import Session

KINDS = {"ORD": "prescription", "AT": "sick_leave_certificate"}


class UnknownIssuingClinic(ClinicError):
    """No public key is known here for the clinic that printed the document."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "This clinic does not know the key of clinic {site} that printed the document. "
        "Sync with central (it sends every clinic's key), then check again.",
    )


@dataclass(frozen=True)
class VerifiedDocument:
    number: str  # ORD-TRV-2026-000001
    kind: str  # prescription, sick_leave_certificate, or "" when the prefix is unknown
    clinic_id: str
    site_code: str
    clinic_name: str
    current_key: bool  # False: signed with a key the clinic has replaced since
    fields: dict[str, Any]  # the signed fields, as printed


def _unverified_fields(text: str) -> dict[str, Any]:
    """The fields a code claims, before any check (only to find whose key to try)."""
    try:
        if not text.startswith(PREFIX):
            raise ValueError("unknown prefix")
        payload, _signature = cbor2.loads(base45.b45decode(text[len(PREFIX) :]))
        fields = cbor2.loads(payload)
    except (ValueError, TypeError, cbor2.CBORDecodeError) as exc:
        raise ForgedDocument() from exc
    if not isinstance(fields, dict):
        raise ForgedDocument()
    return fields


def verify_clinic_document(session: Session, text: str) -> VerifiedDocument:
    """Check a document code (the QR text) printed here or at another clinic.

    Raises ``ForgedDocument`` when no key of the issuing clinic verifies it,
    ``UnknownIssuingClinic`` when this clinic holds no key of that clinic yet.
    Audited (``verify_document``, the number only).
    """
    session.require(Action.VIEW_PRESCRIPTIONS)
    if not isinstance(text, str):
        raise ForgedDocument()
    text = text.strip()
    claimed = _unverified_fields(text)
    number = str(claimed.get("n") or "")
    parts = number.split("-")
    site_code = parts[1] if len(parts) == 4 else ""
    clinic_id = str(claimed.get("c") or "")
    store = session.store
    candidates: list[tuple[str, str, str, str, bool]] = []
    rows: list[Any] = store.all(
        "SELECT public_key, clinic_id, site_code, clinic_name, current FROM clinic_keys "
        "WHERE clinic_id = ? OR site_code = ? ORDER BY current DESC",
        (clinic_id, site_code),
    )
    candidates += [
        (r["public_key"], r["clinic_id"], r["site_code"], r["clinic_name"], bool(r["current"]))
        for r in rows
    ]
    own_key = store.setting("signing_public_key") or ""
    if own_key and clinic_id == session.site_id:
        candidates.insert(
            0,
            (own_key, session.site_id, store.setting("site_code") or "", session.clinic_name, True),
        )
    if not candidates:
        raise UnknownIssuingClinic(site=site_code or "?")
    for public_key, issuer_id, issuer_code, issuer_name, current in candidates:
        try:
            fields = verify_document(text, public_key)
        except ForgedDocument:
            continue
        # The number names a site code: it must be the signer's (a key proves who signed).
        if site_code != issuer_code or (clinic_id and clinic_id != issuer_id):
            continue
        session.audit_read("verify_document", object_kind=KINDS.get(parts[0], ""), object_id=number)
        return VerifiedDocument(
            number=number,
            kind=KINDS.get(parts[0], ""),
            clinic_id=issuer_id,
            site_code=issuer_code,
            clinic_name=issuer_name,
            current_key=current,
            fields=fields,
        )
    session.audit_read(
        "verify_document", object_kind="document", object_id=number[:40], outcome="refused"
    )
    raise ForgedDocument()
