"""Patient links on the clinic: one person seen here and at another clinic.

A central operator confirms the link (``central.duplicates``); the clinic
receives it from ``GET /api/v1/patient-links`` (its own cursor, only links
that involve this clinic) or in a hand-carried answer, and keeps it in
``patient_links``. Links are never deleted here. The linked patient's
records themselves arrive by the ordinary pull.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from clinic_app.session import Session
from clinic_app.storage.store import Store, Tx
from clinic_app.sync.errors import NotEnrolled, ServerAnswerInvalid

LINKS_CURSOR = "patient_links_cursor"
LINK_FIELDS = (
    "id",
    "site_a",
    "patient_a",
    "site_b",
    "patient_b",
    "reason",
    "confirmed_by",
    "confirmed_at",
)
PAGE_SIZE = 500


def links_cursor(store: Store | Tx) -> int:
    row = store.one("SELECT value FROM sync_state WHERE key = ?", (LINKS_CURSOR,))
    return int(row["value"]) if row is not None else 0


def apply_links(tx: Tx, links: Iterable[Mapping[str, Any]], last_seq: int) -> int:
    """Store links from central (``{seq, payload}``) after the cursor; move it. Idempotent."""
    current = links_cursor(tx)
    applied = 0
    for link in links:
        payload = link.get("payload")
        seq = link.get("seq")
        if not isinstance(payload, Mapping) or not isinstance(seq, int):
            raise ServerAnswerInvalid(detail="patient link of the wrong shape")
        if seq <= current:
            continue
        if not all(isinstance(payload.get(name), str) for name in LINK_FIELDS):
            raise ServerAnswerInvalid(detail="patient link of the wrong shape")
        cursor = tx.execute(
            f"INSERT INTO patient_links ({', '.join(LINK_FIELDS)}) "
            f"VALUES ({', '.join('?' * len(LINK_FIELDS))}) ON CONFLICT (id) DO NOTHING",
            tuple(payload[name] for name in LINK_FIELDS),
        )
        applied += int(cursor.rowcount or 0)
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (LINKS_CURSOR, str(max(current, last_seq))),
    )
    return applied


def pull_patient_links(session: Session, *, timeout: tuple[float, float] | None = None) -> int:
    """Fetch the links confirmed since the last time; return how many are new here.

    Meant to run after ``sync_now`` (same permission, same enrolment).
    """
    from clinic_app.security.permissions import Action
    from clinic_app.sync.client import DEFAULT_TIMEOUT, CentralClient, _read_pull_page
    from clinic_app.sync.service import DEVICE_TOKEN, SERVER_URL, read_sync_state

    session.require(Action.SYNC)
    state = read_sync_state(session.store)
    token, url = state.get(DEVICE_TOKEN), state.get(SERVER_URL)
    if not token or not url:
        raise NotEnrolled()
    applied = 0
    with CentralClient(url, token, timeout=timeout or DEFAULT_TIMEOUT) as client:
        while True:
            after = links_cursor(session.store)
            answer = client._call(
                "GET", "/patient-links", params={"after": after, "limit": PAGE_SIZE}
            )
            page = _read_pull_page(answer, after)
            with session.transaction() as tx:
                applied += apply_links(
                    tx, ({"seq": c.seq, "payload": c.payload} for c in page.changes), page.last_seq
                )
            if not page.more or not page.changes:
                return applied


def linked_patients(store: Store, patient_id: str) -> list[dict[str, str]]:
    """The other clinics' records linked to ``patient_id``: ``{site_id, patient_id, reason}``."""
    rows: list[Any] = store.all(
        "SELECT site_b AS site_id, patient_b AS patient_id, reason FROM patient_links "
        "WHERE patient_a = ? UNION "
        "SELECT site_a, patient_a, reason FROM patient_links WHERE patient_b = ?",
        (patient_id, patient_id),
    )
    return [
        {"site_id": row["site_id"], "patient_id": row["patient_id"], "reason": row["reason"]}
        for row in rows
    ]
