"""Administration: users, security settings, backups and exports, the audit, enrolment.

Tabs: Users (list, add, reset a password, roles, disable/enable), Clinic
(my password, idle lock, consent rule, backup, de-identified export, the
clinic's facts, enrolment, sync by USB stick), the audit trail, and emergency accesses to review.
A reminder shows above the tabs while a backup is due.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.records.icd11 import ATTRIBUTION, import_icd11_tsv
from clinic_app.security.accounts import create_user
from clinic_app.security.permissions import Action, Role
from clinic_app.ui.desk import Desk, unexpected_unless_clinic_error
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary
from clinic_app.ui.roles import role_label


class NewUserForm(QGroupBox):
    created = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("New user"), parent)
        self.desk = desk
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.roles = {role: QCheckBox(role_label(role)) for role in Role}
        roles_row = QHBoxLayout()
        for box in self.roles.values():
            roles_row.addWidget(box)
        roles_row.addStretch()
        roles_widget = QWidget()
        roles_widget.setLayout(roles_row)
        self.error = ErrorLabel()
        self.done = caption("", "okLabel")
        self.errors = FieldErrors(
            self.error,
            {
                "username": self.username,
                "display_name": self.display_name,
                "password": self.password,
                "roles": roles_widget,
            },
        )
        self.create_button = primary(QPushButton(self.tr("Create the user")))
        self.create_button.clicked.connect(self.try_create)
        form = QFormLayout(self)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Full name"), self.display_name)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Roles"), roles_widget)
        form.addRow("", self.error)
        form.addRow(self.done, self.create_button)

    def try_create(self) -> None:
        self.done.clear()
        roles = {role for role, box in self.roles.items() if box.isChecked()}
        try:
            create_user(
                self.desk.session,
                username=self.username.text(),
                display_name=self.display_name.text(),
                roles=roles,
                password=self.password.text(),
            )
        except ClinicError as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.done.setText(self.tr("User {name} created.").format(name=self.username.text()))
        for widget in (self.username, self.display_name, self.password):
            widget.clear()
        for box in self.roles.values():
            box.setChecked(False)
        self.desk.announce("user")
        self.created.emit()


class EnrolmentForm(QGroupBox):
    """Enrol once with central's operator credentials; central returns a device token."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Enrol with central"), parent)
        self.desk = desk
        self.server_url = QLineEdit()
        self.server_url.setPlaceholderText("https://central.example.org")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = ErrorLabel()
        self.done = caption("", "okLabel")
        self.errors = FieldErrors(
            self.error,
            {
                "server_url": self.server_url,
                "url": self.server_url,
                "username": self.username,
                "password": self.password,
            },
        )
        self.enrol = primary(QPushButton(self.tr("Enrol the clinic")))
        self.enrol.clicked.connect(self.try_enrol)
        form = QFormLayout(self)
        form.addRow(self.tr("Server address"), self.server_url)
        form.addRow(self.tr("Central user name"), self.username)
        form.addRow(self.tr("Central password"), self.password)
        form.addRow("", self.error)
        form.addRow(self.done, self.enrol)

    def try_enrol(self) -> None:
        from clinic_app.sync.service import enrol_clinic

        self.errors.clear()
        self.done.clear()
        self.enrol.setEnabled(False)
        self.enrol.setText(self.tr("Contacting central…"))
        session = self.desk.session
        url, user, password = self.server_url.text(), self.username.text(), self.password.text()
        self.desk.tasks.run(
            lambda: enrol_clinic(session, url, user, password),
            self._enrolled,
            self._refused,
            owner=self,
        )

    def _finish(self) -> None:
        self.enrol.setEnabled(True)
        self.enrol.setText(self.tr("Enrol the clinic"))

    def _enrolled(self, _: object) -> None:
        self._finish()
        self.password.clear()
        self.done.setText(self.tr("The clinic is enrolled. Sync starts by itself."))
        self.desk.announce("enrolment")

    def _refused(self, error: BaseException) -> None:
        self._finish()
        if unexpected_unless_clinic_error(error):
            self.errors.show(error)  # type: ignore[arg-type]


class CarryForm(QGroupBox):
    """Sync by USB stick, for weeks without a link (``clinic_app.sync.handcarry``).

    The file written carries every change waiting for central, encrypted for
    this clinic's enrolment; central's operator imports it (``clinic-central
    import``) and gives back an answer file, imported here. Nothing leaves the
    outbox until the answer says central has it.
    """

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Sync by USB stick (no connection)"), parent)
        self.desk = desk
        explain = caption(
            self.tr(
                "1. Write the changes waiting for central to a USB stick. 2. Central's "
                "operator imports the file and writes an answer next to it. 3. Bring the "
                "answer back here."
            ),
            "muted",
        )
        explain.setWordWrap(True)
        self.export_button = QPushButton(self.tr("Write the changes to a USB stick…"))
        self.export_button.setObjectName("carryExport")
        self.export_button.clicked.connect(self.choose_export_folder)
        self.answer_button = QPushButton(self.tr("Bring back central's answer…"))
        self.answer_button.setObjectName("carryAnswer")
        self.answer_button.clicked.connect(self.choose_answer_file)
        self.result = ErrorLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.answer_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(buttons)
        layout.addWidget(self.result)

    def choose_export_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("USB stick or folder"))
        if folder:
            self.export_to(Path(folder))

    def choose_answer_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Central's answer"), "", self.tr("Answer from central (*.clinicanswer)")
        )
        if name:
            self.import_answer(Path(name))

    def export_to(self, folder: Path) -> None:
        from clinic_app.sync.handcarry import export_pending_changes

        session = self.desk.session

        def done(path: object) -> None:
            self._busy(False)
            self.result.show_outcome(
                self.tr(
                    "Written: {file}. Give it to central's operator; nothing leaves this "
                    "computer's queue until central's answer is brought back."
                ).format(file=str(path)),
                ok=True,
            )

        self._busy(True)
        self.desk.tasks.run(
            lambda: export_pending_changes(session, folder), done, self._refused, owner=self
        )

    def import_answer(self, path: Path) -> None:
        from clinic_app.sync.handcarry import import_answer_file

        session = self.desk.session

        def done(report: object) -> None:
            self._busy(False)
            acknowledged = int(getattr(report, "acknowledged", 0))
            applied = int(getattr(report, "applied", 0))
            refused = getattr(report, "refused", None)
            text = self.tr(
                "Central's answer applied: {acknowledged} change(s) received by central, "
                "{applied} brought back."
            ).format(acknowledged=acknowledged, applied=applied)
            if refused:
                text += " " + self.tr(
                    "Central refused part of the file; the rest waits for the next file."
                )
            self.result.show_outcome(text, ok=not refused)
            self.desk.announce("sync")  # master data and linked records may touch any view

        self._busy(True)
        self.desk.tasks.run(
            lambda: import_answer_file(session, path), done, self._refused, owner=self
        )

    def _busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.answer_button.setEnabled(not busy)
        if busy:
            self.result.show_text("")

    def _refused(self, error: BaseException) -> None:
        self._busy(False)
        if unexpected_unless_clinic_error(error):
            self.result.show_outcome(tr_error(error), ok=False)  # type: ignore[arg-type]


