"""Edits that merge across clinics: demographics, voids, and the conflicts people settle.

* :func:`update_patient` edits a patient's demographics. Each changed field gets
  a new hybrid-logical-clock version and remembers the version it was based on
  (``patients.field_versions``); the replaced value goes to ``patient_history``.
  Validation is the registration's; the edit is audited and queued for central.
* :func:`void_record` voids an encounter: a new append-only ``encounter_void``
  pointing to it (the encounter itself never changes).
* :func:`list_conflicts` / :func:`settle_conflict`: concurrent edits central
  found (``sync_conflicts``, received by pull). Settling writes a new edit based
  on both versions, so it wins everywhere and central marks the conflict settled.
* :func:`apply_remote_patient` merges a pulled patient into the local row
  (``clinic_app.sync.merge``), keeping replaced values in the history.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from clinic_app.clock import to_iso, utc_now
from clinic_app.errors import InvalidInput, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.ids import new_id
from clinic_app.records.patients import (
    DuplicatePatient,
    Patient,
    PatientForm,
    _validate,
    compact_national_id,
)
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Row, Tx
from clinic_app.sync import hlc
from clinic_app.sync.errors import SyncError
from clinic_app.sync.merge import (
    DEMOGRAPHIC_FIELDS,
    FieldVersion,
    joined,
    merge_patient,
    read_field_versions,
    with_derived_fields,
    write_field_versions,
)

MAX_REASON = 500


class ConflictAlreadySettled(SyncError):
    template = QT_TRANSLATE_NOOP(
        "errors", "This conflict was already settled; the patient's record shows the choice."
    )


@dataclass(frozen=True)
class Conflict:
    """Two edits of one field made without seeing each other, for a person to settle."""

    id: str
    patient_id: str
    record_kind: str  # "patient" (a demographic field) or "encounter" (void vs amendment)
    record_id: str
    field: str
    value_a: str | None
    version_a: str
    value_b: str | None
    version_b: str
    kept_value: str | None
    detected_at: str
    settled_at: str | None
    settled_value: str | None

    @classmethod
    def from_row(cls, row: Row) -> Conflict:
        return cls(
            id=row["id"],
            patient_id=row["patient_id"],
            record_kind=row["record_kind"],
            record_id=row["record_id"],
            field=row["field"],
            value_a=row["value_a"],
            version_a=row["version_a"],
            value_b=row["value_b"],
            version_b=row["version_b"],
            kept_value=row["kept_value"],
            detected_at=row["detected_at"],
            settled_at=row["settled_at"],
            settled_value=row["settled_value"],
        )


def _form_of(row: Row | Mapping[str, Any]) -> PatientForm:
    return PatientForm(
        given_name=row["given_name"],
        family_name=row["family_name"],
        sex=row["sex"],
        birth_date=date.fromisoformat(row["birth_date"]) if row["birth_date"] else None,
        national_id=row["national_id"] or "",
        phone=row["phone"] or "",
        village=row["village"] or "",
    )


def _stored_value(form: PatientForm, name: str) -> str | None:
    value = getattr(form, name)
    if isinstance(value, date):
        return value.isoformat()
    return value or None


def number_key(tx: Tx, patient_id: str, key: str | None) -> str | None:
    """The national number's uniqueness key for this patient here, or None.

    The key stops a person from being registered twice at one clinic. The same
    person registered at another clinic and linked to ours (the usual duplicate:
    same national number) arrives with the same number: the record that holds the
    key here keeps it, the other keeps its number as typed without the key.
    """
    if key and tx.one(
        "SELECT 1 FROM patients WHERE national_id_key = ? AND id <> ?", (key, patient_id)
    ):
        return None
    return key


def linked_patients(tx: Tx, patient_id: str) -> set[str]:
    """The records central confirmed to be the same person as ``patient_id``."""
    rows = tx.all(
        "SELECT patient_b AS other FROM patient_links WHERE patient_a = ? "
        "UNION SELECT patient_a FROM patient_links WHERE patient_b = ?",
        (patient_id, patient_id),
    )
    return {str(row["other"]) for row in rows}


def _write_patient(
    session: Session,
    tx: Tx,
    row: Row,
    changes: Mapping[str, str | None],
    *,
    settles: bool = False,
) -> dict[str, Any]:
    """Write ``changes`` (stored values) to the patient ``row`` with a new version, in ``tx``.

    Each changed field remembers what this clinic had seen of it (its version
    vector, joined with the new version). ``settles``: a person settling a
    conflict — the field gets a new version even where the value stays.
    """
    version = hlc.tick(session.store, tx, session.site_id)
    full = dict(row)
    versions = read_field_versions(full)
    now = to_iso(utc_now())
    for name, value in changes.items():
        old = versions[name]
        if row[name] == value and not settles:
            continue
        if row[name] != value:
            tx.insert(
                "patient_history",
                {
                    "id": new_id(),
                    "patient_id": row["id"],
                    "field": name,
                    "value": row[name],
                    "version": old.version,
                    "replaced_by": version,
                    "recorded_at": now,
                },
            )
        seen = joined(old.seen, {session.site_id: version})
        versions[name] = FieldVersion(version, seen, settles)
        full[name] = value
    with_derived_fields(full)
    full["national_id_key"] = number_key(tx, full["id"], full["national_id_key"])
    full["field_versions"] = write_field_versions(versions)
    full["version"] = version
    full["updated_at"] = now
    tx.update("patients", full, sync_kind="patient")
    return full


def update_patient(session: Session, patient_id: str, changes: Mapping[str, object]) -> Patient:
    """Change some of a patient's demographics (names, sex, birth date, number, phone, village).

    ``changes`` maps field names of :class:`PatientForm` to new values; fields
    left out keep theirs. Checked as at registration; audited (identifiers
    only); queued for central with a new version per changed field.
    """
    session.require(Action.REGISTER_PATIENT)
    unknown = sorted(set(changes) - set(DEMOGRAPHIC_FIELDS))
    if unknown:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "This field cannot be changed here."), field=unknown[0]
        )
    with session.transaction() as tx:
        row = tx.one("SELECT * FROM patients WHERE id = ?", (patient_id,))
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("errors", "This patient does not exist."))
        form = _validate(session, replace(_form_of(row), **changes))  # type: ignore[arg-type]
        wanted = {name: _stored_value(form, name) for name in changes}
        if form.national_id:
            other = tx.one(
                "SELECT id FROM patients WHERE national_id_key = ? AND id <> ?",
                (compact_national_id(form.national_id), patient_id),
            )
            # The same person's record from a linked clinic is no duplicate of this one.
            if other is not None and other["id"] not in linked_patients(tx, patient_id):
                raise DuplicatePatient(other["id"])
        if all(row[name] == value for name, value in wanted.items()):
            return Patient.from_row(row)
        full = _write_patient(session, tx, row, wanted)
        session.audit(
            tx,
            "update_patient",
            object_kind="patient",
            object_id=patient_id,
            patient_id=patient_id,
            detail=",".join(sorted(n for n, v in wanted.items() if row[n] != v)),
        )
    return Patient.from_row(full)


def void_record(session: Session, kind: str, record_id: str, reason: str) -> str:
    """Void an encounter entered in error: a new record pointing to it; return its id."""
    session.require(Action.RECORD_CONSULTATION)
    if kind != "encounter":
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Only a consultation can be voided."), field="kind"
        )
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Say why this record is voided (at most 500 characters)."),
            field="reason",
        )
    with session.transaction() as tx:
        encounter = tx.one("SELECT id, patient_id FROM encounters WHERE id = ?", (record_id,))
        if encounter is None:
            raise NotFound(QT_TRANSLATE_NOOP("errors", "This consultation does not exist."))
        void_id = new_id()
        tx.insert(
            "encounter_voids",
            {
                "id": void_id,
                "site_id": session.site_id,
                "encounter_id": record_id,
                "patient_id": encounter["patient_id"],
                "reason": reason,
                "version": hlc.tick(session.store, tx, session.site_id),
                "author_id": session.actor.user_id,
                "created_at": to_iso(utc_now()),
            },
            sync_kind="encounter_void",
        )
        session.audit(
            tx,
            "void_record",
            object_kind="encounter",
            object_id=record_id,
            patient_id=encounter["patient_id"],
        )
    return void_id


def list_conflicts(session: Session, *, include_settled: bool = False) -> list[Conflict]:
    """Concurrent edits waiting for a person (oldest first); settled ones on request."""
    session.require(Action.REGISTER_PATIENT)
    where = "" if include_settled else "WHERE settled_at IS NULL"
    rows = session.store.all(f"SELECT * FROM sync_conflicts {where} ORDER BY detected_at, id")
    session.audit_read("list_conflicts", object_kind="sync_conflict", object_id=str(len(rows)))
    return [Conflict.from_row(row) for row in rows]


def settle_conflict(session: Session, conflict_id: str, chosen_value: str | None) -> Patient:
    """Settle a demographic conflict with ``chosen_value`` (either side's, or a new one).

    Writes a new edit of the field based on both versions: it wins on central
    and at every clinic, and central marks the conflict settled for all.
    """
    session.require(Action.REGISTER_PATIENT)
    with session.transaction() as tx:
        row = tx.one("SELECT * FROM sync_conflicts WHERE id = ?", (conflict_id,))
        if row is None:
            raise NotFound(QT_TRANSLATE_NOOP("errors", "This conflict does not exist."))
        if row["settled_at"] is not None:
            raise ConflictAlreadySettled()
        if row["record_kind"] != "patient" or row["field"] not in DEMOGRAPHIC_FIELDS:
            raise InvalidInput(
                QT_TRANSLATE_NOOP("errors", "This conflict is settled at central."),
                field="conflict_id",
            )
        name = row["field"]
        patient = tx.one("SELECT * FROM patients WHERE id = ?", (row["patient_id"],))
        if patient is None:
            raise NotFound(QT_TRANSLATE_NOOP("errors", "This patient does not exist."))
        given: object = chosen_value or ""
        if name == "birth_date" and chosen_value:
            given = date.fromisoformat(chosen_value)
        if name == "birth_date" and not chosen_value:
            given = None
        form = _validate(session, replace(_form_of(patient), **{name: given}))  # type: ignore[arg-type]
        value = _stored_value(form, name)
        # Rewritten even if the value is already there: the new version must win everywhere.
        full = _write_patient(session, tx, patient, {name: value}, settles=True)
        tx.execute(
            "UPDATE sync_conflicts SET settled_at = ?, settled_value = ?, settled_version = ? "
            "WHERE id = ?",
            (to_iso(utc_now()), value, full["version"], conflict_id),
        )
        session.audit(
            tx,
            "settle_conflict",
            object_kind="sync_conflict",
            object_id=conflict_id,
            patient_id=row["patient_id"],
            detail=name,
        )
    return Patient.from_row(full)


def apply_remote_patient(tx: Tx, payload: Mapping[str, Any]) -> bool:
    """Merge a patient from central into this clinic, field by field; True if it changed."""
    local = tx.one("SELECT * FROM patients WHERE id = ?", (payload["id"],))
    if local is None:
        return False  # new here: the plain insert applies it
    stored = dict(local)
    merge = merge_patient(stored, payload)
    merged = merge.merged
    now = to_iso(utc_now())
    for old in merge.replaced:
        tx.insert(
            "patient_history",
            {
                "id": new_id(),
                "patient_id": stored["id"],
                "field": old.field,
                "value": old.value,
                "version": old.version,
                "replaced_by": old.replaced_by,
                "recorded_at": now,
            },
        )
    merged["national_id_key"] = number_key(tx, stored["id"], merged.get("national_id_key"))
    if all(merged.get(name) == stored.get(name) for name in stored):
        return False
    columns = [name for name in stored if name != "id"]
    tx.execute(
        f"UPDATE patients SET {', '.join(f'{n} = :{n}' for n in columns)} WHERE id = :id",
        {name: merged.get(name) for name in stored},
    )
    return True


def field_versions_of(tx: Tx, patient_id: str) -> dict[str, FieldVersion]:
    row = tx.one("SELECT field_versions FROM patients WHERE id = ?", (patient_id,))
    return read_field_versions(dict(row)) if row is not None else {}


def history_of(session: Session, patient_id: str) -> list[dict[str, Any]]:
    """Every replaced demographic value of a patient, oldest first (audited read)."""
    session.require_chart(patient_id)
    rows = session.store.all(
        "SELECT field, value, version, replaced_by, recorded_at FROM patient_history "
        "WHERE patient_id = ? ORDER BY recorded_at, rowid",
        (patient_id,),
    )
    session.audit_read(
        "patient_history", object_kind="patient", object_id=patient_id, patient_id=patient_id
    )
    return [dict(row) for row in rows]


__all__ = [
    "Conflict",
    "ConflictAlreadySettled",
    "apply_remote_patient",
    "history_of",
    "list_conflicts",
    "settle_conflict",
    "update_patient",
    "void_record",
]
