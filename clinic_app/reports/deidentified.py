"""De-identified CSV exports for statistics (the admin's "Export" button).

What leaves the clinic, and what does not:

* No names, phone numbers, villages, and no free text at all: complaints,
  notes, allergy reactions, doses and frequencies as typed, stock movement
  reasons, review notes. Free text can hold anything, so none of it is
  exported, rather than trying to clean it.
* Identifiers are replaced by keyed pseudonyms: HMAC-SHA256 with a clinic
  secret (``settings.export_pseudonym_secret``, 256 random bits made on
  first use and never exported), over a domain tag and the value, truncated
  to 16 hex digits (64 bits). Patient ids, national numbers, consultation
  and prescription ids each get one; the same value gives the same pseudonym
  in every export of this clinic, so rows can be joined and counted across
  files and over time, but without the secret nobody can test a guessed
  national number against them. Document numbers and staff ids are dropped.
* Birth dates become an age band at the date of the event (0-4, 5-14,
  15-24, 25-44, 45-64, 65+); sex is kept.
* Dates of visits, prescriptions and stock movements stay as calendar dates
  (the clinic's local date): statistics need them (epidemic curves, monthly
  consumption). Combined with age band and sex they remain quasi-identifiers
  in a small clinic — the files are for the institution's statisticians, not
  for publication.
* Codes stay: ICD-11 code and WHO title, LOINC-coded vital signs (one column
  per code), drug GTIN, ATC, name, form and strength, lot and expiry.

Files (UTF-8, comma-separated, a header row) are written atomically
(temporary file, fsync, rename) with mode 0600. The export is audited
(``export_deidentified``) with the row count of each file.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.clock import from_iso, local_date
from clinic_app.records.consultations import BMI_LOINC, VITAL_SIGNS
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.backup import FolderUnavailable, _check_folder, write_atomically
from clinic_app.storage.store import Tx

SECRET_SETTING = "export_pseudonym_secret"
PSEUDONYM_HEX = 16
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 4, "0-4"),
    (5, 14, "5-14"),
    (15, 24, "15-24"),
    (25, 44, "25-44"),
    (45, 64, "45-64"),
    (65, None, "65+"),
)
VITAL_LOINCS: tuple[str, ...] = (*(vital.loinc for vital in VITAL_SIGNS), BMI_LOINC)


def age_band(birth_date: date | None, on: date) -> str:
    """The age band on ``on``; empty when the birth date is unknown."""
    if birth_date is None:
        return ""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return ""


class Pseudonyms:
    """Keyed pseudonyms: the same value and domain always give the same text."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def __call__(self, domain: str, value: str | None) -> str:
        if not value:
            return ""
        mac = hmac.new(self._secret, f"{domain}|{value}".encode(), hashlib.sha256)
        return mac.hexdigest()[:PSEUDONYM_HEX]


def _secret(tx: Tx) -> bytes:
    row = tx.one("SELECT value FROM settings WHERE key = ?", (SECRET_SETTING,))
    if row is not None:
        return bytes.fromhex(str(row["value"]))
    secret = secrets.token_bytes(32)
    tx.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (SECRET_SETTING, secret.hex()))
    return secret


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return out.getvalue().encode("utf-8"), count


