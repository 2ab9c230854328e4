"""WHO's ICD-11 "SimpleTabulation" file: the one reader, and the code-list artefact central serves.

Plain Python (no database, no Qt): the clinic reads its bundled list and an
institution's own file with :func:`read_icd11_rows`, and central reads the
list it seeds with the very same function (``clinic-central seed-icd11``).

The artefact central serves is a gzip-compressed TSV in the same tabulation
format, trimmed to what a clinic stores (coded categories; the columns
``code, title, class_kind, chapter, is_leaf, linearization_uri``): 0.63 MB
instead of the 0.80 MB of the whole WHO file. It is made byte for byte the
same from the same rows (gzip without a time stamp), so its SHA-256 names it.

A list's *content* is named apart from its file by :func:`content_sha256`: the
SHA-256 of its rows sorted by code. The clinic computes it over its table,
central over the rows it read; equal hashes mean the clinic has the list
already, whichever file brought it.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.records.search import index_key


@dataclass(frozen=True)
class CodeListVersion:
    """One version of a code list as central announces it (``GET /api/v1/master-data``):
    the same fields at both ends, the artefact's bytes apart."""

    name: str
    version: int
    release: str
    language: str
    entries: int
    content_sha256: str  # of the rows (content_sha256 below): "the clinic holds it already"
    sha256: str  # of the artefact's bytes: checks the download
    size: int

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


REQUIRED_COLUMNS = frozenset(
    {"code", "title", "class_kind", "chapter", "is_leaf", "linearization_uri"}
)
# The list the clinic program ships (``resources/icd11``), a resource path.
BUNDLED_FILE = ("icd11", "icd11-mms-2024-01-en.tsv.gz")
ARTEFACT_COLUMNS = ("code", "title", "class_kind", "chapter", "is_leaf", "linearization_uri")
# WHO's file names: icd11-mms-2024-01-en.tsv(.gz)
_RELEASE_IN_NAME = re.compile(r"icd11-mms-(\d{4}-\d{2})-([a-z]{2,3})\b", re.IGNORECASE)

# (code, title, chapter, is_leaf, uri, search_key): one row of the clinic's icd11_codes.
Icd11Row = tuple[str, str, str, int, str, str]


def read_icd11_rows(handle: Iterable[str]) -> Iterator[Icd11Row]:
    """The coded categories of a WHO tabulation, as rows of ``icd11_codes``.

    Raises ``InvalidInput`` when the columns are not WHO's.
    """
    reader = csv.DictReader(handle, delimiter="\t")
    if not reader.fieldnames or not set(reader.fieldnames) >= REQUIRED_COLUMNS:
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


def _canonical_lines(rows: Iterable[Sequence[Any]]) -> list[bytes]:
    """``code\\ttitle\\tchapter\\tis_leaf\\turi\\n`` per row, sorted by code (UTF-8)."""
    lines = [
        "\t".join((str(r[0]), str(r[1]), str(r[2]), str(int(r[3])), str(r[4]))).encode("utf-8")
        + b"\n"
        for r in rows
    ]
    lines.sort()  # UTF-8 byte order is code-point order: the same as SQLite's ORDER BY
    return lines


def content_sha256(rows: Iterable[Sequence[Any]]) -> str:
    """The SHA-256 naming a list's content: its (code, title, chapter, is_leaf, uri) rows."""
    digest = hashlib.sha256()
    for line in _canonical_lines(rows):
        digest.update(line)
    return digest.hexdigest()


def table_content_sha256(conn: Any) -> str:
    """:func:`content_sha256` of the clinic's ``icd11_codes`` table (a DB-API connection)."""
    rows = conn.execute(
        "SELECT code, title, chapter, is_leaf, uri FROM icd11_codes ORDER BY code"
    ).fetchall()
    return content_sha256(rows)


def write_artefact(rows: Iterable[Icd11Row]) -> bytes:
    """The gzip-compressed tabulation central serves; the same rows give the same bytes."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(ARTEFACT_COLUMNS)
    for code, title, chapter, is_leaf, uri, _key in rows:
        writer.writerow((code, title, "category", chapter, "True" if is_leaf else "False", uri))
    return gzip.compress(text.getvalue().encode("utf-8"), compresslevel=9, mtime=0)


def read_artefact(data: bytes) -> list[Icd11Row]:
    """The rows of an artefact; ``InvalidInput`` or ``ValueError`` if it is not one."""
    try:
        text = gzip.decompress(data).decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise ValueError("not a gzip-compressed UTF-8 tabulation") from exc
    return list(read_icd11_rows(io.StringIO(text, newline="")))


def release_from_name(name: str) -> tuple[str, str]:
    """``("2024-01", "en")`` from WHO's file name ``icd11-mms-2024-01-en.tsv``, else empty."""
    found = _RELEASE_IN_NAME.search(name)
    if found is None:
        return "", ""
    return found.group(1), found.group(2).lower()
