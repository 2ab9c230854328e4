"""Reading GS1 barcodes as the storekeeper's scanner types them.

:func:`parse_scan` is the one place the program uses ``biip``. It turns what a
keyboard-wedge scanner (or a person at the keyboard) typed into a
:class:`ScanResult` — GTIN-14, lot, expiry, serial — plus the *problems* the
storekeeper must look at, or refuses with a :class:`ScanError` that says what
to do. The rule it keeps: **a scan is never silently misread.** Whatever was
repaired (a lost separator, a scanner typing on an AZERTY keyboard) is said in
``problems``; what cannot be read without guessing (a wrong check digit, an
impossible date) is refused.

Why the specific biip parsers and not ``biip.parse()``: ``biip.parse()`` is
documented as never raising, but in biip 5.2 it does raise on a malformed
symbology prefix (``"]"`` gives IndexError, ``"]W1"`` ParseError, ``"]Yx"``
ValueError), and in its "try everything" mode it also reads a bare EAN-13 as a
GS1 message. Choosing the reading here (symbology prefix first, then the shape
of the text) and calling ``Gtin.parse`` / ``GS1ElementString.extract`` /
``GS1Message.parse_hri`` / ``GS1DigitalLinkURI.parse`` inside ``try`` makes
both choices explicit, and reading the message element by element tells the
storekeeper *where* a bad scan broke.

Nothing here logs: a scan is not patient data, but there is nothing to log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from biip import ParseConfig, ParseError
from biip.checksums import gs1_standard_check_digit
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin
from biip.rcn import Rcn

from clinic_app.clock import shown_date
from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP, Message

# Longer than any GS1 code on a medicine box (a full DataMatrix with GTIN, expiry,
# lot, serial and a national number is under 100 characters): more means two
# scans ran together or something else was pasted.
MAX_SCAN_CHARS = 400
SOON_EXPIRY_DAYS = 90
# An expiry further away than this is possible but unusual for medicines: a
# misread year (27 → 72) is the likelier story.
FAR_EXPIRY_YEARS = 10

GS = "\x1d"
GS_SHOWN = "\u241d"  # ␝, how a scan field shows the GS it cannot display

# Every way the GS (FNC1) separator reaches us from a keyboard wedge or a test
# file. None of these can be part of a GS1 value ("\\", "^", "]", "{", "[" are
# outside GS1's 82-character set); "<GS>" could in theory, but no lot is
# printed that way.
_SEPARATOR_SPELLINGS = re.compile(
    r"\\x1d|\\u001d|<GS>|\{GS\}|\[GS\]|\^\]|" + GS_SHOWN, re.IGNORECASE
)

_SYMBOLOGY = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
_GS1_MESSAGE_SYMBOLOGIES = frozenset({"]C1", "]e0", "]d2", "]Q3", "]J1"})
_GTIN_SYMBOLOGIES = frozenset({"]E0", "]E3", "]E4", "]I1"})
_SYMBOLOGY_NAMES = {
    "]C1": "GS1-128",
    "]e0": "GS1 DataBar",
    "]d2": "GS1 DataMatrix",
    "]Q3": "GS1 QR Code",
    "]J1": "GS1 DotCode",
    "]E0": "EAN-13",
    "]E3": "EAN-13 + add-on",
    "]E4": "EAN-8",
    "]I1": "ITF-14",
}
_ISO_SYMBOLOGY_NAMES = {
    "A": "Code 39",
    "C": "Code 128",
    "E": "EAN/UPC",
    "F": "Codabar",
    "G": "Code 93",
    "I": "ITF",
    "L": "PDF417",
    "Q": "QR Code",
    "d": "Data Matrix",
    "e": "GS1 DataBar",
    "z": "Aztec",
}

# A scanner set to a US keyboard, plugged into a computer set to French AZERTY,
# presses the US keys; the computer prints what those keys mean on AZERTY. This
# table maps each printed character back to the US character the scanner meant.
_AZERTY_TO_US = str.maketrans(
    {
        "&": "1",
        "é": "2",
        '"': "3",
        "'": "4",
        "(": "5",
        "-": "6",
        "è": "7",
        "_": "8",
        "ç": "9",
        "à": "0",
        ")": "-",
        "°": "_",
        "1": "!",
        "2": "@",
        "3": "#",
        "4": "$",
        "5": "%",
        "6": "^",
        "7": "&",
        "8": "*",
        "9": "(",
        "0": ")",
        "a": "q",
        "q": "a",
        "z": "w",
        "w": "z",
        "A": "Q",
        "Q": "A",
        "Z": "W",
        "W": "Z",
        "m": ";",
        ",": "m",
        "M": ":",
        "?": "M",
        ";": ",",
        ":": ".",
        "!": "/",
        ".": "<",
        "/": ">",
        "§": "?",
        "ù": "'",
        "%": '"',
        "*": "\\",
        "µ": "|",
        "$": "]",
        "£": "}",
        "^": "[",
        "¨": "{",
    }
)
_AZERTY_DIGITS = frozenset("&é\"'(-è_çà")
# A GTIN alone is 8 digits: fewer AZERTY digit characters is not a code typed on
# the wrong layout, just text.
_AZERTY_MIN_DIGITS = 8

_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})
# Fields found on medicine packs that need no comment.
_ORDINARY_AIS = frozenset(
    {
        "01",
        "10",
        "11",
        "15",
        "16",
        "17",
        "21",
        "240",
        "241",
        "30",
        "710",
        "711",
        "712",
        "713",
        "714",
        "715",
    }
)

_CONFIG = ParseConfig(
    separator_chars=(GS,),
    # Read impossible dates as "no date" so the refusal can say it is the date.
    gs1_element_strings_verify_date=False,
)


class ScanError(ClinicError):
    """The scan is no usable code; ``reason`` tells the window which case it is."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "This is not a barcode the program can read. Scan the GS1 barcode on the box "
        "(the square DataMatrix, or the barcode with numbers in brackets under it).",
    )

    def __init__(
        self, template: str | None = None, *, reason: str = "unreadable", **params: Any
    ) -> None:
        self.reason = reason
        super().__init__(template, **params)


