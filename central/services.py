"""Central's rules: enrolment, device tokens, idempotent push, paged pull, master data.

Every function takes the engine, does its work in one transaction and keeps no
state between calls (any number of server processes may run side by side).
A refusal is a :class:`CentralError` carrying the HTTP status and a stable
error code; the routers in ``central.api`` turn it into JSON.

Change sequence
---------------
Every stored change gets the next value of one global counter (``counters``
row ``change_seq``). A writer takes that row first thing in its transaction
(``SELECT … FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so
writers run one after the other and sequence numbers become visible in
order: a clinic's pull cursor can never jump over a change that commits later.
This is correct on SQLite (one writer anyway) and on PostgreSQL, at the price
of serialising pushes; PostgreSQL's out-of-order commits under concurrent
writers without that lock (for throughput) are handled in a later issue.
"""

from __future__ import annotations

import base64
import binascii
import csv
import fcntl
import functools
import hashlib
import io
import json
import math
import os
import re
import secrets
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, bindparam, func, or_, select, true, tuple_, union, update
from sqlalchemy.engine import Connection

from central.db import (
    CHANGE_COUNTER,
    counters,
    devices,
    operators,
    patient_links,
    push_batches,
    records,
    sites,
)
from central.protocol import (
    APPEND_ONLY_KINDS,
    CLINIC_KINDS,
    KIND_FIELDS,
    MASTER_KINDS,
    MAX_BATCH_CHANGES,
    MAX_CLINIC_NAME,
    MAX_ID_LENGTH,
    MAX_INT,
    MAX_OPERATOR_PASSWORD,
    MAX_PAYLOAD_BYTES,
    MAX_PULL_LIMIT,
    MAX_TEXT_VALUE,
    MIN_INT,
    MIN_OPERATOR_PASSWORD,
    MUTABLE_KINDS,
    OPERATOR_NAME_PATTERN,
    SITE_CODE_PATTERN,
    UPLOAD_ONLY_KINDS,
    FieldType,
    Presence,
)
from clinic_app.ids import stable_id  # the one definition of master-data ids
from clinic_app.sync.merge import conflict_payload, merge_patient, read_field_versions

CATALOGUE_HEADER = ("gtin", "name", "form", "strength", "atc", "unit", "reorder_level")
CATALOGUE_LIMITS = {"name": 200, "form": 100, "strength": 100, "unit": 50}
MAX_REORDER_LEVEL = 10_000_000
MAX_CATALOGUE_BYTES = 16 * 1024 * 1024
MAX_CATALOGUE_ROWS = 100_000
# WHO ATC code at any level: A, A10, A10B, A10BA, A10BA02.
ATC_PATTERN = re.compile(r"[A-Z](?:[0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?)?")

_hasher = PasswordHasher()  # Argon2id with the library's current recommended cost


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both failures cost the same time."""
    return _hasher.hash("not-a-real-operator-password")


class CentralError(Exception):
    """A request central refuses; ``code`` is stable, ``message`` is for the log and the admin.

    ``details`` are extra JSON fields of the answer a client can act on (never patient data).
    """

    def __init__(
        self, status: int, code: str, message: str, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = dict(details or {})


def invalid(message: str) -> CentralError:
    return CentralError(422, "invalid_request", message)


# Lone surrogates cannot be stored (not UTF-8); control characters have no place in names.
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _clean_line(value: object, name: str, limit: int) -> str:
    """A one-line text field, stripped: 1..limit characters, no control characters."""
    if not isinstance(value, str):
        raise invalid(f"{name} must be text")
    value = value.strip()
    if not value or len(value) > limit:
        raise invalid(f"{name} needs 1 to {limit} characters")
    if _CONTROL.search(value) or _SURROGATE.search(value):
        raise invalid(f"{name} holds characters that are not allowed")
    return value


def is_uuid_text(value: object) -> bool:
    """A UUID in its canonical spelling (lower case, hyphens), as the clinics make them."""
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _check_int(value: object, name: str, low: int = 0, high: int = MAX_INT) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise invalid(f"{name} must be a whole number from {low} to {high}")
    return value


@dataclass(frozen=True)
class Change:
    """One record as it travels: the clinic's outbox sequence, kind, id and full row."""

    seq: int
    kind: str
    id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class PullPage:
    changes: list[Change]
    last_seq: int
    more: bool


def utc_now() -> datetime:
    return datetime.now(UTC)


def canonical_json(payload: Mapping[str, Any]) -> str:
    """One spelling per payload, so "same record" is a plain text comparison."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: ``BEGIN IMMEDIATE`` on SQLite."""
    with engine.connect().execution_options(writes=True) as conn, conn.begin():
        yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def _take_change_counter(conn: Connection) -> int:
    value = conn.execute(
        select(counters.c.value).where(counters.c.name == CHANGE_COUNTER).with_for_update()
    ).scalar_one()
    return int(value)


def _store_change_counter(conn: Connection, value: int) -> None:
    conn.execute(update(counters).where(counters.c.name == CHANGE_COUNTER).values(value=value))


