"""The storekeeper scans GS1 barcodes: every field sample reads as written, nothing is misread."""

from __future__ import annotations

import ast
import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.errors import ClinicError
from clinic_app.i18n import Message
from clinic_app.inventory.scanning import MAX_SCAN_CHARS, ScanError, ScanResult, parse_scan
from tests.conftest import shared_path

TODAY = date(2025, 6, 1)
ROOT = Path(__file__).resolve().parents[1]

WRONG_CHECK_DIGIT = (
    "The barcode's check digit is wrong: the code was misread or damaged. "
    "Scan it again or type the GTIN from the box."
)

# The field samples' first row, with and without the symbology prefix.
PARACETAMOL = "01036141420000181727063010LOT2024A"


def scan(raw: str, today: date = TODAY) -> ScanResult:
    result = parse_scan(raw, today=today)
    for problem in result.problems:
        assert isinstance(problem, Message)
        assert str(problem)  # every placeholder is filled
    return result


def refused(raw: str, today: date = TODAY) -> ScanError:
    with pytest.raises(ScanError) as caught:
        parse_scan(raw, today=today)
    assert str(caught.value.message)  # renders, placeholders filled
    return caught.value


def problem_texts(result: ScanResult) -> list[str]:
    return [str(problem) for problem in result.problems]


def has_problem(result: ScanResult, words: str) -> bool:
    return any(words in text for text in problem_texts(result))


# --- the field samples, row by row ------------------------------------------------


def _sample_rows() -> list[tuple[str, str, str, str, str]]:
    """The file's rows: description, raw (GS written as the 4 characters \\x1d), GTIN-14
    or ERROR, expiry, lot — the last two empty when the code carries none."""
    with shared_path("samples", "gs1-scans.tsv").open(encoding="utf-8", newline="") as handle:
        rows = [
            row
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            if row and not row[0].startswith("#")
        ]
    assert len(rows) >= 7
    padded = [[*row, "", "", "", ""] for row in rows]
    return [(row[0], row[1], row[2], row[3], row[4]) for row in padded]


SAMPLES = _sample_rows()


@pytest.mark.parametrize(
    ("description", "raw", "gtin", "expiry", "lot"), SAMPLES, ids=[row[0] for row in SAMPLES]
)
def test_field_sample_reads_as_written(
    description: str, raw: str, gtin: str, expiry: str, lot: str
) -> None:
    if gtin == "ERROR":
        refused(raw)
        return
    result = scan(raw)
    assert result.gtin == gtin
    assert result.expiry == (date.fromisoformat(expiry) if expiry else None)
    assert result.lot == (lot or None)


@pytest.mark.parametrize(
    ("description", "raw", "gtin", "expiry", "lot"), SAMPLES, ids=[row[0] for row in SAMPLES]
)
@pytest.mark.parametrize("separator", ["\x1d", "<GS>", "\\X1D", "␝"])
def test_field_sample_reads_the_same_whatever_the_separator_looks_like(
    description: str, raw: str, gtin: str, expiry: str, lot: str, separator: str
) -> None:
    typed = raw.replace("\\x1d", separator) + "\r\n"
    if gtin == "ERROR":
        refused(typed)
        return
    result = scan(typed)
    assert (result.gtin, result.lot) == (gtin, lot or None)
    assert result.expiry == (date.fromisoformat(expiry) if expiry else None)


def test_wrong_check_digit_sample_is_refused_with_the_storekeepers_message() -> None:
    raw = next(row[1] for row in SAMPLES if row[2] == "ERROR")
    error = refused(raw)
    assert error.reason == "check_digit"
    assert str(error) == WRONG_CHECK_DIGIT
    assert isinstance(error, ClinicError)
    assert error.message.context == "errors"


# --- symbologies --------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["]d2", "]C1", "]Q3", "]e0", "]J1"])
def test_every_gs1_symbology_prefix_reads_the_message(prefix: str) -> None:
    result = scan(prefix + PARACETAMOL)
    assert (result.gtin, result.expiry, result.lot) == (
        "03614142000018",
        date(2027, 6, 30),
        "LOT2024A",
    )
    assert result.symbology == prefix
    assert result.problems == ()


