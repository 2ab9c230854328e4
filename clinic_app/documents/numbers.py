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


RESTORE_NUMBER_GAP = 1000
"""How far numbers jump after a restore, at least: more documents of a kind than a busy
clinic issues in the days a backup may be old (the window reminds after one)."""


def skip_numbers(tx: Tx, *, minutes_since_backup: int = 0) -> None:
    """Move every counter, this year's included, on past what was issued since the backup.

    ``RESTORE_NUMBER_GAP`` plus one number per minute since the backup was taken:
    the same backup restored twice (a first attempt, then another laptop) starts
    each restore's numbers further on the later it is made, so the two never meet
    unless the first issues more than a document a minute meanwhile.
    """
    from clinic_app.clock import clinic_zone, local_date, utc_now

    zone = clinic_zone(_setting(tx, "timezone") or "UTC")
    year = local_date(utc_now(), zone).year
    for kind in PREFIXES:
        tx.execute(
            "INSERT INTO document_counters (kind, year, last) VALUES (?, ?, 0) "
            "ON CONFLICT (kind, year) DO NOTHING",
            (kind, year),
        )
    gap = RESTORE_NUMBER_GAP + max(0, minutes_since_backup)
    tx.execute("UPDATE document_counters SET last = last + ?", (gap,))


_TABLES = {"prescription": "prescriptions", "sick_leave_certificate": "sick_leave_certificates"}


def _setting(tx: Tx, key: str) -> str | None:
    row = tx.one("SELECT value FROM settings WHERE key = ?", (key,))
    return str(row["value"]) if row is not None else None


def counters_past_numbers_held(tx: Tx) -> None:
    """Each counter at least the highest number of this clinic held (records pulled back)."""
    site_code = _setting(tx, "site_code") or ""
    for kind, table in _TABLES.items():
        prefix = f"{PREFIXES[kind]}-{site_code}-"
        rows = tx.all(
            f"SELECT number FROM {table} WHERE substr(number, 1, ?) = ?", (len(prefix), prefix)
        )
        highest: dict[int, int] = {}
        for row in rows:
            year_text, _, serial = str(row["number"])[len(prefix) :].partition("-")
            if year_text.isdigit() and serial.isdigit():
                year = int(year_text)
                highest[year] = max(highest.get(year, 0), int(serial))
        for year, last in highest.items():
            tx.execute(
                "INSERT INTO document_counters (kind, year, last) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, year) DO UPDATE SET last = max(last, excluded.last)",
                (kind, year, last),
            )
