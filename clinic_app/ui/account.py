"""One's own account and the clinic's keys: change my password, the recovery key, restore.

Password work runs Argon2id (about a second): it goes through the task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.session import Session
from clinic_app.ui.desk import Desk, unexpected_unless_clinic_error
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.login import primary
from clinic_app.ui.tasks import TaskRunner


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    if placeholder:
        field.setPlaceholderText(placeholder)
    return field


class _TaskDialog(QDialog):
    """A small form dialog whose action runs on the task runner, refusals shown inline."""

    def __init__(self, tasks: TaskRunner, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.setWindowTitle(title)
        self.title = caption(title, "pageTitle")
        self.error = ErrorLabel()
        self.errors = FieldErrors(self.error)
        self.form = QFormLayout()
        self.submit = primary(QPushButton())
        self.submit.setDefault(True)
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.submit)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 20, 24, 20)
        self.body.setSpacing(10)
        self.body.addWidget(self.title)
        self.body.addLayout(self.form)
        self.body.addWidget(self.error)
        self.body.addLayout(buttons)
        self.setMinimumWidth(480)
        self._submit_text = ""

    def set_submit_text(self, text: str) -> None:
        self._submit_text = text
        self.submit.setText(text)

    def run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.errors.clear()
        self.submit.setEnabled(False)
        self.submit.setText(self.tr("Please wait…"))
        self.tasks.run(work, done, self._refused, owner=self)

    def _finish(self) -> None:
        self.submit.setEnabled(True)
        self.submit.setText(self._submit_text)

    def _refused(self, error: BaseException) -> None:
        self._finish()
        if unexpected_unless_clinic_error(error):
            self.errors.show(error)  # type: ignore[arg-type]


class ChangePasswordDialog(_TaskDialog):
    """Every user changes their own password: the current one, then the new one twice."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(desk.tasks, self.tr("Change my password"), parent)
        self.desk = desk
        self.old = password_field()
        self.new = password_field()
        self.again = password_field()
        self.form.addRow(self.tr("Current password"), self.old)
        self.form.addRow(self.tr("New password"), self.new)
        self.form.addRow(self.tr("New password again"), self.again)
        for name, widget in (
            ("old_password", self.old),
            ("current_password", self.old),
            ("password", self.new),
            ("new_password", self.new),
            ("password_again", self.again),
        ):
            self.errors.add(name, widget)
        self.set_submit_text(self.tr("Change the password"))
        self.submit.clicked.connect(self.try_change)
        self.old.setFocus()

    def try_change(self) -> None:
        from clinic_app.security.accounts import change_password

        if self.new.text() != self.again.text():
            self.errors.show_text("password_again", self.tr("The two passwords differ."))
            return
        session, old, new = self.desk.session, self.old.text(), self.new.text()
        self.run(lambda: change_password(session, old, new), self._changed)

    def _changed(self, _: object) -> None:
        for field in (self.old, self.new, self.again):
            field.clear()
        self.accept()


class RecoveryKeyDialog(QDialog):
    """Shown once, right after the clinic is created: the key that opens it without a password.

    The admin must type the last group back: proof it was written down, not just seen.
    """

    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recovery_key = recovery_key
        self.setWindowTitle(self.tr("Recovery key"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        groups = [group for group in recovery_key.replace(" ", "-").split("-") if group]
        self.last_group = groups[-1] if groups else recovery_key
        title = caption(self.tr("Write down the recovery key"), "pageTitle")
        intro = QLabel(
            self.tr(
                "If every administrator forgets their password, this key is the only way "
                "to open the clinic's data. It is shown only now. Write it on paper and "
                "keep the paper locked away, apart from the computer."
            )
        )
        intro.setWordWrap(True)
        # Four groups a line: a line break never falls after a dash, which reads as part of it.
        lines = ["-".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
        self.key_label = QLabel("\n".join(lines) or recovery_key)
        self.key_label.setObjectName("recoveryKey")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(17)
        font.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(font)
        self.key_label.setWordWrap(True)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet(
            "QLabel#recoveryKey { background: white; border: 2px dashed #0f766e;"
            " border-radius: 8px; padding: 16px; letter-spacing: 1px; }"
        )
        self.check = QLineEdit()
        self.check.setObjectName("recoveryCheck")
        self.check.setMaxLength(max(8, len(self.last_group) + 2))
        self.check.setPlaceholderText(self.tr("The last group, as written on your paper"))
        self.error = ErrorLabel()
        self.errors = FieldErrors(self.error, {"check": self.check})
        self.confirm = primary(QPushButton(self.tr("I have written it down")))
        self.confirm.setDefault(True)
        self.confirm.clicked.connect(self.try_confirm)
        form = QFormLayout()
        form.addRow(self.tr("Type the last group"), self.check)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.confirm)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.setMinimumWidth(620)
        self.check.setFocus()

    def try_confirm(self) -> None:
        from clinic_app.security.recovery import normalise_recovery_key

        typed = normalise_recovery_key(self.check.text())
        if not typed or typed != normalise_recovery_key(self.last_group):
            self.errors.show_text(
                "check",
                self.tr("That is not the last group of the key. Check what you wrote down."),
            )
            return
        self.accept()

    def reject(self) -> None:
        # Escape must not skip the key: it is never shown again.
        pass


class RestoreDialog(_TaskDialog):
    """First start on a new computer: restore a backup instead of creating a clinic."""

    def __init__(self, data_dir: Path, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(tasks, self.tr("Restore a backup"), parent)
        self.data_dir = data_dir
        self.session: Session | None = None
        intro = caption(
            self.tr(
                "Choose the backup file (on the USB stick), then log in with an administrator's "
                "account as it was when the backup was made."
            ),
            "muted",
        )
        intro.setWordWrap(True)
        self.body.insertWidget(1, intro)
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.file.setPlaceholderText(self.tr("No file chosen"))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(choose)
        self.username = QLineEdit()
        self.password = password_field()
        self.form.addRow(self.tr("Backup file"), file_row)
        self.form.addRow(self.tr("User name"), self.username)
        self.form.addRow(self.tr("Password"), self.password)
        for name, widget in (
            ("backup_file", self.file),
            ("path", self.file),
            ("username", self.username),
            ("password", self.password),
        ):
            self.errors.add(name, widget)
        self.set_submit_text(self.tr("Restore"))
        self.submit.clicked.connect(self.try_restore)
        self.setMinimumWidth(560)

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Clinic backup"), "", self.tr("Clinic backups (*.clinicbackup)")
        )
        if name:
            self.file.setText(name)

    def try_restore(self) -> None:
        from clinic_app.security.accounts import login
        from clinic_app.storage.backup import restore_clinic

        if not self.file.text():
            self.errors.show_text("backup_file", self.tr("Choose the backup file."))
            return
        if not self.username.text().strip():
            self.errors.show_text("username", self.tr("Enter your user name."))
            return
        backup, data_dir = Path(self.file.text()), self.data_dir
        username, password = self.username.text(), self.password.text()

        def restore_and_log_in() -> Session:
            restore_clinic(backup, data_dir, username, password)
            return login(data_dir, username, password)

        self.run(restore_and_log_in, self._restored)

    def _restored(self, session: object) -> None:
        assert isinstance(session, Session)
        self.session = session
        self.password.clear()
        self.accept()
