"""Hand-carried sync: outbox to a USB file, imported at central, answer brought back."""

from __future__ import annotations

import subprocess
from collections import Counter
from pathlib import Path

import pytest
from central_process import CentralProcess
from conftest import PASSWORDS
from sync_helpers import (
    central_change_count,
    central_copies,
    clinic_records,
    enrol,
    nurse_sees_patients,
    outbox_count,
)

from clinic_app.cli import main as clinic_main
from clinic_app.ids import new_id
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.consent import record_consent
from clinic_app.session import Session
from clinic_app.sync.carry_format import TO_CLINIC, CarryHeader, seal, token_digest
from clinic_app.sync.errors import NotEnrolled
from clinic_app.sync.handcarry import (
    CarryFileDamaged,
    CarryFileOtherClinic,
    CarryFileWrongDirection,
    export_pending_changes,
    import_answer_file,
)
from clinic_app.sync.service import DEVICE_TOKEN, read_sync_state, sync_now


def central_import(central: CentralProcess, path: Path) -> subprocess.CompletedProcess[str]:
    return central.run_cli("import", str(path))


def test_a_carried_file_reaches_central_once_and_its_answer_empties_the_outbox(
    admin: Session, nurse: Session, central: CentralProcess, tmp_path: Path
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 3)
    held = clinic_records(nurse)
    waiting = outbox_count(nurse)
    assert waiting > 0
    usb = tmp_path / "usb"
    usb.mkdir()

    exported = export_pending_changes(nurse, usb)
    assert exported.suffix == ".clinicsync"
    assert exported.parent == usb
    assert b"Adjoua" not in exported.read_bytes()  # encrypted, not just compressed
    # Nothing leaves before central has it; the audit trail so far joins the file.
    carried = outbox_count(nurse)
    assert carried > waiting
    assert nurse.store.one("SELECT count(*) AS n FROM outbox WHERE kind = 'audit_entry'")["n"] == (
        carried - waiting
    )

    done = central_import(central, exported)
    answer = exported.with_suffix(".clinicanswer")
    assert answer.exists(), done.stdout
    assert f"{carried} change(s) acknowledged" in done.stdout
    assert central_copies(central, nurse.site_id, held) == held
    seq_after_first = central_change_count(central)

    # The same file again (a second operator, a re-try): nothing doubles.
    central_import(central, exported)
    assert central_change_count(central) == seq_after_first
    assert central_copies(central, nurse.site_id, held) == held

    report = import_answer_file(nurse, answer)
    assert report.acknowledged == carried
    assert report.refused is None
    assert outbox_count(nurse) == 0
    again = import_answer_file(nurse, answer)
    assert (again.acknowledged, again.applied) == (0, 0)
    assert outbox_count(nurse) == 0
    # What is left to carry is the trail of carrying itself (the export, the import).
    export_pending_changes(nurse, usb)
    kinds = nurse.store.all("SELECT DISTINCT kind FROM outbox")
    assert [row["kind"] for row in kinds] == ["audit_entry"]


