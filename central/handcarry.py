"""Hand-carried sync at central: import a clinic's file from a USB stick, write its answer.

``clinic-central import FILE`` reads a file written by the clinic's
``export_pending_changes`` (format and key: ``clinic_app.sync.carry_format``),
applies each batch exactly as ``POST /api/v1/push`` would
(:func:`central.services.push_changes`, so a batch already applied — over the
network or from an earlier import of the same file — changes nothing), and
writes an *answer* file next to it: the acknowledged sequences, then the
changes the clinic may see after its pull cursor (as ``GET /api/v1/pull``
gives them), its patient links after its links cursor, and the master data
(:func:`carried_master_data`: the clinics' keys when the clinic's version is
old, a code list's artefact when its rows differ from the clinic's). The answer
is encrypted for the same clinic with the same kind of key.

The file must decrypt with the key of a live device token of the clinic its
header names; a changed byte, another clinic's file or a revoked enrolment is
refused before anything is applied. If central refuses batch *k* (a record
that does not fit the protocol), batches before *k* stay applied, the answer
acknowledges them, and the refusal is reported: as over HTTP, the clinic keeps
the rest and can carry it again once the cause is fixed.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, select

from central.db import devices
from central.duplicates import links_for_site
from central.protocol import MAX_INT, MAX_PULL_LIMIT
from central.services import (
    CentralError,
    Change,
    is_uuid_text,
    pull_changes,
    push_changes,
    read_transaction,
    utc_now,
)
from clinic_app.storage.keys import write_private_file
from clinic_app.sync.carry_format import (
    ANSWER_SUFFIX,
    MAX_FILE,
    TO_CENTRAL,
    TO_CLINIC,
    CarryFormatError,
    CarryHeader,
    open_sealed,
    read_header,
    seal,
)


@dataclass(frozen=True)
class ImportReport:
    answer_path: Path
    clinic_id: str
    batches: int  # applied now or earlier (acknowledged in the answer)
    changes: int
    sent_back: int  # master data and linked records in the answer
    refused: str | None  # why batch k was refused, if it was


def refused(message: str) -> CentralError:
    return CentralError(422, "carry_refused", message)


def _int(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INT:
        raise refused(f"the file's {name} is not valid")
    return value


def read_carried_file(engine: Engine, path: Path) -> tuple[CarryHeader, dict[str, Any], bytes]:
    """Decrypt and check a clinic's file; return its header, body and the key digest."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise refused(f"{path} is too large to be a carried sync file")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise refused(f"there is no file {path}") from exc
    except IsADirectoryError as exc:
        raise refused(f"{path} is a folder, not a carried sync file") from exc
    try:
        header, _fields, _prefix, _rest = read_header(data)
    except CarryFormatError as exc:
        raise refused(f"{path}: {exc}; nothing was imported") from exc
    if header.direction != TO_CENTRAL:
        raise refused(f"{path} is an answer for a clinic, not a clinic's file for central")
    if not is_uuid_text(header.clinic_id):
        raise refused(f"{path}: the file is damaged; nothing was imported")
    with read_transaction(engine) as conn:
        hashes = conn.execute(
            select(devices.c.token_hash).where(
                and_(devices.c.site_id == header.clinic_id, devices.c.revoked.is_(False))
            )
        ).scalars()
        digests = [bytes.fromhex(value) for value in hashes]
    if not digests:
        raise refused(
            f"{path}: the clinic {header.site_code} ({header.clinic_id}) is not enrolled here, "
            "or its enrolment was revoked; nothing was imported"
        )
    for digest in digests:
        try:
            header, body = open_sealed(data, digest)
        except CarryFormatError:
            continue
        if body.get("clinic_id") != header.clinic_id:
            break
        return header, body, digest
    raise refused(
        f"{path} was changed after the clinic wrote it, or was not written by clinic "
        f"{header.site_code}'s current enrolment; nothing was imported"
    )