@dataclass(frozen=True)
class ScanResult:
    """What a scan says about one pack: GTIN-14 always; lot, expiry, serial when coded."""

    gtin: str
    lot: str | None
    expiry: date | None
    serial: str | None
    problems: tuple[Message, ...] = ()
    symbology: str | None = None

    @property
    def hri(self) -> str:
        """The code as printed under a GS1 barcode, for showing next to the box."""
        parts = [f"(01){self.gtin}"]
        if self.expiry is not None:
            parts.append(f"(17){self.expiry:%y%m%d}")
        if self.lot is not None:
            parts.append(f"(10){self.lot}")
        if self.serial is not None:
            parts.append(f"(21){self.serial}")
        return "".join(parts)


def _problem(template: str, **params: Any) -> Message:
    return Message(template, params, context="scanning")


def _shown(text: str, limit: int = 24) -> str:
    """A piece of the scan fit for a message: control characters made visible, cut short."""
    visible = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)
    return visible if len(visible) <= limit else visible[:limit] + "…"


# --- the entry point ----------------------------------------------------------


def parse_scan(raw: str, *, today: date | None = None) -> ScanResult:
    """Read one scan; ``today`` decides what is expired or expiring.

    Pass the clinic's date (``local_date(utc_now(), session.zone)``); without it
    the computer's own date is used.

    Raises only :class:`ScanError`, whatever the text.
    """
    if today is None:
        today = date.today()
    if not isinstance(raw, str):
        raise ScanError(reason="unreadable")
    text = _SEPARATOR_SPELLINGS.sub(GS, raw).strip()  # also strips a leading FNC1 and Enter
    if not text:
        raise ScanError(
            QT_TRANSLATE_NOOP("errors", "Nothing was scanned. Scan the barcode again."),
            reason="empty",
        )
    if len(text) > MAX_SCAN_CHARS:
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "This is not a single barcode ({length} characters were received). "
                "Scan one code at a time.",
            ),
            reason="too_long",
            length=len(text),
        )
    problems: list[Message] = []
    if _looks_typed_on_azerty(text):
        repaired = text.translate(_AZERTY_TO_US)
        try:
            result = _read(repaired, today)
        except ScanError as exc:
            raise ScanError(
                QT_TRANSLATE_NOOP(
                    "errors",
                    "The scanner seems to type with the wrong keyboard layout (digits came "
                    "out as &é\"'(-è_çà) and the code could not be repaired. Ask for the "
                    "scanner to be set to the French (AZERTY) keyboard, then scan again.",
                ),
                reason="keyboard_layout",
            ) from exc
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "The scanner typed with the wrong keyboard layout (AZERTY); the code was "
                    "repaired. Check it against the box, and ask for the scanner's keyboard "
                    "layout to be set to French.",
                )
            )
        )
        return _with_problems(result, problems)
    return _read(text, today)


