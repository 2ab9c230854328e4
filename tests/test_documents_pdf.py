"""Printed documents, read back: real PDFs from a real clinic, text extracted with
pypdf, pages rasterised with poppler and the QR code decoded with zbar."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import base45
import cbor2
import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from clinic_app.clock import Clock
from clinic_app.documents.labels import LABELS
from clinic_app.documents.pdf import (
    DocumentNotSaved,
    prescription_pdf,
    private_print_dir,
    remove_printed,
    remove_stale_prints,
    sick_leave_pdf,
    verify_printed_code,
)
from clinic_app.documents.signing import PREFIX, ForgedDocument
from clinic_app.errors import PermissionDenied
from clinic_app.inventory.catalogue import read_catalogue_file, upsert_catalogue_items
from clinic_app.records.certificates import (
    SickLeaveCertificate,
    SickLeaveForm,
    issue_sick_leave_certificate,
)
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.records.prescriptions import (
    Prescription,
    PrescriptionLine,
    write_prescription,
)
from clinic_app.resources import resource_path
from clinic_app.security.accounts import MAX_CLINIC_NAME
from clinic_app.session import Session

MALARIA = "1F40.Z"
MALARIA_TITLE = "Malaria due to Plasmodium falciparum, unspecified"
ISSUED = "2026-03-02T09:15:00+00:00"


def at(instant: str) -> Clock:
    moment = datetime.fromisoformat(instant)
    return lambda: moment


def text_of(path: Path) -> str:
    """All the text of the PDF, with line breaks folded to single spaces."""
    pages = PdfReader(path).pages
    return " ".join(" ".join(page.extract_text() or "" for page in pages).split())


def public_key(session: Session) -> str:
    return session.store.setting("signing_public_key") or ""


def register(session: Session, given: str, family: str, national_id: str = "") -> str:
    return register_patient(
        session, PatientForm(given, family, "female", date(1988, 7, 14), national_id)
    ).id


def prescribe(session: Session, patient_id: str, clock: Clock | None = None) -> Prescription:
    with session.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
    drugs: list[Any] = session.store.all("SELECT id FROM catalogue_items ORDER BY name LIMIT 2")
    return write_prescription(
        session,
        patient_id=patient_id,
        encounter_id=None,
        clock=clock or at(ISSUED),
        lines=[
            PrescriptionLine(drugs[0]["id"], "1 comprimé", "3 fois par jour", 5, 15),
            PrescriptionLine(drugs[1]["id"], "2 gélules", "matin & soir", 7, 28),
        ],
    )


def certify(session: Session, patient_id: str, **changes: Any) -> SickLeaveCertificate:
    form = SickLeaveForm(
        patient_id,
        None,
        date(2026, 3, 2),
        5,
        "initial",
        outings_allowed=False,
        diagnosis_code=MALARIA,
    )
    return issue_sick_leave_certificate(session, replace(form, **changes), clock=at(ISSUED))


def print_events(session: Session) -> list[tuple[str, str, str]]:
    rows: list[Any] = session.store.all(
        "SELECT * FROM audit_events WHERE action = 'print_document' ORDER BY rowid"
    )
    return [(row["object_kind"], row["object_id"], row["outcome"]) for row in rows]


def set_timezone(session: Session, zone: str) -> None:
    with session.transaction() as tx:
        tx.execute("UPDATE settings SET value = ? WHERE key = 'timezone'", (zone,))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder for the printed files, apart from the clinic's own data folder."""
    folder = tmp_path / "printed"
    folder.mkdir()
    return folder


# --- prescriptions --------------------------------------------------------------------


