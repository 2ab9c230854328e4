"""The main window: a left navigation with the pages the person's roles allow.

Hiding a page is a courtesy; the services refuse what a role may not do.
When the idle lock fires, the window shows the lock page instead of its
content (which stays as it was, hidden) and covers every open dialog.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.security.permissions import Action
from clinic_app.ui.desk import Desk
from clinic_app.ui.lock import DialogCover, LockPage, LockPanel
from clinic_app.ui.login import LanguagePicker
from clinic_app.ui.sync_status import AUTO_SYNC_MS, SyncStatusBar

AUDIT_FLUSH_MS = 1000
PAGE_PATIENTS = "patients"
PAGE_STOCK = "stock"
PAGE_ADMINISTRATION = "administration"


class MainWindow(QMainWindow):
    logout_requested = Signal()
    user_switched = Signal(object)  # Session: another person logged in from the lock
    language_chosen = Signal(str)
    lock_changed = Signal(bool)  # True: locked

    def __init__(
        self,
        desk: Desk,
        *,
        language: str = "fr",
        auto_sync_ms: int = AUTO_SYNC_MS,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        session = desk.session
        self.setWindowTitle(self.tr("{clinic} — clinic records").format(clinic=session.clinic_name))
        self.pages: dict[str, QWidget] = {}
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(210)
        self.navigation.setIconSize(QSize(0, 0))
        self.stack = QStackedWidget()
        for key, title, allowed, build in self._page_plan():
            if not allowed:
                continue
            page = build()
            self.pages[key] = page
            self.stack.addWidget(page)
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._show_row)

        clinic = QLabel(session.clinic_name)
        clinic.setWordWrap(True)
        clinic.setStyleSheet("color: white; font-weight: 600; font-size: 11pt;")
        person = QLabel(session.actor.display_name)
        person.setStyleSheet("color: #b7d7d2;")
        self.language = LanguagePicker(language)
        self.language.language_chosen.connect(self.language_chosen.emit)
        self.logout_button = QPushButton(self.tr("Log out"))
        self.logout_button.setToolTip(
            self.tr("Lock the clinic's data and let a colleague log in (Ctrl+L)")
        )
        self.logout_button.clicked.connect(self.logout_requested.emit)
        self.shortcuts = [QShortcut(QKeySequence("Ctrl+L"), self, self.logout_requested.emit)]
        self.password_button = QPushButton(self.tr("My password…"))
        self.password_button.setToolTip(self.tr("Change my password"))
        self.password_button.clicked.connect(self.change_password)
        self.emergency_button: QPushButton | None = None
        if desk.may(Action.EMERGENCY_ACCESS) and not desk.may(Action.OPEN_CHART):
            self.emergency_button = QPushButton(self.tr("Emergency access"))
            self.emergency_button.setObjectName("emergencyButton")
            self.emergency_button.setToolTip(
                self.tr("Open a patient's chart in an emergency; every opening is reviewed")
            )
            self.emergency_button.clicked.connect(self.open_emergency_access)
        side = QWidget()
        side.setObjectName("side")
        side.setStyleSheet("QWidget#side { background: #0b3b37; }")
        side.setFixedWidth(210)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 16, 0, 12)
        side_layout.setSpacing(6)
        head = QVBoxLayout()
        head.setContentsMargins(16, 0, 16, 8)
        head.addWidget(clinic)
        head.addWidget(person)
        side_layout.addLayout(head)
        side_layout.addWidget(self.navigation, 1)
        foot = QVBoxLayout()
        foot.setContentsMargins(12, 0, 12, 0)
        if self.emergency_button is not None:
            foot.addWidget(self.emergency_button)
        foot.addWidget(self.language)
        foot.addWidget(self.password_button)
        foot.addWidget(self.logout_button)
        side_layout.addLayout(foot)

        self.content = QWidget()
        layout = QHBoxLayout(self.content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.lock_panel = self._new_lock_panel()
        self.lock_page = LockPage(self.lock_panel)
        self.screens = QStackedWidget()
        self.screens.addWidget(self.content)
        self.screens.addWidget(self.lock_page)
        self.setCentralWidget(self.screens)
        self._covers: list[DialogCover] = []
        self._focus_before_lock: QWidget | None = None

        self.sync_status = SyncStatusBar(desk, auto_sync_ms=auto_sync_ms)
        self.statusBar().addPermanentWidget(self.sync_status, 1)
        self.statusBar().setSizeGripEnabled(False)

        for number in range(self.navigation.count()):
            self.shortcuts.append(
                QShortcut(
                    QKeySequence(f"Ctrl+{number + 1}"),
                    self,
                    lambda row=number: self.navigation.setCurrentRow(row),
                )
            )
        self.navigation.setCurrentRow(0)
        self.resize(1280, 800)

        # Reads (searches, charts opened) are audited through a queue that the next
        # save drains; this writes it within a second otherwise, on this thread, so
        # it never waits for the database lock against a person's save.
        self._audit_flush = QTimer(self)
        self._audit_flush.timeout.connect(self._flush_audit)
        self._audit_flush.start(AUDIT_FLUSH_MS)

    def _flush_audit(self) -> None:
        with contextlib.suppress(ClinicError):  # closing the store flushes again
            self.desk.session.flush_audit()

    def show_fitting_screen(self) -> None:
        """Open at the preferred size, or maximised on a screen too small for it
        (clinic laptops often have 1366 x 768 screens minus a task bar)."""
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and (screen.width() < 1280 or screen.height() < 800):
            self.setGeometry(screen)  # without a window manager, maximising does nothing
            self.showMaximized()
        else:
            self.show()

    def _page_plan(self) -> list[tuple[str, str, bool, Callable[[], QWidget]]]:
        desk = self.desk

        def patients() -> QWidget:
            from clinic_app.ui.patients import PatientsPage

            page = PatientsPage(desk)
            page.start()
            return page

        def stock() -> QWidget:
            from clinic_app.ui.stock import StockPage

            return StockPage(desk)

        def administration() -> QWidget:
            from clinic_app.ui.administration import AdministrationPage

            return AdministrationPage(desk)

        return [
            (PAGE_PATIENTS, self.tr("Patients"), desk.may(Action.SEARCH_PATIENTS), patients),
            (PAGE_STOCK, self.tr("Stock"), desk.may(Action.VIEW_STOCK), stock),
            (
                PAGE_ADMINISTRATION,
                self.tr("Administration"),
                desk.may(Action.MANAGE_USERS)
                or desk.may(Action.ENROL_CLINIC)
                or desk.may(Action.MANAGE_SETTINGS),
                administration,
            ),
        ]

    def _show_row(self, row: int) -> None:
        item = self.navigation.item(row)
        if item is not None:
            self.stack.setCurrentWidget(self.pages[item.data(Qt.ItemDataRole.UserRole)])

    def show_page(self, key: str) -> QWidget:
        for row in range(self.navigation.count()):
            if self.navigation.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.navigation.setCurrentRow(row)
        return self.pages[key]

    # --- account -------------------------------------------------------------------

    def change_password(self) -> None:
        from clinic_app.ui.account import ChangePasswordDialog

        ChangePasswordDialog(self.desk, self).exec()

    def open_emergency_access(self) -> None:
        from clinic_app.ui.emergency import EmergencyAccessDialog, EmergencyChartWindow

        dialog = EmergencyAccessDialog(self.desk, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.patient is not None:
            EmergencyChartWindow(self.desk, dialog.patient, self).exec()

    # --- the idle lock ---------------------------------------------------------------

    def _new_lock_panel(self) -> LockPanel:
        panel = LockPanel(self.desk, self.has_unsaved_input)
        panel.unlocked.connect(self.unlock)
        panel.user_switched.connect(self._user_switched)
        return panel

    @property
    def locked(self) -> bool:
        return self.screens.currentWidget() is self.lock_page

    def has_unsaved_input(self) -> bool:
        """Typed input that switching user would discard (an open dialog counts)."""
        if any(cover.dialog.isVisible() for cover in self._covers):
            return True
        return any(
            bool(getattr(page, "has_unsaved_input", lambda: False)())
            for page in self.pages.values()
        )

    def lock(self) -> None:
        """Hide the work (kept as it is) behind the lock page and cover open dialogs."""
        if self.locked:
            return
        focused = QApplication.focusWidget()
        self._focus_before_lock = focused if focused is not None else None
        for shortcut in self.shortcuts:
            shortcut.setEnabled(False)
        self.lock_panel.reset()
        self.screens.setCurrentWidget(self.lock_page)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget is not self:
                self._covers.append(DialogCover(widget, self._new_lock_panel()))
        self.lock_panel.password.setFocus()
        if self._covers:
            self._covers[-1].panel.password.setFocus()
        self.lock_changed.emit(True)

    def unlock(self) -> None:
        """The same user proved it is them: everything comes back as it was."""
        if not self.locked:
            return
        for cover in self._covers:
            cover.uncover()
        self._covers.clear()
        self.lock_panel.reset()
        self.screens.setCurrentWidget(self.content)
        for shortcut in self.shortcuts:
            shortcut.setEnabled(True)
        previous = self._focus_before_lock
        self._focus_before_lock = None
        if previous is not None and previous.isVisible():
            previous.setFocus()
        self.lock_changed.emit(False)

    def _user_switched(self, session: object) -> None:
        # Open dialogs are closed first, so their own event loops end before the
        # window that owns them goes; what they held is discarded (the user was warned).
        for cover in self._covers:
            cover.dialog.reject()
        self._covers.clear()
        self.user_switched.emit(session)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync_status.stop()
        super().closeEvent(event)
