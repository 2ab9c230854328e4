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
import functools
import hashlib
import json
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, and_, select, update
from sqlalchemy.engine import Connection

from central.db import CHANGE_COUNTER, counters, devices, operators, push_batches, records, sites
from central.protocol import CLINIC_KINDS, MASTER_KINDS
from clinic_app.ids import stable_id  # the one definition of master-data ids

MAX_BATCH_CHANGES = 1000
MAX_PULL_LIMIT = 1000
CATALOGUE_HEADER = ("gtin", "name", "form", "strength", "atc", "unit", "reorder_level")

_hasher = PasswordHasher()  # Argon2id with the library's current recommended cost


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so both failures cost the same time."""
    return _hasher.hash("not-a-real-operator-password")


class CentralError(Exception):
    """A request central refuses; ``code`` is stable, ``message`` is for the log and the admin."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


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


def create_operator(
    engine: Engine, username: str, password: str, *, hasher: PasswordHasher | None = None
) -> None:
    """Add a central operator, or give an existing one a new password.

    ``hasher`` sets the Argon2id cost (tests use a cheap one); the cost is
    stored inside the hash, so checking the password later costs the same.
    """
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise CentralError(422, "invalid_request", "the operator name needs 1 to 64 characters")
    if len(password) < 8:
        raise CentralError(422, "invalid_request", "the password needs at least 8 characters")
    password_hash = (hasher or _hasher).hash(password)
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
    stored = conn.execute(
        select(operators.c.password_hash).where(operators.c.username == username.strip().lower())
    ).scalar_one_or_none()
    try:
        _hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def _check_text(value: str, name: str, limit: int) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise CentralError(422, "invalid_request", f"{name} needs 1 to {limit} characters")
    return value


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
    tokens: one clinic database, one live token.
    """
    clinic_id = _check_text(clinic_id, "clinic_id", 64)
    clinic_name = _check_text(clinic_name, "clinic_name", 200)
    site_code = _check_text(site_code, "site_code", 32)
    try:
        raw_key = base64.b64decode(public_key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise CentralError(422, "invalid_request", "public_key is not base64") from exc
    if len(raw_key) != 32:
        raise CentralError(422, "invalid_request", "public_key is not an Ed25519 key")
    token = secrets.token_urlsafe(32)
    now = utc_now()
    with write_transaction(engine) as conn:
        if not _operator_password_ok(conn, username, password):
            raise CentralError(401, "enrolment_refused", "wrong operator name or password")
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
    """Revoke every token of a clinic; return how many were live."""
    with write_transaction(engine) as conn:
        result = conn.execute(
            update(devices)
            .where(and_(devices.c.site_id == clinic_id, devices.c.revoked.is_(False)))
            .values(revoked=True)
        )
    return int(result.rowcount or 0)


# --- push and pull --------------------------------------------------------------------


def _check_change(site_id: str, change: Change) -> None:
    if change.kind in MASTER_KINDS:
        raise CentralError(403, "kind_refused", f"a clinic may not send {change.kind} records")
    if change.kind not in CLINIC_KINDS:
        raise CentralError(422, "unknown_kind", f"unknown record kind {change.kind!r}")
    if not change.id or len(change.id) > 64 or change.payload.get("id") != change.id:
        raise CentralError(422, "invalid_request", "a change's id and its payload's id differ")
    owner = change.payload.get("site_id", site_id)
    if owner != site_id:
        raise CentralError(403, "site_refused", "a record belongs to another clinic")


def push_changes(engine: Engine, site_id: str, batch_id: str, changes: Sequence[Change]) -> int:
    """Apply one batch from a clinic, all or nothing; return the highest outbox seq now held.

    Idempotent twice over: a batch id already applied is answered from
    ``push_batches`` without touching anything, and a record already stored
    with the same payload gets no new change sequence.
    """
    batch_id = _check_text(batch_id, "batch_id", 64)
    if len(changes) > MAX_BATCH_CHANGES:
        raise CentralError(413, "batch_too_large", f"at most {MAX_BATCH_CHANGES} changes")
    for change in changes:
        _check_change(site_id, change)
    acked_seq = max((change.seq for change in changes), default=0)
    now = utc_now()
    with write_transaction(engine) as conn:
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
        for change in changes:
            payload = canonical_json(change.payload)
            stored = conn.execute(
                select(records.c.site_id, records.c.payload).where(
                    and_(records.c.kind == change.kind, records.c.id == change.id)
                )
            ).first()
            if stored is not None and stored.site_id != site_id:
                raise CentralError(403, "site_refused", "a record belongs to another clinic")
            if stored is not None and stored.payload == payload:
                continue
            seq += 1
            if stored is None:
                conn.execute(
                    records.insert().values(
                        kind=change.kind,
                        id=change.id,
                        site_id=site_id,
                        payload=payload,
                        change_seq=seq,
                        received_at=now,
                    )
                )
            else:
                conn.execute(
                    update(records)
                    .where(and_(records.c.kind == change.kind, records.c.id == change.id))
                    .values(payload=payload, change_seq=seq, received_at=now)
                )
        _store_change_counter(conn, seq)
        conn.execute(
            push_batches.insert().values(
                batch_id=batch_id, site_id=site_id, acked_seq=acked_seq, received_at=now
            )
        )
    return acked_seq


def pull_changes(engine: Engine, site_id: str, after: int, limit: int) -> PullPage:
    """The master data changed after ``after``, oldest first, at most ``limit`` of them.

    ``site_id`` is the asking clinic; other clinics' records are never
    returned (its own and shared patients come in a later issue).
    """
    if after < 0 or not 1 <= limit <= MAX_PULL_LIMIT:
        raise CentralError(422, "invalid_request", f"after >= 0 and 1 <= limit <= {MAX_PULL_LIMIT}")
    with read_transaction(engine) as conn:
        rows = conn.execute(
            select(records.c.change_seq, records.c.kind, records.c.id, records.c.payload)
            .where(and_(records.c.site_id.is_(None), records.c.change_seq > after))
            .order_by(records.c.change_seq)
            .limit(limit + 1)
        ).all()
    more = len(rows) > limit
    page = [
        Change(int(row.change_seq), row.kind, row.id, json.loads(row.payload))
        for row in rows[:limit]
    ]
    return PullPage(page, page[-1].seq if page else after, more)


# --- master data ------------------------------------------------------------------------


def normalise_gtin(text: str) -> str:
    """A GTIN-8/12/13/14 as the 14 digits the clinics store; refuse a wrong check digit."""
    digits = text.strip()
    if not digits.isdigit() or len(digits) not in (8, 12, 13, 14):
        raise ValueError(f"not a GTIN: {text!r}")
    digits = digits.zfill(14)
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    if (10 - total % 10) % 10 != check:
        raise ValueError(f"wrong GTIN check digit: {text!r}")
    return digits


def read_catalogue(path: Path) -> list[dict[str, Any]]:
    """Parse the drug catalogue TSV into catalogue_item payloads (without ``updated_at``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        header = tuple(next(reader, ()))
        if header != CATALOGUE_HEADER:
            raise ValueError(f"{path}: the header must be {' '.join(CATALOGUE_HEADER)}")
        items: list[dict[str, Any]] = []
        for line_no, fields in enumerate(reader, start=2):
            if not any(field.strip() for field in fields):
                continue
            if len(fields) != len(CATALOGUE_HEADER):
                raise ValueError(f"{path}:{line_no}: expected {len(CATALOGUE_HEADER)} columns")
            gtin_text, name, form, strength, atc, unit, reorder = (f.strip() for f in fields)
            try:
                gtin = normalise_gtin(gtin_text)
                reorder_level = int(reorder or 0)
            except ValueError as exc:
                raise ValueError(f"{path}:{line_no}: {exc}") from exc
            items.append(
                {
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
            )
    return items


def seed_catalogue(engine: Engine, path: Path) -> int:
    """Load the drug catalogue as master data; return how many items are new or changed.

    An item whose fields did not change keeps its payload and its change
    sequence, so seeding the same file again sends nothing to the clinics.
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
            payload = canonical_json({**item, "updated_at": now.isoformat(timespec="microseconds")})
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
