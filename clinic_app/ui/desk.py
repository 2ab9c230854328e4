"""What every page shares: the session, the task runner, the change signal, printing.

Pages do not call each other. After a mutation a page calls
``desk.announce(kind, patient_id)``; the desk emits ``data_changed`` once and
each open view decides whether to reload.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget

from clinic_app.clock import local_date, utc_now
from clinic_app.errors import ClinicError
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.ui.crash import report_unexpected
from clinic_app.ui.tasks import TaskRunner

DocumentOpener = Callable[[Path], None]


@dataclass(frozen=True)
class Change:
    """What a mutation changed, for views to decide whether to reload."""

    kind: str  # patient, consultation, diagnosis, prescription, certificate, stock, user, sync
    patient_id: str | None = None


def open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class Desk(QObject):
    data_changed = Signal(object)  # Change

    def __init__(
        self,
        session: Session,
        tasks: TaskRunner,
        *,
        open_document: DocumentOpener = open_with_system_viewer,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = tasks
        self.open_document = open_document
        self._print_folder: Path | None = None

    def may(self, action: Action) -> bool:
        return self.session.actor.may(action)

    def today(self) -> date:
        return local_date(utc_now(), self.session.zone)

    def announce(self, kind: str, patient_id: str | None = None) -> None:
        self.data_changed.emit(Change(kind, patient_id))

    def print_folder(self) -> Path:
        """A private folder (mode 0700) for printed PDFs, removed when the desk closes.

        The viewer still reads the file after we hand it over, so it cannot be
        deleted at once; closing the session removes it.
        """
        if self._print_folder is None or not self._print_folder.is_dir():
            from clinic_app.documents.pdf import private_print_dir

            self._print_folder = private_print_dir()
        return self._print_folder

    def close(self) -> None:
        if self._print_folder is not None:
            shutil.rmtree(self._print_folder, ignore_errors=True)
            self._print_folder = None


def remove_leftover_prints() -> None:
    """PDFs of a session that ended with a power cut hold patient data: remove them."""
    from clinic_app.documents.pdf import remove_stale_prints

    remove_stale_prints()


def unexpected_unless_clinic_error(error: BaseException) -> bool:
    """True if ``error`` is for the person (a ``ClinicError``); else report it and say False."""
    if isinstance(error, ClinicError):
        return True
    report_unexpected(type(error), error, error.__traceback__)
    return False


def focus_first(*widgets: QWidget) -> None:
    for widget in widgets:
        if widget.isEnabled() and widget.isVisible():
            widget.setFocus()
            return
