"""The demo clinic, made by the real ``clinic-app demo-data`` command in a subprocess.

The command runs once per module with the standard key-derivation cost, as a
trainer would run it; the accounts are then logged into with the passwords read
back from what the command printed, so the printout is proved right too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

import clinic_app.demo as demo
from clinic_app.clock import local_date, utc_now
from clinic_app.inventory.catalogue import list_catalogue
from clinic_app.inventory.stock import stock_on_hand
from clinic_app.records.consultations import patient_allergies, patient_consultations
from clinic_app.records.patients import search_patients
from clinic_app.security.accounts import clinic_exists, login
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST

DEMO_TIMEOUT_S = 120


def _run_demo_command(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "clinic_app", "demo-data", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=DEMO_TIMEOUT_S,
        check=False,
    )


def _printed_accounts(stdout: str) -> dict[str, tuple[str, str]]:
    """user name -> (role, password), read from the table the command printed."""
    roles = {role.value for role in Role}
    accounts: dict[str, tuple[str, str]] = {}
    for line in stdout.splitlines():
        cells = line.split()
        if len(cells) >= 3 and cells[0] in roles:
            accounts[cells[1]] = (cells[0], cells[2])
    return accounts


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data_dir = tmp_path_factory.mktemp("demo") / "clinic"
    done = _run_demo_command(data_dir)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return data_dir, done.stdout


@pytest.fixture(scope="module")
def demo_sessions(demo_run: tuple[Path, str]) -> Iterator[dict[Role, Session]]:
    data_dir, stdout = demo_run
    sessions = {
        Role(role): login(data_dir, username, password)
        for username, (role, password) in _printed_accounts(stdout).items()
    }
    yield sessions
    for session in sessions.values():
        session.close()


def _gtin_check_digit_is_valid(gtin: str) -> bool:
    digits = [int(ch) for ch in gtin]
    # GS1 mod 10: from the right, excluding the check digit, weights 3, 1, 3, ...
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def test_demo_command_prints_the_four_accounts_and_passwords(demo_run: tuple[Path, str]) -> None:
    _, stdout = demo_run
    printed = _printed_accounts(stdout)
    assert printed == {a.username: (a.role.value, a.password) for a in demo.DEMO_ACCOUNTS}
    assert {role for role, _ in printed.values()} == {r.value for r in Role}
    assert all(len(password) >= 8 for _, password in printed.values())
    assert "Centre de santé de Treichville" in stdout


def test_every_demo_account_logs_in_with_its_printed_password(
    demo_sessions: dict[Role, Session],
) -> None:
    assert set(demo_sessions) == set(Role)
    for role, session in demo_sessions.items():
        assert session.actor.roles == frozenset({role})
        assert session.clinic_name == "Centre de santé de Treichville"


def test_nurse_finds_demo_patients_whatever_the_accents_apostrophes_and_order(
    demo_sessions: dict[Role, Session],
) -> None:
    nurse = demo_sessions[Role.NURSE]

    def names(query: str) -> set[str]:
        return {patient.full_name for patient in search_patients(nurse, query)}

    assert "Zoé N'Guessan" in names("zoe")
    assert "Zoé N'Guessan" in names("nguessan")
    assert "Zoé N'Guessan" in names("N'Guessan zoé")
    assert {"Marie Laurent", "Laurent Marie"} <= names("Laurent")
    assert any(name.endswith("Kouassi-Yao") for name in names("kouassi"))
    assert any(name.endswith("Kouassi-Yao") for name in names("kouassiyao"))
    assert any(name.endswith("Ouédraogo") for name in names("ouedraogo"))
    assert names("Xylophone") == set()
    assert len(search_patients(nurse, "", limit=1000)) == 50


def test_demo_patients_have_consultations_vitals_and_allergies(
    demo_sessions: dict[Role, Session],
) -> None:
    nurse = demo_sessions[Role.NURSE]
    [zoe] = search_patients(nurse, "zoé nguessan")
    consultations = patient_consultations(nurse, zoe.id)
    assert consultations
    assert {"systolic", "diastolic", "temperature"} <= set(consultations[0].vitals)
    assert "Amoxicilline" in patient_allergies(nurse, zoe.id)
    assert zoe.national_id
    assert zoe.phone.startswith("+225")


def test_demo_catalogue_has_about_thirty_items_with_valid_gtins(
    demo_sessions: dict[Role, Session],
) -> None:
    items = list_catalogue(demo_sessions[Role.STOREKEEPER])
    assert 25 <= len(items) <= 40
    for item in items:
        assert len(item.gtin) == 14, item.gtin
        assert item.gtin.isdigit(), item.gtin
        assert _gtin_check_digit_is_valid(item.gtin), item.gtin


def test_demo_stock_shows_a_lot_expiring_soon_and_an_item_to_reorder(
    demo_sessions: dict[Role, Session],
) -> None:
    storekeeper = demo_sessions[Role.STOREKEEPER]
    lines = stock_on_hand(storekeeper)
    assert lines
    assert all(line.quantity > 0 for line in lines)
    today = local_date(utc_now(), storekeeper.zone)
    expiries = [line.expiry for line in lines if line.expiry is not None]
    assert all(expiry > today for expiry in expiries)
    assert any(expiry <= today + timedelta(days=60) for expiry in expiries)
    # The order suggestion: usable stock of some item is under its reorder level.
    assert any(line.below_reorder for line in lines)
    assert not all(line.below_reorder for line in lines)


def test_second_demo_on_the_same_folder_is_refused_in_one_line(
    demo_run: tuple[Path, str],
    demo_sessions: dict[Role, Session],
) -> None:
    data_dir, _ = demo_run
    again = _run_demo_command(data_dir)
    assert again.returncode == 2
    assert again.stdout == ""
    assert "Traceback" not in again.stderr
    assert again.stderr.count("\n") == 1
    assert again.stderr.startswith("clinic-app: A clinic database already exists in")
    # Nothing was changed: the first demo is still whole.
    nurse = demo_sessions[Role.NURSE]
    assert len(search_patients(nurse, "", limit=1000)) == 50


# --- in process, cheap key derivation --------------------------------------------


def test_generated_patients_go_through_registration_rules(nurse: Session) -> None:
    patients = demo.generate_patients(nurse, 500, seed=7, chunk_size=120)
    assert len(patients) == 500
    numbers = [p.national_id for p in patients if p.national_id]
    assert len(numbers) == len(set(numbers)) > 350
    outbox = nurse.store.one("SELECT count(*) FROM outbox WHERE kind = 'patient'")
    audited = nurse.store.one("SELECT count(*) FROM audit_events WHERE action = 'register_patient'")
    assert outbox is not None
    assert outbox[0] == 500
    assert audited is not None
    assert audited[0] == 500
    assert any("'" in p.family_name for p in patients)
    assert any("-" in p.family_name for p in patients)
    assert any(p.given_name != p.given_name.encode("ascii", "ignore").decode() for p in patients)
    today = local_date(utc_now(), nurse.zone)
    assert all(
        p.birth_date is not None and date(1890, 1, 1) <= p.birth_date <= today for p in patients
    )
    numbered = next(p for p in patients[100:] if p.national_id)
    assert numbered.id in {p.id for p in search_patients(nurse, numbered.national_id[:7])}


def test_same_seed_gives_the_same_patients() -> None:
    today = date(2026, 6, 1)
    first = demo.demo_patient_forms(200, 11, today)
    assert first == demo.demo_patient_forms(200, 11, today)
    assert first != demo.demo_patient_forms(200, 12, today)
    assert (first[0].given_name, first[0].family_name) == ("Zoé", "N'Guessan")


def test_failed_demo_leaves_no_half_made_clinic(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def power_cut(*_: object) -> int:
        raise OSError("disk full")

    monkeypatch.setattr(demo, "_receive_demo_stock", power_cut)
    data_dir = tmp_path / "clinic"
    with pytest.raises(OSError, match="disk full"):
        demo.create_demo_clinic(data_dir, patients=20, cost=TEST_COST)
    assert not clinic_exists(data_dir)
    # The folder can be used again straight away.
    monkeypatch.undo()
    monkeypatch.setattr(demo, "_receive_demo_stock", lambda *_: 0)
    accounts = demo.create_demo_clinic(data_dir, patients=20, cost=TEST_COST)
    assert [a.username for a in accounts] == ["admin", "infirmiere", "medecin", "magasin"]