class ClinicSettings(QGroupBox):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Clinic"), parent)
        self.desk = desk
        store = desk.session.store
        form = QFormLayout(self)
        form.addRow(self.tr("Name"), QLabel(desk.session.clinic_name))
        form.addRow(self.tr("Site code"), QLabel(store.setting("site_code") or ""))
        form.addRow(self.tr("Time zone"), QLabel(store.setting("timezone") or ""))
        self.icd_status = ErrorLabel()
        self.import_icd = QPushButton(self.tr("Import a WHO ICD-11 file…"))
        self.import_icd.clicked.connect(self.choose_icd_file)
        self.import_icd.setVisible(desk.may(Action.MANAGE_SETTINGS))
        form.addRow(self.tr("Diagnosis codes"), QLabel(ATTRIBUTION))
        form.addRow(self.icd_status, self.import_icd)

    def choose_icd_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("WHO ICD-11 tabulation"),
            "",
            self.tr("ICD-11 tabulation (*.tsv *.tsv.gz *.txt)"),
        )
        if not name:
            return
        self.import_icd.setEnabled(False)
        session, path = self.desk.session, Path(name)

        def imported(count: object) -> None:
            self.import_icd.setEnabled(True)
            self.icd_status.setObjectName("okLabel")
            self.icd_status.show_text(self.tr("%n code(s) imported.", "", int(str(count))))

        def refused(error: BaseException) -> None:
            self.import_icd.setEnabled(True)
            if unexpected_unless_clinic_error(error):
                self.icd_status.setObjectName("errorLabel")
                self.icd_status.show_text(tr_error(error))  # type: ignore[arg-type]

        self.desk.tasks.run(lambda: import_icd11_tsv(session, path), imported, refused, owner=self)


class AdministrationPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from clinic_app.ui.admin_security import (
            BackupReminder,
            BackupSettings,
            SecuritySettings,
            UsersPanel,
        )
        from clinic_app.ui.audit_view import AuditViewer, EmergencyReview

        self.desk = desk
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.users: UsersPanel | None = None
        if desk.may(Action.MANAGE_USERS):
            self.users = UsersPanel(desk)
            self.tabs.addTab(self.users, self.tr("Users"))

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 12, 4, 12)
        layout.setSpacing(12)
        self.security = SecuritySettings(desk)
        layout.addWidget(self.security)
        self.backup: BackupSettings | None = None
        if desk.may(Action.BACKUP) or desk.may(Action.EXPORT_DEIDENTIFIED):
            self.backup = BackupSettings(desk)
            layout.addWidget(self.backup)
        self.clinic = ClinicSettings(desk)
        layout.addWidget(self.clinic)
        if desk.may(Action.ENROL_CLINIC):
            self.enrolment = EnrolmentForm(desk)
            layout.addWidget(self.enrolment)
        self.carry: CarryForm | None = None
        if desk.may(Action.SYNC):
            self.carry = CarryForm(desk)
            layout.addWidget(self.carry)
        layout.addStretch()
        scroll.setWidget(body)
        self.tabs.addTab(scroll, self.tr("Clinic and security"))

        self.audit: AuditViewer | None = None
        if desk.may(Action.VIEW_AUDIT):
            self.audit = AuditViewer(desk)
            self.tabs.addTab(self.audit, self.tr("Audit trail"))
        self.emergencies: EmergencyReview | None = None
        if desk.may(Action.REVIEW_EMERGENCY_ACCESS):
            self.emergencies = EmergencyReview(desk)
            self.tabs.addTab(self.emergencies, self.tr("Emergency accesses"))
        self.tabs.currentChanged.connect(self._tab_shown)

        self.reminder = BackupReminder(desk)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 16, 20, 12)
        outer.setSpacing(10)
        outer.addWidget(caption(self.tr("Administration"), "pageTitle"))
        outer.addWidget(self.reminder)
        outer.addWidget(self.tabs, 1)

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def _tab_shown(self, _: int) -> None:
        # The audit and the review list are read (and audited) when looked at, not before.
        current = self.tabs.currentWidget()
        if current is self.audit and self.audit is not None:
            self.audit.reload()
        elif current is self.emergencies and self.emergencies is not None:
            self.emergencies.reload()
