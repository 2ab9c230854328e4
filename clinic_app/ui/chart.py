"""A patient's chart: header, consultation history, a new consultation, the doctor's acts.

A saved consultation is final; the doctor's diagnoses, prescriptions and
certificates attach to the consultation selected in the history.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError
from clinic_app.records.consultations import (
    VITAL_SIGNS,
    Consultation,
    ConsultationForm,
    patient_allergies,
    patient_consultations,
    record_consultation,
)
from clinic_app.records.patients import Patient, open_chart
from clinic_app.security.audit import short_id
from clinic_app.security.permissions import Action
from clinic_app.ui import doctor
from clinic_app.ui.desk import Change, Desk
from clinic_app.ui.display import (
    age_text,
    format_date,
    format_instant,
    parse_number,
    sex_label,
    vital_label,
    vital_value,
)
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error, unit_symbol
from clinic_app.ui.login import primary
from clinic_app.ui.privacy import ConsentPanel, WhoOpenedDialog

_CHART_KINDS = {"consultation", "allergy", "diagnosis", "prescription", "certificate", "patient"}


def _text_box(lines: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)  # Tab moves on, as in every other field
    box.setFixedHeight(12 + lines * box.fontMetrics().lineSpacing() + 12)
    return box


class ConsultationEntry(QWidget):
    """The "new consultation" form. Empty vital signs are allowed; impossible ones are not."""

    saved = Signal(object)  # Consultation

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient_id = ""
        self.title = caption(self.tr("New consultation"), "sectionTitle")
        self.complaint = _text_box(2)
        self.complaint.setObjectName("complaint")
        self.complaint.setPlaceholderText(self.tr("Reason for the visit, in the patient's words"))
        self.vitals: dict[str, QLineEdit] = {}
        number = QRegularExpressionValidator(QRegularExpression(r"^\d{0,3}([.,]\d{0,2})?$"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        for position, vital in enumerate(VITAL_SIGNS):
            row, column = divmod(position, 2)
            edit = QLineEdit()
            edit.setObjectName(f"vital_{vital.key}")
            edit.setValidator(number)
            edit.setMaximumWidth(90)
            edit.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.vitals[vital.key] = edit
            label = QLabel(vital_label(vital.key))
            label.setBuddy(edit)
            grid.addWidget(label, row, column * 4)
            grid.addWidget(edit, row, column * 4 + 1)
            grid.addWidget(caption(unit_symbol(vital.unit), "muted"), row, column * 4 + 2)
        grid.setColumnMinimumWidth(3, 24)
        grid.setColumnStretch(7, 1)
        self.notes = _text_box(4)
        self.notes.setPlaceholderText(self.tr("Examination, advice, follow-up"))
        self.allergy = QLineEdit()
        self.allergy.setPlaceholderText(self.tr("Substance (e.g. penicillin)"))
        self.reaction = QLineEdit()
        self.reaction.setPlaceholderText(self.tr("Reaction (e.g. rash)"))
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error,
            {
                "complaint": self.complaint,
                "notes": self.notes,
                "allergy": self.allergy,
                **self.vitals,
            },
        )
        self.save = primary(QPushButton(self.tr("Save the consultation")))
        self.save.setObjectName("saveConsultation")
        self.save.setToolTip(self.tr("Ctrl+S"))
        self.save.clicked.connect(self.try_save)
        QShortcut(
            QKeySequence("Ctrl+S"),
            self,
            self.try_save,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

        allergy_row = QHBoxLayout()
        allergy_row.addWidget(self.allergy, 1)
        allergy_row.addWidget(self.reaction, 1)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(caption(self.tr("Complaint"), "muted"))
        layout.addWidget(self.complaint)
        layout.addWidget(caption(self.tr("Vital signs"), "muted"))
        layout.addLayout(grid)
        layout.addWidget(caption(self.tr("Notes"), "muted"))
        layout.addWidget(self.notes)
        layout.addWidget(caption(self.tr("New allergy"), "muted"))
        layout.addLayout(allergy_row)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addStretch()
        self.setEnabled(desk.may(Action.RECORD_CONSULTATION))

    def has_input(self) -> bool:
        """Something typed that is not saved yet (switching user would lose it)."""
        boxes = (self.complaint, self.notes)
        lines = (self.allergy, self.reaction, *self.vitals.values())
        return any(box.toPlainText().strip() for box in boxes) or any(
            line.text().strip() for line in lines
        )

    def reset(self, patient_id: str) -> None:
        self.patient_id = patient_id
        self.complaint.clear()
        self.notes.clear()
        self.allergy.clear()
        self.reaction.clear()
        for edit in self.vitals.values():
            edit.clear()
        self.errors.clear()

    def form(self) -> ConsultationForm | None:
        """The form's content, or None after marking a vital sign that is no number."""
        vitals: dict[str, float] = {}
        for key, edit in self.vitals.items():
            if not edit.text().strip():
                continue
            value = parse_number(edit.text())
            if value is None:
                self.errors.show_text(
                    key, self.tr("{label}: enter a number.").format(label=vital_label(key))
                )
                return None
            vitals[key] = value
        allergies = (
            ((self.allergy.text(), self.reaction.text()),) if (self.allergy.text().strip()) else ()
        )
        return ConsultationForm(
            patient_id=self.patient_id,
            complaint=self.complaint.toPlainText(),
            vitals=vitals,
            notes=self.notes.toPlainText(),
            new_allergies=allergies,
        )

    def try_save(self) -> None:
        form = self.form()
        if form is None:
            return
        try:
            consultation = record_consultation(self.desk.session, form)
        except ClinicError as error:
            self.errors.show(error)
            return
        self.reset(self.patient_id)
        self.saved.emit(consultation)
        self.desk.announce("consultation", form.patient_id)


