"""Printed prescriptions and sick-leave certificates, as PDF files (reportlab).

Rules this module keeps:

* Printing is an audited action (``Action.PRINT_DOCUMENT``): one audit event
  ``print_document`` per file made, naming the document and the patient, with
  ``outcome`` ``"original"`` or ``"duplicate"``. Which copy was printed is in
  ``object_kind`` (``prescription``, ``sick_leave_patient_copy``,
  ``sick_leave_employer_copy``).
* A reprint says it is one. ``duplicate=True`` asks for the mark, and a copy
  that was already printed once is marked DUPLICATA whatever the caller says:
  two "originals" of one certificate must not exist.
* The employer's copy of a certificate is built without the diagnosis ever
  being read into it: not in the text, not in the metadata, not in the signed
  code (which never holds it, see ``records.certificates``).
* Dates are the clinic's wall-calendar dates (``session.zone``), dd/mm/yyyy.
* The file is written whole or not at all: rendered in memory, written to a
  temporary file in the target folder (mode 0600: it holds patient data),
  flushed, then renamed over ``path``. The audit event commits only if the file
  was written.
* Text is set in DejaVu Sans, embedded, so every French accent and the letters
  of West-African names (Ɛ ɛ Ɔ ɔ Ŋ ŋ …) print and can be searched in the PDF.

Rendering takes tens of milliseconds: the window calls these from its task
runner, never on the GUI thread.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    LayoutError,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from clinic_app.clock import Clock, format_local, local_date, shown_date, utc_now
from clinic_app.documents.labels import printed_labels
from clinic_app.documents.signing import verify_document
from clinic_app.errors import ClinicError, NotFound
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.inventory.catalogue import counted_unit
from clinic_app.records.certificates import SickLeaveCertificate, get_certificate
from clinic_app.records.patients import Patient
from clinic_app.records.prescriptions import Prescription, get_prescription
from clinic_app.resources import resource_path
from clinic_app.security.permissions import Action
from clinic_app.session import Session
from clinic_app.storage.store import Tx

# Anyone holding the institution's public keys checks a printed code with this.
verify_printed_code = verify_document

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE = A5
MARGIN = 12 * mm
HEADER_HEIGHT = 16 * mm
FOOTER_HEIGHT = 9 * mm
QR_SIZE = 36 * mm  # a version-13 code at level M: ~0.45 mm per module, easy at 300 dpi
QR_SIZE_TIGHT = 30 * mm  # ~0.39 mm per module of that code: 4.6 dots at 300 dpi
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
SHADE = colors.HexColor("#eeeeee")
DUPLICATE_RED = colors.HexColor("#b00020")
PRINT_DIR_PREFIX = "clinic_app-print-"


class DocumentNotSaved(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The document could not be saved in {folder} ({reason}). "
        "Check that the folder exists and that there is free space.",
    )


class DocumentNotLaidOut(ClinicError):
    template = QT_TRANSLATE_NOOP(
        "errors",
        "The document does not fit on its pages (a text in it is far too long). "
        "Nothing was printed; tell the clinic admin.",
    )


# --- fonts and styles ------------------------------------------------------------


@cache
def _register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    strong: ParagraphStyle
    cell_head: ParagraphStyle


@cache
def _styles() -> _Styles:
    _register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK)
    return _Styles(
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
            spaceAfter=1 * mm,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=10, leading=13, alignment=TA_CENTER
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7, leading=9, textColor=MUTED),
        label=ParagraphStyle("label", parent=body, fontSize=7, leading=9, textColor=MUTED),
        strong=ParagraphStyle("strong", parent=body, fontName=BOLD, fontSize=10, leading=13),
        cell_head=ParagraphStyle("cell_head", parent=body, fontName=BOLD, fontSize=8, leading=10),
    )


def _text(value: object) -> str:
    """Data as Paragraph markup: a '&' or '<' in a drug name must print, not break the PDF."""
    return escape(str(value))


# --- the page around the content ----------------------------------------------


@dataclass(frozen=True)
class _Letterhead:
    clinic_name: str
    site_line: str
    number: str
    duplicate_word: str | None
    footer: str
    page_label: str  # "Page {n} / {total}"
    patient_name: str  # under the number from page 2 on: a loose sheet still says whose it is
    total_pages: int = 1


def _draw_letterhead(head: _Letterhead) -> Callable[[Any, Any], None]:
    """What every page carries: the clinic, the number, the footer, the duplicate mark."""

    def draw(canvas: Any, doc: Any) -> None:
        width, height = PAGE
        top = height - MARGIN
        canvas.saveState()
        room = width - 2 * MARGIN - pdfmetrics.stringWidth(head.number, BOLD, 9) - 6 * mm
        canvas.setFillColor(INK)
        for line, size, y in _clinic_name_lines(head.clinic_name, room):
            canvas.setFont(BOLD, size)
            canvas.drawString(MARGIN, top - y * mm, line)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, top - 10 * mm, head.site_line)
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 9)
        canvas.drawRightString(width - MARGIN, top - 5 * mm, head.number)
        if doc.page > 1:
            _draw_fitted_right(
                canvas,
                head.patient_name,
                right=width - MARGIN,
                y=top - 10 * mm,
                room=width
                - 2 * MARGIN
                - pdfmetrics.stringWidth(head.site_line, REGULAR, 8)
                - 6 * mm,
            )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, top - 13 * mm, width - MARGIN, top - 13 * mm)
        canvas.line(
            MARGIN, MARGIN + FOOTER_HEIGHT - 3 * mm, width - MARGIN, MARGIN + FOOTER_HEIGHT - 3 * mm
        )
        canvas.setFillColor(MUTED)
        page_label = head.page_label.format(n=doc.page, total=head.total_pages)
        room = width - 2 * MARGIN - pdfmetrics.stringWidth(page_label, REGULAR, 6.5) - 6 * mm
        footer, footer_size = _fit(head.footer, REGULAR, 6.5, 5, room)
        canvas.setFont(REGULAR, footer_size)
        canvas.drawString(MARGIN, MARGIN + 2 * mm, footer)
        canvas.setFont(REGULAR, 6.5)
        canvas.drawRightString(width - MARGIN, MARGIN + 2 * mm, page_label)
        canvas.restoreState()

    return draw


def _clinic_name_lines(name: str, room: float) -> list[tuple[str, float, float]]:
    """The clinic's name beside the number: (text, size, mm below the top) per line.

    One line, 12 down to 9 pt; else two lines, 8 down to 7 pt, the second one
    shortened with "…" only if even that cannot hold it (a clinic's name is at
    most ``MAX_CLINIC_NAME`` characters, which two lines hold).
    """
    line, size = _fit(name, BOLD, 12, 9, room)
    if line == name:
        return [(name, size, 5)]
    for size in (8.0, 7.5, 7.0):
        lines = simpleSplit(name, BOLD, size, room)
        if len(lines) <= 2:
            break
    first, _ = _fit(lines[0], BOLD, size, size, room)  # one word wider than the room
    second, _ = _fit(" ".join(lines[1:]), BOLD, size, size, room)
    return [(first, size, 3.2), (second, size, 6.6)] if second else [(first, size, 5)]


def _fit(text: str, font: str, size: float, smallest: float, room: float) -> tuple[str, float]:
    """``text`` and a size at most ``size`` that fit ``room``: smaller down to
    ``smallest``, then shortened with "…"."""
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > room:
        size -= 0.5
    while len(text) > 1 and pdfmetrics.stringWidth(text, font, size) > room:
        text = text[:-2].rstrip() + "…"
    return text, size


def _draw_fitted_right(canvas: Any, text: str, *, right: float, y: float, room: float) -> None:
    """``text`` right-aligned, smaller if need be, and shortened with "…" past 6 pt."""
    text, size = _fit(text, BOLD, 8, 6, room)
    canvas.setFont(BOLD, size)
    canvas.drawRightString(right, y, text)


def _draw_duplicate_mark(word: str) -> Callable[[Any, Any], None]:
    """The pale word across the page, drawn last so no table or QR code hides it."""

    def draw(canvas: Any, doc: Any) -> None:
        width, height = PAGE
        size = 48.0
        while pdfmetrics.stringWidth(word, BOLD, size) > 0.95 * width and size > 20:
            size -= 2  # a longer word in another language still fits the page
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.69, 0, 0.13, alpha=0.16))
        canvas.setFont(BOLD, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(40)
        canvas.drawCentredString(0, -size / 3, word)
        canvas.restoreState()

    return draw


def _nothing(canvas: Any, doc: Any) -> None:
    """A page with no duplicate mark."""


def _render(
    title: str, head: _Letterhead, clinic_name: str, story: Callable[[], list[Flowable]]
) -> bytes:
    """Lay out the page; ``story`` makes fresh flowables (platypus consumes them)."""
    data, pages = _build(title, head, clinic_name, story())
    if pages != head.total_pages:
        # "Page 2 / 3" needs the count, known only once laid out: a long
        # prescription is laid out twice, so a missing page shows.
        data, _ = _build(title, replace(head, total_pages=pages), clinic_name, story())
    return data


def _build(
    title: str, head: _Letterhead, clinic_name: str, story: list[Flowable]
) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
        # Metadata is read by any file browser: the document kind and number only.
        title=f"{title} {head.number}",
        author=clinic_name,
        subject="",
        creator="clinic_app",
        keywords="",
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    document.addPageTemplates(
        [
            PageTemplate(
                "page",
                [frame],
                onPage=_draw_letterhead(head),
                onPageEnd=_draw_duplicate_mark(head.duplicate_word)
                if head.duplicate_word
                else _nothing,
            )
        ]
    )
    try:
        document.build(story)
    except LayoutError as exc:
        # Service limits keep every field printable; this guards what they missed.
        raise DocumentNotLaidOut() from exc
    return buffer.getvalue(), int(document.page)


# --- building blocks ------------------------------------------------------------


def _qr_code(text: str, size: float = QR_SIZE) -> Drawing:
    widget = QrCodeWidget(text, barLevel="M", barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def _number_barcode(number: str) -> Table:
    """The number as Code 128 for the dispensary's scanner, with the number written under it."""
    # 0.3 mm per module: a hand scanner reads it at arm's length. Code128's own
    # human-readable line sits on the bars; a separate line reads cleanly.
    bars = Code128(number, barWidth=0.3 * mm, barHeight=9 * mm, humanReadable=False, quiet=True)
    caption = Paragraph(
        _text(number),
        ParagraphStyle(
            "barcode_caption", parent=_styles().small, textColor=INK, alignment=TA_CENTER
        ),
    )
    table = Table([[bars], [caption]], colWidths=[bars.width])
    table.setStyle(
        TableStyle(
            [
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 1.5),
            ]
        )
    )
    table.hAlign = "LEFT"
    return table