def test_bare_ean13_is_read_as_a_gtin_not_as_a_gs1_message() -> None:
    # "3760100001235" also parses as (37)60100001(235)…; no prefix says GS1.
    result = scan("3760100001235")
    assert result.gtin == "03760100001235"
    assert result.lot is None
    assert has_problem(result, "type the lot and expiry")


def test_ean13_symbology_prefix_reads_a_gtin() -> None:
    result = scan("]E03760100001235")
    assert result.gtin == "03760100001235"
    assert result.symbology == "]E0"


def test_ean13_with_add_on_keeps_only_the_product_number() -> None:
    assert scan("]E3376010000123512").gtin == "03760100001235"


def test_gtin8_and_gtin12_are_padded_to_fourteen_digits() -> None:
    assert scan("]E496385074").gtin == "00000096385074"
    assert scan("96385074").gtin == "00000096385074"
    assert scan("036000291452").gtin == "00036000291452"


def test_itf14_carton_code_is_read_with_a_warning_to_count_the_packs() -> None:
    result = scan("]I110361414200002")
    assert result.gtin == "10361414200002"
    assert has_problem(result, "outer carton")


def test_gs1_prefix_on_plain_ean_digits_reads_them_as_a_gs1_message() -> None:
    # The prefix says GS1-128: the digits are AIs, and they hold no GTIN.
    assert refused("]C13760100001235").reason in {"no_gtin", "unreadable", "trailing_garbage"}


@pytest.mark.parametrize("raw", ["]C0" + PARACETAMOL, "]Q1" + PARACETAMOL, "]A0ABC123"])
def test_a_barcode_that_is_not_gs1_is_refused_by_name(raw: str) -> None:
    error = refused(raw)
    assert error.reason == "not_gs1"
    assert "not a GS1 product code" in str(error)


@pytest.mark.parametrize("raw", ["]", "]W12", "]Y", "]Yx1", "]d", "]d2", "]E0", "]1"])
def test_broken_symbology_prefix_is_refused_not_crashed(raw: str) -> None:
    # biip.parse itself raises IndexError / ValueError on some of these.
    refused(raw)


def test_gs1_digital_link_in_a_qr_code_is_read() -> None:
    result = scan("]Q1https://id.gs1.org/01/03614142000018/10/LOT2024A?17=270630")
    assert (result.gtin, result.lot, result.expiry) == (
        "03614142000018",
        "LOT2024A",
        date(2027, 6, 30),
    )


# --- how keyboard-wedge scanners type ---------------------------------------------------


def test_enter_and_surrounding_whitespace_and_leading_fnc1_are_ignored() -> None:
    for raw in (f"  {PARACETAMOL}\r\n", f"\t{PARACETAMOL}\n", f"\x1d{PARACETAMOL}\x1d"):
        assert scan(raw).lot == "LOT2024A"


def test_serial_after_a_separator_is_read() -> None:
    result = scan(f"]d2{PARACETAMOL}\x1d21SN00042")
    assert result.serial == "SN00042"
    assert result.lot == "LOT2024A"


def test_lost_separator_after_the_lot_is_repaired_and_said() -> None:
    result = scan("]d2010880015431002210BX778117261130")
    assert (result.lot, result.expiry) == ("BX7781", date(2026, 11, 30))
    assert has_problem(result, "separator was missing")


def test_lost_separator_between_lot_and_serial_is_flagged_not_hidden() -> None:
    result = scan(PARACETAMOL + "21SN42")
    assert has_problem(result, "may run into other fields")


# A scan field that lost the GS after a variable-length lot (an unconfigured
# scanner, a window that drops control characters): whatever the lot swallowed
# is either recovered and said, or flagged — never a wrong lot with no word.
AMOXICILLIN_GTIN = "0108800154310022"


