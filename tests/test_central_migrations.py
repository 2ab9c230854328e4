"""Central's schema under Alembic: fresh, pre-Alembic (stamped), refused, and several workers."""

from __future__ import annotations

import base64
import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from central_process import CHEAP_HASHER, OPERATOR, REPO, CentralProcess
from conftest import POSTGRES_ADMIN_URL
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import Engine, inspect, select, text

from central import services
from central.db import (
    CENTRAL_ID,
    CHANGE_COUNTER,
    counters,
    create_tables,
    make_engine,
    metadata,
    records,
    sites,
)
from central.migrations import (
    INITIAL_REVISION,
    SchemaError,
    alembic_config,
    current_revision,
    head_revision,
)
from clinic_app.ids import new_id
from clinic_app.sync.client import CentralClient


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind, for this test alone."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.db'}"
        return
    import psycopg

    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2, autocommit=True)
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL} ({type(exc).__name__})")
    name = f"central_migr_{os.getpid()}_{secrets.token_hex(4)}"
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{base}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def engine(empty_url: str) -> Iterator[Engine]:
    made = make_engine(empty_url)
    yield made
    made.dispose()


def schema_differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def test_a_fresh_database_is_migrated_to_the_head_and_matches_the_tables(engine: Engine) -> None:
    create_tables(engine)
    create_tables(engine)  # again: nothing to do
    assert current_revision(engine) == head_revision()
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        names = conn.execute(select(counters.c.name)).scalars().all()
        assert sorted(names) == [CENTRAL_ID, CHANGE_COUNTER]  # one of each, made once


def test_a_database_made_before_alembic_is_stamped_then_upgraded(engine: Engine) -> None:
    # What create_tables() made before this issue (the initial revision is exactly that,
    # without Alembic's own table), a counter, and data pushed then.
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), INITIAL_REVISION)
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("UPDATE counters SET value = 7"))
    clinic_id, patient_id, item_id = new_id(), new_id(), new_id()
    legacy = sa.table(
        "records",
        *(
            sa.column(name)
            for name in ("kind", "id", "site_id", "payload", "change_seq", "received_at")
        ),
    )
    legacy_rows = [
        ("patient", patient_id, {"id": patient_id}),
        ("prescription", "rx-1", {"id": "rx-1", "patient_id": patient_id}),
        ("prescription_item", item_id, {"id": item_id, "prescription_id": "rx-1"}),
    ]
    with engine.begin() as conn:
        conn.execute(
            sites.insert().values(
                clinic_id=clinic_id,
                name="Adjamé",
                site_code="ADJ",
                public_key="k",
                enrolled_at=services.utc_now(),
            )
        )
        for seq, (kind, record_id, payload) in enumerate(legacy_rows, start=1):
            conn.execute(
                legacy.insert()
                .values(kind=kind, id=record_id, site_id=clinic_id, payload=json.dumps(payload))
                .values(change_seq=seq, received_at=services.utc_now())
            )
    assert current_revision(engine) is None
    create_tables(engine)
    assert current_revision(engine) == head_revision() != INITIAL_REVISION
    assert "patient_links" in inspect(engine).get_table_names()
    assert schema_differences(engine) == []
    with engine.connect() as conn:  # nothing was re-created: the data are still there
        assert conn.execute(select(sites.c.site_code)).scalars().all() == ["ADJ"]
        change_seq = select(counters.c.value).where(counters.c.name == CHANGE_COUNTER)
        assert conn.execute(change_seq).scalar_one() == 7
        filled = conn.execute(select(records.c.id, records.c.patient_id, records.c.changed_by))
        assert {row.id: (row.patient_id, row.changed_by) for row in filled} == {
            record_id: (patient_id, clinic_id) for _kind, record_id, _payload in legacy_rows
        }


