"""The status bar's one source of truth, and the kind table both ends agree on."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from central.protocol import CLINIC_KINDS as CENTRAL_CLINIC_KINDS
from central.protocol import MASTER_KINDS as CENTRAL_MASTER_KINDS
from clinic_app.ids import stable_id
from clinic_app.session import Session
from clinic_app.sync.errors import (
    ServerAnswerInvalid,
    ServerUnreachable,
    SyncAlreadyRunning,
    TokenRefused,
)
from clinic_app.sync.kinds import CLINIC_KINDS, KIND_TABLES, MASTER_KINDS, apply_remote_change
from clinic_app.sync.service import SyncReport
from clinic_app.sync.status import SyncMonitor, SyncState

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def report(pending: int = 0) -> SyncReport:
    return SyncReport(pushed=3, batches=1, pulled=0, applied=0, pending=pending, finished_at=NOON)


def test_a_new_clinic_is_not_enrolled() -> None:
    assert SyncMonitor().status().state is SyncState.NOT_ENROLLED


def test_up_to_date_only_with_an_empty_outbox_after_a_good_sync() -> None:
    monitor = SyncMonitor(enrolled=True, pending=3)
    assert monitor.status().state is SyncState.WAITING
    monitor.started(3)
    monitor.progress(2, 3)
    status = monitor.status()
    assert (status.state, status.done, status.total) == (SyncState.SYNCING, 2, 3)
    assert str(status.describe(ZoneInfo("Africa/Abidjan"))) == "Syncing 2 of 3"
    monitor.succeeded(report())
    status = monitor.status()
    assert status.state is SyncState.UP_TO_DATE
    assert str(status.describe(ZoneInfo("Africa/Abidjan"))) == "Up to date at 12:00"
    monitor.changes_waiting(1)
    assert monitor.status().state is SyncState.WAITING
    monitor.succeeded(report(pending=2))  # work saved while the sync ran
    assert monitor.status().state is SyncState.WAITING


def test_unreachable_is_offline_and_a_refusal_is_an_error_with_its_reason() -> None:
    monitor = SyncMonitor(enrolled=True, pending=5)
    monitor.started(5)
    monitor.failed(ServerUnreachable())
    assert monitor.status().state is SyncState.OFFLINE
    assert str(monitor.status().describe(ZoneInfo("UTC"))) == "Offline — 5 change(s) waiting"
    monitor.failed(TokenRefused())
    status = monitor.status()
    assert status.state is SyncState.ERROR
    assert status.error == TokenRefused().message
    monitor.failed(ServerAnswerInvalid(detail="HTTP 500"))
    assert "HTTP 500" in str(monitor.status().error)
    monitor.failed(RuntimeError("bug"))
    assert "unexpected problem" in str(monitor.status().error)
    monitor.failed(SyncAlreadyRunning())  # the running sync owns the state
    assert "unexpected problem" in str(monitor.status().error)
    monitor.succeeded(report())
    assert monitor.status().state is SyncState.UP_TO_DATE
    assert monitor.status().error is None


def test_the_monitor_is_safe_across_threads() -> None:
    monitor = SyncMonitor(enrolled=True)
    monitor.started(10_000)

    def worker() -> None:
        for done in range(10_000):
            monitor.progress(done, 10_000)

    thread = threading.Thread(target=worker)
    thread.start()
    while thread.is_alive():
        status = monitor.status()
        assert status.state is SyncState.SYNCING
        assert status.done <= status.total
    thread.join()


def test_both_ends_agree_on_the_kinds(nurse: Session) -> None:
    assert CLINIC_KINDS == CENTRAL_CLINIC_KINDS
    assert MASTER_KINDS == CENTRAL_MASTER_KINDS
    tables = {
        row["name"]
        for row in nurse.store.all("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert set(KIND_TABLES.values()) <= tables


def catalogue_item(**changes: object) -> dict[str, object]:
    gtin = "03614142000018"
    return {
        "id": stable_id("catalogue_item", gtin),
        "gtin": gtin,
        "name": "Paracétamol",
        "form": "comprimé",
        "strength": "500 mg",
        "atc": "N02BE01",
        "unit": "comprimé",
        "reorder_level": 500,
        "active": 1,
        "updated_at": "2026-03-02T12:00:00+00:00",
        **changes,
    }


def test_master_data_is_upserted_and_unknown_fields_never_reach_sql(nurse: Session) -> None:
    with nurse.transaction() as tx:
        assert apply_remote_change(
            tx, "catalogue_item", catalogue_item(**{"x) ; DROP TABLE patients; --": 1})
        )
        assert not apply_remote_change(tx, "catalogue_item", catalogue_item())  # same row
        assert apply_remote_change(tx, "catalogue_item", catalogue_item(reorder_level=800))
    rows = nurse.store.all("SELECT reorder_level FROM catalogue_items")
    assert [row["reorder_level"] for row in rows] == [800]
    assert nurse.store.one("SELECT count(*) AS n FROM patients") is not None
    assert (
        nurse.store.one("SELECT count(*) AS n FROM outbox WHERE kind = 'catalogue_item'")["n"] == 0
    )


def test_clinical_facts_from_central_are_written_once_never_replaced(nurse: Session) -> None:
    from sync_helpers import nurse_sees_patients

    (patient_id,) = nurse_sees_patients(nurse, 1)
    encounter = dict(
        nurse.store.one("SELECT * FROM encounters WHERE patient_id = ?", (patient_id,))
    )
    with nurse.transaction() as tx:
        assert not apply_remote_change(tx, "encounter", {**encounter, "complaint": "changed"})
    assert nurse.store.one("SELECT complaint FROM encounters")["complaint"] != "changed"


def test_a_record_central_should_not_send_is_refused(nurse: Session) -> None:
    with pytest.raises(ServerAnswerInvalid), nurse.transaction() as tx:
        apply_remote_change(tx, "users", {"id": "x", "username": "intruder"})
    with pytest.raises(ServerAnswerInvalid), nurse.transaction() as tx:
        apply_remote_change(tx, "catalogue_item", {"id": "x", "gtin": "1"})  # fields missing


def test_an_enrolled_clinic_that_never_synced_says_so_not_zero_waiting() -> None:
    from zoneinfo import ZoneInfo

    status = SyncMonitor(enrolled=True, pending=0).status()
    assert status.state is SyncState.WAITING
    assert status.describe(ZoneInfo("UTC")).template == "Not synced with central yet"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://central.example.org/", "https://central.example.org"),
        (" https://central.example.org/api/v1 ", "https://central.example.org"),
        ("http://127.0.0.1:8765/api/v1/", "http://127.0.0.1:8765"),
        ("https://example.org/central", "https://example.org/central"),
    ],
)
def test_the_server_address_is_kept_without_the_apis_prefix(typed: str, kept: str) -> None:
    from clinic_app.sync.service import check_server_url

    assert check_server_url(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "central.example.org",
        "ftp://x",
        "https://",
        "https://op:secret@central.example.org",
        "https://central.example.org/?token=1",
    ],
)
def test_a_server_address_that_is_no_address_or_holds_a_password_is_refused(typed: str) -> None:
    from clinic_app.errors import InvalidInput
    from clinic_app.sync.service import check_server_url

    with pytest.raises(InvalidInput) as caught:
        check_server_url(typed)
    assert caught.value.field == "server_url"
    assert "secret" not in str(caught.value)
