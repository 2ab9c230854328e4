"""The audit trail travels to central: once, append-only, checked there, never sent back.

Real SQLCipher clinics of their own (not copies of the template: central checks
a chain per clinic id) and a real central process, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from central_process import REPO, CentralProcess
from sqlalchemy import and_, select
from sync_helpers import FAST, nurse_sees_patients
from test_duplicates import new_clinic

from central.audit import verify_site_audit
from central.db import records
from central.duplicates import confirm_link
from central.services import pull_changes
from clinic_app.records.patients import PatientForm, open_chart, register_patient, search_patients
from clinic_app.security.audit import AUDIT_QUEUED_STATE, chain_hash, verify_audit_chain
from clinic_app.security.consent import record_consent
from clinic_app.session import Session
from clinic_app.storage.schema import _STEP_2_SQL
from clinic_app.sync.client import CentralClient
from clinic_app.sync.errors import ServerUnreachable
from clinic_app.sync.service import sync_now


@pytest.fixture
def clinic(tmp_path: Path, central: CentralProcess) -> Iterator[Session]:
    nurse = new_clinic(tmp_path / "clinic", central, "Centre de santé de Marcory")
    yield nurse
    nurse.close()


def site_code(session: Session) -> str:
    return session.store.setting("site_code") or ""


def clinic_entries(session: Session, upto: int | None = None) -> dict[str, int]:
    """The clinic's audit entries (id -> seq), up to ``upto``."""
    rows: list[Any] = session.store.all(
        "SELECT id, seq FROM audit_events WHERE seq <= ?", (upto if upto is not None else 2**62,)
    )
    return {row["id"]: int(row["seq"]) for row in rows}


def central_entries(central: CentralProcess, site_id: str) -> dict[str, int]:
    """The audit entries central holds for a clinic (id -> how many records)."""
    with central.engine().connect() as conn:
        rows = conn.execute(
            select(records.c.id).where(
                and_(records.c.kind == "audit_entry", records.c.site_id == site_id)
            )
        ).all()
    held: dict[str, int] = {}
    for row in rows:
        held[row.id] = held.get(row.id, 0) + 1
    return held


def _state(session: Session, key: str) -> str:
    row = session.store.one("SELECT value FROM sync_state WHERE key = ?", (key,))
    return str(row["value"]) if row is not None else "0"


def a_day_of_reads(session: Session, patient_ids: list[str]) -> None:
    search_patients(session, "Kouamé")
    for patient_id in patient_ids:
        open_chart(session, patient_id)


def unprotect(session: Session) -> None:
    """What someone holding the database key can do: drop the append-only triggers."""
    with session.transaction() as tx:
        tx.execute("DROP TRIGGER audit_events_no_update")
        tx.execute("DROP TRIGGER audit_events_no_delete")


def protect(session: Session) -> None:
    with session.transaction() as tx:
        for statement in _STEP_2_SQL[:2]:
            tx.execute(statement)