def test_prescription_prints_with_names_intact(doctor: Session, out: Path) -> None:
    patient_id = register(doctor, "Zoé", "N'Guessan")
    prescription = prescribe(doctor, patient_id)
    path = prescription_pdf(doctor, prescription.id, out / "ordonnance.pdf")
    text = text_of(path)
    for expected in (
        "ORDONNANCE",
        prescription.number,
        "Centre de santé de Treichville",
        "Site TRV",
        "Dr Awa Koné",
        "N'GUESSAN Zoé",
        "14/07/1988",
        "37 ans",
        "Féminin",
        "Date : 02/03/2026",
        "3 fois par jour",
        "matin & soir",
        "5 j",
        "7 j",
        "15 comprimés",
        "28 comprimés",
    ):
        assert expected in text, expected
    for item in prescription.items:
        assert item.drug_name in text
    assert "DUPLICATA" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in out.iterdir()] == ["ordonnance.pdf"]  # no temp file left
    assert print_events(doctor) == [("prescription", prescription.id, "original")]
    metadata = PdfReader(path).metadata
    assert metadata is not None
    assert metadata.title == f"ORDONNANCE {prescription.number}"


def test_reprinted_prescription_says_duplicata(doctor: Session, out: Path) -> None:
    prescription = prescribe(doctor, register(doctor, "Awa", "Ouédraogo"))
    first = text_of(prescription_pdf(doctor, prescription.id, out / "a.pdf", duplicate=True))
    assert "DUPLICATA" in first
    assert "OUÉDRAOGO Awa" in first
    # A second printing is a duplicate even if the caller forgets to say so.
    again = text_of(prescription_pdf(doctor, prescription.id, out / "b.pdf"))
    assert "DUPLICATA — réimprimé le" in again
    assert [event[2] for event in print_events(doctor)] == ["duplicate", "duplicate"]


@pytest.mark.parametrize(
    ("issued", "printed", "year"),
    [
        ("2026-12-31T22:30:00+00:00", "31/12/2026", 2026),  # 23:30 in Lagos: still 31 December
        ("2026-12-31T23:30:00+00:00", "01/01/2027", 2027),
    ],  # 00:30 in Lagos; UTC says 31/12
)
def test_prescription_date_is_the_clinics_calendar_date(
    doctor: Session, out: Path, issued: str, printed: str, year: int
) -> None:
    set_timezone(doctor, "Africa/Lagos")  # UTC+1 all year
    prescription = prescribe(doctor, register(doctor, "Zoé", "N'Guessan"), clock=at(issued))
    text = text_of(prescription_pdf(doctor, prescription.id, out / "rx.pdf"))
    assert f"Date : {printed}" in text
    assert prescription.number == f"ORD-TRV-{year}-000001"


def test_long_prescription_numbers_its_pages(doctor: Session, out: Path) -> None:
    patient_id = register(doctor, "Kofi", "Mensah")
    prescribe(doctor, patient_id)  # loads the catalogue
    drugs: list[Any] = doctor.store.all("SELECT id FROM catalogue_items ORDER BY name LIMIT 20")
    prescription = write_prescription(
        doctor,
        patient_id=patient_id,
        encounter_id=None,
        clock=at(ISSUED),
        lines=[PrescriptionLine(drug["id"], "1 dose", "2 fois par jour", 5, 10) for drug in drugs],
    )
    pages = PdfReader(prescription_pdf(doctor, prescription.id, out / "rx.pdf")).pages
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Page {number} / {len(pages)}" in text
        assert prescription.number in text  # every page says which prescription it belongs to
        assert "MENSAH Kofi" in text  # and whose it is, should the sheets come apart
    assert "20. " in " ".join(page.extract_text() for page in pages)


