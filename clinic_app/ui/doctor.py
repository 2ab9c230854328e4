"""The doctor's acts on a consultation: ICD-11 diagnosis, prescription, sick leave, printing.

Printing renders the PDF through the task runner into the desk's private
print folder and hands the file to ``desk.open_document`` (the system viewer;
tests put a recorder there).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.records.certificates import (
    SickLeaveForm,
    end_date_of,
    issue_sick_leave_certificate,
    list_certificates,
)
from clinic_app.records.consultations import patient_allergies
from clinic_app.records.diagnoses import Diagnosis, add_diagnosis, encounter_diagnoses
from clinic_app.records.icd11 import ATTRIBUTION, Icd11Code, search_icd11
from clinic_app.records.prescriptions import (
    AllergyConflict,
    PrescriptionLine,
    list_prescriptions,
    write_prescription,
)
from clinic_app.security.permissions import Action
from clinic_app.ui.desk import Desk, unexpected_unless_clinic_error
from clinic_app.ui.display import format_date
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary

SEARCH_DELAY_MS = 150


def _buttons(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch()
    for widget in widgets:
        row.addWidget(widget)
    return row


class DoctorActs(QWidget):
    """Under a saved consultation: its documents, and the doctor's buttons."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient_id = ""
        self.encounter_id = ""
        self.diagnoses: list[Diagnosis] = []
        self.diagnose = QPushButton(self.tr("Add a diagnosis"))
        self.prescribe = QPushButton(self.tr("Write a prescription"))
        self.sick_leave = QPushButton(self.tr("Sick-leave certificate"))
        self.diagnose.setVisible(desk.may(Action.DIAGNOSE))
        self.prescribe.setVisible(desk.may(Action.PRESCRIBE))
        self.sick_leave.setVisible(desk.may(Action.ISSUE_SICK_LEAVE))
        self.diagnose.clicked.connect(self.open_diagnosis)
        self.prescribe.clicked.connect(self.open_prescription)
        self.sick_leave.clicked.connect(self.open_sick_leave)
        self.documents = QListWidget()
        self.documents.setObjectName("documents")
        self.documents.setMaximumHeight(110)
        self.print_button = QPushButton(self.tr("Print"))
        self.print_employer = QPushButton(self.tr("Print the employer's copy"))
        self.print_button.clicked.connect(lambda: self.print_selected(employer_copy=False))
        self.print_employer.clicked.connect(lambda: self.print_selected(employer_copy=True))
        self.documents.currentRowChanged.connect(self._document_selected)
        self.status = ErrorLabel()
        may_print = desk.may(Action.PRINT_DOCUMENT)
        self.print_button.setVisible(may_print)
        self.print_employer.setVisible(False)
        self.documents_title = caption(self.tr("Documents"), "muted")

        acts = QHBoxLayout()
        acts.addWidget(self.diagnose)
        acts.addWidget(self.prescribe)
        acts.addWidget(self.sick_leave)
        acts.addStretch()
        prints = QHBoxLayout()
        prints.addStretch()
        prints.addWidget(self.print_employer)
        prints.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.documents_title)
        layout.addWidget(self.documents)
        layout.addLayout(prints)
        layout.addWidget(self.status)
        layout.addLayout(acts)

    def show_encounter(self, patient_id: str, encounter_id: str) -> list[str]:
        """Fill the documents list; return the HTML lines that describe the diagnoses."""
        self.patient_id, self.encounter_id = patient_id, encounter_id
        session = self.desk.session
        self.status.show_text("")
        self.diagnoses = encounter_diagnoses(session, encounter_id)
        self.documents.clear()
        for prescription in list_prescriptions(session, patient_id=patient_id):
            if prescription.encounter_id != encounter_id:
                continue
            drugs = ", ".join(item.drug_name for item in prescription.items)
            item = QListWidgetItem(
                self.tr("Prescription {number}: {drugs}").format(
                    number=prescription.number, drugs=drugs
                )
            )
            item.setData(
                Qt.ItemDataRole.UserRole, ("prescription", prescription.id, prescription.number)
            )
            self.documents.addItem(item)
        for certificate in list_certificates(session, patient_id):
            if certificate.encounter_id != encounter_id:
                continue
            item = QListWidgetItem(
                self.tr("Sick leave {number}: {days} day(s), {start} to {end}").format(
                    number=certificate.number,
                    days=certificate.days,
                    start=format_date(certificate.start_date),
                    end=format_date(certificate.end_date),
                )
            )
            item.setData(
                Qt.ItemDataRole.UserRole, ("certificate", certificate.id, certificate.number)
            )
            self.documents.addItem(item)
        has_documents = self.documents.count() > 0
        self.documents.setVisible(has_documents)
        self.documents_title.setVisible(has_documents)
        self.print_button.setVisible(has_documents and self.desk.may(Action.PRINT_DOCUMENT))
        if has_documents:
            self.documents.setCurrentRow(0)
        else:
            self.print_employer.setVisible(False)
        if not self.diagnoses:
            return []
        rows = "".join(
            f"<li><b>{html.escape(d.code)}</b> — {html.escape(d.display)}</li>"
            for d in self.diagnoses
        )
        title = self.tr("Diagnoses")
        return [f"<p><b>{html.escape(title)}</b></p><ul>{rows}</ul>"]

    def _document_selected(self, row: int) -> None:
        item = self.documents.item(row) if row >= 0 else None
        kind = item.data(Qt.ItemDataRole.UserRole)[0] if item is not None else ""
        may_print = self.desk.may(Action.PRINT_DOCUMENT)
        self.print_button.setEnabled(item is not None)
        self.print_employer.setVisible(may_print and kind == "certificate")

    def open_diagnosis(self) -> None:
        DiagnosisDialog(self.desk, self.encounter_id, self.patient_id, self).exec()

    def open_prescription(self) -> None:
        PrescriptionDialog(self.desk, self.patient_id, self.encounter_id, self).exec()

    def open_sick_leave(self) -> None:
        SickLeaveDialog(self.desk, self.patient_id, self.encounter_id, self.diagnoses, self).exec()

    def print_selected(self, *, employer_copy: bool) -> None:
        item = self.documents.currentItem()
        if item is None:
            return
        kind, record_id, number = item.data(Qt.ItemDataRole.UserRole)
        self.status.setObjectName("muted")
        self.status.show_text(self.tr("Preparing the document…"))
        print_document(
            self.desk,
            kind,
            record_id,
            number,
            employer_copy=employer_copy,
            on_failure=self.status.show_text,
            owner=self,
        )


