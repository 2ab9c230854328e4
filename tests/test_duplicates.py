"""Patients seen at two clinics: two real clinics push to one central, an operator links them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from central_process import OPERATOR, CentralProcess
from conftest import PASSWORDS
from sync_helpers import FAST, enrol

from central.duplicates import (
    REASON_NAME_BIRTH,
    REASON_NATIONAL_ID,
    confirm_link,
    find_duplicates,
    name_key,
    national_key,
)
from central.services import CentralError
from clinic_app.records.patients import DuplicatePatient, PatientForm, register_patient
from clinic_app.security.accounts import create_clinic, create_user, login
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST
from clinic_app.sync.patient_links import linked_patients, pull_patient_links
from clinic_app.sync.service import sync_now


def new_clinic(data_dir: Path, central: CentralProcess, name: str) -> Session:
    """A clinic of its own (id and site code), enrolled; returns its nurse's session.

    Not a copy of the shared template: a link made here must not reach later
    tests' clinics, which all share the template's clinic id.
    """
    admin = create_clinic(
        data_dir,
        clinic_name=name,
        site_code="D" + secrets.token_hex(3).upper(),
        timezone="Africa/Abidjan",
        admin_username="admin",
        admin_password=PASSWORDS["admin"],
        admin_display_name="Admin",
        cost=TEST_COST,
    )
    create_user(
        admin,
        username="nurse",
        display_name="Inf. Koffi",
        roles={Role.NURSE},
        password=PASSWORDS["nurse"],
        cost=TEST_COST,
    )
    enrol(admin, central)
    admin.close()
    return login(data_dir, "nurse", PASSWORDS["nurse"])


@pytest.fixture
def two_clinics(tmp_path: Path, central: CentralProcess) -> Iterator[tuple[Session, Session]]:
    one = new_clinic(tmp_path / "one", central, "Centre de santé de Yopougon")
    two = new_clinic(tmp_path / "two", central, "Centre de santé d'Adjamé")
    yield one, two
    one.close()
    two.close()


def test_keys_fold_national_numbers_and_names() -> None:
    assert national_key({"national_id": "ci 0012-3456"}) == "CI00123456"
    assert national_key({"national_id_key": "CI00123456", "national_id": "x"}) == "CI00123456"
    assert national_key({"national_id": None}) == ""
    one = {"given_name": "Awa", "family_name": "Koné", "birth_date": "1980-01-02", "sex": "female"}
    two = {"given_name": "KONE", "family_name": "awa", "birth_date": "1980-01-02", "sex": "female"}
    assert name_key(one) == name_key(two) != ""
    assert name_key({**one, "birth_date": None}) == ""  # names alone are too weak


def test_two_clinics_patients_are_suggested_linked_and_the_link_reaches_both(
    two_clinics: tuple[Session, Session], central: CentralProcess
) -> None:
    nurse, other_clinic = two_clinics
    number = f"CI {secrets.randbelow(10**8):08d}"
    here = register_patient(nurse, PatientForm("Adjoua", "Yao", "female", national_id=number)).id
    there = register_patient(
        other_clinic,
        PatientForm("Adjoua", "Yao", "female", national_id=number.replace(" ", "-").lower()),
    ).id
    # Unique in this central's whole test session (letters only: it is a name).
    given = "Awa" + "".join(secrets.choice("bcdfghjklmnpqrstvz") for _ in range(6))
    birth = date(1980, 1, 2)
    here_named = register_patient(nurse, PatientForm(given, "Koné", "female", birth)).id
    there_named = register_patient(other_clinic, PatientForm(given, "KONE", "female", birth)).id
    register_patient(other_clinic, PatientForm(given, "Koné", "male", birth))  # not the same
    sync_now(nurse, timeout=FAST)
    sync_now(other_clinic, timeout=FAST)

    ours = {here, there, here_named, there_named}
    found = {
        (frozenset({c.a.patient_id, c.b.patient_id}), c.reason)
        for c in find_duplicates(central.engine())
        if {c.a.patient_id, c.b.patient_id} & ours
    }
    assert found == {
        (frozenset({here, there}), REASON_NATIONAL_ID),
        (frozenset({here_named, there_named}), REASON_NAME_BIRTH),
    }

    listed = central.run_cli("duplicates", "list").stdout
    assert here in listed
    assert there_named in listed
    linked = central.run_cli("duplicates", "link", here, there, "--operator", OPERATOR[0])
    assert "confirmed" in linked.stdout
    again = central.run_cli("duplicates", "link", there, here, "--operator", OPERATOR[0])
    assert "already confirmed" in again.stdout
    left = {frozenset({c.a.patient_id, c.b.patient_id}) for c in find_duplicates(central.engine())}
    assert frozenset({here, there}) not in left
    assert frozenset({here_named, there_named}) in left

    # The link reaches both clinics, and only once.
    assert pull_patient_links(nurse, timeout=FAST) == 1
    assert pull_patient_links(other_clinic, timeout=FAST) == 1
    assert pull_patient_links(nurse, timeout=FAST) == 0
    assert linked_patients(nurse.store, here) == [
        {"site_id": other_clinic.site_id, "patient_id": there, "reason": REASON_NATIONAL_ID}
    ]
    assert linked_patients(other_clinic.store, there)[0]["patient_id"] == here
    # Nothing was deleted: both records are still there, at both ends.
    assert nurse.store.one("SELECT id FROM patients WHERE id = ?", (here,)) is not None
    assert other_clinic.store.one("SELECT id FROM patients WHERE id = ?", (there,)) is not None
    sync_now(nurse, timeout=FAST)  # the other clinic's record comes by the ordinary pull
    assert nurse.store.one("SELECT id FROM patients WHERE id = ?", (there,)) is not None


def test_links_are_refused_within_one_clinic_and_for_unknown_patients(
    nurse: Session, admin: Session, central: CentralProcess
) -> None:
    enrol(admin, central)
    one = register_patient(nurse, PatientForm("Yao", "Kouadio", "male")).id
    two = register_patient(nurse, PatientForm("Yao", "Kouadio", "male")).id
    sync_now(nurse, timeout=FAST)
    with pytest.raises(CentralError, match="same clinic"):
        confirm_link(central.engine(), one, two, OPERATOR[0])
    with pytest.raises(CentralError, match="no patient"):
        confirm_link(central.engine(), one, "0190a0a0-0000-7000-8000-000000000000", OPERATOR[0])


def test_the_operator_endpoints_need_operator_credentials(central: CentralProcess) -> None:
    url = f"{central.base_url}/api/v1/operator/duplicates"
    headers = {"X-Clinic-Protocol": "1"}
    assert requests.get(url, headers=headers, timeout=5).status_code == 401
    wrong = requests.get(url, headers=headers, auth=(OPERATOR[0], "not-the-password"), timeout=5)
    assert wrong.status_code == 401
    answer = requests.get(url, headers=headers, auth=OPERATOR, timeout=5)
    assert answer.status_code == 200
    assert isinstance(answer.json()["candidates"], list)


def test_linked_records_with_one_national_number_keep_syncing_after_edits(
    two_clinics: tuple[Session, Session], central: CentralProcess
) -> None:
    # The usual duplicate: the same person, the same number, registered at two clinics.
    from clinic_app.sync.edits import update_patient

    nurse, other_clinic = two_clinics
    number = f"CI {secrets.randbelow(10**8):08d}"
    here = register_patient(nurse, PatientForm("Adjoua", "Yao", "female", national_id=number)).id
    there = register_patient(
        other_clinic, PatientForm("Adjoua", "Yao", "female", national_id=number)
    ).id
    sync_now(nurse, timeout=FAST)
    sync_now(other_clinic, timeout=FAST)
    confirm_link(central.engine(), here, there, OPERATOR[0])
    sync_now(nurse, timeout=FAST)  # the other clinic's record arrives
    sync_now(other_clinic, timeout=FAST)

    # Each clinic edits the record that is not its own, and its own.
    update_patient(other_clinic, there, {"phone": "0707070707"})
    update_patient(other_clinic, here, {"village": "Abobo"})
    update_patient(nurse, there, {"village": "Cocody"})
    for _ in range(2):
        for clinic in (nurse, other_clinic):
            report = sync_now(clinic, timeout=FAST)
            assert report.pending == 0

    for clinic in (nurse, other_clinic):
        rows = {
            row["id"]: dict(row)
            for row in clinic.store.all(
                "SELECT id, phone, village, national_id, national_id_key FROM patients "
                "WHERE id IN (?, ?)",
                (here, there),
            )
        }
        assert rows[there]["phone"] == "0707070707"
        assert rows[there]["village"] == "Cocody"
        assert rows[here]["village"] == "Abobo"
        assert rows[here]["national_id"] == rows[there]["national_id"] == number
        keys = [rows[here]["national_id_key"], rows[there]["national_id_key"]]
        assert keys.count(None) == 1  # one record holds the uniqueness key, here and there
    # A third registration of the same number is still refused as a duplicate.
    with pytest.raises(DuplicatePatient):
        register_patient(nurse, PatientForm("Adjoua", "Yao", "female", national_id=number))