def _batches(body: dict[str, Any]) -> list[tuple[str, list[Change]]]:
    raw = body.get("batches")
    if not isinstance(raw, list):
        raise refused("the file holds no batches")
    batches: list[tuple[str, list[Change]]] = []
    for batch in raw:
        if not isinstance(batch, dict) or not isinstance(batch.get("changes"), list):
            raise refused("a batch of the file is not valid")
        changes = []
        for change in batch["changes"]:
            if (
                not isinstance(change, dict)
                or not isinstance(change.get("payload"), dict)
                or not isinstance(change.get("kind"), str)
                or not isinstance(change.get("id"), str)
            ):
                raise refused("a change of the file is not valid")
            seq = _int(change.get("seq"), "change sequence")
            changes.append(Change(seq, change["kind"], change["id"], change["payload"]))
        batches.append((str(batch.get("batch_id", "")), changes))
    return batches


def carried_master_data(engine: Engine, held: object) -> dict[str, Any]:
    """Master data for an answer file: ``GET /master-data``'s summary, and the artefact
    of each code list whose rows differ from those the clinic said it holds.

    A file that says nothing (a clinic older than this) is answered as a clinic
    holding nothing: the keys and every list come whole.
    """
    from central.masterdata import code_list_content, master_data_summary

    said = held if isinstance(held, dict) else {}
    keys_version = said.get("clinic_keys_version")
    lists_held = said.get("code_lists")
    if not isinstance(lists_held, dict):
        lists_held = {}
    summary = master_data_summary(engine, keys_version if isinstance(keys_version, str) else None)
    for item in summary["code_lists"]:
        if lists_held.get(item["name"]) != item["content_sha256"]:
            _info, content = code_list_content(engine, item["name"], item["version"])
            item["content"] = base64.b64encode(content).decode("ascii")
    return summary


def answer_path_for(path: Path) -> Path:
    return path.with_name(path.stem + ANSWER_SUFFIX)


def import_carried_file(engine: Engine, path: Path) -> ImportReport:
    """Apply a clinic's carried file and write the answer next to it (see the module doc)."""
    path = Path(path)
    header, body, digest = read_carried_file(engine, path)
    site_id = header.clinic_id
    pull_cursor = _int(body.get("pull_cursor", 0), "pull cursor")
    links_cursor = _int(body.get("links_cursor", 0), "links cursor")
    acks: list[dict[str, Any]] = []
    problem: str | None = None
    applied = 0
    for batch_id, changes in _batches(body):
        if not changes:
            continue
        try:
            acked = push_changes(engine, site_id, batch_id, changes)
        except CentralError as exc:
            problem = f"batch {len(acks) + 1} refused: {exc.message}"
            break
        acks.append(
            {
                "batch_id": batch_id,
                "first": changes[0].seq,
                "last": changes[-1].seq,
                "acked_seq": acked,
                # Exactly which changes: the clinic's held changes have numbers in between.
                "seqs": [change.seq for change in changes],
            }
        )
        applied += len(changes)
    sent_back: list[dict[str, Any]] = []
    last_seq = pull_cursor
    own = body.get("own_records") is True  # a clinic restored from a backup
    while True:
        page = pull_changes(engine, site_id, last_seq, MAX_PULL_LIMIT, own=own)
        sent_back += [
            {"seq": c.seq, "kind": c.kind, "id": c.id, "payload": c.payload} for c in page.changes
        ]
        last_seq = page.last_seq
        if not page.more or not page.changes:
            break
    links: list[dict[str, Any]] = []
    links_last = links_cursor
    while True:
        link_page = links_for_site(engine, site_id, links_last, MAX_PULL_LIMIT)
        links += [{"seq": c.seq, "id": c.id, "payload": c.payload} for c in link_page.changes]
        links_last = link_page.last_seq
        if not link_page.more or not link_page.changes:
            break
    answer = {
        "master_data": carried_master_data(engine, body.get("master_data")),
        "clinic_id": site_id,
        "answers": body.get("file_id"),
        "file_id": str(uuid.uuid4()),
        "batches": acks,
        "refused": problem,
        "changes": sent_back,
        "last_seq": last_seq,
        "links": links,
        "links_last_seq": links_last,
        "own_records": own,
    }
    now = utc_now().isoformat(timespec="seconds")
    sealed = seal(digest, CarryHeader(TO_CLINIC, site_id, header.site_code, now), answer)
    target = answer_path_for(path)
    try:
        write_private_file(target, sealed)
    except OSError as exc:
        raise refused(
            f"the batches were applied, but the answer {target} could not be written "
            f"({exc.strerror or exc}); import the file again to write it"
        ) from exc
    return ImportReport(target, site_id, len(acks), applied, len(sent_back) + len(links), problem)
