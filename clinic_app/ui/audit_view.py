"""The admin's audit viewer and the list of emergency accesses to review.

The admin role does not open charts, so the viewer shows a patient as their
record number (the short id a nurse reads from the chart), never a name.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.clock import to_iso
from clinic_app.errors import ClinicError
from clinic_app.security.audit import short_id
from clinic_app.ui.desk import Change, Desk
from clinic_app.ui.display import format_instant
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary
from clinic_app.ui.roles import action_label, object_label, outcome_label, roles_text

AUDIT_ROWS = 500
# Columns, in the order a reader scans them: when, who, did what, to whom.
WHEN, USER, ACTION, PATIENT, OBJECT, OUTCOME, ROLES, WORKSTATION = range(8)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AuditViewer(QWidget):
    """Newest first; filters by patient record number, user and days; verify the chain."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.entries: list[Any] = []
        self.patient = QLineEdit()
        self.patient.setObjectName("auditPatient")
        self.patient.setPlaceholderText(self.tr("Patient record no."))
        self.patient.setToolTip(
            self.tr("The record number shown in the chart, under the patient's name")
        )
        self.patient.setClearButtonEnabled(True)
        self.patient.setFixedWidth(150)
        self.patient.returnPressed.connect(self.reload)
        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.user.setMinimumContentsLength(13)
        self.user.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.by_date = QCheckBox(self.tr("From"))
        today = desk.today()
        self.since = QDateEdit(_qdate(today))
        self.until = QDateEdit(_qdate(today))
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        self.by_date.toggled.connect(self.since.setEnabled)
        self.by_date.toggled.connect(self.until.setEnabled)
        self.show_button = primary(QPushButton(self.tr("Show")))
        self.show_button.clicked.connect(self.reload)
        self.verify_button = QPushButton(self.tr("Verify the chain"))
        self.verify_button.clicked.connect(self.verify_chain)
        self.chain = QLabel()
        self.error = ErrorLabel()
        self.count = caption("", "muted")
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("User"),
                self.tr("Action"),
                self.tr("Patient"),
                self.tr("Object"),
                self.tr("Outcome"),
                self.tr("Roles"),
                self.tr("Workstation"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        # Every column at its content's width (a narrow screen scrolls sideways rather
        # than cut the action short); the workstation takes what is left.
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.patient)
        filters.addWidget(self.user)
        filters.addSpacing(8)
        filters.addWidget(self.by_date)
        filters.addWidget(self.since)
        filters.addWidget(QLabel(self.tr("to")))
        filters.addWidget(self.until)
        filters.addStretch()
        filters.addWidget(self.show_button)
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.count, 1)
        chain_row.addWidget(self.chain)
        chain_row.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(chain_row)
        self._fill_users()
        desk.data_changed.connect(self._on_change)

    def _fill_users(self) -> None:
        from clinic_app.security.accounts import list_users

        current = self.user.currentData()
        self.user.blockSignals(True)
        self.user.clear()
        self.user.addItem(self.tr("All users"), "")
        try:
            users = list_users(self.desk.session)
        except ClinicError:
            users = []
        for user in users:
            self.user.addItem(f"{user.display_name} ({user.username})", user.user_id)
        self.user.setCurrentIndex(max(0, self.user.findData(current)))
        self.user.blockSignals(False)

    def filters(self) -> dict[str, Any]:
        by_date = self.by_date.isChecked()
        return {
            "patient_id": self.patient.text().strip() or None,
            "user_id": self.user.currentData() or None,
            "since": self.since.date().toPython() if by_date else None,
            "until": self.until.date().toPython() if by_date else None,
        }

    def reload(self) -> None:
        from clinic_app.security.audit import audit_entries

        try:
            self.entries = audit_entries(self.desk.session, limit=AUDIT_ROWS, **self.filters())
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            return
        self.error.show_text("")
        zone = self.desk.session.zone
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            person = entry.user_name or entry.username or short_id(entry.user_id)
            cells = {
                WHEN: format_instant(entry.occurred_at, zone),
                USER: person,
                ACTION: action_label(entry.action),
                PATIENT: short_id(entry.patient_id),
                OBJECT: object_label(entry.object_kind),
                OUTCOME: outcome_label(entry.outcome),
                ROLES: roles_text(entry.roles),
                WORKSTATION: entry.workstation,
            }
            for column, text in cells.items():
                item = QTableWidgetItem(text)
                if column == ACTION:
                    item.setToolTip(entry.action)
                if column == WHEN:
                    item.setToolTip(f"#{entry.seq}")
                self.table.setItem(row, column, item)
        shown = len(self.entries)
        self.count.setText(
            self.tr("%n entry(ies), newest first.", "", shown)
            if shown < AUDIT_ROWS
            else self.tr("The newest {n} entries; narrow the filters to see older ones.").format(
                n=AUDIT_ROWS
            )
        )

    def verify_chain(self) -> None:
        from clinic_app.security.recovery import verify_audit_trail

        session = self.desk.session
        self.verify_button.setEnabled(False)
        self.chain.setText(self.tr("Checking…"))

        def work() -> Any:
            return verify_audit_trail(session)

        def shown(check: Any) -> None:
            self.verify_button.setEnabled(True)
            if check.intact:
                self.chain.setObjectName("okLabel")
                self.chain.setText(
                    self.tr("Chain intact: %n entry(ies) checked.", "", check.entries)
                )
            else:
                self.chain.setObjectName("errorLabel")
                self.chain.setText(
                    self.tr("Chain broken at entry #{seq}: {reason}.").format(
                        seq=check.first_broken_seq, reason=self._reason(check.reason)
                    )
                )
            self.chain.style().unpolish(self.chain)
            self.chain.style().polish(self.chain)

        def refused(error: BaseException) -> None:
            self.verify_button.setEnabled(True)
            self.chain.setText(tr_error(error) if isinstance(error, ClinicError) else "")

        self.desk.tasks.run(work, shown, refused, owner=self)

    def _reason(self, reason: str) -> str:
        return {
            "missing entry": self.tr("an entry is missing"),
            "broken link to the previous entry": self.tr("the link to the previous entry"),
            "content changed": self.tr("its content was changed"),
        }.get(reason, reason)

    def _on_change(self, change: Change) -> None:
        if change.kind == "user":
            self._fill_users()


