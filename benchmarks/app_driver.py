"""Runs the real program (``clinic_app.ui.app.run``) and says on stdout when things happen.

    app_driver.py startup DATA_DIR    prints "login-shown" and "login-painted", then quits
    app_driver.py memory DATA_DIR     logs in as the nurse through the login dialog, waits
                                      for the patient list, searches, prints "ready", waits
                                      for a line on stdin, then quits

Started by bench_startup.py and bench_memory.py, which keep the clock and read
the memory from outside. Nothing in the program is patched: ``run()`` takes the
``QApplication`` that exists (``QApplication.instance() or ...``), so the driver
makes it first and watches its events with an application-wide event filter.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clinic_app.ui import app as clinic_ui  # noqa: E402
from clinic_app.ui.login import LoginDialog  # noqa: E402
from clinic_app.ui.main_window import PAGE_PATIENTS, MainWindow  # noqa: E402

SEARCH = "kouassi"
SEARCH_WAIT_MS = 3000
POLL_MS = 50


def say(word: str) -> None:
    print(word, flush=True)


class StartupWatch(QObject):
    """Notes the login dialog's first Show and first Paint, then closes it (the app quits)."""

    def __init__(self) -> None:
        super().__init__()
        self.shown = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, LoginDialog):
            if event.type() == QEvent.Type.Show and not self.shown:
                self.shown = True
                say("login-shown")
            elif event.type() == QEvent.Type.Paint and self.shown:
                say("login-painted")
                app = QApplication.instance()
                if app is not None:
                    app.removeEventFilter(self)
                QTimer.singleShot(0, watched.reject)
        return False


class MemoryWatch(QObject):
    """Logs in through the dialog, then searches the patient list once it is shown."""

    def __init__(self, username: str, password: str) -> None:
        super().__init__()
        self.username = username
        self.password = password
        self.logged_in = False
        self.window: MainWindow | None = None
        self.waited_ms = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Show:
            return False
        if isinstance(watched, LoginDialog) and not self.logged_in:
            self.logged_in = True
            dialog = watched

            def type_and_submit() -> None:
                dialog.username.setText(self.username)
                dialog.password.setText(self.password)
                dialog.submit.click()

            QTimer.singleShot(0, type_and_submit)
        elif isinstance(watched, MainWindow) and self.window is None:
            self.window = watched
            QTimer.singleShot(0, self.search)
        return False

    def search(self) -> None:
        from clinic_app.ui.patients import PatientsPage  # loaded by the window already

        assert self.window is not None
        page = self.window.show_page(PAGE_PATIENTS)
        assert isinstance(page, PatientsPage)
        page.search.search.setText(SEARCH)  # as typed: the page's own timer starts the search
        QTimer.singleShot(POLL_MS, self.wait_for_results)

    def wait_for_results(self) -> None:
        from clinic_app.ui.patients import PatientsPage

        assert self.window is not None
        page = self.window.pages[PAGE_PATIENTS]
        assert isinstance(page, PatientsPage)
        self.waited_ms += POLL_MS
        model = page.search.model
        found = all(SEARCH in p.full_name.lower() for p in model.patients) and model.rowCount()
        if not found and self.waited_ms < SEARCH_WAIT_MS:
            QTimer.singleShot(POLL_MS, self.wait_for_results)
            return
        # Let the table paint the rows before memory is read.
        QTimer.singleShot(300, lambda: self.ready(model.rowCount()))

    def ready(self, rows: int) -> None:
        say(f"ready rows={rows}")
        line = sys.stdin.readline()  # the parent reads the memory, then answers
        say(f"quitting after {line.strip() or 'EOF'}")
        QApplication.quit()


def main() -> int:
    mode, data_dir = sys.argv[1], Path(sys.argv[2])
    app = QApplication([sys.argv[0]])
    watch: QObject
    if mode == "startup":
        watch = StartupWatch()
    elif mode == "memory":
        watch = MemoryWatch(sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(f"unknown mode {mode}")
    app.installEventFilter(watch)
    return clinic_ui.run(data_dir, language="fr")


if __name__ == "__main__":
    raise SystemExit(main())