def _duplicate_banner(labels: Mapping[str, str], session: Session, clock: Clock) -> Table:
    styles = _styles()
    when = format_local(clock(), session.zone)
    banner = Table(
        [
            [
                Paragraph(
                    _text(labels["duplicate_notice"].format(when=when)),
                    ParagraphStyle(
                        "dup", parent=styles.strong, textColor=DUPLICATE_RED, alignment=TA_CENTER
                    ),
                )
            ]
        ],
        colWidths=[PAGE[0] - 2 * MARGIN],
    )
    banner.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, DUPLICATE_RED),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return banner


def _patient_lines(
    labels: Mapping[str, str], patient: Patient, on_day: date, *, with_national_id: bool
) -> list[Paragraph]:
    styles = _styles()
    lines = [
        Paragraph(_text(labels["patient"]), styles.label),
        Paragraph(
            f"<b>{_text(patient.family_name.upper())}</b> {_text(patient.given_name)}",
            styles.strong,
        ),
    ]
    if patient.birth_date is not None:
        born = labels["born_on"].format(date=shown_date(patient.birth_date))
        lines.append(
            Paragraph(f"{_text(born)} ({_text(_age(labels, patient, on_day))})", styles.body)
        )
    else:
        lines.append(Paragraph(_text(labels["birth_unknown"]), styles.body))
    sex = labels.get(f"sex_{patient.sex}", labels["sex_unknown"])
    lines.append(Paragraph(f"{_text(labels['sex'])} : {_text(sex)}", styles.body))
    if with_national_id:
        lines.append(
            Paragraph(
                f"{_text(labels['national_id'])} : "
                f"{_text(patient.national_id or labels['not_given'])}",
                styles.body,
            )
        )
    return lines


