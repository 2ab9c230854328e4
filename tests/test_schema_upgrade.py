"""Database files written by older versions open, upgrade, and keep everything."""

from __future__ import annotations

import shutil
from pathlib import Path

from clinic_app.records.patients import search_patients
from clinic_app.security.accounts import login
from clinic_app.security.audit import verify_audit_chain
from clinic_app.storage.schema import SCHEMA_VERSION

DATA = Path(__file__).resolve().parent / "data"


def test_a_version_1_clinic_upgrades_and_keeps_its_records_and_audit(tmp_path: Path) -> None:
    # tests/data/clinic-v1 was written by the walking skeleton (schema 1): a clinic
    # "Clinique v1", users admin/nurse, one patient "Zoé Ancienne" with one consultation
    # and six audit entries (ICD-11 list trimmed to three codes to keep the file small).
    clinic = tmp_path / "clinic"
    shutil.copytree(DATA / "clinic-v1", clinic)
    nurse = login(clinic, "nurse", "nurse-pass-1")
    version = nurse.store.one("PRAGMA user_version")
    assert version is not None
    assert version[0] == SCHEMA_VERSION
    assert [p.full_name for p in search_patients(nurse, "zoe")] == ["Zoé Ancienne"]
    # Step 8 made every patient's search key again with today's rules.
    (row,) = nurse.store.all("SELECT search_key FROM patients")
    assert row["search_key"] == " zoe ancienne "
    nurse.flush_audit()
    check = verify_audit_chain(nurse.store)
    assert check.intact, check
    assert check.entries >= 6 + 2  # the old entries, this login and the search
    first = nurse.store.one("SELECT seq, action FROM audit_events ORDER BY seq LIMIT 1")
    assert first is not None
    assert (first["seq"], first["action"]) == (1, "login")
    nurse.close()