def _looks_typed_on_azerty(text: str) -> bool:
    # A real scan always holds digits (the GTIN), so a scan that has ASCII digits
    # is never translated: a lot with an "é" or "-" in it is left alone.
    if any("0" <= ch <= "9" for ch in text):
        return False
    return sum(ch in _AZERTY_DIGITS for ch in text) >= _AZERTY_MIN_DIGITS


def _with_problems(result: ScanResult, first: Sequence[Message]) -> ScanResult:
    return ScanResult(
        result.gtin,
        result.lot,
        result.expiry,
        result.serial,
        (*first, *result.problems),
        result.symbology,
    )


# --- choosing the reading -------------------------------------------------------


def _read(text: str, today: date) -> ScanResult:
    symbology: str | None = None
    body = text
    if text.startswith("]"):
        match = _SYMBOLOGY.match(text)
        if match is None:
            raise ScanError(reason="unreadable")
        symbology = match.group(0)
        body = text[len(symbology) :].strip()
    _refuse_foreign_characters(body)
    if not body:
        raise ScanError(reason="unreadable")

    if body.lower().startswith(("http://", "https://")):
        return _read_elements(_digital_link(body), symbology, today, delimited=True)
    if symbology in _GTIN_SYMBOLOGIES:
        digits = body[:13] if symbology == "]E3" else body  # the add-on is a price or issue
        return _read_bare_gtin(digits, symbology, today)
    if symbology is not None and symbology not in _GS1_MESSAGE_SYMBOLOGIES:
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "This barcode ({symbology}) is not a GS1 product code. Scan the GS1 "
                "barcode on the box (the square DataMatrix, or the barcode with numbers "
                "in brackets under it).",
            ),
            reason="not_gs1",
            symbology=_symbology_name(symbology),
        )
    if body.startswith("("):
        return _read_elements(_hri(body), symbology, today, delimited=True)
    if symbology is None:
        # A bare 13-digit EAN also parses as a GS1 message ((37)… or (97)…): with no
        # prefix saying "GS1", digits of a GTIN's length are a GTIN. Spaces are how
        # the number is printed under an EAN, so a person may type them.
        digits = body.replace(" ", "")
        if digits.isascii() and digits.isdigit() and len(digits) in (8, 12, 13, 14):
            return _read_bare_gtin(digits, None, today)
    return _read_elements(
        _element_strings(body), symbology, today, delimited=False, had_separator=GS in body
    )


def _symbology_name(symbology: str) -> str:
    return _SYMBOLOGY_NAMES.get(symbology) or _ISO_SYMBOLOGY_NAMES.get(symbology[1], symbology)


def _refuse_foreign_characters(body: str) -> None:
    # GS1 barcodes hold ASCII only. Checking here also keeps Unicode digits
    # (Arabic-Indic, full-width) away from biip, whose "\d" would accept them.
    foreign = sorted({ch for ch in body if not (" " <= ch <= "~" or ch == GS)})
    if foreign:
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "The code contains characters no GS1 barcode can hold ({characters}). "
                "Scan it again, or type the GTIN from the box.",
            ),
            reason="bad_characters",
            characters=" ".join(_shown(ch) for ch in foreign[:6]),
        )


# --- GTIN alone -----------------------------------------------------------------


def _wrong_check_digit() -> ScanError:
    return ScanError(
        QT_TRANSLATE_NOOP(
            "errors",
            "The barcode's check digit is wrong: the code was misread or damaged. "
            "Scan it again or type the GTIN from the box.",
        ),
        reason="check_digit",
    )


def _check_digit_is_wrong(digits: str) -> bool:
    return (
        digits.isascii()
        and digits.isdigit()
        and len(digits) in (8, 12, 13, 14)
        and gs1_standard_check_digit(digits[:-1]) != int(digits[-1])
    )


