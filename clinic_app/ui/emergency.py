"""Emergency access ("break the glass") for roles that may not open charts.

The person types why, finds the patient, and the chart opens read-only under
a red banner that says the opening is recorded. The admin reviews each one.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from clinic_app.errors import ClinicError, PermissionDenied
from clinic_app.records.patients import Patient
from clinic_app.ui.desk import Desk
from clinic_app.ui.display import (
    age_text,
    birth_and_age,
    format_instant,
    sex_label,
    vital_label,
    vital_value,
)
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.login import primary
from clinic_app.ui.theme import DANGER


def emergency_banner(text: str) -> QLabel:
    banner = QLabel(text)
    banner.setObjectName("emergencyBanner")
    banner.setWordWrap(True)
    banner.setStyleSheet(
        f"QLabel#emergencyBanner {{ background: {DANGER}; color: white; font-weight: 700;"
        " font-size: 12pt; padding: 10px 14px; border-radius: 6px; }"
    )
    return banner


class EmergencyAccessDialog(QDialog):
    """Why, whom: a typed reason and a search; the chosen chart opens in emergency."""

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient: Patient | None = None
        self.setWindowTitle(self.tr("Emergency access"))
        intro = QLabel(
            self.tr(
                "Your role does not open patients' charts. In an emergency you may open one: "
                "the opening is recorded with your reason, and the clinic admin reviews it."
            )
        )
        intro.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("emergencyReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(4 * self.reason.fontMetrics().lineSpacing() + 24)
        self.reason.setPlaceholderText(
            self.tr("e.g. patient unconscious at the dispensary, allergies needed")
        )
        self.query = QLineEdit()
        self.query.setObjectName("emergencyQuery")
        self.query.setPlaceholderText(self.tr("Name or national no."))
        self.query.returnPressed.connect(self.try_search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.try_search)
        query_row = QHBoxLayout()
        query_row.addWidget(self.query, 1)
        query_row.addWidget(self.search_button)
        self.results = QListWidget()
        self.results.setObjectName("history")  # the roomy list look
        self.results.setMinimumHeight(140)
        self.results.itemActivated.connect(lambda _: self.try_open())
        self.error = ErrorLabel()
        self.errors = FieldErrors(
            self.error, {"reason": self.reason, "query": self.query, "patient": self.results}
        )
        self.open_button = primary(QPushButton(self.tr("Open in emergency")))
        self.open_button.clicked.connect(self.try_open)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Patient"), query_row)
        form.addRow("", self.results)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(cancel)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(caption(self.tr("Emergency access"), "pageTitle"))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.reason.setFocus()

    def try_search(self) -> None:
        from clinic_app.security.emergency_lookup import find_patients_in_emergency

        try:
            patients = find_patients_in_emergency(
                self.desk.session, self.query.text(), self.reason.toPlainText()
            )
        except ClinicError as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.results.clear()
        today = self.desk.today()
        for patient in patients:
            facts = [sex_label(patient.sex), birth_and_age(patient, today), patient.village]
            text = f"{patient.family_name.upper()} {patient.given_name}  ·  " + "  ·  ".join(
                fact for fact in facts if fact
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, patient.id)
            self.results.addItem(item)
        if patients:
            self.results.setCurrentRow(0)
            self.results.setFocus()
        else:
            self.error.show_text(self.tr("No patient found. Check the spelling."))

    def try_open(self) -> None:
        from clinic_app.security.emergency import open_chart_in_emergency

        reason = self.reason.toPlainText()
        item = self.results.currentItem()
        if not reason.strip():
            self.errors.show_text("reason", self.tr("Type why you need this chart."))
            return
        if item is None:
            self.errors.show_text("query", self.tr("Search for the patient, then choose them."))
            return
        try:
            self.patient = open_chart_in_emergency(
                self.desk.session, str(item.data(Qt.ItemDataRole.UserRole)), reason
            )
        except ClinicError as error:
            self.errors.show(error)
            return
        self.accept()


class EmergencyChartWindow(QDialog):
    """A chart opened in emergency: read-only, under a red banner; what the role may read."""

    def __init__(self, desk: Desk, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.patient = patient
        self.setWindowTitle(self.tr("Emergency access — chart"))
        self.banner = emergency_banner(
            self.tr("Emergency access — recorded. Read only; the clinic admin reviews it.")
        )
        name = caption(f"{patient.family_name.upper()} {patient.given_name}", "patientName")
        facts = [sex_label(patient.sex)]
        if patient.birth_date:
            facts.append(age_text(patient, desk.today()))
        if patient.national_id:
            facts.append(self.tr("National no. {number}").format(number=patient.national_id))
        facts += [fact for fact in (patient.village, patient.phone) if fact]
        header = QFrame()
        header.setObjectName("patientHeader")
        header_layout = QVBoxLayout(header)
        header_layout.addWidget(name)
        header_layout.addWidget(caption("  ·  ".join(facts), "muted"))
        self.text = QTextBrowser()
        self.text.setHtml(self._record_html())
        close = primary(QPushButton(self.tr("Close the chart")))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addWidget(header)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.resize(820, 620)

    def _record_html(self) -> str:
        from clinic_app.records.consultations import patient_allergies, patient_consultations

        session, patient_id = self.desk.session, self.patient.id
        try:
            allergies = patient_allergies(session, patient_id)
            consultations = patient_consultations(session, patient_id)
        except PermissionDenied:
            note = self.tr(
                "Your role may read the identity only; ask a nurse or a doctor for the "
                "consultations and allergies."
            )
            return f"<p><i>{html.escape(note)}</i></p>"
        allergy_text = (
            self.tr("Allergies: {list}").format(list=", ".join(allergies))
            if allergies
            else self.tr("No known allergy")
        )
        parts = [f"<p style='color:{DANGER}'><b>{html.escape(allergy_text)}</b></p>"]
        zone = session.zone
        for consultation in consultations:
            when = format_instant(consultation.occurred_at, zone)
            vitals = ", ".join(
                f"{vital_label(key)} {vital_value(key, value)}"
                for key, value in consultation.vitals.items()
            )
            parts.append(
                f"<h4>{html.escape(when)}</h4><p>{html.escape(consultation.complaint)}"
                + (f"<br><small>{html.escape(vitals)}</small>" if vitals else "")
                + "</p>"
            )
        return "".join(parts)
