"""Patients seen at two clinics: likely duplicates across clinics, and confirmed links.

Central never merges or deletes a patient. It *suggests* pairs of patient
records held by two different clinics that are probably one person, and a
central operator *confirms* a pair; the confirmation is a row of
``patient_links`` (both (clinic, patient id) pairs, who confirmed, when).

A likely duplicate is a pair from two clinics with

* the same national number: the compact key ``national_id_key`` of the
  patient payload when there is one, else ``national_id`` with spaces, dashes
  and other separators removed, upper-cased ("CI 0012-3456" = "ci00123456"); or
* the same folded names (accents, case and word order ignored: "Koné Awa" =
  "awa kone"), the same birth date and the same sex. Without a birth date
  names alone are too weak (many people share a name) and are not suggested.

Pairs already linked are not suggested again, nor is a patient whose consent
in force withholds them from other clinics (``central.consent``): such a pair
is left out of the list, and confirming it is refused (409
``consent_withheld``) — a link would serve nothing anyway. The list is computed on demand
from the patients central holds (one pass, grouped in memory): fine for the
tens of thousands of patients of a region; a national registry would want the
keys as indexed columns.

A confirmed link reaches both clinics: ``services.link_patients`` re-stamps
both patients' records so each clinic pulls the other's copy, and the link
itself is served to the two clinics (and only them) by :func:`links_for_site`
(``GET /api/v1/patient-links``), which the clinic stores in its own
``patient_links`` table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, or_, select

from central.consent import hidden_from_other_clinics
from central.db import patient_links, records, sites
from central.protocol import MAX_PULL_LIMIT
from central.services import (
    CentralError,
    Change,
    PullPage,
    _check_int,
    is_uuid_text,
    link_patients,
    read_transaction,
)
from clinic_app.records.search import tokens

REASON_NATIONAL_ID = "national_id"
REASON_NAME_BIRTH = "name_birth_sex"
REASON_OPERATOR = "operator"
LINK_KIND = "patient_link"


@dataclass(frozen=True)
class PatientRef:
    site_id: str
    site_code: str
    patient_id: str
    name: str
    birth_date: str | None


@dataclass(frozen=True)
class DuplicateCandidate:
    a: PatientRef
    b: PatientRef
    reason: str


def national_key(payload: dict[str, Any]) -> str:
    """The compact national number of a patient payload, or "" when it has none."""
    key = payload.get("national_id_key")
    if not isinstance(key, str) or not key:
        key = payload.get("national_id")
    if not isinstance(key, str):
        return ""
    return "".join(ch for ch in key if ch.isalnum()).upper()


def name_key(payload: dict[str, Any]) -> str:
    """Folded names, birth date and sex; "" when the birth date is unknown."""
    birth = payload.get("birth_date")
    if not isinstance(birth, str) or not birth:
        return ""
    words = tokens(f"{payload.get('given_name') or ''} {payload.get('family_name') or ''}")
    if not words:
        return ""
    return f"{' '.join(sorted(words))}|{birth}|{payload.get('sex') or ''}"


def _pair_key(a: PatientRef, b: PatientRef) -> tuple[str, str]:
    return (
        (a.patient_id, b.patient_id)
        if a.patient_id < b.patient_id
        else (b.patient_id, a.patient_id)
    )


def _linked_pairs(conn: Any) -> set[tuple[str, str]]:
    rows = conn.execute(select(patient_links.c.patient_a, patient_links.c.patient_b)).all()
    return {(min(a, b), max(a, b)) for a, b in rows}


def find_duplicates(engine: Engine) -> list[DuplicateCandidate]:
    """Likely duplicates across clinics, national-number matches first; linked pairs left out."""
    with read_transaction(engine) as conn:
        codes = {
            row[0]: row[1] for row in conn.execute(select(sites.c.clinic_id, sites.c.site_code))
        }
        rows = conn.execute(
            select(records.c.site_id, records.c.id, records.c.payload).where(
                and_(records.c.kind == "patient", records.c.site_id.is_not(None))
            )
        ).all()
        linked = _linked_pairs(conn)
        hidden = hidden_from_other_clinics(conn, [row.id for row in rows])
    by_national: dict[str, list[PatientRef]] = defaultdict(list)
    by_name: dict[str, list[PatientRef]] = defaultdict(list)
    for row in rows:
        if row.id in hidden:
            continue  # the patient said no to other clinics: never offered for linking
        payload = json.loads(row.payload)
        ref = PatientRef(
            site_id=row.site_id,
            site_code=codes.get(row.site_id, "?"),
            patient_id=row.id,
            name=f"{payload.get('family_name', '')} {payload.get('given_name', '')}".strip(),
            birth_date=payload.get("birth_date"),
        )
        if key := national_key(payload):
            by_national[key].append(ref)
        if key := name_key(payload):
            by_name[key].append(ref)
    found: list[DuplicateCandidate] = []
    seen: set[tuple[str, str]] = set(linked)
    for groups, reason in ((by_national, REASON_NATIONAL_ID), (by_name, REASON_NAME_BIRTH)):
        for key in sorted(groups):
            group = sorted(groups[key], key=lambda ref: (ref.site_code, ref.patient_id))
            for i, first in enumerate(group):
                for second in group[i + 1 :]:
                    pair = _pair_key(first, second)
                    if first.site_id == second.site_id or pair in seen:
                        continue  # one clinic's own duplicates are the clinic's to settle
                    seen.add(pair)
                    found.append(DuplicateCandidate(first, second, reason))
    return found


def _reason_for(engine: Engine, patient_a: str, patient_b: str) -> str:
    for candidate in find_duplicates(engine):
        if {candidate.a.patient_id, candidate.b.patient_id} == {patient_a, patient_b}:
            return candidate.reason
    return REASON_OPERATOR


def confirm_link(engine: Engine, patient_a: str, patient_b: str, operator: str) -> tuple[str, bool]:
    """Confirm that two clinics' patient records are one person; return (link id, new?).

    Idempotent: an existing link between the two (in either order) is returned
    unchanged. Refused: an id that is not a patient central holds, and two
    records of the same clinic (a clinic settles its own duplicates).
    """
    for value in (patient_a, patient_b):
        if not is_uuid_text(value):
            raise CentralError(422, "invalid_request", "a patient id is a UUID")
    if patient_a == patient_b:
        raise CentralError(422, "invalid_request", "a patient cannot be linked to itself")
    with read_transaction(engine) as conn:
        hidden = hidden_from_other_clinics(conn, [patient_a, patient_b])
        existing = conn.execute(
            select(patient_links.c.id).where(
                or_(
                    and_(
                        patient_links.c.patient_a == patient_a,
                        patient_links.c.patient_b == patient_b,
                    ),
                    and_(
                        patient_links.c.patient_a == patient_b,
                        patient_links.c.patient_b == patient_a,
                    ),
                )
            )
        ).scalar_one_or_none()
        owners = {
            row[0]: row[1]
            for row in conn.execute(
                select(records.c.id, records.c.site_id).where(
                    and_(records.c.kind == "patient", records.c.id.in_([patient_a, patient_b]))
                )
            )
        }
    if hidden:
        raise CentralError(
            409,
            "consent_withheld",
            f"patient {sorted(hidden)[0]} does not share their records with other clinics "
            "(their consent, recorded at their clinic); they cannot be linked",
        )
    if existing is not None:
        return str(existing), False
    missing = [value for value in (patient_a, patient_b) if value not in owners]
    if missing:
        raise CentralError(404, "unknown_patient", f"central holds no patient {missing[0]}")
    if owners[patient_a] == owners[patient_b]:
        raise CentralError(
            409,
            "same_clinic",
            "both records belong to the same clinic; that clinic settles its own duplicates",
        )
    reason = _reason_for(engine, patient_a, patient_b)
    return link_patients(engine, patient_a, patient_b, operator, reason), True


def link_payload(row: Any) -> dict[str, Any]:
    confirmed: datetime = row.confirmed_at
    return {
        "id": row.id,
        "site_a": row.site_a,
        "patient_a": row.patient_a,
        "site_b": row.site_b,
        "patient_b": row.patient_b,
        "reason": row.reason,
        "confirmed_by": row.confirmed_by,
        "confirmed_at": confirmed.isoformat(timespec="microseconds"),
    }


def links_for_site(engine: Engine, site_id: str, after: int, limit: int) -> PullPage:
    """The links that involve ``site_id`` confirmed after ``after`` (its links cursor)."""
    after = _check_int(after, "after")
    limit = _check_int(limit, "limit", 1, MAX_PULL_LIMIT)
    with read_transaction(engine) as conn:
        rows = conn.execute(
            select(patient_links)
            .where(
                and_(
                    or_(patient_links.c.site_a == site_id, patient_links.c.site_b == site_id),
                    patient_links.c.change_seq > after,
                )
            )
            .order_by(patient_links.c.change_seq)
            .limit(limit + 1)
        ).all()
    page = [
        Change(int(row.change_seq), LINK_KIND, row.id, link_payload(row)) for row in rows[:limit]
    ]
    return PullPage(page, page[-1].seq if page else after, len(rows) > limit)


def check_operator(engine: Engine, username: str, password: str) -> str:
    """The operator's name if the password is right; 401 otherwise (same cost either way)."""
    from central.services import _operator_password_ok, check_operator_name

    with read_transaction(engine) as conn:
        if not _operator_password_ok(conn, username, password):
            raise CentralError(401, "operator_refused", "wrong operator name or password")
    return check_operator_name(username)


def candidate_json(candidate: DuplicateCandidate) -> dict[str, Any]:
    def ref(patient: PatientRef) -> dict[str, Any]:
        return {
            "site_id": patient.site_id,
            "site_code": patient.site_code,
            "patient_id": patient.patient_id,
            "name": patient.name,
            "birth_date": patient.birth_date,
        }

    return {"a": ref(candidate.a), "b": ref(candidate.b), "reason": candidate.reason}