@pytest.mark.parametrize(
    ("with_gs", "lot_read"),
    [
        (f"]d2{AMOXICILLIN_GTIN}1728113010LOT7\x1d30100", "LOT7"),  # then a quantity
        (f"]d2{AMOXICILLIN_GTIN}172811301012AB\x1d21SER99", "12AB"),  # then a serial
        (f"]d2{AMOXICILLIN_GTIN}172811301012AB\x1d71012345678", "12AB"),  # national number
    ],
)
def test_fields_swallowed_by_a_lot_whose_separator_was_lost_are_flagged(
    with_gs: str, lot_read: str
) -> None:
    assert scan(with_gs).lot == lot_read
    assert not has_problem(scan(with_gs), "may run into")
    without_gs = scan(with_gs.replace("\x1d", ""))
    assert without_gs.lot != lot_read  # the code itself cannot say where the lot ended
    assert has_problem(without_gs, "may run into other fields")


def test_a_gtin_and_expiry_swallowed_by_a_lot_put_first_are_recovered_and_said() -> None:
    result = scan(f"]d21012ABC{AMOXICILLIN_GTIN}17281130")
    assert (result.gtin, result.lot, result.expiry) == (
        "08800154310022",
        "12ABC",
        date(2028, 11, 30),
    )
    assert has_problem(result, "separator was missing")
    assert has_problem(result, "(01)08800154310022")


@pytest.mark.parametrize(
    ("typed", "not_read"),
    [
        ("(01)08800154310022(17)281130(10)K(552)", "(552)"),
        ("(01)08800154310022(10)A(B)", "(B)"),
        ("(01)08800154310022(10)A(21", "(21"),
    ],
)
def test_hand_typed_brackets_are_read_in_full_or_refused(typed: str, not_read: str) -> None:
    # biip skips a bracketed part it cannot read: lot "K" would be a silent misreading.
    with pytest.raises(ScanError) as refused:
        scan(typed)
    assert not_read in str(refused.value)


def test_hand_typed_brackets_with_spaces_are_read() -> None:
    result = scan(" (01) 06141410000410 (17) 270531 (10) K-552 ")
    assert (result.gtin, result.expiry, result.lot) == (
        "06141410000410",
        date(2027, 5, 31),
        "K-552",
    )


def test_ean_typed_with_the_spaces_printed_under_it_is_read() -> None:
    assert scan("3 760100 001235").gtin == "03760100001235"


def test_result_hri_reads_back_to_the_same_result() -> None:
    first = scan(f"]d2{PARACETAMOL}\x1d21SN42")
    again = scan(first.hri)
    assert (again.gtin, again.lot, again.expiry, again.serial) == (
        first.gtin,
        first.lot,
        first.expiry,
        first.serial,
    )


# --- a scanner set to US typing on a French AZERTY computer -------------------------------

# What each US key the scanner presses prints on a French AZERTY keyboard.
US_TO_AZERTY = {
    "1": "&",
    "2": "é",
    "3": '"',
    "4": "'",
    "5": "(",
    "6": "-",
    "7": "è",
    "8": "_",
    "9": "ç",
    "0": "à",
    "-": ")",
    "A": "Q",
    "Q": "A",
    "Z": "W",
    "W": "Z",
    "M": "?",
    "]": "$",
}


def on_azerty(text: str) -> str:
    return "".join(US_TO_AZERTY.get(ch, ch) for ch in text)


def test_azerty_typed_scan_is_repaired_and_the_layout_problem_reported() -> None:
    typed = on_azerty("]d2" + PARACETAMOL)
    assert typed.startswith("$déà&à")
    result = scan(typed)
    assert (result.gtin, result.expiry, result.lot) == (
        "03614142000018",
        date(2027, 6, 30),
        "LOT2024A",
    )
    assert result.symbology == "]d2"
    assert has_problem(result, "keyboard layout")


