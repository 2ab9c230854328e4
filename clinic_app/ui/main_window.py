"""The main window: a left navigation with the pages the person's roles allow.

Hiding a page is a courtesy; the services refuse what a role may not do.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
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

from clinic_app.security.permissions import Action
from clinic_app.ui.desk import Desk
from clinic_app.ui.login import LanguagePicker
from clinic_app.ui.sync_status import AUTO_SYNC_MS, SyncStatusBar

PAGE_PATIENTS = "patients"
PAGE_STOCK = "stock"
PAGE_ADMINISTRATION = "administration"


class MainWindow(QMainWindow):
    logout_requested = Signal()
    language_chosen = Signal(str)

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
        QShortcut(QKeySequence("Ctrl+L"), self, self.logout_requested.emit)
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
        foot.addWidget(self.language)
        foot.addWidget(self.logout_button)
        side_layout.addLayout(foot)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sync_status = SyncStatusBar(desk, auto_sync_ms=auto_sync_ms)
        self.statusBar().addPermanentWidget(self.sync_status, 1)
        self.statusBar().setSizeGripEnabled(False)

        for number in range(self.navigation.count()):
            QShortcut(
                QKeySequence(f"Ctrl+{number + 1}"),
                self,
                lambda row=number: self.navigation.setCurrentRow(row),
            )
        self.navigation.setCurrentRow(0)
        self.resize(1280, 800)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.sync_status.stop()
        super().closeEvent(event)