class EmergencyReview(QWidget):
    """Emergency openings not reviewed yet: who, when, why; the admin's note closes each."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.accesses: list[Any] = []
        self.list = QListWidget()
        self.list.setObjectName("history")
        self.list.currentRowChanged.connect(self._selected)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QPlainTextEdit()
        self.note.setObjectName("reviewNote")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(
            self.tr("What you found: e.g. asked the storekeeper; patient had fainted, justified")
        )
        self.note.setFixedHeight(5 * self.note.fontMetrics().lineSpacing() + 24)
        self.error = ErrorLabel()
        self.errors = FieldErrors(self.error, {"note": self.note})
        self.done = caption("", "okLabel")
        self.review_button = primary(QPushButton(self.tr("Mark as reviewed")))
        self.review_button.clicked.connect(self.try_review)
        self.empty = caption(self.tr("No emergency access waiting for review."), "muted")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(8, 0, 0, 0)
        right_layout.addWidget(caption(self.tr("Reason given"), "sectionTitle"))
        right_layout.addWidget(self.detail)
        right_layout.addWidget(caption(self.tr("Review note"), "sectionTitle"))
        right_layout.addWidget(self.note)
        right_layout.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done, 1)
        buttons.addWidget(self.review_button)
        right_layout.addLayout(buttons)
        right_layout.addStretch()
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([380, 520])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        self._selected(-1)

    def reload(self) -> None:
        from clinic_app.security.emergency import emergency_accesses_to_review

        try:
            self.accesses = emergency_accesses_to_review(self.desk.session)
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            return
        zone = self.desk.session.zone
        self.list.clear()
        for access in self.accesses:
            when = format_instant(to_iso(access.occurred_at), zone)
            who = access.user_display_name or access.username
            text = self.tr("{when} — {who}\nrecord no. {number}").format(
                when=when, who=who, number=short_id(access.patient_id)
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, access.id)
            self.list.addItem(item)
        self.empty.setVisible(not self.accesses)
        if self.accesses:
            self.list.setCurrentRow(0)
        else:
            self._selected(-1)

    def _selected(self, row: int) -> None:
        chosen = 0 <= row < len(self.accesses)
        self.detail.setText(self.accesses[row].reason if chosen else "")
        self.note.setEnabled(chosen)
        self.review_button.setEnabled(chosen)
        self.errors.clear()

    def try_review(self) -> None:
        from clinic_app.security.emergency import review_emergency_access

        row = self.list.currentRow()
        if not 0 <= row < len(self.accesses):
            return
        try:
            review_emergency_access(
                self.desk.session, self.accesses[row].id, self.note.toPlainText()
            )
        except ClinicError as error:
            self.errors.show(error)
            return
        self.note.clear()
        self.done.setText(self.tr("Reviewed."))
        self.reload()