class ConsultationDetail(QWidget):
    """One saved consultation, read-only, with the doctor's acts on it."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient_id = ""
        self.consultation: Consultation | None = None
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.acts = doctor.DoctorActs(desk)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.acts)

    def show_consultation(self, patient_id: str, consultation: Consultation) -> None:
        self.patient_id = patient_id
        self.consultation = consultation
        zone = self.desk.session.zone
        # Labels are translated outside the f-strings: lupdate does not look inside them.
        title = self.tr("Consultation of {when}").format(
            when=format_instant(consultation.occurred_at, zone)
        )
        complaint_label = self.tr("Complaint")
        vitals_label = self.tr("Vital signs")
        notes_label = self.tr("Notes")
        parts = [
            f"<h3>{html.escape(title)}</h3>",
            f"<p><b>{html.escape(complaint_label)}</b><br>"
            f"{html.escape(consultation.complaint)}</p>",
        ]
        if consultation.vitals:
            rows = "".join(
                f"<tr><td style='padding:2px 16px 2px 0'>{html.escape(vital_label(key))}</td>"
                f"<td><b>{html.escape(vital_value(key, value))}</b></td></tr>"
                for key, value in consultation.vitals.items()
            )
            parts.append(f"<p><b>{html.escape(vitals_label)}</b></p><table>{rows}</table>")
        if consultation.notes:
            notes = html.escape(consultation.notes).replace("\n", "<br>")
            parts.append(f"<p><b>{html.escape(notes_label)}</b><br>{notes}</p>")
        parts.extend(self.acts.show_encounter(patient_id, consultation.id))
        self.text.setHtml("".join(parts))


class ChartView(QWidget):
    closed = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient: Patient | None = None
        self.consultations: list[Consultation] = []
        self._select_next: str | None = None

        self.back = QPushButton(self.tr("← Patient list"))
        self.back.setToolTip(self.tr("Back to the search (Esc)"))
        self.back.clicked.connect(self.closed.emit)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self,
            self.closed.emit,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.name = caption("", "patientName")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setWordWrap(True)  # a long name or many facts wrap, never widen the window
        self.facts = caption("", "muted")
        self.facts.setWordWrap(True)
        self.allergies = caption("", "allergies")
        self.allergies.setWordWrap(True)
        header = QFrame()
        header.setObjectName("patientHeader")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 16, 10)
        header_layout.setSpacing(2)
        header_layout.addWidget(self.name)
        header_layout.addWidget(self.facts)
        header_layout.addWidget(self.allergies)

        self.history = QListWidget()
        self.history.setObjectName("history")
        self.history.currentRowChanged.connect(self._select)
        self.new_consultation = QPushButton(self.tr("New consultation"))
        self.new_consultation.setToolTip(self.tr("Ctrl+Shift+N"))
        self.new_consultation.clicked.connect(self.start_consultation)
        self.new_consultation.setVisible(desk.may(Action.RECORD_CONSULTATION))
        QShortcut(QKeySequence("Ctrl+Shift+N"), self, self.start_consultation)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(caption(self.tr("Consultations"), "sectionTitle"))
        left_layout.addWidget(self.new_consultation)
        left_layout.addWidget(self.history, 1)

        self.entry = ConsultationEntry(desk)
        self.entry.saved.connect(self._saved)
        entry_scroll = QScrollArea()
        entry_scroll.setWidgetResizable(True)
        entry_scroll.setFrameShape(QFrame.Shape.NoFrame)
        entry_scroll.setWidget(self.entry)
        self.detail = ConsultationDetail(desk)
        self.right = QStackedWidget()
        self.right.addWidget(entry_scroll)
        self.right.addWidget(self.detail)
        self._entry_page = entry_scroll

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        splitter.setChildrenCollapsible(False)

        self.who_opened = QPushButton(self.tr("Who opened this record?"))
        self.who_opened.setObjectName("whoOpened")
        self.who_opened.clicked.connect(self.show_who_opened)
        self.consent = ConsentPanel(desk)
        header_row = QHBoxLayout()
        header_row.setSpacing(10)
        header_row.addWidget(header, 1)
        header_row.addWidget(self.consent)
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addStretch()
        top.addWidget(self.who_opened)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(header_row)
        layout.addWidget(splitter, 1)
        desk.data_changed.connect(self._on_change)

    def show_patient(self, patient_id: str) -> bool:
        """Open (and audit) the chart; False with a message if it cannot be opened."""
        try:
            self.patient = open_chart(self.desk.session, patient_id)
        except ClinicError as error:
            QMessageBox.warning(self, self.tr("Chart"), tr_error(error))
            return False
        self.entry.reset(patient_id)
        self.consent.show_patient(patient_id)
        self._reload()
        self.start_consultation()
        return True

    def _reload(self, select_id: str | None = None) -> None:
        if self.patient is None:
            return
        session, patient = self.desk.session, self.patient
        today = self.desk.today()
        self.name.setText(f"{patient.family_name.upper()} {patient.given_name}")
        facts = [sex_label(patient.sex)]
        if patient.birth_date:
            facts.append(
                self.tr("{age}, born {date}").format(
                    age=age_text(patient, today), date=format_date(patient.birth_date)
                )
            )
        if patient.national_id:
            facts.append(self.tr("National no. {number}").format(number=patient.national_id))
        if patient.village:
            facts.append(patient.village)
        if patient.phone:
            facts.append(patient.phone)
        facts.append(self.tr("Record no. {number}").format(number=short_id(patient.id)))
        self.facts.setText("  ·  ".join(facts))
        allergies = patient_allergies(session, patient.id)
        if allergies:
            self.allergies.setText(self.tr("Allergies: {list}").format(list=", ".join(allergies)))
            self.allergies.setObjectName("allergies")
        else:
            self.allergies.setText(self.tr("No known allergy"))
            self.allergies.setObjectName("muted")
        self.allergies.style().unpolish(self.allergies)
        self.allergies.style().polish(self.allergies)
        self.consultations = patient_consultations(session, patient.id)
        self.history.blockSignals(True)
        self.history.clear()
        for consultation in self.consultations:
            when = format_instant(consultation.occurred_at, session.zone)
            complaint = " ".join(consultation.complaint.split())
            if len(complaint) > 60:
                complaint = complaint[:59] + "…"
            item = QListWidgetItem(f"{when}\n{complaint}")
            item.setData(Qt.ItemDataRole.UserRole, consultation.id)
            self.history.addItem(item)
        self.history.blockSignals(False)
        if select_id is not None:
            for row, consultation in enumerate(self.consultations):
                if consultation.id == select_id:
                    self.history.setCurrentRow(row)

    def has_unsaved_input(self) -> bool:
        return self.patient is not None and self.entry.has_input()

    def show_who_opened(self) -> None:
        if self.patient is not None:
            WhoOpenedDialog(self.desk, self.patient, self).exec()

    def start_consultation(self) -> None:
        self.history.blockSignals(True)
        self.history.clearSelection()
        self.history.setCurrentRow(-1)
        self.history.blockSignals(False)
        self.right.setCurrentWidget(self._entry_page)
        self.entry.complaint.setFocus()

    def _select(self, row: int) -> None:
        if 0 <= row < len(self.consultations) and self.patient is not None:
            self.detail.show_consultation(self.patient.id, self.consultations[row])
            self.right.setCurrentWidget(self.detail)

    def _saved(self, consultation: Any) -> None:
        # The doctor's next act (diagnosis, prescription) is on what was just saved;
        # the announcement that follows reloads the chart.
        self._select_next = consultation.id

    def _on_change(self, change: Change) -> None:
        if (
            self.patient is None
            or change.kind not in _CHART_KINDS
            or change.patient_id not in (None, self.patient.id)
        ):
            return
        current = self.detail.consultation
        showing_detail = self.right.currentWidget() is self.detail and current is not None
        select = self._select_next or (current.id if showing_detail and current else None)
        self._select_next = None
        self._reload(select_id=select)
