"""Backing the clinic up to a USB stick, and restoring it onto a fresh install.

One backup is one file, ``clinic-<SITE>-<YYYYMMDD-HHMMSS>.clinicbackup``:

    MAGIC                         b"CLINIC-APP-BACKUP\\n"
    manifest length               8 bytes, big-endian
    manifest                      JSON: format, clinic id, site code, created_at,
                                  schema version, each member's name, size and
                                  SHA-256, and an HMAC-SHA256 over the rest of
                                  the manifest
    members                       clinic.db, then keyslots.json, back to back
    trailer                       SHA-256 of every byte above

Why our own container rather than a zip: every byte of the file is covered
(the trailer), so a single flipped or missing byte anywhere is found before
anything is restored; zip and tar leave header fields unchecked.

What protects what:

* ``clinic.db`` is a consistent snapshot made with SQLite's online backup API
  (``conn.backup``) into a new file keyed with the same raw key: it stays
  SQLCipher-encrypted (tested: the file does not read as plain SQLite and
  holds no patient name in clear). ``keyslots.json`` holds only wrapped keys.
* The trailer and the members' hashes find accidental damage (a bad stick,
  a copy cut short) without any password. The manifest's HMAC, keyed by a key
  derived from the database key (HKDF), finds deliberate tampering: it is
  checked once a user's password has unwrapped the key from the backup's
  own slots — still before anything is written to the data folder.

Rules this module keeps:

* A backup is written under a temporary name, flushed and fsync'd, renamed,
  then read back and checked (hashes, HMAC, the database opened with the key,
  ``PRAGMA cipher_integrity_check`` and ``integrity_check``). A backup that
  fails its check is deleted and the admin is told.
* Restore goes only into a folder with no clinic in it; it never overwrites.
  The members are unpacked into a temporary folder inside the data folder,
  opened and checked there (the user's password must open the restored slots
  and the user must be allowed to restore), then linked into place without
  overwriting: the key slots first, the database last (the database's
  presence is what makes a folder "a clinic").
* Restoring gives the clinic back as it was at backup time, with the key
  slots (and so the passwords) of that time. Changes that were still in the
  outbox at backup time are sent again at the next sync; central stores an
  identical record once.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

import sqlcipher3
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from clinic_app.clock import from_iso, to_iso, utc_now
from clinic_app.errors import ClinicAlreadyExists, ClinicError, PermissionDenied, WrongPassword
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.security.permissions import ACTION_NAMES, Action, Actor, parse_roles
from clinic_app.session import Session
from clinic_app.storage.keys import KeySlots
from clinic_app.storage.schema import APPLICATION_ID
from clinic_app.storage.store import DB_FILE, SLOTS_FILE, open_store, prepare_data_folder

MAGIC = b"CLINIC-APP-BACKUP\n"
FORMAT = 1
SUFFIX = ".clinicbackup"
MEMBERS = (DB_FILE, SLOTS_FILE)
MAX_MANIFEST = 64 * 1024
CHUNK = 1024 * 1024
LAST_BACKUP_SETTING = "last_backup_at"
BACKUP_INTERVAL = timedelta(days=1)


class BackupError(ClinicError):
    template = QT_TRANSLATE_NOOP("errors", "The backup could not be made.")


class FolderUnavailable(BackupError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The folder {path} cannot be written. Check that the USB stick is plugged in, "
        "not full and not read-only, then try again.",
    )


class BackupInsideClinic(BackupError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "A backup in the clinic's own folder {path} would be lost with the computer. "
        "Choose a USB stick or another disk.",
    )


class BackupCheckFailed(BackupError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The backup written to {path} did not read back correctly and was deleted. "
        "Try again, or use another USB stick.",
    )


class BackupDamaged(BackupError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The file {path} is not a clinic backup, or it is damaged or incomplete; "
        "nothing was restored. Try another copy of the backup.",
    )


class RestoreFolderUnavailable(BackupError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The clinic could not be restored into {path}: the folder cannot be written or "
        "the disk is full. Nothing was restored; free some space or choose another folder.",
    )


class BackupMissing(BackupError):
    template = QT_TRANSLATE_NOOP(
        "errors", "There is no backup file at {path}. Check the USB stick and the file name."
    )


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    created_at: datetime
    clinic_id: str
    sha256: str  # of the whole file, for the admin's log book


@dataclass(frozen=True)
class RestoreReport:
    data_dir: Path
    clinic_id: str
    backup_created_at: datetime
    restored_at: datetime


@dataclass(frozen=True)
class _Member:
    name: str
    offset: int
    size: int
    sha256: str


@dataclass(frozen=True)
class _Verified:
    manifest: dict[str, Any]
    members: dict[str, _Member]


# --- writing files safely ----------------------------------------------------------------


def write_atomically(
    path: Path, chunks: Iterator[bytes] | list[bytes], *, replace: bool = True
) -> int:
    """Write ``chunks`` to ``path`` via a temporary name: flushed, fsync'd, renamed, mode 0600.

    ``replace=False``: an existing ``path`` is kept and ``FileExistsError`` raised
    (the temporary file is linked to its name, which never replaces a file).
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    size = 0
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise FolderUnavailable(path=str(path.parent)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
                size += len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
            tmp.unlink()
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, FileExistsError):
            raise FolderUnavailable(path=str(path.parent)) from exc
        raise
    _fsync_folder(path.parent)
    return size


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system (FAT sticks) allows it
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _check_folder(folder: Path) -> Path:
    folder = Path(folder)
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise FolderUnavailable(path=str(folder))
    return folder


