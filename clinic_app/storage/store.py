"""The encrypted clinic store: one SQLCipher file, opened with a raw 256-bit key.

Rules this module keeps:

* ``open_store`` raises typed errors only: ``NotAClinicDatabase`` for a file that
  is not ours (or not decryptable with the key), ``NewerSchema`` for a file
  from a newer program. Schema upgrades run at opening, numbered steps, each in
  one transaction.
* Each thread gets its own connection (SQLite connections are not shared across
  threads); WAL mode lets the GUI read while the sync worker writes.
* ``Store.transaction()`` is the unit of work: ``BEGIN IMMEDIATE``, commit on a
  clean exit, roll back on any exception. A service writes its record, its
  audit event and its outbox entry inside one — or none of them.
* Temporary tables and sorts stay in memory: SQLite's temp files would sit
  outside the encryption.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias, TypeVar

import sqlcipher3

from clinic_app.clock import to_iso, utc_now
from clinic_app.errors import (
    ClinicError,
    DatabaseBusy,
    DatabaseUnreadable,
    FolderNotUsable,
    NewerSchema,
    NotAClinicDatabase,
)
from clinic_app.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

DB_FILE = "clinic.db"
SLOTS_FILE = "keyslots.json"

T = TypeVar("T")
Row: TypeAlias = Any  # a sqlcipher3.Row: columns by name (sqlcipher3 ships no types)
DatabaseError = sqlcipher3.DatabaseError
IntegrityError = sqlcipher3.IntegrityError


def _configure(conn: Any, key: bytes, path: Path) -> None:
    conn.row_factory = sqlcipher3.Row
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlcipher3.DatabaseError, DatabaseUnreadable) as exc:
        conn.close()
        raise NotAClinicDatabase(path=str(path)) from exc
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 15000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


class ClinicConnection(sqlcipher3.Connection):
    """A connection whose failures are typed errors a person can act on.

    A damaged file ("database disk image is malformed"), a key that no longer
    opens it (re-keyed from another session), a table dropped by hand: each
    surfaces as ``DatabaseUnreadable``; a lock held too long as
    ``DatabaseBusy``. Constraint violations (``IntegrityError``) pass through
    unchanged: they are the caller's to handle.
    """

    def execute(self, sql: str, params: Any = ()) -> Any:
        with _typed_database_errors():
            return super().execute(sql, params)

    def executemany(self, sql: str, params: Any) -> Any:
        with _typed_database_errors():
            return super().executemany(sql, params)


@contextmanager
def _typed_database_errors() -> Iterator[None]:
    try:
        yield
    except sqlcipher3.IntegrityError:
        raise
    except sqlcipher3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy() from exc
        raise DatabaseUnreadable() from exc
    except sqlcipher3.DatabaseError as exc:
        raise DatabaseUnreadable() from exc


class Tx:
    """One open transaction: the only way services write."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        return self.conn.execute(sql, params)

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Row | None:
        with _typed_database_errors():
            row: Row | None = self.conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Row]:
        with _typed_database_errors():
            return list(self.conn.execute(sql, params).fetchall())

    def insert(self, table: str, row: Mapping[str, Any], *, sync_kind: str | None = None) -> None:
        """Insert ``row``; with ``sync_kind``, queue it for central in the same transaction."""
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", dict(row))
        if sync_kind is not None:
            self.record_change(sync_kind, row)

    def update(self, table: str, row: Mapping[str, Any], *, sync_kind: str | None = None) -> None:
        """Update the row with ``row['id']`` to these values; queue the whole row for sync."""
        sets = ", ".join(f"{name} = :{name}" for name in row if name != "id")
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = :id", dict(row))
        if sync_kind is not None:
            full = self.one(f"SELECT * FROM {table} WHERE id = ?", (row["id"],))
            if full is not None:
                self.record_change(sync_kind, dict(full))

    def record_change(self, kind: str, row: Mapping[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO outbox (kind, record_id, payload, created_at) VALUES (?, ?, ?, ?)",
            (kind, row["id"], json.dumps(dict(row), sort_keys=True), to_iso(utc_now())),
        )


class Store:
    """An opened clinic database; hands each thread its own connection."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._key = key
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Any] = []
        self._before_close: list[Callable[[], None]] = []
        self._on_begin: list[Callable[[Tx], Callable[[bool], None] | None]] = []
        self._attachments: dict[str, Any] = {}
        _OPEN_STORES.add(self)

    def connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlcipher3.connect(
                str(self.path), isolation_level=None, timeout=15, factory=ClinicConnection
            )
            _configure(conn, self._key, self.path)
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """A unit of work; inside another one on this thread, a savepoint that joins it.

        Nesting lets a caller group many service calls in one commit (bulk
        imports, demo data) while each service still rolls back its own part
        on error.
        """
        conn = self.connection()
        if conn.in_transaction:
            depth = getattr(self._local, "depth", 0) + 1
            self._local.depth = depth
            name = f"unit_{depth}"
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield Tx(conn)
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                raise
            finally:
                self._local.depth -= 1
            conn.execute(f"RELEASE {name}")
            return
        conn.execute("BEGIN IMMEDIATE")
        endings: list[Callable[[bool], None]] = []
        try:
            tx = Tx(conn)
            for hook in self._on_begin:
                ending = hook(tx)
                if ending is not None:
                    endings.append(ending)
            yield tx
        except BaseException:
            with contextlib.suppress(Exception):  # a broken file must not hide the first error
                conn.execute("ROLLBACK")
            for ending in endings:
                ending(False)
            raise
        conn.execute("COMMIT")
        for ending in endings:
            ending(True)

    def one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Row | None:
        with _typed_database_errors():
            row: Row | None = self.connection().execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Row]:
        with _typed_database_errors():
            return list(self.connection().execute(sql, params).fetchall())

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return str(row["value"]) if row is not None else default

    def attachment(self, name: str, make: Callable[[], T]) -> T:
        """A helper object that lives as long as this store (made once, on first use)."""
        with self._lock:
            if name not in self._attachments:
                self._attachments[name] = None  # reserved: make() may call back in
            else:
                return self._attachments[name]
        made = make()
        with self._lock:
            self._attachments[name] = made
        return made

    def on_begin(self, hook: Callable[[Tx], Callable[[bool], None] | None]) -> None:
        """Run ``hook(tx)`` first thing in every outermost transaction (e.g. drain a queue).

        The hook may return ``ending(committed)``, called once the transaction
        committed or rolled back.
        """
        self._on_begin.append(hook)

    def before_close(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` (e.g. flush a queue) before the connections close."""
        self._before_close.append(callback)

    def close(self) -> None:
        _OPEN_STORES.discard(self)
        callbacks, self._before_close = self._before_close, []
        for callback in callbacks:
            callback()
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(sqlcipher3.ProgrammingError):
                    conn.close()  # may belong to a thread that is already gone
            self._all.clear()
        self._local = threading.local()


# Stores not closed yet. A script (or a test) that calls the services and ends without
# closing its session still runs the stores' closing work at exit: the audit entries
# of its reads, queued until the next write (clinic_app.security.audit_queue), are
# written then. Only a killed process or a power cut loses them.
_OPEN_STORES: weakref.WeakSet[Store] = weakref.WeakSet()


@atexit.register
def _close_open_stores() -> None:
    for store in list(_OPEN_STORES):
        try:
            store.close()
        except (ClinicError, sqlcipher3.Error, OSError) as exc:
            log.warning("a clinic database could not be closed at exit: %s", type(exc).__name__)


def prepare_data_folder(folder: Path) -> None:
    """Make ``folder`` (owner-only) for a clinic's files, or refuse it with a typed error."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise NotADirectoryError(str(folder))
    except OSError as exc:
        raise FolderNotUsable(path=str(folder)) from exc


def open_store(path: Path, key: bytes, *, create: bool = False) -> Store:
    """Open (or, with ``create``, make) the clinic database at ``path`` and upgrade it."""
    # An empty file (a copy cut short, a disk that filled up) would be taken by SQLite
    # for a new database and written to: refused before it is opened.
    if not create and (not path.is_file() or path.stat().st_size == 0):
        raise NotAClinicDatabase(path=str(path))
    if create:
        # SQLite gives the -wal and -shm files the mode of the database file.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    store = Store(path, key)
    conn = store.connection()
    if create:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    elif conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
        store.close()
        raise NotAClinicDatabase(path=str(path))
    else:
        _check_every_page(store)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        store.close()
        raise NewerSchema(found=version, known=SCHEMA_VERSION)
    for step in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration = MIGRATIONS[step]
            if isinstance(migration, str):
                for statement in _statements(migration):
                    conn.execute(statement)
            else:
                migration(conn)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            store.close()
            raise
        conn.execute("COMMIT")
    return store


def _check_every_page(store: Store) -> None:
    """Refuse a damaged file at opening, before anything is read from it or written to it.

    SQLCipher authenticates each page (HMAC); checking them all costs about
    0.1 s for a 25 MB clinic (benchmarks/bench_unlock.py runs with it), and
    finds a byte changed anywhere, which a query would meet only when it
    happened to read that page.
    """
    try:
        damaged = store.all("PRAGMA cipher_integrity_check")
    except DatabaseUnreadable:
        store.close()
        raise
    if damaged:
        store.close()
        raise DatabaseUnreadable()


def _statements(script: str) -> list[str]:
    """Split a migration script into statements, with SQLite's own completeness test."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlcipher3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError("incomplete statement at the end of a migration")
    return statements