def _read_bare_gtin(digits: str, symbology: str | None, today: date) -> ScanResult:
    try:
        gtin = Gtin.parse(digits, config=_CONFIG)
    except ParseError as exc:
        if _check_digit_is_wrong(digits):
            raise _wrong_check_digit() from exc
        raise ScanError(reason="unreadable") from exc
    problems = _gtin_problems(gtin)
    problems.append(
        _problem(
            QT_TRANSLATE_NOOP(
                "scanning",
                "This barcode holds only the product number: type the lot and expiry date "
                "from the box.",
            )
        )
    )
    return ScanResult(gtin.as_gtin_14(), None, None, None, tuple(problems), symbology)


def _gtin_problems(gtin: Gtin) -> list[Message]:
    problems: list[Message] = []
    usage = gtin.prefix.usage if gtin.prefix is not None else ""
    if isinstance(gtin, Rcn):
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This is a shop's or a region's own number (restricted circulation), not a "
                    "manufacturer's product number. Look for another barcode on the box.",
                )
            )
        )
    elif "ISBN" in usage or "ISSN" in usage:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This is the number of a book or periodical (ISBN, ISSN), not of a "
                    "medicine. Look for another barcode on the box.",
                )
            )
        )
    elif "Refund" in usage or "oupon" in usage:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This is a coupon or receipt number, not a product number.",
                )
            )
        )
    level = gtin.packaging_level
    if level is not None and 1 <= level <= 8:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This code is for an outer carton (packaging level {level}), not for one "
                    "pack: count the packs inside when you receive it.",
                ),
                level=level,
            )
        )
    elif level == 9:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This code is for goods sold by weight or measure; check the product.",
                )
            )
        )
    return problems


# --- GS1 messages ---------------------------------------------------------------


def _element_strings(body: str) -> list[GS1ElementString]:
    """The element strings of a raw GS1 message, refusing with where it broke."""
    elements: list[GS1ElementString] = []
    rest = body
    while rest:
        try:
            element = GS1ElementString.extract(rest, config=_CONFIG)
        except ParseError as exc:
            raise _broken_at(rest, elements) from exc
        elements.append(element)
        rest = rest[len(element) :].lstrip(GS)
    return elements


def _broken_at(rest: str, read: Sequence[GS1ElementString]) -> ScanError:
    if rest[:2] in _DATE_AIS:
        digits = rest[2:8]
        if len(digits) == 6 and digits.isdigit():
            return _bad_date(rest[:2], digits)
        return ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "The code stops in the middle of a date ({rest}): it was cut short. Scan it again.",
            ),
            reason="cut_short",
            rest=_shown(rest),
        )
    if not read:
        return ScanError(reason="unreadable")
    return ScanError(
        QT_TRANSLATE_NOOP(
            "errors",
            "The code was read up to {read}, but what follows ({rest}) is not part of a "
            "GS1 code. Scan it again.",
        ),
        reason="trailing_garbage",
        read="".join(element.as_hri() for element in read),
        rest=_shown(rest),
    )


def _bad_date(ai: str, digits: str) -> ScanError:
    return ScanError(
        QT_TRANSLATE_NOOP(
            "errors",
            "The date in the code ({digits}, year-month-day) is not a real date. Scan it "
            "again or type the expiry date from the box.",
        ),
        reason="bad_date",
        ai=ai,
        digits=digits,
    )


def _hri(body: str) -> list[GS1ElementString]:
    try:
        elements = list(GS1Message.parse_hri(body, config=_CONFIG).element_strings)
    except ParseError as exc:
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "The typed code could not be read. Type it as printed under the barcode, "
                "for example (01)03614142000018(17)270630(10)LOT2024A.",
            ),
            reason="unreadable",
        ) from exc
    # biip reads the bracketed fields it knows and skips what it cannot read
    # ("(10)K(552)" gives lot K): every typed character must be in a field read.
    typed = "".join(body.split())
    read = "".join(element.as_hri() for element in elements)
    if typed != read:
        same = 0
        while same < min(len(typed), len(read)) and typed[same] == read[same]:
            same += 1
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "The typed code could not be read in full: {rest} is not part of it. Type "
                "it as printed under the barcode, for example "
                "(01)03614142000018(17)270630(10)LOT2024A.",
            ),
            reason="trailing_garbage",
            rest=_shown(typed[same:] or typed),
        )
    return elements


