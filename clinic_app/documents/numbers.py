"""Unique document numbers: ``<PREFIX>-<SITE>-<YEAR>-<000001>``.

The site code keeps numbers unique across clinics without asking central; the
counter lives in the clinic database and moves inside the transaction that
writes the document, so a rolled-back document leaves no gap-free promise
broken and no number is ever used twice.
"""

from __future__ import annotations

from clinic_app.storage.store import Tx

PREFIXES = {"prescription": "ORD", "sick_leave_certificate": "AT"}


def next_document_number(tx: Tx, kind: str, site_code: str, year: int) -> str:
    tx.execute(
        "INSERT INTO document_counters (kind, year, last) VALUES (?, ?, 1) "
        "ON CONFLICT (kind, year) DO UPDATE SET last = last + 1",
        (kind, year),
    )
    row = tx.one("SELECT last FROM document_counters WHERE kind = ? AND year = ?", (kind, year))
    assert row is not None
    return f"{PREFIXES[kind]}-{site_code}-{year}-{int(row['last']):06d}"
