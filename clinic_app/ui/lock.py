"""The idle lock: after N minutes without keyboard or mouse input the window locks.

Rules it keeps:

* Idle means no input event reached the application (one event filter on the
  ``QApplication``). The filter only notes the time; a single-shot timer
  wakes up when the delay could have run out and checks, so a moving mouse
  costs no timer restarts.
* Locking hides the work, it does not discard it: the main window swaps its
  content for the lock page (the half-filled form stays as it was, hidden),
  and every open dialog has its content hidden under the same lock panel.
  A modal dialog blocks the main window, hence a panel in each.
* Only the same user's password unlocks (``accounts.unlock_session``, through
  the task runner: Argon2id takes a second). "Switch user" logs another
  person in from the lock (``accounts.switch_user``) — after a warning when
  typed input would be lost; if their login is refused, the screen stays
  locked for the first user.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.desk import Desk, unexpected_unless_clinic_error
from clinic_app.ui.forms import ErrorLabel, caption, set_invalid
from clinic_app.ui.i18n import tr_error
from clinic_app.ui.login import primary

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)

Clock = Callable[[], float]


class IdleWatcher(QObject):
    """Emits ``idle`` once after ``minutes`` without input; ``resume()`` starts it again."""

    idle = Signal()

    def __init__(
        self, minutes: float, *, clock: Clock = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.seconds = minutes * 60
        self._last_input = clock()
        self._paused = True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check_idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._last_input = self.clock()
        return False

    def set_minutes(self, minutes: float) -> None:
        self.seconds = minutes * 60
        if not self._paused:
            self._arm()

    def resume(self) -> None:
        """Watch again, counting from now (after logging in or unlocking)."""
        self._paused = False
        self._last_input = self.clock()
        self._arm()

    def pause(self) -> None:
        self._paused = True
        self.timer.stop()

    def idle_seconds(self) -> float:
        return self.clock() - self._last_input

    def check_idle(self) -> None:
        if self._paused:
            return
        if self.idle_seconds() >= self.seconds:
            self.pause()
            self.idle.emit()
        else:
            self._arm()

    def _arm(self) -> None:
        remaining = max(0.0, self.seconds - self.idle_seconds())
        self.timer.start(max(500, int(remaining * 1000) + 50))

    def stop(self) -> None:
        self.pause()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockPanel(QFrame):
    """Who is logged in, their password to unlock, and "switch user"."""

    unlocked = Signal()
    user_switched = Signal(object)  # the new Session

    def __init__(
        self,
        desk: Desk,
        has_unsaved_input: Callable[[], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockPanel")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.desk = desk
        self.has_unsaved_input = has_unsaved_input
        actor = desk.session.actor
        self.title = caption(self.tr("Screen locked"), "pageTitle")
        self.who = QLabel(
            self.tr("{name} ({username}) is logged in.").format(
                name=actor.display_name, username=actor.username
            )
        )
        self.who.setWordWrap(True)
        self.hint = caption(
            self.tr("The screen locked itself after a while without use. Your work is kept."),
            "muted",
        )
        self.hint.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your password"))
        self.password.returnPressed.connect(self.try_unlock)
        self.unlock_button = primary(QPushButton(self.tr("Unlock")))
        self.unlock_button.clicked.connect(self.try_unlock)
        self.error = ErrorLabel()
        self.switch_button = QPushButton(self.tr("Switch user"))
        self.switch_button.setObjectName("switchUser")
        self.switch_button.clicked.connect(self.ask_switch_user)
        self.warning = caption("", "warningLabel")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.other_username = QLineEdit()
        self.other_username.setObjectName("switchUsername")
        self.other_username.setMaxLength(32)
        self.other_username.setPlaceholderText(self.tr("User name"))
        self.other_password = QLineEdit()
        self.other_password.setObjectName("switchPassword")
        self.other_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.other_password.setPlaceholderText(self.tr("Password"))
        self.other_password.returnPressed.connect(self.try_switch)
        self.switch_login = QPushButton(self.tr("Log in"))
        self.switch_login.clicked.connect(self.try_switch)
        self.switch_error = ErrorLabel()
        self.switch_form = QWidget()
        switch_form = QHBoxLayout(self.switch_form)
        switch_form.setContentsMargins(0, 0, 0, 0)
        switch_form.addWidget(self.other_username, 1)
        switch_form.addWidget(self.other_password, 1)
        switch_form.addWidget(self.switch_login)
        self.switch_form.hide()

        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.unlock_button)
        switch_row = QHBoxLayout()
        switch_row.addWidget(self.switch_button)
        switch_row.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.who)
        layout.addWidget(self.hint)
        layout.addSpacing(6)
        layout.addLayout(password_row)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addLayout(switch_row)
        layout.addWidget(self.warning)
        layout.addWidget(self.switch_form)
        layout.addWidget(self.switch_error)
        layout.addStretch()  # in a small dialog, the lines stay together at the top

    def reset(self) -> None:
        self.password.clear()
        self.password.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.unlock_button.setText(self.tr("Unlock"))
        self.error.show_text("")
        set_invalid(self.password, False)
        self.warning.hide()
        self.switch_form.hide()
        self.switch_button.show()
        self.other_username.clear()
        self.other_password.clear()
        self.switch_error.show_text("")

    def try_unlock(self) -> None:
        from clinic_app.security.accounts import unlock_session

        password = self.password.text()
        if not password:
            self._refuse_text(self.tr("Type your password."))
            return
        self.error.show_text("")
        self.password.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.unlock_button.setText(self.tr("Checking…"))
        session = self.desk.session
        self.desk.tasks.run(
            lambda: unlock_session(session, password), self._accepted, self._refused, owner=self
        )

    def _accepted(self, _: object) -> None:
        self.reset()
        self.unlocked.emit()

    def _refused(self, error: BaseException) -> None:
        self.password.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.unlock_button.setText(self.tr("Unlock"))
        if unexpected_unless_clinic_error(error):
            self._refuse_text(tr_error(error))  # type: ignore[arg-type]

    def _refuse_text(self, text: str) -> None:
        self.error.show_text(text)
        set_invalid(self.password, True)
        self.password.selectAll()
        self.password.setFocus()

    def ask_switch_user(self) -> None:
        """Show the other user's login; warn first when typed input would be lost."""
        if self.has_unsaved_input():
            self.warning.setText(
                self.tr(
                    "What was typed and not saved will be lost if another user logs in. "
                    "To keep it, unlock with your password and save it first."
                )
            )
            self.warning.show()
        self.switch_button.hide()
        self.switch_form.show()
        self.other_username.setFocus()

    def try_switch(self) -> None:
        from clinic_app.security.accounts import switch_user

        username, password = self.other_username.text(), self.other_password.text()
        if not username.strip():
            self.switch_error.show_text(self.tr("Enter your user name."))
            self.other_username.setFocus()
            return
        self.switch_error.show_text("")
        self.switch_login.setEnabled(False)
        self.switch_login.setText(self.tr("Opening…"))
        session = self.desk.session
        self.desk.tasks.run(
            lambda: switch_user(session, username, password),
            self._switched,
            self._switch_refused,
            owner=self,
        )

    def _switched(self, session: object) -> None:
        self.user_switched.emit(session)

    def _switch_refused(self, error: BaseException) -> None:
        self.switch_login.setEnabled(True)
        self.switch_login.setText(self.tr("Log in"))
        if unexpected_unless_clinic_error(error):
            self.switch_error.show_text(tr_error(error))  # type: ignore[arg-type]
            self.other_password.selectAll()
            self.other_password.setFocus()


