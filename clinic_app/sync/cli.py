"""Command-line entries for enrolment and sync (wired into ``clinic-app`` by the lead)."""

from __future__ import annotations

from pathlib import Path

from clinic_app.security.accounts import login, logout
from clinic_app.sync.errors import ServerUnreachable, ServerUnreachableOnce
from clinic_app.sync.service import Enrolment, SyncReport, enrol_clinic, sync_now


def enrol_from_cli(
    data_dir: Path,
    username: str,
    password: str,
    server_url: str,
    central_user: str,
    central_password: str,
) -> Enrolment:
    """Log in as a clinic admin and enrol the clinic with central."""
    session = login(Path(data_dir), username, password)
    try:
        return enrol_clinic(session, server_url, central_user, central_password)
    finally:
        logout(session)


def sync_from_cli(data_dir: Path, username: str, password: str) -> SyncReport:
    """Log in and run one sync; raises the typed ``SyncError`` on failure."""
    session = login(Path(data_dir), username, password)
    try:
        return sync_now(session)
    except ServerUnreachable as exc:
        raise ServerUnreachableOnce() from exc
    finally:
        logout(session)
