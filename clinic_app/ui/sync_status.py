"""The status bar's sync line, and the timer that syncs every few seconds.

What to say ("Offline", "Syncing 3 of 10", "Up to date at 14:02", "Sync error:
…") is decided by ``clinic_app.sync.status.SyncMonitor``; this widget only shows
it. Syncs run through the task runner, never two at once (the service also
refuses a second one with ``SyncAlreadyRunning``).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from clinic_app.errors import ClinicError
from clinic_app.i18n import Message
from clinic_app.security.permissions import Action
from clinic_app.sync.service import pending_changes, sync_now
from clinic_app.sync.status import SyncMonitor, SyncState, SyncStatus
from clinic_app.ui.desk import Change, Desk
from clinic_app.ui.forms import caption
from clinic_app.ui.i18n import tr_message

log = logging.getLogger(__name__)

AUTO_SYNC_MS = 10_000
REFRESH_MS = 400

_LOOK = {
    SyncState.UP_TO_DATE: "okLabel",
    SyncState.ERROR: "errorLabel",
    SyncState.OFFLINE: "warningLabel",
}


def status_text(status: SyncStatus, message: Message) -> str:
    """The monitor's sentence, translated; an error's reason is translated too."""
    if status.state is SyncState.ERROR and status.error is not None:
        message = Message(
            message.template, {**message.params, "reason": status.error}, message.context
        )
    return tr_message(message)


class SyncStatusBar(QWidget):
    def __init__(
        self, desk: Desk, parent: QWidget | None = None, *, auto_sync_ms: int = AUTO_SYNC_MS
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.monitor = SyncMonitor.from_store(desk.session.store)
        self.running = False
        self.user = caption(desk.session.actor.display_name, "muted")
        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(160)
        self.progress.hide()
        # Sync does not need the clock (hybrid logical clocks); documents and the audit
        # trail do: a clock more than 5 minutes off central's is said beside the status.
        self.clock = QLabel()
        self.clock.setObjectName("warningLabel")
        self.clock.setWordWrap(True)
        self.clock.hide()
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self.sync_now)
        self.sync_button.setVisible(desk.may(Action.SYNC))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.user)
        layout.addStretch()
        layout.addWidget(self.clock, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        layout.addWidget(self.sync_button)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start(REFRESH_MS)
        self._auto_timer = QTimer(self)
        self._auto_timer.timeout.connect(self._auto_sync)
        if auto_sync_ms > 0:
            self._auto_timer.start(auto_sync_ms)
        desk.data_changed.connect(self._on_change)
        self.refresh()

    def refresh(self) -> None:
        status = self.monitor.status()
        text = status_text(status, status.describe(self.desk.session.zone))
        if self.label.text() != text:
            self.label.setText(text)
        look = _LOOK.get(status.state, "muted")
        if self.label.objectName() != look:
            self.label.setObjectName(look)
            self.label.style().unpolish(self.label)
            self.label.style().polish(self.label)
        syncing = status.state is SyncState.SYNCING
        self.progress.setVisible(syncing)
        if syncing:
            self.progress.setRange(0, max(status.total, 0))  # 0..0: busy indicator
            self.progress.setValue(status.done)
        warning = status.clock_warning
        clock_text = tr_message(warning) if warning is not None else ""
        if self.clock.text() != clock_text:
            self.clock.setText(clock_text)
        self.clock.setVisible(bool(clock_text))
        enrolled = status.state is not SyncState.NOT_ENROLLED
        self.sync_button.setEnabled(enrolled and not self.running)

    def _auto_sync(self) -> None:
        if self.monitor.status().state is not SyncState.NOT_ENROLLED:
            self.sync_now()

    def sync_now(self) -> None:
        if self.running or not self.desk.may(Action.SYNC):
            return
        self.running = True
        self.sync_button.setEnabled(False)
        session, monitor = self.desk.session, self.monitor
        self.desk.tasks.run(
            lambda: sync_now(session, monitor=monitor), self._synced, self._failed, owner=self
        )
        self.refresh()

    def _synced(self, report: object) -> None:
        self.running = False
        self.refresh()
        if getattr(report, "applied", 0):
            self.desk.announce("sync")  # central's changes may touch any view

    def _failed(self, error: BaseException) -> None:
        self.running = False
        if not isinstance(error, ClinicError):
            # The monitor already shows "unexpected problem"; a dialog every ten
            # seconds would stop the clinic's work.
            log.error("sync failed unexpectedly: %s", type(error).__name__)
        self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.kind == "enrolment":
            self.monitor.enrolled()
        if not self.running:  # a sync under way tells the monitor itself
            self.monitor.changes_waiting(pending_changes(self.desk.session.store))
        self.refresh()

    def stop(self) -> None:
        self._auto_timer.stop()
        self._refresh_timer.stop()
