"""The admin's security screens: users, idle lock, consent rule, backups, exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.security.permissions import Action, Role
from clinic_app.ui.account import _TaskDialog, password_field
from clinic_app.ui.desk import Change, Desk, unexpected_unless_clinic_error
from clinic_app.ui.display import format_instant
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary
from clinic_app.ui.roles import role_label
from clinic_app.ui.theme import WARNING


def ok_label() -> ErrorLabel:
    """A green line that, like the red one, is hidden while empty."""
    label = ErrorLabel()
    label.setObjectName("okLabel")
    return label


def left_aligned(widget: QWidget) -> QWidget:
    """A button at its natural width (a form row would stretch it across the page)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch()
    return holder


def _yes_no(value: bool) -> str:
    from PySide6.QtCore import QCoreApplication

    return (
        QCoreApplication.translate("admin", "active")
        if value
        else QCoreApplication.translate("admin", "disabled")
    )


class UsersPanel(QWidget):
    """Everyone who may log in, with what the admin can do to each account."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.users: list[Any] = []
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("User name"), self.tr("Roles"), self.tr("Account")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = primary(QPushButton(self.tr("Add a user…")))
        self.add_button.clicked.connect(self.add_user)
        self.reset_button = QPushButton(self.tr("Reset the password…"))
        self.reset_button.clicked.connect(self.reset_password)
        self.roles_button = QPushButton(self.tr("Change the roles…"))
        self.roles_button.clicked.connect(self.change_roles)
        self.active_button = QPushButton(self.tr("Disable"))
        self.active_button.clicked.connect(self.toggle_active)
        self.error = ErrorLabel()
        self.done = caption("", "okLabel")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.roles_button)
        buttons.addWidget(self.active_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.setSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.done)
        # Central's staff directory: people to open an account for (hidden when none).
        from clinic_app.ui.staff_accounts import PendingStaffPanel

        self.pending_staff = PendingStaffPanel(desk, self)
        layout.addWidget(self.pending_staff)
        desk.data_changed.connect(self._on_change)
        self.reload()

    def reload(self) -> None:
        from clinic_app.security.accounts import list_users

        selected = self.selected()
        try:
            self.users = list_users(self.desk.session)
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            return
        self.table.setRowCount(0)
        for user in self.users:
            row = self.table.rowCount()
            self.table.insertRow(row)
            state = _yes_no(user.active)
            if user.active and user.must_change_password:
                state = self.tr("temporary password")
            if user.active and user.locked_out_until:
                state = self.tr("locked out for a while")
            if not user.active and user.deactivated_by_central:
                state = self.tr("deactivated by central")
            cells = (
                user.display_name,
                user.username,
                ", ".join(sorted(role_label(role) for role in user.roles)),
                state,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not user.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        if selected is not None:
            for row, user in enumerate(self.users):
                if user.username == selected.username:
                    self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.users):
            return None
        return self.users[rows[0].row()]

    def select_username(self, username: str) -> None:
        for row, user in enumerate(self.users):
            if user.username == username:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        user = self.selected()
        for button in (self.reset_button, self.roles_button, self.active_button):
            button.setEnabled(user is not None)
        if user is not None:
            self.active_button.setText(self.tr("Disable") if user.active else self.tr("Enable…"))
            self.reset_button.setEnabled(user.active)

    def _said(self, text: str) -> None:
        self.error.show_text("")
        self.done.setText(text)
        self.desk.announce("user")

    def add_user(self) -> None:
        """A window-modal dialog holding the new-user form; closes itself once created."""
        from clinic_app.ui.administration import NewUserForm

        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Add a user"))
        form = NewUserForm(self.desk)
        form.created.connect(dialog.accept)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(dialog.reject)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(close)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(form)
        layout.addLayout(row)
        dialog.setMinimumWidth(640)
        dialog.accepted.connect(lambda: self._said(form.done.text()))
        dialog.finished.connect(dialog.deleteLater)
        self.add_form = form
        dialog.open()

    def reset_password(self) -> None:
        from clinic_app.security.accounts import reset_password

        user = self.selected()
        if user is None:
            return
        session, username = self.desk.session, user.username
        dialog = TemporaryPasswordDialog(
            self.desk,
            self.tr("Reset the password of {name}").format(name=user.display_name),
            lambda password: reset_password(session, username, password),
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._said(
                self.tr(
                    "{name} has a temporary password; they choose their own at the next log-in."
                ).format(name=user.display_name)
            )

    def change_roles(self) -> None:
        user = self.selected()
        if user is None:
            return
        dialog = RolesDialog(self.desk, user.username, user.display_name, set(user.roles), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._said(
                self.tr("Roles of {name} changed; they apply at the next log-in.").format(
                    name=user.display_name
                )
            )

    def toggle_active(self) -> None:
        from clinic_app.security.accounts import disable_user, enable_user

        user = self.selected()
        if user is None:
            return
        if user.active:
            try:
                disable_user(self.desk.session, user.username)
            except ClinicError as error:
                self.done.clear()
                self.error.show_text(tr_error(error))
                return
            self._said(self.tr("{name} can no longer log in.").format(name=user.display_name))
            return
        session, username = self.desk.session, user.username
        dialog = TemporaryPasswordDialog(
            self.desk,
            self.tr("Enable {name} again").format(name=user.display_name),
            lambda password: enable_user(session, username, password),
            self,
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._said(
                self.tr("{name} may log in again with the temporary password.").format(
                    name=user.display_name
                )
            )

    def _on_change(self, change: Change) -> None:
        if change.kind == "user":
            self.reload()


class TemporaryPasswordDialog(_TaskDialog):
    """The admin types a temporary password twice; the user changes it at their next log-in."""

    def __init__(
        self,
        desk: Desk,
        title: str,
        apply: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(desk.tasks, title, parent)
        self.apply = apply
        hint = caption(
            self.tr(
                "Give the person this temporary password in private; the program asks them "
                "to choose their own at their next log-in."
            ),
            "muted",
        )
        hint.setWordWrap(True)
        self.body.insertWidget(1, hint)
        self.password = password_field()
        self.again = password_field()
        self.form.addRow(self.tr("Temporary password"), self.password)
        self.form.addRow(self.tr("Again"), self.again)
        self.errors.add("password", self.password)
        self.errors.add("temporary_password", self.password)
        self.errors.add("password_again", self.again)
        self.set_submit_text(self.tr("Save"))
        self.submit.clicked.connect(self.try_apply)

    def try_apply(self) -> None:
        if self.password.text() != self.again.text():
            self.errors.show_text("password_again", self.tr("The two passwords differ."))
            return
        apply, password = self.apply, self.password.text()
        self.run(lambda: apply(password), lambda _: self.accept())


class RolesDialog(QDialog):
    def __init__(
        self,
        desk: Desk,
        username: str,
        display_name: str,
        roles: set[Role],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.username = username
        self.setWindowTitle(self.tr("Roles of {name}").format(name=display_name))
        self.boxes = {role: QCheckBox(role_label(role)) for role in Role}
        for role, box in self.boxes.items():
            box.setChecked(role in roles)
        self.error = ErrorLabel()
        save = primary(QPushButton(self.tr("Save")))
        save.setDefault(True)
        save.clicked.connect(self.try_save)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(caption(self.tr("Roles of {name}").format(name=display_name), "pageTitle"))
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(420)

    def try_save(self) -> None:
        from clinic_app.security.accounts import set_roles

        roles = {role for role, box in self.boxes.items() if box.isChecked()}
        try:
            set_roles(self.desk.session, self.username, roles)
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            return
        self.accept()


class SecuritySettings(QGroupBox):
    """My password; the idle-lock delay and the consent rule (admin)."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Security"), parent)
        from clinic_app.security.consent import policy_shares_with_central
        from clinic_app.security.settings import (
            MAX_IDLE_LOCK_MINUTES,
            MIN_IDLE_LOCK_MINUTES,
            idle_lock_minutes,
        )

        self.desk = desk
        store = desk.session.store
        self.my_password = QPushButton(self.tr("Change my password…"))
        self.my_password.clicked.connect(self.change_my_password)
        self.recovery_button = QPushButton(self.tr("New recovery key…"))
        self.recovery_button.setToolTip(
            self.tr("The paper with the old key was lost or seen: make a new one")
        )
        self.recovery_button.clicked.connect(self.make_new_recovery_key)
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setObjectName("idleMinutes")
        self.idle_minutes.setRange(MIN_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES)
        self.idle_minutes.setValue(idle_lock_minutes(store))
        self.idle_minutes.setSuffix(self.tr(" min"))
        self.save_idle = QPushButton(self.tr("Save"))
        self.save_idle.clicked.connect(self.try_save_idle)
        idle_row = QHBoxLayout()
        idle_row.addWidget(self.idle_minutes)
        idle_row.addWidget(self.save_idle)
        idle_row.addStretch()
        self.consent_default = QCheckBox(
            self.tr("Share with central the records of patients who made no decision")
        )
        self.consent_default.setChecked(policy_shares_with_central(store))
        self.consent_default.toggled.connect(self.try_save_consent_policy)
        self.error = ErrorLabel()
        self.done = ok_label()
        self.errors = FieldErrors(self.error, {"idle_lock_minutes": self.idle_minutes})
        form = QFormLayout(self)
        form.addRow(self.tr("My account"), left_aligned(self.my_password))
        may_set = desk.may(Action.MANAGE_SETTINGS)
        if desk.may(Action.MANAGE_USERS):
            form.addRow(self.tr("Recovery key"), left_aligned(self.recovery_button))
        if may_set:
            form.addRow(self.tr("Lock the screen after"), idle_row)
            form.addRow(self.tr("Consent by default"), self.consent_default)
        else:
            for widget in (self.idle_minutes, self.save_idle, self.consent_default):
                widget.hide()
        form.addRow(self.error)
        form.addRow(self.done)

    def change_my_password(self) -> None:
        from clinic_app.ui.account import ChangePasswordDialog

        if ChangePasswordDialog(self.desk, self).exec() == QDialog.DialogCode.Accepted:
            self.done.show_text(self.tr("Your password was changed."))

    def make_new_recovery_key(self) -> None:
        """The old key stops working at once; the new one is shown once, like at set-up."""
        from clinic_app.security.recovery import new_recovery_key
        from clinic_app.ui.account import RecoveryKeyDialog

        self.done.show_text("")
        try:
            key = new_recovery_key(self.desk.session)
        except ClinicError as error:
            self.errors.show(error)
            return
        RecoveryKeyDialog(key, self).exec()
        self.done.show_text(self.tr("The new recovery key is in force; the old one opens nothing."))

    def try_save_idle(self) -> None:
        from clinic_app.security.settings import set_idle_lock_minutes

        self.done.show_text("")
        try:
            minutes = set_idle_lock_minutes(self.desk.session, self.idle_minutes.value())
        except ClinicError as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.done.show_text(
            self.tr("The screen now locks after %n minute(s) without use.", "", minutes)
        )
        self.desk.announce("settings")

    def try_save_consent_policy(self, share: bool) -> None:
        from clinic_app.security.consent import set_consent_policy

        self.done.show_text("")
        try:
            set_consent_policy(self.desk.session, share)
        except ClinicError as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.done.show_text(
            self.tr("Records of patients who made no decision are shared with central.")
            if share
            else self.tr("Records of patients who made no decision stay at the clinic.")
        )
        self.desk.announce("settings")


