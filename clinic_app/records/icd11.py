"""ICD-11 MMS codes: the WHO list, loaded into the clinic database, and its search.

WHO's titles are stored and shown unmodified (CC BY-ND 3.0 IGO); the French
words a clinic uses reach codes through the project's own alias list, kept in
a separate table and never mixed into WHO's titles. An institution can import
another release or language of WHO's "SimpleTabulation" file with
``import_icd11_tsv``.

Central distributes the list too (``clinic_app.sync.masterdata``): a clinic
installs central's version with :func:`install_icd11_artefact`, in one
transaction, and ``code_lists`` remembers which list is installed (by the
SHA-256 of its rows) whatever brought it: the bundled file, an imported file,
or central. The alias list is never touched by a new list: an alias whose code
the new list lacks simply finds nothing.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clinic_app.clock import to_iso, utc_now
from clinic_app.errors import ClinicError, InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.records.icd11_tabulation import (
    BUNDLED_FILE,
    Icd11Row,
    read_artefact,
    read_icd11_rows,
    release_from_name,
    table_content_sha256,
)
from clinic_app.records.search import fold, index_key, query_tokens, token_clause
from clinic_app.resources import resource_path
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Store, Tx

ICD11_SYSTEM = "http://id.who.int/icd/release/11/mms"
ICD11_VERSION = "2024-01"
ATTRIBUTION = "ICD-11 MMS 2024-01 © World Health Organization, CC BY-ND 3.0 IGO"
BUNDLED_ALIASES = (("icd11", "aliases-fr.tsv"), "fr")
CODE_LIST = "icd11"  # its name in ``code_lists`` and at central


class CodeListDamaged(ClinicError):
    """A code list from central did not match its checksum or could not be read."""

    template = QT_TRANSLATE_NOOP(
        "errors",
        "The ICD-11 list received from central is damaged ({detail}); it was not installed "
        "and the clinic keeps its current list. Sync will download it again.",
    )


@dataclass(frozen=True)
class InstalledCodeList:
    """Which list ``icd11_codes`` holds, and where it came from."""

    name: str
    release: str
    language: str
    entries: int
    content_sha256: str
    source: str  # bundled, file, central, local (recorded by the schema upgrade)
    version: int | None  # central's version number when it came from central
    installed_at: str


@dataclass(frozen=True)
class Icd11Code:
    code: str
    title: str
    alias: str  # the project's own word that found it, or ""


_rows = read_icd11_rows  # the one reader, shared with central (icd11_tabulation)


def _replace_codes(tx: Tx, rows: Iterator[Icd11Row]) -> int:
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


def _record_code_list(
    tx: Tx,
    *,
    entries: int,
    release: str,
    language: str,
    source: str,
    version: int | None = None,
) -> str:
    """Note which list ``icd11_codes`` now holds (in the replacing transaction); its hash."""
    digest = table_content_sha256(tx.conn)
    tx.execute(
        "INSERT INTO code_lists (name, release, language, entries, content_sha256, source, "
        "version, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
        "release = excluded.release, language = excluded.language, entries = excluded.entries, "
        "content_sha256 = excluded.content_sha256, source = excluded.source, "
        "version = excluded.version, installed_at = excluded.installed_at",
        (CODE_LIST, release, language, entries, digest, source, version, to_iso(utc_now())),
    )
    return digest


def installed_code_list(store: Store | Tx, name: str = CODE_LIST) -> InstalledCodeList | None:
    """The list ``icd11_codes`` holds, or None (a database older than schema step 6 had none)."""
    row = store.one("SELECT * FROM code_lists WHERE name = ?", (name,))
    if row is None:
        return None
    return InstalledCodeList(
        name=row["name"],
        release=row["release"],
        language=row["language"],
        entries=int(row["entries"]),
        content_sha256=row["content_sha256"],
        source=row["source"],
        version=int(row["version"]) if row["version"] is not None else None,
        installed_at=row["installed_at"],
    )


def install_icd11_artefact(
    tx: Tx,
    data: bytes,
    *,
    content_sha256: str,
    version: int,
    release: str,
    language: str,
) -> int:
    """Replace the code list with central's artefact inside ``tx``; return the number of codes.

    The caller has checked the artefact's own SHA-256. Its rows must also hash
    to ``content_sha256`` (what central announced), else ``CodeListDamaged``
    is raised and the caller's transaction rolls back: never half installed.
    """
    try:
        rows = read_artefact(data)
    except (ValueError, InvalidInput, csv.Error) as exc:
        raise CodeListDamaged(detail="unreadable") from exc
    if not rows:
        raise CodeListDamaged(detail="empty")
    count = _replace_codes(tx, iter(rows))
    digest = _record_code_list(
        tx, entries=count, release=release, language=language, source="central", version=version
    )
    if digest != content_sha256:
        raise CodeListDamaged(detail="content checksum")
    return count


def _chunks(rows: Iterator[Icd11Row], size: int) -> Iterator[list[Icd11Row]]:
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
    release, language = release_from_name(BUNDLED_FILE[1])
    _record_code_list(tx, entries=count, release=release, language=language, source="bundled")
    alias_parts, alias_language = BUNDLED_ALIASES
    load_aliases(tx, resource_path(*alias_parts), alias_language)
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
            release, language = release_from_name(path.name)
            _record_code_list(tx, entries=count, release=release, language=language, source="file")
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