def _age(labels: Mapping[str, str], patient: Patient, on_day: date) -> str:
    born = patient.birth_date
    assert born is not None
    years = patient.age_on(on_day) or 0
    if years >= 2:
        return labels["age_years"].format(n=years)
    # Under two, doses go by months: print the age the way a paediatrician reads it.
    months = (on_day.year - born.year) * 12 + on_day.month - born.month - (on_day.day < born.day)
    return labels["age_months"].format(n=max(months, 0))


def _document_lines(
    labels: Mapping[str, str],
    number: str,
    issued_label: str,
    issued: str,
    author_label: str,
    author: str,
) -> list[Paragraph]:
    styles = _styles()
    return [
        Paragraph(_text(labels["document"]), styles.label),
        Paragraph(f"{_text(labels['number'])} <b>{_text(number)}</b>", styles.body),
        Paragraph(f"{_text(issued_label)} : <b>{_text(issued)}</b>", styles.body),
        Paragraph(f"{_text(author_label)} : {_text(author)}", styles.body),
    ]


def _two_blocks(left: list[Paragraph], right: list[Paragraph]) -> Table:
    width = PAGE[0] - 2 * MARGIN
    table = Table([[left, right]], colWidths=[width * 0.56, width * 0.44])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (0, 0), 0.5, RULE),
                ("BOX", (1, 0), (1, 0), 0.5, RULE),
                ("BACKGROUND", (0, 0), (0, 0), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _signature_block(labels: Mapping[str, str], signature_text: str, number: str) -> Flowable:
    """QR code on the left; signature space and the number's barcode on the right.

    Never split. Where the page has not quite room for it (a long name made the
    patient's box tall), a tighter version keeps it on the page it belongs to.
    """
    return _FirstThatFits(
        [
            _signature_table(labels, signature_text, number, qr=QR_SIZE, room=18 * mm),
            _signature_table(labels, signature_text, number, qr=QR_SIZE_TIGHT, room=13 * mm),
            _signature_table(
                labels, signature_text, number, qr=QR_SIZE_TIGHT, room=10 * mm, notice_right=True
            ),
        ],
        gap=4 * mm,
    )


def _signature_table(
    labels: Mapping[str, str],
    signature_text: str,
    number: str,
    *,
    qr: float,
    room: float,
    notice_right: bool = False,
) -> Table:
    styles = _styles()
    width = PAGE[0] - 2 * MARGIN
    notice = Paragraph(_text(labels["verify_notice"]), styles.small)
    right = [
        Paragraph(_text(labels["signature"]), styles.label),
        Spacer(1, room),  # for a hand signature and the clinic's stamp
        _number_barcode(number),
    ]
    left: list[Flowable] = [_qr_code(signature_text, qr)]
    (right if notice_right else left).append(notice)
    table = Table([[left, right]], colWidths=[QR_SIZE + 4 * mm, width - QR_SIZE - 4 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("LINEABOVE", (1, 0), (1, 0), 0.5, RULE),
                ("LEFTPADDING", (1, 0), (1, 0), 8),
            ]
        )
    )
    return table