# --- operators and enrolment ---------------------------------------------------------


def check_operator_name(username: object) -> str:
    """An operator's user name, lower-cased: a letter or digit, then letters, digits, . _ @ -."""
    if not isinstance(username, str):
        raise invalid("the operator name must be text")
    username = username.strip().lower()
    if not OPERATOR_NAME_PATTERN.fullmatch(username):
        raise invalid(
            "the operator name needs 1 to 64 letters, digits or . _ @ -, "
            "starting with a letter or digit"
        )
    return username


def check_operator_password(password: object) -> str:
    if not isinstance(password, str):
        raise invalid("the password must be text")
    if not MIN_OPERATOR_PASSWORD <= len(password) <= MAX_OPERATOR_PASSWORD:
        raise invalid(
            f"the password needs {MIN_OPERATOR_PASSWORD} to {MAX_OPERATOR_PASSWORD} characters"
        )
    if _CONTROL.search(password) or _SURROGATE.search(password):
        raise invalid("the password holds characters that are not allowed (control characters)")
    return password


def create_operator(
    engine: Engine, username: str, password: str, *, hasher: PasswordHasher | None = None
) -> None:
    """Add a central operator, or give an existing one a new password.

    ``hasher`` sets the Argon2id cost (tests use a cheap one); the cost is
    stored inside the hash, so checking the password later costs the same.
    """
    username = check_operator_name(username)
    password_hash = (hasher or _hasher).hash(check_operator_password(password))
    with write_transaction(engine) as conn:
        found = conn.execute(
            select(operators.c.username).where(operators.c.username == username)
        ).first()
        if found is None:
            conn.execute(
                operators.insert().values(
                    username=username, password_hash=password_hash, created_at=utc_now()
                )
            )
        else:
            conn.execute(
                update(operators)
                .where(operators.c.username == username)
                .values(password_hash=password_hash)
            )


def _operator_password_ok(conn: Connection, username: str, password: str) -> bool:
    # The same work for a malformed name as for an unknown one: no oracle either way.
    name = username.strip().lower() if isinstance(username, str) else ""
    stored = None
    if OPERATOR_NAME_PATTERN.fullmatch(name) and isinstance(password, str):
        stored = conn.execute(
            select(operators.c.password_hash).where(operators.c.username == name)
        ).scalar_one_or_none()
    try:
        _hasher.verify(stored or _dummy_hash(), password if isinstance(password, str) else "")
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def check_site_code(site_code: object) -> str:
    if not isinstance(site_code, str) or not SITE_CODE_PATTERN.fullmatch(site_code.strip()):
        raise invalid(
            "the site code needs 2 to 10 upper-case letters or digits (such as TRV or ABJ2); "
            "it is printed in every document number"
        )
    return site_code.strip()


