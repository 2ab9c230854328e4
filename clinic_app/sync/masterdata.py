"""Master data from central at each sync: the ICD-11 list, the clinics' keys, the staff.

Central owns them and the clinic never sends them back (docs/sync.md, "Master
data"). After the pull, one small request (``GET /api/v1/master-data``) says
which version of each code list central holds and, when it changed since the
version this clinic holds, the clinics' public keys. Then:

* **ICD-11 list** — downloaded only when central's rows differ from the rows
  installed here (``code_lists.content_sha256``; a new clinic's bundled list
  is the same as central's default, so nothing moves). The artefact (0.6 MB
  of gzip) comes by byte ranges into a private file in the clinic's data
  folder (owner-only, named after the version and its SHA-256): a cut link
  costs only the bytes in flight, the next sync asks for the rest. Once whole,
  its SHA-256 is checked; a damaged file is thrown away and fetched once more
  from the start, and if it is still wrong nothing is installed
  (``CodeListDamaged``). The codes are replaced in one transaction (and
  checked against the rows' own hash inside it), then the file is removed.
* **Clinics' keys** — stored in ``clinic_keys``; a key central no longer
  lists stays, marked not current, so older documents still check
  (``clinic_app.documents.verification``).
* **Staff** — ``staff_member`` records arrive by the ordinary pull into
  ``staff_directory``; here the accounts of people central deactivated are
  disabled (``clinic_app.security.accounts.apply_staff_directory``).

Network work happens outside database transactions, as in the rest of sync.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from clinic_app.clock import to_iso, utc_now
from clinic_app.records.icd11 import (
    CODE_LIST,
    CodeListDamaged,
    install_icd11_artefact,
    installed_code_list,
)
from clinic_app.records.icd11_tabulation import CodeListVersion
from clinic_app.security.accounts import apply_staff_directory
from clinic_app.session import Session
from clinic_app.storage.store import Store, Tx
from clinic_app.sync.client import API_PREFIX, PROTOCOL_HEADER, CentralClient, _BearerToken
from clinic_app.sync.client import _read_answer as read_error_answer
from clinic_app.sync.errors import ServerAnswerInvalid, ServerUnreachable

log = logging.getLogger(__name__)

CLINIC_KEYS_VERSION = "clinic_keys_version"  # sync_state key
# Written to the file as it arrives: a cut loses at most the read in progress (1 s at 2G).
DOWNLOAD_CHUNK = 4 * 1024
MAX_CODE_LIST_BYTES = 64 * 1024 * 1024
PARTIAL_PREFIX = ".codelist-"
PARTIAL_SUFFIX = ".part"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SITE_CODE = re.compile(r"[A-Z0-9]{2,10}")
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


@dataclass(frozen=True)
class ClinicKey:
    clinic_id: str
    site_code: str
    name: str
    public_key: str


@dataclass(frozen=True)
class MasterDataReport:
    """What one sync changed in the master data held here."""

    code_list_installed: int | None = None  # central's version number, when one was installed
    bytes_downloaded: int = 0
    keys_changed: int = 0
    staff_disabled: int = 0

    @property
    def changes(self) -> int:
        return (self.code_list_installed is not None) + self.keys_changed + self.staff_disabled


def sync_master_data(session: Session, client: CentralClient) -> MasterDataReport:
    """Bring the code lists, clinics' keys and staff accounts in line with central.

    Runs inside ``sync_now`` after the pull (same worker thread, same client).
    Raises ``ServerUnreachable`` when the link breaks (a partial download is kept
    for the next sync), ``CodeListDamaged`` when the list is still wrong after a
    second download; what was installed before stays in either case.
    """
    store = session.store
    held = store.one("SELECT value FROM sync_state WHERE key = ?", (CLINIC_KEYS_VERSION,))
    params = {"keys": held["value"]} if held is not None else None
    lists, keys_version, keys = read_summary(client._call("GET", "/master-data", params=params))
    keys_changed = 0
    if keys is not None:
        keys_changed = apply_clinic_keys(session, keys_version, keys)
    installed: int | None = None
    downloaded = 0
    for announced in lists:
        if announced.name == CODE_LIST:
            installed, downloaded = update_icd11(session, client, announced)
    return MasterDataReport(
        code_list_installed=installed,
        bytes_downloaded=downloaded,
        keys_changed=keys_changed,
        staff_disabled=apply_staff_directory(session),
    )


# --- central's answer ---------------------------------------------------------------------


def read_summary(
    answer: dict[str, Any],
) -> tuple[list[CodeListVersion], str, list[ClinicKey] | None]:
    """The code lists and keys of ``GET /master-data``; ``ServerAnswerInvalid`` if malformed."""
    raw_lists, raw_keys = answer.get("code_lists"), answer.get("clinic_keys")
    if not isinstance(raw_lists, list) or not isinstance(raw_keys, dict):
        raise ServerAnswerInvalid(detail="master data of the wrong shape")
    lists = [_code_list_version(item) for item in raw_lists]
    version = raw_keys.get("version")
    if not isinstance(version, str) or not 0 < len(version) <= 64:
        raise ServerAnswerInvalid(detail="clinic keys without a version")
    items = raw_keys.get("keys")
    if items is None:
        return lists, version, None
    if not isinstance(items, list):
        raise ServerAnswerInvalid(detail="clinic keys of the wrong shape")
    return lists, version, [_clinic_key(item) for item in items]


def _code_list_version(item: object) -> CodeListVersion:
    if not isinstance(item, dict):
        raise ServerAnswerInvalid(detail="code list of the wrong shape")
    texts = ("name", "release", "language", "content_sha256", "sha256")
    numbers = ("version", "entries", "size")
    if not all(isinstance(item.get(n), str) and len(item[n]) <= 64 for n in texts) or not all(
        isinstance(item.get(n), int) and not isinstance(item[n], bool) and item[n] >= 0
        for n in numbers
    ):
        raise ServerAnswerInvalid(detail="code list of the wrong shape")
    if not _HEX64.fullmatch(item["sha256"]) or not _HEX64.fullmatch(item["content_sha256"]):
        raise ServerAnswerInvalid(detail="code list without a SHA-256")
    if not 0 < item["size"] <= MAX_CODE_LIST_BYTES:
        raise ServerAnswerInvalid(detail="code list too large")
    return CodeListVersion(**{name: item[name] for name in (*texts, *numbers)})


def _clinic_key(item: object) -> ClinicKey:
    if not isinstance(item, dict) or not all(
        isinstance(item.get(name), str) for name in ("clinic_id", "site_code", "name", "public_key")
    ):
        raise ServerAnswerInvalid(detail="clinic key of the wrong shape")
    try:
        raw = base64.b64decode(item["public_key"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ServerAnswerInvalid(detail="clinic key is not base64") from exc
    if (
        len(raw) != 32
        or not _SITE_CODE.fullmatch(item["site_code"])
        or not 0 < len(item["clinic_id"]) <= 64
        or len(item["name"]) > 200
    ):
        raise ServerAnswerInvalid(detail="clinic key of the wrong shape")
    return ClinicKey(item["clinic_id"], item["site_code"], item["name"], item["public_key"])


# --- clinics' keys ------------------------------------------------------------------------


def apply_clinic_keys(session: Session, version: str, keys: list[ClinicKey]) -> int:
    """Store central's list of clinic keys (one transaction); return how many rows changed.

    Keys central no longer lists are kept, marked not current: a document
    signed before its clinic enrolled again with a new key still checks.
    """
    now = to_iso(utc_now())
    listed = {key.public_key for key in keys}
    changed = 0
    with session.transaction() as tx:
        for key in keys:
            cursor = tx.execute(
                "INSERT INTO clinic_keys (public_key, clinic_id, site_code, clinic_name, current, "
                "first_seen_at) VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (public_key) DO UPDATE SET "
                "clinic_id = excluded.clinic_id, site_code = excluded.site_code, "
                "clinic_name = excluded.clinic_name, current = 1 "
                "WHERE clinic_keys.clinic_id IS NOT excluded.clinic_id "
                "OR clinic_keys.site_code IS NOT excluded.site_code "
                "OR clinic_keys.clinic_name IS NOT excluded.clinic_name "
                "OR clinic_keys.current = 0",
                (key.public_key, key.clinic_id, key.site_code, key.name, now),
            )
            changed += int(cursor.rowcount or 0)
        rows: list[Any] = tx.all("SELECT public_key FROM clinic_keys WHERE current = 1")
        for row in rows:
            if row["public_key"] not in listed:
                tx.execute(
                    "UPDATE clinic_keys SET current = 0 WHERE public_key = ?", (row["public_key"],)
                )
                changed += 1
        _set_state(tx, CLINIC_KEYS_VERSION, version)
    return changed


def _set_state(tx: Tx, key: str, value: str) -> None:
    tx.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# --- the ICD-11 list ----------------------------------------------------------------------


def update_icd11(
    session: Session, client: CentralClient, announced: CodeListVersion
) -> tuple[int | None, int]:
    """Install central's ICD-11 list if its rows differ from ours: (version installed, bytes)."""
    held = installed_code_list(session.store)
    if held is not None and held.content_sha256 == announced.content_sha256:
        if held.version != announced.version:
            with session.transaction() as tx:  # the same rows: remember central's number
                tx.execute(
                    "UPDATE code_lists SET version = ? WHERE name = ?",
                    (announced.version, CODE_LIST),
                )
        _remove_partials(session.data_dir, keep=None)
        return None, 0
    data, downloaded, partial = download_code_list(session.data_dir, client, announced)
    try:
        install_code_list(session, announced, data, source="central")
    finally:
        partial.unlink(missing_ok=True)  # installed, or refused: either way it goes
    return announced.version, downloaded


