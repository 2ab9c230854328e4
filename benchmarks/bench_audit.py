"""What the audit trail costs: a day of clinic work, and opening a chart.

    .venv/bin/python benchmarks/bench_audit.py [--rounds 5]

Runs the same work twice per round on fresh copies of one clinic that already
has 5,000 registered patients (a modest clinic's file; ``--patients`` to
change, 0 for the worst case of an empty clinic, where each search is almost
free and the audit's share is largest): once as the program does it (every
change appends to the hash-chained audit trail in its own transaction, every
read through the audit queue), once with ``Session.audit`` and
``Session.audit_read`` replaced by no-ops — the only way to measure "the same
work without it". Rounds alternate the order, and
the figure is the median over rounds of each round's ratio, measured in this
one run.

* A day: 60 patients registered, 200 searches, 120 charts opened, 100
  consultations with vital signs, 60 diagnoses, 60 prescriptions, 100 stock
  receipts and 60 dispensings.
* Opening a chart: what the window runs when a chart opens (``open_chart``,
  allergies, consultations with vitals, prescriptions, certificates), on a
  patient with 8 consultations; median over 300 openings.

Targets (issue 3): the day costs at most 10 % more with the audit trail;
opening a chart with its audit entry under 1.1 x without.
"""

from __future__ import annotations

