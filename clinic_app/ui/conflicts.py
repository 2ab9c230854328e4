"""The "Conflicts" dialog: two edits of one patient field that did not see each other.

Central keeps both values of a field edited at two clinics (or twice offline)
and lists the pair (``list_conflicts``); a nurse or doctor chooses which value
is right (``settle_conflict``), which becomes a new edit that wins everywhere.
Nothing here decides anything: the services (``clinic_app.sync.edits``) check
permissions and validate.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
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
from clinic_app.sync.edits import list_conflicts, settle_conflict
from clinic_app.ui.desk import Desk
from clinic_app.ui.display import format_instant
from clinic_app.ui.forms import ErrorLabel, caption
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary


def _version_parts(version: str) -> tuple[datetime | None, str]:
    """When and where a version was written: ``wall_ms.counter.site_id``."""
    wall, _, rest = version.partition(".")
    _counter, _, site_id = rest.partition(".")
    when = None
    if wall.isdigit():
        when = datetime.fromtimestamp(int(wall) / 1000, UTC)
    return when, site_id


class ConflictsDialog(QDialog):
    """Open conflicts, one per row; choose the first or the second value."""

    COLUMNS = 6

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle(self.tr("Conflicts to settle"))
        self.resize(900, 420)
        self.conflicts: list[Any] = []
        self.names: dict[str, str] = {}
        self.explain = caption(
            self.tr(
                "The same information was changed in two places without either seeing the "
                "other. Choose the right value; it then replaces the other everywhere."
            ),
            "muted",
        )
        self.explain.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("conflictsTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Patient"),
                self.tr("Field"),
                self.tr("First value"),
                self.tr("Second value"),
                self.tr("Kept meanwhile"),
                self.tr("Found"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3):  # the two values, with where and when each was typed
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = caption(self.tr("No conflict is waiting."), "muted")
        self.error = ErrorLabel()
        self.keep_a = primary(QPushButton(self.tr("Keep the first value")))
        self.keep_a.setObjectName("keepFirst")
        self.keep_b = QPushButton(self.tr("Keep the second value"))
        self.keep_b.setObjectName("keepSecond")
        self.keep_a.clicked.connect(lambda: self.settle(first=True))
        self.keep_b.clicked.connect(lambda: self.settle(first=False))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_a)
        buttons.addWidget(self.keep_b)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(caption(self.tr("Conflicts to settle"), "pageTitle"))
        layout.addWidget(self.explain)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.reload()

    # --- data ------------------------------------------------------------------------

    def reload(self) -> None:
        self.error.show_text("")
        try:
            self.conflicts = list(list_conflicts(self.desk.session))
        except ClinicError as error:
            self.conflicts = []
            self.error.show_text(tr_error(error))
        self._fill()

    def _patient_name(self, patient_id: str) -> str:
        if patient_id not in self.names:
            from clinic_app.records.patients import open_chart

            try:
                patient = open_chart(self.desk.session, patient_id)  # audited: it is shown
                self.names[patient_id] = f"{patient.family_name} {patient.given_name}"
            except ClinicError:
                self.names[patient_id] = patient_id[:8]
        return self.names[patient_id]

    def _side(self, value: str | None, version: str) -> str:
        when, site_id = _version_parts(version)
        where = (
            self.tr("this clinic")
            if site_id == self.desk.session.site_id
            else self.tr("another clinic")
        )
        shown = value if value not in (None, "") else self.tr("(empty)")
        if when is None:
            return self.tr("{value} — {where}").format(value=shown, where=where)
        return self.tr("{value} — {where}, {when}").format(
            value=shown,
            where=where,
            when=format_instant(to_iso(when), self.desk.session.zone),
        )

    def _field_label(self, name: str) -> str:
        labels = {
            "given_name": self.tr("Given name(s)"),
            "family_name": self.tr("Family name"),
            "sex": self.tr("Sex"),
            "birth_date": self.tr("Date of birth"),
            "national_id": self.tr("National number"),
            "phone": self.tr("Phone"),
            "village": self.tr("Village"),
        }
        return labels.get(name, name)

    def _fill(self) -> None:
        self.table.setRowCount(len(self.conflicts))
        for row, conflict in enumerate(self.conflicts):
            cells = (
                self._patient_name(conflict.patient_id),
                self._field_label(conflict.field or conflict.record_kind),
                self._side(conflict.value_a, conflict.version_a),
                self._side(conflict.value_b, conflict.version_b),
                conflict.kept_value or "",
                format_instant(conflict.detected_at, self.desk.session.zone),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        self.empty.setVisible(not self.conflicts)
        if self.conflicts:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None
        self.keep_a.setEnabled(chosen)
        self.keep_b.setEnabled(chosen)

    def selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.conflicts):
            return None
        return self.conflicts[rows[0].row()]

    # --- settling --------------------------------------------------------------------

    def settle(self, *, first: bool) -> None:
        conflict = self.selected()
        if conflict is None:
            return
        value = conflict.value_a if first else conflict.value_b
        try:
            settle_conflict(self.desk.session, conflict.id, value)
        except ClinicError as error:
            self.error.show_text(tr_error(error))
            return
        self.desk.announce("patient", conflict.patient_id)
        self.reload()
