"""Central's schema, as Alembic revisions (``versions/``), applied at every start.

:func:`upgrade_database` is what ``clinic-central serve`` and ``clinic-central
migrate`` run (through ``central.db.create_tables``). It is safe to run any
number of times and from several processes at once:

* the whole upgrade runs in one transaction that first takes the writers' lock
  (``BEGIN IMMEDIATE`` on SQLite, ``pg_advisory_xact_lock`` on PostgreSQL), so
  two workers starting together upgrade one after the other, and the second
  finds nothing left to do;
* a database made by ``create_tables()`` before Alembic (it has ``sites`` but no
  ``alembic_version``) is recognised: it is *stamped* at the initial revision
  (whose tables are exactly the ones that code made) and then upgraded like any
  other. A database with only some of those tables is refused rather than
  guessed at.

The revisions are written by hand (no autogenerate at run time); a test
compares the migrated schema with ``central.db.metadata`` on SQLite and on
PostgreSQL, so a table added to ``db.py`` without its revision fails CI.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import Connection

HERE = Path(__file__).resolve().parent
INITIAL_REVISION = "0001"
# The tables create_tables() made before Alembic: what the initial revision creates.
LEGACY_TABLES = frozenset({"sites", "devices", "operators", "records", "push_batches", "counters"})
_PG_LOCK_KEY = 0x434C4E43  # "CLNC": one advisory lock for every schema change
# Alembic's INFO lines would break the CLI's one-line answers; `migrate` says what it did.
logging.getLogger("alembic").setLevel(logging.WARNING)


class SchemaError(RuntimeError):
    """The database is in a state the migrations will not touch (worded for the operator)."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _take_schema_lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def upgrade_database(engine: Engine) -> str:
    """Bring the database to the newest revision (stamping a pre-Alembic one); return it."""
    with engine.connect().execution_options(writes=True) as conn, conn.begin():
        _take_schema_lock(conn)
        tables = set(inspect(conn).get_table_names())
        config = alembic_config(conn)
        if "alembic_version" not in tables and tables & LEGACY_TABLES:
            missing = LEGACY_TABLES - tables
            if missing:
                raise SchemaError(
                    "the database holds some of central's tables but not "
                    f"{', '.join(sorted(missing))}; it was not made by clinic-central "
                    "(nothing was changed)"
                )
            command.stamp(config, INITIAL_REVISION)
        command.upgrade(config, "head")
        revision = MigrationContext.configure(conn).get_current_revision()
    return str(revision)