def test_azerty_typed_lot_with_a_dash_and_swapped_letters_is_repaired() -> None:
    typed = on_azerty("010614141000041017270531" + "10QZM-552")
    assert typed.endswith("AW?)((é")
    result = scan(typed)
    assert (result.gtin, result.lot) == ("06141410000410", "QZM-552")


def test_azerty_typed_plain_ean_is_repaired() -> None:
    result = scan(on_azerty("3760100001235"))
    assert result.gtin == "03760100001235"
    assert has_problem(result, "keyboard layout")


def test_real_lot_with_accent_is_never_translated_into_digits() -> None:
    # Digits are present, so this is no AZERTY accident; "é" cannot be in a GS1
    # code, so it is refused — never silently read as lot "LOT2".
    error = refused("010361414200001817270630\x1d10LOTé")
    assert error.reason == "bad_characters"
    assert "é" in str(error)


def test_lot_with_characters_that_azerty_uses_for_digits_is_left_alone() -> None:
    assert scan("01036141420000181727063010A-&B'_(").lot == "A-&B'_("


def test_azerty_typed_garbage_says_to_fix_the_scanner_layout() -> None:
    error = refused("&é\"'(-è_çà&é\"'")
    assert error.reason == "keyboard_layout"
    assert "AZERTY" in str(error)


def test_a_few_azerty_characters_are_just_unreadable_text() -> None:
    assert refused("&é-").reason != "keyboard_layout"


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", "\x1d", "\x1d\x1d\n"])
def test_empty_scan_is_refused(raw: str) -> None:
    error = refused(raw)
    assert error.reason == "empty"
    assert "Nothing was scanned" in str(error)


@pytest.mark.parametrize("raw", ["hello", "!!!!", "0", "12345", "ABC-123", "()", "(99", "http://"])
def test_garbage_is_refused(raw: str) -> None:
    refused(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "3760100001234",
        "]E03760100001234",
        "01036141420000191727063010LOT2024A",
        "(01)06141410000411(17)270531(10)K-552",
    ],
)
def test_wrong_check_digit_is_refused_everywhere_and_never_guessed(raw: str) -> None:
    error = refused(raw)
    assert error.reason == "check_digit"
    assert str(error) == WRONG_CHECK_DIGIT


def test_gs1_message_without_gtin_is_refused() -> None:
    error = refused("]d21727063010LOT2024A")
    assert error.reason == "no_gtin"
    assert "GTIN" in str(error)


def test_pallet_label_sscc_is_refused_as_not_a_product() -> None:
    assert refused("]C100106141411234567897").reason == "shipping_unit"


@pytest.mark.parametrize(
    "raw", ["010361414200001817270230", "01036141420000181727133110LOT", "010361414200001817000000"]
)
def test_impossible_expiry_date_is_refused(raw: str) -> None:
    error = refused(raw)
    assert error.reason == "bad_date"
    assert "not a real date" in str(error)


def test_code_cut_short_in_the_date_is_refused() -> None:
    assert refused("01036141420000181727").reason == "cut_short"


@pytest.mark.parametrize("raw", ["0103614142000018172706301", PARACETAMOL + "\x1d!!"])
def test_trailing_garbage_is_refused(raw: str) -> None:
    error = refused(raw)
    assert error.reason == "trailing_garbage"
    assert "(01)03614142000018" in str(error)


def test_two_different_gtins_in_one_code_are_refused() -> None:
    assert refused("0103614142000018\x1d0108800154310022").reason == "conflicting"


def test_very_long_input_is_refused_quickly() -> None:
    assert refused("0" * 100_000).reason == "too_long"
    assert refused(PARACETAMOL * 20).reason == "too_long"
    assert len(PARACETAMOL * 11) <= MAX_SCAN_CHARS  # long but one code's worth is read on


@pytest.mark.parametrize(
    "raw",
    [
        "٠١٠٣٦١٤١٤٢٠٠٠٠١٨",
        "０３６１４１４２０００００１８",
        "0103614142000018\x00",
        "01036141420000181727063010LOT\u200b",
        "💊💊💊",
        "0103614142000018😀",
        "\ufeff3760100001235",
    ],
)
def test_unicode_junk_is_refused_as_characters_no_barcode_holds(raw: str) -> None:
    assert refused(raw).reason in {"bad_characters", "unreadable"}


