"""Central's tables and engine.

One SQLAlchemy ``MetaData`` describes the tables the services use; the tables
themselves are made and changed only by the Alembic revisions in
``central/migrations`` (:func:`create_tables` runs them). A table added here
needs its revision: a test compares the two. SQLite is the embedded
default: every write transaction there starts with ``BEGIN IMMEDIATE`` so two
pushes never both read the change counter and then collide on the upgrade to a
write lock.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    make_url,
    select,
)
from sqlalchemy.engine import Connection

metadata = MetaData()

sites = Table(
    "sites",
    metadata,
    Column("clinic_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("site_code", String(32), nullable=False),
    # The clinic's Ed25519 public key (base64): checks its signed documents.
    Column("public_key", String(128), nullable=False),
    Column("enrolled_at", DateTime(timezone=True), nullable=False),
)
# One clinic per site code: it is printed in every document number. New databases get the
# index; ``services.enrol_site`` checks it (under the writers' lock) on older ones too.
Index("sites_site_code", sites.c.site_code, unique=True)

devices = Table(
    "devices",
    metadata,
    # sha256 hex of the device token: a copy of this table grants nothing.
    Column("token_hash", String(64), primary_key=True),
    Column("site_id", String(64), ForeignKey("sites.clinic_id"), nullable=False, index=True),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

operators = Table(
    "operators",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("password_hash", String(256), nullable=False),  # Argon2id
    Column("created_at", DateTime(timezone=True), nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("kind", String(40), primary_key=True),
    Column("id", String(64), primary_key=True),
    # NULL for master data (visible to every clinic); otherwise the clinic that owns it.
    Column("site_id", String(64), ForeignKey("sites.clinic_id"), nullable=True),
    Column("payload", Text, nullable=False),  # canonical JSON (sorted keys, compact)
    Column("change_seq", BigInteger, nullable=False, unique=True),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # The patient the record is about (NULL: master data, stock): the pull filter of
    # patients seen at two clinics (``patient_links``) uses it.
    Column("patient_id", String(64), nullable=True, index=True),
    # The clinic whose push last wrote this payload; NULL when central wrote it (a merge
    # or a conflict). A clinic is not sent back what it sent itself.
    Column("changed_by", String(64), nullable=True),
)
Index("records_site_seq", records.c.site_id, records.c.change_seq)

push_batches = Table(
    "push_batches",
    metadata,
    Column("batch_id", String(64), primary_key=True),
    Column("site_id", String(64), ForeignKey("sites.clinic_id"), nullable=False),
    Column("acked_seq", BigInteger, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# One row per global sequence; taking it FOR UPDATE serialises writers (see services).
counters = Table(
    "counters",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

CHANGE_COUNTER = "change_seq"
# This central's identity, drawn once when its database is made: a clinic enrolling
# again can tell a new central (which holds none of its records) from the same one
# reached at another address. A number, so it lives in ``counters`` (no migration).
CENTRAL_ID = "central_id"

# One person seen at two clinics, as confirmed by a central operator (central.duplicates).
# Nothing is merged or deleted; both clinics pull the link after their cursor.
patient_links = Table(
    "patient_links",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("site_a", String(64), ForeignKey("sites.clinic_id"), nullable=False),
    Column("patient_a", String(64), nullable=False),
    Column("site_b", String(64), ForeignKey("sites.clinic_id"), nullable=False),
    Column("patient_b", String(64), nullable=False),
    Column("reason", String(40), nullable=False),
    Column("confirmed_by", String(64), nullable=False),
    Column("confirmed_at", DateTime(timezone=True), nullable=False),
    Column("change_seq", BigInteger, nullable=False, unique=True),
    UniqueConstraint("site_a", "patient_a", "site_b", "patient_b", name="patient_links_pair"),
)
Index("patient_links_site_a_seq", patient_links.c.site_a, patient_links.c.change_seq)
Index("patient_links_site_b_seq", patient_links.c.site_b, patient_links.c.change_seq)

# Versioned code lists (the ICD-11 list), each version one gzip artefact served whole or
# by byte ranges (``central.masterdata``): 34,663 codes are too many for the change feed.
# Versions are never changed once written; a new seed with other content adds one.
code_lists = Table(
    "code_lists",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("release", String(40), nullable=False),
    Column("language", String(16), nullable=False),
    Column("entries", Integer, nullable=False),
    # SHA-256 of the rows (clinic_app.records.icd11_tabulation.content_sha256): a clinic
    # holding the same rows, from whatever file, needs no download.
    Column("content_sha256", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),  # of the artefact's bytes
    Column("size", BigInteger, nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


PG_CONNECT_TIMEOUT = 10  # seconds; a server that drops packets must not hang the start


def make_engine(database_url: str) -> Engine:
    """An engine for ``database_url``; SQLite gets WAL, a busy timeout and immediate writes.

    ``hide_parameters``: a database error must never print a record's values
    (patient data) into the server log. An SQLite file is created owner-only
    (folder 0700, file 0600) before SQLite opens it, whatever the umask; its
    WAL and shared-memory files inherit the file's mode.

    Raises ``sqlalchemy.exc.ArgumentError`` for a URL that cannot be parsed and
    ``NoSuchModuleError`` for an unknown database kind (the CLI words both).
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        create_private_sqlite_file(url.database)
        engine = create_engine(
            url,
            connect_args={"timeout": 15, "check_same_thread": False},
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args)


def create_private_sqlite_file(database: str | None) -> None:
    """Make a missing SQLite database file (and its folder) readable by its owner only."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process made it first, with the same mode
    os.close(fd)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("writes", False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def create_tables(engine: Engine) -> None:
    """Bring the database to the newest schema revision (idempotent; see central.migrations).

    A database made before Alembic is stamped, then upgraded. Raises
    ``central.migrations.SchemaError`` for a database that is not central's.
    """
    from central.migrations import upgrade_database  # its env.py imports this module

    upgrade_database(engine)
    with engine.connect().execution_options(writes=True) as conn, conn.begin():
        exists = conn.execute(counters.select().where(counters.c.name == CHANGE_COUNTER)).first()
        if exists is None:
            conn.execute(counters.insert().values(name=CHANGE_COUNTER, value=0))
        identity = conn.execute(counters.select().where(counters.c.name == CENTRAL_ID)).first()
        if identity is None:
            conn.execute(
                counters.insert().values(name=CENTRAL_ID, value=secrets.randbelow(2**62) + 1)
            )


def central_identity(engine: Engine) -> str | None:
    """This central's identity (see ``CENTRAL_ID``), or None on a database made before it."""
    with engine.connect() as conn:
        value = conn.execute(
            select(counters.c.value).where(counters.c.name == CENTRAL_ID)
        ).scalar_one_or_none()
    return f"{int(value):016x}" if value is not None else None
