"""The audit trail's hash chain, as plain functions (no database).

Shared by the clinic (``clinic_app.security.audit`` writes and checks its
chain) and central (``central.audit`` checks the copy each clinic sent), so
both compute the same hash from the same fields; central must not need the
clinic's storage layer (SQLCipher) to import it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

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