def install_code_list(
    session: Session, announced: CodeListVersion, data: bytes, *, source: str
) -> int:
    """Replace the ICD-11 codes with central's artefact ``data`` (one transaction, audited).

    The artefact's bytes are checked against the announced SHA-256 first, the rows
    against ``content_sha256`` inside the transaction: ``CodeListDamaged`` and
    nothing installed when either differs. ``source`` is ``central`` (downloaded)
    or ``carried`` (a hand-carried answer file). Returns the number of codes.
    """
    if announced.name != CODE_LIST or hashlib.sha256(data).hexdigest() != announced.sha256:
        raise CodeListDamaged(detail="checksum")
    with session.transaction() as tx:
        count = install_icd11_artefact(
            tx,
            data,
            content_sha256=announced.content_sha256,
            version=announced.version,
            release=announced.release,
            language=announced.language,
        )
        session.audit(
            tx,
            "import_icd11",
            object_kind="code_list",
            object_id=f"{CODE_LIST}:{announced.version}",
            detail=f"from={source};codes={count}",
        )
    log.info("ICD-11 list version %d installed (%s)", announced.version, source)
    return count


# --- the same master data by hand-carried file (clinic_app.sync.handcarry) ------------------


def master_data_held(store: Store | Tx) -> dict[str, Any]:
    """What a carried file tells central of the master data held here, so that its
    answer brings only what changed: the clinics' keys version, each code list's rows."""
    held = store.one("SELECT value FROM sync_state WHERE key = ?", (CLINIC_KEYS_VERSION,))
    code_list = installed_code_list(store)
    return {
        "clinic_keys_version": str(held["value"]) if held is not None else None,
        "code_lists": {CODE_LIST: code_list.content_sha256} if code_list is not None else {},
    }


