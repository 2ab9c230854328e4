"""The clinic's security settings that the admin sets in the Administration page.

Settings live in the ``settings`` table (key, value); they are the clinic's
own and are not synchronised.
"""

from __future__ import annotations

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Store

IDLE_LOCK_KEY = "idle_lock_minutes"
DEFAULT_IDLE_LOCK_MINUTES = 5
MIN_IDLE_LOCK_MINUTES = 1
MAX_IDLE_LOCK_MINUTES = 120


def idle_lock_minutes(store: Store) -> int:
    """Minutes without keyboard or mouse input before the screen locks (default 5)."""
    try:
        minutes = int(store.setting(IDLE_LOCK_KEY) or DEFAULT_IDLE_LOCK_MINUTES)
    except ValueError:
        return DEFAULT_IDLE_LOCK_MINUTES
    return min(max(minutes, MIN_IDLE_LOCK_MINUTES), MAX_IDLE_LOCK_MINUTES)


def set_idle_lock_minutes(session: Session, minutes: int) -> int:
    """Set the idle-lock delay for every workstation of the clinic; audited."""
    session.require(Action.MANAGE_SETTINGS)
    if not MIN_IDLE_LOCK_MINUTES <= minutes <= MAX_IDLE_LOCK_MINUTES:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "The screen locks after {low} to {high} minutes without use."
            ),
            field="idle_lock_minutes",
            low=MIN_IDLE_LOCK_MINUTES,
            high=MAX_IDLE_LOCK_MINUTES,
        )
    with session.transaction() as tx:
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (IDLE_LOCK_KEY, str(minutes)),
        )
        session.audit(
            tx,
            "set_idle_lock_minutes",
            object_kind="setting",
            object_id=IDLE_LOCK_KEY,
            detail=str(minutes),
        )
    return minutes
