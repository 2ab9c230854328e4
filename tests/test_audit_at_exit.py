"""Reads audited by a script that ends without closing its session: written at exit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from central_process import REPO
from conftest import PASSWORDS

from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.accounts import login
from clinic_app.security.audit import who_opened

SCRIPT = """
import sys
from pathlib import Path
from clinic_app.records.patients import open_chart, search_patients
from clinic_app.security.accounts import login

nurse = login(Path(sys.argv[1]), "nurse", sys.argv[2])
for query in ("Kouamé", "Adjoua", "100%", "O'Brien", "zoe"):
    search_patients(nurse, query)
open_chart(nurse, sys.argv[3])
# no save, no close: the script simply ends
"""


def test_a_script_that_only_reads_leaves_its_reads_in_the_audit_trail(clinic_dir: Path) -> None:
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    try:
        patient = register_patient(nurse, PatientForm("Adjoua", "Kouamé", "female"))
    finally:
        nurse.close()
    subprocess.run(
        [sys.executable, "-c", SCRIPT, str(clinic_dir), PASSWORDS["nurse"], patient.id],
        cwd=REPO,
        check=True,
        timeout=60,
    )
    admin = login(clinic_dir, "admin", PASSWORDS["admin"])
    try:
        searches = admin.store.one(
            "SELECT count(*) AS n FROM audit_events WHERE action = 'search_patients'"
        )
        assert searches is not None
        assert searches["n"] == 5
        assert [entry.username for entry in who_opened(admin, patient.id)] == ["nurse"]
    finally:
        admin.close()
