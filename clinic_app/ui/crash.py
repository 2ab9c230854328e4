"""The last resort: a short translated dialog instead of a traceback.

The log gets the exception's type and where it was raised (file and line of
our code), never its message or locals: those can hold a patient's name.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("clinic_app.crash")

_showing = False


def _where(tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb) if tb is not None else []
    ours = [f for f in frames if "clinic_app" in f.filename] or frames
    if not ours:
        return "?"
    last = ours[-1]
    name = last.filename.rsplit("clinic_app", 1)[-1].lstrip("/\\")
    return f"{name}:{last.lineno}"


def report_unexpected(
    kind: type[BaseException], error: BaseException, tb: TracebackType | None
) -> None:
    """Log the type only and tell the person, calmly, what to do next."""
    global _showing
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    log.error("unexpected %s at %s", kind.__name__, _where(tb))
    if _showing or QApplication.instance() is None:
        return  # one dialog at a time: a failing timer must not stack up dialogs
    _showing = True
    try:
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("crash", "Something went wrong"))
        box.setText(QCoreApplication.translate("crash", "Something went wrong."))
        box.setInformativeText(
            QCoreApplication.translate(
                "crash",
                "What you saved before is safe. Try again; if it happens again, "
                "note the time and tell the clinic admin.",
            )
        )
        box.exec()
    finally:
        _showing = False


def install_crash_dialog() -> None:
    sys.excepthook = report_unexpected