def _digital_link(body: str) -> list[GS1ElementString]:
    try:
        return list(GS1DigitalLinkURI.parse(body, config=_CONFIG).element_strings)
    except (ParseError, ValueError) as exc:
        raise ScanError(reason="unreadable") from exc


def _single(elements: Sequence[GS1ElementString], ai: str) -> GS1ElementString | None:
    found = [element for element in elements if element.ai.ai == ai]
    if len({element.value for element in found}) > 1:
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "The code holds two different values for the same field ({first} and "
                "{second}). Scan it again.",
            ),
            reason="conflicting",
            first=found[0].as_hri(),
            second=found[1].as_hri(),
        )
    return found[0] if found else None


def _read_elements(
    elements: list[GS1ElementString],
    symbology: str | None,
    today: date,
    *,
    delimited: bool,
    had_separator: bool = False,
) -> ScanResult:
    """Turn element strings into a result; ``delimited`` when brackets or a URL bounded
    every field (typed HRI, Digital Link), so no separator can have been lost."""
    problems: list[Message] = []
    for element in elements:
        if element.ai.ai in _DATE_AIS and element.date is None:
            raise _bad_date(element.ai.ai, element.value)
    if not delimited:
        elements = _split_lost_separator(elements, problems)

    gtin_element = _single(elements, "01")
    if gtin_element is None:
        if _single(elements, "00") is not None:
            raise ScanError(
                QT_TRANSLATE_NOOP(
                    "errors",
                    "This code identifies a shipping carton or pallet (SSCC), not a "
                    "product. Scan the barcode on a box of the medicine.",
                ),
                reason="shipping_unit",
            )
        raise ScanError(
            QT_TRANSLATE_NOOP(
                "errors",
                "This code has no product number (GTIN). Scan the other barcode on the box.",
            ),
            reason="no_gtin",
        )
    if gtin_element.gtin is None:
        raise _wrong_check_digit()
    gtin = gtin_element.gtin
    problems.extend(_gtin_problems(gtin))

    lot_element = _single(elements, "10")
    serial_element = _single(elements, "21")
    expiry_element = _single(elements, "17")
    lot = lot_element.value if lot_element is not None else None
    serial = serial_element.value if serial_element is not None else None
    expiry = expiry_element.date if expiry_element is not None else None

    if lot is None:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "The code has no lot number: type it from the box.",
                )
            )
        )
    elif not (delimited or had_separator) and _may_hide_fields(lot):
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "The lot {lot} may run into other fields (a serial number, a quantity) "
                    "because a separator was lost. Check the lot printed on the box.",
                ),
                lot=lot,
            )
        )
    if expiry is None:
        best_before = _single(elements, "15")
        if best_before is not None and best_before.date is not None:
            problems.append(
                _problem(
                    QT_TRANSLATE_NOOP(
                        "scanning",
                        "The code has a best-before date ({date}) but no expiry date: type the "
                        "expiry date from the box.",
                    ),
                    date=shown_date(best_before.date),
                )
            )
        else:
            problems.append(
                _problem(
                    QT_TRANSLATE_NOOP(
                        "scanning",
                        "The code has no expiry date: type it from the box.",
                    )
                )
            )
    else:
        problems.extend(_expiry_problems(expiry, today))

    if _single(elements, "00") is not None:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This is a shipping label (it has a carton number): count the packs inside "
                    "when you receive it.",
                )
            )
        )
    unusual = sorted({element.ai.ai for element in elements} - _ORDINARY_AIS - {"00"})
    if unusual:
        problems.append(
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "The code carries data this program does not use (fields {fields}). Check "
                    "that you scanned the right barcode.",
                ),
                fields=", ".join(f"({ai})" for ai in unusual),
            )
        )
    return ScanResult(gtin.as_gtin_14(), lot, expiry, serial, tuple(problems), symbology)


