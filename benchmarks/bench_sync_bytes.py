"""Bytes on the wire per consultation, against the same content as a FHIR R4 JSON Bundle.

    .venv/bin/python benchmarks/bench_sync_bytes.py [--consultations 100]

A real clinic records ``--consultations`` visits, each of a new patient, with
six vital signs (LOINC; the clinic adds the BMI), one ICD-11 diagnosis and a
one-line prescription. ``sync_now`` pushes them to a real central through
``tests/faultproxy.py``, which counts the bytes it forwards (HTTP headers
included, bodies gzip-compressed as the client sends them).

The comparison is the same content as one uncompressed FHIR R4 ``transaction``
Bundle per consultation (Patient, Encounter, one Observation per vital sign
with its LOINC code and UCUM unit, Condition with the ICD-11 MMS code,
MedicationRequest), built and validated with ``fhir.resources.R4B`` (FHIR
4.3, the same shape as R4 for these resources) and serialised as compact JSON.

Target: the bytes sent per consultation are at most a quarter of the FHIR
Bundle's. Exit 0 when met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for extra in (ROOT, ROOT / "tests", ROOT / "benchmarks"):
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

from bench_sync_link import (  # noqa: E402
    COMPLAINTS,
    DIAGNOSES,
    FAMILY,
    GIVEN,
    PASSWORD,
    TIMEOUT,
    USER,
    VITALS,
    enrol_through,
    new_clinic,
    start_central,
)
from big_clinic import describe_machine  # noqa: E402
from faultproxy import FaultProxy  # noqa: E402

from clinic_app.inventory.catalogue import list_catalogue  # noqa: E402
from clinic_app.records.consultations import (  # noqa: E402
    BMI_LOINC,
    LOINC_SYSTEM,
    VITALS_BY_LOINC,
    ConsultationForm,
    record_consultation,
)
from clinic_app.records.diagnoses import add_diagnosis  # noqa: E402
from clinic_app.records.patients import PatientForm, register_patient  # noqa: E402
from clinic_app.records.prescriptions import PrescriptionLine, write_prescription  # noqa: E402
from clinic_app.security.accounts import login  # noqa: E402
from clinic_app.session import Session  # noqa: E402
from clinic_app.sync.service import sync_now  # noqa: E402

TARGET = 0.25
UCUM = "http://unitsofmeasure.org"
GTIN_SYSTEM = "https://www.gs1.org/gtin"
ATC_SYSTEM = "http://www.whocc.no/atc"


def record_visits(session: Session, count: int, rng: random.Random) -> None:
    items = list_catalogue(session)[:20]
    for n in range(count):
        patient = register_patient(
            session,
            PatientForm(
                rng.choice(GIVEN),
                rng.choice(FAMILY),
                rng.choice(["female", "male"]),
                phone=f"+22507{rng.randrange(10**8):08d}",
                village="Anoumabo",
            ),
            despite_similar=True,  # made up
        )
        visit = record_consultation(
            session, ConsultationForm(patient.id, COMPLAINTS[n % len(COMPLAINTS)], VITALS)
        )
        add_diagnosis(session, visit.id, DIAGNOSES[n % len(DIAGNOSES)])
        write_prescription(
            session,
            patient_id=patient.id,
            encounter_id=visit.id,
            lines=[PrescriptionLine(rng.choice(items).id, "1 comprimé", "3 fois par jour", 3, 9)],
        )


def _rows(session: Session, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    found: list[Any] = session.store.all(sql, params)
    return found


def fhir_bundle_json(session: Session, encounter: Any) -> str:
    """The consultation as a FHIR R4(B) transaction Bundle, checked by fhir.resources."""
    from fhir.resources.R4B.bundle import Bundle

    patient = session.store.one("SELECT * FROM patients WHERE id = ?", (encounter["patient_id"],))
    assert patient is not None
    subject = {"reference": f"urn:uuid:{patient['id']}"}
    context = {"reference": f"urn:uuid:{encounter['id']}"}
    resources: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": patient["id"],
            "meta": {"lastUpdated": patient["updated_at"] or patient["created_at"]},
            "identifier": [{"system": "urn:clinic-app:site", "value": patient["site_id"]}],
            "name": [{"family": patient["family_name"], "given": [patient["given_name"]]}],
            "gender": patient["sex"],
            **({"birthDate": patient["birth_date"]} if patient["birth_date"] else {}),
            **(
                {"telecom": [{"system": "phone", "value": patient["phone"]}]}
                if patient["phone"]
                else {}
            ),
            **({"address": [{"city": patient["village"]}]} if patient["village"] else {}),
        },
        {
            "resourceType": "Encounter",
            "id": encounter["id"],
            "status": "finished",
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "AMB",
                "display": "ambulatory",
            },
            "subject": subject,
            "period": {"start": encounter["occurred_at"]},
            "reasonCode": [{"text": encounter["complaint"]}],
        },
    ]
    for obs in _rows(
        session, "SELECT * FROM observations WHERE encounter_id = ?", (encounter["id"],)
    ):
        vital = VITALS_BY_LOINC.get(obs["loinc"])
        display = vital.label if vital is not None else "Body mass index (BMI) [Ratio]"
        assert vital is not None or obs["loinc"] == BMI_LOINC
        resources.append(
            {
                "resourceType": "Observation",
                "id": obs["id"],
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/"
                                "observation-category",
                                "code": "vital-signs",
                                "display": "Vital Signs",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [{"system": LOINC_SYSTEM, "code": obs["loinc"], "display": display}]
                },
                "subject": subject,
                "encounter": context,
                "effectiveDateTime": encounter["occurred_at"],
                "valueQuantity": {
                    "value": obs["value"],
                    "unit": obs["unit"],
                    "system": UCUM,
                    "code": obs["unit"],
                },
            }
        )
    for dx in _rows(session, "SELECT * FROM diagnoses WHERE encounter_id = ?", (encounter["id"],)):
        resources.append(
            {
                "resourceType": "Condition",
                "id": dx["id"],
                "clinicalStatus": {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                            "code": "active",
                        }
                    ]
                },
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/"
                                "condition-category",
                                "code": "encounter-diagnosis",
                            }
                        ]
                    }
                ],
                "code": {
                    "coding": [
                        {"system": dx["system"], "code": dx["code"], "display": dx["display"]}
                    ]
                },
                "subject": subject,
                "encounter": context,
                "recordedDate": dx["created_at"],
            }
        )
    for item in _rows(
        session,
        "SELECT i.*, p.issued_at, p.number, c.gtin, c.atc FROM prescription_items i "
        "JOIN prescriptions p ON p.id = i.prescription_id "
        "JOIN catalogue_items c ON c.id = i.catalogue_item_id WHERE p.encounter_id = ?",
        (encounter["id"],),
    ):
        coding = [{"system": GTIN_SYSTEM, "code": item["gtin"], "display": item["drug_name"]}]
        if item["atc"]:
            coding.append({"system": ATC_SYSTEM, "code": item["atc"]})
        resources.append(
            {
                "resourceType": "MedicationRequest",
                "id": item["id"],
                "identifier": [{"system": "urn:clinic-app:prescription", "value": item["number"]}],
                "status": "active",
                "intent": "order",
                "medicationCodeableConcept": {"coding": coding, "text": item["drug_name"]},
                "subject": subject,
                "encounter": context,
                "authoredOn": item["issued_at"],
                "dosageInstruction": [{"text": f"{item['dose']}, {item['frequency']}"}],
                "dispenseRequest": {
                    "quantity": {"value": item["quantity"]},
                    "expectedSupplyDuration": {
                        "value": item["duration_days"],
                        "unit": "d",
                        "system": UCUM,
                        "code": "d",
                    },
                },
            }
        )
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [
                {
                    "fullUrl": f"urn:uuid:{resource['id']}",
                    "resource": resource,
                    "request": {"method": "POST", "url": resource["resourceType"]},
                }
                for resource in resources
            ],
        }
    )
    text: str = bundle.model_dump_json(exclude_none=True)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--consultations", type=int, default=100)
    args = parser.parse_args()
    print(describe_machine())
    work = Path(tempfile.mkdtemp(prefix="bench-sync-bytes-"))
    try:
        central = start_central(work / "central")
        try:
            data_dir = new_clinic(work / "clinic", "BYT")
            with FaultProxy("127.0.0.1", central.port, lifetime=600) as proxy:
                session = login(data_dir, USER, PASSWORD)
                try:
                    enrol_through(session, central, proxy)
                    sync_now(session, timeout=TIMEOUT)  # the catalogue, not counted
                    record_visits(session, args.consultations, random.Random(7))
                    proxy.reset_stats()
                    report = sync_now(session, timeout=TIMEOUT)
                    stats = proxy.stats
                    encounters = _rows(session, "SELECT * FROM encounters")
                    bundles = [fhir_bundle_json(session, e) for e in encounters]
                finally:
                    session.close()
        finally:
            central.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    count = len(encounters)
    sent = stats.bytes_up / count
    both = (stats.bytes_up + stats.bytes_down) / count
    fhir = sum(len(b.encode("utf-8")) for b in bundles) / count
    ratio = sent / fhir
    print(
        f"{count} consultations: {report.pushed} changes in {report.batches} push batches, "
        f"{stats.count('POST', '/api/v1/push')} push and {stats.count('GET', '/api/v1/pull')} "
        "pull requests"
    )
    print(
        f"wire bytes per consultation, client to central (gzip, HTTP headers included): {sent:.0f}"
    )
    print(f"  both directions (with central's answers): {both:.0f}")
    print(f"FHIR R4B transaction Bundle per consultation, uncompressed compact JSON: {fhir:.0f}")
    ok = ratio <= TARGET
    print(f"ratio: {ratio:.3f} (target <= {TARGET}) {'OK' if ok else 'MISSED'}")
    print(f"  both directions / FHIR: {both / fhir:.3f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
