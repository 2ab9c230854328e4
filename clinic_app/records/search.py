"""Accent-, case- and order-insensitive search keys for names and codes.

A record's ``search_key`` is its normalised tokens, each preceded by a space,
so a query token matches the *start* of any word with ``instr(key, ' ' || t)``:
no LIKE pattern, hence no wildcard a user could type by accident ("100%" or
"O'Brien" are looked for literally).

Normalisation: Unicode NFKD, accents dropped, case folded. In a query,
apostrophes vanish (N'Guessan -> nguessan) and separators split words. In a
record's key, apostrophes, hyphens and other separators split words, and a
compound name is also kept whole (Kouassi-Yao -> kouassi yao kouassiyao;
N'Guessan -> n guessan nguessan), so "nguessan", "n guessan", "N'Guessan" and
"guessan" all find it. Any other character is kept as it is and must be
matched literally.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = "'’ʼ‘`´"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.,;:/()\[\]]+")


_WORD_PARTS = re.compile(r"[\s\-‐‑‒–—_.,;:/()\[\]" + _APOSTROPHES + "]+")


def _fold_case_and_accents(text: str) -> str:
    # Invisible format characters (a zero-width space or soft hyphen pasted with a
    # name) are dropped: stored text refuses them (``validation``), so a query that
    # kept them would find nobody.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        ch
        for ch in decomposed
        if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    ).casefold()


def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free form of ``text``."""
    folded = _fold_case_and_accents(text)
    for mark in _APOSTROPHES:
        folded = folded.replace(mark, "")
    return folded


def tokens(text: str) -> list[str]:
    """The words of ``text`` after folding, in order, without empties."""
    return [part for part in _SEPARATORS.split(fold(text)) if part]


def index_key(*fields: str | None) -> str:
    """The ``search_key`` stored with a record: every word, and joined compound words."""
    words: list[str] = []
    for value in fields:
        if not value:
            continue
        for chunk in _fold_case_and_accents(value).split():
            parts = [part for part in _WORD_PARTS.split(chunk) if part]
            words.extend(parts)
            if len(parts) > 1:
                words.append("".join(parts))
    unique = list(dict.fromkeys(words))
    return " " + " ".join(unique) + " " if unique else " "


def patient_search_key(
    given_name: str, family_name: str, national_id_key: str | None, phone: str | None
) -> str:
    """A patient's ``search_key``: the names, the compact national number, the phone's
    digits (a search by phone matches these digits anywhere: ``records.patients``)."""
    return index_key(given_name, family_name, national_id_key, phone_digits(phone or ""))


def ascii_digits(text: str) -> str:
    """``text`` with any decimal digit (Arabic-Indic, fullwidth) written 0-9."""
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def phone_digits(text: str) -> str:
    """The digits of ``text`` as ASCII (Arabic-Indic or fullwidth digits included)."""
    return "".join(ch for ch in ascii_digits(text) if "0" <= ch <= "9")


PHONE_MARKS = " ().-+/"
"""What a phone number may hold besides its digits (``records.patients`` checks it)."""

_NATIONAL_DIGITS = 9  # the shortest number compared without the prefix that differs
_PREFIX_DIGITS = 4  # a country code (1 to 3 digits) and the trunk zero it replaces


def phone_matches(stored: str, typed: str) -> bool:
    """Whether the phone number ``stored`` is the one whose digits were ``typed``.

    The digits typed are part of it ("63 47 12"), or the two differ only by a
    country code or the trunk zero it replaces ("+225 0134634712", "00225
    0134634712" and "0134634712"; "+33 6 12 34 56 78" and "06 12 34 56 78").
    Every other digit must agree, so 07 11 22 33 44 does not find 05 11 22 33
    44, nor does an old eight-digit number find the ten-digit ones that end
    with it, nor do digits typed before a number (at most a country code and
    a zero may stand there).
    """
    have, want = (_without_exit_code(phone_digits(text)) for text in (stored, typed))
    if not have or not want:
        return False
    return want in have or _same_but_prefix(have, want) or _same_but_prefix(want, have)


def _without_exit_code(digits: str) -> str:
    return digits[2:] if digits.startswith("00") else digits  # 00225 … is +225 …


def _same_but_prefix(longer: str, shorter: str) -> bool:
    core = shorter.lstrip("0")
    return (
        len(core) >= _NATIONAL_DIGITS
        and longer.endswith(core)
        and len(longer) - len(core) <= _PREFIX_DIGITS
    )


PHONE_CLUE_DIGITS = 6
"""Every number :func:`phone_matches` accepts holds the last six digits typed: the
search looks for them in ``search_key`` (which holds the phone's digits) first."""


def query_tokens(query: str, *, limit: int = 8) -> list[str]:
    """The words of a search box, at most ``limit`` (a runaway paste stays cheap)."""
    return list(dict.fromkeys(tokens(query)))[:limit]


def token_clause(column: str, count: int) -> str:
    """SQL that requires each of ``count`` bound tokens to start a word of ``column``."""
    return " AND ".join([f"instr({column}, ' ' || ?) > 0"] * count) or "1"