def placed_text(path: Path, page: int = 0) -> list[tuple[str, float, float, float, str]]:
    """Each piece of text drawn on the page: (text, x, y, size, font), in drawing order."""
    pieces: list[tuple[str, float, float, float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            font_name = str(font.get("/BaseFont", "")).split("+")[-1] if font else ""
            x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
            pieces.append((text.strip(), x, y, size * tm[0] * cm[0], font_name))

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return pieces


def right_edge(piece: tuple[str, float, float, float, str]) -> float:
    text, x, _, size, font = piece
    return x + pdfmetrics.stringWidth(text, font, size)


@pytest.mark.parametrize(
    "name",
    [
        ("Centre de santé urbain à base communautaire de Yopougon-Attié " * 2)[:MAX_CLINIC_NAME],
        "W" * MAX_CLINIC_NAME,  # the widest letters: shortened, never over the number
    ],
)
def test_the_longest_clinic_name_leaves_number_and_page_count_clear(
    doctor: Session, out: Path, name: str
) -> None:
    with doctor.transaction() as tx:
        tx.execute("UPDATE settings SET value = ? WHERE key = 'clinic_name'", (name,))
    prescription = prescribe(doctor, register(doctor, "Zoé", "N'Guessan"))
    pieces = placed_text(prescription_pdf(doctor, prescription.id, out / "rx.pdf"))
    number = next(p for p in pieces if p[0] == prescription.number)
    heading = [p for p in pieces if p[2] > number[2] - 12 and p[0] != number[0]][:2]
    assert all(right_edge(piece) < number[1] for piece in heading)
    if not name.startswith("W"):
        assert " ".join(piece[0] for piece in heading) == name  # printed whole, on two lines
    label = next(p for p in pieces if p[0] == "Page 1 / 1")
    footer = next(p for p in pieces if p[0].startswith(prescription.number + " —"))
    assert right_edge(footer) < label[1]


def test_nurse_may_not_print(doctor: Session, nurse: Session, out: Path) -> None:
    prescription = prescribe(doctor, register(doctor, "Zoé", "N'Guessan"))
    with pytest.raises(PermissionDenied):
        prescription_pdf(nurse, prescription.id, out / "rx.pdf")
    assert not (out / "rx.pdf").exists()
    assert print_events(doctor) == []


def test_unwritable_folder_leaves_no_file_and_no_print_event(doctor: Session, out: Path) -> None:
    prescription = prescribe(doctor, register(doctor, "Zoé", "N'Guessan"))
    with pytest.raises(DocumentNotSaved, match="missing"):
        prescription_pdf(doctor, prescription.id, out / "missing" / "rx.pdf")
    assert print_events(doctor) == []
    assert list(out.iterdir()) == []


# --- sick-leave certificates ------------------------------------------------------------


def test_patient_copy_shows_the_diagnosis_and_the_period(doctor: Session, out: Path) -> None:
    patient_id = register(doctor, "Adjoa Ɛkua", "Kouassi-Yao", "CI-0123-4567")
    certificate = certify(doctor, patient_id)
    text = text_of(sick_leave_pdf(doctor, certificate.id, out / "patient.pdf"))
    for expected in (
        "CERTIFICAT D'ARRÊT DE TRAVAIL",
        "Arrêt initial",
        "Volet patient",
        certificate.number,
        "KOUASSI-YAO Adjoa Ɛkua",
        "Né(e) le 14/07/1988",
        "CI-0123-4567",
        "Délivré le : 02/03/2026",
        "Dr Awa Koné",
        "02/03/2026 5 06/03/2026 Non",
        MALARIA,
        MALARIA_TITLE,
    ):
        assert expected in text, expected
    assert "Ce volet ne mentionne pas le diagnostic" not in text
    assert print_events(doctor) == [("sick_leave_patient_copy", certificate.id, "original")]


def test_employer_copy_never_shows_the_diagnosis(doctor: Session, out: Path) -> None:
    certificate = certify(doctor, register(doctor, "Zoé", "N'Guessan"))
    path = sick_leave_pdf(doctor, certificate.id, out / "employeur.pdf", employer_copy=True)
    text = text_of(path)
    assert "Volet employeur" in text
    assert "Ce volet ne mentionne pas le diagnostic" in text
    assert certificate.number in text
    assert "02/03/2026 5 06/03/2026 Non" in text
    for secret in (MALARIA, "1F40", "Malaria", "Plasmodium", "CIM-11"):
        assert secret not in text, secret
    metadata = " ".join(str(value) for value in (PdfReader(path).metadata or {}).values())
    assert "Malaria" not in metadata
    assert "1F40" not in metadata
    # Neither does the signed code it carries.
    fields = verify_printed_code(certificate.signature, public_key(doctor))
    assert MALARIA not in repr(fields)
    # The employer's copy is its own original: printing it after the patient's is no reprint.
    assert print_events(doctor) == [("sick_leave_employer_copy", certificate.id, "original")]


def test_extension_says_which_certificate_it_extends(doctor: Session, out: Path) -> None:
    patient_id = register(doctor, "Awa", "Ouédraogo")
    first = certify(doctor, patient_id)
    extension = certify(
        doctor,
        patient_id,
        kind="extension",
        extends_number=first.number,
        start_date=date(2026, 3, 7),
        days=10,
        outings_allowed=True,
        diagnosis_code=None,
    )
    text = text_of(sick_leave_pdf(doctor, extension.id, out / "prolongation.pdf", duplicate=True))
    assert f"Prolongation de l'arrêt n° {first.number}" in text
    assert "07/03/2026 10 16/03/2026 Oui" in text
    assert "Diagnostic (CIM-11) : Non précisé" in text
    assert "DUPLICATA" in text


# --- the printed code -----------------------------------------------------------------------


def scanned_codes(pdf: Path, folder: Path) -> list[str]:
    """What a scanner reads off the printed page: poppler renders it, zbar decodes it."""
    if shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None:
        pytest.skip(
            "needs pdftoppm and zbarimg (Debian: poppler-utils zbar-tools) "
            "to read the printed QR code"
        )
    subprocess.run(
        ["pdftoppm", "-png", "-r", "200", "-singlefile", str(pdf), str(folder / "page")],
        check=True,
        timeout=30,
    )
    scan = subprocess.run(
        ["zbarimg", "-q", str(folder / "page.png")], capture_output=True, text=True, timeout=30
    )
    (folder / "page.png").unlink()
    return scan.stdout.splitlines()


def test_printed_qr_code_verifies_to_the_certificate(doctor: Session, out: Path) -> None:
    certificate = certify(doctor, register(doctor, "Zoé", "N'Guessan"))
    pdf = sick_leave_pdf(
        doctor, certificate.id, out / "employeur.pdf", employer_copy=True, duplicate=True
    )  # under the pale DUPLICATA too
    codes = scanned_codes(pdf, out)
    qr = [line.removeprefix("QR-Code:") for line in codes if line.startswith("QR-Code:")]
    assert qr == [certificate.signature]
    fields = verify_printed_code(qr[0], public_key(doctor))
    assert fields["n"] == certificate.number
    assert (fields["s"], fields["e"], fields["j"]) == ("2026-03-02", "2026-03-06", 5)
    assert f"CODE-128:{certificate.number}" in codes


LONGEST_GIVEN = ("Marie-Christine Emmanuelle Géraldine Adjoua Akissi Amenan Ahou " * 2)[:100]
LONGEST_FAMILY = ("Kouassi-Yao-N'Guessan-Ouédraogo Konan Kouadio Koffi Tanoh Yapo " * 2)[:100]


@pytest.mark.parametrize("duplicate", [False, True])
def test_the_longest_names_keep_a_certificate_on_one_signed_page(
    doctor: Session, out: Path, duplicate: bool
) -> None:
    patient = register_patient(
        doctor,
        PatientForm(
            LONGEST_GIVEN.strip(),
            LONGEST_FAMILY.strip(),
            "female",
            date(1988, 7, 14),
            "CI 1234 5678 9012 3456 7890 1234",
        ),
    )
    certificate = certify(doctor, patient.id)
    pdf = sick_leave_pdf(doctor, certificate.id, out / "arret.pdf", duplicate=duplicate)
    assert len(PdfReader(pdf).pages) == 1  # the signature and its code stay with the text
    assert f"QR-Code:{certificate.signature}" in scanned_codes(pdf, out)


def test_printed_prescription_code_scans(doctor: Session, out: Path) -> None:
    prescription = prescribe(doctor, register(doctor, "Zoé", "N'Guessan"))
    codes = scanned_codes(prescription_pdf(doctor, prescription.id, out / "rx.pdf"), out)
    assert f"QR-Code:{prescription.signature}" in codes
    assert f"CODE-128:{prescription.number}" in codes
    assert verify_printed_code(prescription.signature, public_key(doctor))["n"] == (
        prescription.number
    )


def test_tampered_code_is_refused(doctor: Session) -> None:
    certificate = certify(doctor, register(doctor, "Zoé", "N'Guessan"))
    text = certificate.signature
    middle = len(text) // 2
    changed = text[:middle] + ("A" if text[middle] != "A" else "B") + text[middle + 1 :]
    with pytest.raises(ForgedDocument):
        verify_printed_code(changed, public_key(doctor))
    # A well-formed code whose days were raised, with the clinic's signature kept.
    payload, signature = cbor2.loads(base45.b45decode(text[len(PREFIX) :]))
    fields = cbor2.loads(payload)
    fields["j"] = 15
    forged = (
        PREFIX
        + base45.b45encode(cbor2.dumps([cbor2.dumps(fields, canonical=True), signature])).decode()
    )
    with pytest.raises(ForgedDocument):
        verify_printed_code(forged, public_key(doctor))


# --- files and labels ----------------------------------------------------------------------


def test_private_print_folder_is_removed_after_printing(doctor: Session) -> None:
    prescription = prescribe(doctor, register(doctor, "Zoé", "N'Guessan"))
    folder = private_print_dir()
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        path = prescription_pdf(doctor, prescription.id, folder / "ordonnance.pdf")
        assert path.is_file()
        remove_printed(path)
        assert not path.exists()
        assert not folder.exists()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_print_folders_left_by_a_crash_are_swept() -> None:
    stale, fresh = private_print_dir(), private_print_dir()
    try:
        (stale / "ordonnance.pdf").write_bytes(b"%PDF-")
        two_days_ago = time.time() - 2 * 24 * 3600
        os.utime(stale, (two_days_ago, two_days_ago))
        assert remove_stale_prints() >= 1
        assert not stale.exists()
        assert fresh.exists()  # perhaps still at the printer
    finally:
        shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(fresh, ignore_errors=True)


def test_every_language_has_every_label() -> None:
    keys = {language: set(table) for language, table in LABELS.items()}
    assert all(found == keys["fr"] for found in keys.values())


def test_clinic_printing_in_english(doctor: Session, out: Path) -> None:
    with doctor.transaction() as tx:
        tx.execute("UPDATE settings SET value = 'en' WHERE key = 'language'")
    certificate = certify(doctor, register(doctor, "Zoé", "N'Guessan"))
    text = text_of(sick_leave_pdf(doctor, certificate.id, out / "c.pdf", employer_copy=True))
    assert "SICK-LEAVE CERTIFICATE" in text
    assert "does not state the diagnosis" in text


def test_the_signature_block_takes_the_tighter_form_only_where_the_full_one_has_no_room() -> None:
    from reportlab.lib.units import mm

    from clinic_app.documents.pdf import _signature_block, _styles

    _styles()  # the fonts
    block = _signature_block(LABELS["fr"], PREFIX + "X" * 200, "ORD-TRV-2026-000001")
    width = 130 * mm
    full = block.wrap(width, 1000 * mm)[1]
    tight = block.wrap(width, full - 1)[1]
    assert tight < full  # a little less room: the tighter form, still whole
    assert block.wrap(width, full)[1] == full
    assert block.split(width, 10 * mm) == []  # never cut in two: it goes to the next page
