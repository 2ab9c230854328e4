"""Enrolling the clinic with central, and one sync: push the outbox, then pull.

Rules this module keeps:

* Push: the outbox goes out oldest first, one batch at a time (stop and
  wait), each cut by its compressed size to take about ``BATCH_SECONDS`` of
  link time at the pace the last batches were carried: long enough that the
  round trip is a small part of it, short enough that a cut link resends
  little. Each batch's id is derived from the clinic and the batch's content,
  so a batch re-sent after a lost answer is recognised by central and applied
  once. The rows of a batch leave the outbox in one transaction, only after
  central's acknowledgement: a failure in batch k keeps batches before k
  acknowledged and loses nothing.
* Pull: each page of central's changes is applied and the cursor advanced in
  the same transaction, so a page is either fully in or not at all.
* Consent (``clinic_app.security.consent``): the transaction that reads each
  batch first moves the changes of patients not shared with central out of
  the outbox (``outbox_held``) and brings back those of patients who consent
  again, so a withheld patient's record is never read for sending.
  ``pending_changes`` counts only what may be sent: "up to date" stays true
  while changes wait at the clinic by the patients' choice.
* Only one sync per clinic database runs at a time in this process; a second
  call raises ``SyncAlreadyRunning`` at once.
* Network calls happen outside database transactions: the window keeps
  writing while a batch is on the wire.
* The outcome (last success, last error) is kept in ``sync_state`` so the
  status survives a restart. The device token stays inside the encrypted
  database and is never logged.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from clinic_app.clock import from_iso, to_iso, utc_now
from clinic_app.errors import ClinicError, InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.security.consent import sendable_changes, sort_outbox_by_consent
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.keys import held_unless_busy
from clinic_app.storage.store import Store, Tx
from clinic_app.sync import hlc
from clinic_app.sync.client import API_PREFIX, DEFAULT_TIMEOUT, CentralClient
from clinic_app.sync.errors import (
    EnrolmentAnswerInvalid,
    EnrolmentRefused,
    EnrolmentUnreachable,
    NotEnrolled,
    ServerAnswerInvalid,
    ServerUnreachable,
    SyncAlreadyRunning,
)
from clinic_app.sync.hlc import wall_clock
from clinic_app.sync.kinds import apply_remote_change, versions_in
from clinic_app.sync.status import SyncMonitor

log = logging.getLogger(__name__)

# Hard caps on one batch, whatever the link: central refuses more than 1000 changes
# (central/protocol.py MAX_BATCH_CHANGES) and 32 MiB of JSON (central/api.py MAX_BODY).
# Neither should cut a batch on a slow link: the compressed target below does.
PUSH_MAX_CHANGES = 1000
PUSH_MAX_BYTES = 4 * 1024 * 1024  # uncompressed JSON read for one batch
PULL_PAGE_SIZE = 500
# The compressed size of a push batch adapts to the link, within these bounds, and is
# remembered in sync_state between syncs (a 2G clinic does not start big every morning).
# After each acknowledged batch it moves towards what the link carried in BATCH_SECONDS
# at that batch's pace (at most doubling); it is halved after a timeout or a cut link.
BATCH_BYTES_MIN = 4 * 1024
BATCH_BYTES_MAX = 256 * 1024
BATCH_BYTES_START = 32 * 1024
# Link time one batch should take. The 600 ms round trip of a 2G link is then under a
# tenth of a batch's time, and a cut link costs at most this much sent again (the
# batch in flight). Never more than half the read timeout: a batch must not time out.
BATCH_SECONDS = 8.0

# sync_state keys
SERVER_URL = "server_url"
DEVICE_TOKEN = "device_token"
ENROLLED_AT = "enrolled_at"
PULL_CURSOR = "pull_cursor"
LAST_SUCCESS = "last_success_at"
LAST_ATTEMPT = "last_attempt_at"
LAST_ERROR = "last_error"
PUSH_BATCH_BYTES = "push_batch_bytes"  # the adaptive compressed batch size
CLOCK_SKEW = "clock_skew_seconds"  # this clinic's clock minus central's, at the last sync
CENTRAL_ID = "central_id"  # the identity of the central this clinic is enrolled with
RECOVERING_OWN = "recovering_own_records"  # set by a restore, cleared once caught up

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Enrolment:
    server_url: str
    clinic_id: str
    enrolled_at: datetime


@dataclass(frozen=True)
class SyncReport:
    """What one sync did: changes sent and received, and what is still waiting."""

    pushed: int
    batches: int
    pulled: int
    applied: int
    pending: int
    finished_at: datetime
    clock_skew_seconds: float | None = None
    batch_bytes: int = BATCH_BYTES_START


# --- sync_state ---------------------------------------------------------------------


def read_sync_state(store: Store) -> dict[str, str]:
    rows: list[Any] = store.all("SELECT key, value FROM sync_state")
    return {row["key"]: row["value"] for row in rows}


def _set_state(tx: Tx, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def _clear_state(tx: Tx, key: str) -> None:
    tx.execute("DELETE FROM sync_state WHERE key = ?", (key,))


def is_enrolled(store: Store) -> bool:
    row = store.one("SELECT value FROM sync_state WHERE key = ?", (DEVICE_TOKEN,))
    return row is not None and bool(row["value"])


def pending_changes(store: Store) -> int:
    """Changes waiting for central that may be sent (consent-held ones are not counted)."""
    return sendable_changes(store)


def push_batch_bytes(store: Store) -> int:
    """The compressed batch size the next push starts with (adapted to the link)."""
    row = store.one("SELECT value FROM sync_state WHERE key = ?", (PUSH_BATCH_BYTES,))
    try:
        value = int(row["value"]) if row is not None else BATCH_BYTES_START
    except ValueError:
        value = BATCH_BYTES_START
    return max(BATCH_BYTES_MIN, min(BATCH_BYTES_MAX, value))


def clock_skew(store: Store) -> float | None:
    """Seconds this clinic's clock was ahead of central's (negative: behind) at the last sync."""
    row = store.one("SELECT value FROM sync_state WHERE key = ?", (CLOCK_SKEW,))
    try:
        return float(row["value"]) if row is not None else None
    except ValueError:
        return None


def last_success(store: Store) -> datetime | None:
    row = store.one("SELECT value FROM sync_state WHERE key = ?", (LAST_SUCCESS,))
    return from_iso(row["value"]) if row is not None else None


# --- enrolment ------------------------------------------------------------------------


def check_server_url(server_url: str) -> str:
    """Central's address as kept: ``https://host[:port][/path]``, no credentials in it.

    The API's own prefix, if pasted (``…/api/v1``), is taken off.
    """
    url = str(server_url).strip().rstrip("/")
    if url.endswith(API_PREFIX):
        url = url[: -len(API_PREFIX)].rstrip("/")
    parts = urlsplit(url) if url.startswith(("http://", "https://")) else None
    if parts is None or not parts.hostname or parts.query or parts.fragment:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "The central server address starts with https:// (or http://)."
            ),
            field="server_url",
        )
    if "@" in parts.netloc:
        # The address is kept and shown: a password in it would be too.
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "Leave the user name and password out of the server address; "
                "type them in their own fields.",
            ),
            field="server_url",
        )
    return url


def enrol_clinic(
    session: Session,
    server_url: str,
    username: str,
    password: str,
    *,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> Enrolment:
    """Enrol this clinic with central using a central operator's credentials.

    Sends the clinic's id, name, site code and signing public key; keeps the
    device token central returns, inside the encrypted database. Enrolling with
    another central (its ``central_id`` differs) queues every record of the
    clinic for it again (``clinic_app.sync.rehome``).
    """
    session.require(Action.ENROL_CLINIC)
    url = check_server_url(server_url)
    store = session.store
    clinic_id = session.site_id
    try:
        with CentralClient(url, timeout=timeout) as client:
            central_id = client.server_status().get("central_id")
            token = client.enrol(
                username=username,
                password=password,
                clinic_id=clinic_id,
                clinic_name=store.setting("clinic_name") or "",
                site_code=store.setting("site_code") or "",
                public_key=store.setting("signing_public_key") or "",
            )
    except EnrolmentRefused:
        with session.transaction() as tx:
            session.audit(
                tx, "enrol_clinic", object_kind="clinic", object_id=clinic_id, outcome="refused"
            )
        raise
    except ServerUnreachable as exc:  # nothing will retry: say what to check
        raise EnrolmentUnreachable(url=url) from exc
    except ServerAnswerInvalid as exc:
        detail = exc.message.params.get("detail", "")
        raise EnrolmentAnswerInvalid(url=url, detail=detail) from exc
    now = utc_now()
    central = central_id if isinstance(central_id, str) and 0 < len(central_id) <= 64 else None
    with session.transaction() as tx:
        state = {
            row["key"]: str(row["value"])
            for row in tx.all(
                "SELECT key, value FROM sync_state WHERE key IN (?, ?)", (SERVER_URL, CENTRAL_ID)
            )
        }
        before_url, before_central = state.get(SERVER_URL), state.get(CENTRAL_ID)
        if before_central is not None and central is not None:
            another_central = before_central != central
        else:  # a central too old to say who it is: its address tells
            another_central = before_url is not None and before_url != url
        resent = 0
        if another_central:
            from clinic_app.sync.masterdata import CLINIC_KEYS_VERSION
            from clinic_app.sync.patient_links import LINKS_CURSOR
            from clinic_app.sync.rehome import send_everything_again

            resent = send_everything_again(
                tx, clinic_id, (PULL_CURSOR, LINKS_CURSOR, CLINIC_KEYS_VERSION, LAST_SUCCESS)
            )
        if another_central or before_url is None:
            _set_state(tx, PULL_CURSOR, "0")
        _set_state(tx, SERVER_URL, url)
        if central is not None:
            _set_state(tx, CENTRAL_ID, central)
        _set_state(tx, DEVICE_TOKEN, token)
        _set_state(tx, ENROLLED_AT, to_iso(now))
        _clear_state(tx, LAST_ERROR)
        session.audit(
            tx,
            "enrol_clinic",
            object_kind="clinic",
            object_id=clinic_id,
            detail=f"another_central;resent={resent}" if another_central else "",
        )
    log.info("clinic enrolled with central")
    return Enrolment(url, clinic_id, now)


# --- one sync ----------------------------------------------------------------------------

SYNC_LOCK_FILE = ".sync.lock"  # in the clinic folder: one sync at a time, across programs
_locks_guard = threading.Lock()
_locks: dict[str, threading.Lock] = {}


def _sync_lock(store: Store) -> threading.Lock:
    key = str(store.path.resolve())
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def sync_now(
    session: Session,
    progress: Progress | None = None,
    *,
    monitor: SyncMonitor | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_batch_changes: int = PUSH_MAX_CHANGES,
    max_batch_bytes: int = PUSH_MAX_BYTES,
    pull_page_size: int = PULL_PAGE_SIZE,
) -> SyncReport:
    """Push the whole outbox, then pull central's changes; raise a ``SyncError`` on failure.

    Runs on a worker thread (never the GUI thread); ``progress(done, total)``
    and the ``monitor`` are called from that thread.
    """
    session.require(Action.SYNC)
    lock = _sync_lock(session.store)
    if not lock.acquire(blocking=False):
        raise SyncAlreadyRunning()
    try:
        # Another program on this clinic folder (the window and `clinic-app sync`).
        with held_unless_busy(session.data_dir / SYNC_LOCK_FILE) as ours:
            if not ours:
                raise SyncAlreadyRunning()
            return _sync_locked(
                session,
                progress,
                monitor,
                timeout,
                max_batch_changes,
                max_batch_bytes,
                pull_page_size,
            )
    finally:
        lock.release()


def _sync_locked(
    session: Session,
    progress: Progress | None,
    monitor: SyncMonitor | None,
    timeout: tuple[float, float],
    max_batch_changes: int,
    max_batch_bytes: int,
    pull_page_size: int,
) -> SyncReport:
    store = session.store
    state = read_sync_state(store)
    token = state.get(DEVICE_TOKEN)
    url = state.get(SERVER_URL)
    if not token or not url:
        raise NotEnrolled()
    total = pending_changes(store)

    def report_progress(done: int, total: int) -> None:
        if monitor is not None:
            monitor.progress(done, total)
        if progress is not None:
            progress(done, total)

    if monitor is not None:
        monitor.started(total)
    skew: float | None = None
    try:
        with CentralClient(url, token, timeout=timeout) as client:
            skew = _measure_clock_skew(store, client)
            pushed, batches = _push_outbox(
                store,
                client,
                session.site_id,
                total,
                max_batch_changes,
                max_batch_bytes,
                report_progress,
                batch_seconds=min(BATCH_SECONDS, timeout[1] / 2),
            )
            pulled, applied = _pull_changes(store, client, pull_page_size, pushed, report_progress)
            # Code lists, clinics' keys, staff accounts (docs/sync.md "Master data").
            from clinic_app.sync.masterdata import sync_master_data

            sync_master_data(session, client)
        # Confirmed links between this clinic's patients and another's travel apart.
        from clinic_app.sync.patient_links import pull_patient_links

        applied += pull_patient_links(session, timeout=timeout)
    except BaseException as exc:
        _record_failure(store, exc)
        if monitor is not None:
            monitor.failed(exc)
        raise
    finished = utc_now()
    with store.transaction() as tx:
        _set_state(tx, LAST_SUCCESS, to_iso(finished))
        _set_state(tx, LAST_ATTEMPT, to_iso(finished))
        _clear_state(tx, LAST_ERROR)
    report = SyncReport(
        pushed,
        batches,
        pulled,
        applied,
        pending_changes(store),
        finished,
        skew,
        push_batch_bytes(store),
    )
    if monitor is not None:
        monitor.succeeded(report)
    log.info(
        "sync done: %d pushed in %d batches, %d pulled, %d waiting",
        report.pushed,
        report.batches,
        report.pulled,
        report.pending,
    )
    return report


def _measure_clock_skew(store: Store, client: CentralClient) -> float | None:
    """Compare this clinic's clock with central's ``server_time``; keep the difference.

    Versions never depend on it (``hlc``); it is for people: a clock hours off
    prints wrong times on documents, so the status bar says so. The request's
    own travel time (seconds on 2G) is far below the 5-minute warning.
    """
    answer = client.server_status()
    text = answer.get("server_time")
    try:
        server_time = from_iso(text) if isinstance(text, str) else None
    except ValueError:
        server_time = None
    if server_time is None or server_time.tzinfo is None:
        return None
    skew = (wall_clock(store)() - server_time).total_seconds()
    with store.transaction() as tx:
        _set_state(tx, CLOCK_SKEW, f"{skew:.3f}")
    return skew


def _record_failure(store: Store, exc: BaseException) -> None:
    """Keep the reason (class and message template, never record content) for the status."""
    if isinstance(exc, ClinicError):
        reason = {
            "error": type(exc).__name__,
            "template": exc.message.template,
            "params": {k: str(v) for k, v in exc.message.params.items()},
        }
    else:
        reason = {"error": type(exc).__name__, "template": "", "params": {}}
    log.warning("sync failed: %s", type(exc).__name__)
    try:
        with store.transaction() as tx:
            _set_state(tx, LAST_ERROR, json.dumps(reason, sort_keys=True))
            _set_state(tx, LAST_ATTEMPT, to_iso(utc_now()))
    except Exception:  # the failure itself is what matters; its note is best effort
        log.exception("could not record the sync failure")


def batch_id_for(site_id: str, changes: list[dict[str, Any]]) -> str:
    """The same batch content from the same clinic always gets the same id.

    A batch re-sent after a lost answer is then known to central; a different
    batch (even one reusing outbox numbers after a restore) never is.
    """
    digest = hashlib.sha256(
        json.dumps(changes, sort_keys=True, separators=(",", ":")).encode("utf-8")
    ).hexdigest()
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"clinic-app:push-batch:{site_id}:{digest}"))


def compressed_size(changes: list[dict[str, Any]]) -> int:
    """Bytes on the wire for these changes (gzip of the JSON body, as the client sends)."""
    body = json.dumps({"batch_id": "0" * 36, "changes": changes}, separators=(",", ":"))
    return len(gzip.compress(body.encode("utf-8")))


def _next_batch(
    tx: Tx, max_changes: int, max_bytes: int, target_compressed: int | None = None
) -> list[dict[str, Any]]:
    """The oldest outbox changes: at most ``max_changes``, ``max_bytes`` of JSON, and
    (when given) at most ``target_compressed`` bytes once gzipped. One change always goes,
    whatever its size: a batch never stalls on a big record."""
    return _cut_batch(tx, max_changes, max_bytes, target_compressed)[0]


def _cut_batch(
    tx: Tx, max_changes: int, max_bytes: int, target_compressed: int | None
) -> tuple[list[dict[str, Any]], int]:
    """``_next_batch`` and the batch's compressed size (0 when no target was given)."""
    rows: list[Any] = tx.all(
        "SELECT seq, kind, record_id, payload FROM outbox ORDER BY seq LIMIT ?", (max_changes,)
    )
    batch: list[dict[str, Any]] = []
    json_bytes = 0
    for row in rows:
        weight = len(row["payload"]) + 80  # the envelope around the payload
        if batch and json_bytes + weight > max_bytes:
            break
        batch.append(
            {
                "seq": int(row["seq"]),
                "kind": row["kind"],
                "id": row["record_id"],
                "payload": json.loads(row["payload"]),
            }
        )
        json_bytes += weight
    if target_compressed is None or not batch:
        return batch, 0
    # Records of one day compress alike, so the share of the changes that fits is about
    # the share of the bytes: one or two more gzips find a cut just under the target
    # (cutting by halves would leave batches anywhere between half and all of it).
    size = compressed_size(batch)
    while len(batch) > 1 and size > target_compressed:
        keep = int(len(batch) * target_compressed / size * 0.97)
        batch = batch[: max(1, min(keep, len(batch) - 1))]
        size = compressed_size(batch)
    return batch, size