class _FirstThatFits(Flowable):
    """The first of ``choices`` that fits the space left, ``gap`` above it; never split:
    when none fits, the first one goes whole to the next page."""

    def __init__(self, choices: list[Flowable], *, gap: float) -> None:
        super().__init__()
        self._choices = choices
        self._chosen = choices[0]
        self._gap = gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        for choice in self._choices:
            width, height = choice.wrap(avail_width, avail_height - self._gap)
            if height + self._gap <= avail_height:
                self._chosen = choice
                return width, height + self._gap
        self._chosen = self._choices[0]
        width, height = self._chosen.wrap(avail_width, avail_height)
        return width, height + self._gap

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # all of it on the next page

    def draw(self) -> None:
        self._chosen.drawOn(self.canv, 0, 0)


# --- reading what is printed ---------------------------------------------------------


def _patient(tx: Tx, patient_id: str) -> Patient:
    row = tx.one("SELECT * FROM patients WHERE id = ?", (patient_id,))
    if row is None:
        raise NotFound()
    return Patient.from_row(row)


def _user_name(tx: Tx, user_id: str) -> str:
    row = tx.one("SELECT display_name FROM users WHERE id = ?", (user_id,))
    return str(row["display_name"]) if row is not None else ""


def _letterhead(
    session: Session, labels: Mapping[str, str], number: str, patient: Patient, duplicate: bool
) -> _Letterhead:
    return _Letterhead(
        patient_name=f"{patient.family_name.upper()} {patient.given_name}".strip(),
        clinic_name=session.clinic_name,
        site_line=labels["site"].format(site=session.store.setting("site_code") or ""),
        number=number,
        duplicate_word=labels["duplicate"] if duplicate else None,
        footer=f"{number} — {session.clinic_name}",
        page_label=labels["page"],
    )


