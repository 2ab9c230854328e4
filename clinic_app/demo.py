"""A demo clinic to try the program, train staff, and measure it.

``create_demo_clinic`` makes a complete clinic in an empty folder: the clinic
itself, one account per role with a public password, the drug catalogue,
patients with the names a clinic in Abidjan really meets (accents, hyphens,
apostrophes), a few past consultations with vital signs, diagnoses and
allergies, and a stock with one lot close to expiry and one item under its
reorder level. Every record goes through the same service functions a person
uses through the window, so the demo also proves those rules hold.

Content is deterministic for a given ``seed`` (names, dates, numbers); record
ids and timestamps are not, since they are made where and when a record is born.

The demo passwords are printed and public: a demo folder must never hold real
patients.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from clinic_app.clock import local_date, utc_now
from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.inventory.catalogue import (
    find_by_gtin,
    read_catalogue_file,
    upsert_catalogue_items,
)
from clinic_app.inventory.stock import ReceiptLine, receive_stock
from clinic_app.records.consultations import ConsultationForm, record_consultation
from clinic_app.records.diagnoses import add_diagnosis
from clinic_app.records.patients import Patient, PatientForm, register_patient
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription
from clinic_app.resources import resource_path
from clinic_app.security.accounts import create_clinic, create_user, login, take_recovery_key
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import STANDARD_COST, KdfCost
from clinic_app.storage.store import DB_FILE, SLOTS_FILE

log = logging.getLogger(__name__)

CLINIC_NAME = "Centre de santé de Treichville"
SITE_CODE = "TRV"
TIMEZONE = "Africa/Abidjan"
CATALOGUE_FILE = ("demo", "catalogue.tsv")
PATIENTS_PER_TRANSACTION = 500


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    display_name: str


# User names say the job in French, without accents (user names are ASCII);
# passwords are easy to read aloud during a training session.
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "admin-treichville", Role.ADMIN, "Aïcha Touré"),
    DemoAccount("infirmiere", "infirmiere-demo", Role.NURSE, "Adjoua Yao"),
    DemoAccount("medecin", "medecin-demo", Role.DOCTOR, "Dr Awa Koné"),
    DemoAccount("magasin", "magasin-demo", Role.STOREKEEPER, "Mamadou Diallo"),
)

# --- names and places -----------------------------------------------------------

_GIVEN_FEMALE = (
    "Zoé",
    "Marie",
    "Adjoa",
    "Aïcha",
    "Éloïse",
    "Hélène",
    "Mariétou",
    "Awa",
    "Fatoumata",
    "Aminata",
    "Akissi",
    "Affoué",
    "Amenan",
    "Ahou",
    "Aya",
    "Mariam",
    "Fanta",
    "Bintou",
    "Salimata",
    "Rokia",
    "Noëlle",
    "Kadidja",
    "Clémence",
    "Béatrice",
    "Inès",
    "Grâce",
    "Ange-Marie",
    "Marie-Josée",
    "Ndèye",
    "Chloé",
    "Adèle",
    "Léa",
)
_GIVEN_MALE = (
    "Sékou",
    "Laurent",
    "Kouadio",
    "Koffi",
    "Yao",
    "Kouamé",
    "Konan",
    "Moussa",
    "Mamadou",
    "Ibrahim",
    "Souleymane",
    "Drissa",
    "Adama",
    "Lassina",
    "Jean-Baptiste",
    "Jérôme",
    "Éric",
    "Hervé",
    "Didier",
    "Serge",
    "Amadou",
    "Ousmane",
    "Bakary",
    "Désiré",
    "Noël",
    "Séraphin",
    "Aboubacar",
    "Cheick",
    "Kévin",
    "Frédéric",
    "Mathéo",
    "Yannick",
)
_FAMILY = (
    "N'Guessan",
    "Kouassi-Yao",
    "Ouédraogo",
    "Koné",
    "Traoré",
    "Diallo",
    "Dembélé",
    "Bamba",
    "Gbagbo",
    "Yéo",
    "Fofana",
    "Ndiaye",
    "M'Bengue",
    "Laurent",
    "Marie",
    "Kouassi",
    "Konan",
    "Kouamé",
    "Coulibaly",
    "Touré",
    "Ouattara",
    "Soro",
    "Silué",
    "Doumbia",
    "Diabaté",
    "Cissé",
    "Sangaré",
    "Kamagaté",
    "Aka",
    "Assi",
    "Brou",
    "Tanoh",
    "N'Dri",
    "N'Goran",
    "Amani",
    "Yapo",
    "Kra",
    "Djédjé",
    "Zadi",
    "Gnahoré",
    "Sylla",
    "Camara",
    "Keïta",
    "Sawadogo",
    "Zongo",
    "Diop",
    "Sow",
    "Bah",
    "Guéï",
    "Sékongo",
    "Tiémoko",
    "Akou-Ahoua",
    "Lefèvre",
    "Dubois",
    "Mensah",
    "Adjé",
    "Boni-Claverie",
    "D'Almeida",
)
_VILLAGES = (
    "Treichville",
    "Adjamé",
    "Abobo",
    "Yopougon",
    "Cocody",
    "Marcory",
    "Koumassi",
    "Port-Bouët",
    "Attécoubé",
    "Plateau",
    "Bingerville",
    "Anyama",
    "Grand-Bassam",
    "Dabou",
    "Bouaké",
    "Korhogo",
    "Yamoussoukro",
    "Daloa",
    "San-Pédro",
    "Man",
    "Odienné",
    "Séguéla",
)
_PHONE_PREFIXES = ("01", "05", "07")

# The patients that show the search rules; always registered first.
_SHOWCASE: tuple[tuple[str, str, str], ...] = (
    ("Zoé", "N'Guessan", "female"),  # "zoe" and "nguessan" both find her
    ("Marie", "Laurent", "female"),  # "Laurent" finds her ...
    ("Laurent", "Marie", "male"),  # ... and him: word order does not matter
    ("Sékou", "Kouassi-Yao", "male"),  # "kouassi", "yao" and "kouassiyao" all find him
    ("Mariétou", "Ouédraogo", "female"),  # "ouedraogo" finds her without the accent
    ("Aïcha", "M'Bengue", "female"),
    ("Éloïse", "Dembélé", "female"),
    ("Hélène", "Koné", "female"),
)

# Birth dates are drawn back from a fixed day so that a seed always gives the same people.
_REFERENCE_DAY = date(2026, 1, 1)
# Unique national numbers are drawn from ten digits; far fewer keeps the draw quick.
MAX_DEMO_PATIENTS = 200_000


# --- patients --------------------------------------------------------------------


def _birth_date(rng: random.Random, today: date) -> date:
    # A town clinic's waiting room: many children, most adults, some elders.
    band = rng.random()
    if band < 0.25:
        years = rng.uniform(0, 15)
    elif band < 0.85:
        years = rng.uniform(15, 60)
    else:
        years = rng.uniform(60, 92)
    born = _REFERENCE_DAY - timedelta(days=int(years * 365.25))
    return min(born, today)


def _phone(rng: random.Random) -> str:
    pairs = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    return f"+225 {rng.choice(_PHONE_PREFIXES)} {pairs}"


def demo_patient_forms(count: int, seed: int, today: date) -> list[PatientForm]:
    """``count`` patient forms, the search showcase first, then random people.

    National numbers are unique (``C`` and ten digits, like an Ivorian identity
    card); about one patient in seven has none, as children often do not.
    """
    rng = random.Random(seed)
    numbers = rng.sample(range(10**10), count)
    forms: list[PatientForm] = []
    for index in range(count):
        if index < len(_SHOWCASE):
            given, family, sex = _SHOWCASE[index]
        else:
            sex = rng.choice(("female", "male"))
            given = rng.choice(_GIVEN_FEMALE if sex == "female" else _GIVEN_MALE)
            family = rng.choice(_FAMILY)
        has_number = index < len(_SHOWCASE) or rng.random() > 0.15
        forms.append(
            PatientForm(
                given_name=given,
                family_name=family,
                sex=sex,
                birth_date=_birth_date(rng, today),
                national_id=f"C{numbers[index]:010d}" if has_number else "",
                phone=_phone(rng) if rng.random() < 0.8 else "",
                village=rng.choice(_VILLAGES),
            )
        )
    return forms


def generate_patients(
    session: Session,
    count: int,
    seed: int = 2026,
    *,
    chunk_size: int = PATIENTS_PER_TRANSACTION,
) -> list[Patient]:
    """Register ``count`` demo patients through ``register_patient``, one transaction per chunk.

    Why not a bulk insert: the point of demo and benchmark data is that it is
    what the window would have written, so every patient still goes through
    ``register_patient`` itself: permission check, validation, ``index_key``,
    the duplicate national-number check, the outbox entry and the audit event.
    Only its unit of work changes: it joins one transaction per ``chunk_size``
    patients instead of committing each one: on a 2-core machine 10,000
    patients take ~7.7 s with a commit each and ~2.6 s in chunks of 500. A
    refused patient rolls back its whole chunk and the error is raised:
    generated data that breaks a rule is a bug to see, not to skip.
    """
    today = local_date(utc_now(), session.zone)
    forms = demo_patient_forms(count, seed, today)
    patients: list[Patient] = []
    for start in range(0, len(forms), chunk_size):
        # Each register_patient joins this transaction as a savepoint.
        with session.transaction():
            patients.extend(
                register_patient(session, form, despite_similar=True)  # made up, all distinct
                for form in forms[start : start + chunk_size]
            )
    return patients


# --- consultations ---------------------------------------------------------------

# (complaint, notes, ICD-11 code or None, allergy or None) for the showcase patients.
_VISITS: tuple[tuple[str, str, str | None, tuple[str, str] | None], ...] = (
    (
        "Fièvre et frissons depuis 3 jours",
        "TDR paludisme positif.",
        "1F40.Z",
        ("Amoxicilline", "éruption cutanée"),
    ),
    ("Contrôle de tension", "Suivi HTA, observance correcte.", "BA00.Z", None),
    ("Diarrhée et vomissements", "Réhydratation orale conseillée.", "1A40.Z", None),
    ("Toux depuis une semaine", "Pas de signe de gravité.", None, ("Pénicilline", "urticaire")),
    ("Céphalées", "", None, None),
    ("Douleurs abdominales", "", None, ("Sulfamides", "")),
)


def _vitals(rng: random.Random, patient: Patient, today: date) -> dict[str, float]:
    age = patient.age_on(today) or 30
    systolic = rng.randint(105, 165)
    vitals = {
        "systolic": float(systolic),
        "diastolic": float(rng.randint(60, min(100, systolic - 20))),
        "heart_rate": float(rng.randint(60, 110)),
        "temperature": round(rng.uniform(36.4, 39.6), 1),
        "spo2": float(rng.randint(94, 100)),
    }
    if age >= 15:
        vitals["weight"] = round(rng.uniform(48, 95), 1)
        vitals["height"] = float(rng.randint(150, 188))
    else:
        vitals["weight"] = round(3.5 + age * 2.6, 1)
    return vitals


def _record_visits(
    nurse: Session, doctor: Session, patients: Sequence[Patient], rng: random.Random
) -> int:
    now = utc_now()
    today = local_date(now, nurse.zone)
    count = 0
    for days_ago, (patient, (complaint, notes, code, allergy)) in enumerate(
        zip(patients, _VISITS, strict=False), start=1
    ):
        consultation = record_consultation(
            nurse,
            ConsultationForm(
                patient_id=patient.id,
                complaint=complaint,
                vitals=_vitals(rng, patient, today),
                notes=notes,
                new_allergies=(allergy,) if allergy else (),
                occurred_at=now - timedelta(days=days_ago * 3, hours=rng.randint(1, 6)),
            ),
        )
        if code is not None:
            add_diagnosis(doctor, consultation.id, code)
        count += 1
    return count


# --- stock -----------------------------------------------------------------------


def _receive_demo_stock(
    storekeeper: Session, rows: Sequence[dict[str, object]], rng: random.Random
) -> int:
    """One or two lots of every catalogue item.

    The first item gets a lot that expires in three weeks (the expiry warning),
    the second stays under its reorder level (the order suggestion). No lot is
    already expired: receiving one is refused, as it should be.
    """
    today = local_date(utc_now(), storekeeper.zone)
    received = 0
    for index, row in enumerate(rows):
        gtin = str(row["gtin"])
        reorder_level = int(str(row["reorder_level"]))
        lots: list[tuple[date, int]] = []
        if index == 0:
            lots.append((today + timedelta(days=21), max(10, reorder_level // 2)))
            lots.append((today + timedelta(days=rng.randint(300, 700)), reorder_level * 2))
        elif index == 1:
            lots.append((today + timedelta(days=rng.randint(200, 500)), max(1, reorder_level // 3)))
        else:
            for _ in range(rng.choice((1, 1, 2))):
                quantity = max(5, int(reorder_level * rng.uniform(1.2, 3.0)))
                lots.append((today + timedelta(days=rng.randint(120, 900)), quantity))
        for number, (expiry, quantity) in enumerate(lots):
            # Lots of one item differ by their last letter: a lot has one expiry date.
            lot = f"L{expiry:%y%m}{rng.randrange(100, 1000)}{'ABC'[number]}"
            receive_stock(storekeeper, ReceiptLine(gtin, lot, expiry, quantity))
            received += 1
    return received


# --- the whole clinic ------------------------------------------------------------


def create_demo_clinic(
    data_dir: Path,
    *,
    patients: int = 50,
    cost: KdfCost = STANDARD_COST,
    seed: int = 2026,
    on_recovery_key: Callable[[str], None] | None = None,
    site_code: str = SITE_CODE,
) -> list[DemoAccount]:
    """Make a demo clinic in ``data_dir``; return its accounts (recovery key: ``on_recovery_key``).

    Refuses a folder that already holds a clinic (``ClinicAlreadyExists``,
    nothing changed). If anything fails after the clinic was created, the
    half-made clinic is removed again, so the command can simply be re-run.
    """
    if not 0 <= patients <= MAX_DEMO_PATIENTS:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The number of demo patients must be from 0 to {max}."),
            field="patients",
            max=MAX_DEMO_PATIENTS,
        )
    admin_account, *staff = DEMO_ACCOUNTS
    admin = create_clinic(
        data_dir,
        clinic_name=CLINIC_NAME,
        site_code=site_code,
        timezone=TIMEZONE,
        admin_username=admin_account.username,
        admin_password=admin_account.password,
        admin_display_name=admin_account.display_name,
        cost=cost,
    )
    recovery_key = take_recovery_key(admin)
    if on_recovery_key is not None and recovery_key is not None:
        on_recovery_key(recovery_key)
    sessions: list[Session] = [admin]
    try:
        for account in staff:
            create_user(
                admin,
                username=account.username,
                display_name=account.display_name,
                roles={account.role},
                password=account.password,
                cost=cost,
            )
        catalogue = read_catalogue_file(resource_path(*CATALOGUE_FILE))
        with admin.transaction() as tx:
            upsert_catalogue_items(tx, catalogue)
            admin.audit(
                tx, "load_catalogue", object_kind="catalogue", object_id=str(len(catalogue))
            )
        # Each role does its own part, as in the clinic: the audit trail reads true.
        by_role: dict[Role, Session] = {}
        for account in staff:
            session = login(data_dir, account.username, account.password)
            sessions.append(session)
            by_role[account.role] = session
        rng = random.Random(seed)
        registered = generate_patients(by_role[Role.NURSE], patients, seed)
        visits = _record_visits(
            by_role[Role.NURSE], by_role[Role.DOCTOR], registered[: len(_SHOWCASE)], rng
        )
        lots = _receive_demo_stock(by_role[Role.STOREKEEPER], catalogue, rng)
        if registered:
            _write_waiting_prescription(by_role[Role.DOCTOR], registered[0].id)
        log.info(
            "demo clinic: %d patients, %d consultations, %d stock lots",
            len(registered),
            visits,
            lots,
        )
    except BaseException:
        for session in sessions:
            with suppress(Exception):
                session.close()
        _remove_clinic_files(data_dir)
        raise
    for session in sessions:
        session.close()
    return list(DEMO_ACCOUNTS)


def _write_waiting_prescription(doctor: Session, patient_id: str) -> None:
    """One prescription in the dispensary's queue, so the Stock page has work to show."""
    wanted = {
        "06141410000410": ("4 comprimés", "2 fois par jour", 3, 24),
        "03614142000018": ("1 comprimé", "3 fois par jour", 3, 9),
    }
    lines = []
    for gtin, (dose, frequency, days, quantity) in wanted.items():
        item = find_by_gtin(doctor, gtin)
        if item is not None:
            lines.append(PrescriptionLine(item.id, dose, frequency, days, quantity))
    if lines:
        write_prescription(doctor, patient_id=patient_id, encounter_id=None, lines=lines)


def _remove_clinic_files(data_dir: Path) -> None:
    # Only called after create_clinic succeeded, so these files are the demo's own.
    for name in (DB_FILE + "-wal", DB_FILE + "-shm", DB_FILE, SLOTS_FILE):
        (data_dir / name).unlink(missing_ok=True)


def format_accounts(data_dir: Path, accounts: Sequence[DemoAccount]) -> str:
    """The text the ``demo-data`` command prints: where the clinic is and how to log in."""
    header = ("Role", "User name", "Password", "Name")
    rows = [(a.role.value, a.username, a.password, a.display_name) for a in accounts]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return (
            "  "
            + "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()
        )

    return "\n".join(
        [
            f'Demo clinic "{CLINIC_NAME}" ({SITE_CODE}) created in {data_dir}',
            "",
            line(header),
            line(["-" * width for width in widths]),
            *(line(row) for row in rows),
            "",
            f"Open it with:  clinic-app --data-dir {data_dir}",
            "Try searching: zoe, nguessan, laurent, kouassi, ouedraogo",
            "These passwords are public: never record real patients in this folder.",
        ]
    )