def apply_carried_master_data(session: Session, answer: object) -> MasterDataReport:
    """Apply the master data of a hand-carried answer: keys, a code list, staff.

    ``answer`` is central's ``GET /master-data`` summary, where a code list whose
    rows differ from ours also carries its artefact (``content``, base64). Each
    part is checked as over the network (``ServerAnswerInvalid`` when malformed,
    ``CodeListDamaged`` when the bytes are not the announced ones) before anything
    of it is written. Applying the same answer again changes nothing.
    """
    if not isinstance(answer, dict):
        raise ServerAnswerInvalid(detail="answer file of the wrong shape")
    lists, keys_version, keys = read_summary(answer)
    contents: dict[str, bytes] = {}
    for item in answer["code_lists"]:
        content = item.get("content") if isinstance(item, dict) else None
        if content is None:
            continue
        if not isinstance(content, str) or len(content) > 2 * MAX_CODE_LIST_BYTES:
            raise ServerAnswerInvalid(detail="code list of the wrong shape")
        try:
            contents[str(item["name"])] = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ServerAnswerInvalid(detail="code list is not base64") from exc
    keys_changed = apply_clinic_keys(session, keys_version, keys) if keys is not None else 0
    installed: int | None = None
    for announced in lists:
        data = contents.get(announced.name)
        held = installed_code_list(session.store)
        if data is None or (held is not None and held.content_sha256 == announced.content_sha256):
            continue
        install_code_list(session, announced, data, source="carried")
        installed = announced.version
    return MasterDataReport(
        code_list_installed=installed,
        bytes_downloaded=sum(len(data) for data in contents.values()),
        keys_changed=keys_changed,
        staff_disabled=apply_staff_directory(session),
    )