def _may_hide_fields(value: str) -> bool:
    """Whether a lot read from a code with no separator could end in swallowed fields.

    "10LOT21SERIAL" or "1012AB30100" with the GS after the lot lost reads as one
    lot; a tail that reads cleanly as fields a medicine pack carries is enough
    to ask the storekeeper to look.
    """
    for cut in range(1, len(value) - 2):
        if value[cut : cut + 2] not in _SWALLOWED_AI_STARTS:
            continue
        tail = _quiet_element_strings(value[cut:])
        if tail and all(e.ai.ai in _ORDINARY_AIS for e in tail):
            return True
    return False


# What a swallowed field begins with: (10), (11), (15), (16), (17), (21), (24x),
# (30), (71x) — the fields of _ORDINARY_AIS other than the GTIN.
_SWALLOWED_AI_STARTS = frozenset({"10", "11", "15", "16", "17", "21", "24", "30", "71"})


def _split_lost_separator(
    elements: list[GS1ElementString], problems: list[Message]
) -> list[GS1ElementString]:
    """Recover a GTIN or expiry swallowed by a lot or serial whose GS separator was lost.

    "10BX778117261130" is lot BX7781 then expiry 2026-11-30 when the GS after the
    lot did not reach us; biip, rightly greedy, reads lot "BX778117261130". The
    same happens to a GTIN after a lot put first ("10ABC0103614…"). When the
    code lacks its expiry or its GTIN, a variable field that *ends in* fields
    which read cleanly and supply what is missing (a real (17) date, a GTIN with
    a right check digit) is split there — and the storekeeper is asked to check
    against the box.
    """
    missing = {"01", "17"} - {element.ai.ai for element in elements}
    if not missing:
        return elements
    for index, element in enumerate(elements):
        if element.ai.ai not in ("10", "21"):
            continue
        # A lot holds at most 20 characters, so what it swallowed may go on in
        # the fields read after it: split the text from the lot on.
        value = element.value + "".join(e.ai.ai + e.value for e in elements[index + 1 :])
        for cut in range(1, len(value) - 7):
            if value[cut : cut + 2] not in missing:
                continue
            tail = _quiet_element_strings(value[cut:])
            if tail is None or not any(
                (e.ai.ai == "17" and e.date) or (e.ai.ai == "01" and e.gtin) for e in tail
            ):
                continue
            try:
                head = GS1ElementString.parse(element.ai.ai + value[:cut], config=_CONFIG)
            except ParseError:
                continue
            lot_read = QT_TRANSLATE_NOOP(
                "scanning",
                "A separator was missing in the code; it was read as lot {value} followed "
                "by {rest}. Check them against the box.",
            )
            serial_read = QT_TRANSLATE_NOOP(
                "scanning",
                "A separator was missing in the code; it was read as serial number {value} "
                "followed by {rest}. Check them against the box.",
            )
            problems.append(
                _problem(
                    lot_read if element.ai.ai == "10" else serial_read,
                    value=value[:cut],
                    rest=" ".join(e.as_hri() for e in tail),
                )
            )
            return [*elements[:index], head, *tail]
    return elements


def _quiet_element_strings(text: str) -> list[GS1ElementString] | None:
    try:
        elements = _element_strings(text)
    except ScanError:
        return None
    if any(e.ai.ai in _DATE_AIS and e.date is None for e in elements):
        return None
    return elements


def _expiry_problems(expiry: date, today: date) -> list[Message]:
    if expiry < today:
        return [
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This lot expired on {expiry}: it must not be received or dispensed.",
                ),
                expiry=shown_date(expiry),
            )
        ]
    if expiry == today:
        return [
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This lot expires today ({expiry}).",
                ),
                expiry=shown_date(expiry),
            )
        ]
    days = (expiry - today).days
    if days <= SOON_EXPIRY_DAYS:
        return [
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "This lot expires in {days} days ({expiry}).",
                ),
                days=days,
                expiry=shown_date(expiry),
            )
        ]
    if expiry > today + timedelta(days=365 * FAR_EXPIRY_YEARS + 3):
        return [
            _problem(
                QT_TRANSLATE_NOOP(
                    "scanning",
                    "The expiry date {expiry} is more than {years} years away, which is unusual. "
                    "Check it against the box.",
                ),
                expiry=shown_date(expiry),
                years=FAR_EXPIRY_YEARS,
            )
        ]
    return []
