"""Enrolling with another central sends it the clinic's whole history; the same central
at another address gets nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from central_process import OPERATOR, CentralProcess
from sync_helpers import FAST, central_copies, clinic_records, nurse_sees_patients, outbox_count
from test_master_data import started_central

from central.audit import verify_site_audit
from clinic_app.session import Session
from clinic_app.sync.service import enrol_clinic, read_sync_state, sync_now


@pytest.fixture
def second_central(tmp_path: Path) -> Iterator[CentralProcess]:
    url = f"sqlite:///{tmp_path / 'second-db' / 'central.db'}"
    with started_central(url, tmp_path / "second") as server:
        yield server


def test_a_clinic_enrolled_with_another_central_sends_it_everything_once(
    admin: Session, nurse: Session, central: CentralProcess, second_central: CentralProcess
) -> None:
    enrol_clinic(admin, central.base_url, *OPERATOR, timeout=FAST)
    nurse_sees_patients(nurse, 4)
    sync_now(nurse, timeout=FAST)
    assert outbox_count(nurse) == 0
    first_id = read_sync_state(nurse.store)["central_id"]

    enrol_clinic(admin, second_central.base_url, *OPERATOR, timeout=FAST)
    assert read_sync_state(nurse.store)["central_id"] != first_id
    # The whole history waits again: every record this clinic made, once (the audit
    # trail follows by its own cursor at the next sync).
    made = clinic_records(nurse)
    assert outbox_count(nurse) == sum(n for (kind, _id), n in made.items() if kind != "audit_entry")
    sync_now(nurse, timeout=FAST)
    sync_now(nurse, timeout=FAST)  # the entries the first sync's reads wrote

    held = clinic_records(nurse)
    assert central_copies(second_central, nurse.site_id, held) == held  # all of it, once
    check = verify_site_audit(second_central.engine(), nurse.store.setting("site_code") or "")
    assert check.intact, check.findings
    audit = admin.store.one(
        "SELECT detail FROM audit_events WHERE action = 'enrol_clinic' ORDER BY seq DESC LIMIT 1"
    )
    assert audit is not None
    assert str(audit["detail"]).startswith("another_central;resent=")


def test_the_same_central_at_another_address_gets_nothing_again(
    admin: Session, nurse: Session, central: CentralProcess
) -> None:
    enrol_clinic(admin, central.base_url, *OPERATOR, timeout=FAST)
    nurse_sees_patients(nurse, 2)
    sync_now(nurse, timeout=FAST)
    cursor = read_sync_state(nurse.store)["pull_cursor"]
    other_address = central.base_url.replace("127.0.0.1", "localhost")
    enrol_clinic(admin, other_address, *OPERATOR, timeout=FAST)
    assert outbox_count(nurse) <= 2  # only the enrolment's own audit entries, if any
    assert read_sync_state(nurse.store)["pull_cursor"] == cursor


def test_every_kind_a_clinic_makes_is_sent_again() -> None:
    from clinic_app.sync.kinds import CLINIC_KINDS, UPLOAD_ONLY_KINDS
    from clinic_app.sync.rehome import RESEND_ORDER

    assert set(RESEND_ORDER) == CLINIC_KINDS - UPLOAD_ONLY_KINDS
    assert len(RESEND_ORDER) == len(set(RESEND_ORDER))
