"""Field-level errors: the field named by ``InvalidInput.field`` turns red, the message shows."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QWidget

from clinic_app.errors import ClinicError, InvalidInput
from clinic_app.ui.i18n import tr_error


def caption(text: str = "", look: str = "") -> QLabel:
    """A label whose look (``muted``, ``pageTitle``, ``errorLabel``...) the style sheet sets."""
    label = QLabel(text)
    if look:
        label.setObjectName(look)
    return label


def set_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    # The style sheet reads the property only when the widget is polished again.
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class ErrorLabel(QLabel):
    """A red line under a form; empty and hidden when all is well."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.hide()

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))
        if text:
            self._make_room()

    def _make_room(self) -> None:
        """A dialog grows to hold the message, rather than squeeze its fields together."""
        window = self.window()
        layout = window.layout()
        if not isinstance(window, QDialog) or layout is None:
            return  # a page: its own scroll area or stretch gives the room
        layout.activate()
        width = window.width()
        needed = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if needed > window.height():
            window.resize(width, needed)

    def show_outcome(self, text: str, *, ok: bool) -> None:
        """The line as a result: green when ``ok``, red otherwise."""
        look = "okLabel" if ok else "errorLabel"
        if self.objectName() != look:
            self.setObjectName(look)
            self.style().unpolish(self)
            self.style().polish(self)
        self.show_text(text)


class FieldErrors:
    """Maps the core's field names to this form's widgets."""

    def __init__(self, label: ErrorLabel, fields: dict[str, QWidget] | None = None) -> None:
        self.label = label
        self.fields: dict[str, QWidget] = dict(fields or {})
        self.marked: str | None = None

    def add(self, name: str, widget: QWidget) -> None:
        self.fields[name] = widget

    def clear(self) -> None:
        for widget in self.fields.values():
            set_invalid(widget, False)
        self.marked = None
        self.label.show_text("")

    def show(self, error: ClinicError) -> None:
        self.clear()
        self.label.show_text(tr_error(error))
        field = error.field if isinstance(error, InvalidInput) else ""
        widget = self.fields.get(field)
        if widget is not None:
            self.marked = field
            set_invalid(widget, True)
            widget.setFocus()

    def show_text(self, field: str, text: str) -> None:
        """A refusal found by the form itself (a number that is no number)."""
        self.clear()
        self.label.show_text(text)
        widget = self.fields.get(field)
        if widget is not None:
            self.marked = field
            set_invalid(widget, True)
            widget.setFocus()