# --- things the storekeeper must look at ------------------------------------------------


def test_expired_lot_is_read_and_flagged() -> None:
    result = scan(PARACETAMOL, today=date(2027, 7, 1))
    assert result.expiry == date(2027, 6, 30)
    assert has_problem(result, "expired on 30/06/2027")


def test_lot_expiring_within_ninety_days_is_flagged() -> None:
    result = scan(PARACETAMOL, today=date(2027, 5, 1))
    assert has_problem(result, "expires in 60 days")


def test_lot_expiring_today_is_flagged_as_today_not_expired() -> None:
    result = scan(PARACETAMOL, today=date(2027, 6, 30))
    assert has_problem(result, "expires today")
    assert not has_problem(result, "expired on")


def test_expiry_day_00_is_the_last_day_of_the_month_even_in_a_leap_year() -> None:
    assert scan("010376010000456417280200107Q").expiry == date(2028, 2, 29)
    assert scan("010376010000456417270200107Q").expiry == date(2027, 2, 28)


def test_far_expiry_is_flagged_as_unusual() -> None:
    result = scan("01036141420000181772063010LOT")
    assert has_problem(result, "unusual")


def test_gs1_code_without_lot_or_expiry_asks_to_type_them() -> None:
    result = scan("0103614142000018")
    assert has_problem(result, "no lot number")
    assert has_problem(result, "no expiry date")


def test_best_before_instead_of_expiry_is_flagged() -> None:
    result = scan("01036141420000181527063010LOT")
    assert result.expiry is None
    assert has_problem(result, "best-before")


def test_isbn_is_read_but_flagged_as_a_book() -> None:
    result = scan("9780306406157")
    assert result.gtin == "09780306406157"
    assert has_problem(result, "book")


def test_restricted_circulation_number_is_flagged() -> None:
    assert has_problem(scan("2012345678903"), "restricted circulation")


def test_unusual_fields_are_named() -> None:
    result = scan(PARACETAMOL + "\x1d4200123")  # (420) ship-to postal code
    assert has_problem(result, "(420)")


# --- properties -------------------------------------------------------------------------


@given(st.text(max_size=600))
@settings(max_examples=400, deadline=None)
def test_parse_scan_raises_nothing_but_scan_error_on_any_text(raw: str) -> None:
    try:
        result = parse_scan(raw, today=TODAY)
    except ScanError as error:
        message = str(error.message)
    else:
        message = result.gtin
        assert len(result.gtin) == 14
        assert result.gtin.isascii()
        assert result.gtin.isdigit()
    assert message


GS1_ALPHABET = st.sampled_from(
    list("0123456789") * 4 + list("ABXZaqé&\"'(-è_çà()]dCQe<>") + ["\x1d", "\\x1d", " ", "\n"]
)


@given(st.lists(GS1_ALPHABET, max_size=60).map("".join))
@settings(max_examples=300, deadline=None)
def test_parse_scan_on_barcode_like_text_returns_a_valid_gtin_or_refuses(raw: str) -> None:
    for candidate in (raw, "01" + raw, "]d201036141420000181727063010" + raw):
        try:
            result = parse_scan(candidate, today=TODAY)
        except ScanError:
            continue
        digits = [int(d) for d in result.gtin]
        weighted = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits[:-1]))
        assert (10 - weighted % 10) % 10 == digits[-1]
        assert result.lot is None or 1 <= len(result.lot) <= 20
        for problem in result.problems:
            assert str(problem)


# --- house rule ---------------------------------------------------------------------------


def test_only_the_scanning_module_uses_biip() -> None:
    users = []
    for path in (ROOT / "clinic_app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(name.split(".")[0] == "biip" for name in names):
                users.append(path.relative_to(ROOT).as_posix())
    assert set(users) == {"clinic_app/inventory/scanning.py"}
