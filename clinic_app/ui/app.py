"""Starting the window: translator, first start or login, main window, logout.

``run(data_dir)`` is what ``clinic-app`` calls. ``ClinicApp`` does the same
without owning the event loop, so tests drive the real dialogs and window.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from clinic_app.security.accounts import clinic_exists, logout, must_change_password
from clinic_app.security.settings import DEFAULT_IDLE_LOCK_MINUTES, idle_lock_minutes
from clinic_app.session import Session
from clinic_app.storage.keys import STANDARD_COST, KdfCost
from clinic_app.ui.crash import install_crash_dialog
from clinic_app.ui.desk import (
    Change,
    Desk,
    DocumentOpener,
    open_with_system_viewer,
    remove_leftover_prints,
)
from clinic_app.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, install_translators, remove_translators
from clinic_app.ui.lock import IdleWatcher
from clinic_app.ui.login import FirstStartDialog, LoginDialog
from clinic_app.ui.main_window import MainWindow
from clinic_app.ui.sync_status import AUTO_SYNC_MS
from clinic_app.ui.tasks import TaskRunner
from clinic_app.ui.theme import apply_theme

log = logging.getLogger(__name__)

LANGUAGE_KEY = "language"


def preferences() -> QSettings:
    """This workstation's preferences (language only): no patient data goes here."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, "clinic-app", "clinic-app"
    )


class ClinicApp(QObject):
    """One workstation's window life: log in, work, log out, log in again."""

    def __init__(
        self,
        data_dir: Path,
        *,
        language: str | None = None,
        settings: QSettings | None = None,
        open_document: DocumentOpener = open_with_system_viewer,
        cost: KdfCost = STANDARD_COST,
        auto_sync_ms: int = AUTO_SYNC_MS,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.settings = settings if settings is not None else preferences()
        chosen = language or str(self.settings.value(LANGUAGE_KEY, DEFAULT_LANGUAGE))
        self.language = chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE
        self.open_document = open_document
        self.cost = cost
        self.auto_sync_ms = auto_sync_ms
        self.tasks = TaskRunner(self)
        self.translators = install_translators(_application(), self.language)
        self.login_dialog: LoginDialog | None = None
        self.first_start_dialog: FirstStartDialog | None = None
        self.main_window: MainWindow | None = None
        self.desk: Desk | None = None
        self.recovery_dialog: QDialog | None = None
        # One watcher for the application's life; it runs only while someone is logged in.
        self.idle = IdleWatcher(DEFAULT_IDLE_LOCK_MINUTES, parent=self)
        self.idle.idle.connect(self.lock)

    def start(self) -> None:
        if clinic_exists(self.data_dir):
            self.show_login()
        else:
            dialog = FirstStartDialog(self.data_dir, self.tasks, cost=self.cost)
            dialog.created.connect(self._clinic_created)
            dialog.restored.connect(self.open_main_window)
            dialog.rejected.connect(self._quit_unless_working)
            self.first_start_dialog = dialog
            dialog.show()

    def _clinic_created(self, session: Session) -> None:
        """The recovery key is shown once, and must be typed back, before work starts."""
        from clinic_app.security.accounts import take_recovery_key
        from clinic_app.ui.account import RecoveryKeyDialog

        key = take_recovery_key(session)
        if not key:
            self.open_main_window(session)
            return
        dialog = RecoveryKeyDialog(key)
        dialog.accepted.connect(lambda: self.open_main_window(session))
        self.recovery_dialog = dialog
        dialog.show()

    def show_login(self) -> None:
        dialog = LoginDialog(self.data_dir, self.tasks, language=self.language)
        dialog.logged_in.connect(self.open_main_window)
        dialog.rejected.connect(self._quit_unless_working)
        dialog.language.language_chosen.connect(self.change_language)
        self.login_dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def open_main_window(self, session: Session) -> None:
        if self.desk is None or self.desk.session is not session:
            self.desk = Desk(session, self.tasks, open_document=self.open_document, parent=self)
            self.desk.data_changed.connect(self._settings_changed)
        old = self.main_window
        window = MainWindow(self.desk, language=self.language, auto_sync_ms=self.auto_sync_ms)
        window.logout_requested.connect(self.log_out)
        window.language_chosen.connect(self.change_language)
        window.user_switched.connect(self._user_switched)
        window.lock_changed.connect(self._lock_changed)
        self.main_window = window
        window.show_fitting_screen()
        if old is not None:
            window.setGeometry(old.geometry())
            self._close_window(old)
        self.idle.set_minutes(idle_lock_minutes(session.store))
        self.idle.resume()
        if must_change_password(session):
            # A temporary password from the admin: the person chooses their own first.
            QTimer.singleShot(0, window.change_password)

    def lock(self) -> None:
        if self.main_window is not None:
            self.main_window.lock()

    def _lock_changed(self, locked: bool) -> None:
        if locked:
            self.idle.pause()
        else:
            self.idle.resume()

    def _settings_changed(self, change: Change) -> None:
        if change.kind == "settings" and self.desk is not None:
            self.idle.set_minutes(idle_lock_minutes(self.desk.session.store))

    def _user_switched(self, session: object) -> None:
        """Another person logged in from the lock; ``switch_user`` logged the first one out."""
        assert isinstance(session, Session)
        old_desk = self.desk
        self.desk = None
        self.open_main_window(session)
        if old_desk is not None:
            old_desk.close()
            old_desk.deleteLater()

    def change_language(self, language: str) -> None:
        """Takes effect at once: the login dialog retranslates, the main window is rebuilt."""
        if language == self.language or language not in LANGUAGES:
            return
        self.language = language
        self.settings.setValue(LANGUAGE_KEY, language)
        app = _application()
        remove_translators(app, self.translators)
        self.translators = install_translators(app, language)
        if self.main_window is not None and self.desk is not None:
            self.open_main_window(self.desk.session)

    def log_out(self) -> None:
        self.idle.pause()
        self.show_login()
        self._end_session()

    def _close_window(self, window: MainWindow) -> None:
        window.sync_status.stop()
        window.hide()
        window.deleteLater()

    def _end_session(self) -> None:
        if self.main_window is not None:
            self._close_window(self.main_window)
            self.main_window = None
        if self.desk is not None:
            self.tasks.wait(10_000)  # a sync in flight finishes before the store closes
            logout(self.desk.session)
            self.desk.close()
            self.desk.deleteLater()
            self.desk = None

    def _quit_unless_working(self) -> None:
        if self.main_window is None:
            QApplication.quit()

    def shutdown(self) -> None:
        self.idle.stop()
        self._end_session()
        self.tasks.stop()
        # The language goes with the window: another window made in this process (a
        # test) starts from its own choice, not from this one's catalogue.
        remove_translators(_application(), self.translators)
        self.translators = []


def _application() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    return app


def run(data_dir: Path, *, language: str | None = None) -> int:
    """Open the clinic's window on ``data_dir``; return the exit code."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("clinic-app")
    app.setOrganizationName("clinic-app")
    install_crash_dialog()
    apply_theme(app)
    try:
        remove_leftover_prints()
    except Exception as exc:  # best effort: never block the clinic's morning on it
        log.warning("could not remove old prints: %s", type(exc).__name__)
    clinic = ClinicApp(data_dir, language=language)
    app.aboutToQuit.connect(clinic.shutdown)
    clinic.start()
    return app.exec()
