"""The one place that says how sync stands: offline, syncing n of m, up to date, error.

The sync worker reports to a :class:`SyncMonitor` (``started``, ``progress``,
``succeeded``, ``failed``) from its own thread; the status bar asks
``status()`` from the GUI thread. A lock makes each read a consistent
snapshot. No Qt here: the window polls or wraps this in a signal.

"Up to date" means exactly: the last sync (push and pull) succeeded and the
outbox is empty now. Local work saved after that success makes the state
``waiting`` until the next sync sends it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from clinic_app.clock import format_local, from_iso
from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP, Message
from clinic_app.sync.errors import ServerUnreachable, SyncAlreadyRunning

if TYPE_CHECKING:
    from clinic_app.storage.store import Store
    from clinic_app.sync.service import SyncReport


CLOCK_SKEW_WARNING_SECONDS = 5 * 60


class SyncState(StrEnum):
    NOT_ENROLLED = "not_enrolled"
    OFFLINE = "offline"  # central cannot be reached; work goes on, nothing is lost
    SYNCING = "syncing"
    WAITING = "waiting"  # central answered last time, but local changes wait to be sent
    UP_TO_DATE = "up_to_date"
    ERROR = "error"  # central answered with a refusal or garbage: someone must act


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    done: int = 0
    total: int = 0
    last_success: datetime | None = None
    error: Message | None = None
    pending: int = 0
    # Seconds this clinic's clock was ahead of central's at the last sync (negative: behind).
    clock_skew_seconds: float | None = None

    @property
    def clock_warning(self) -> Message | None:
        """A sentence for the status bar when this computer's clock is more than 5 minutes off.

        Sync ordering does not depend on the clock (hybrid logical clocks), but
        printed documents and the audit trail do: someone should set it right.
        """
        skew = self.clock_skew_seconds
        if skew is None or abs(skew) <= CLOCK_SKEW_WARNING_SECONDS:
            return None
        minutes = round(abs(skew) / 60)
        if skew > 0:
            return _msg(
                QT_TRANSLATE_NOOP(
                    "sync",
                    "This computer's clock is {minutes} minute(s) ahead of central's. "
                    "Ask the admin to set the date and time.",
                ),
                minutes=minutes,
            )
        return _msg(
            QT_TRANSLATE_NOOP(
                "sync",
                "This computer's clock is {minutes} minute(s) behind central's. "
                "Ask the admin to set the date and time.",
            ),
            minutes=minutes,
        )

    def describe(self, zone: ZoneInfo) -> Message:
        """The status bar's sentence (context ``sync``), times on the clinic's wall clock."""
        at = format_local(self.last_success, zone, "%H:%M") if self.last_success else "—"
        if self.state is SyncState.NOT_ENROLLED:
            return _msg(QT_TRANSLATE_NOOP("sync", "Not enrolled with central"))
        if self.state is SyncState.SYNCING:
            return _msg(
                QT_TRANSLATE_NOOP("sync", "Syncing {done} of {total}"),
                done=self.done,
                total=self.total,
            )
        if self.state is SyncState.OFFLINE:
            return _msg(
                QT_TRANSLATE_NOOP("sync", "Offline — {pending} change(s) waiting"),
                pending=self.pending,
            )
        if self.state is SyncState.UP_TO_DATE:
            return _msg(QT_TRANSLATE_NOOP("sync", "Up to date at {time}"), time=at)
        if self.state is SyncState.WAITING and self.pending == 0:
            return _msg(QT_TRANSLATE_NOOP("sync", "Not synced with central yet"))
        if self.state is SyncState.WAITING:
            return _msg(
                QT_TRANSLATE_NOOP("sync", "{pending} change(s) waiting to be sent"),
                pending=self.pending,
            )
        return _msg(QT_TRANSLATE_NOOP("sync", "Sync error: {reason}"), reason=str(self.error or ""))


def _msg(template: str, **params: object) -> Message:
    """``template`` is already marked for translation where it is written (context ``sync``)."""
    return Message(template, dict(params), context="sync")


UNEXPECTED = Message(
    QT_TRANSLATE_NOOP(
        "errors", "Sync stopped on an unexpected problem. Nothing was lost; tell the clinic admin."
    ),
    context="errors",
)


class SyncMonitor:
    """Thread-safe record of the sync worker's progress and last outcome."""

    def __init__(
        self,
        *,
        enrolled: bool = False,
        pending: int = 0,
        last_success: datetime | None = None,
        last_error: Message | None = None,
        offline: bool = False,
        clock_skew_seconds: float | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._enrolled = enrolled
        self._pending = pending
        self._last_success = last_success
        self._error = last_error
        self._offline = offline
        self._clock_skew = clock_skew_seconds
        self._running = False
        self._done = 0
        self._total = 0

    @classmethod
    def from_store(cls, store: Store) -> SyncMonitor:
        """The state as the database remembers it (at start-up, before any sync)."""
        from clinic_app.sync.service import (
            clock_skew,
            is_enrolled,
            pending_changes,
            read_sync_state,
        )

        state = read_sync_state(store)
        success = state.get("last_success_at")
        error: Message | None = None
        offline = False
        if "last_error" in state:
            reason = json.loads(state["last_error"])
            offline = reason.get("error") == ServerUnreachable.__name__
            template = reason.get("template") or UNEXPECTED.template
            error = Message(template, reason.get("params") or {}, context="errors")
        return cls(
            enrolled=is_enrolled(store),
            pending=pending_changes(store),
            last_success=from_iso(success) if success else None,
            last_error=error,
            offline=offline,
            clock_skew_seconds=clock_skew(store),
        )

    # --- called by the application ---------------------------------------------------------

    def enrolled(self) -> None:
        with self._lock:
            self._enrolled = True
            self._error = None
            self._offline = False

    def changes_waiting(self, pending: int) -> None:
        """The outbox now holds ``pending`` changes (after local work was saved)."""
        with self._lock:
            self._pending = pending

    # --- called by the sync worker ----------------------------------------------------------

    def started(self, total: int = 0) -> None:
        with self._lock:
            self._running = True
            self._done = 0
            self._total = total

    def progress(self, done: int, total: int) -> None:
        with self._lock:
            self._done = done
            self._total = total

    def succeeded(self, report: SyncReport) -> None:
        with self._lock:
            self._running = False
            self._enrolled = True
            self._pending = report.pending
            self._last_success = report.finished_at
            self._error = None
            self._offline = False
            if report.clock_skew_seconds is not None:
                self._clock_skew = report.clock_skew_seconds

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            if isinstance(exc, SyncAlreadyRunning):
                return  # the other sync owns the state
            self._running = False
            self._offline = isinstance(exc, ServerUnreachable)
            self._error = exc.message if isinstance(exc, ClinicError) else UNEXPECTED

    # --- read by the status bar ----------------------------------------------------------------

    def status(self) -> SyncStatus:
        with self._lock:
            if self._running:
                state = SyncState.SYNCING
            elif not self._enrolled:
                state = SyncState.NOT_ENROLLED
            elif self._offline:
                state = SyncState.OFFLINE
            elif self._error is not None:
                state = SyncState.ERROR
            elif self._last_success is not None and self._pending == 0:
                state = SyncState.UP_TO_DATE
            else:
                state = SyncState.WAITING
            return SyncStatus(
                state=state,
                done=self._done,
                total=self._total,
                last_success=self._last_success,
                error=self._error,
                pending=self._pending,
                clock_skew_seconds=self._clock_skew,
            )
