"""Alembic environment: always run on a connection handed in by ``upgrade_database``.

Run by hand (``alembic -c central/alembic.ini upgrade head``) it opens
``$CENTRAL_DATABASE_URL`` with central's own engine settings.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy.engine import Connection

from central.db import make_engine, metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = os.environ.get("CENTRAL_DATABASE_URL")
    if not url:
        raise RuntimeError("set CENTRAL_DATABASE_URL, or run `clinic-central migrate`")
    engine = make_engine(url)
    try:
        with engine.connect().execution_options(writes=True) as conn, conn.begin():
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("central's migrations run online only (clinic-central migrate)")
run_migrations_online()