def check_public_key(public_key: object) -> str:
    """The clinic's Ed25519 public key: 32 bytes in standard base64 (44 characters)."""
    if not isinstance(public_key, str):
        raise invalid("public_key must be text")
    try:
        raw_key = base64.b64decode(public_key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid("public_key is not base64") from exc
    if len(raw_key) != 32 or base64.b64encode(raw_key).decode("ascii") != public_key:
        raise invalid("public_key is not an Ed25519 public key (32 bytes in base64)")
    return public_key


def enrol_site(
    engine: Engine,
    *,
    username: str,
    password: str,
    clinic_id: str,
    clinic_name: str,
    site_code: str,
    public_key: str,
) -> str:
    """Enrol (or re-enrol) a clinic on an operator's word; return its new device token.

    Only the token's hash is stored. Re-enrolling a clinic revokes its earlier
    tokens: one clinic database, one live token. A site code belongs to one
    clinic: it is printed in every document number (``ORD-TRV-2026-000001``),
    so a second clinic with the same code is refused.
    """
    if not is_uuid_text(clinic_id):
        raise invalid("clinic_id must be the clinic's UUID")
    clinic_name = _clean_line(clinic_name, "the clinic name", MAX_CLINIC_NAME)
    site_code = check_site_code(site_code)
    public_key = check_public_key(public_key)
    # Checked before the writing transaction: Argon2 is slow on purpose, writers must not wait.
    with read_transaction(engine) as conn:
        if not _operator_password_ok(conn, username, password):
            raise CentralError(401, "enrolment_refused", "wrong operator name or password")
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with write_transaction(engine) as conn:
        _take_change_counter(conn)  # serialises enrolments too: two can't take one code
        taken = conn.execute(
            select(sites.c.clinic_id).where(
                and_(func.upper(sites.c.site_code) == site_code, sites.c.clinic_id != clinic_id)
            )
        ).first()
        if taken is not None:
            raise CentralError(
                409,
                "site_code_taken",
                f"another clinic is already enrolled with site code {site_code}; "
                "choose another site code for this clinic",
                {"site_code": site_code},
            )
        known = conn.execute(
            select(sites.c.clinic_id).where(sites.c.clinic_id == clinic_id)
        ).first()
        values = {"name": clinic_name, "site_code": site_code, "public_key": public_key}
        if known is None:
            conn.execute(sites.insert().values(clinic_id=clinic_id, enrolled_at=now, **values))
        else:
            conn.execute(update(sites).where(sites.c.clinic_id == clinic_id).values(**values))
            conn.execute(update(devices).where(devices.c.site_id == clinic_id).values(revoked=True))
        conn.execute(
            devices.insert().values(
                token_hash=token_hash(token), site_id=clinic_id, revoked=False, created_at=now
            )
        )
    return token


def site_for_token(engine: Engine, token: str) -> str:
    """The clinic a device token speaks for; unknown or revoked tokens are refused."""
    with read_transaction(engine) as conn:
        row = conn.execute(
            select(devices.c.site_id, devices.c.revoked).where(
                devices.c.token_hash == token_hash(token)
            )
        ).first()
    if row is None or row.revoked:
        raise CentralError(401, "token_refused", "unknown or revoked device token")
    return str(row.site_id)


def revoke_site(engine: Engine, clinic_id: str) -> int:
    """Revoke every token of a clinic; return how many were live. An unknown clinic is refused."""
    clinic_id = clinic_id.strip()
    with write_transaction(engine) as conn:
        known = conn.execute(
            select(sites.c.clinic_id).where(sites.c.clinic_id == clinic_id)
        ).first()
        if known is None:
            raise CentralError(
                404,
                "unknown_clinic",
                f"no clinic with id {clinic_id[:MAX_ID_LENGTH]!r} is enrolled here",
            )
        result = conn.execute(
            update(devices)
            .where(and_(devices.c.site_id == clinic_id, devices.c.revoked.is_(False)))
            .values(revoked=True)
        )
    return int(result.rowcount or 0)


# --- push and pull --------------------------------------------------------------------


def _field_problem(name: str, value: object, field_type: FieldType) -> str | None:
    """What is wrong with one non-null field value, or None. Never quotes the value."""
    if field_type is FieldType.TEXT:
        if not isinstance(value, str):
            return f"field {name} must be text"
        if len(value) > MAX_TEXT_VALUE:
            return f"field {name} is longer than {MAX_TEXT_VALUE} characters"
        if "\x00" in value or _SURROGATE.search(value):
            return f"field {name} holds characters that are not allowed"
        return None
    if field_type is FieldType.INTEGER:
        # JSON true/false count as 1/0, as SQLite stores them.
        if not isinstance(value, int) or not MIN_INT <= value <= MAX_INT:
            return f"field {name} must be a whole number of at most 64 bits"
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"field {name} must be a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"field {name} must be a finite number"
    if isinstance(value, int) and not MIN_INT <= value <= MAX_INT:
        return f"field {name} must be a number of at most 64 bits"
    return None


def payload_problem(kind: str, payload: object) -> str | None:
    """What is wrong with a record's fields for ``kind``, or None if it fits the protocol."""
    if not isinstance(payload, dict):
        return "payload must be a JSON object"
    fields = KIND_FIELDS[kind]
    unknown = sorted(str(name) for name in payload if name not in fields)
    if unknown:
        names = ", ".join(repr(name[:40]) for name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        return f"unknown field(s) for {kind}: {names}{more}"
    for name, spec in fields.items():
        if name not in payload:
            if spec.presence is Presence.REQUIRED:
                return f"required field {name} is missing"
            continue
        value = payload[name]
        if value is None:
            if spec.presence is not Presence.OPTIONAL:
                return f"field {name} may not be null"
            continue
        problem = _field_problem(name, value, spec.type)
        if problem:
            return problem
    if len(canonical_json(payload).encode("utf-8")) > MAX_PAYLOAD_BYTES:
        return f"the record is larger than {MAX_PAYLOAD_BYTES // 1024} KiB"
    return None


def check_batch(site_id: str, changes: Sequence[Change]) -> None:
    """Refuse the whole batch, naming the first problem, unless every change fits the protocol.

    Each change: a non-negative 64-bit ``seq``, increasing through the batch (the
    clinic's outbox order); a clinic kind; a UUID ``id``; a payload with that
    id, the sending clinic's ``site_id`` (kinds that have one), only the kind's
    fields, every required one, each of its type. A record may appear twice in
    one batch only if its kind is mutable (a patient registered, then corrected):
    the later version wins. Messages name positions and fields, never values.
    """
    if len(changes) > MAX_BATCH_CHANGES:
        raise CentralError(413, "batch_too_large", f"at most {MAX_BATCH_CHANGES} changes")
    seen: set[tuple[str, str]] = set()
    previous_seq = -1
    for index, change in enumerate(changes, start=1):
        where = f"change {index}"
        seq = change.seq
        if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq <= MAX_INT:
            raise CentralError(
                422, "invalid_change", f"{where}: seq must be a whole number from 0 to {MAX_INT}"
            )
        where = f"change {index} (seq {seq})"
        if seq <= previous_seq:
            raise CentralError(
                422, "invalid_change", f"{where}: seq must increase through the batch"
            )
        previous_seq = seq
        kind = change.kind
        if kind in MASTER_KINDS:
            raise CentralError(403, "kind_refused", f"a clinic may not send {kind} records")
        if kind not in CLINIC_KINDS:
            shown = kind[:40] if isinstance(kind, str) else type(kind).__name__
            raise CentralError(422, "unknown_kind", f"{where}: unknown record kind {shown!r}")
        where = f"change {index} (seq {seq}, {kind})"
        if not is_uuid_text(change.id):
            raise CentralError(422, "invalid_change", f"{where}: id must be a UUID")
        problem = payload_problem(kind, change.payload)
        if problem is None and change.payload.get("id") != change.id:
            problem = "the payload's id differs from the change's id"
        if problem is not None:
            raise CentralError(422, "invalid_change", f"{where}: {problem}")
        # A linked clinic may edit another clinic's patient: checked against the links.
        if (
            "site_id" in KIND_FIELDS[kind]
            and change.payload["site_id"] != site_id
            and kind != "patient"
        ):
            raise CentralError(
                403, "site_refused", f"{where}: the record belongs to another clinic"
            )
        key = (kind, change.id)
        if key in seen and kind not in MUTABLE_KINDS:
            raise CentralError(
                422,
                "invalid_change",
                f"{where}: record {change.id} appears twice in this batch "
                f"({kind} records never change once written)",
            )
        seen.add(key)


def _fault_switch(point: str) -> None:
    """Test-only faults: ``CENTRAL_FAULTS_FILE`` names a file a test writes, read per request.

    ``push_503_once_after=N`` lets N more pushes through, then answers one 503 and
    clears itself; ``push_delay_once=SECONDS`` delays the next push once. The
    count lives in the file (locked while read and rewritten), never in memory,
    so it holds across workers and restarts. Unset in production.
    """
    path = os.environ.get("CENTRAL_FAULTS_FILE")
    if not path or point != "push":
        return
    try:
        handle = open(path, "r+", encoding="utf-8")  # noqa: SIM115 - locked below
    except OSError:
        return
    delay = 0.0
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        text = handle.read().strip()
        name, _, value = text.partition("=")
        if name == "push_delay_once":
            # ``push_delay_once=SECONDS``: the next push answers that late (a slow link).
            handle.seek(0)
            handle.truncate()
            delay = float(value)
        elif name == "push_503_once_after" and value.strip().isdigit():
            left = int(value)
            handle.seek(0)
            handle.truncate()
            if left > 0:
                handle.write(f"push_503_once_after={left - 1}")
                return
            raise CentralError(503, "unavailable", "central is unavailable (test fault)")
    if delay > 0:
        time.sleep(min(delay, 30.0))


def _patients_seen_by(site_id: str) -> Any:
    """A subquery of the patients this clinic sees: its own, and others' linked to its own.

    Its own are needed too: a linked clinic writes records about them (a
    consultation, a prescription) that belong to that clinic but concern ours.
    Others' patients whose consent in force withholds them from other clinics
    are left out, link or not (``central.consent``).
    """
    from central.consent import patients_hidden_from_other_clinics

    own = records.alias("own")
    hidden = patients_hidden_from_other_clinics()
    return union(
        select(own.c.id).where(and_(own.c.kind == "patient", own.c.site_id == site_id)),
        select(patient_links.c.patient_b).where(
            and_(patient_links.c.site_a == site_id, patient_links.c.patient_b.not_in(hidden))
        ),
        select(patient_links.c.patient_a).where(
            and_(patient_links.c.site_b == site_id, patient_links.c.patient_a.not_in(hidden))
        ),
    )


# Records per IN list: far below any database's limit on bound parameters.
_KEYS_PER_QUERY = 500


class _Held(NamedTuple):
    """A record as central holds it, for the push: owner, canonical payload, its patient."""

    site_id: str | None
    payload: str
    patient_id: str | None


# One statement for every record a batch changes (executemany): the keys are bound apart
# from the new values, under names no column has.
_UPDATE_RECORD = (
    update(records)
    .where(and_(records.c.kind == bindparam("key_kind"), records.c.id == bindparam("key_id")))
    .values(
        payload=bindparam("payload"),
        change_seq=bindparam("change_seq"),
        received_at=bindparam("received_at"),
        patient_id=bindparam("patient_id"),
        changed_by=bindparam("changed_by"),
    )
)


class _BatchWriter:
    """One push's view of the records table: read in one go, written in one go.

    Lives inside the push transaction, after the change counter is taken (every
    writer takes it first, so nothing read here changes under the push). It reads
    every record the batch names, and the prescriptions its items point to, with
    one query; records it does not know yet (a conflict's) are read on demand.
    Writes are kept and sent together by :meth:`flush` (one executemany per
    statement), and :meth:`held` answers with them included: a change sees the
    records written earlier in its batch exactly as if each had been stored at once.
    """

    def __init__(self, conn: Connection, site_id: str, changes: Sequence[Change]) -> None:
        self.conn = conn
        self.site_id = site_id
        self._changes = changes
        self._held: dict[tuple[str, str], _Held | None] = {}
        self._inserts: dict[tuple[str, str], dict[str, Any]] = {}
        self._updates: dict[tuple[str, str], dict[str, Any]] = {}
        self._linked: set[str] | None = None
        wanted = {(change.kind, change.id) for change in changes}
        for change in changes:
            prescription_id = change.payload.get("prescription_id")
            if change.kind == "prescription_item" and isinstance(prescription_id, str):
                wanted.add(("prescription", prescription_id))
        self._read(wanted)

    def _read(self, keys: set[tuple[str, str]]) -> None:
        # ``(kind, id) IN ((…), …)``: one probe of the primary key per record, whatever the
        # table's statistics. (``kind IN … AND id IN …`` let PostgreSQL, its statistics
        # stale on a growing table, scan every row of those kinds: 10 ms instead of 1.)
        wanted = sorted(keys)
        for start in range(0, len(wanted), _KEYS_PER_QUERY):
            rows = self.conn.execute(
                select(
                    records.c.kind,
                    records.c.id,
                    records.c.site_id,
                    records.c.payload,
                    records.c.patient_id,
                ).where(
                    tuple_(records.c.kind, records.c.id).in_(
                        wanted[start : start + _KEYS_PER_QUERY]
                    )
                )
            )
            for row in rows:
                self._held[(row.kind, row.id)] = _Held(row.site_id, row.payload, row.patient_id)
        for key in keys:
            self._held.setdefault(key, None)

    def held(self, kind: str, record_id: str) -> _Held | None:
        """The record as central holds it now, this batch's writes included; None if new."""
        key = (kind, record_id)
        if key not in self._held:
            self._read({key})
        return self._held[key]

    def may_see_patient(self, patient_id: str) -> bool:
        """Whether a confirmed link lets this clinic see another clinic's patient."""
        if self._linked is None:
            # Read once for every patient of the batch: links change only under the counter.
            ids = list({change.id for change in self._changes if change.kind == "patient"})
            self._linked = set()
            for start in range(0, len(ids), _KEYS_PER_QUERY):
                chunk = ids[start : start + _KEYS_PER_QUERY]
                self._linked.update(
                    self.conn.execute(
                        union(
                            select(patient_links.c.patient_b).where(
                                and_(
                                    patient_links.c.site_a == self.site_id,
                                    patient_links.c.patient_b.in_(chunk),
                                )
                            ),
                            select(patient_links.c.patient_a).where(
                                and_(
                                    patient_links.c.site_b == self.site_id,
                                    patient_links.c.patient_a.in_(chunk),
                                )
                            ),
                        )
                    ).scalars()
                )
        return patient_id in self._linked

    def patient_of(self, change: Change) -> str | None:
        """The patient a record is about (a prescription line: its prescription's)."""
        if change.kind == "patient":
            return change.id
        if change.kind == "prescription_item":
            prescription_id = change.payload.get("prescription_id")
            if not isinstance(prescription_id, str):
                return None
            prescription = self.held("prescription", prescription_id)
            return (prescription.patient_id or None) if prescription is not None else None
        value = change.payload.get("patient_id")
        return value if isinstance(value, str) else None

    def store(
        self,
        *,
        kind: str,
        record_id: str,
        owner: str | None,
        payload: str,
        seq: int,
        now: datetime,
        patient_id: str | None,
        changed_by: str | None,
    ) -> None:
        """Write a record (new, or a new payload for one held) at change sequence ``seq``."""
        key = (kind, record_id)
        held = self.held(kind, record_id)
        values = {
            "payload": payload,
            "change_seq": seq,
            "received_at": now,
            "patient_id": patient_id,
            "changed_by": changed_by,
        }
        if key in self._inserts:  # new in this batch and not sent yet: one row, last values
            self._inserts[key].update(values)
        elif held is not None:
            self._updates[key] = values
        else:
            self._inserts[key] = {"kind": kind, "id": record_id, "site_id": owner, **values}
        # An update keeps the row's owner, as the UPDATE does.
        self._held[key] = _Held(owner if held is None else held.site_id, payload, patient_id)

    def flush(self) -> None:
        """Send the writes kept so far: one INSERT and one UPDATE, each for many rows."""
        if self._inserts:
            self.conn.execute(records.insert(), list(self._inserts.values()))
            self._inserts.clear()
        if self._updates:
            self.conn.execute(
                _UPDATE_RECORD,
                [
                    {"key_kind": kind, "key_id": record_id, **values}
                    for (kind, record_id), values in self._updates.items()
                ],
            )
            self._updates.clear()


def _merge_patient_push(
    conn: Connection, site_id: str, stored_payload: str, change: Change, now: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The merged patient and the conflict records (new or settled) this push makes."""
    stored = json.loads(stored_payload)
    merge = merge_patient(stored, change.payload)
    detected = now.isoformat(timespec="microseconds")
    touched: list[dict[str, Any]] = []
    for conflict in merge.conflicts:
        touched.append(
            conflict_payload(
                site_id=str(stored["site_id"]),
                patient_id=change.id,
                record_kind="patient",
                record_id=change.id,
                name=conflict.field,
                value_a=conflict.value_a,
                version_a=conflict.version_a,
                value_b=conflict.value_b,
                version_b=conflict.version_b,
                kept_value=merge.merged.get(conflict.field),
                detected_at=detected,
            )
        )
    if merge.settling:
        open_rows = conn.execute(
            select(records.c.payload).where(
                and_(records.c.kind == "sync_conflict", records.c.patient_id == change.id)
            )
        ).all()
        for row in open_rows:
            conflict = json.loads(row.payload)
            settled = merge.settling.get(conflict.get("field", ""))
            if conflict.get("settled_at") or settled is None:
                continue
            value, version = settled
            # Only a settlement settles it: a person's choice made after seeing both
            # sides (``clinic_app.sync.edits.settle_conflict``).
            entry = read_field_versions(change.payload)[conflict["field"]]
            if (
                entry.settles
                and entry.saw(conflict["version_a"])
                and entry.saw(conflict["version_b"])
            ):
                conflict.update(settled_at=detected, settled_value=value, settled_version=version)
                touched.append(conflict)
    return merge.merged, touched


def push_changes(engine: Engine, site_id: str, batch_id: str, changes: Sequence[Change]) -> int:
    """Apply one batch from a clinic, all or nothing; return the highest outbox seq now held.

    Idempotent twice over: a batch id already applied is answered from
    ``push_batches`` without touching anything, and a record already stored
    with the same payload gets no new change sequence. A batch with any change
    that does not fit the protocol (:func:`check_batch`) is refused whole.

    Merge by kind: append-only kinds are a union (a second copy with other
    content is refused, 409 ``record_differs``); patients merge field by field
    (``clinic_app.sync.merge``), concurrent edits become ``sync_conflict``
    records sent to every clinic that sees the patient. A clinic may edit
    another clinic's patient only when a confirmed link lets it see that patient.
    """
    batch_id = _clean_line(batch_id, "batch_id", MAX_ID_LENGTH)
    check_batch(site_id, changes)
    _fault_switch("push")
    acked_seq = max((change.seq for change in changes), default=0)
    now = utc_now()
    # Before the writers' lock: everything that needs no database.
    texts = [canonical_json(change.payload) for change in changes]
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            # psycopg prepares a statement run 5 times; PostgreSQL may then keep one generic
            # plan for it, and the plan of the batch's record lookup made while ``records``
            # was small (a scan of the whole table) stays after it has grown: 10 ms instead
            # of 1 per push, measured. Planned for its own keys each time, it is 1 ms.
            conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_custom_plan")
        seq = _take_change_counter(conn)  # first: this serialises writers, see module doc
        done = conn.execute(
            select(push_batches.c.site_id, push_batches.c.acked_seq).where(
                push_batches.c.batch_id == batch_id
            )
        ).first()
        if done is not None:
            if done.site_id != site_id:
                raise CentralError(409, "batch_conflict", "this batch id belongs to another site")
            return int(done.acked_seq)
        writer = _BatchWriter(conn, site_id, changes)
        for index, (change, payload) in enumerate(zip(changes, texts, strict=True), start=1):
            stored = writer.held(change.kind, change.id)
            owner = change.payload.get("site_id", site_id)
            if stored is not None:
                owner = stored.site_id
            if owner != site_id and not (
                change.kind == "patient" and writer.may_see_patient(change.id)
            ):
                raise CentralError(403, "site_refused", "a record belongs to another clinic")
            if stored is not None and stored.payload == payload:
                continue
            changed_by: str | None = site_id
            conflicts: list[dict[str, Any]] = []
            if stored is not None and change.kind == "patient":
                writer.flush()  # the merge may read this patient's conflicts from the table
                merged, conflicts = _merge_patient_push(conn, site_id, stored.payload, change, now)
                merged_text = canonical_json(merged)
                if merged_text == stored.payload and not conflicts:
                    continue
                # What the clinic sent is not what central holds now: send it back.
                changed_by = site_id if merged_text == payload and not conflicts else None
                payload = merged_text
            elif stored is not None and change.kind in APPEND_ONLY_KINDS:
                raise CentralError(
                    409,
                    "record_differs",
                    f"change {index} ({change.kind} {change.id}): central already holds "
                    "this record with other content; it is written once and never replaced",
                )
            seq += 1
            writer.store(
                kind=change.kind,
                record_id=change.id,
                owner=owner,
                payload=payload,
                seq=seq,
                now=now,
                patient_id=writer.patient_of(change),
                changed_by=changed_by,
            )
            for conflict in conflicts:
                seq += 1
                writer.store(
                    kind="sync_conflict",
                    record_id=conflict["id"],
                    owner=conflict["site_id"],
                    payload=canonical_json(conflict),
                    seq=seq,
                    now=now,
                    patient_id=conflict["patient_id"],
                    changed_by=None,
                )
        writer.flush()
        _store_change_counter(conn, seq)
        conn.execute(
            push_batches.insert().values(
                batch_id=batch_id, site_id=site_id, acked_seq=acked_seq, received_at=now
            )
        )
    return acked_seq


def pull_changes(
    engine: Engine, site_id: str, after: int, limit: int, *, own: bool = False
) -> PullPage:
    """What this clinic may see that changed after ``after``, oldest first, at most ``limit``.

    Master data; records of its own clinic that someone else (central's merge,
    a linked clinic) changed; and the records of other clinics' patients linked
    to one of its own (``patient_links``). Nothing else: every request stays
    scoped to its clinic. A clinic's own pushes do not come back to it — unless
    ``own``: a clinic restored from a backup asks for them, to get back what it
    had sent after that backup (its audit trail stays at central all the same).
    """
    after = _check_int(after, "after")
    limit = _check_int(limit, "limit", 1, MAX_PULL_LIMIT)
    with read_transaction(engine) as conn:
        # Every change numbered up to the counter has committed (writers take the counter
        # first and commit in order), so an answer that is not full may move the cursor
        # to it even when none of them is this clinic's to see: otherwise a clinic whose
        # own pushes are all there is would scan every clinic's changes again at each pull.
        head = int(
            conn.execute(
                select(counters.c.value).where(counters.c.name == CHANGE_COUNTER)
            ).scalar_one()
        )
        linked = _patients_seen_by(site_id)
        visible = or_(
            records.c.site_id.is_(None),
            and_(
                or_(records.c.site_id == site_id, records.c.patient_id.in_(linked)),
                true()
                if own
                else or_(records.c.changed_by.is_(None), records.c.changed_by != site_id),
            ),
        )
        rows = conn.execute(
            select(records.c.change_seq, records.c.kind, records.c.id, records.c.payload)
            .where(
                and_(
                    visible,
                    records.c.change_seq > after,
                    records.c.change_seq <= head,
                    records.c.kind.not_in(UPLOAD_ONLY_KINDS),  # audit trails stay at central
                )
            )
            .order_by(records.c.change_seq)
            .limit(limit + 1)
        ).all()
    more = len(rows) > limit
    page = [
        Change(int(row.change_seq), row.kind, row.id, json.loads(row.payload))
        for row in rows[:limit]
    ]
    if more:
        return PullPage(page, page[-1].seq, more)
    return PullPage(page, max(head, after), more)


def restamp_patient_records(conn: Connection, patient_ids: Sequence[str]) -> int:
    """Give every record of these patients a new change sequence, the patients first.

    Called in the transaction that confirms a link (``central.duplicates``): the
    other clinic's pull cursor is past these records already, so they must come
    again after it, and a patient must arrive before its encounters (``changed_by``
    stays: the clinics that wrote them hold them already). Takes the
    change counter (the writers' lock) itself; returns how many were re-stamped.
    """
    seq = _take_change_counter(conn)
    rows = conn.execute(
        select(records.c.kind, records.c.id)
        .where(records.c.patient_id.in_(list(patient_ids)))
        .order_by((records.c.kind != "patient"), records.c.change_seq)
    ).all()
    for row in rows:
        seq += 1
        conn.execute(
            update(records)
            .where(and_(records.c.kind == row.kind, records.c.id == row.id))
            .values(change_seq=seq)
        )
    _store_change_counter(conn, seq)
    return len(rows)


def link_patients(
    engine: Engine, patient_a: str, patient_b: str, confirmed_by: str, reason: str = "confirmed"
) -> str:
    """Record that two clinics' patient records are one person; both clinics then see both.

    The minimal form ``central.duplicates`` builds on (it may write the row itself
    and call :func:`restamp_patient_records` in its own transaction).
    """
    now = utc_now()
    with write_transaction(engine) as conn:
        _take_change_counter(conn)
        found = conn.execute(
            select(records.c.id, records.c.site_id).where(
                and_(records.c.kind == "patient", records.c.id.in_([patient_a, patient_b]))
            )
        ).all()
        sites_of = {str(row.id): str(row.site_id) for row in found}
        if patient_a not in sites_of or patient_b not in sites_of:
            raise CentralError(404, "unknown_patient", "both patients must be held by central")
        link_id = str(uuid.uuid4())
        restamp_patient_records(conn, [patient_a, patient_b])
        seq = _take_change_counter(conn) + 1
        _store_change_counter(conn, seq)
        conn.execute(
            patient_links.insert().values(
                id=link_id,
                patient_a=patient_a,
                site_a=sites_of[patient_a],
                patient_b=patient_b,
                site_b=sites_of[patient_b],
                reason=reason,
                confirmed_by=confirmed_by,
                confirmed_at=now,
                change_seq=seq,
            )
        )
    return link_id


# --- master data ------------------------------------------------------------------------


def normalise_gtin(text: str) -> str:
    """A GTIN-8/12/13/14 as the 14 digits the clinics store; refuse a wrong check digit."""
    digits = text.strip()
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise ValueError(f"not a GTIN (8, 12, 13 or 14 digits): {text[:40]!r}")
    digits = digits.zfill(14)
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    if (10 - total % 10) % 10 != check:
        raise ValueError(f"wrong GTIN check digit: {text!r}")
    return digits


def _catalogue_row(fields: Sequence[str]) -> dict[str, Any]:
    """One catalogue line as a catalogue_item payload; ValueError names the problem."""
    if len(fields) != len(CATALOGUE_HEADER):
        raise ValueError(
            f"expected {len(CATALOGUE_HEADER)} tab-separated columns, not {len(fields)}"
        )
    gtin_text, name, form, strength, atc, unit, reorder = (f.strip() for f in fields)
    gtin = normalise_gtin(gtin_text)
    texts = {"name": name, "form": form, "strength": strength, "unit": unit}
    for column, value in texts.items():
        limit = CATALOGUE_LIMITS[column]
        if not value:
            raise ValueError(f"{column} is empty")
        if len(value) > limit:
            raise ValueError(f"{column} is longer than {limit} characters")
        if _CONTROL.search(value) or _SURROGATE.search(value):
            raise ValueError(f"{column} holds control characters")
    if atc and not ATC_PATTERN.fullmatch(atc):
        raise ValueError(f"atc {atc[:20]!r} is not an ATC code (such as N02BE01)")
    if reorder and not (reorder.isascii() and reorder.isdigit() and len(reorder) <= 9):
        raise ValueError(f"reorder_level {reorder[:20]!r} is not a whole number >= 0")
    reorder_level = int(reorder or 0)
    if reorder_level > MAX_REORDER_LEVEL:
        raise ValueError(f"reorder_level is above {MAX_REORDER_LEVEL}")
    return {
        "id": stable_id("catalogue_item", gtin),
        "gtin": gtin,
        "name": name,
        "form": form,
        "strength": strength,
        "atc": atc or None,
        "unit": unit,
        "reorder_level": reorder_level,
        "active": 1,
    }


def read_catalogue(path: Path) -> list[dict[str, Any]]:
    """Parse and check the drug catalogue TSV into catalogue_item payloads (no ``updated_at``).

    The whole file is checked before anything is loaded; a ValueError names
    each bad line (``file:line: problem``, at most ten) and nothing is kept.
    """
    if path.stat().st_size > MAX_CATALOGUE_BYTES:
        raise ValueError(f"{path}: larger than {MAX_CATALOGUE_BYTES // (1024 * 1024)} MiB")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a spreadsheet's BOM is not a header
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    problems: list[str] = []
    items: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    try:
        header = tuple(field.strip().lower() for field in next(reader, ()))
        if header != CATALOGUE_HEADER:
            raise ValueError(f"{path}:1: the header must be {' '.join(CATALOGUE_HEADER)}")
        for fields in reader:
            line_no = reader.line_num
            if not any(field.strip() for field in fields):
                continue
            if len(items) + len(problems) >= MAX_CATALOGUE_ROWS:
                raise ValueError(f"{path}: more than {MAX_CATALOGUE_ROWS} items")
            try:
                item = _catalogue_row(fields)
            except ValueError as exc:
                problems.append(f"{path}:{line_no}: {exc}")
                continue
            if item["gtin"] in first_line:
                problems.append(
                    f"{path}:{line_no}: GTIN {item['gtin']} is already on line "
                    f"{first_line[item['gtin']]}"
                )
                continue
            first_line[item["gtin"]] = line_no
            items.append(item)
    except csv.Error as exc:
        raise ValueError(f"{path}:{reader.line_num}: not a readable TSV line ({exc})") from exc
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise ValueError("; ".join(problems[:10]) + more + "; nothing was loaded")
    return items


def seed_catalogue(engine: Engine, path: Path) -> int:
    """Load the drug catalogue as master data; return how many items are new or changed.

    All or nothing: a file with any bad line changes nothing. An item whose
    fields did not change keeps its payload and its change sequence, so seeding
    the same file again sends nothing to the clinics.
    """
    items = read_catalogue(path)
    now = utc_now()
    changed = 0
    with write_transaction(engine) as conn:
        seq = _take_change_counter(conn)
        for item in items:
            stored = conn.execute(
                select(records.c.payload).where(
                    and_(records.c.kind == "catalogue_item", records.c.id == item["id"])
                )
            ).scalar_one_or_none()
            if stored is not None:
                previous = json.loads(stored)
                previous.pop("updated_at", None)
                if previous == item:
                    continue
            seq += 1
            changed += 1
            full = {**item, "updated_at": now.isoformat(timespec="microseconds")}
            problem = payload_problem("catalogue_item", full)
            if problem is not None:  # read_catalogue's checks are stricter; this is a backstop
                raise ValueError(f"{path}: GTIN {item['gtin']}: {problem}")
            payload = canonical_json(full)
            if stored is None:
                conn.execute(
                    records.insert().values(
                        kind="catalogue_item",
                        id=item["id"],
                        site_id=None,
                        payload=payload,
                        change_seq=seq,
                        received_at=now,
                    )
                )
            else:
                conn.execute(
                    update(records)
                    .where(and_(records.c.kind == "catalogue_item", records.c.id == item["id"]))
                    .values(payload=payload, change_seq=seq, received_at=now)
                )
        _store_change_counter(conn, seq)
    return changed
