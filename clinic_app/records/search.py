"""Accent-, case- and order-insensitive search keys for names and codes.

A record's ``search_key`` is its normalised tokens, each preceded by a space,
so a query token matches the *start* of any word with ``instr(key, ' ' || t)``:
no LIKE pattern, hence no wildcard a user could type by accident ("100%" or
"O'Brien" are looked for literally).

Normalisation: Unicode NFKD, accents dropped, case folded; apostrophes vanish
(N'Guessan -> nguessan); hyphens and other separators split words, and a
hyphenated name is also kept whole (Kouassi-Yao -> kouassi yao kouassiyao).
Any other character is kept as it is and must be matched literally.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = "'’ʼ‘`´"
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.,;:/()\[\]]+")


def fold(text: str) -> str:
    """Lower-case, accent-free, apostrophe-free form of ``text``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = stripped.casefold()
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
        for chunk in fold(value).split():
            parts = [part for part in _SEPARATORS.split(chunk) if part]
            words.extend(parts)
            if len(parts) > 1:
                words.append("".join(parts))
    unique = list(dict.fromkeys(words))
    return " " + " ".join(unique) + " " if unique else " "


def query_tokens(query: str, *, limit: int = 8) -> list[str]:
    """The words of a search box, at most ``limit`` (a runaway paste stays cheap)."""
    return list(dict.fromkeys(tokens(query)))[:limit]


def token_clause(column: str, count: int) -> str:
    """SQL that requires each of ``count`` bound tokens to start a word of ``column``."""
    return " AND ".join([f"instr({column}, ' ' || ?) > 0"] * count) or "1"
