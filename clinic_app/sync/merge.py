"""Field-by-field merge of patient demographics, shared by central and the clinics.

Plain functions on payload dicts (no database, no Qt): central runs them when
a pushed patient meets its stored copy, a clinic when a pulled patient meets
its own row. Both get the same answer, so every copy converges.

Each demographic field carries, in the row's ``field_versions`` (JSON), the
hybrid-logical-clock version of the edit that wrote the value and what its
editor had seen: per clinic, the latest version of that field seen (a version
vector, so "saw" is exact, whatever the wall clocks). A stored copy meets an
incoming one, field by field:

* the same version: nothing to do (both unversioned but different: a row from
  before versions, the later ``updated_at`` wins as in protocol 1);
* the incoming editor had seen the stored version: incoming wins;
* the stored editor had seen the incoming version: stored stays;
* otherwise neither saw the other: a **concurrent edit**. The later version
  wins for now (every copy picks the same one) and a conflict is reported, for
  a person to settle; the losing value is kept in the conflict, never dropped.

The merged field has seen both sides, so an edit made after a sync is never
taken for a concurrent one. A settlement (``settles``) that had seen both
sides of a conflict settles it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from clinic_app.records.search import patient_search_key

DEMOGRAPHIC_FIELDS: tuple[str, ...] = (
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "national_id",
    "phone",
    "village",
)


@dataclass(frozen=True)
class FieldVersion:
    """How one field's value came to be: its edit's version, what the editor had seen.

    ``seen`` maps each clinic (site id) to the latest of its versions of this field
    the editor had seen, its own included (a version vector: exact "saw", whatever
    the clocks). ``settles``: the edit settles a conflict (a person chose).
    """

    version: str = ""
    seen: Mapping[str, str] = field(default_factory=dict)
    settles: bool = False

    def saw(self, version: str) -> bool:
        """Had this edit's author seen ``version`` (the registration's "" always)?"""
        if not version:
            return True
        site = _site_of(version)
        return self.seen.get(site, "") >= version

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"v": self.version, "seen": dict(sorted(self.seen.items()))}
        if self.settles:
            entry["settles"] = 1
        return entry


def _site_of(version: str) -> str:
    return version.split(".", 2)[2] if version.count(".") >= 2 else ""


def joined(a: Mapping[str, str], b: Mapping[str, str]) -> dict[str, str]:
    """Everything either side had seen (pointwise latest)."""
    out = dict(a)
    for site, version in b.items():
        out[site] = max(out.get(site, ""), version)
    return out


FieldVersions = dict[str, FieldVersion]


def read_field_versions(payload: Mapping[str, Any]) -> FieldVersions:
    """``{field: FieldVersion}``; a field never edited has the empty version."""
    try:
        raw = json.loads(payload.get("field_versions") or "{}")
    except (TypeError, ValueError):
        raw = {}
    found: FieldVersions = {}
    for name in DEMOGRAPHIC_FIELDS:
        entry = raw.get(name) if isinstance(raw, dict) else None
        if isinstance(entry, dict) and isinstance(entry.get("v"), str):
            seen = entry.get("seen")
            seen = (
                {str(k): str(v) for k, v in seen.items() if isinstance(v, str)}
                if isinstance(seen, dict)
                else {}
            )
            found[name] = FieldVersion(entry["v"], seen, bool(entry.get("settles")))
        else:
            found[name] = FieldVersion()
    return found


def write_field_versions(versions: FieldVersions) -> str:
    edited = {name: fv.to_json() for name, fv in sorted(versions.items()) if fv.version}
    return json.dumps(edited, sort_keys=True, separators=(",", ":"))


def compact_number(value: str | None) -> str:
    """A national number as compared (``records.patients.compact_national_id``)."""
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()


def with_derived_fields(row: dict[str, Any]) -> dict[str, Any]:
    """The search key and compact number follow the names, number and phone."""
    number = compact_number(row.get("national_id"))
    row["national_id_key"] = number or None
    row["search_key"] = patient_search_key(
        row.get("given_name") or "", row.get("family_name") or "", number, row.get("phone")
    )
    return row


@dataclass(frozen=True)
class FieldConflict:
    """Two edits of one field that did not see each other; ``b`` is the later (kept)."""

    field: str
    value_a: str | None
    version_a: str
    value_b: str | None
    version_b: str


@dataclass(frozen=True)
class Replaced:
    """A stored value replaced by the merge (kept in the history)."""

    field: str
    value: str | None
    version: str
    replaced_by: str


@dataclass
class PatientMerge:
    merged: dict[str, Any]
    replaced: list[Replaced] = field(default_factory=list)
    conflicts: list[FieldConflict] = field(default_factory=list)
    # Fields where the incoming edit had seen every version of an open conflict.
    settling: dict[str, tuple[str | None, str]] = field(default_factory=dict)


def merge_patient(stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> PatientMerge:
    """Merge ``incoming`` into ``stored`` field by field (see the module doc)."""
    local, remote = read_field_versions(stored), read_field_versions(incoming)
    merged = dict(stored)
    result = PatientMerge(merged)
    versions = dict(local)
    for name in DEMOGRAPHIC_FIELDS:
        here, there = local[name], remote[name]
        lv, rv = here.version, there.version
        stored_value, incoming_value = stored.get(name), incoming.get(name)
        seen = joined(here.seen, there.seen)
        if rv == lv == "" and stored_value != incoming_value:
            # Neither copy versioned the field (a row from before versions): the
            # whole-row rule of protocol 1, the later ``updated_at`` wins.
            take_incoming = str(incoming.get("updated_at")) >= str(stored.get("updated_at"))
        elif rv == lv:
            versions[name] = FieldVersion(lv, seen, here.settles)
            continue
        elif there.saw(lv) and not here.saw(rv):
            take_incoming = True
            if there.settles:
                result.settling[name] = (incoming_value, rv)
        elif here.saw(rv):
            take_incoming = False
        else:
            take_incoming = rv > lv
            if stored_value != incoming_value:
                low, high = sorted(((lv, stored_value), (rv, incoming_value)))
                result.conflicts.append(FieldConflict(name, low[1], low[0], high[1], high[0]))
        if take_incoming:
            if stored_value != incoming_value:
                result.replaced.append(Replaced(name, stored_value, lv, rv))
            merged[name] = incoming_value
            versions[name] = FieldVersion(rv, seen, there.settles)
        else:
            versions[name] = FieldVersion(lv, seen, here.settles)
    merged["field_versions"] = write_field_versions(versions)
    merged["version"] = max(str(stored.get("version") or ""), str(incoming.get("version") or ""))
    merged["updated_at"] = max(str(stored.get("updated_at")), str(incoming.get("updated_at")))
    with_derived_fields(merged)
    return result


def conflict_id(record_id: str, name: str, version_a: str, version_b: str) -> str:
    """One id per conflict wherever it is found, so central and clinics hold one row."""
    low, high = sorted((version_a, version_b))
    key = f"clinic-app:conflict:{record_id}:{name}:{low}:{high}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def conflict_payload(
    *,
    site_id: str,
    patient_id: str,
    record_kind: str,
    record_id: str,
    name: str,
    value_a: str | None,
    version_a: str,
    value_b: str | None,
    version_b: str,
    kept_value: str | None,
    detected_at: str,
) -> dict[str, Any]:
    """A ``sync_conflict`` record, as central stores and the clinics receive it."""
    return {
        "id": conflict_id(record_id, name, version_a, version_b),
        "site_id": site_id,
        "patient_id": patient_id,
        "record_kind": record_kind,
        "record_id": record_id,
        "field": name,
        "value_a": value_a,
        "version_a": version_a,
        "value_b": value_b,
        "version_b": version_b,
        "kept_value": kept_value,
        "detected_at": detected_at,
        "settled_at": None,
        "settled_value": None,
        "settled_version": None,
    }