class LockPage(QWidget):
    """The lock panel centred on a calm background: what the main window shows when locked."""

    def __init__(self, panel: LockPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockPage")
        self.panel = panel
        panel.setFixedWidth(560)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)


class DialogCover(QObject):
    """Hides a dialog's content under a lock panel, and gives it back untouched.

    The dialog stays open (hiding it would end its ``exec()`` and lose its input);
    its child widgets are hidden, so nothing of it is readable or typeable.
    """

    def __init__(self, dialog: QDialog, panel: LockPanel) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.panel = panel
        self.hidden: list[QWidget] = []
        self.size = dialog.size()
        self.minimum = dialog.minimumSize()
        for child in dialog.findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        ):
            if child.isVisible() and not child.isWindow():
                child.hide()
                self.hidden.append(child)
        panel.setParent(dialog)
        hint = panel.sizeHint()
        dialog.setMinimumSize(
            max(hint.width(), self.minimum.width()), max(hint.height(), self.minimum.height())
        )
        dialog.resize(max(hint.width(), self.size.width()), max(hint.height(), self.size.height()))
        panel.setGeometry(dialog.rect())
        panel.show()
        panel.raise_()
        dialog.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog and event.type() == QEvent.Type.Resize:
            self.panel.setGeometry(self.dialog.rect())
        return False

    def uncover(self) -> None:
        self.dialog.removeEventFilter(self)
        self.panel.hide()
        self.panel.deleteLater()
        for child in self.hidden:
            child.show()
        self.dialog.setMinimumSize(self.minimum)
        self.dialog.resize(self.size)
        self.deleteLater()
