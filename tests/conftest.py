"""Shared fixtures: real SQLCipher clinics in temporary folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinic_app.security.accounts import create_clinic, create_user, login
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SHARED = Path(__file__).resolve().parents[2] / "shared"
PASSWORDS = {
    "admin": "admin-pass-1",
    "nurse": "nurse-pass-1",
    "doctor": "doctor-pass-1",
    "store": "store-pass-1",
}


def shared_path(*parts: str) -> Path:
    """A file under ../shared (field samples, reference data)."""
    return SHARED.joinpath(*parts)


def make_clinic(data_dir: Path) -> Path:
    """A new clinic with one user per role, made with cheap key derivation."""
    admin = create_clinic(
        data_dir,
        clinic_name="Centre de santé de Treichville",
        site_code="TRV",
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
        create_user(admin, username=username, display_name=name, roles={role},
                    password=PASSWORDS[username], cost=TEST_COST)
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