def _is_reprint(tx: Tx, copy_kind: str, object_id: str) -> bool:
    return (
        tx.one(
            "SELECT 1 FROM audit_events WHERE action = 'print_document' AND object_kind = ? "
            "AND object_id = ? LIMIT 1",
            (copy_kind, object_id),
        )
        is not None
    )


# --- the two documents ---------------------------------------------------------------


def prescription_pdf(
    session: Session,
    prescription_id: str,
    path: Path,
    *,
    duplicate: bool = False,
    clock: Clock = utc_now,
) -> Path:
    """Print a prescription to ``path`` (written atomically, mode 0600); audited.

    ``clock`` only dates the duplicate notice; the prescription's own date is
    its issue instant, shown on the clinic's calendar.
    """
    session.require(Action.PRINT_DOCUMENT)
    prescription = get_prescription(session, prescription_id)
    labels = printed_labels(session.store.setting("language"))
    with session.transaction() as tx:
        duplicate = duplicate or _is_reprint(tx, "prescription", prescription_id)
        data = _prescription_bytes(session, tx, prescription, labels, duplicate, clock)
        written = _write_atomically(Path(path), data)
        session.audit(
            tx,
            "print_document",
            object_kind="prescription",
            object_id=prescription_id,
            patient_id=prescription.patient_id,
            outcome="duplicate" if duplicate else "original",
        )
    return written


def _prescription_bytes(
    session: Session,
    tx: Tx,
    prescription: Prescription,
    labels: Mapping[str, str],
    duplicate: bool,
    clock: Clock,
) -> bytes:
    patient = _patient(tx, prescription.patient_id)
    head = _letterhead(session, labels, prescription.number, patient, duplicate)
    return _render(
        labels["prescription_title"],
        head,
        session.clinic_name,
        lambda: _prescription_story(session, tx, prescription, labels, duplicate, clock),
    )


