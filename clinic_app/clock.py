"""Time: instants are UTC; the clinic's own zone is only for display and printing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(instant: datetime) -> str:
    """Store an aware instant as ISO-8601 UTC text (sortable)."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: every stored instant must be aware")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def clinic_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Unknown time zone: {zone}."), field="timezone", zone=name
        ) from exc


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    """The calendar date of ``instant`` on the clinic's wall."""
    return instant.astimezone(zone).date()


def shown_date(day: date) -> str:
    """A date as the clinic writes it, on paper and in messages: 31/12/2026."""
    return day.strftime("%d/%m/%Y")


def format_local(instant: datetime, zone: ZoneInfo, pattern: str = "%d/%m/%Y %H:%M") -> str:
    return instant.astimezone(zone).strftime(pattern)
