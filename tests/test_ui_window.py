"""The real window on a real SQLCipher clinic, driven as the staff drive it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from central_process import CentralProcess
from conftest import PASSWORDS
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sync_helpers import enrol

from clinic_app.inventory.catalogue import find_by_gtin, read_catalogue_file, upsert_catalogue_items
from clinic_app.inventory.scanning import GS, GS_SHOWN
from clinic_app.inventory.stock import ReceiptLine, item_balance, receive_stock
from clinic_app.records.consultations import patient_consultations
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription
from clinic_app.resources import resource_path
from clinic_app.security.accounts import login
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST
from clinic_app.ui.app import ClinicApp
from clinic_app.ui.chart import ChartView
from clinic_app.ui.main_window import (
    PAGE_ADMINISTRATION,
    PAGE_PATIENTS,
    PAGE_STOCK,
    MainWindow,
)
from clinic_app.ui.patients import PatientsPage
from clinic_app.ui.stock import StockPage
from clinic_app.ui.theme import apply_theme

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def clinic_with_patients(clinic_dir: Path) -> Path:
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    try:
        for given, family, sex in (
            ("Zoé", "N'Guessan", "female"),
            ("Koffi", "Kouassi-Yao", "male"),
            ("Aminata", "Traoré", "female"),
        ):
            register_patient(nurse, PatientForm(given, family, sex))
    finally:
        nurse.close()
    return clinic_dir


@pytest.fixture
def clinic_app(
    qapp: QApplication, clinic_with_patients: Path, tmp_path: Path
) -> Iterator[ClinicApp]:
    apply_theme(qapp)
    settings = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    opened: list[Path] = []
    app = ClinicApp(
        clinic_with_patients,
        language="fr",
        settings=settings,
        open_document=opened.append,
        cost=TEST_COST,
        auto_sync_ms=0,
    )
    app.start()
    yield app
    app.shutdown()


def log_in(qtbot: QtBot, app: ClinicApp, username: str, password: str) -> None:
    dialog = app.login_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def logged_in_window(qtbot: QtBot, app: ClinicApp, username: str) -> MainWindow:
    log_in(qtbot, app, username, PASSWORDS[username])
    qtbot.waitUntil(lambda: app.main_window is not None, timeout=10_000)
    assert app.main_window is not None
    return app.main_window


def test_nurse_logs_in_searches_and_records_consultation(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in_window(qtbot, clinic_app, "nurse")
    page = window.show_page(PAGE_PATIENTS)
    assert isinstance(page, PatientsPage)
    search = page.search
    qtbot.keyClicks(search.search, "zoe")
    qtbot.waitUntil(lambda: [p.given_name for p in search.model.patients] == ["Zoé"])
    assert search.model.index(0, 0).data() == "N'GUESSAN"
    qtbot.keyClick(search.search, Qt.Key.Key_Return)  # to the results
    qtbot.keyClick(search.table, Qt.Key.Key_Return)  # open the chart
    chart = page.chart
    assert page.currentWidget() is chart
    assert "Zoé" in chart.name.text()

    entry = chart.entry
    # QTest types ASCII only; accented text arrives as a paste would.
    entry.complaint.insertPlainText("Fièvre depuis 3 jours")
    qtbot.keyClicks(entry.vitals["temperature"], "38,5")
    qtbot.keyClicks(entry.vitals["systolic"], "120")
    qtbot.keyClicks(entry.vitals["diastolic"], "80")
    qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)

    assert not entry.error.isVisible()
    assert chart.patient is not None
    assert clinic_app.desk is not None
    saved = patient_consultations(clinic_app.desk.session, chart.patient.id)
    assert len(saved) == 1
    assert saved[0].complaint == "Fièvre depuis 3 jours"
    assert saved[0].vitals == {"temperature": 38.5, "systolic": 120, "diastolic": 80}
    assert chart.history.count() == 1
    assert chart.right.currentWidget() is chart.detail  # ready for the doctor's acts


def test_wrong_password_shows_french_message_and_no_traceback(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    log_in(qtbot, clinic_app, "nurse", "not-the-password")
    dialog = clinic_app.login_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=10_000)
    text = dialog.error.text()
    assert "mot de passe" in text.lower()
    assert "Traceback" not in text
    assert clinic_app.main_window is None
    assert dialog.password.isEnabled()


def test_impossible_temperature_is_refused_with_the_field_named(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in_window(qtbot, clinic_app, "nurse")
    page = window.show_page(PAGE_PATIENTS)
    assert isinstance(page, PatientsPage)
    qtbot.waitUntil(lambda: len(page.search.model.patients) == 3)
    patient = page.search.model.patients[0]
    page.open_chart(patient.id)
    chart: ChartView = page.chart
    chart.entry.complaint.insertPlainText("Céphalées")
    qtbot.keyClicks(chart.entry.vitals["temperature"], "377")
    qtbot.keyClick(chart.entry.complaint, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    assert chart.entry.errors.marked == "temperature"
    assert chart.entry.vitals["temperature"].property("invalid") is True
    assert "Température corporelle" in chart.entry.error.text()
    assert "impossible" in chart.entry.error.text()
    chart.entry.vitals["temperature"].clear()
    qtbot.keyClicks(chart.entry.vitals["temperature"], "45,5")
    qtbot.keyClick(chart.entry.complaint, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "45,5" in chart.entry.error.text()  # as the nurse typed it, not 45.5
    assert clinic_app.desk is not None
    assert patient_consultations(clinic_app.desk.session, patient.id) == []


def test_a_chart_fits_a_laptop_screen_whatever_the_name(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in_window(qtbot, clinic_app, "nurse")
    assert clinic_app.desk is not None
    patient = register_patient(
        clinic_app.desk.session,
        PatientForm(
            "Marie-Christine-Ange-Emmanuelle Adjoua",
            "Kouadio-N'Guessan-Ouattara-Yapi-Akpa-Brou",
            "female",
            national_id="CI 1234 5678 9012 3456",
            phone="+225 07 11 22 33 45",
            village="Yopougon Niangon Sud, derrière le marché",
        ),
    )
    window.setGeometry(0, 0, 1366, 728)
    page = window.show_page(PAGE_PATIENTS)
    assert isinstance(page, PatientsPage)
    page.open_chart(patient.id)
    qtbot.waitUntil(lambda: "KOUADIO" in page.chart.name.text())
    # The name and its facts wrap; the consent panel stacks its choices.
    assert window.minimumSizeHint().width() <= 1366
    assert window.width() <= 1366


def test_registration_saves_no_birth_date_nobody_entered(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    from PySide6.QtCore import QDate

    from clinic_app.records.patients import open_chart
    from clinic_app.ui.patients import RegisterPatientDialog

    logged_in_window(qtbot, clinic_app, "nurse")
    desk = clinic_app.desk
    assert desk is not None

    def register(
        given: str, *, born: QDate | None = None, phone: str = "", show: bool = False
    ) -> RegisterPatientDialog:
        dialog = RegisterPatientDialog(desk)
        qtbot.addWidget(dialog)
        if show:
            dialog.show()
            qtbot.waitExposed(dialog)
        qtbot.keyClicks(dialog.family_name, "Bamba")
        qtbot.keyClicks(dialog.given_name, given)
        dialog.sex.setCurrentIndex(1)
        qtbot.keyClicks(dialog.phone, phone)
        if born is not None:
            dialog.birth_date.setDate(born)
        dialog.try_save()
        return dialog

    skipped = register("Mariam")
    assert skipped.patient is not None
    assert open_chart(desk.session, skipped.patient.id).birth_date is None
    entered = register("Awa", born=QDate(1988, 7, 14))
    assert entered.birth_known.isChecked()
    assert entered.patient is not None
    assert open_chart(desk.session, entered.patient.id).birth_date == date(1988, 7, 14)
    # The same Awa again: said once, then "Save anyway" registers another person.
    twice = register("Awa", born=QDate(1988, 7, 14))
    assert twice.patient is None
    assert "déjà" in twice.error.text()
    assert twice.save.text() == "Enregistrer quand même"
    twice.try_save()
    assert twice.patient is not None
    refused = register("Ali", phone="07) 12 (34", show=True)
    assert refused.patient is None
    assert refused.errors.marked == "phone"
    assert "téléphone" in refused.error.text()
    # The dialog grew to hold the message: nothing overlaps the fields or the buttons.
    error_box = refused.error.geometry()
    assert error_box.bottom() < refused.save.mapTo(refused, refused.save.rect().topLeft()).y()
    phone_box = refused.phone.geometry()
    assert phone_box.height() >= refused.phone.minimumSizeHint().height()


def test_nurse_sees_no_stock_or_administration(qtbot: QtBot, clinic_app: ClinicApp) -> None:
    window = logged_in_window(qtbot, clinic_app, "nurse")
    assert set(window.pages) == {PAGE_PATIENTS}
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Patients"]


def test_each_role_sees_its_pages(qtbot: QtBot, clinic_app: ClinicApp) -> None:
    window = logged_in_window(qtbot, clinic_app, "admin")
    assert set(window.pages) == {PAGE_STOCK, PAGE_ADMINISTRATION}
    window.logout_button.click()
    qtbot.waitUntil(
        lambda: (
            clinic_app.main_window is None
            and clinic_app.login_dialog is not None
            and clinic_app.login_dialog.isVisible()
        )
    )
    window = logged_in_window(qtbot, clinic_app, "store")
    assert set(window.pages) == {PAGE_STOCK}


def test_storekeeper_scan_field_reads_a_gs1_scan(qtbot: QtBot, clinic_app: ClinicApp) -> None:
    window = logged_in_window(qtbot, clinic_app, "store")
    page = window.show_page(PAGE_STOCK)
    assert isinstance(page, StockPage)
    reception = page.reception
    assert reception is not None
    assert page.dispensary is not None
    # A keyboard-wedge scanner types the code and ends with Enter.
    qtbot.keyClicks(reception.scan_field, "01036141420000181727063010LOT2024A")
    qtbot.keyClick(reception.scan_field, Qt.Key.Key_Return)
    assert reception.gtin.text() == "03614142000018"
    assert reception.lot.text() == "LOT2024A"
    assert reception.expiry.date().toString("yyyy-MM-dd") == "2027-06-30"
    assert not reception.error.isVisible()
    assert reception.receive.isEnabled()

    reception.scan_field.clear()
    qtbot.keyClicks(reception.scan_field, "01089012345678911727123110X9")  # wrong check digit
    qtbot.keyClick(reception.scan_field, Qt.Key.Key_Return)
    assert reception.error.isVisible()
    assert "clé de contrôle" in reception.error.text()
    assert not reception.receive.isEnabled()
    # Nothing of the earlier scan is left to be received by mistake.
    assert (reception.lot.text(), reception.expiry.text(), reception.quantity.value()) == (
        "",
        "—",
        1,
    )

    reception.scan_field.clear()
    qtbot.keyClicks(reception.scan_field, "01036141420000181724013110OLD-1")  # expired 31/01/2024
    qtbot.keyClick(reception.scan_field, Qt.Key.Key_Return)
    assert reception.lot.text() == "OLD-1"
    assert reception.problems.isVisible()
    assert not reception.receive.isEnabled()  # the service would refuse it anyway


def test_the_scan_field_keeps_the_separator_a_scanner_sends(
    qtbot: QtBot, clinic_app: ClinicApp
) -> None:
    window = logged_in_window(qtbot, clinic_app, "store")
    page = window.show_page(PAGE_STOCK)
    assert isinstance(page, StockPage)
    reception = page.reception
    assert reception is not None
    field = reception.scan_field
    # Lot 12AB, GS, then a quantity (30)100: without the GS the lot would read 12AB30100.
    qtbot.keyClicks(field, "]d20108800154310022172811301012AB")
    # As an X11 scanner sends it: the control character itself, as Ctrl+].
    QApplication.sendEvent(
        field,
        QKeyEvent(
            QEvent.Type.KeyPress, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier, GS
        ),
    )
    qtbot.keyClicks(field, "30100")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert reception.lot.text() == "12AB"
    assert reception.expiry.date().toString("yyyy-MM-dd") == "2028-11-30"
    assert not reception.problems.isVisible() or "run into" not in reception.problems.text()

    field.clear()
    qtbot.keyClicks(field, "]d20108800154310022172811301012AB")
    qtbot.keyClick(field, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "21SER99")
    assert GS_SHOWN in field.text()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert reception.lot.text() == "12AB"


def test_storekeeper_scans_the_patients_prescription_and_dispenses_it(
    qtbot: QtBot, clinic_app: ClinicApp, clinic_dir: Path
) -> None:
    doctor = login(clinic_dir, "doctor", PASSWORDS["doctor"])
    try:
        with doctor.transaction() as tx:
            upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
        item = find_by_gtin(doctor, "03614142000018")
        assert item is not None
        patient = register_patient(doctor, PatientForm("Awa", "Koné", "female"))
        written = [
            write_prescription(
                doctor,
                patient_id=patient.id,
                encounter_id=None,
                lines=[PrescriptionLine(item.id, "1 comprimé", "3 fois par jour", 5, quantity)],
            )
            for quantity in (10, 20)
        ]
    finally:
        doctor.close()
    handed_over = written[0]  # the older one: not the row the list starts on
    window = logged_in_window(qtbot, clinic_app, "store")
    page = window.show_page(PAGE_STOCK)
    assert isinstance(page, StockPage)
    assert page.reception is not None
    assert page.dispensary is not None
    dispensary = page.dispensary
    assert clinic_app.desk is not None
    receive_stock(clinic_app.desk.session, ReceiptLine(item.gtin, "P1", date(2031, 1, 1), 100))
    clinic_app.desk.announce("stock")

    # The paper scanned where the focus is, the box field: the dispensary takes it.
    qtbot.keyClicks(page.reception.scan_field, handed_over.signature)
    qtbot.keyClick(page.reception.scan_field, Qt.Key.Key_Return)
    row = dispensary.table.currentRow()
    assert dispensary.table.item(row, 1).text() == handed_over.number
    assert dispensary.table.item(row, 3).text() == "À dispenser"
    assert not page.reception.error.isVisible()
    qtbot.mouseClick(dispensary.dispense, Qt.MouseButton.LeftButton)
    assert dispensary.done.text().startswith("Dispensé : 10 ×")
    row = dispensary.table.currentRow()
    assert dispensary.table.item(row, 1).text() == handed_over.number
    assert dispensary.table.item(row, 3).text() == "Dispensée"

    # An altered code: refused in French, nothing selected anew, nothing dispensed.
    middle = len(handed_over.signature) // 2
    altered = handed_over.signature[:middle] + (
        "A" if handed_over.signature[middle] != "A" else "B"
    )
    altered += handed_over.signature[middle + 1 :]
    qtbot.keyClicks(dispensary.scan_field, altered)
    qtbot.keyClick(dispensary.scan_field, Qt.Key.Key_Return)
    assert dispensary.error.isVisible()
    assert "n’est pas valide" in dispensary.error.text()
    assert item_balance(clinic_app.desk.session, item.id) == 90


def test_the_status_bar_says_up_to_date_and_warns_of_a_clock_two_hours_ahead(
    qtbot: QtBot, clinic_app: ClinicApp, admin: Session, central: CentralProcess
) -> None:
    from clinic_app.clock import utc_now
    from clinic_app.sync import hlc

    enrol(admin, central)
    window = logged_in_window(qtbot, clinic_app, "nurse")
    bar = window.sync_status
    assert not bar.clock.isVisible()
    assert clinic_app.desk is not None
    hlc.set_wall_clock(clinic_app.desk.session.store, lambda: utc_now() + timedelta(hours=2))

    qtbot.mouseClick(bar.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.running, timeout=20_000)
    bar.refresh()

    assert bar.label.text().startswith("À jour à")  # French, outbox empty, pull done
    assert bar.clock.isVisible()
    assert "avance de 120 minute(s)" in bar.clock.text()


def test_the_admin_syncs_by_usb_stick_from_the_administration_page(
    qtbot: QtBot, clinic_app: ClinicApp, admin: Session, central: CentralProcess, tmp_path: Path
) -> None:
    from clinic_app.ui.administration import AdministrationPage

    enrol(admin, central)
    window = logged_in_window(qtbot, clinic_app, "admin")
    page = window.show_page(PAGE_ADMINISTRATION)
    assert isinstance(page, AdministrationPage)
    carry = page.carry
    assert carry is not None
    usb = tmp_path / "usb"
    usb.mkdir()

    carry.export_to(usb)
    qtbot.waitUntil(
        lambda: carry.export_button.isEnabled() and bool(carry.result.text()), timeout=20_000
    )
    (written,) = usb.glob("*.clinicsync")
    assert str(written) in carry.result.text()
    assert carry.result.objectName() == "okLabel"
    central.run_cli("import", str(written))
    (answer,) = usb.glob("*.clinicanswer")

    carry.import_answer(answer)
    qtbot.waitUntil(
        lambda: carry.answer_button.isEnabled() and bool(carry.result.text()), timeout=20_000
    )
    assert carry.result.text().startswith("Réponse du central appliquée")
    assert carry.result.objectName() == "okLabel"
    assert clinic_app.desk is not None
    waiting = clinic_app.desk.session.store.all("SELECT DISTINCT kind FROM outbox")
    assert [row["kind"] for row in waiting] in ([], ["audit_entry"])  # only the trail of it

    # A file that is not an answer: the French message, no traceback, nothing changed.
    (usb / "other.clinicanswer").write_bytes(b"not an answer at all")
    carry.import_answer(usb / "other.clinicanswer")
    qtbot.waitUntil(
        lambda: carry.answer_button.isEnabled() and bool(carry.result.text()), timeout=20_000
    )
    assert carry.result.objectName() == "errorLabel"
    assert "Traceback" not in carry.result.text()
    assert carry.result.text() != ""