def print_document(
    desk: Desk,
    kind: str,
    record_id: str,
    number: str,
    *,
    employer_copy: bool = False,
    on_failure: Callable[[str], None],
    owner: QWidget,
) -> None:
    """Render the PDF off the GUI thread, then open it in the system viewer."""
    session = desk.session
    suffix = "-employeur" if employer_copy else ""
    # The number names the file: it says nothing about the patient.
    path = desk.print_folder() / f"{number}{suffix}.pdf"

    def render() -> Path:
        from clinic_app.documents import pdf

        if kind == "prescription":
            return pdf.prescription_pdf(session, record_id, path)
        return pdf.sick_leave_pdf(session, record_id, path, employer_copy=employer_copy)

    def rendered(result: object) -> None:
        on_failure("")
        desk.open_document(Path(str(result)))

    def refused(error: BaseException) -> None:
        if unexpected_unless_clinic_error(error):
            on_failure(tr_error(error))  # type: ignore[arg-type]
        else:
            on_failure("")

    desk.tasks.run(render, rendered, refused, owner=owner)


class DiagnosisDialog(QDialog):
    """Search ICD-11 by the words the clinic uses; WHO's title is shown as published."""

    def __init__(
        self, desk: Desk, encounter_id: str, patient_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.encounter_id = encounter_id
        self.patient_id = patient_id
        self._search_number = 0
        self.setWindowTitle(self.tr("Add a diagnosis"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            self.tr("Search ICD-11: word, French name or code (e.g. paludisme, CA40)")
        )
        self.results = QTreeWidget()
        self.results.setHeaderLabels([self.tr("Code"), self.tr("WHO title"), self.tr("Found by")])
        self.results.setRootIsDecorated(False)
        self.results.setAlternatingRowColors(True)
        self.results.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.header().setStretchLastSection(False)
        self.results.setColumnWidth(0, 90)
        self.results.setColumnWidth(2, 170)
        self.results.itemActivated.connect(lambda *_: self.try_add())
        self.error = ErrorLabel()
        self.errors = FieldErrors(self.error, {"diagnosis": self.search})
        self.add = primary(QPushButton(self.tr("Add the diagnosis")))
        self.add.setDefault(True)
        self.add.clicked.connect(self.try_add)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        attribution = caption(ATTRIBUTION, "muted")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._timer.start())
        self.search.returnPressed.connect(self._enter_from_search)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.error)
        layout.addWidget(attribution)
        layout.addLayout(_buttons(cancel, self.add))
        self.resize(760, 460)
        self.search.setFocus()

    def _enter_from_search(self) -> None:
        first = self.results.topLevelItem(0)
        if first is not None:
            self.results.setFocus()
            self.results.setCurrentItem(first)

    def run_search(self) -> None:
        self._search_number += 1
        number, session, query = self._search_number, self.desk.session, self.search.text()

        def shown(codes: object) -> None:
            if number != self._search_number:
                return
            assert isinstance(codes, list)
            self.results.clear()
            for code in codes:
                assert isinstance(code, Icd11Code)
                item = QTreeWidgetItem([code.code, code.title, code.alias])
                item.setData(0, Qt.ItemDataRole.UserRole, code.code)
                item.setToolTip(1, code.title)
                self.results.addTopLevelItem(item)
            first = self.results.topLevelItem(0)
            if first is not None:
                self.results.setCurrentItem(first)

        def refused(error: BaseException) -> None:
            if number == self._search_number and unexpected_unless_clinic_error(error):
                self.errors.show(error)  # type: ignore[arg-type]

        self.desk.tasks.run(lambda: search_icd11(session, query), shown, refused, owner=self)

    def try_add(self) -> None:
        item = self.results.currentItem()
        if item is None:
            self.errors.show_text("diagnosis", self.tr("Choose a code in the list."))
            return
        try:
            add_diagnosis(
                self.desk.session, self.encounter_id, str(item.data(0, Qt.ItemDataRole.UserRole))
            )
        except ClinicError as error:
            self.errors.show(error)
            return
        self.desk.announce("diagnosis", self.patient_id)
        self.accept()


