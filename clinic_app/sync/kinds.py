"""Sync kinds: which table each travelling record lives in, and how a remote one is applied.

The outbox names a record by *kind* (``docs/services.md``); central stores and
returns the same names. Applying a record from central never builds SQL from
the payload's keys: the column names come from the table itself
(``PRAGMA table_info``), and payload keys that are not columns of the table
are dropped (a newer central may send fields this program does not know yet).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from clinic_app.storage.store import IntegrityError, Tx
from clinic_app.sync.errors import ServerAnswerInvalid

KIND_TABLES: dict[str, str] = {
    "patient": "patients",
    "encounter": "encounters",
    "observation": "observations",
    "allergy": "allergies",
    "diagnosis": "diagnoses",
    "prescription": "prescriptions",
    "prescription_item": "prescription_items",
    "sick_leave_certificate": "sick_leave_certificates",
    "stock_movement": "stock_movements",
    "encounter_void": "encounter_voids",
    "catalogue_item": "catalogue_items",
    "sync_conflict": "sync_conflicts",
    # Issue 3: the consent decisions, and the audit trail (see docs/sync.md).
    "patient_consent": "patient_consents",
    "audit_entry": "audit_events",
    "staff_member": "staff_directory",
}

# Owned by central: the clinic receives them and never sends them.
MASTER_KINDS: frozenset[str] = frozenset({"catalogue_item", "sync_conflict", "staff_member"})
# What the clinic pushes.
CLINIC_KINDS: frozenset[str] = frozenset(KIND_TABLES) - MASTER_KINDS
# Rows that may change after creation: the newest copy replaces the stored one.
# Every other kind is a clinical fact or a ledger line: written once, never replaced.
MUTABLE_KINDS: frozenset[str] = frozenset(
    {"patient", "catalogue_item", "sync_conflict", "staff_member"}
)

# Sent to central and kept there, never served back to any clinic: a clinic's audit
# trail is its off-site anchor, not data for others (central leaves them out of pulls).
UPLOAD_ONLY_KINDS: frozenset[str] = frozenset({"audit_entry"})


def table_columns(tx: Tx, table: str) -> tuple[str, ...]:
    """The table's real column names, read from the database itself."""
    # ``table`` comes from KIND_TABLES only, never from the network.
    rows: list[Any] = tx.all(f"PRAGMA table_info({table})")
    return tuple(row["name"] for row in rows)


def apply_remote_change(tx: Tx, kind: str, payload: Mapping[str, Any]) -> bool:
    """Store one record from central inside ``tx``; return True if the table changed.

    Mutable kinds are upserted by id; append-only kinds are inserted unless the
    id is already there. No outbox entry is written: the record came from
    central and must not travel back.
    """
    table = KIND_TABLES.get(kind)
    if table is None or kind in UPLOAD_ONLY_KINDS:
        raise ServerAnswerInvalid(detail=f"unknown record kind {kind[:40]!r}")
    columns = table_columns(tx, table)
    row = {name: payload[name] for name in columns if name in payload}
    if not isinstance(row.get("id"), str) or not row["id"]:
        raise ServerAnswerInvalid(detail=f"{kind} record without an id")
    if kind == "patient":
        from clinic_app.sync.edits import (  # edits imports this module
            apply_remote_patient,
            number_key,
        )

        if tx.one("SELECT 1 FROM patients WHERE id = ?", (row["id"],)) is not None:
            # Merged field by field with the local row (clinic_app.sync.merge).
            return apply_remote_patient(tx, row)
        # The same person registered here too (a linked patient): the number is kept
        # as typed, only its uniqueness key stays with the local record.
        row["national_id_key"] = number_key(tx, row["id"], row.get("national_id_key"))
    names = list(row)
    marks = ", ".join(f":{name}" for name in names)
    if kind in MUTABLE_KINDS and len(names) > 1:
        updates = ", ".join(f"{name} = excluded.{name}" for name in names if name != "id")
        # The WHERE keeps an identical row untouched, so "changed" is meaningful.
        differs = " OR ".join(
            f"{table}.{name} IS NOT excluded.{name}" for name in names if name != "id"
        )
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}" + (f" WHERE {differs}" if differs else "")
        )
    else:
        sql = (
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING"
        )
    try:
        cursor = tx.execute(sql, row)
    except IntegrityError as exc:
        # A missing required field, or a clash with a local row (same GTIN, another id).
        raise ServerAnswerInvalid(detail=f"a {kind} record does not fit this database") from exc
    return bool(cursor.rowcount and cursor.rowcount > 0)


class _Change(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


def versions_in(changes: Iterable[_Change]) -> list[str]:
    """Every hybrid-logical-clock version a page of changes carries (for ``hlc.observe``)."""
    from clinic_app.sync.merge import read_field_versions

    found: list[str] = []
    for change in changes:
        version = change.payload.get("version")
        if isinstance(version, str) and version:
            found.append(version)
        if change.kind == "patient":
            found.extend(
                fv.version for fv in read_field_versions(change.payload).values() if fv.version
            )
        if change.kind == "sync_conflict":
            found.extend(
                str(change.payload.get(name) or "")
                for name in ("version_a", "version_b", "settled_version")
            )
    return found
