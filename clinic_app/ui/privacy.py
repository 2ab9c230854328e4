"""In the chart: the patient's consent to sharing, and "who opened this record?"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.clock import to_iso
from clinic_app.errors import ClinicError
from clinic_app.records.patients import Patient
from clinic_app.security.audit import short_id
from clinic_app.security.permissions import Action
from clinic_app.ui.desk import Change, Desk
from clinic_app.ui.display import format_instant
from clinic_app.ui.forms import ErrorLabel, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary
from clinic_app.ui.roles import roles_text


class ConsentPanel(QFrame):
    """Shared with central? with other clinics? Who recorded it, when; change it."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.desk = desk
        self.patient_id = ""
        self.may_record = desk.may(Action.RECORD_CONSENT)
        self.central = QCheckBox(self.tr("Shared with central"))
        self.central.setObjectName("consentCentral")
        self.clinics = QCheckBox(self.tr("Shared with other clinics"))
        self.clinics.setObjectName("consentClinics")
        self.recorded = caption("", "muted")
        self.recorded.setWordWrap(True)
        self.error = ErrorLabel()
        self.save = QPushButton(self.tr("Record the consent"))
        self.save.setObjectName("recordConsent")
        self.save.clicked.connect(self.try_record)
        self.save.setEnabled(False)
        for box in (self.central, self.clinics):
            box.setEnabled(self.may_record)
            box.toggled.connect(self._changed)
        self.save.setVisible(self.may_record)
        # The two choices one above the other, the button beside them: the panel sits
        # beside the patient's name and must leave the chart room on a 1366-pixel screen.
        choices = QVBoxLayout()
        choices.setSpacing(2)
        choices.addWidget(self.central)
        choices.addWidget(self.clinics)
        boxes = QHBoxLayout()
        boxes.addLayout(choices)
        boxes.addStretch()
        boxes.addWidget(self.save, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addWidget(caption(self.tr("Patient's consent"), "sectionTitle"))
        layout.addLayout(boxes)
        layout.addWidget(self.recorded)
        layout.addWidget(self.error)
        self._shown: tuple[bool, bool] = (False, False)
        desk.data_changed.connect(self._on_change)

    def show_patient(self, patient_id: str) -> None:
        from clinic_app.security.consent import current_consent

        self.patient_id = patient_id
        self.error.show_text("")
        try:
            consent = current_consent(self.desk.session, patient_id)
        except ClinicError as error:
            self.setVisible(False)
            self.error.show_text(tr_error(error))
            return
        self.setVisible(True)
        self._shown = (consent.share_with_central, consent.share_with_clinics)
        for box, value in zip((self.central, self.clinics), self._shown, strict=True):
            box.blockSignals(True)
            box.setChecked(value)
            box.blockSignals(False)
        if consent.is_default or consent.recorded_at is None:
            self.recorded.setText(self.tr("No decision recorded: the clinic's rule applies."))
        else:
            self.recorded.setText(
                self.tr("Recorded by {name} on {when}.").format(
                    name=consent.recorded_by_name or "?",
                    when=format_instant(to_iso(consent.recorded_at), self.desk.session.zone),
                )
            )
        self.save.setEnabled(False)

    def _changed(self) -> None:
        self.save.setEnabled(
            self.may_record and (self.central.isChecked(), self.clinics.isChecked()) != self._shown
        )

    def try_record(self) -> None:
        from clinic_app.security.consent import record_consent

        try:
            record_consent(
                self.desk.session,
                self.patient_id,
                self.central.isChecked(),
                self.clinics.isChecked(),
            )
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            return
        self.desk.announce("consent", self.patient_id)

    def _on_change(self, change: Change) -> None:
        if change.kind == "consent" and change.patient_id == self.patient_id and self.patient_id:
            self.show_patient(self.patient_id)


class WhoOpenedDialog(QDialog):
    """Every opening of this chart: who, with which role, when, from which workstation."""

    def __init__(self, desk: Desk, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from clinic_app.security.audit import who_opened

        self.setWindowTitle(self.tr("Who opened this record?"))
        title = caption(self.tr("Who opened this record?"), "pageTitle")
        subtitle = caption(
            self.tr("{name} — record no. {number}").format(
                name=f"{patient.family_name.upper()} {patient.given_name}",
                number=short_id(patient.id),
            ),
            "muted",
        )
        self.error = ErrorLabel()
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("Role"),
                self.tr("How"),
                self.tr("Workstation"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        try:
            self.openings = who_opened(desk.session, patient.id)
        except ClinicError as error:
            self.openings = []
            self.error.show_text(tr_error(error))
        zone = desk.session.zone
        for opening in self.openings:
            row = self.table.rowCount()
            self.table.insertRow(row)
            how = self.tr("Emergency access") if opening.emergency else self.tr("Chart opened")
            cells = (
                format_instant(opening.occurred_at, zone),
                opening.user_name or opening.username or opening.user_id,
                roles_text(opening.roles),
                how,
                opening.workstation,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        count = caption(self.tr("%n opening(s).", "", len(self.openings)), "muted")
        close = primary(QPushButton(self.tr("Close")))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(count)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(760, 440)
