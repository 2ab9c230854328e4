"""Hand-carried sync: the outbox to a USB stick, central's answer back from it.

For a clinic with no link at all for weeks:

1. ``export_pending_changes(session, folder)`` writes every change waiting for
   central, cut in the same batches (same batch ids: ``batch_id_for``) a sync
   would push, into ONE encrypted file ``carry-<SITE>-<time>.clinicsync``
   (format and key: ``clinic_app.sync.carry_format``). Nothing leaves the
   outbox yet: the file may be lost on the way.
2. At central, ``clinic-central import FILE`` applies the batches as pushes
   (idempotent: a batch central already has changes nothing) and writes
   ``carry-<SITE>-<time>.clinicanswer`` next to it.
3. ``import_answer_file(session, path)`` deletes the acknowledged outbox rows,
   applies the records after the pull cursor and the patient links after the
   links cursor in one transaction, then the master data as a sync does
   (``clinic_app.sync.masterdata.apply_carried_master_data``); importing
   the same answer again changes nothing. An answer to an older file is fine:
   it acknowledges only what it names, and changes at or before the cursor
   are skipped.

Both files are sealed with AES-GCM under a key derived from the device token
(the clinic must be enrolled): a changed byte, another clinic's file or a file
from an earlier enrolment is refused with a message, before anything changes.
Exports and imports are audited (identifiers and counts only).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clinic_app.clock import to_iso, utc_now
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.security.consent import sort_outbox_by_consent
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.keys import write_private_file
from clinic_app.storage.store import Tx
from clinic_app.sync.carry_format import (
    EXPORT_SUFFIX,
    MAX_FILE,
    TO_CENTRAL,
    TO_CLINIC,
    CarryFormatError,
    CarryHeader,
    open_sealed,
    read_header,
    seal,
    token_digest,
)
from clinic_app.sync.errors import NotEnrolled, ServerAnswerInvalid, SyncError
from clinic_app.sync.masterdata import apply_carried_master_data, master_data_held
from clinic_app.sync.patient_links import apply_links, links_cursor

BATCH_CHANGES = 200
BATCH_BYTES = 64 * 1024


class CarryError(SyncError):
    template = QT_TRANSLATE_NOOP("errors", "The hand-carried sync file could not be used.")


class CarryFolderUnavailable(CarryError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The folder {path} cannot be written. Check that the USB stick is plugged in, "
        "not full and not read-only, then try again.",
    )


class CarryFileMissing(CarryError):
    template = QT_TRANSLATE_NOOP(
        "errors", "There is no file at {path}. Check the USB stick and the file name."
    )


class CarryFileDamaged(CarryError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The file {path} is not an answer from central, or it was damaged or changed on the "
        "way; nothing was imported. Ask central for a new answer file.",
    )


class CarryFileOtherClinic(CarryError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The file {path} was made for another clinic ({site_code}), or for an earlier "
        "enrolment of this one; nothing was imported.",
    )


class CarryFileWrongDirection(CarryError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The file {path} is this clinic's own export, to be imported at central; "
        "bring back the answer file (.clinicanswer) that central wrote next to it.",
    )


class NothingToCarry(CarryError):
    template = QT_TRANSLATE_NOOP(
        "errors", "No change is waiting for central; there is nothing to export."
    )


@dataclass(frozen=True)
class AnswerReport:
    acknowledged: int  # outbox rows removed now
    applied: int  # records and links written now
    refused: str | None  # central's reason for refusing a batch, if any


def _token(session: Session) -> str:
    from clinic_app.sync.service import DEVICE_TOKEN, read_sync_state

    token = read_sync_state(session.store).get(DEVICE_TOKEN)
    if not token:
        raise NotEnrolled()
    return token


def _state(tx: Tx, key: str) -> int:
    row = tx.one("SELECT value FROM sync_state WHERE key = ?", (key,))
    return int(row["value"]) if row is not None else 0


def _batches(tx: Tx, site_id: str) -> list[dict[str, Any]]:
    """The outbox cut as a sync would cut it (same sizes), each with its batch id."""
    import json

    from clinic_app.sync.service import batch_id_for

    rows: list[Any] = tx.all("SELECT seq, kind, record_id, payload FROM outbox ORDER BY seq")
    batches: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    size = 0
    for row in rows:
        weight = len(row["payload"]) + 80
        if batch and (len(batch) >= BATCH_CHANGES or size + weight > BATCH_BYTES):
            batches.append({"batch_id": batch_id_for(site_id, batch), "changes": batch})
            batch, size = [], 0
        batch.append(
            {
                "seq": int(row["seq"]),
                "kind": row["kind"],
                "id": row["record_id"],
                "payload": json.loads(row["payload"]),
            }
        )
        size += weight
    if batch:
        batches.append({"batch_id": batch_id_for(site_id, batch), "changes": batch})
    return batches


def export_pending_changes(session: Session, folder: Path) -> Path:
    """Write every change waiting for central to one encrypted file in ``folder``; return it."""
    from clinic_app.sync.service import PULL_CURSOR, RECOVERING_OWN

    session.require(Action.SYNC)
    token = _token(session)
    folder = Path(folder)
    site_code = session.store.setting("site_code") or ""
    with session.transaction() as tx:
        sort_outbox_by_consent(tx)  # a withheld patient's changes never reach the file
        batches = _batches(tx, session.site_id)
        pull_cursor = _state(tx, PULL_CURSOR)
        links = links_cursor(tx)
        master_data = master_data_held(tx)
        # Restored from a backup: ask for what this clinic sent after it (sync.service).
        own_records = tx.one("SELECT 1 FROM sync_state WHERE key = ?", (RECOVERING_OWN,))
    if not batches:
        raise NothingToCarry()
    now = utc_now()
    body = {
        "clinic_id": session.site_id,
        "file_id": str(uuid.uuid4()),
        "batches": batches,
        "pull_cursor": pull_cursor,
        "links_cursor": links,
        "master_data": master_data,  # what the answer need not bring again
        "own_records": own_records is not None,
    }
    sealed = seal(
        token_digest(token),
        CarryHeader(TO_CENTRAL, session.site_id, site_code, to_iso(now)),
        body,
    )
    target = folder / f"carry-{site_code}-{now.strftime('%Y%m%d-%H%M%S')}{EXPORT_SUFFIX}"
    if not folder.is_dir():
        raise CarryFolderUnavailable(path=str(folder))
    try:
        write_private_file(target, sealed)
    except OSError as exc:
        raise CarryFolderUnavailable(path=str(folder)) from exc
    changes = sum(len(batch["changes"]) for batch in batches)
    with session.transaction() as tx:
        session.audit(
            tx,
            "carry_export",
            object_kind="clinic",
            object_id=session.site_id,
            detail=f"{changes} changes in {len(batches)} batches",
        )
    return target


def _open_answer(session: Session, path: Path) -> dict[str, Any]:
    token = _token(session)
    try:
        if path.stat().st_size > MAX_FILE:
            raise CarryFileDamaged(path=str(path))
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CarryFileMissing(path=str(path)) from exc
    except OSError as exc:
        raise CarryFileMissing(path=str(path)) from exc
    try:
        header, _fields, _prefix, _rest = read_header(data)
    except CarryFormatError as exc:
        raise CarryFileDamaged(path=str(path)) from exc
    if header.clinic_id != session.site_id:
        raise CarryFileOtherClinic(path=str(path), site_code=header.site_code or "?")
    if header.direction != TO_CLINIC:
        raise CarryFileWrongDirection(path=str(path))
    try:
        _header, body = open_sealed(data, token_digest(token))
    except CarryFormatError as exc:
        raise CarryFileDamaged(path=str(path)) from exc
    if body.get("clinic_id") != session.site_id:
        raise CarryFileOtherClinic(path=str(path), site_code=header.site_code or "?")
    return body


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ServerAnswerInvalid(detail="answer file of the wrong shape")
    return value


def import_answer_file(session: Session, path: Path) -> AnswerReport:
    """Apply central's answer: acknowledgements, then what central sends back. Idempotent."""
    from clinic_app.documents.numbers import counters_past_numbers_held
    from clinic_app.sync import hlc
    from clinic_app.sync.client import RemoteChange
    from clinic_app.sync.kinds import apply_remote_change, versions_in
    from clinic_app.sync.service import PULL_CURSOR, RECOVERING_OWN, _set_state

    session.require(Action.SYNC)
    path = Path(path)
    body = _open_answer(session, path)
    acks = body.get("batches")
    raw_changes = body.get("changes")
    links = body.get("links")
    if (
        not isinstance(acks, list)
        or not isinstance(raw_changes, list)
        or not isinstance(links, list)
    ):
        raise ServerAnswerInvalid(detail="answer file of the wrong shape")
    changes = []
    for item in raw_changes:
        if not isinstance(item, dict) or not isinstance(item.get("payload"), dict):
            raise ServerAnswerInvalid(detail="answer file of the wrong shape")
        kind, record_id = item.get("kind"), item.get("id")
        if not isinstance(kind, str) or not isinstance(record_id, str):
            raise ServerAnswerInvalid(detail="answer file of the wrong shape")
        changes.append(RemoteChange(_int(item.get("seq")), kind, record_id, item["payload"]))
    last_seq = _int(body.get("last_seq", 0))
    links_last = _int(body.get("links_last_seq", 0))
    acknowledged = applied = 0
    with session.transaction() as tx:
        for ack in acks:
            if not isinstance(ack, dict):
                raise ServerAnswerInvalid(detail="answer file of the wrong shape")
            first, last, acked = (
                _int(ack.get("first")),
                _int(ack.get("last")),
                _int(ack.get("acked_seq")),
            )
            if acked < first:
                continue
            upto = min(acked, last)
            # The outbox between the two: the file's changes (rows put back into the
            # outbox since get higher numbers). Held changes keep their numbers, in
            # between: only those the file carried go (held while it travelled).
            cursor = tx.execute("DELETE FROM outbox WHERE seq BETWEEN ? AND ?", (first, upto))
            acknowledged += int(cursor.rowcount or 0)
            carried = ack.get("seqs")
            if isinstance(carried, list):
                sent = [_int(seq) for seq in carried if _int(seq) <= upto]
                for start in range(0, len(sent), 500):
                    chunk = sent[start : start + 500]
                    tx.execute(
                        f"DELETE FROM outbox_held WHERE seq IN ({', '.join('?' * len(chunk))})",
                        chunk,
                    )
        current = _state(tx, PULL_CURSOR)
        tx.execute("PRAGMA defer_foreign_keys = ON")
        for change in changes:
            if change.seq > current and apply_remote_change(tx, change.kind, change.payload):
                applied += 1
        hlc.observe(tx, versions_in(change for change in changes if change.seq > current))
        _set_state(tx, PULL_CURSOR, str(max(current, last_seq)))
        if body.get("own_records") is True:  # central sent this clinic's own records too
            counters_past_numbers_held(tx)
            tx.execute("DELETE FROM sync_state WHERE key = ?", (RECOVERING_OWN,))
        applied += apply_links(tx, links, links_last)
        session.audit(
            tx,
            "carry_import_answer",
            object_kind="clinic",
            object_id=session.site_id,
            detail=f"{acknowledged} acknowledged, {applied} applied",
        )
    # Master data (keys, a new ICD-11 list, staff) after the records, as a sync does;
    # an answer from a central older than this has none.
    master = body.get("master_data")
    if master is not None:
        applied += apply_carried_master_data(session, master).changes
    refused = body.get("refused")
    return AnswerReport(acknowledged, applied, refused if isinstance(refused, str) else None)
