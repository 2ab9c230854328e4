"""What the clinic and central agree on: protocol version, record kinds, their fields, limits.

Kept free of FastAPI and SQLAlchemy so the clinic's sync client could share it
one day; for now the clinic keeps its own copy of the kind names
(``clinic_app.sync.kinds``) and tests check both agree.

The fields of each kind are written out here rather than read from the
clinic's schema at run time: this list *is* the wire contract central checks
every pushed record against, so it must not change silently when a clinic
table gains a column, and central must not need the clinic's storage layer
(SQLCipher, its numbered migrations) to start. ``tests/test_central_input.py``
builds a fresh clinic schema in memory and fails when this list and the
clinic's tables disagree, so a schema change also becomes a protocol change.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "X-Clinic-Protocol"
API_PREFIX = "/api/v1"

# --- limits on what a request may carry ---------------------------------------------------

MAX_INT = 2**63 - 1  # every sequence, cursor and count fits a signed 64-bit column
MIN_INT = -(2**63)
MAX_BATCH_CHANGES = 1000
MAX_PULL_LIMIT = 1000
MAX_TEXT_VALUE = 20_000  # characters in one text field of a record
MAX_PAYLOAD_BYTES = 256 * 1024  # one record, as canonical JSON
MAX_ID_LENGTH = 64  # batch ids, clinic ids, record ids

SITE_CODE_PATTERN = re.compile(r"[A-Z0-9]{2,10}")
MAX_CLINIC_NAME = 200
OPERATOR_NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")
MIN_OPERATOR_PASSWORD = 10
MAX_OPERATOR_PASSWORD = 256


# --- record kinds and their fields ---------------------------------------------------------


class Presence(Enum):
    REQUIRED = "required"  # NOT NULL without a default: present and not null
    DEFAULTED = "defaulted"  # NOT NULL with a default: may be left out, never null
    OPTIONAL = "optional"  # may be null or left out


class FieldType(Enum):
    TEXT = "text"
    INTEGER = "integer"
    REAL = "real"


class FieldSpec(NamedTuple):
    type: FieldType
    presence: Presence


_T, _I, _R = FieldType.TEXT, FieldType.INTEGER, FieldType.REAL
_REQ, _DEF, _OPT = Presence.REQUIRED, Presence.DEFAULTED, Presence.OPTIONAL


def _fields(**specs: tuple[FieldType, Presence]) -> dict[str, FieldSpec]:
    return {name: FieldSpec(*spec) for name, spec in specs.items()}


# One entry per kind, in the clinic table's column order (``clinic_app.sync.kinds.KIND_TABLES``).
KIND_FIELDS: dict[str, dict[str, FieldSpec]] = {
    "patient": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        given_name=(_T, _REQ),
        family_name=(_T, _REQ),
        sex=(_T, _REQ),
        birth_date=(_T, _OPT),
        national_id=(_T, _OPT),
        national_id_key=(_T, _OPT),
        phone=(_T, _OPT),
        village=(_T, _OPT),
        search_key=(_T, _REQ),
        author_id=(_T, _REQ),
        created_at=(_T, _REQ),
        updated_at=(_T, _REQ),
        # Hybrid-logical-clock version of the last write, and per demographic field
        # [version, based_on] as JSON: central merges patients field by field with them.
        version=(_T, _DEF),
        field_versions=(_T, _DEF),
    ),
    # A void is a new record pointing to the encounter; the encounter never changes.
    "encounter_void": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        encounter_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        reason=(_T, _REQ),
        version=(_T, _REQ),
        author_id=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    "encounter": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        occurred_at=(_T, _REQ),
        complaint=(_T, _REQ),
        notes=(_T, _DEF),
        author_id=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    "observation": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        encounter_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        loinc=(_T, _REQ),
        value=(_R, _REQ),
        unit=(_T, _REQ),
        author_id=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    "allergy": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        substance=(_T, _REQ),
        reaction=(_T, _OPT),
        author_id=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    "diagnosis": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        encounter_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        system=(_T, _REQ),
        code=(_T, _REQ),
        display=(_T, _REQ),
        author_id=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    "prescription": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        number=(_T, _REQ),
        patient_id=(_T, _REQ),
        encounter_id=(_T, _OPT),
        prescriber_id=(_T, _REQ),
        issued_at=(_T, _REQ),
        signature=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    # No site_id: an item belongs to the clinic of its prescription.
    "prescription_item": _fields(
        id=(_T, _REQ),
        prescription_id=(_T, _REQ),
        catalogue_item_id=(_T, _REQ),
        drug_name=(_T, _REQ),
        dose=(_T, _REQ),
        frequency=(_T, _REQ),
        duration_days=(_I, _REQ),
        quantity=(_I, _REQ),
    ),
    "sick_leave_certificate": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        number=(_T, _REQ),
        patient_id=(_T, _REQ),
        encounter_id=(_T, _OPT),
        doctor_id=(_T, _REQ),
        issued_at=(_T, _REQ),
        kind=(_T, _REQ),
        extends_id=(_T, _OPT),
        start_date=(_T, _REQ),
        days=(_I, _REQ),
        end_date=(_T, _REQ),
        outings_allowed=(_I, _REQ),
        diagnosis_code=(_T, _OPT),
        diagnosis_display=(_T, _OPT),
        signature=(_T, _REQ),
        created_at=(_T, _REQ),
    ),
    "stock_movement": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        catalogue_item_id=(_T, _REQ),
        lot=(_T, _REQ),
        expiry=(_T, _OPT),
        kind=(_T, _REQ),
        quantity=(_I, _REQ),
        prescription_item_id=(_T, _OPT),
        reason=(_T, _DEF),
        author_id=(_T, _REQ),
        occurred_at=(_T, _REQ),
    ),
    "catalogue_item": _fields(
        id=(_T, _REQ),
        gtin=(_T, _REQ),
        name=(_T, _REQ),
        form=(_T, _REQ),
        strength=(_T, _REQ),
        atc=(_T, _OPT),
        unit=(_T, _REQ),
        reorder_level=(_I, _DEF),
        active=(_I, _DEF),
        updated_at=(_T, _REQ),
    ),
    # A person of a clinic's staff, managed by central's operator for that clinic
    # (``central.masterdata``): identifiers and roles only, never a password or a key.
    "staff_member": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        username=(_T, _REQ),
        display_name=(_T, _REQ),
        roles=(_T, _REQ),
        active=(_I, _DEF),
        updated_at=(_T, _REQ),
    ),
    # A patient's decision about sharing (issue 3), one record per decision, never
    # changed; the decision in force is the one with the latest HLC ``version``
    # (central.consent). Travels only for patients shared with central, and for a
    # withdrawal about a patient central already holds (clinic_app.security.consent).
    "patient_consent": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        share_with_central=(_I, _REQ),
        share_with_clinics=(_I, _REQ),
        author_id=(_T, _REQ),
        recorded_at=(_T, _REQ),
        version=(_T, _DEF),
    ),
    # One entry of a clinic's hash-chained audit trail (issue 3): identifiers only.
    # Central keeps them append-only and never serves them to any clinic
    # (UPLOAD_ONLY_KINDS); ``clinic-central audit verify`` checks the chain (central.audit).
    "audit_entry": _fields(
        seq=(_I, _REQ),
        id=(_T, _REQ),
        occurred_at=(_T, _REQ),
        site_id=(_T, _REQ),
        user_id=(_T, _OPT),
        roles=(_T, _DEF),
        action=(_T, _REQ),
        object_kind=(_T, _DEF),
        object_id=(_T, _DEF),
        patient_id=(_T, _OPT),
        outcome=(_T, _REQ),
        detail=(_T, _DEF),
        workstation=(_T, _REQ),
        prev_hash=(_T, _REQ),
        hash=(_T, _REQ),
    ),
    # Written by central when two edits did not see each other; clinics receive them.
    "sync_conflict": _fields(
        id=(_T, _REQ),
        site_id=(_T, _REQ),
        patient_id=(_T, _REQ),
        record_kind=(_T, _REQ),
        record_id=(_T, _REQ),
        field=(_T, _DEF),
        value_a=(_T, _OPT),
        version_a=(_T, _REQ),
        value_b=(_T, _OPT),
        version_b=(_T, _REQ),
        kept_value=(_T, _OPT),
        detected_at=(_T, _REQ),
        settled_at=(_T, _OPT),
        settled_value=(_T, _OPT),
        settled_version=(_T, _OPT),
    ),
}

# Owned by central; clinics only receive them (conflicts: only those of patients they see).
MASTER_KINDS: frozenset[str] = frozenset({"catalogue_item", "sync_conflict", "staff_member"})
# Records a clinic creates and sends to central.
CLINIC_KINDS: frozenset[str] = frozenset(KIND_FIELDS) - MASTER_KINDS
# Rows that may change after creation: a batch may carry several versions, the last wins.
MUTABLE_KINDS: frozenset[str] = frozenset(
    {"patient", "catalogue_item", "sync_conflict", "staff_member"}
)
# Kept by central, never served to any clinic in a pull (a clinic's audit trail).
UPLOAD_ONLY_KINDS: frozenset[str] = frozenset({"audit_entry"})
# Clinical facts, signed documents, the stock ledger: written once. A second copy
# with other content is refused (409 record_differs) and never replaces the first.
APPEND_ONLY_KINDS: frozenset[str] = CLINIC_KINDS - MUTABLE_KINDS
