"""The admin's list of staff central sent whose account is still to open (Users tab)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.security.accounts import PendingStaff
from clinic_app.ui.desk import Change, Desk
from clinic_app.ui.forms import ErrorLabel
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary
from clinic_app.ui.roles import role_label


class PendingStaffPanel(QGroupBox):
    """People central lists for this clinic who cannot log in yet; hidden while there are none.

    One button per row's action: the admin chooses a first password, which the
    person changes at their first log-in (``accounts.open_staff_account``).
    """

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Staff sent by central, without an account here"), parent)
        self.setObjectName("pendingStaff")
        self.desk = desk
        self.pending: list[PendingStaff] = []
        hint = QLabel(
            self.tr(
                "Central's staff list names these people for this clinic. Open an account "
                "for each with a first password; they choose their own at their first log-in."
            )
        )
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("pendingStaffTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("User name"), self.tr("Roles"), self.tr("To do")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setMaximumHeight(160)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.open_button = primary(QPushButton(self.tr("Open the account…")))
        self.open_button.setObjectName("openStaffAccount")
        self.open_button.clicked.connect(self.open_account)
        self.error = ErrorLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        desk.data_changed.connect(self._on_change)
        self.reload()

    def reload(self) -> None:
        from clinic_app.security.accounts import pending_staff_accounts

        try:
            self.pending = pending_staff_accounts(self.desk.session)
        except ClinicError as error:
            self.pending = []
            self.error.show_text(tr_error(error))
        self.table.setRowCount(0)
        for person in self.pending:
            row = self.table.rowCount()
            self.table.insertRow(row)
            todo = (
                self.tr("active again at central: give a new password")
                if person.reopen
                else self.tr("new: open the account")
            )
            cells = (
                person.display_name,
                person.username,
                ", ".join(sorted(role_label(role) for role in person.roles)),
                todo,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self.pending:
            self.table.selectRow(0)
        self._selection_changed()
        if self.parentWidget() is not None:  # a parentless widget shown would be a window
            self.setVisible(bool(self.pending))

    def selected(self) -> PendingStaff | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model is not None else []
        if not rows or rows[0].row() >= len(self.pending):
            return None
        return self.pending[rows[0].row()]

    def _selection_changed(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    def open_account(self) -> None:
        from clinic_app.security.accounts import open_staff_account
        from clinic_app.ui.admin_security import TemporaryPasswordDialog

        person = self.selected()
        if person is None:
            return
        session, staff_id = self.desk.session, person.staff_id
        dialog = TemporaryPasswordDialog(
            self.desk,
            self.tr("Open the account of {name}").format(name=person.display_name),
            lambda password: open_staff_account(session, staff_id, password),
            self,
        )
        dialog.accepted.connect(self._opened)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog: QDialog | None = dialog
        dialog.open()

    def _opened(self) -> None:
        self.error.show_text("")
        self.desk.announce("user")

    def _on_change(self, change: Change) -> None:
        if change.kind in ("user", "sync"):
            self.reload()