def _prescription_story(
    session: Session,
    tx: Tx,
    prescription: Prescription,
    labels: Mapping[str, str],
    duplicate: bool,
    clock: Clock,
) -> list[Flowable]:
    styles = _styles()
    patient = _patient(tx, prescription.patient_id)
    issued_day = local_date(prescription.issued_at, session.zone)
    units: dict[str, str] = {}  # the dispensing unit printed after each quantity
    for item in prescription.items:
        unit = tx.one("SELECT unit FROM catalogue_items WHERE id = ?", (item.catalogue_item_id,))
        if unit is not None:
            units[item.catalogue_item_id] = str(unit["unit"])
    story: list[Flowable] = [Paragraph(_text(labels["prescription_title"]), styles.title)]
    if duplicate:
        story += [Spacer(1, 1 * mm), _duplicate_banner(labels, session, clock)]
    story += [
        Spacer(1, 3 * mm),
        _two_blocks(
            _patient_lines(labels, patient, issued_day, with_national_id=False),
            _document_lines(
                labels,
                prescription.number,
                labels["date"],
                shown_date(issued_day),
                labels["prescriber"],
                _user_name(tx, prescription.prescriber_id),
            ),
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [
        [
            Paragraph(_text(labels["drug"]), styles.cell_head),
            Paragraph(_text(labels["duration"]), styles.cell_head),
            Paragraph(_text(labels["quantity"]), styles.cell_head),
        ]
    ]
    for index, item in enumerate(prescription.items, start=1):
        rows.append(
            [
                Paragraph(
                    f"{index}. <b>{_text(item.drug_name)}</b><br/>"
                    f"{_text(item.dose)} — {_text(item.frequency)}",
                    styles.body,
                ),
                Paragraph(_text(labels["duration_days"].format(n=item.duration_days)), styles.body),
                Paragraph(
                    f"<b>{item.quantity}</b> "
                    + _text(counted_unit(item.quantity, units.get(item.catalogue_item_id, ""))),
                    styles.body,
                ),
            ]
        )
    width = PAGE[0] - 2 * MARGIN
    lines = Table(rows, colWidths=[width - 44 * mm, 16 * mm, 28 * mm], repeatRows=1)
    lines.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story += [lines, _signature_block(labels, prescription.signature, prescription.number)]
    return story


def sick_leave_pdf(
    session: Session,
    certificate_id: str,
    path: Path,
    *,
    employer_copy: bool = False,
    duplicate: bool = False,
    clock: Clock = utc_now,
) -> Path:
    """Print one copy of a sick-leave certificate to ``path``; audited.

    The patient's copy shows the diagnosis (ICD-11 code and WHO title) when
    one was given; the employer's copy never does, and says so.
    """
    session.require(Action.PRINT_DOCUMENT)
    certificate = get_certificate(session, certificate_id)
    labels = printed_labels(session.store.setting("language"))
    copy_kind = "sick_leave_employer_copy" if employer_copy else "sick_leave_patient_copy"
    with session.transaction() as tx:
        duplicate = duplicate or _is_reprint(tx, copy_kind, certificate_id)
        data = _certificate_bytes(
            session,
            tx,
            certificate,
            labels,
            employer_copy=employer_copy,
            duplicate=duplicate,
            clock=clock,
        )
        written = _write_atomically(Path(path), data)
        session.audit(
            tx,
            "print_document",
            object_kind=copy_kind,
            object_id=certificate_id,
            patient_id=certificate.patient_id,
            outcome="duplicate" if duplicate else "original",
        )
    return written


def _certificate_bytes(
    session: Session,
    tx: Tx,
    certificate: SickLeaveCertificate,
    labels: Mapping[str, str],
    *,
    employer_copy: bool,
    duplicate: bool,
    clock: Clock,
) -> bytes:
    patient = _patient(tx, certificate.patient_id)
    head = _letterhead(session, labels, certificate.number, patient, duplicate)
    return _render(
        labels["certificate_title"],
        head,
        session.clinic_name,
        lambda: _on_one_page(
            _certificate_story(
                session,
                tx,
                certificate,
                labels,
                employer_copy=employer_copy,
                duplicate=duplicate,
                clock=clock,
            )
        ),
    )


def _on_one_page(story: list[Flowable]) -> list[Flowable]:
    """A certificate is one sheet: what overflows it a little (the longest names, a
    reprint's banner, a long diagnosis) is printed a little smaller instead."""
    width = PAGE[0] - 2 * MARGIN
    height = PAGE[1] - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT
    return [KeepInFrame(width, height, story, mode="shrink", vAlign="TOP")]


def _certificate_story(
    session: Session,
    tx: Tx,
    certificate: SickLeaveCertificate,
    labels: Mapping[str, str],
    *,
    employer_copy: bool,
    duplicate: bool,
    clock: Clock,
) -> list[Flowable]:
    styles = _styles()
    patient = _patient(tx, certificate.patient_id)
    doctor = _user_name(tx, certificate.doctor_id)
    issued_day = local_date(certificate.issued_at, session.zone)
    kind = (
        labels["kind_extension"].format(number=certificate.extends_number or "")
        if certificate.kind == "extension"
        else labels["kind_initial"]
    )
    which_copy = labels["copy_employer"] if employer_copy else labels["copy_patient"]
    statement = "statement_extension" if certificate.kind == "extension" else "statement"
    story: list[Flowable] = [
        Paragraph(_text(labels["certificate_title"]), styles.title),
        Paragraph(f"{_text(kind)} — <b>{_text(which_copy)}</b>", styles.subtitle),
    ]
    if duplicate:
        story += [Spacer(1, 2 * mm), _duplicate_banner(labels, session, clock)]
    story += [
        Spacer(1, 3 * mm),
        _two_blocks(
            _patient_lines(labels, patient, issued_day, with_national_id=True),
            _document_lines(
                labels,
                certificate.number,
                labels["issued_on"],
                shown_date(issued_day),
                labels["doctor"],
                doctor,
            ),
        ),
        Spacer(1, 3 * mm),
        Paragraph(_text(labels[statement].format(doctor=doctor)), styles.body),
        Spacer(1, 3 * mm),
    ]
    width = PAGE[0] - 2 * MARGIN
    big = ParagraphStyle(
        "period", parent=styles.strong, fontSize=11, leading=14, alignment=TA_CENTER
    )
    head = ParagraphStyle("period_head", parent=styles.label, alignment=TA_CENTER)
    period = Table(
        [
            [
                Paragraph(_text(labels[key]), head)
                for key in ("period_start", "period_days", "period_end", "outings")
            ],
            [
                Paragraph(_text(value), big)
                for value in (
                    shown_date(certificate.start_date),
                    str(certificate.days),
                    shown_date(certificate.end_date),
                    labels["yes"] if certificate.outings_allowed else labels["no"],
                )
            ],
        ],
        colWidths=[width / 4] * 4,
    )
    period.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, 1), 4),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    story += [period, Spacer(1, 3 * mm)]
    if employer_copy:
        story.append(Paragraph(f"<b>{_text(labels['employer_notice'])}</b>", styles.body))
    else:
        diagnosis = (
            f"{_text(certificate.diagnosis_code)} — {_text(certificate.diagnosis_display or '')}"
            if certificate.diagnosis_code
            else _text(labels["no_diagnosis"])
        )
        story.append(Paragraph(f"{_text(labels['diagnosis'])} : <b>{diagnosis}</b>", styles.body))
    story.append(_signature_block(labels, certificate.signature, certificate.number))
    return story


