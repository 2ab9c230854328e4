"""The audit trail: append-only, hash-chained, identifiers only.

Every entry says who (user id and roles), did what (action), to which object
and which patient (ids only — never a name, a query or clinical text), when
(UTC), with what outcome, from which workstation. Entries are numbered
(``seq``) and each carries ``hash = SHA-256(prev_hash | canonical fields)``,
starting from a genesis value bound to the clinic id. The database refuses
UPDATE and DELETE on the table (triggers), and ``verify_audit_chain`` names
the first entry whose content, order or link does not hold.

What a chain can and cannot show: someone holding the database key can drop
the triggers and rewrite every hash after an edit. Against that, the trail
travels to central (kind ``audit_entry``, docs/sync.md, copied into the
outbox by :func:`queue_audit_for_central`), where ``clinic-central audit
verify`` checks the copy: a rewritten trail no longer matches what central
already holds. Here the chain shows any edit made by a tool that did not
recompute it, and pins the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from clinic_app.security.audit_chain import CHAINED_FIELDS, chain_hash, genesis_hash
from clinic_app.storage.store import Store, Tx

if TYPE_CHECKING:
    from clinic_app.session import Session


def append_audit(tx: Tx, clinic_id: str, entry: dict[str, Any]) -> dict[str, Any]:
    """Add ``entry`` at the end of the chain, inside the caller's transaction.

    The caller's ``BEGIN IMMEDIATE`` serialises writers, so reading the last
    link and writing the next one cannot interleave with another writer.
    """
    last = tx.one("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    seq = int(last["seq"]) + 1 if last is not None else 1
    prev = str(last["hash"]) if last is not None else genesis_hash(clinic_id)
    row = {**entry, "seq": seq, "site_id": clinic_id, "detail": entry.get("detail", "")}
    row["prev_hash"] = prev
    row["hash"] = chain_hash(prev, row)
    tx.execute(_INSERT, [row.get(name) for name in _STORED_FIELDS])
    return row


# Every click appends one entry: the statement is built once.
_STORED_FIELDS = (*CHAINED_FIELDS, "prev_hash", "hash")
_INSERT = (
    f"INSERT INTO audit_events ({', '.join(_STORED_FIELDS)}) "
    f"VALUES ({', '.join('?' for _ in _STORED_FIELDS)})"
)

# sync_state key: the last audit entry copied into the outbox for central.
AUDIT_QUEUED_STATE = "audit_queued_seq"

# Every stored column travels: central recomputes each hash and checks each link.
_QUEUE_FOR_CENTRAL = (
    "INSERT INTO outbox (kind, record_id, payload, created_at) "
    "SELECT 'audit_entry', id, json_object("
    + ", ".join(f"'{name}', {name}" for name in _STORED_FIELDS)
    + "), occurred_at FROM audit_events WHERE seq > ? AND seq <= ? ORDER BY seq"
)


def queue_audit_for_central(tx: Tx) -> int:
    """Copy the entries written since the last copy into the outbox; return how many.

    Not one outbox row per entry as it is written: every click appends an entry,
    and the trail's cost is budgeted (``benchmarks/bench_audit.py``). The trail is
    append-only and numbered without gaps, so its own ``seq`` is the cursor
    (``sync_state`` :data:`AUDIT_QUEUED_STATE`), moved in the same transaction as
    the copy: nothing is lost after a power cut, nothing is copied twice. Called
    by every reader of the outbox for sending (``sort_outbox_by_consent``).
    """
    cursor = tx.one("SELECT value FROM sync_state WHERE key = ?", (AUDIT_QUEUED_STATE,))
    after = int(cursor["value"]) if cursor is not None else 0
    last = tx.one("SELECT max(seq) AS seq FROM audit_events")
    upto = int(last["seq"]) if last is not None and last["seq"] is not None else 0
    if upto <= after:
        return 0
    tx.execute(_QUEUE_FOR_CENTRAL, (after, upto))
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (AUDIT_QUEUED_STATE, str(upto)),
    )
    return upto - after


@dataclass(frozen=True)
class AuditCheck:
    entries: int
    first_broken_seq: int | None  # None: the whole chain holds
    reason: str  # "" when intact; else what broke at that entry

    @property
    def intact(self) -> bool:
        return self.first_broken_seq is None


ANCHOR_SETTING = "audit_anchor"
PROTECTING_TRIGGERS = ("audit_events_no_update", "audit_events_no_delete")


def anchor_audit_chain(tx: Tx) -> None:
    """Remember the chain's last entry (``seq:hash``) in the settings.

    Written at each login and logout: entries deleted from the end of the
    trail (which leaves every remaining link intact) then show as missing up
    to the anchor. Someone holding the key can rewrite the anchor too; the
    copy of the trail central receives is the anchor that person cannot reach.
    """
    anchored = tx.one("SELECT value FROM settings WHERE key = ?", (ANCHOR_SETTING,))
    if anchored is not None:
        seq, _, digest = str(anchored["value"]).partition(":")
        row = tx.one("SELECT hash FROM audit_events WHERE seq = ?", (int(seq or 0),))
        if row is None or row["hash"] != digest:
            return  # the trail lost or changed anchored entries: keep the evidence
    last = tx.one("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
    if last is not None:
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (ANCHOR_SETTING, f"{last['seq']}:{last['hash']}"),
        )


def verify_audit_chain(store: Store) -> AuditCheck:
    """Walk the chain from the start; stop at the first entry that does not hold.

    Also checks that the chain reaches the last anchored entry (see
    ``anchor_audit_chain``) and that the append-only triggers are still there.
    """
    clinic_id = store.setting("clinic_id") or ""
    triggers = {
        row["name"] for row in store.all("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    unprotected = not set(PROTECTING_TRIGGERS) <= triggers
    also = "; the append-only protection was removed too" if unprotected else ""
    anchor_seq, anchor_hash = _anchor(store)
    prev = genesis_hash(clinic_id)
    expected_seq = 1
    count = 0
    for row in store.connection().execute("SELECT * FROM audit_events ORDER BY seq"):
        count += 1
        entry = dict(row)
        seq = int(entry["seq"])
        if seq != expected_seq:
            return AuditCheck(count, expected_seq, "missing entry" + also)
        if entry["prev_hash"] != prev:
            return AuditCheck(count, seq, "broken link to the previous entry" + also)
        if chain_hash(prev, entry) != entry["hash"] or (
            seq == anchor_seq and entry["hash"] != anchor_hash
        ):
            return AuditCheck(count, seq, "content changed" + also)
        prev = entry["hash"]
        expected_seq += 1
    if anchor_seq >= expected_seq:
        return AuditCheck(count, expected_seq, "missing entry" + also)
    if unprotected:
        return AuditCheck(count, expected_seq, "the append-only protection was removed")
    return AuditCheck(count, None, "")


def _anchor(store: Store) -> tuple[int, str]:
    text = store.setting(ANCHOR_SETTING) or "0:"
    seq, _, digest = text.partition(":")
    return (int(seq) if seq.isdigit() else 0), digest


def rechain_existing(conn: Any, clinic_id: str) -> None:
    """Migration 1 -> 2: copy the entries written before the chain existed into
    ``audit_log``, numbered in the order they were written, and hash them."""
    prev = genesis_hash(clinic_id)
    rows = conn.execute("SELECT * FROM audit_events ORDER BY rowid").fetchall()
    for seq, row in enumerate(rows, start=1):
        entry = {**dict(row), "seq": seq, "site_id": clinic_id, "detail": ""}
        entry["prev_hash"] = prev
        entry["hash"] = prev = chain_hash(prev, entry)
        columns = ", ".join(entry)
        marks = ", ".join("?" for _ in entry)
        conn.execute(f"INSERT INTO audit_log ({columns}) VALUES ({marks})", tuple(entry.values()))


# --- reading the trail -----------------------------------------------------------
#
# Who may read what: the whole trail (any patient, any user, any dates) is for
# the clinic admin (``Action.VIEW_AUDIT``). "Who opened this record?" answers
# for one patient and shows only staff names, roles, times and workstations —
# nothing a person who may open that chart could not already see — so besides
# the admin, anyone who may open charts (``Action.OPEN_CHART``: nurses, doctors)
# may ask it. Both reads are themselves audited.

# Actions that show a chart to someone: a normal opening, or "break the glass".
CHART_OPENING_ACTIONS = ("open_chart", "emergency_access")
AUDIT_LIMIT_MAX = 5000


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    occurred_at: str  # ISO-8601 UTC
    user_id: str
    username: str  # "" when the user is unknown here (e.g. a record from another clinic)
    user_name: str
    roles: str  # comma-separated role names, as they were at the time
    action: str
    object_kind: str
    object_id: str
    patient_id: str  # "" when the action was about no patient
    outcome: str
    workstation: str


@dataclass(frozen=True)
class ChartOpening:
    occurred_at: str  # ISO-8601 UTC
    user_id: str
    username: str
    user_name: str
    roles: str  # as they were at the time
    action: str  # one of CHART_OPENING_ACTIONS
    workstation: str

    @property
    def emergency(self) -> bool:
        return self.action == "emergency_access"


def short_id(record_id: str) -> str:
    """The record number people read aloud: the last 8 characters of the id.

    Ids are UUIDv7: their start is a timestamp (the same for records made in
    the same minute), their end is random, hence unique enough to find one.
    """
    return record_id[-8:] if record_id else ""


def _utc_start_of(day: date, zone: ZoneInfo) -> str:
    from clinic_app.clock import to_iso

    return to_iso(datetime.combine(day, time.min, tzinfo=zone))


def audit_entries(
    session: Session,
    *,
    patient_id: str | None = None,
    user_id: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """The newest entries first, filtered; ``since`` / ``until`` are the clinic's calendar days.

    ``patient_id`` is the full id or its short form (``short_id``). Days are
    the clinic's wall-clock days, both included. Requires ``Action.VIEW_AUDIT``;
    the reading is audited ("view_audit", with the filters' ids, never a name).
    """
    from clinic_app.security.permissions import Action

    session.require(Action.VIEW_AUDIT)
    session.flush_audit()  # reads queued a moment ago belong in what the admin sees
    clauses: list[str] = []
    params: list[Any] = []
    patient_key = (patient_id or "").strip().lower().lstrip("#")
    if patient_key:
        if len(patient_key) >= 32:
            clauses.append("a.patient_id = ?")
            params.append(patient_key)
        else:
            # The end of the id; substr (not LIKE) so that no typed character is a wildcard.
            clauses.append("substr(a.patient_id, -?) = ?")
            params += [len(patient_key), patient_key]
    if user_id:
        clauses.append("a.user_id = ?")
        params.append(user_id)
    zone = session.zone
    if since is not None:
        clauses.append("a.occurred_at >= ?")
        params.append(_utc_start_of(since, zone))
    if until is not None:
        clauses.append("a.occurred_at < ?")
        params.append(_utc_start_of(until + timedelta(days=1), zone))
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    limit = max(1, min(int(limit), AUDIT_LIMIT_MAX))
    rows = session.store.all(
        "SELECT a.*, u.username AS u_username, u.display_name AS u_name "
        "FROM audit_events a LEFT JOIN users u ON u.id = a.user_id "
        f"{where} ORDER BY a.seq DESC LIMIT ?",
        (*params, limit),
    )
    entries = [
        AuditEntry(
            seq=int(row["seq"]),
            occurred_at=row["occurred_at"],
            user_id=row["user_id"] or "",
            username=row["u_username"] or "",
            user_name=row["u_name"] or "",
            roles=row["roles"] or "",
            action=row["action"],
            object_kind=row["object_kind"] or "",
            object_id=row["object_id"] or "",
            patient_id=row["patient_id"] or "",
            outcome=row["outcome"] or "",
            workstation=row["workstation"] or "",
        )
        for row in rows
    ]
    full_patient_id = patient_key if len(patient_key) >= 32 else ""
    # The filters as ids (a short patient number goes to detail: the patient_id
    # column only ever holds a whole id), and how many entries were shown.
    session.audit_read(
        "view_audit",
        object_kind="audit_trail",
        object_id=user_id or "",
        patient_id=full_patient_id or None,
        detail=f"entries={len(entries)}"
        + (f";patient={patient_key}" if patient_key and not full_patient_id else ""),
    )
    return entries


def who_opened(session: Session, patient_id: str) -> list[ChartOpening]:
    """Every opening of this patient's chart, newest first (normal and emergency).

    Allowed to the admin (``VIEW_AUDIT``) and to whoever may open charts
    (``OPEN_CHART``); audited as "view_chart_openings".
    """
    from clinic_app.errors import PermissionDenied
    from clinic_app.security.permissions import ACTION_NAMES, Action

    actor = session.actor
    if not (actor.may(Action.VIEW_AUDIT) or actor.may(Action.OPEN_CHART)):
        raise PermissionDenied(action=ACTION_NAMES[Action.VIEW_AUDIT])
    session.flush_audit()
    marks = ",".join("?" for _ in CHART_OPENING_ACTIONS)
    rows = session.store.all(
        "SELECT a.*, u.username AS u_username, u.display_name AS u_name "
        "FROM audit_events a LEFT JOIN users u ON u.id = a.user_id "
        f"WHERE a.patient_id = ? AND a.action IN ({marks}) AND a.outcome = 'ok' "
        "ORDER BY a.seq DESC",
        (patient_id, *CHART_OPENING_ACTIONS),
    )
    openings = [
        ChartOpening(
            occurred_at=row["occurred_at"],
            user_id=row["user_id"] or "",
            username=row["u_username"] or "",
            user_name=row["u_name"] or "",
            roles=row["roles"] or "",
            action=row["action"],
            workstation=row["workstation"] or "",
        )
        for row in rows
    ]
    session.audit_read(
        "view_chart_openings", object_kind="patient", object_id=patient_id, patient_id=patient_id
    )
    return openings
