"""Identities made where a record is born: UUID version 7 (time-ordered)."""

from __future__ import annotations

import uuid

import uuid_utils


def new_id() -> str:
    """A new UUIDv7 as text; never an autoincrement number across sites."""
    return str(uuid_utils.uuid7())


def stable_id(namespace: str, name: str) -> str:
    """The same id on every machine for the same master-data item (UUIDv5)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"clinic-app:{namespace}:{name}"))