import argparse
import functools
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from clinic_app.demo import generate_patients
from clinic_app.inventory.catalogue import (
    list_catalogue,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.inventory.stock import ReceiptLine, dispense_prescription, receive_stock
from clinic_app.records.certificates import list_certificates
from clinic_app.records.consultations import (
    ConsultationForm,
    patient_allergies,
    patient_consultations,
    record_consultation,
)
from clinic_app.records.diagnoses import add_diagnosis
from clinic_app.records.patients import PatientForm, open_chart, register_patient, search_patients
from clinic_app.records.prescriptions import (
    PrescriptionLine,
    list_prescriptions,
    write_prescription,
)
from clinic_app.resources import resource_path
from clinic_app.security.accounts import create_clinic, create_user, login
from clinic_app.security.audit import queue_audit_for_central
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST

DAY_TARGET = 1.10
CHART_TARGET = 1.10
GIVEN = (
    "Awa",
    "Zoé",
    "Koffi",
    "Aminata",
    "Éloïse",
    "Sékou",
    "Mariétou",
    "Yao",
    "Adjoua",
    "Ibrahim",
)
FAMILY = ("Koné", "N'Guessan", "Ouédraogo", "Traoré", "Diallo", "Kouassi-Yao", "Bamba", "Yéo")
VITALS = {"systolic": 122, "diastolic": 78, "heart_rate": 80, "temperature": 38.1, "weight": 61}


def make_template(folder: Path, patients: int = 0) -> Path:
    data_dir = folder / "template"
    admin = create_clinic(
        data_dir,
        clinic_name="Banc d'essai",
        site_code="BEN",
        timezone="Africa/Abidjan",
        admin_username="admin",
        admin_password="admin-pass-12",
        admin_display_name="Admin",
        cost=TEST_COST,
    )
    create_user(
        admin,
        username="all",
        display_name="Tous rôles",
        roles=set(Role),
        password="all-roles-pass-1",
        cost=TEST_COST,
    )
    with admin.transaction() as tx:
        upsert_catalogue_items(tx, read_catalogue_file(resource_path("demo", "catalogue.tsv")))
    admin.close()
    if patients:
        nurse = login(data_dir, "all", "all-roles-pass-1")
        generate_patients(nurse, patients)
        nurse.close()
    return data_dir


def clinic_day(session: Session, rng: random.Random) -> None:
    items = list_catalogue(session)
    for item in items[:20]:
        receive_stock(
            session, ReceiptLine(item.gtin, f"L{rng.randrange(10**6)}", date(2030, 1, 31), 5000)
        )
    patients = [
        register_patient(
            session,
            PatientForm(rng.choice(GIVEN), rng.choice(FAMILY), rng.choice(["female", "male"])),
        )
        for _ in range(60)
    ]
    for _ in range(200):
        search_patients(session, rng.choice(FAMILY)[:4])
    prescriptions = []
    for n in range(100):
        patient = patients[n % len(patients)]
        open_chart(session, patient.id)
        visit = record_consultation(session, ConsultationForm(patient.id, "Fièvre", VITALS))
        if n < 60:
            add_diagnosis(session, visit.id, "1F4Z")
            rx = write_prescription(
                session,
                patient_id=patient.id,
                encounter_id=visit.id,
                lines=[
                    PrescriptionLine(
                        rng.choice(items[:20]).id, "1 comprimé", "3 fois par jour", 3, 9
                    )
                ],
            )
            prescriptions.append(rx.id)
    for patient in patients[:20]:
        open_chart(session, patient.id)
    for item in items[:20]:
        receive_stock(
            session, ReceiptLine(item.gtin, f"M{rng.randrange(10**6)}", date(2030, 6, 30), 100)
        )
    for _ in range(4):
        for item in items[:20]:
            receive_stock(
                session, ReceiptLine(item.gtin, f"N{rng.randrange(10**6)}", date(2029, 6, 30), 10)
            )
    for rx_id in prescriptions:
        dispense_prescription(session, rx_id)


def open_whole_chart(session: Session, patient_id: str) -> None:
    """What ui/chart.py and ui/doctor.py load when a chart opens."""
    open_chart(session, patient_id)
    patient_allergies(session, patient_id)
    patient_consultations(session, patient_id)
    list_prescriptions(session, patient_id=patient_id)
    list_certificates(session, patient_id)


def queue_trail(session: Session) -> tuple[int, float]:
    """Copy the trail into the outbox as a sync's first step does: (entries, seconds)."""
    session.flush_audit()
    started = time.perf_counter()
    with session.transaction() as tx:
        entries = queue_audit_for_central(tx)
    return entries, time.perf_counter() - started


def timed(work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def without_audit() -> Callable[[], None]:
    original, original_read = Session.audit, Session.audit_read

    def no_audit(self: Session, tx: Any, action: str, **fields: Any) -> None:
        return None

    def no_read_audit(self: Session, action: str, **fields: Any) -> None:
        return None

    Session.audit = no_audit  # type: ignore[method-assign]
    Session.audit_read = no_read_audit  # type: ignore[method-assign]

    def restore() -> None:
        Session.audit = original  # type: ignore[method-assign]
        Session.audit_read = original_read  # type: ignore[method-assign]

    return restore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--patients", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clinic-bench-audit-") as tmp:
        folder = Path(tmp)
        template = make_template(folder, args.patients)
        print(f"clinic with {args.patients} patients already registered")
        day: dict[bool, list[float]] = {True: [], False: []}
        chart: dict[bool, list[float]] = {True: [], False: []}
        copied: list[tuple[int, float]] = []  # (entries, seconds) per audited round
        for round_number in range(args.rounds):
            order = (True, False) if round_number % 2 == 0 else (False, True)
            for audited in order:
                copy = folder / f"r{round_number}-{audited}"
                shutil.copytree(template, copy)
                session = login(copy, "all", "all-roles-pass-1")
                restore = (lambda: None) if audited else without_audit()
                try:
                    if audited:
                        queue_trail(session)  # the template's own trail, as an earlier sync
                    rng = random.Random(round_number)
                    day[audited].append(timed(functools.partial(clinic_day, session, rng)))
                    if audited:
                        # The trail's other cost, paid at the next sync: copying the day's
                        # entries into the outbox for central (one INSERT ... SELECT).
                        copied.append(queue_trail(session))
                    patient = register_patient(session, PatientForm("Zoé", "N'Guessan", "female"))
                    for _ in range(8):
                        record_consultation(session, ConsultationForm(patient.id, "Toux", VITALS))
                    opening = functools.partial(open_whole_chart, session, patient.id)
                    samples = [timed(opening) for _ in range(300)]
                    chart[audited].append(statistics.median(samples))
                finally:
                    restore()
                    session.close()
                shutil.rmtree(copy)
        # Each round ran both ways back to back: the ratio within a round cancels the
        # machine's drift between rounds; the figure is the median of those ratios.
        day_ratio = statistics.median(a / b for a, b in zip(day[True], day[False], strict=True))
        chart_ratio = statistics.median(
            a / b for a, b in zip(chart[True], chart[False], strict=True)
        )
        whole_ratio = statistics.median(
            (a + seconds) / b
            for a, b, (_n, seconds) in zip(day[True], day[False], copied, strict=True)
        )
        with_audit = statistics.median(day[True])
        print(f"clinic day with audit:    median {with_audit:.2f} s over {args.rounds} rounds")
        print(f"clinic day without audit: median {statistics.median(day[False]):.2f} s")
        print(
            f"audit cost on a day of work: {day_ratio:.3f} x (target <= {DAY_TARGET:.2f} x) "
            f"{'OK' if day_ratio <= DAY_TARGET else 'OVER'}"
        )
        entries = statistics.median(n for n, _seconds in copied)
        copy_ms = statistics.median(seconds for _n, seconds in copied) * 1000
        print(
            f"copying the day's {entries:.0f} entries for central at the next sync: "
            f"{copy_ms:.1f} ms; day with that copy: {whole_ratio:.3f} x "
            f"{'OK' if whole_ratio <= DAY_TARGET else 'OVER'}"
        )
        print(f"open a chart with audit:    median {statistics.median(chart[True]) * 1000:.2f} ms")
        print(f"open a chart without audit: median {statistics.median(chart[False]) * 1000:.2f} ms")
        verdict = "OK" if chart_ratio < CHART_TARGET else "OVER"
        print(
            f"chart opening with its audit entry: {chart_ratio:.3f} x "
            f"(target < {CHART_TARGET:.2f} x) {verdict}"
        )
        met = whole_ratio <= DAY_TARGET and day_ratio <= DAY_TARGET
        return 0 if met and chart_ratio < CHART_TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
