"""How records read on screen: dates, ages, sexes, vital signs, in the chosen language."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QLocale

from clinic_app.errors import InvalidInput
from clinic_app.records.consultations import VITALS_BY_KEY
from clinic_app.records.patients import Patient
from clinic_app.ui.i18n import unit_symbol
from clinic_app.validation import parse_decimal

DATE_FORMAT = "%d/%m/%Y"
DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"


def sex_label(sex: str) -> str:
    return {
        "female": QCoreApplication.translate("display", "Female"),
        "male": QCoreApplication.translate("display", "Male"),
        "other": QCoreApplication.translate("display", "Other"),
        "unknown": QCoreApplication.translate("display", "Unknown"),
    }.get(sex, sex)


def sex_choices() -> list[tuple[str, str]]:
    return [(code, sex_label(code)) for code in ("female", "male", "other", "unknown")]


def format_date(day: date | None) -> str:
    return day.strftime(DATE_FORMAT) if day else ""


def format_instant(iso_text: str, zone: ZoneInfo) -> str:
    """A stored UTC instant on the clinic's wall clock."""
    try:
        return datetime.fromisoformat(iso_text).astimezone(zone).strftime(DATE_TIME_FORMAT)
    except ValueError:
        return iso_text


def age_text(patient: Patient, today: date) -> str:
    """Years; months under two (what a nurse writes for a baby)."""
    born = patient.birth_date
    if born is None:
        return ""
    years = patient.age_on(today) or 0
    if years >= 2:
        return QCoreApplication.translate("display", "%n year(s)", "age", years)
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    if months >= 1:
        return QCoreApplication.translate("display", "%n month(s)", "age", months)
    days = (today - born).days
    return QCoreApplication.translate("display", "%n day(s)", "age", days)


def birth_and_age(patient: Patient, today: date) -> str:
    if patient.birth_date is None:
        return ""
    return f"{format_date(patient.birth_date)} ({age_text(patient, today)})"


def vital_label(key: str) -> str:
    vital = VITALS_BY_KEY.get(key)
    return QCoreApplication.translate("vitals", vital.label) if vital else key


def vital_value(key: str, value: float) -> str:
    vital = VITALS_BY_KEY.get(key)
    number = format_number(value)
    return f"{number} {unit_symbol(vital.unit)}" if vital else number


def format_number(value: float) -> str:
    """37.5 -> "37,5" in French: the default locale follows the chosen language."""
    return QLocale().toString(float(value), "g", 6)


def parse_number(text: str) -> float | None:
    """What a nurse types: "37,5" or "37.5"; None when it is no number (the core's rule)."""
    try:
        return parse_decimal(text, "number")
    except InvalidInput:
        return None
