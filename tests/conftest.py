"""Shared fixtures: real SQLCipher clinics in temporary folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from central_process import CentralProcess

from clinic_app.security.accounts import create_clinic, create_user, login
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Commands speak the machine's language (clinic_app.cli): the tests read their English.
os.environ["LANG"] = "C.UTF-8"
for _variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
    os.environ.pop(_variable, None)

SHARED = Path(__file__).resolve().parents[2] / "shared"
PASSWORDS = {
    "admin": "admin-pass-1",
    "nurse": "nurse-pass-1",
    "doctor": "doctor-pass-1",
    "store": "store-pass-1",
}


# Copies kept in the repository, for a checkout with no ../shared beside it (a CI
# machine): the field samples as they are, WHO's ICD-11 list as the program ships it
# (resources/icd11, the same bytes gzipped). test_shared_copies keeps them equal.
VENDORED = Path(__file__).resolve().parent / "data" / "shared"
ICD11_TSV = ("data", "icd11-mms-2024-01-en.tsv")
BUNDLED_ICD11_GZ = (
    Path(__file__).resolve().parents[1] / "resources" / "icd11" / "icd11-mms-2024-01-en.tsv.gz"
)


def shared_path(*parts: str) -> Path:
    """A file under ../shared (field samples, reference data), or its copy here."""
    found = SHARED.joinpath(*parts)
    if found.is_file():
        return found
    if parts == ICD11_TSV:
        return _unpacked_icd11()
    return VENDORED.joinpath(*parts)


def _unpacked_icd11() -> Path:
    import gzip
    import tempfile

    target = Path(tempfile.gettempdir()) / "clinic-app-tests" / ICD11_TSV[-1]
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(gzip.decompress(BUNDLED_ICD11_GZ.read_bytes()))
        partial.replace(target)
    return target


def make_clinic(
    data_dir: Path, *, site_code: str = "TRV", clinic_name: str = "Centre de santé de Treichville"
) -> Path:
    """A new clinic with one user per role, made with cheap key derivation."""
    admin = create_clinic(
        data_dir,
        clinic_name=clinic_name,
        site_code=site_code,
        timezone="Africa/Abidjan",
        admin_username="admin",
        admin_password=PASSWORDS["admin"],
        admin_display_name="Aïcha Admin",
        cost=TEST_COST,
    )
    for username, name, role in (
        ("nurse", "Inf. Adjoua Yao", Role.NURSE),
        ("doctor", "Dr Awa Koné", Role.DOCTOR),
        ("store", "Mamadou Diallo", Role.STOREKEEPER),
    ):
        create_user(
            admin,
            username=username,
            display_name=name,
            roles={role},
            password=PASSWORDS[username],
            cost=TEST_COST,
        )
    admin.close()
    return data_dir


@pytest.fixture(scope="session")
def clinic_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clinic(tmp_path_factory.mktemp("template") / "clinic")


@pytest.fixture
def clinic_dir(clinic_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template clinic (same clinic id; loading ICD-11 once is enough)."""
    data_dir = tmp_path / "clinic"
    shutil.copytree(clinic_template, data_dir)
    return data_dir


def _session(clinic_dir: Path, username: str) -> Iterator[Session]:
    session = login(clinic_dir, username, PASSWORDS[username])
    yield session
    session.close()


@pytest.fixture
def admin(clinic_dir: Path) -> Iterator[Session]:
    yield from _session(clinic_dir, "admin")


@pytest.fixture
def nurse(clinic_dir: Path) -> Iterator[Session]:
    yield from _session(clinic_dir, "nurse")


@pytest.fixture
def doctor(clinic_dir: Path) -> Iterator[Session]:
    yield from _session(clinic_dir, "doctor")


@pytest.fixture
def storekeeper(clinic_dir: Path) -> Iterator[Session]:
    yield from _session(clinic_dir, "store")


# --- central server (sync tests) ------------------------------------------------------

# Where the postgres-marked tests make (and drop) their own database.
POSTGRES_ADMIN_URL = os.environ.get(
    "CLINIC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


@contextmanager
def new_postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database (its SQLAlchemy URL), dropped afterwards.

    Skips the test when no PostgreSQL answers, saying so.
    """
    import secrets

    import psycopg

    try:
        admin_conn = psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=2, autocommit=True)
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL does not answer at {POSTGRES_ADMIN_URL} ({type(exc).__name__})")
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    with admin_conn:
        admin_conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{base}/{name}"
        finally:
            admin_conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end."""
    with new_postgres_database("central_test") as url:
        yield url


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def central_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """Central's database: an SQLite file, then (marked ``postgres``) a PostgreSQL database."""
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('central-sqlite') / 'central.db'}"


@pytest.fixture(scope="session")
def central_server(
    central_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CentralProcess]:
    """One real central server per database, shared by the whole run, with one operator."""
    from central_process import CHEAP_HASHER, OPERATOR

    from central.db import create_tables, make_engine
    from central.services import create_operator

    engine = make_engine(central_database_url)
    try:
        create_tables(engine)
        create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
    finally:
        engine.dispose()
    with CentralProcess(
        tmp_path_factory.mktemp("central"), database_url=central_database_url
    ) as server:
        yield server


@pytest.fixture
def central(central_server: CentralProcess) -> Iterator[CentralProcess]:
    """The shared central server; a test may stop and restart it (same port, same database).

    Test clinics are copies of one template and share a clinic id: look records
    up by their ids, not by site.
    """
    yield central_server
    if not central_server.running:
        central_server.start()  # a test that stopped it and failed must not break the next