def _batch_bytes_after(target: int, sent: int, seconds_taken: float, batch_seconds: float) -> int:
    """The compressed size to aim at after a batch of ``sent`` bytes was acknowledged.

    ``sent / seconds_taken`` is the pace the link carried it at, round trip and
    central's work included (so never more than the link's real rate): the next
    batch aims at what that pace carries in ``batch_seconds``, at most twice the
    last target. A batch well under the target says little about the rate (its
    time is mostly the round trip), so it may only make the target grow; only a
    batch of at least half the target that took longer than ``batch_seconds``
    makes it smaller, to no less than half. A timeout halves it elsewhere.
    """
    carried = int(sent * batch_seconds / max(seconds_taken, 1e-3))
    if carried >= target:
        return min(carried, 2 * target)
    if seconds_taken > batch_seconds and 2 * sent >= target:
        return max(carried, target // 2)
    return target


def _keep_batch_bytes(tx: Tx, value: int) -> int:
    value = max(BATCH_BYTES_MIN, min(BATCH_BYTES_MAX, value))
    _set_state(tx, PUSH_BATCH_BYTES, str(value))
    return value


def _push_outbox(
    store: Store,
    client: CentralClient,
    site_id: str,
    total: int,
    max_changes: int,
    max_bytes: int,
    progress: Progress,
    *,
    batch_seconds: float = BATCH_SECONDS,
) -> tuple[int, int]:
    pushed = batches = 0
    target = push_batch_bytes(store)
    progress(0, total)
    while True:
        with store.transaction() as tx:
            sort_outbox_by_consent(tx)  # in the reading transaction: nothing slips past
            batch, size = _cut_batch(tx, max_changes, max_bytes, target)
        if not batch:
            return pushed, batches
        first, last = batch[0]["seq"], batch[-1]["seq"]
        started = time.monotonic()
        try:
            acked = client.push(batch_id_for(site_id, batch), batch)
        except ServerUnreachable:
            # A timeout or a cut link: the next try (this sync's caller retries later)
            # sends half as much, so a batch fits in what the link carries.
            with store.transaction() as tx:
                _keep_batch_bytes(tx, target // 2)
            raise
        if acked < first:
            raise ServerAnswerInvalid(detail="push not acknowledged")
        upto = min(acked, last)
        with store.transaction() as tx:
            # Outbox numbers only grow, so the batch is exactly the rows first..last.
            cursor = tx.execute("DELETE FROM outbox WHERE seq BETWEEN ? AND ?", (first, upto))
            pushed += int(cursor.rowcount or 0)
            # Consent withdrawn while this batch was on the wire: its entries were
            # held meanwhile, but central has them now; they must not go twice.
            sent = [change["seq"] for change in batch if change["seq"] <= upto]
            tx.execute(f"DELETE FROM outbox_held WHERE seq IN ({', '.join('?' * len(sent))})", sent)
            # The link carried this batch: size the next one by the pace it went at
            # (remembered across syncs).
            target = _keep_batch_bytes(
                tx, _batch_bytes_after(target, size, time.monotonic() - started, batch_seconds)
            )
        batches += 1
        progress(pushed, max(total, pushed))


def mark_restored(tx: Tx, *, minutes_since_backup: int = 0) -> None:
    """A clinic restored from a backup: get back what it sent central after that backup.

    Central does not send a clinic its own records; a restored clinic lacks those
    it made and sent after the backup was taken. Until a pull has caught up, the
    pulls ask central for them too (``own``) and document numbers move past every
    number those records carry. Meanwhile, and even before any connection, new
    numbers start further on (``documents.numbers.skip_numbers``), so no number
    issued after the backup is given twice. Runs in the restore's audit transaction.
    """
    from clinic_app.documents.numbers import skip_numbers

    _set_state(tx, RECOVERING_OWN, "1")
    skip_numbers(tx, minutes_since_backup=minutes_since_backup)


def _pull_changes(
    store: Store, client: CentralClient, page_size: int, pushed: int, progress: Progress
) -> tuple[int, int]:
    from clinic_app.documents.numbers import counters_past_numbers_held

    pulled = applied = 0
    while True:
        row = store.one("SELECT value FROM sync_state WHERE key = ?", (PULL_CURSOR,))
        recovering = store.one("SELECT 1 FROM sync_state WHERE key = ?", (RECOVERING_OWN,))
        page = client.pull(
            int(row["value"]) if row is not None else 0, page_size, own=recovering is not None
        )
        with store.transaction() as tx:
            # Re-read inside the transaction: another process may have moved it meanwhile.
            row = tx.one("SELECT value FROM sync_state WHERE key = ?", (PULL_CURSOR,))
            current = int(row["value"]) if row is not None else 0
            # A patient may come after its records (a later edit re-stamps it): the
            # foreign keys are checked at commit, when the whole page is in.
            tx.execute("PRAGMA defer_foreign_keys = ON")
            for change in page.changes:
                if change.seq > current and apply_remote_change(tx, change.kind, change.payload):
                    applied += 1
            # The clock moves past every version seen: a later edit here outranks them.
            hlc.observe(tx, versions_in(page.changes))
            if recovering is not None:
                counters_past_numbers_held(tx)
                if not page.more:
                    tx.execute("DELETE FROM sync_state WHERE key = ?", (RECOVERING_OWN,))
            _set_state(tx, PULL_CURSOR, str(max(current, page.last_seq)))
        pulled += len(page.changes)
        expected = pushed + pulled + (page_size if page.more else 0)
        progress(pushed + pulled, expected)
        if not page.more:
            return pulled, applied
        if not page.changes:
            raise ServerAnswerInvalid(detail="pull promised more but sent nothing")
