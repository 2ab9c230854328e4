"""The security screens on the real window and a real SQLCipher clinic (offscreen)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PASSWORDS
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.accounts import login
from clinic_app.security.consent import current_consent
from clinic_app.storage.keys import TEST_COST
from clinic_app.ui.administration import AdministrationPage
from clinic_app.ui.app import ClinicApp
from clinic_app.ui.emergency import EmergencyAccessDialog, EmergencyChartWindow
from clinic_app.ui.main_window import PAGE_ADMINISTRATION, PAGE_PATIENTS, MainWindow
from clinic_app.ui.patients import PatientsPage
from clinic_app.ui.theme import apply_theme

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def clinic_with_patient(clinic_dir: Path) -> Path:
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    try:
        register_patient(nurse, PatientForm("Zoé", "N'Guessan", "female"))
    finally:
        nurse.close()
    return clinic_dir


@pytest.fixture
def clinic_app(
    qapp: QApplication, clinic_with_patient: Path, tmp_path: Path
) -> Iterator[ClinicApp]:
    apply_theme(qapp)
    app = ClinicApp(
        clinic_with_patient,
        language="fr",
        settings=QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat),
        open_document=lambda _: None,
        cost=TEST_COST,
        auto_sync_ms=0,
    )
    app.start()
    yield app
    app.shutdown()


def logged_in(qtbot: QtBot, app: ClinicApp, username: str) -> MainWindow:
    dialog = app.login_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, PASSWORDS[username])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=10_000)
    assert app.main_window is not None
    return app.main_window


def open_first_chart(qtbot: QtBot, window: MainWindow) -> PatientsPage:
    page = window.show_page(PAGE_PATIENTS)
    assert isinstance(page, PatientsPage)
    qtbot.waitUntil(lambda: len(page.search.model.patients) == 1)
    page.open_chart(page.search.model.patients[0].id)
    return page


def test_idle_lock_hides_the_form_and_the_same_user_gets_it_back(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in(qtbot, clinic_app, "nurse")
    now = [1000.0]
    clinic_app.idle.clock = lambda: now[0]
    clinic_app.idle.resume()
    entry = open_first_chart(qtbot, window).chart.entry
    entry.complaint.insertPlainText("Toux depuis une semaine")
    qtbot.keyClicks(entry.vitals["temperature"], "38,2")

    now[0] += 4 * 60  # typing a minute ago: not idle yet at 5 minutes
    clinic_app.idle.check_idle()
    assert not window.locked
    now[0] += 2 * 60
    clinic_app.idle.timer.timeout.emit()  # the idle timer fires
    assert window.locked
    assert not entry.complaint.isVisible()
    assert window.lock_page.isVisible()
    assert "Inf. Adjoua Yao" in window.lock_panel.who.text()

    panel = window.lock_panel
    qtbot.keyClicks(panel.password, "not-her-password")
    qtbot.keyClick(panel.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=10_000)
    assert "mot de passe" in panel.error.text().lower()
    assert window.locked

    panel.password.clear()
    qtbot.keyClicks(panel.password, PASSWORDS["nurse"])
    qtbot.keyClick(panel.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.locked, timeout=10_000)
    assert entry.complaint.isVisible()
    assert entry.complaint.toPlainText() == "Toux depuis une semaine"
    assert entry.vitals["temperature"].text() == "38,2"
    assert clinic_app.main_window is window


def test_switching_user_from_the_lock_warns_then_logs_the_other_user_in(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in(qtbot, clinic_app, "nurse")
    entry = open_first_chart(qtbot, window).chart.entry
    entry.complaint.insertPlainText("Douleur abdominale")
    clinic_app.lock()
    panel = window.lock_panel
    qtbot.mouseClick(panel.switch_button, Qt.MouseButton.LeftButton)
    assert panel.warning.isVisible()  # the typed complaint would be lost
    assert "perdu" in panel.warning.text()

    qtbot.keyClicks(panel.other_username, "doctor")
    qtbot.keyClicks(panel.other_password, "wrong-password-1")
    qtbot.keyClick(panel.other_password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.switch_error.isVisible(), timeout=10_000)
    assert clinic_app.main_window is window  # still the nurse's window,
    assert window.locked  # still locked

    panel.other_password.clear()
    qtbot.keyClicks(panel.other_password, PASSWORDS["doctor"])
    qtbot.keyClick(panel.other_password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: clinic_app.main_window is not window, timeout=10_000)
    assert clinic_app.desk is not None
    assert clinic_app.desk.session.actor.username == "doctor"
    assert clinic_app.main_window is not None
    assert not clinic_app.main_window.locked


def test_admin_page_lists_users_and_adds_one(qtbot: QtBot, clinic_app: ClinicApp) -> None:
    window = logged_in(qtbot, clinic_app, "admin")
    page = window.show_page(PAGE_ADMINISTRATION)
    assert isinstance(page, AdministrationPage)
    users = page.users
    assert users is not None
    names = [users.table.item(row, 1).text() for row in range(users.table.rowCount())]
    assert names == ["admin", "doctor", "nurse", "store"]
    assert users.table.item(names.index("store"), 2).text() == "Magasinier"

    users.add_button.click()
    form = users.add_form
    qtbot.keyClicks(form.username, "sagefemme")
    qtbot.keyClicks(form.display_name, "Fatou Bamba")
    qtbot.keyClicks(form.password, "Bamba-sage-femme-2024")
    form.roles[next(iter(form.roles))].setChecked(True)  # nurse
    form.create_button.click()
    assert not form.error.isVisible(), form.error.text()
    names = [users.table.item(row, 1).text() for row in range(users.table.rowCount())]
    assert "sagefemme" in names
    assert "sagefemme" in users.done.text()


def test_audit_viewer_shows_entries_and_filters_by_user(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in(qtbot, clinic_app, "admin")
    page = window.show_page(PAGE_ADMINISTRATION)
    assert isinstance(page, AdministrationPage)
    audit = page.audit
    assert audit is not None
    page.show_tab(audit)
    assert audit.table.rowCount() > 3
    actions = {audit.table.item(row, 2).text() for row in range(audit.table.rowCount())}
    assert "Patient enregistré" in actions

    audit.user.setCurrentIndex(audit.user.findText("Inf. Adjoua Yao (nurse)"))
    audit.show_button.click()
    shown = {audit.table.item(row, 1).text() for row in range(audit.table.rowCount())}
    assert shown == {"Inf. Adjoua Yao"}

    audit.verify_button.click()
    qtbot.waitUntil(lambda: "intacte" in audit.chain.text(), timeout=10_000)


def test_consent_panel_records_a_change(qtbot: QtBot, clinic_app: ClinicApp) -> None:
    window = logged_in(qtbot, clinic_app, "nurse")
    chart = open_first_chart(qtbot, window).chart
    consent = chart.consent
    assert chart.patient is not None
    assert consent.central.isChecked()  # the clinic's rule: shared
    assert not consent.save.isEnabled()
    consent.central.setChecked(False)
    consent.clinics.setChecked(True)
    assert consent.save.isEnabled()
    consent.save.click()
    assert clinic_app.desk is not None
    now = current_consent(clinic_app.desk.session, chart.patient.id)
    assert (now.share_with_central, now.share_with_clinics) == (False, True)
    assert "Inf. Adjoua Yao" in consent.recorded.text()
    assert not consent.save.isEnabled()


def test_storekeeper_opens_a_chart_in_emergency_only_with_a_reason(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in(qtbot, clinic_app, "store")
    assert window.emergency_button is not None
    desk = clinic_app.desk
    assert desk is not None
    dialog = EmergencyAccessDialog(desk, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.query, "zoe")
    dialog.search_button.click()
    assert dialog.error.isVisible()  # no reason: no search
    assert dialog.errors.marked == "reason"
    assert dialog.results.count() == 0
    dialog.open_button.click()
    assert dialog.patient is None

    dialog.reason.insertPlainText("Malaise au comptoir, besoin des allergies")
    dialog.search_button.click()
    assert dialog.results.count() == 1
    dialog.open_button.click()
    assert dialog.patient is not None
    chart = EmergencyChartWindow(desk, dialog.patient, window)
    qtbot.addWidget(chart)
    chart.show()
    assert chart.banner.isVisible()
    assert "urgence" in chart.banner.text().lower()
    assert "N'GUESSAN" in chart.findChild(type(chart.banner), "patientName").text()