def verify_cli(central: CentralProcess, code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "central.cli",
            "audit",
            "verify",
            "--site",
            code,
            "--database-url",
            central.database_url,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# --- arrival, exactly once ------------------------------------------------------------------


def test_a_clinic_days_audit_entries_reach_central_once_even_after_a_cut(
    clinic: Session, central: CentralProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    patients = nurse_sees_patients(clinic, 6)
    a_day_of_reads(clinic, patients)
    real_push = CentralClient.push
    pushes: list[int] = []

    def cut_after_the_second_batch(self: CentralClient, batch_id: str, changes: Any) -> int:
        acked = real_push(self, batch_id, changes)
        pushes.append(len(changes))
        if len(pushes) == 2:
            raise ServerUnreachable()  # central applied it; its answer is lost on the way
        return acked

    monkeypatch.setattr(CentralClient, "push", cut_after_the_second_batch)
    with pytest.raises(ServerUnreachable):
        sync_now(clinic, timeout=FAST, max_batch_changes=15)
    monkeypatch.setattr(CentralClient, "push", real_push)
    report = sync_now(clinic, timeout=FAST, max_batch_changes=15)

    queued = int(_state(clinic, AUDIT_QUEUED_STATE))
    sent = clinic_entries(clinic, queued)
    assert len(sent) > 6 * 3  # registrations, consultations, the search, the charts opened
    on_central = central_entries(central, clinic.site_id)
    assert set(on_central) == set(sent)  # every entry of the day, nothing else
    assert set(on_central.values()) == {1}  # each once
    assert report.pending == 0
    assert clinic.store.one("SELECT 1 FROM outbox WHERE kind = 'audit_entry'") is None
    check = verify_site_audit(central.engine(), site_code(clinic))
    assert check.intact, check.findings
    assert (check.entries, check.last_seq) == (len(sent), queued)

    # The entries written since (the sync's own reads) go with the next sync, once.
    clinic.flush_audit()
    sync_now(clinic, timeout=FAST)
    everything = clinic_entries(clinic, int(_state(clinic, AUDIT_QUEUED_STATE)))
    assert central_entries(central, clinic.site_id) == {entry: 1 for entry in everything}
    assert verify_site_audit(central.engine(), site_code(clinic)).intact
    answer = verify_cli(central, site_code(clinic))
    assert answer.returncode == 0, answer.stderr
    assert "intact" in answer.stdout


# --- central's check of the chain -------------------------------------------------------------


def test_central_names_an_edited_entry_and_a_missing_one(
    clinic: Session, central: CentralProcess
) -> None:
    patients = nurse_sees_patients(clinic, 2)
    a_day_of_reads(clinic, patients)
    clinic.flush_audit()
    last = clinic.store.one("SELECT max(seq) AS seq FROM audit_events")
    assert last is not None
    assert last["seq"] > 8
    edited, removed = int(last["seq"]) - 5, int(last["seq"]) - 2
    unprotect(clinic)
    with clinic.transaction() as tx:  # by hand, without recomputing the hash
        tx.execute("UPDATE audit_events SET action = 'search' WHERE seq = ?", (edited,))
        tx.execute("DELETE FROM audit_events WHERE seq = ?", (removed,))
    sync_now(clinic, timeout=FAST)

    check = verify_site_audit(central.engine(), site_code(clinic))
    assert [(f.seq, f.reason) for f in check.findings] == [
        (edited, "content changed"),
        (removed, "missing"),
    ]
    answer = verify_cli(central, site_code(clinic))
    assert answer.returncode == 1
    assert f"first problem: entry {edited}: content changed" in answer.stdout
    assert f"entry {removed} not received" in answer.stdout
    assert "Traceback" not in answer.stderr


def test_a_rewritten_trail_no_longer_matches_centrals_copy(
    clinic: Session, central: CentralProcess
) -> None:
    patients = nurse_sees_patients(clinic, 2)
    open_chart(clinic, patients[0])
    sync_now(clinic, timeout=FAST)
    sent = int(_state(clinic, AUDIT_QUEUED_STATE))
    assert verify_site_audit(central.engine(), site_code(clinic)).intact

    # The laptop is stolen: its trail is rewritten from an opening of patient 0 on, every
    # hash recomputed and the protection put back, so the clinic's own check passes.
    opening = clinic.store.one(
        "SELECT min(seq) AS seq FROM audit_events WHERE action = 'open_chart'"
    )
    assert opening is not None
    unprotect(clinic)
    with clinic.transaction() as tx:
        previous = tx.one("SELECT hash FROM audit_events WHERE seq = ?", (opening["seq"] - 1,))
        prev_hash = previous["hash"]
        for row in tx.all(
            "SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq", (opening["seq"],)
        ):
            entry = dict(row)
            if entry["seq"] == opening["seq"]:
                entry["patient_id"] = patients[1]  # someone else's chart, they will say
                entry["object_id"] = patients[1]
            entry["prev_hash"] = prev_hash
            entry["hash"] = prev_hash = chain_hash(prev_hash, entry)
            tx.execute(
                "UPDATE audit_events SET patient_id = ?, object_id = ?, prev_hash = ?, hash = ? "
                "WHERE seq = ?",
                (
                    entry["patient_id"],
                    entry["object_id"],
                    entry["prev_hash"],
                    entry["hash"],
                    entry["seq"],
                ),
            )
        tx.execute(
            "UPDATE settings SET value = ? WHERE key = 'audit_anchor'",
            (f"{entry['seq']}:{entry['hash']}",),
        )
    protect(clinic)
    assert verify_audit_chain(clinic.store).intact

    register_patient(clinic, PatientForm("Koffi", "Brou", "male", date(1975, 3, 2)))
    sync_now(clinic, timeout=FAST)
    check = verify_site_audit(central.engine(), site_code(clinic))
    assert check.first_finding is not None
    assert (check.first_finding.seq, check.first_finding.reason) == (sent + 1, "broken link")
    assert verify_cli(central, site_code(clinic)).returncode == 1


# --- never sent back ---------------------------------------------------------------------------


def every_change_served(central: CentralProcess, site_id: str) -> list[tuple[str, str, Any]]:
    served: list[tuple[str, str, Any]] = []
    after = 0
    while True:
        page = pull_changes(central.engine(), site_id, after, 1000)
        served += [(c.kind, c.id, c.payload.get("patient_id")) for c in page.changes]
        after = page.last_seq
        if not page.more:
            return served


def test_audit_entries_never_come_back_to_any_clinic(
    tmp_path: Path, central: CentralProcess
) -> None:
    home = new_clinic(tmp_path / "home", central, "Centre de santé de Cocody")
    other = new_clinic(tmp_path / "other", central, "Centre de santé d'Abobo")
    try:
        number = f"CI {secrets.randbelow(10**8):08d}"
        patient = register_patient(home, PatientForm("Aya", "Konan", "female", national_id=number))
        twin = register_patient(other, PatientForm("Aya", "Konan", "female", national_id=number))
        open_chart(home, patient.id)  # an audit entry about the patient who will be linked
        sync_now(home, timeout=FAST)
        sync_now(other, timeout=FAST)
        confirm_link(central.engine(), patient.id, twin.id, "operator")
        sync_now(other, timeout=FAST)
        sync_now(home, timeout=FAST)

        about = central_entries(central, home.site_id)
        assert about  # central holds the home clinic's trail...
        for session in (home, other):
            served = every_change_served(central, session.site_id)
            assert not [change for change in served if change[0] == "audit_entry"]
            foreign: list[Any] = session.store.all(
                "SELECT id FROM audit_events WHERE site_id <> ?", (session.site_id,)
            )
            assert foreign == []  # ...and no clinic holds another's entries
        # The link works: the other clinic got the patient, not who opened their chart.
        assert other.store.one("SELECT 1 FROM patients WHERE id = ?", (patient.id,)) is not None
        served_kinds = {
            (kind, record_id) for kind, record_id, _ in every_change_served(central, other.site_id)
        }
        assert ("patient", patient.id) in served_kinds
    finally:
        home.close()
        other.close()


# --- a patient who does not share with central -------------------------------------------------


def test_audit_entries_about_a_withheld_patient_wait_with_their_records(
    clinic: Session, central: CentralProcess
) -> None:
    """They carry only ids, but say who looked at that person and when: held with them."""
    private = register_patient(clinic, PatientForm("Mariam", "Sangaré", "female")).id
    record_consent(clinic, private, share_with_central=False, share_with_clinics=False)
    open_chart(clinic, private)
    nurse_sees_patients(clinic, 1)
    sync_now(clinic, timeout=FAST)

    about_private: list[Any] = clinic.store.all(
        "SELECT id, seq FROM audit_events WHERE patient_id = ? AND seq <= ?",
        (private, int(_state(clinic, AUDIT_QUEUED_STATE))),
    )
    assert len(about_private) >= 3  # registered, consent recorded, chart opened
    on_central = central_entries(central, clinic.site_id)
    assert not {row["id"] for row in about_private} & set(on_central)
    held: list[Any] = clinic.store.all(
        "SELECT record_id FROM outbox_held WHERE kind = 'audit_entry' AND patient_id = ?",
        (private,),
    )
    assert {row["record_id"] for row in held} == {row["id"] for row in about_private}
    check = verify_site_audit(central.engine(), site_code(clinic))
    assert check.first_broken is None  # only gaps: the held entries
    assert {f.reason for f in check.findings} == {"missing"}
    assert check.missing == len(about_private)

    record_consent(clinic, private, share_with_central=True, share_with_clinics=False)
    sync_now(clinic, timeout=FAST)
    on_central = central_entries(central, clinic.site_id)
    assert {row["id"] for row in about_private} <= set(on_central)
    assert set(on_central.values()) == {1}
    assert verify_site_audit(central.engine(), site_code(clinic)).intact