class PrescriptionDialog(QDialog):
    """Drugs from the catalogue, each with dose, frequency, duration and quantity."""

    def __init__(
        self, desk: Desk, patient_id: str, encounter_id: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from clinic_app.inventory.catalogue import list_catalogue

        self.desk = desk
        self.patient_id = patient_id
        self.encounter_id = encounter_id
        self.lines: list[PrescriptionLine] = []
        self.setWindowTitle(self.tr("Prescription"))
        allergies = patient_allergies(desk.session, patient_id)
        self.allergies = caption("", "allergies")
        self.allergies.setWordWrap(True)
        self.allergies.setText(self.tr("Allergies: {list}").format(list=", ".join(allergies)))
        self.allergies.setVisible(bool(allergies))
        self.catalogue = list_catalogue(desk.session)
        self.drug = QComboBox()
        self.drug.setEditable(True)
        self.drug.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for entry in self.catalogue:
            self.drug.addItem(entry.label, entry.id)
        completer = self.drug.completer()
        if completer is not None:
            # "amox" finds "Amoxicilline 500 mg": doctors type the middle of names too.
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.drug.setCurrentIndex(-1)
        drug_edit = self.drug.lineEdit()
        if drug_edit is not None:
            drug_edit.setPlaceholderText(self.tr("Type a drug name"))
        self.dose = QLineEdit()
        self.dose.setPlaceholderText(self.tr("e.g. 1 tablet"))
        self.frequency = QLineEdit()
        self.frequency.setPlaceholderText(self.tr("e.g. 3 times a day"))
        self.duration = QSpinBox()
        self.duration.setRange(1, 365)
        self.duration.setValue(5)
        self.duration.setSuffix(self.tr(" day(s)"))
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 10_000)
        self.add_line = QPushButton(self.tr("Add the line"))
        self.add_line.clicked.connect(self.try_add_line)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Drug"),
                self.tr("Dose"),
                self.tr("Frequency"),
                self.tr("Duration"),
                self.tr("Quantity"),
            ]
        )
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.remove_line = QPushButton(self.tr("Remove the line"))
        self.remove_line.clicked.connect(self._remove_line)
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error,
            {
                "lines": self.table,
                "drug": self.drug,
                "dose": self.dose,
                "frequency": self.frequency,
            },
        )
        self.sign = primary(QPushButton(self.tr("Sign the prescription")))
        self.sign.clicked.connect(self.try_sign)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Drug"), self.drug)
        row = QHBoxLayout()
        for label, widget in (
            (self.tr("Dose"), self.dose),
            (self.tr("Frequency"), self.frequency),
            (self.tr("Duration"), self.duration),
            (self.tr("Quantity"), self.quantity),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addWidget(self.add_line)
        layout = QVBoxLayout(self)
        layout.addWidget(self.allergies)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addLayout(_buttons(self.remove_line))
        layout.addWidget(self.error)
        layout.addLayout(_buttons(cancel, self.sign))
        self.resize(900, 480)
        self.drug.setFocus()

    def try_add_line(self) -> None:
        index = self.drug.findText(self.drug.currentText())
        if index < 0:
            self.errors.show_text("drug", self.tr("Choose a drug from the catalogue."))
            return
        if not self.dose.text().strip() or not self.frequency.text().strip():
            self.errors.show_text(
                "dose" if not self.dose.text().strip() else "frequency",
                self.tr("Give the dose and how often to take it."),
            )
            return
        self.errors.clear()
        line = PrescriptionLine(
            str(self.drug.itemData(index)),
            self.dose.text().strip(),
            self.frequency.text().strip(),
            self.duration.value(),
            self.quantity.value(),
        )
        self.lines.append(line)
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(
            (
                self.drug.itemText(index),
                line.dose,
                line.frequency,
                self.tr("%n day(s)", "", line.duration_days),
                str(line.quantity),
            )
        ):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.drug.setCurrentIndex(-1)
        self.dose.clear()
        self.frequency.clear()
        self.drug.setFocus()

    def _remove_line(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.lines):
            del self.lines[row]
            self.table.removeRow(row)

    def try_sign(self, *, allergy_confirmed: bool = False) -> None:
        try:
            write_prescription(
                self.desk.session,
                patient_id=self.patient_id,
                encounter_id=self.encounter_id,
                lines=self.lines,
                allergy_confirmed=allergy_confirmed,
            )
        except AllergyConflict as warning:
            # The doctor must see the allergy and decide; confirming signs it anyway.
            answer = QMessageBox.warning(
                self,
                self.tr("Allergy"),
                tr_error(warning),
                QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes,
                QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.try_sign(allergy_confirmed=True)
            return
        except ClinicError as error:
            self.errors.show(error)
            field = getattr(error, "field", "")
            if field.startswith("line") and field[4:].isdigit():
                self.table.selectRow(int(field[4:]))
            return
        self.desk.announce("prescription", self.patient_id)
        self.accept()


class SickLeaveDialog(QDialog):
    """Start date and days, the end date shown as the doctor types."""

    def __init__(
        self,
        desk: Desk,
        patient_id: str,
        encounter_id: str | None,
        diagnoses: list[Diagnosis],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient_id = patient_id
        self.encounter_id = encounter_id
        self.setWindowTitle(self.tr("Sick-leave certificate"))
        today = desk.today()
        self.start = QDateEdit(QDate(today.year, today.month, today.day))
        self.start.setDisplayFormat("dd/MM/yyyy")
        self.start.setCalendarPopup(True)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(3)
        self.days.setSuffix(self.tr(" day(s)"))
        self.end = caption("", "okLabel")
        self.initial = QRadioButton(self.tr("Initial"))
        self.extension = QRadioButton(self.tr("Extension"))
        self.initial.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.initial)
        kinds.addButton(self.extension)
        self.extends = QComboBox()
        for certificate in list_certificates(desk.session, patient_id):
            self.extends.addItem(
                self.tr("{number} (until {end})").format(
                    number=certificate.number, end=format_date(certificate.end_date)
                ),
                certificate.number,
            )
        self.extends.setEnabled(False)
        self.extension.toggled.connect(self.extends.setEnabled)
        self.extension.setEnabled(self.extends.count() > 0)
        self.outings = QCheckBox(self.tr("Outings allowed"))
        self.diagnosis = QComboBox()
        self.diagnosis.addItem(self.tr("(none)"), None)
        for diagnosis in diagnoses:
            self.diagnosis.addItem(f"{diagnosis.code} — {diagnosis.display}", diagnosis.code)
        if diagnoses:
            self.diagnosis.setCurrentIndex(1)
        note = caption(self.tr("The employer's copy never shows the diagnosis."), "muted")
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error,
            {
                "start_date": self.start,
                "days": self.days,
                "kind": self.initial,
                "extends_number": self.extends,
                "diagnosis_code": self.diagnosis,
            },
        )
        self.issue = primary(QPushButton(self.tr("Issue the certificate")))
        self.issue.setDefault(True)
        self.issue.clicked.connect(self.try_issue)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.initial)
        kind_row.addWidget(self.extension)
        kind_row.addStretch()
        # Its own row, whole: the end date in it is what the doctor chooses by.
        self.extends.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        form = QFormLayout()
        form.addRow(self.tr("First day off work"), self.start)
        form.addRow(self.tr("Number of days"), self.days)
        form.addRow(self.tr("Last day off work"), self.end)
        form.addRow(self.tr("Kind"), kind_row)
        form.addRow(self.tr("Extends"), self.extends)
        form.addRow("", self.outings)
        form.addRow(self.tr("Diagnosis"), self.diagnosis)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addLayout(_buttons(cancel, self.issue))
        self.start.dateChanged.connect(self._show_end)
        self.days.valueChanged.connect(self._show_end)
        self._show_end()
        self.setMinimumWidth(560)
        self.days.setFocus()

    def start_date(self) -> date:
        value = self.start.date().toPython()
        assert isinstance(value, date)
        return value

    def _show_end(self) -> None:
        self.end.setText(format_date(end_date_of(self.start_date(), self.days.value())))

    def form(self) -> SickLeaveForm:
        extension = self.extension.isChecked()
        return SickLeaveForm(
            patient_id=self.patient_id,
            encounter_id=self.encounter_id,
            start_date=self.start_date(),
            days=self.days.value(),
            kind="extension" if extension else "initial",
            outings_allowed=self.outings.isChecked(),
            diagnosis_code=self.diagnosis.currentData(),
            extends_number=self.extends.currentData() if extension else None,
        )

    def try_issue(self) -> None:
        try:
            issue_sick_leave_certificate(self.desk.session, self.form())
        except ClinicError as error:
            self.errors.show(error)
            return
        self.desk.announce("certificate", self.patient_id)
        self.accept()
