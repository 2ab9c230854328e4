"""Patient consent at central: which decision is in force, and whom it hides a patient from.

A clinic sends each consent decision as a ``patient_consent`` record
(``clinic_app.security.consent``): one record per decision, never changed,
carrying the hybrid-logical-clock ``version`` it was recorded with. The
decision *in force* for a patient is the one with the latest version
(``''``, from before versions, is older than any; ties, which only those can
have, go to the later ``recorded_at``, then the larger id). Decisions may come
from the patient's clinic or from a clinic linked to the patient, in any
order: the version orders them, not their arrival nor the wall clocks.

Rule central keeps: a patient whose decision in force says "not shared with
other clinics" — or "not shared with central", a withdrawal sent after central
already held the patient — is never served to another clinic, not even through
a confirmed link (:func:`patients_hidden_from_other_clinics`, used by the pull
filter ``central.services._patients_seen_by``), and is not offered as a likely
duplicate nor linked (``central.duplicates``). Their own clinic still gets
everything about them. A patient with no decision at central follows the
links alone, as before consent travelled.

The decisions live in ``records`` (kind ``patient_consent``) as JSON payloads;
the pull filter reads the two answers and the version out of the JSON with
:class:`payload_field` (SQLite ``json_extract``, PostgreSQL ``->>``). No table
of its own: the decisions are few (only patients who made one), and the
payload is the one source of truth.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, literal_column, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Text

from central.db import records

CONSENT_KIND = "patient_consent"


class payload_field(FunctionElement[str]):  # noqa: N801 - an SQL function, named as one
    """``payload_field(column, "name")``: a top-level field of a JSON text column, as text.

    JSON numbers come out as their text (``"0"``), ``false``/``true`` as ``"0"``/``"1"``
    on SQLite and ``"false"``/``"true"`` on PostgreSQL: compare with :func:`_says_no`.
    """

    type = Text()
    name = "payload_field"
    inherit_cache = True

    def __init__(self, column: Any, field: str) -> None:
        if not field.isidentifier():
            raise ValueError("a payload field name is an identifier")
        # The name is a literal clause (not a Python attribute): it is part of the cache key.
        super().__init__(column, literal_column(f"'{field}'"))


@compiles(payload_field)
def _payload_field_sqlite(element: payload_field, compiler: SQLCompiler, **kw: Any) -> str:
    column, field = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(json_extract({column}, '$.' || {field}) AS TEXT)"


@compiles(payload_field, "postgresql")
def _payload_field_postgresql(element: payload_field, compiler: SQLCompiler, **kw: Any) -> str:
    column, field = (compiler.process(clause, **kw) for clause in element.clauses)
    # "C" collation: versions compare byte by byte, as they do in Python and SQLite.
    return f'(CAST({column} AS JSON) ->> {field}) COLLATE "C"'


def _says_no(value: Any) -> Any:
    return value.in_(["0", "false"])


def patients_hidden_from_other_clinics() -> Any:
    """A subquery of the patient ids whose decision in force withholds them from other clinics."""
    decision = records.alias("decision")
    later = records.alias("later_decision")
    version, later_version = (
        payload_field(decision.c.payload, "version"),
        payload_field(later.c.payload, "version"),
    )
    recorded, later_recorded = (
        payload_field(decision.c.payload, "recorded_at"),
        payload_field(later.c.payload, "recorded_at"),
    )
    superseded = exists().where(
        and_(
            later.c.kind == CONSENT_KIND,
            later.c.patient_id == decision.c.patient_id,
            or_(
                later_version > version,
                and_(
                    later_version == version,
                    or_(
                        later_recorded > recorded,
                        and_(later_recorded == recorded, later.c.id > decision.c.id),
                    ),
                ),
            ),
        )
    )
    return select(decision.c.patient_id).where(
        and_(
            decision.c.kind == CONSENT_KIND,
            decision.c.patient_id.is_not(None),
            or_(
                _says_no(payload_field(decision.c.payload, "share_with_clinics")),
                _says_no(payload_field(decision.c.payload, "share_with_central")),
            ),
            ~superseded,
        )
    )


@dataclass(frozen=True)
class ConsentInForce:
    patient_id: str
    share_with_central: bool
    share_with_clinics: bool
    recorded_by: str
    recorded_at: str
    version: str
    site_id: str  # the clinic where it was recorded

    @property
    def hidden_from_other_clinics(self) -> bool:
        return not (self.share_with_central and self.share_with_clinics)


def _order(payload: Mapping[str, Any]) -> tuple[str, str, str]:
    return (
        str(payload.get("version") or ""),
        str(payload.get("recorded_at") or ""),
        str(payload.get("id") or ""),
    )


def consents_in_force(conn: Connection, patient_ids: Iterable[str]) -> dict[str, ConsentInForce]:
    """The decision in force for each of these patients that has one at central.

    The same rule as :func:`patients_hidden_from_other_clinics`, in Python.
    """
    wanted = sorted(set(patient_ids))
    latest: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        rows = conn.execute(
            select(records.c.payload).where(
                and_(
                    records.c.kind == CONSENT_KIND,
                    records.c.patient_id.in_(wanted[start : start + 500]),
                )
            )
        ).all()
        for row in rows:
            payload = json.loads(row.payload)
            patient_id = str(payload.get("patient_id") or "")
            if patient_id not in latest or _order(payload) > _order(latest[patient_id]):
                latest[patient_id] = payload
    return {
        patient_id: ConsentInForce(
            patient_id=patient_id,
            share_with_central=bool(payload.get("share_with_central")),
            share_with_clinics=bool(payload.get("share_with_clinics")),
            recorded_by=str(payload.get("author_id") or ""),
            recorded_at=str(payload.get("recorded_at") or ""),
            version=str(payload.get("version") or ""),
            site_id=str(payload.get("site_id") or ""),
        )
        for patient_id, payload in latest.items()
    }


def hidden_from_other_clinics(conn: Connection, patient_ids: Iterable[str]) -> set[str]:
    """Which of these patients their decision in force withholds from other clinics."""
    return {
        patient_id
        for patient_id, consent in consents_in_force(conn, patient_ids).items()
        if consent.hidden_from_other_clinics
    }