class BackupReminder(QLabel):
    """A visible line while no backup was made in the last day."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setObjectName("backupReminder")
        self.setWordWrap(True)
        self.setStyleSheet(
            f"QLabel#backupReminder {{ background: #fffaeb; color: {WARNING};"
            " border: 1px solid #fedf89; border-radius: 6px; padding: 8px 12px;"
            " font-weight: 600; }"
        )
        desk.data_changed.connect(self._on_change)
        self.refresh()

    def refresh(self) -> None:
        from clinic_app.storage.backup import backup_due, last_backup_at

        due = self.desk.may(Action.BACKUP) and backup_due(self.desk.session)
        if due and last_backup_at(self.desk.session) is None:
            self.setText(
                self.tr(
                    "No backup has been made yet. Plug in the USB stick and click "
                    "“Back up now” (Clinic and security tab)."
                )
            )
        elif due:
            self.setText(
                self.tr(
                    "No backup in the last day. Plug in the USB stick and click "
                    "“Back up now” (Clinic and security tab)."
                )
            )
        self.setVisible(due)

    def _on_change(self, change: Change) -> None:
        if change.kind == "backup":
            self.refresh()


class BackupSettings(QGroupBox):
    """Back up to a folder (a USB stick), checked after writing; a de-identified export."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Backups and exports"), parent)
        self.desk = desk
        self.last = caption("", "muted")
        self.backup_button = primary(QPushButton(self.tr("Back up now…")))
        self.backup_button.clicked.connect(self.choose_backup_folder)
        self.backup_result = ErrorLabel()
        self.export_button = QPushButton(self.tr("De-identified export…"))
        self.export_button.setToolTip(
            self.tr("CSV files without names or numbers, for the district's statistics")
        )
        self.export_button.clicked.connect(self.choose_export_folder)
        self.export_result = ErrorLabel()
        form = QFormLayout(self)
        if desk.may(Action.BACKUP):
            row = QHBoxLayout()
            row.addWidget(self.backup_button)
            row.addWidget(self.last, 1)
            form.addRow(self.tr("Backup"), row)
            form.addRow("", self.backup_result)
        if desk.may(Action.EXPORT_DEIDENTIFIED):
            form.addRow(self.tr("Statistics"), left_aligned(self.export_button))
            form.addRow("", self.export_result)
        self._show_last()

    def _show_last(self) -> None:
        from clinic_app.clock import to_iso
        from clinic_app.storage.backup import last_backup_at

        last = last_backup_at(self.desk.session)
        self.last.setText(
            self.tr("Last backup: {when}").format(
                when=format_instant(to_iso(last), self.desk.session.zone)
            )
            if last is not None
            else self.tr("No backup yet.")
        )

    def choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the backup"))
        if folder:
            self.back_up_to(Path(folder))

    def back_up_to(self, folder: Path) -> None:
        from clinic_app.storage.backup import backup_clinic

        self.backup_button.setEnabled(False)
        self.backup_button.setText(self.tr("Backing up…"))
        self.backup_result.show_text("")
        session = self.desk.session

        def done(report: object) -> None:
            self._finish_backup()
            path = getattr(report, "path", folder)
            size = int(getattr(report, "size", 0))
            self.backup_result.show_outcome(
                self.tr("Backup written and checked OK: {file} ({size} MB).").format(
                    file=str(path), size=f"{size / 1_000_000:.1f}"
                ),
                ok=True,
            )
            self._show_last()
            self.desk.announce("backup")

        def refused(error: BaseException) -> None:
            self._finish_backup()
            if unexpected_unless_clinic_error(error):
                self.backup_result.show_outcome(tr_error(error), ok=False)  # type: ignore[arg-type]

        self.desk.tasks.run(lambda: backup_clinic(session, folder), done, refused, owner=self)

    def _finish_backup(self) -> None:
        self.backup_button.setEnabled(True)
        self.backup_button.setText(self.tr("Back up now…"))

    def choose_export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the export"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        from clinic_app.reports.deidentified import export_deidentified_csv

        self.export_button.setEnabled(False)
        session = self.desk.session

        def done(paths: object) -> None:
            self.export_button.setEnabled(True)
            files = list(paths) if isinstance(paths, list | tuple) else []
            self.export_result.show_outcome(
                self.tr("%n file(s) written to {folder}.", "", len(files)).format(
                    folder=str(folder)
                ),
                ok=True,
            )

        def refused(error: BaseException) -> None:
            self.export_button.setEnabled(True)
            if unexpected_unless_clinic_error(error):
                self.export_result.show_outcome(tr_error(error), ok=False)  # type: ignore[arg-type]

        self.desk.tasks.run(
            lambda: export_deidentified_csv(session, folder), done, refused, owner=self
        )