# --- files ------------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all; the file is private (0600)."""
    folder = path.parent
    try:
        # mkstemp makes the file 0600 and never follows a planted symlink.
        handle, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise DocumentNotSaved(
            folder=str(folder), reason=exc.strerror or type(exc).__name__
        ) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise DocumentNotSaved(
            folder=str(folder), reason=exc.strerror or type(exc).__name__
        ) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return path


def private_print_dir() -> Path:
    """A new folder only this user can enter (0700), for a file sent to the printer.

    A fresh folder per print (``mkdtemp``) rather than a fixed name: on a shared
    machine another account could have created a fixed name first.
    """
    return Path(tempfile.mkdtemp(prefix=PRINT_DIR_PREFIX, dir=tempfile.gettempdir()))


def remove_printed(path: Path) -> None:
    """Delete a printed file, and its private print folder once empty."""
    path = Path(path)
    path.unlink(missing_ok=True)
    folder = path.parent
    if folder.name.startswith(PRINT_DIR_PREFIX):
        with contextlib.suppress(OSError):
            folder.rmdir()  # still holds another file: leave it


def remove_stale_prints(max_age_seconds: float = 24 * 3600) -> int:
    """Remove print folders left by a crash (call at start-up); return how many."""
    removed = 0
    limit = time.time() - max_age_seconds
    for folder in Path(tempfile.gettempdir()).glob(PRINT_DIR_PREFIX + "*"):
        try:
            info = folder.lstat()
        except OSError:
            continue
        owner_is_us = not hasattr(os, "getuid") or info.st_uid == os.getuid()
        if folder.is_dir() and not folder.is_symlink() and owner_is_us and info.st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
