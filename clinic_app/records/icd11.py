"""ICD-11 MMS codes: the WHO list, loaded into the clinic database, and its search.

WHO's titles are stored and shown unmodified (CC BY-ND 3.0 IGO); the French
words a clinic uses reach codes through the project's own alias list, kept in
a separate table and never mixed into WHO's titles. An institution can import
another release or language of WHO's "SimpleTabulation" file with
``import_icd11_tsv``.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.records.search import fold, index_key, query_tokens, token_clause
from clinic_app.resources import resource_path
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Tx

ICD11_SYSTEM = "http://id.who.int/icd/release/11/mms"
ICD11_VERSION = "2024-01"
ATTRIBUTION = "ICD-11 MMS 2024-01 © World Health Organization, CC BY-ND 3.0 IGO"
BUNDLED_FILE = ("icd11", "icd11-mms-2024-01-en.tsv.gz")
BUNDLED_ALIASES = (("icd11", "aliases-fr.tsv"), "fr")
_REQUIRED_COLUMNS = {"code", "title", "class_kind", "chapter", "is_leaf", "linearization_uri"}


@dataclass(frozen=True)
class Icd11Code:
    code: str
    title: str
    alias: str  # the project's own word that found it, or ""


def _rows(handle: io.TextIOBase) -> Iterator[tuple[str, str, str, int, str, str]]:
    reader = csv.DictReader(handle, delimiter="\t")
    if not reader.fieldnames or not set(reader.fieldnames) >= _REQUIRED_COLUMNS:
        raise InvalidInput(
            QT_TRANSLATE_NOOP(
                "errors",
                "This file is not a WHO ICD-11 tabulation (columns code, title, class_kind...).",
            ),
            field="file",
        )
    for row in reader:
        code = (row["code"] or "").strip()
        if not code or row["class_kind"] != "category":
            continue
        title = row["title"]
        yield (
            code,
            title,
            row["chapter"],
            int(row["is_leaf"] == "True"),
            row["linearization_uri"],
            index_key(code, title),
        )


def _replace_codes(tx: Tx, rows: Iterator[tuple[str, str, str, int, str, str]]) -> int:
    tx.execute("DELETE FROM icd11_codes")
    count = 0
    for batch in _chunks(rows, 2000):
        tx.conn.executemany(
            "INSERT INTO icd11_codes (code, title, chapter, is_leaf, uri, search_key) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            batch,
        )
        count += len(batch)
    return count


def _chunks(
    rows: Iterator[tuple[str, str, str, int, str, str]], size: int
) -> Iterator[list[tuple[str, str, str, int, str, str]]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_aliases(tx: Tx, path: Path, language: str) -> int:
    tx.execute("DELETE FROM icd11_aliases WHERE language = ?", (language,))
    count = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, code = (part.strip() for part in line.split("\t")[:2])
        tx.execute(
            "INSERT OR IGNORE INTO icd11_aliases (alias, language, code, search_key) "
            "VALUES (?, ?, ?, ?)",
            (alias, language, code, index_key(alias)),
        )
        count += 1
    return count


def load_bundled_icd11(tx: Tx) -> int:
    """Fill the code tables from the files shipped with the program (first start)."""
    with gzip.open(resource_path(*BUNDLED_FILE), "rt", encoding="utf-8", newline="") as handle:
        count = _replace_codes(tx, _rows(handle))
    alias_parts, language = BUNDLED_ALIASES
    load_aliases(tx, resource_path(*alias_parts), language)
    return count


def import_icd11_tsv(session: Session, path: Path) -> int:
    """Replace the code list with an institution's own WHO file (another release or language)."""
    session.require(Action.MANAGE_SETTINGS)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with (
            opener(path, "rt", encoding="utf-8", newline="") as handle,
            session.transaction() as tx,
        ):
            count = _replace_codes(tx, _rows(handle))
            if count == 0:
                raise InvalidInput(
                    QT_TRANSLATE_NOOP("errors", "The file holds no ICD-11 codes."), field="file"
                )
            session.audit(tx, "import_icd11", object_kind="code_list", object_id=path.name)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The file could not be read: {reason}"),
            field="file",
            reason=type(exc).__name__,
        ) from exc
    return count


def search_icd11(session: Session, query: str, *, limit: int = 30) -> list[Icd11Code]:
    """Codes whose code, WHO title or a clinic alias starts with every word of ``query``.

    Alias hits come first (the word the clinic uses), then exact code, then
    leaf categories before their parents, shortest title first.
    """
    session.require(Action.DIAGNOSE)
    words = query_tokens(query)
    if not words:
        return []
    results: dict[str, Icd11Code] = {}
    alias_rows = session.store.all(
        "SELECT a.alias, c.code, c.title FROM icd11_aliases a "
        "JOIN icd11_codes c ON c.code = a.code WHERE "
        + token_clause("a.search_key", len(words))
        + " ORDER BY length(a.alias) LIMIT ?",
        (*words, limit),
    )
    for row in alias_rows:
        results.setdefault(row["code"], Icd11Code(row["code"], row["title"], row["alias"]))
    folded_query = fold(query.strip())
    code_rows = session.store.all(
        "SELECT code, title FROM icd11_codes WHERE "
        + token_clause("search_key", len(words))
        + " ORDER BY lower(code) = ? DESC, chapter >= 'V', is_leaf DESC, length(title) "
        "LIMIT ?",
        (*words, folded_query, limit),
    )
    for row in code_rows:
        results.setdefault(row["code"], Icd11Code(row["code"], row["title"], ""))
    return list(results.values())[:limit]


def icd11_title(session: Session, code: str) -> str | None:
    row = session.store.one("SELECT title FROM icd11_codes WHERE code = ?", (code,))
    return str(row["title"]) if row else None
