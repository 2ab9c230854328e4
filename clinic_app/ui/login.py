"""Logging in and the first start of a new clinic.

Unlocking runs Argon2id (about a second on a clinic laptop): it goes through the
task runner so the dialog stays responsive and says what it is doing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.security.accounts import MAX_CLINIC_NAME, create_clinic, login
from clinic_app.session import Session
from clinic_app.storage.keys import STANDARD_COST, KdfCost
from clinic_app.ui.desk import unexpected_unless_clinic_error
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.tasks import TaskRunner

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}  # each in its own language: not translated
TIME_ZONES = (
    "Africa/Abidjan",
    "Africa/Dakar",
    "Africa/Bamako",
    "Africa/Ouagadougou",
    "Africa/Conakry",
    "Africa/Lome",
    "Africa/Porto-Novo",
    "Africa/Niamey",
    "Africa/Douala",
    "Africa/Libreville",
    "Africa/Kinshasa",
    "Africa/Ndjamena",
    "Africa/Nouakchott",
    "UTC",
)


def primary(button: QPushButton) -> QPushButton:
    button.setProperty("primary", True)
    return button


class LanguagePicker(QComboBox):
    """Français / English; the choice is applied by whoever listens to ``language_chosen``."""

    language_chosen = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code, name in LANGUAGE_NAMES.items():
            self.addItem(name, code)
        self.setCurrentIndex(max(0, self.findData(language)))
        self.currentIndexChanged.connect(lambda _: self.language_chosen.emit(self.currentData()))


class LoginDialog(QDialog):
    """User name and password; Enter submits; refusals are shown under the form."""

    logged_in = Signal(object)  # Session

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskRunner,
        *,
        language: str = "fr",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.tasks = tasks
        self.session: Session | None = None
        self.title = caption("", "pageTitle")
        self.hint = caption("", "muted")
        self.hint.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error, {"username": self.username, "password": self.password}
        )
        self.submit = primary(QPushButton())
        self.submit.setDefault(True)
        self.submit.clicked.connect(self.try_login)
        self.language = LanguagePicker(language)
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.username_label.setBuddy(self.username)
        self.password_label.setBuddy(self.password)

        form = QFormLayout()
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.language)
        buttons.addStretch()
        buttons.addWidget(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(440)
        self.retranslate()
        self.username.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Clinic records — log in"))
        self.title.setText(self.tr("Log in"))
        self.hint.setText(self.tr("Enter your user name and password."))
        self.username_label.setText(self.tr("&User name"))
        self.password_label.setText(self.tr("&Password"))
        self.submit.setText(self.tr("Log in"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def try_login(self) -> None:
        username, password = self.username.text(), self.password.text()
        if not username.strip():
            self.errors.show_text("username", self.tr("Enter your user name."))
            return
        self.errors.clear()
        self._busy(True)
        data_dir = self.data_dir
        self.tasks.run(
            lambda: login(data_dir, username, password), self._accepted, self._refused, owner=self
        )

    def _busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.submit):
            widget.setEnabled(not busy)
        self.submit.setText(self.tr("Opening…") if busy else self.tr("Log in"))

    def _accepted(self, session: object) -> None:
        assert isinstance(session, Session)
        self.session = session
        self.password.clear()
        self.logged_in.emit(session)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._busy(False)
        if unexpected_unless_clinic_error(error):
            self.errors.show(error)  # type: ignore[arg-type]
            self.password.selectAll()
            self.password.setFocus()


class FirstStartDialog(QDialog):
    """No clinic here yet: name it, pick its time zone, create its first administrator."""

    created = Signal(object)  # Session
    restored = Signal(object)  # Session: a backup was restored instead

    def __init__(
        self,
        data_dir: Path,
        tasks: TaskRunner,
        *,
        cost: KdfCost = STANDARD_COST,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.tasks = tasks
        self.cost = cost
        self.session: Session | None = None
        self.setWindowTitle(self.tr("New clinic"))
        self.clinic_name = QLineEdit()
        self.clinic_name.setMaxLength(MAX_CLINIC_NAME)
        self.site_code = QLineEdit()
        self.site_code.setMaxLength(12)
        self.site_code.setPlaceholderText(self.tr("e.g. TRV"))
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(TIME_ZONES)
        self.admin_username = QLineEdit()
        self.admin_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error,
            {
                "clinic_name": self.clinic_name,
                "site_code": self.site_code,
                "timezone": self.timezone,
                "username": self.admin_username,
                "display_name": self.admin_name,
                "password": self.password,
                "password_again": self.password_again,
            },
        )
        self.submit = primary(QPushButton(self.tr("Create the clinic")))
        self.submit.setDefault(True)
        self.submit.clicked.connect(self.try_create)
        self.restore_button = QPushButton(self.tr("Restore a backup…"))
        self.restore_button.setToolTip(
            self.tr("A new computer for an existing clinic: restore its backup")
        )
        self.restore_button.clicked.connect(self.restore_backup)

        intro = QLabel(
            self.tr(
                "There is no clinic on this computer yet. Create it, with its first "
                "administrator. The data is encrypted; the administrator's password unlocks it."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        form = QFormLayout()
        form.addRow(self.tr("Clinic name"), self.clinic_name)
        form.addRow(self.tr("Site code"), self.site_code)
        form.addRow(self.tr("Time zone"), self.timezone)
        form.addRow(self.tr("Administrator user name"), self.admin_username)
        form.addRow(self.tr("Administrator full name"), self.admin_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Password again"), self.password_again)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        title = caption(self.tr("New clinic"), "pageTitle")
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch()
        row.addWidget(self.submit)
        layout.addLayout(row)
        self.setMinimumWidth(520)
        self.clinic_name.setFocus()

    def restore_backup(self) -> None:
        from clinic_app.ui.account import RestoreDialog

        dialog = RestoreDialog(self.data_dir, self.tasks, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.session is not None:
            self.session = dialog.session
            self.restored.emit(dialog.session)
            self.accept()

    def try_create(self) -> None:
        if not self.clinic_name.text().strip():
            self.errors.show_text("clinic_name", self.tr("Enter the clinic's name."))
            return
        if not self.site_code.text().strip():
            self.errors.show_text("site_code", self.tr("Enter the site code."))
            return
        if self.password.text() != self.password_again.text():
            self.errors.show_text("password_again", self.tr("The two passwords differ."))
            return
        self.errors.clear()
        self.submit.setEnabled(False)
        self.submit.setText(self.tr("Creating the clinic…"))
        args = {
            "clinic_name": self.clinic_name.text(),
            "site_code": self.site_code.text(),
            "timezone": self.timezone.currentText().strip(),
            "admin_username": self.admin_username.text(),
            "admin_password": self.password.text(),
            "admin_display_name": self.admin_name.text(),
            "cost": self.cost,
        }
        data_dir = self.data_dir
        self.tasks.run(
            lambda: create_clinic(data_dir, **args),  # type: ignore[arg-type]
            self._created,
            self._refused,
            owner=self,
        )

    def _created(self, session: object) -> None:
        assert isinstance(session, Session)
        self.session = session
        self.created.emit(session)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.submit.setEnabled(True)
        self.submit.setText(self.tr("Create the clinic"))
        if unexpected_unless_clinic_error(error):
            self.errors.show(error)  # type: ignore[arg-type]
