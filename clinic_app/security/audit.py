"""The audit trail: append-only, hash-chained, identifiers only.

Every entry says who (user id and roles), did what (action), to which object
and which patient (ids only — never a name, a query or clinical text), when
(UTC), with what outcome, from which workstation. Entries are numbered
(``seq``) and each carries ``hash = SHA-256(prev_hash | canonical fields)``,
starting from a genesis value bound to the clinic id. The database refuses
UPDATE and DELETE on the table (triggers), and ``verify_audit_chain`` names
the first entry whose content, order or link does not hold.

What a chain can and cannot show: someone holding the database key can drop
the triggers and rewrite every hash after an edit. Against that, the chain's
head is what central receives with each sync (issue 4); here the chain shows
any edit made by a tool that did not recompute it, and pins the order.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from clinic_app.storage.store import Store, Tx

# The fields covered by the hash, in this order. Adding one is a new chain version.
CHAINED_FIELDS = (
    "seq",
    "id",
    "occurred_at",
    "site_id",
    "user_id",
    "roles",
    "action",
    "object_kind",
    "object_id",
    "patient_id",
    "outcome",
    "detail",
    "workstation",
)


def genesis_hash(clinic_id: str) -> str:
    return hashlib.sha256(f"clinic-app audit v1|{clinic_id}".encode()).hexdigest()


def chain_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    fields = [entry.get(name) for name in CHAINED_FIELDS]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def append_audit(tx: Tx, clinic_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Add ``entry`` at the end of the chain, inside the caller's transaction.

    The caller's ``BEGIN IMMEDIATE`` serialises writers, so reading the last
    link and writing the next one cannot interleave with another writer.
    """
    last = tx.one("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    seq = int(last["seq"]) + 1 if last is not None else 1
    prev = str(last["hash"]) if last is not None else genesis_hash(clinic_id)
    row = {**entry, "seq": seq, "site_id": clinic_id, "detail": entry.get("detail", "")}
    row["prev_hash"] = prev
    row["hash"] = chain_hash(prev, row)
    tx.insert("audit_events", row)
    return row


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    first_broken_seq: int | None  # None: the whole chain holds
    reason: str  # "" when intact; else what broke at that entry

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


def verify_audit_chain(store: Store) -> AuditCheck:
    """Walk the chain from the start; stop at the first entry that does not hold."""
    clinic_id = store.setting("clinic_id") or ""
    prev = genesis_hash(clinic_id)
    expected_seq = 1
    count = 0
    for row in store.connection().execute("SELECT * FROM audit_events ORDER BY seq"):
        count += 1
        entry = dict(row)
        seq = int(entry["seq"])
        if seq != expected_seq:
            return AuditCheck(count, expected_seq, "missing entry")
        if entry["prev_hash"] != prev:
            return AuditCheck(count, seq, "broken link to the previous entry")
        if chain_hash(prev, entry) != entry["hash"]:
            return AuditCheck(count, seq, "content changed")
        prev = entry["hash"]
        expected_seq += 1
    return AuditCheck(count, None, "")


def rechain_existing(conn: Any, clinic_id: str) -> None:
    """Migration 1 -> 2: number and hash the entries written before the chain existed."""
    prev = genesis_hash(clinic_id)
    rows = conn.execute("SELECT rowid AS r, * FROM audit_events ORDER BY rowid").fetchall()
    for seq, row in enumerate(rows, start=1):
        entry = {**dict(row), "seq": seq, "site_id": clinic_id, "detail": ""}
        digest = chain_hash(prev, entry)
        conn.execute(
            "UPDATE audit_events SET seq = ?, site_id = ?, prev_hash = ?, hash = ? WHERE rowid = ?",
            (seq, clinic_id, prev, digest, row["r"]),
        )
        prev = digest
