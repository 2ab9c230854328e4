"""Checks every service applies to what a person (or a caller) hands it.

One place for each *kind* of input, so a rule fixed once holds everywhere:
text never carries control or invisible formatting characters (a NUL byte, a
zero-width space, a right-to-left override that would spoof a printed name);
every text has a length limit; numbers and dates are of the right type and
within bounds. Each refusal is an ``InvalidInput`` naming the form field.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime
from functools import cache

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.resources import resource_path

# Unicode categories never allowed in stored text: controls, format characters
# (zero-width, bidi overrides), surrogates, private use, unassigned, separators
# other than the plain space.
_FORBIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_NAME_PUNCTUATION = set(" -'’ʼ.")


def _text_of(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "This field must be text."), field=field)
    return value


def _refuse_invisible(text: str, field: str, *, multiline: bool) -> None:
    allowed = {"\n", "\t"} if multiline else set()
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in _FORBIDDEN:
            raise InvalidInput(
                QT_TRANSLATE_NOOP(
                    "errors",
                    "This field contains an invisible or control character; retype it.",
                ),
                field=field,
            )


def _too_long(field: str, limit: int) -> InvalidInput:
    return InvalidInput(
        QT_TRANSLATE_NOOP("errors", "This text is too long (at most {n} characters)."),
        field=field,
        n=limit,
    )


def clean_line(value: object, field: str, *, limit: int, required: bool = False) -> str:
    """One line of text: spaces collapsed, no invisible characters, at most ``limit``."""
    # NFC: "Zoé" typed with a combining accent is stored, printed and signed as one "é".
    text = unicodedata.normalize("NFC", " ".join(_text_of(value, field).split()))
    _refuse_invisible(text, field, multiline=False)
    if required and not text:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "This field is required."), field=field)
    if len(text) > limit:
        raise _too_long(field, limit)
    return text


def clean_text(value: object, field: str, *, limit: int, required: bool = False) -> str:
    """Free text (notes): line breaks kept, no invisible characters, at most ``limit``."""
    text = unicodedata.normalize("NFC", _text_of(value, field).strip())
    _refuse_invisible(text, field, multiline=True)
    if required and not text:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "This field is required."), field=field)
    if len(text) > limit:
        raise _too_long(field, limit)
    return text


def clean_person_name(value: object, field: str, *, limit: int = 100) -> str:
    """A given or family name: letters (any script, with accents), spaces, hyphens,
    apostrophes and dots; it starts with a letter."""
    # NFKC: letters typed in a compatibility form (fullwidth Ａ, the ligature ﬁ, the
    # mathematical 𝔸) are stored as the letters they stand for.
    text = unicodedata.normalize("NFKC", clean_line(value, field, limit=limit))
    if not text:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "The name is missing."), field=field)
    if (
        unicodedata.category(text[0]) not in {"Lu", "Ll", "Lt", "Lo"}
        or any(not (unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION) for ch in text)
        or _too_many_marks(text)
    ):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "A name starts with a letter and holds only letters, spaces, "
                "hyphens and apostrophes.",
            ),
            field=field,
        )
    if any(len(_scripts_of(word)) > 1 for word in _NAME_PARTS.split(text)):
        # "Аwa" with a Cyrillic А looks like Awa and is never found by "awa".
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "This name mixes letters of different alphabets (such as a Cyrillic "
                "letter that looks Latin); retype it in one alphabet.",
            ),
            field=field,
        )
    return text


def _too_many_marks(text: str, most: int = 3) -> bool:
    """More accents stacked on one letter than any language writes (Vietnamese: two)."""
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch).startswith("M") else 0
        if run > most:
            return True
    return False


_NAME_PARTS = re.compile("[" + re.escape("".join(_NAME_PUNCTUATION)) + "]+")


def _scripts_of(word: str) -> set[str]:
    """The alphabets of a word's letters, of those a name may mix up (Latin, Greek,
    Cyrillic look alike)."""
    scripts = set()
    for ch in word:
        if unicodedata.category(ch).startswith("L"):
            script = unicodedata.name(ch, "").split(" ")[0]
            if script in {"LATIN", "GREEK", "CYRILLIC"}:
                scripts.add(script)
    return scripts


@cache
def _printable() -> frozenset[int]:
    """The characters both print fonts hold (``documents.pdf`` prints names with them)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    regular, bold = (
        set(TTFontFile(str(resource_path("fonts", name))).charToGlyph)
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    )
    return frozenset(regular & bold)


