"""The Stock page: receive by scanning, stock on hand, dispense prescriptions.

A keyboard-wedge scanner types the code fast and ends with Enter: the scan
field has the focus, Enter reads the scan, the quantity box takes the focus,
Enter again receives, and the focus returns to the scan field for the next box.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.documents.signing import PREFIX
from clinic_app.errors import ClinicError
from clinic_app.inventory.catalogue import find_by_gtin
from clinic_app.inventory.scanning import GS, GS_SHOWN, ScanResult, parse_scan
from clinic_app.inventory.stock import (
    Dispensed,
    ReceiptLine,
    dispense_prescription,
    dispensed_prescriptions,
    prescription_for_dispensing,
    receive_stock,
    stock_on_hand,
)
from clinic_app.records.prescriptions import Prescription, list_prescriptions
from clinic_app.security.permissions import Action
from clinic_app.ui.desk import Change, Desk
from clinic_app.ui.display import format_date
from clinic_app.ui.forms import ErrorLabel, FieldErrors, caption
from clinic_app.ui.i18n import tr_error, tr_message
from clinic_app.ui.login import primary
from clinic_app.ui.theme import DANGER, MUTED

EXPIRED_BACKGROUND = QColor("#fee4e2")
LOW_BACKGROUND = QColor("#fef0c7")
NO_EXPIRY = QDate(2000, 1, 1)


class ScanField(QLineEdit):
    """The field a keyboard-wedge scanner types into, GS separators kept.

    A scanner sends the GS (FNC1) separator that ends a lot or serial as the
    control character 0x1D, typed as Ctrl+]. QLineEdit drops control
    characters, and without the separator "lot 12AB, then quantity 100" reads
    as lot "12AB30100". The field shows it as ␝ (U+241D), which parse_scan reads
    as GS.
    """

    def keyPressEvent(self, event: QKeyEvent) -> None:
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if event.text() == GS or (control and event.key() == Qt.Key.Key_BracketRight):
            self.insert(GS_SHOWN)
            return
        super().keyPressEvent(event)


def _read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
    table.verticalHeader().setDefaultSectionSize(30)
    return table


class Reception(QGroupBox):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Receive a delivery"), parent)
        self.desk = desk
        self.scan: ScanResult | None = None
        self.prescription_scanned: Callable[[str], None] | None = None
        self.scan_field = ScanField()
        self.scan_field.setObjectName("scanField")
        self.scan_field.setPlaceholderText(self.tr("Scan the barcode on the box"))
        self.scan_field.setMinimumHeight(38)
        self.scan_field.returnPressed.connect(self.read_scan)
        self.gtin = QLabel("—")
        self.gtin.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.product = QLabel("—")
        self.product.setWordWrap(True)
        self.lot = QLineEdit()
        self.expiry = QDateEdit()
        self.expiry.setDisplayFormat("dd/MM/yyyy")
        self.expiry.setCalendarPopup(True)
        # The lowest date shows as "—": no expiry typed yet (the service refuses a lot
        # without one, and a default date would be a guess nobody made).
        self.expiry.setMinimumDate(NO_EXPIRY)
        self.expiry.setSpecialValueText("—")
        self.expiry.setDate(NO_EXPIRY)
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 100_000)
        self.quantity.lineEdit().returnPressed.connect(self.try_receive)
        self.problems = caption("", "warningLabel")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.error = ErrorLabel()
        self.done = caption("", "okLabel")
        self.errors = FieldErrors(
            self.error,
            {
                "scan": self.scan_field,
                "gtin": self.scan_field,
                "lot": self.lot,
                "expiry": self.expiry,
                "quantity": self.quantity,
            },
        )
        self.receive = primary(QPushButton(self.tr("Receive")))
        self.expiry.dateChanged.connect(lambda _day: self._allow_receipt())
        self.receive.clicked.connect(self.try_receive)
        self.receive.setEnabled(False)
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expiry, 1)
        form = QFormLayout()
        form.addRow(self.tr("GTIN"), self.gtin)
        form.addRow(self.tr("Product"), self.product)
        form.addRow(self.tr("Lot"), self.lot)
        form.addRow(self.tr("Expiry"), expiry_row)
        form.addRow(self.tr("Quantity"), self.quantity)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done, 1)
        buttons.addWidget(self.receive)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scan_field)
        layout.addWidget(self.error)
        layout.addWidget(self.problems)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def read_scan(self) -> None:
        raw = self.scan_field.text()
        if self.prescription_scanned is not None and _is_prescription_code(raw):
            # The patient's paper scanned into the box field: the dispensary takes it.
            self.scan_field.clear()
            self.prescription_scanned(raw)
            return
        self.done.clear()
        self.errors.clear()
        self.problems.hide()
        try:
            scan = parse_scan(raw, today=self.desk.today())
        except ClinicError as error:
            self._forget_scan()
            self.errors.show(error)
            self.scan_field.setFocus()
            self.scan_field.selectAll()
            return
        self.show_scan(scan)

    def show_scan(self, scan: ScanResult) -> None:
        self.scan = scan
        self.gtin.setText(scan.gtin)
        item = find_by_gtin(self.desk.session, scan.gtin)
        if item is not None:
            self.product.setText(item.label)
            self.product.setStyleSheet("")
        else:
            self.product.setText(
                self.tr("Not in the catalogue: ask central to add it, or check the box.")
            )
            self.product.setStyleSheet(f"color: {DANGER}; font-weight: 600;")
        self.lot.setText(scan.lot or "")
        if scan.expiry is not None:
            self.expiry.setDate(QDate(scan.expiry.year, scan.expiry.month, scan.expiry.day))
        else:
            self.expiry.setDate(NO_EXPIRY)
        if scan.problems:
            self.problems.setText("\n".join("• " + tr_message(p) for p in scan.problems))
            self.problems.show()
        self._allow_receipt()
        # A lot or expiry the code did not carry must be typed from the box.
        if not scan.lot:
            self.lot.setFocus()
        elif scan.expiry is None:
            self.expiry.setFocus()
        else:
            self.quantity.setFocus()
            self.quantity.selectAll()

    def _forget_scan(self) -> None:
        """Nothing of an earlier scan stays in the form when this one is unreadable."""
        self.scan = None
        self.receive.setEnabled(False)
        self.gtin.setText("—")
        self.product.setText("—")
        self.lot.clear()
        self.expiry.setDate(NO_EXPIRY)
        self.quantity.setValue(1)

    def _allow_receipt(self) -> None:
        """The Receive button: only for a code read and a lot not expired (the service
        refuses an expired one)."""
        day = self.expiry.date()
        today = self.desk.today()
        expired = day != NO_EXPIRY and day < QDate(today.year, today.month, today.day)
        self.receive.setEnabled(self.scan is not None and not expired)

    def try_receive(self) -> None:
        if self.scan is None:
            self.scan_field.setFocus()
            return
        expiry = None if self.expiry.date() == NO_EXPIRY else self.expiry.date().toPython()
        assert expiry is None or isinstance(expiry, date)
        line = ReceiptLine(self.scan.gtin, self.lot.text().strip(), expiry, self.quantity.value())
        try:
            receive_stock(self.desk.session, line)
        except ClinicError as error:
            self.errors.show(error)
            return
        self.errors.clear()
        self.done.setText(
            self.tr("Received: {quantity} × {product}, lot {lot}.").format(
                quantity=line.quantity, product=self.product.text(), lot=line.lot
            )
        )
        self.scan = None
        self.receive.setEnabled(False)
        self.scan_field.clear()
        self.lot.clear()
        self.quantity.setValue(1)
        self.problems.hide()
        self.scan_field.setFocus()
        self.desk.announce("stock")


class Dispensary(QGroupBox):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Dispense a prescription"), parent)
        self.desk = desk
        # The paper the patient hands over: its QR code is checked against the
        # issuing clinic's key, its barcode (or the number typed) found.
        self.scan_field = QLineEdit()
        self.scan_field.setObjectName("prescriptionScanField")
        self.scan_field.setPlaceholderText(
            self.tr("Scan the prescription's QR code, or type its number")
        )
        self.scan_field.setMinimumHeight(34)
        self.scan_field.returnPressed.connect(self.find_scanned)
        self.table = _read_only_table(
            [self.tr("Drugs"), self.tr("Number"), self.tr("Date"), self.tr("Status")]
        )
        self.table.doubleClicked.connect(lambda _: self.try_dispense())
        self.error = ErrorLabel()
        self.done = caption("", "okLabel")
        self.done.setWordWrap(True)
        self.dispense = primary(QPushButton(self.tr("Dispense")))
        self.dispense.clicked.connect(self.try_dispense)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done, 1)
        buttons.addWidget(self.dispense)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scan_field)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        selected = self._selected_id()
        self.table.setRowCount(0)
        self._add_rows(list_prescriptions(self.desk.session))
        if selected is not None:
            self._select(selected)

    def _add_rows(self, prescriptions: list[Prescription], *, at_top: bool = False) -> None:
        done = dispensed_prescriptions(self.desk.session, [p.id for p in prescriptions])
        for prescription in prescriptions:
            row = 0 if at_top else self.table.rowCount()
            self.table.insertRow(row)
            drugs = ", ".join(item.drug_name for item in prescription.items)
            issued = prescription.issued_at.astimezone(self.desk.session.zone)
            status = self.tr("Dispensed") if prescription.id in done else self.tr("To dispense")
            cells = (drugs, prescription.number, issued.strftime("%d/%m/%Y %H:%M"), status)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)  # a long list of drugs is cut short in its column
                cell.setData(Qt.ItemDataRole.UserRole, prescription.id)
                if prescription.id in done:
                    cell.setForeground(QBrush(QColor(MUTED)))
                self.table.setItem(row, column, cell)

    def _selected_id(self) -> str | None:
        row = self.table.currentRow()
        cell = self.table.item(row, 0) if row >= 0 else None
        return str(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None

    def _select(self, prescription_id: str) -> bool:
        for row in range(self.table.rowCount()):
            cell = self.table.item(row, 0)
            if cell is not None and cell.data(Qt.ItemDataRole.UserRole) == prescription_id:
                self.table.selectRow(row)
                self.table.scrollToItem(cell)
                return True
        return False

    def take_scan(self, raw: str) -> None:
        self.scan_field.setText(raw)
        self.find_scanned()

    def find_scanned(self) -> None:
        """Select the prescription whose code or number was scanned into the field."""
        self.done.clear()
        try:
            prescription = prescription_for_dispensing(self.desk.session, self.scan_field.text())
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            self.scan_field.setFocus()
            self.scan_field.selectAll()
            return
        self.error.show_text("")
        self.scan_field.clear()
        if not self._select(prescription.id):  # older than the list shows
            self._add_rows([prescription], at_top=True)
            self._select(prescription.id)
        self.dispense.setFocus()

    def try_dispense(self) -> None:
        prescription_id = self._selected_id()
        if prescription_id is None:
            self.error.show_text(self.tr("Choose a prescription in the list."))
            return
        try:
            dispensed = dispense_prescription(self.desk.session, prescription_id)
        except ClinicError as error:
            self.done.clear()
            self.error.show_text(tr_error(error))
            return
        self.error.show_text("")
        self.done.setText(
            self.tr("Dispensed: {lines}.").format(
                lines="; ".join(_dispensed_text(d) for d in dispensed)
            )
        )
        self.desk.announce("stock")
        self.scan_field.setFocus()  # the next patient's paper


def _is_prescription_code(raw: str) -> bool:
    text = raw.strip().upper()
    return text.startswith((PREFIX, "ORD-"))


def _dispensed_text(dispensed: Dispensed) -> str:
    return f"{dispensed.quantity} × {dispensed.drug_name} ({dispensed.lot})"


class StockOnHand(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.table = _read_only_table(
            [
                self.tr("Product"),
                self.tr("Lot"),
                self.tr("Expiry"),
                self.tr("Quantity"),
                self.tr("Reorder level"),
            ]
        )
        self.legend = caption(
            self.tr("Red: expired — do not dispense.  Yellow: below the reorder level."), "muted"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(caption(self.tr("Stock on hand"), "sectionTitle"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.legend)
        self.reload()

    def reload(self) -> None:
        lines = stock_on_hand(self.desk.session)
        self.table.setRowCount(0)
        for line in lines:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (
                line.item.label,
                line.lot,
                format_date(line.expiry),
                str(line.quantity),
                str(line.item.reorder_level or ""),
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column in (3, 4):
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if line.expired:
                    cell.setBackground(QBrush(EXPIRED_BACKGROUND))
                    cell.setForeground(QBrush(QColor(DANGER)))
                    cell.setToolTip(self.tr("Expired: do not dispense."))
                elif line.below_reorder:
                    cell.setBackground(QBrush(LOW_BACKGROUND))
                    cell.setToolTip(self.tr("Below the reorder level."))
                self.table.setItem(row, column, cell)


class StockPage(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        layout.addWidget(caption(self.tr("Stock"), "pageTitle"))
        top = QHBoxLayout()
        self.reception: Reception | None = None
        self.dispensary: Dispensary | None = None
        if desk.may(Action.RECEIVE_STOCK):
            self.reception = Reception(desk)
            top.addWidget(self.reception, 1)
        if desk.may(Action.DISPENSE):
            self.dispensary = Dispensary(desk)
            top.addWidget(self.dispensary, 1)
        if self.reception is not None and self.dispensary is not None:
            self.reception.prescription_scanned = self.dispensary.take_scan
        if top.count():
            layout.addLayout(top)
        self.on_hand = StockOnHand(desk)
        layout.addWidget(self.on_hand, 1)
        desk.data_changed.connect(self._on_change)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.reception is not None:
            self.reception.scan_field.setFocus()

    def _on_change(self, change: Change) -> None:
        if change.kind in ("stock", "sync"):
            self.on_hand.reload()
        if self.dispensary is not None and change.kind in ("prescription", "sync", "stock"):
            self.dispensary.reload()