def _birth(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def export_deidentified_csv(session: Session, folder: Path) -> list[Path]:
    """Write the four de-identified CSV files into ``folder``; return their paths."""
    session.require(Action.EXPORT_DEIDENTIFIED)
    folder = _check_folder(folder)
    zone = session.zone
    site = session.store.setting("site_code") or ""
    with session.transaction() as tx:  # one consistent reading, and the secret made once
        pseudo = Pseudonyms(_secret(tx))
        files = {
            "consultations.csv": _consultations(tx, pseudo, site, zone),
            "diagnoses.csv": _diagnoses(tx, pseudo, site, zone),
            "prescriptions.csv": _prescriptions(tx, pseudo, site, zone),
            "stock_movements.csv": _stock_movements(tx, site, zone),
        }
    # All four or none: each is written in a private folder beside them first (a
    # full stick fails there), then the finished files are moved into place.
    try:
        work = Path(tempfile.mkdtemp(prefix=".export-", dir=folder))
    except OSError as exc:
        raise FolderUnavailable(path=str(folder)) from exc
    try:
        for name, (data, _count) in files.items():
            write_atomically(work / name, [data])
        paths = [folder / name for name in files]
        for path in paths:
            os.replace(work / path.name, path)
    except OSError as exc:
        raise FolderUnavailable(path=str(folder)) from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counts = ";".join(f"{name.removesuffix('.csv')}={count}" for name, (_, count) in files.items())
    with session.transaction() as tx:
        session.audit(
            tx, "export_deidentified", object_kind="export", object_id=site, detail=counts
        )
    return paths


def _consultations(tx: Tx, pseudo: Pseudonyms, site: str, zone: Any) -> tuple[bytes, int]:
    encounters = tx.all(
        "SELECT e.id, e.patient_id, e.occurred_at, p.sex, p.birth_date, p.national_id_key "
        "FROM encounters e JOIN patients p ON p.id = e.patient_id ORDER BY e.occurred_at, e.id"
    )
    vitals: dict[str, dict[str, float]] = {}
    for row in tx.all("SELECT encounter_id, loinc, value FROM observations"):
        vitals.setdefault(row["encounter_id"], {})[row["loinc"]] = row["value"]
    header = [
        "clinic",
        "consultation",
        "patient",
        "national_number",
        "sex",
        "age_band",
        "visit_date",
        *(f"loinc_{code}" for code in VITAL_LOINCS),
    ]

    def rows() -> Iterable[list[Any]]:
        for row in encounters:
            day = local_date(from_iso(row["occurred_at"]), zone)
            values = vitals.get(row["id"], {})
            yield [
                site,
                pseudo("encounter", row["id"]),
                pseudo("patient", row["patient_id"]),
                pseudo("national_id", row["national_id_key"]),
                row["sex"],
                age_band(_birth(row["birth_date"]), day),
                day.isoformat(),
                *(values.get(code, "") for code in VITAL_LOINCS),
            ]

    return _csv(header, rows())


def _diagnoses(tx: Tx, pseudo: Pseudonyms, site: str, zone: Any) -> tuple[bytes, int]:
    found = tx.all(
        "SELECT d.encounter_id, d.patient_id, d.system, d.code, "
        "COALESCE(i.title, d.display) AS title, e.occurred_at, p.sex, p.birth_date "
        "FROM diagnoses d JOIN encounters e ON e.id = d.encounter_id "
        "JOIN patients p ON p.id = d.patient_id "
        "LEFT JOIN icd11_codes i ON i.code = d.code "
        "ORDER BY e.occurred_at, d.id"
    )
    header = [
        "clinic",
        "consultation",
        "patient",
        "sex",
        "age_band",
        "visit_date",
        "system",
        "code",
        "title",
    ]

    def rows() -> Iterable[list[Any]]:
        for row in found:
            day = local_date(from_iso(row["occurred_at"]), zone)
            yield [
                site,
                pseudo("encounter", row["encounter_id"]),
                pseudo("patient", row["patient_id"]),
                row["sex"],
                age_band(_birth(row["birth_date"]), day),
                day.isoformat(),
                row["system"],
                row["code"],
                row["title"],
            ]

    return _csv(header, rows())


def _prescriptions(tx: Tx, pseudo: Pseudonyms, site: str, zone: Any) -> tuple[bytes, int]:
    lines = tx.all(
        "SELECT rx.id AS prescription_id, rx.patient_id, rx.encounter_id, rx.issued_at, "
        "p.sex, p.birth_date, c.gtin, c.name, c.form, c.strength, c.atc, c.unit, "
        "i.id AS item_id, i.duration_days, i.quantity, "
        "(SELECT -SUM(m.quantity) FROM stock_movements m "
        " WHERE m.prescription_item_id = i.id AND m.kind = 'dispense') AS dispensed, "
        "(SELECT MIN(m.occurred_at) FROM stock_movements m "
        " WHERE m.prescription_item_id = i.id AND m.kind = 'dispense') AS dispensed_at "
        "FROM prescription_items i JOIN prescriptions rx ON rx.id = i.prescription_id "
        "JOIN patients p ON p.id = rx.patient_id "
        "JOIN catalogue_items c ON c.id = i.catalogue_item_id "
        "ORDER BY rx.issued_at, i.id"
    )
    header = [
        "clinic",
        "prescription",
        "consultation",
        "patient",
        "sex",
        "age_band",
        "prescribed_date",
        "gtin",
        "atc",
        "drug",
        "form",
        "strength",
        "unit",
        "duration_days",
        "quantity_prescribed",
        "quantity_dispensed",
        "dispensed_date",
    ]

    def rows() -> Iterable[list[Any]]:
        for row in lines:
            day = local_date(from_iso(row["issued_at"]), zone)
            dispensed_at = row["dispensed_at"]
            yield [
                site,
                pseudo("prescription", row["prescription_id"]),
                pseudo("encounter", row["encounter_id"]),
                pseudo("patient", row["patient_id"]),
                row["sex"],
                age_band(_birth(row["birth_date"]), day),
                day.isoformat(),
                row["gtin"],
                row["atc"] or "",
                row["name"],
                row["form"],
                row["strength"],
                row["unit"],
                row["duration_days"],
                row["quantity"],
                row["dispensed"] or 0,
                local_date(from_iso(dispensed_at), zone).isoformat() if dispensed_at else "",
            ]

    return _csv(header, rows())


def _stock_movements(tx: Tx, site: str, zone: Any) -> tuple[bytes, int]:
    moves = tx.all(
        "SELECT m.occurred_at, m.kind, m.quantity, m.lot, m.expiry, "
        "c.gtin, c.atc, c.name, c.unit FROM stock_movements m "
        "JOIN catalogue_items c ON c.id = m.catalogue_item_id ORDER BY m.occurred_at, m.id"
    )
    header = ["clinic", "date", "gtin", "atc", "drug", "unit", "lot", "expiry", "kind", "quantity"]

    def rows() -> Iterable[list[Any]]:
        for row in moves:
            yield [
                site,
                local_date(from_iso(row["occurred_at"]), zone).isoformat(),
                row["gtin"],
                row["atc"] or "",
                row["name"],
                row["unit"],
                row["lot"],
                row["expiry"] or "",
                row["kind"],
                row["quantity"],
            ]

    return _csv(header, rows())