def partial_path(folder: Path, announced: CodeListVersion) -> Path:
    """Where the download of this version grows (hidden, private, in the data folder)."""
    return folder / (
        f"{PARTIAL_PREFIX}{announced.name}-{announced.version}-"
        f"{announced.sha256[:16]}{PARTIAL_SUFFIX}"
    )


def _remove_partials(folder: Path, keep: Path | None) -> None:
    """Downloads of versions central no longer offers are useless: remove them."""
    for leftover in folder.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"):
        if leftover != keep:
            leftover.unlink(missing_ok=True)


def download_code_list(
    folder: Path, client: CentralClient, announced: CodeListVersion
) -> tuple[bytes, int, Path]:
    """The whole artefact, checked against its SHA-256: (bytes, bytes downloaded now, file).

    Resumes a partial file from an earlier sync. A whole file with the wrong
    checksum is discarded and downloaded once more from the start; still wrong
    raises ``CodeListDamaged``.
    """
    partial = partial_path(folder, announced)
    _remove_partials(folder, keep=partial)
    downloaded = 0
    for _attempt in range(2):
        downloaded += _fetch_rest(client, announced, partial)
        data = partial.read_bytes()
        if hashlib.sha256(data).hexdigest() == announced.sha256:
            return data, downloaded, partial
        log.warning("code list %s download damaged; fetching it again", announced.name)
        partial.unlink(missing_ok=True)
    raise CodeListDamaged(detail="checksum")


def _fetch_rest(client: CentralClient, announced: CodeListVersion, partial: Path) -> int:
    """Append to ``partial`` what it lacks of the artefact; return the bytes received.

    The file is created owner-only. ``ServerUnreachable`` when the link breaks:
    what arrived stays in the file for the next try.
    """
    have = partial.stat().st_size if partial.exists() else 0
    if have > announced.size:
        partial.unlink()
        have = 0
    if have == announced.size:
        return 0
    if not client.token:
        raise ServerAnswerInvalid(detail="no device token")
    url = f"{client.base_url}{API_PREFIX}/codelists/{announced.name}/{announced.version}"
    headers = {"Accept-Encoding": "identity"}  # the artefact is gzip already
    if have:
        headers["Range"] = f"bytes={have}-"
    received = 0
    try:
        with client._http.get(
            url,
            headers=headers,
            auth=_BearerToken(client.token),
            timeout=client.timeout,
            stream=True,
            allow_redirects=False,
        ) as response:
            if response.status_code == 416:
                partial.unlink(missing_ok=True)  # longer than central's: start again
                return 0
            if response.status_code not in (200, 206) or PROTOCOL_HEADER not in response.headers:
                read_error_answer(response, response.content)  # raises the typed error
                raise ServerAnswerInvalid(detail=f"HTTP {response.status_code}")
            start = _range_start(response, announced.size) if response.status_code == 206 else 0
            if start != have:
                have = 0  # central sent another range, or the whole: write from the start
                if start != 0:
                    raise ServerAnswerInvalid(detail="code list range does not follow")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "ab") as out:
                if have == 0:
                    out.truncate(0)
                for chunk in response.iter_content(DOWNLOAD_CHUNK):
                    out.write(chunk)
                    received += len(chunk)
                    if have + received > announced.size:
                        break  # more than announced: the checksum will refuse it
                out.flush()
                os.fsync(out.fileno())
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        log.info("code list download cut after %d bytes: %s", received, type(exc).__name__)
        raise ServerUnreachable() from exc
    except requests.exceptions.RequestException as exc:  # ChunkedEncodingError and the rest
        log.info("code list download cut after %d bytes: %s", received, type(exc).__name__)
        raise ServerUnreachable() from exc
    if have + received < announced.size:
        raise ServerUnreachable()  # the answer ended early: the rest comes next time
    return received


def _range_start(response: requests.Response, size: int) -> int:
    found = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", "").strip())
    if found is None or int(found.group(3)) != size:
        raise ServerAnswerInvalid(detail="code list range of the wrong shape")
    return int(found.group(1))