# --- the container -----------------------------------------------------------------------


def _manifest_key(db_key: bytes, clinic_id: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"clinic-app backup manifest v1|{clinic_id}".encode(),
    ).derive(db_key)


def _canonical(manifest: dict[str, Any]) -> bytes:
    body = {k: v for k, v in manifest.items() if k != "hmac"}
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _manifest_hmac(manifest: dict[str, Any], db_key: bytes) -> str:
    key = _manifest_key(db_key, str(manifest["clinic_id"]))
    return hmac.new(key, _canonical(manifest), hashlib.sha256).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _read_file(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            yield block


def _container(manifest_bytes: bytes, sources: list[Path | bytes]) -> Iterator[bytes]:
    whole = hashlib.sha256()
    header = MAGIC + len(manifest_bytes).to_bytes(8, "big") + manifest_bytes
    whole.update(header)
    yield header
    for source in sources:
        blocks = [source] if isinstance(source, bytes) else _read_file(source)
        for block in blocks:
            whole.update(block)
            yield block
    yield whole.digest()


def _verify(path: Path) -> _Verified:
    """Check structure, every member's hash and the trailer; raise ``BackupDamaged``."""
    damaged = BackupDamaged(path=str(path))
    try:
        total = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(len(MAGIC) + 8)
            if len(head) < len(MAGIC) + 8 or head[: len(MAGIC)] != MAGIC:
                raise damaged
            length = int.from_bytes(head[len(MAGIC) :], "big")
            if not 0 < length <= MAX_MANIFEST:
                raise damaged
            manifest_bytes = handle.read(length)
            manifest = json.loads(manifest_bytes.decode("utf-8"))
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise damaged
            listed = manifest.get("members")
            if not isinstance(listed, list) or [m.get("name") for m in listed] != list(MEMBERS):
                raise damaged
            offset = len(MAGIC) + 8 + length
            members: dict[str, _Member] = {}
            for entry in listed:
                size = entry.get("size")
                if not isinstance(size, int) or size < 0:
                    raise damaged
                members[entry["name"]] = _Member(entry["name"], offset, size, str(entry["sha256"]))
                offset += size
            if offset + 32 != total:
                raise damaged  # cut short, or bytes added
            whole = hashlib.sha256(head + manifest_bytes)
            for member in members.values():
                digest = hashlib.sha256()
                left = member.size
                while left:
                    block = handle.read(min(CHUNK, left))
                    if not block:
                        raise damaged
                    digest.update(block)
                    whole.update(block)
                    left -= len(block)
                if not hmac.compare_digest(digest.hexdigest(), member.sha256):
                    raise damaged
            if not hmac.compare_digest(handle.read(32), whole.digest()):
                raise damaged
    except (OSError, ValueError, UnicodeDecodeError, AttributeError, KeyError, TypeError) as exc:
        raise damaged from exc
    for name in ("clinic_id", "created_at", "hmac"):
        if not isinstance(manifest.get(name), str):
            raise damaged
    return _Verified(manifest, members)


def _member_bytes(path: Path, member: _Member) -> bytes:
    with path.open("rb") as handle:
        handle.seek(member.offset)
        data = handle.read(member.size)
    if hashlib.sha256(data).hexdigest() != member.sha256:
        raise BackupDamaged(path=str(path))
    return data


def _copy_member(path: Path, member: _Member, target: IO[bytes]) -> None:
    """Copy one member out, checking its hash again (the file may change under us)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        handle.seek(member.offset)
        left = member.size
        while left:
            block = handle.read(min(CHUNK, left))
            if not block:
                raise BackupDamaged(path=str(path))
            digest.update(block)
            target.write(block)
            left -= len(block)
    if digest.hexdigest() != member.sha256:
        raise BackupDamaged(path=str(path))


def _slots_of(path: Path, verified: _Verified, slots_path: Path) -> KeySlots:
    try:
        data = json.loads(_member_bytes(path, verified.members[SLOTS_FILE]).decode("utf-8"))
        slots = KeySlots(slots_path, str(data["clinic_id"]), dict(data["slots"]))
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise BackupDamaged(path=str(path)) from exc
    if slots.clinic_id != verified.manifest["clinic_id"]:
        raise BackupDamaged(path=str(path))
    return slots


def _check_hmac(path: Path, verified: _Verified, db_key: bytes) -> None:
    expected = _manifest_hmac(verified.manifest, db_key)
    if not hmac.compare_digest(expected, verified.manifest["hmac"]):
        raise BackupDamaged(path=str(path))


def _check_database(db_path: Path, key: bytes, clinic_id: str) -> None:
    """Open a database copy with the key; raise ``ValueError`` unless it is whole and ours."""
    conn = sqlcipher3.connect(str(db_path), isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                raise ValueError("not a clinic database")
            if conn.execute("PRAGMA cipher_integrity_check").fetchall():
                raise ValueError("cipher integrity check failed")
            if [row[0] for row in conn.execute("PRAGMA integrity_check")] != ["ok"]:
                raise ValueError("integrity check failed")
            row = conn.execute("SELECT value FROM settings WHERE key = 'clinic_id'").fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise ValueError("unreadable database") from exc
        if row is None or row[0] != clinic_id:
            raise ValueError("another clinic's database")
    finally:
        conn.close()


# --- backup -----------------------------------------------------------------------------------


def _snapshot(session: Session, target: Path) -> None:
    """A consistent, still encrypted copy of the live database (SQLite online backup API)."""
    key = session.store._key
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    copy = sqlcipher3.connect(str(target), isolation_level=None)
    try:
        copy.execute("PRAGMA cipher_log_level = NONE")
        copy.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        session.store.connection().backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        copy.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)


def _schema_version(session: Session) -> int:
    row = session.store.one("PRAGMA user_version")
    return int(row[0]) if row is not None else 0


WORK_PREFIXES = (".backup-", ".restore-")
"""The private folders a backup or a restore works in, inside the data folder: each
holds a whole copy of the database while it runs."""


def remove_leftover_work(data_dir: Path, *, older_than: float = 3600.0) -> int:
    """Delete what an interrupted backup or restore left in ``data_dir``; return how many.

    A copy of the database left there would outlive a re-key on the old key.
    ``older_than`` seconds: another program's backup running now is left alone
    (``rekey`` passes 0: it must leave no copy on the old key).
    """
    removed = 0
    now = time.time()
    for prefix in WORK_PREFIXES:
        for leftover in Path(data_dir).glob(prefix + "*"):
            try:
                if leftover.is_dir() and now - leftover.stat().st_mtime >= older_than:
                    shutil.rmtree(leftover)
                    removed += 1
            except OSError:
                continue  # gone meanwhile, or not ours to remove: the next run tries again
    return removed


def backup_clinic(session: Session, folder: Path) -> BackupReport:
    """Write an encrypted backup into ``folder`` (a USB stick), check it, record it.

    Slow (the whole database is copied and read back): call it off the GUI thread.
    """
    session.require(Action.BACKUP)
    folder = _check_folder(folder)
    home = session.data_dir.resolve()
    if folder.resolve() == home or home in folder.resolve().parents:
        raise BackupInsideClinic(path=str(session.data_dir))
    created = utc_now()
    clinic_id = session.site_id
    site = (session.store.setting("site_code") or "CLINIC").upper()
    final = folder / f"clinic-{site}-{created:%Y%m%d-%H%M%S}{SUFFIX}"
    remove_leftover_work(session.data_dir)
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIXES[0], dir=session.data_dir))
    try:
        snapshot = work / DB_FILE
        _snapshot(session, snapshot)
        slots = (session.data_dir / SLOTS_FILE).read_bytes()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "clinic_id": clinic_id,
            "site_code": site,
            "created_at": to_iso(created),
            "schema_version": _schema_version(session),
            "members": [
                {
                    "name": DB_FILE,
                    "size": snapshot.stat().st_size,
                    "sha256": _file_sha256(snapshot),
                },
                {
                    "name": SLOTS_FILE,
                    "size": len(slots),
                    "sha256": hashlib.sha256(slots).hexdigest(),
                },
            ],
        }
        manifest["hmac"] = _manifest_hmac(manifest, session.store._key)
        manifest_bytes = json.dumps(manifest, sort_keys=True, indent=1).encode("utf-8")
        # Two backups in the same second (two windows) never overwrite each other.
        for attempt in range(100):
            if attempt:
                final = folder / f"clinic-{site}-{created:%Y%m%d-%H%M%S}-{attempt}{SUFFIX}"
            try:
                size = write_atomically(
                    final, _container(manifest_bytes, [snapshot, slots]), replace=False
                )
                break
            except FileExistsError:
                continue
        else:
            raise FolderUnavailable(path=str(folder))
        snapshot.unlink()
        _check_written(final, session.store._key, clinic_id, work)
    except BackupCheckFailed:
        final.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with session.transaction() as tx:
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (LAST_BACKUP_SETTING, to_iso(created)),
        )
        session.audit(
            tx, "backup", object_kind="backup", object_id=final.name, detail=f"bytes={size}"
        )
    return BackupReport(final, size, created, clinic_id, _file_sha256(final))


def _check_written(path: Path, key: bytes, clinic_id: str, work: Path) -> None:
    """Read the backup back as a restore would, and open its database with the key."""
    try:
        verified = _verify(path)
        _check_hmac(path, verified, key)
        copy = work / ("check-" + DB_FILE)
        fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            _copy_member(path, verified.members[DB_FILE], handle)
        _check_database(copy, key, clinic_id)
    except (BackupDamaged, ValueError, OSError) as exc:
        raise BackupCheckFailed(path=str(path)) from exc


def last_backup_at(session: Session) -> datetime | None:
    value = session.store.setting(LAST_BACKUP_SETTING)
    return from_iso(value) if value else None


def backup_due(session: Session, *, now: datetime | None = None) -> bool:
    """True when no backup was made in the last day (the window then shows a reminder)."""
    last = last_backup_at(session)
    return last is None or (now or utc_now()) - last >= BACKUP_INTERVAL


# --- restore ----------------------------------------------------------------------------------


def _has_clinic(data_dir: Path) -> bool:
    return (data_dir / DB_FILE).exists() or (data_dir / SLOTS_FILE).exists()


def restore_clinic(
    backup_file: Path, data_dir: Path, username: str, password: str
) -> RestoreReport:
    """Restore a backup into ``data_dir``, which must hold no clinic; then log in and audit.

    Raises ``ClinicAlreadyExists`` (nothing is overwritten), ``BackupMissing``,
    ``BackupDamaged`` (any changed or missing byte), ``WrongPassword`` (the
    password does not open the backup's key slot), ``PermissionDenied`` (the
    user may not restore). In every refusal the data folder is left as it was.
    """
    from clinic_app.security.accounts import login, normalise_username

    backup_file = Path(backup_file)
    data_dir = Path(data_dir)
    if _has_clinic(data_dir):
        raise ClinicAlreadyExists(path=str(data_dir))
    if not backup_file.is_file():
        raise BackupMissing(path=str(backup_file))
    verified = _verify(backup_file)
    clinic_id = verified.manifest["clinic_id"]
    username = normalise_username(username)
    slots = _slots_of(backup_file, verified, data_dir / SLOTS_FILE)
    key = slots.unlock(username, password)
    _check_hmac(backup_file, verified, key)

    made_dir = not data_dir.exists()
    prepare_data_folder(data_dir)
    remove_leftover_work(data_dir, older_than=0)  # a restore interrupted before this one
    work = Path(tempfile.mkdtemp(prefix=WORK_PREFIXES[1], dir=data_dir))
    placed: list[Path] = []
    try:
        db_copy = work / DB_FILE
        fd = os.open(db_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            _copy_member(backup_file, verified.members[DB_FILE], handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            _check_database(db_copy, key, clinic_id)
        except ValueError as exc:
            raise BackupDamaged(path=str(backup_file)) from exc
        _check_restoring_user(db_copy, key, username)
        # Marked before it is put in place: a restored clinic is never without the mark
        # that brings back its later records and moves its numbers on (sync.service).
        taken = from_iso(verified.manifest["created_at"])
        _mark_restored(db_copy, key, int((utc_now() - taken).total_seconds() // 60))
        slots_copy = work / SLOTS_FILE
        fd = os.open(slots_copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_member_bytes(backup_file, verified.members[SLOTS_FILE]))
            handle.flush()
            os.fsync(handle.fileno())
        # link() never replaces an existing file: a clinic that appeared meanwhile is kept.
        for name in (SLOTS_FILE, DB_FILE):
            try:
                os.link(work / name, data_dir / name)
            except FileExistsError as exc:
                raise ClinicAlreadyExists(path=str(data_dir)) from exc
            placed.append(data_dir / name)
        _fsync_folder(data_dir)
    except BaseException as exc:
        for path in placed:
            path.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)
        if made_dir:
            with contextlib.suppress(OSError):
                data_dir.rmdir()
        if isinstance(exc, OSError):  # a full disk, a folder that cannot be written
            raise RestoreFolderUnavailable(path=str(data_dir)) from exc
        raise
    shutil.rmtree(work, ignore_errors=True)

    session = login(data_dir, username, password)
    try:
        with session.transaction() as tx:
            session.audit(
                tx,
                "restore",
                object_kind="backup",
                object_id=backup_file.name,
                detail=f"created_at={verified.manifest['created_at']}",
            )
    finally:
        session.close()
    return RestoreReport(data_dir, clinic_id, from_iso(verified.manifest["created_at"]), utc_now())


def _mark_restored(db_path: Path, key: bytes, minutes_since_backup: int) -> None:
    from clinic_app.sync.service import mark_restored

    store = open_store(db_path, key)
    try:
        with store.transaction() as tx:
            mark_restored(tx, minutes_since_backup=minutes_since_backup)
        store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)


def _check_restoring_user(db_path: Path, key: bytes, username: str) -> None:
    """The person restoring must be an active user of the backup allowed to restore."""
    store = open_store(db_path, key)  # also upgrades a backup made by an older version
    try:
        row = store.one("SELECT * FROM users WHERE username = ?", (username,))
        store.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    if row is None or not row["active"]:
        raise WrongPassword()
    actor = Actor(row["id"], row["username"], row["display_name"], parse_roles(row["roles"]))
    if not actor.may(Action.RESTORE):
        raise PermissionDenied(action=ACTION_NAMES[Action.RESTORE])
