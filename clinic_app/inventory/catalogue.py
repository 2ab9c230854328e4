"""The drug catalogue: master data owned by central, read by the clinic.

Each item's id is derived from its GTIN (``stable_id``), so the same product
has the same id on every clinic and at central, whoever loaded it first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from clinic_app.clock import to_iso, utc_now
from clinic_app.ids import stable_id
from clinic_app.session import Session
from clinic_app.storage.store import Row, Tx

CATALOGUE_COLUMNS = ("gtin", "name", "form", "strength", "atc", "unit", "reorder_level")
_SYMBOLS = {"mcg", "µg", "ui", "iu", "ml", "mg"}


def counted_unit(quantity: int, unit: str) -> str:
    """The catalogue's unit (a noun: comprimé, gélule, flacon) as it reads after
    ``quantity``: "1 comprimé", "15 comprimés", "2 ampoules".

    Units are catalogue data with no plural of their own; the regular French
    (and English) plural is made: an "s" on each word of letters, except words
    already ending in s, x or z and unit symbols (ml, UI).
    """
    if quantity < 2:
        return unit

    def plural(word: str) -> str:
        if (
            len(word) < 3
            or not word.isalpha()
            or not word.islower()
            or word in _SYMBOLS
            or word[-1] in "sxz"
        ):
            return word
        return word + "s"

    return " ".join(plural(word) for word in unit.split(" "))


@dataclass(frozen=True)
class CatalogueItem:
    id: str
    gtin: str
    name: str
    form: str
    strength: str
    atc: str
    unit: str
    reorder_level: int

    @property
    def label(self) -> str:
        return f"{self.name} {self.strength} ({self.form})"

    @classmethod
    def from_row(cls, row: Row | dict[str, object]) -> CatalogueItem:
        return cls(
            id=str(row["id"]),
            gtin=str(row["gtin"]),
            name=str(row["name"]),
            form=str(row["form"]),
            strength=str(row["strength"]),
            atc=str(row["atc"] or ""),
            unit=str(row["unit"]),
            reorder_level=int(str(row["reorder_level"])),
        )


def read_catalogue_file(path: Path) -> list[dict[str, object]]:
    """Rows of a catalogue TSV (header: gtin name form strength atc unit reorder_level)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        rows: list[dict[str, object]] = []
        for record in reader:
            gtin = record["gtin"].strip().zfill(14)
            rows.append(
                {
                    "id": stable_id("catalogue_item", gtin),
                    "gtin": gtin,
                    "name": record["name"].strip(),
                    "form": record["form"].strip(),
                    "strength": record["strength"].strip(),
                    "atc": record["atc"].strip() or None,
                    "unit": record["unit"].strip(),
                    "reorder_level": int(record["reorder_level"] or 0),
                    "active": 1,
                    "updated_at": to_iso(utc_now()),
                }
            )
        return rows


def upsert_catalogue_items(tx: Tx, rows: Iterable[dict[str, object]]) -> int:
    """Insert or update master-data rows by id (no outbox: the clinic never pushes them)."""
    count = 0
    for row in rows:
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "id")
        tx.execute(
            f"INSERT INTO catalogue_items ({columns}) VALUES ({marks}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            row,
        )
        count += 1
    return count


def list_catalogue(session: Session) -> list[CatalogueItem]:
    rows = session.store.all(
        "SELECT * FROM catalogue_items WHERE active = 1 ORDER BY name, strength"
    )
    return [CatalogueItem.from_row(row) for row in rows]


def find_by_gtin(session: Session, gtin: str) -> CatalogueItem | None:
    row = session.store.one("SELECT * FROM catalogue_items WHERE gtin = ?", (gtin.zfill(14),))
    return CatalogueItem.from_row(row) if row is not None else None


def get_item(session: Session, item_id: str) -> CatalogueItem | None:
    row = session.store.one("SELECT * FROM catalogue_items WHERE id = ?", (item_id,))
    return CatalogueItem.from_row(row) if row is not None else None
