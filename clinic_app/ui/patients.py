"""The Patients page: search as you type, register, open a chart.

Searching goes through the task runner (a large clinic has tens of thousands
of patients); each search carries a number and only the latest answer is shown.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.records.patients import (
    Patient,
    PatientForm,
    PossibleDuplicate,
    register_patient,
    search_patients,
)
from clinic_app.security.permissions import Action
from clinic_app.ui.chart import ChartView
from clinic_app.ui.desk import Change, Desk, unexpected_unless_clinic_error
from clinic_app.ui.display import birth_and_age, sex_choices, sex_label
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary

SEARCH_DELAY_MS = 150

AnyIndex = QModelIndex | QPersistentModelIndex


class PatientTable(QAbstractTableModel):
    def __init__(self, today: date, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.patients: list[Patient] = []

    def headers(self) -> list[str]:
        return [
            self.tr("Family name"),
            self.tr("Given name(s)"),
            self.tr("Sex"),
            self.tr("Date of birth / age"),
            self.tr("National no."),
            self.tr("Village"),
        ]

    def show_patients(self, patients: list[Patient]) -> None:
        self.beginResetModel()
        self.patients = patients
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.patients)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        patient = self.patients[index.row()]
        return (
            patient.family_name.upper(),
            patient.given_name,
            sex_label(patient.sex),
            birth_and_age(patient, self.today),
            patient.national_id,
            patient.village,
        )[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None


class PatientSearch(QWidget):
    """The search field, the results, and "New patient"."""

    chart_requested = Signal(str)  # patient id

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self._search_number = 0
        self.title = caption(self.tr("Patients"), "pageTitle")
        self.search = QLineEdit()
        self.search.setObjectName("patientSearch")
        self.search.setPlaceholderText(self.tr("Search for a patient: name, national no. or phone"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(38)
        self.search.installEventFilter(self)
        self.count = caption("", "muted")
        self.error = ErrorLabel()
        self.model = PatientTable(desk.today(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # Short columns fit their content; names and village share the rest.
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.doubleClicked.connect(self._open_index)
        self.table.activated.connect(self._open_index)  # Enter on a row
        self.new_patient = primary(QPushButton(self.tr("New patient")))
        self.new_patient.setToolTip(self.tr("Register a new patient (Ctrl+N)"))
        self.new_patient.clicked.connect(self.register)
        self.new_patient.setVisible(desk.may(Action.REGISTER_PATIENT))
        QShortcut(QKeySequence("Ctrl+N"), self, self.register)
        # Concurrent edits from sync, for a person to settle (clinic_app.ui.conflicts).
        self.conflicts_button = QPushButton(self.tr("Conflicts"))
        self.conflicts_button.setObjectName("openConflicts")
        self.conflicts_button.setToolTip(
            self.tr("Patient details changed in two places: choose the right value")
        )
        self.conflicts_button.clicked.connect(self.open_conflicts)
        self.conflicts_button.setVisible(desk.may(Action.REGISTER_PATIENT))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self._timer.start())

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch()
        top.addWidget(self.conflicts_button)
        top.addWidget(self.new_patient)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.search)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        desk.data_changed.connect(self._on_change)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.search.setFocus()

    def open_conflicts(self) -> None:
        from clinic_app.ui.conflicts import ConflictsDialog

        ConflictsDialog(self.desk, self).exec()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # From the search field, Down or Enter goes to the results: the keyboard never
        # has to reach for the mouse.
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if self._timer.isActive():
                self._timer.stop()
                self.run_search(then_focus_results=True)
            elif self.model.rowCount() > 0:
                self._focus_results()
            return True
        return super().eventFilter(watched, event)

    def _focus_results(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def run_search(self, *, then_focus_results: bool = False) -> None:
        self._search_number += 1
        number = self._search_number
        session, query = self.desk.session, self.search.text()

        def shown(patients: object) -> None:
            if number != self._search_number:
                return  # an older answer arriving after a newer one
            assert isinstance(patients, list)
            self.error.show_text("")
            self.model.today = self.desk.today()
            self.model.show_patients(patients)
            self._show_count(len(patients), bool(query.strip()))
            if then_focus_results:
                self._focus_results()

        def refused(error: BaseException) -> None:
            if number == self._search_number and unexpected_unless_clinic_error(error):
                self.error.show_text(tr_error(error))  # type: ignore[arg-type]

        self.desk.tasks.run(lambda: search_patients(session, query), shown, refused, owner=self)

    def _show_count(self, count: int, searched: bool) -> None:
        if not searched:
            self.count.setText(self.tr("Most recently registered patients."))
        elif count == 0:
            self.count.setText(
                self.tr("No patient found. Check the spelling, or register a new patient.")
            )
        else:
            self.count.setText(self.tr("%n patient(s) found.", "", count))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chart_requested.emit(self.model.patients[index.row()].id)

    def register(self) -> None:
        if not self.desk.may(Action.REGISTER_PATIENT):
            return
        dialog = RegisterPatientDialog(self.desk, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.patient is not None:
            self.chart_requested.emit(dialog.patient.id)

    def _on_change(self, change: Change) -> None:
        if change.kind == "patient":
            self.run_search()


class RegisterPatientDialog(QDialog):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient: Patient | None = None
        self.setWindowTitle(self.tr("New patient"))
        self.family_name = QLineEdit()
        self.given_name = QLineEdit()
        self.sex = QComboBox()
        self.sex.addItem(self.tr("— choose —"), "")
        for code, label in sex_choices():
            self.sex.addItem(label, code)
        # Not known until someone enters it: a nurse who skips the field must not
        # save the placeholder date as the patient's. Changing the date ticks "Known".
        self.birth_known = QCheckBox(self.tr("Known"))
        self.birth_known.setChecked(False)
        self.birth_date = QDateEdit()
        self.birth_date.setDisplayFormat("dd/MM/yyyy")
        self.birth_date.setCalendarPopup(True)
        today = desk.today()
        self.birth_date.setMaximumDate(QDate(today.year, today.month, today.day))
        self.birth_date.setDate(QDate(today.year - 30, 1, 1))
        self.birth_date.dateChanged.connect(lambda _day: self.birth_known.setChecked(True))
        self.national_id = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("+225 07 00 00 00 00")
        self.village = QLineEdit()
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error,
            {
                "family_name": self.family_name,
                "given_name": self.given_name,
                "sex": self.sex,
                "birth_date": self.birth_date,
                "national_id": self.national_id,
                "phone": self.phone,
                "village": self.village,
            },
        )
        birth = QHBoxLayout()
        birth.addWidget(self.birth_date, 1)
        birth.addWidget(self.birth_known)
        form = QFormLayout()
        form.addRow(self.tr("Family name"), self.family_name)
        form.addRow(self.tr("Given name(s)"), self.given_name)
        form.addRow(self.tr("Sex"), self.sex)
        form.addRow(self.tr("Date of birth"), birth)
        form.addRow(self.tr("National no."), self.national_id)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Village / district"), self.village)
        self.save = primary(QPushButton(self.tr("Save")))
        self.save.setDefault(True)
        self.save.clicked.connect(self.try_save)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(caption(self.tr("New patient"), "pageTitle"))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)
        self.family_name.setFocus()
        self._despite_similar = False
        for edited in (self.family_name, self.given_name, self.phone):
            edited.textEdited.connect(self._look_again)
        self.birth_date.dateChanged.connect(self._look_again)

    def _look_again(self, *_changed: object) -> None:
        """The person changed: look for someone similar again before saving."""
        if self._despite_similar:
            self._despite_similar = False
            self.save.setText(self.tr("Save"))

    def form(self) -> PatientForm:
        birth = self.birth_date.date().toPython() if self.birth_known.isChecked() else None
        return PatientForm(
            given_name=self.given_name.text(),
            family_name=self.family_name.text(),
            sex=str(self.sex.currentData() or ""),
            birth_date=birth,  # type: ignore[arg-type]
            national_id=self.national_id.text(),
            phone=self.phone.text(),
            village=self.village.text(),
        )

    def try_save(self) -> None:
        try:
            self.patient = register_patient(
                self.desk.session, self.form(), despite_similar=self._despite_similar
            )
        except PossibleDuplicate as error:
            # Said once; saving again registers another person of the same name.
            self.errors.show(error)
            self._despite_similar = True
            self.save.setText(self.tr("Save anyway"))
            return
        except ClinicError as error:
            self.errors.show(error)
            return
        self.desk.announce("patient", self.patient.id)
        self.accept()


class PatientsPage(QStackedWidget):
    """The search list, and a patient's chart in front of it when one is open."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.search = PatientSearch(desk)
        self.chart = ChartView(desk)
        self.addWidget(self.search)
        self.addWidget(self.chart)
        self.search.chart_requested.connect(self.open_chart)
        self.chart.closed.connect(self.back_to_search)

    def open_chart(self, patient_id: str) -> None:
        if self.chart.show_patient(patient_id):
            self.setCurrentWidget(self.chart)

    def has_unsaved_input(self) -> bool:
        return self.currentWidget() is self.chart and self.chart.has_unsaved_input()

    def back_to_search(self) -> None:
        self.setCurrentWidget(self.search)
        self.search.search.setFocus()
        self.search.search.selectAll()

    def start(self) -> None:
        """First display: list the latest patients."""
        self.search.run_search()


def show_refusal(label: ErrorLabel, error: BaseException) -> None:
    if unexpected_unless_clinic_error(error):
        label.show_text(tr_error(error))  # type: ignore[arg-type]