def test_the_carry_commands_of_clinic_app(
    admin: Session,
    nurse: Session,
    central: CentralProcess,
    clinic_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    common = ["--data-dir", str(clinic_dir), "--user", "nurse", "--password", PASSWORDS["nurse"]]
    assert clinic_main(["carry", "export", *common, "--to", str(tmp_path)]) == 0
    (exported,) = tmp_path.glob("carry-TRV-*.clinicsync")
    central_import(central, exported)
    answer = exported.with_suffix(".clinicanswer")
    assert clinic_main(["carry", "import-answer", *common, "--from", str(answer)]) == 0
    assert "acknowledged by central" in capsys.readouterr().out
    assert outbox_count(nurse) == 0


def test_a_tampered_file_is_refused_at_central_and_nothing_is_applied(
    admin: Session, nurse: Session, central: CentralProcess, tmp_path: Path
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    exported = export_pending_changes(nurse, tmp_path)
    data = bytearray(exported.read_bytes())
    data[len(data) // 2] ^= 0x01
    exported.write_bytes(bytes(data))
    before = central_change_count(central)
    with pytest.raises(subprocess.CalledProcessError) as refused:
        central_import(central, exported)
    assert "was changed after the clinic wrote it" in refused.value.stderr
    assert "Traceback" not in refused.value.stderr
    assert central_change_count(central) == before
    assert not exported.with_suffix(".clinicanswer").exists()


def test_a_file_from_an_earlier_enrolment_is_refused_at_central(
    admin: Session, nurse: Session, central: CentralProcess, tmp_path: Path
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    exported = export_pending_changes(nurse, tmp_path)
    enrol(admin, central)  # re-enrolment revokes the token the file was sealed with
    with pytest.raises(subprocess.CalledProcessError) as refused:
        central_import(central, exported)
    assert "current enrolment" in refused.value.stderr


def test_a_tampered_answer_or_the_wrong_file_is_refused_at_the_clinic(
    admin: Session, nurse: Session, central: CentralProcess, tmp_path: Path
) -> None:
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    exported = export_pending_changes(nurse, tmp_path)
    central_import(central, exported)
    answer = exported.with_suffix(".clinicanswer")
    waiting = outbox_count(nurse)

    with pytest.raises(CarryFileWrongDirection):
        import_answer_file(nurse, exported)

    tampered = tmp_path / "tampered.clinicanswer"
    data = bytearray(answer.read_bytes())
    data[-5] ^= 0x80
    tampered.write_bytes(bytes(data))
    with pytest.raises(CarryFileDamaged) as damaged:
        import_answer_file(nurse, tampered)
    assert "changed on the way" in str(damaged.value)

    token = read_sync_state(nurse.store)[DEVICE_TOKEN]
    other = tmp_path / "other.clinicanswer"
    other.write_bytes(
        seal(
            token_digest(token),
            CarryHeader(TO_CLINIC, new_id(), "ABJ", "2026-12-03T10:00:00Z"),
            {"batches": [], "changes": [], "links": []},
        )
    )
    with pytest.raises(CarryFileOtherClinic, match="ABJ"):
        import_answer_file(nurse, other)
    assert outbox_count(nurse) == waiting  # none of them changed anything

    import_answer_file(nurse, answer)
    assert outbox_count(nurse) == 0


def test_export_needs_an_enrolled_clinic(nurse: Session, tmp_path: Path) -> None:
    nurse_sees_patients(nurse, 1)
    with pytest.raises(NotEnrolled):
        export_pending_changes(nurse, tmp_path)


def test_an_answer_keeps_the_changes_a_patients_consent_held_back(
    admin: Session, nurse: Session, central: CentralProcess, tmp_path: Path
) -> None:
    # Held changes keep their outbox numbers, in between those the file carried.
    enrol(admin, central)
    nurse_sees_patients(nurse, 1)
    private = register_patient(nurse, PatientForm("Mariam", "Sangaré", "female")).id
    record_consent(nurse, private, share_with_central=False, share_with_clinics=False)
    record_consultation(nurse, ConsultationForm(private, "Toux"))
    nurse_sees_patients(nurse, 1, village="Koumassi")
    held = nurse.store.one("SELECT count(*) AS n FROM outbox_held")["n"]
    usb = tmp_path / "usb"
    usb.mkdir()
    exported = export_pending_changes(nurse, usb)
    held_at_export = nurse.store.one("SELECT count(*) AS n FROM outbox_held")["n"]
    assert held_at_export >= held > 0
    central_import(central, exported)
    import_answer_file(nurse, exported.with_suffix(".clinicanswer"))
    assert nurse.store.one("SELECT count(*) AS n FROM outbox_held")["n"] == held_at_export
    assert central_copies(central, nurse.site_id, Counter({("patient", private): 1})) == Counter()

    # The patient agrees later: everything held reaches central, once.
    record_consent(nurse, private, share_with_central=True, share_with_clinics=False)
    nurse.flush_audit()
    sync_now(nurse)
    assert nurse.store.one("SELECT count(*) AS n FROM outbox_held")["n"] == 0
    everything = clinic_records(nurse)
    assert central_copies(central, nurse.site_id, everything) == everything