def test_a_database_with_only_some_of_centrals_tables_is_refused(engine: Engine) -> None:
    metadata.create_all(engine, tables=[metadata.tables["sites"]])
    with pytest.raises(SchemaError, match="not made by clinic-central"):
        create_tables(engine)
    assert "alembic_version" not in inspect(engine).get_table_names()


def test_the_migrate_command_reports_the_revision(empty_url: str) -> None:
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "central.cli", "migrate", "--database-url", empty_url],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert done.stdout.strip() == f"database schema at revision {head_revision()}"


# --- several workers ---------------------------------------------------------------------


class WorkersProcess(CentralProcess):
    """``clinic-central serve --workers 2`` (started by hand: CentralProcess runs one)."""

    def start(self, timeout: float = 30.0) -> None:
        import time

        import requests

        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("CENTRAL_DATABASE_URL", None)
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "central.cli",
                    "serve",
                    "--port",
                    str(self.port),
                    "--database-url",
                    self.database_url,
                    "--workers",
                    "2",
                    "--log-level",
                    "info",
                ],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                answer = requests.get(f"{self.base_url}/api/v1/status", timeout=1)
                if (
                    answer.status_code == 200
                    and self.log_path.read_text().count("Application startup complete") >= 2
                ):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"central did not start two workers:\n{self.log_tail()}")


def _public_key() -> str:
    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def test_two_workers_serve_concurrent_pushes_without_duplicates(
    empty_url: str, tmp_path: Path
) -> None:
    setup = make_engine(empty_url)
    create_tables(setup)
    services.create_operator(setup, *OPERATOR, hasher=CHEAP_HASHER)
    setup.dispose()
    with WorkersProcess(tmp_path / "central", database_url=empty_url) as server:
        clinic_id = new_id()
        with CentralClient(server.base_url) as client:
            token = client.enrol(
                username=OPERATOR[0],
                password=OPERATOR[1],
                clinic_id=clinic_id,
                clinic_name="Centre de Yopougon",
                site_code="YOP",
                public_key=_public_key(),
            )
        batches: list[tuple[str, list[dict[str, Any]]]] = []
        seq = 0
        for _ in range(12):
            changes = []
            for _ in range(20):
                seq += 1
                record_id = new_id()
                changes.append(
                    {
                        "seq": seq,
                        "kind": "patient",
                        "id": record_id,
                        "payload": {
                            "id": record_id,
                            "site_id": clinic_id,
                            "given_name": "Awa",
                            "family_name": "Touré",
                            "sex": "female",
                            "search_key": "awa toure",
                            "author_id": clinic_id,
                            "created_at": "2026-01-05T08:00:00.000000+00:00",
                            "updated_at": "2026-01-05T08:00:00.000000+00:00",
                        },
                    }
                )
            batches.append((new_id(), changes))
        errors: list[BaseException] = []

        def pusher(order: list[tuple[str, list[dict[str, Any]]]]) -> None:
            try:
                with CentralClient(server.base_url, token) as client:
                    for batch_id, changes in order:
                        assert client.push(batch_id, changes) == changes[-1]["seq"]
            except BaseException as exc:  # reported below, on the test's thread
                errors.append(exc)

        # Four threads send every batch, two in order and two backwards: each batch
        # arrives up to four times, often at the same moment on both workers.
        threads = [
            threading.Thread(target=pusher, args=(order,))
            for order in (batches, batches[::-1], batches, batches[::-1])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        engine = server.engine()
        with engine.connect() as conn:
            rows = conn.execute(
                select(records.c.id, records.c.change_seq).where(records.c.site_id == clinic_id)
            ).all()
            counter = conn.execute(
                select(counters.c.value).where(counters.c.name == CHANGE_COUNTER)
            ).scalar_one()
        assert len(rows) == seq == len({row.id for row in rows})
        assert sorted(row.change_seq for row in rows) == list(range(1, seq + 1))
        assert counter == seq
        assert server.log_tail(200).count("Started server process") >= 2
