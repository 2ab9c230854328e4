"""Finding the patient for an emergency opening, for roles that may not search patients.

A storekeeper or the admin has no ``SEARCH_PATIENTS``; in an emergency they
still must find the chart before ``emergency.open_chart_in_emergency`` opens
it. The search is allowed only with the same typed reason the opening needs,
returns at most a few patients, and is audited (the count, never the query).
"""

from __future__ import annotations

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.records.patients import Patient
from clinic_app.records.search import query_tokens, token_clause
from clinic_app.security.emergency import MIN_REASON_LENGTH
from clinic_app.security.permissions import Action
from clinic_app.session import Session

MAX_EMERGENCY_RESULTS = 20


def find_patients_in_emergency(
    session: Session, query: str, reason: str, *, limit: int = MAX_EMERGENCY_RESULTS
) -> list[Patient]:
    """Patients matching every word of ``query``; needs ``EMERGENCY_ACCESS`` and a reason."""
    session.require(Action.EMERGENCY_ACCESS)
    if len(" ".join(reason.split())) < MIN_REASON_LENGTH:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "Type why you must open this chart in an emergency (at least {n} characters). "
                "The clinic admin reviews every emergency access.",
            ),
            field="reason",
            n=MIN_REASON_LENGTH,
        )
    words = query_tokens(query)
    if not words:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Type the patient's name or national number."),
            field="query",
        )
    limit = max(1, min(limit, MAX_EMERGENCY_RESULTS))
    rows = session.store.all(
        "SELECT * FROM patients WHERE "
        + token_clause("search_key", len(words))
        + " ORDER BY family_name, given_name LIMIT ?",
        (*words, limit),
    )
    session.audit_read("emergency_search", object_kind="patient_search", object_id=str(len(rows)))
    return [Patient.from_row(row) for row in rows]