def check_printable(text: str, field: str) -> str:
    """``text``, if prescriptions and certificates can print it (names, mostly).

    Latin, Greek and Cyrillic letters with their accents (Zoé, Nguyễn, Łukasz).
    Letters the print fonts lack (Chinese, Ethiopic, Thai) would print as empty
    boxes, and right-to-left scripts (Arabic, N'Ko) would print reversed: both
    are refused, asking for the name as the identity document writes it in
    Latin letters. The message names no letter (error text carries no names).
    """
    printable = _printable()
    if any(ord(ch) not in printable or unicodedata.bidirectional(ch) in {"R", "AL"} for ch in text):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "This name has letters the prescriptions and certificates cannot print. "
                "Write it in Latin letters, as on the identity card.",
            ),
            field=field,
        )
    return text


def clean_printed_name(value: object, field: str, *, limit: int = 100) -> str:
    """A patient's given or family name: see ``clean_person_name`` and ``check_printable``."""
    return check_printable(clean_person_name(value, field, limit=limit), field)


def check_whole_number(value: object, field: str, *, low: int, high: int) -> int:
    """An integer count between ``low`` and ``high`` (not a fraction, not yes/no)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _not_whole(field, low, high)
    try:
        number = float(value) if not isinstance(value, int) else value
    except ValueError as exc:
        raise _not_whole(field, low, high) from exc
    if isinstance(number, float) and (not math.isfinite(number) or not number.is_integer()):
        raise _not_whole(field, low, high)
    whole = int(number)
    if not low <= whole <= high:
        raise _not_whole(field, low, high)
    return whole


def _not_whole(field: str, low: int, high: int) -> InvalidInput:
    return InvalidInput(
        QT_TRANSLATE_NOOP("errors", "Enter a whole number from {low} to {high}."),
        field=field,
        low=low,
        high=high,
    )


# What a person types for a measure: digits, one decimal point or comma, a sign. Not
# Python's own syntax ("3_8", "3.85e1", "inf") nor thousands separators ("1 000").
_DECIMAL_TEXT = re.compile(r"[+-]?\d{1,7}(?:[.,]\d{1,6})?")


def parse_decimal(value: object, field: str) -> float:
    """A measured value: a number, or text with a decimal point or comma ("38,5")."""
    if isinstance(value, bool):
        raise _not_a_number(field)
    if isinstance(value, str):
        if not _DECIMAL_TEXT.fullmatch(value.strip()):
            raise _not_a_number(field)
        value = value.strip().replace(",", ".")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError) as exc:
        raise _not_a_number(field) from exc
    if not math.isfinite(number):
        raise _not_a_number(field)
    return number


def _not_a_number(field: str) -> InvalidInput:
    return InvalidInput(QT_TRANSLATE_NOOP("errors", "Enter a number."), field=field)


def check_date(value: object, field: str) -> date:
    """A calendar date (not a date-time, not text)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "Enter a date (day, month, year)."), field=field
        )
    return value


def check_instant(value: object, field: str) -> datetime:
    """A moment with its time zone."""
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput(QT_TRANSLATE_NOOP("errors", "Enter a date and time."), field=field)
    return value


# Central's rule (central.protocol.SITE_CODE_PATTERN; a test keeps them equal): the code
# is printed in every document number, ORD-TRV-2026-000001.
SITE_CODE_PATTERN = re.compile(r"[A-Z0-9]{2,10}")


def check_site_code(value: object) -> str:
    """A clinic's site code, upper-cased: 2 to 10 letters or digits."""
    code = clean_line(value, "site_code", limit=40, required=True).upper()
    if not SITE_CODE_PATTERN.fullmatch(code):
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors", "The site code has 2 to 10 letters or digits, for example TRV."
            ),
            field="site_code",
        )
    return code
