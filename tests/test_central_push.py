"""One push, record by record, as central stores it (SQLite, then PostgreSQL).

``central.services.push_changes`` reads a batch's records in one query and
writes them in one statement (issue 4, central under load). These tests pin
what it stores for batches that mix new records, records sent again, a patient
written twice in one batch, a prescription line whose prescription came in the
same or an earlier batch, a linked clinic's concurrent edit (a conflict) and
its settlement: each row's owner, payload, change sequence, patient and writer,
and the change counter. A refused batch leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from central_process import CHEAP_HASHER, OPERATOR
from sqlalchemy import Engine, select, tuple_
from test_central_api import new_site_code, public_key
from test_central_input import valid_payload

from central import services
from central.db import CHANGE_COUNTER, counters, create_tables, make_engine, push_batches, records
from central.services import CentralError, Change
from clinic_app.ids import new_id
from clinic_app.sync.merge import conflict_id, with_derived_fields


@pytest.fixture(scope="module")
def engine(central_database_url: str) -> Iterator[Engine]:
    engine = make_engine(central_database_url)
    create_tables(engine)
    services.create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
    yield engine
    engine.dispose()


def enrol(engine: Engine) -> str:
    clinic_id = new_id()
    services.enrol_site(
        engine,
        username=OPERATOR[0],
        password=OPERATOR[1],
        clinic_id=clinic_id,
        clinic_name="Centre de santé de Koumassi",
        site_code=new_site_code(),
        public_key=public_key(),
    )
    return clinic_id


def version(millis: int, site_id: str) -> str:
    return f"{millis:013d}.00000.{site_id}"


def patient(site_id: str, patient_id: str, **fields: Any) -> dict[str, Any]:
    payload = valid_payload("patient", site_id, patient_id)
    payload.update(
        given_name="Awa",
        family_name="Koné",
        sex="F",
        birth_date="1990-04-02",
        national_id=None,
        phone=None,
        village="Anono",
        version="",
        field_versions="{}",
        updated_at="2026-12-01T08:00:00+00:00",
    )
    payload.update(fields)
    return with_derived_fields(payload)


def phone_edit(
    site_id: str, patient_id: str, phone: str, at: str, seen: dict[str, str], **extra: Any
) -> dict[str, Any]:
    entry: dict[str, Any] = {"v": at, "seen": seen}
    if extra.pop("settles", False):
        entry["settles"] = 1
    return patient(
        site_id,
        patient_id,
        phone=phone,
        version=at,
        field_versions=json.dumps({"phone": entry}, sort_keys=True, separators=(",", ":")),
        updated_at="2026-12-02T09:00:00+00:00",
        **extra,
    )


def record(kind: str, site_id: str, **fields: Any) -> dict[str, Any]:
    return {**valid_payload(kind, site_id), **fields}


def batch(*payloads: tuple[str, dict[str, Any]], first_seq: int = 1) -> list[Change]:
    return [
        Change(first_seq + n, kind, payload["id"], payload)
        for n, (kind, payload) in enumerate(payloads)
    ]


def counter(engine: Engine) -> int:
    with engine.connect() as conn:
        value = conn.execute(
            select(counters.c.value).where(counters.c.name == CHANGE_COUNTER)
        ).scalar_one()
    return int(value)


def rows(engine: Engine, *keys: tuple[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each record as stored: owner, payload (parsed), change sequence, patient, writer."""
    with engine.connect() as conn:
        found = conn.execute(
            select(
                records.c.kind,
                records.c.id,
                records.c.site_id,
                records.c.payload,
                records.c.change_seq,
                records.c.patient_id,
                records.c.changed_by,
            ).where(tuple_(records.c.kind, records.c.id).in_(list(keys)))
        ).all()
    return {
        (row.kind, row.id): {
            "site_id": row.site_id,
            "payload": json.loads(row.payload),
            "seq": int(row.change_seq),
            "patient_id": row.patient_id,
            "changed_by": row.changed_by,
        }
        for row in found
    }


def test_a_mixed_day_of_batches_is_stored_record_by_record(engine: Engine) -> None:
    clinic = enrol(engine)
    other = enrol(engine)
    awa_id = new_id()
    registered = patient(clinic, awa_id, given_name="Awa")
    corrected = patient(clinic, awa_id, given_name="Awa Mariam")
    visit = record("encounter", clinic, patient_id=awa_id)
    pulse = record("observation", clinic, patient_id=awa_id, encounter_id=visit["id"])
    rx = record("prescription", clinic, patient_id=awa_id, encounter_id=visit["id"])
    line = record("prescription_item", clinic, prescription_id=rx["id"])
    stray_line = record("prescription_item", clinic, prescription_id=new_id())

    # Batch 1: all new; the patient twice (registered, then corrected); a prescription
    # and its line; a line whose prescription central has never seen.
    start = counter(engine)
    first = batch(
        ("patient", registered),
        ("patient", corrected),
        ("encounter", visit),
        ("observation", pulse),
        ("prescription", rx),
        ("prescription_item", line),
        ("prescription_item", stray_line),
    )
    assert services.push_changes(engine, clinic, "batch-1-" + clinic, first) == 7
    stored = rows(
        engine,
        ("patient", awa_id),
        ("encounter", visit["id"]),
        ("observation", pulse["id"]),
        ("prescription", rx["id"]),
        ("prescription_item", line["id"]),
        ("prescription_item", stray_line["id"]),
    )
    # The patient's first version took start + 1; its correction replaced it at start + 2.
    assert stored[("patient", awa_id)] == {
        "site_id": clinic,
        "payload": corrected,
        "seq": start + 2,
        "patient_id": awa_id,
        "changed_by": clinic,
    }
    assert [
        stored[key]["seq"]
        for key in [
            ("encounter", visit["id"]),
            ("observation", pulse["id"]),
            ("prescription", rx["id"]),
            ("prescription_item", line["id"]),
            ("prescription_item", stray_line["id"]),
        ]
    ] == [start + 3, start + 4, start + 5, start + 6, start + 7]
    assert stored[("prescription_item", line["id"])]["patient_id"] == awa_id
    assert stored[("prescription_item", stray_line["id"])]["patient_id"] is None
    assert all(row["site_id"] == clinic and row["changed_by"] == clinic for row in stored.values())
    assert counter(engine) == start + 7

    # The same batch id again: answered from the batch log, nothing written.
    assert services.push_changes(engine, clinic, "batch-1-" + clinic, first) == 7
    assert counter(engine) == start + 7

    # Batch 2: records sent again (same content: no new sequence), a second line of the
    # prescription stored in batch 1, and the clinic's own edit of the patient's phone.
    second_line = record("prescription_item", clinic, prescription_id=rx["id"])
    phone_at = version(1_800_000_000_000, clinic)
    edited = phone_edit(clinic, awa_id, "0707070707", phone_at, {clinic: phone_at})
    edited["given_name"] = "Awa Mariam"
    edited = with_derived_fields(edited)
    second = batch(
        ("encounter", visit),
        ("prescription_item", line),
        ("prescription_item", second_line),
        ("patient", edited),
        first_seq=8,
    )
    assert services.push_changes(engine, clinic, "batch-2-" + clinic, second) == 11
    stored = rows(
        engine,
        ("encounter", visit["id"]),
        ("prescription_item", line["id"]),
        ("prescription_item", second_line["id"]),
        ("patient", awa_id),
    )
    assert stored[("encounter", visit["id"])]["seq"] == start + 3
    assert stored[("prescription_item", line["id"])]["seq"] == start + 6
    assert stored[("prescription_item", second_line["id"])] == {
        "site_id": clinic,
        "payload": second_line,
        "seq": start + 8,
        "patient_id": awa_id,
        "changed_by": clinic,
    }
    awa = stored[("patient", awa_id)]
    assert (awa["seq"], awa["site_id"], awa["payload"]["phone"]) == (
        start + 9,
        clinic,
        "0707070707",
    )
    assert counter(engine) == start + 9

    # Batch 3, from a clinic linked to Awa: a concurrent edit of her phone (neither saw
    # the other's). The later version wins for now; central writes the conflict; both
    # rows are central's writing (changed_by NULL), so both clinics pull them.
    own_id = new_id()
    services.push_changes(engine, other, "own-" + other, batch(("patient", patient(other, own_id))))
    services.link_patients(engine, awa_id, own_id, "operator")
    start = counter(engine)
    their_at = version(1_800_000_000_500, other)
    theirs = phone_edit(clinic, awa_id, "0505050505", their_at, {other: their_at})
    theirs["given_name"] = "Awa Mariam"
    theirs = with_derived_fields(theirs)
    assert services.push_changes(engine, other, "batch-3-" + other, batch(("patient", theirs))) == 1
    conflict = conflict_id(awa_id, "phone", phone_at, their_at)
    stored = rows(engine, ("patient", awa_id), ("sync_conflict", conflict))
    awa = stored[("patient", awa_id)]
    assert (awa["seq"], awa["site_id"], awa["changed_by"]) == (start + 1, clinic, None)
    assert awa["payload"]["phone"] == "0505050505"
    found = stored[("sync_conflict", conflict)]
    assert (found["seq"], found["site_id"], found["patient_id"], found["changed_by"]) == (
        start + 2,
        clinic,
        awa_id,
        None,
    )
    assert found["payload"]["value_a"] == "0707070707"
    assert found["payload"]["value_b"] == "0505050505"
    assert not found["payload"].get("settled_at")
    assert counter(engine) == start + 2

    # Batch 4: the clinic settles it (an edit that saw both sides) after a new encounter
    # in the same batch: the patient and the conflict (now settled) get new sequences.
    start = counter(engine)
    settled_at = version(1_800_000_001_000, clinic)
    settling = phone_edit(
        clinic,
        awa_id,
        "0707070707",
        settled_at,
        {clinic: settled_at, other: their_at},
        settles=True,
    )
    settling["given_name"] = "Awa Mariam"
    settling = with_derived_fields(settling)
    follow_up = record("encounter", clinic, patient_id=awa_id)
    fourth = batch(("encounter", follow_up), ("patient", settling), first_seq=12)
    assert services.push_changes(engine, clinic, "batch-4-" + clinic, fourth) == 13
    stored = rows(
        engine, ("encounter", follow_up["id"]), ("patient", awa_id), ("sync_conflict", conflict)
    )
    assert stored[("encounter", follow_up["id"])]["seq"] == start + 1
    awa = stored[("patient", awa_id)]
    assert (awa["seq"], awa["payload"]["phone"]) == (start + 2, "0707070707")
    found = stored[("sync_conflict", conflict)]
    assert found["seq"] == start + 3
    assert found["payload"]["settled_value"] == "0707070707"
    assert found["payload"]["settled_version"] == settled_at
    assert counter(engine) == start + 3


def push_refused(engine: Engine, site_id: str, changes: list[Change]) -> CentralError:
    start = counter(engine)
    batch_id = "refused-" + new_id()
    with pytest.raises(CentralError) as refused:
        services.push_changes(engine, site_id, batch_id, changes)
    assert counter(engine) == start
    with engine.connect() as conn:
        logged = conn.execute(
            select(push_batches.c.batch_id).where(push_batches.c.batch_id == batch_id)
        ).first()
    assert logged is None
    return refused.value


def test_a_refused_batch_stores_none_of_its_new_records(engine: Engine) -> None:
    clinic = enrol(engine)
    other = enrol(engine)
    awa_id = new_id()
    visit = record("encounter", clinic, patient_id=awa_id)
    services.push_changes(
        engine,
        clinic,
        "first-" + clinic,
        batch(("patient", patient(clinic, awa_id)), ("encounter", visit)),
    )
    fresh = record("encounter", clinic, patient_id=awa_id)
    changed = {**visit, "complaint": "another complaint"}

    # A new record, then an append-only record with other content: 409, nothing kept.
    refusal = push_refused(
        engine, clinic, batch(("encounter", fresh), ("encounter", changed), first_seq=3)
    )
    assert (refusal.status, refusal.code) == (409, "record_differs")
    assert "change 2" in refusal.message
    assert rows(engine, ("encounter", fresh["id"])) == {}

    # Another clinic's patient, no link: 403, and its own new record is not kept either.
    theirs = record("encounter", other, patient_id=new_id())
    refusal = push_refused(
        engine,
        other,
        batch(("encounter", theirs), ("patient", patient(clinic, awa_id, village="Bingerville"))),
    )
    assert (refusal.status, refusal.code) == (403, "site_refused")
    assert rows(engine, ("encounter", theirs["id"])) == {}
    assert rows(engine, ("patient", awa_id))[("patient", awa_id)]["payload"]["village"] == "Anono"


def test_a_pull_that_finds_nothing_to_see_moves_the_cursor_to_the_head(engine: Engine) -> None:
    # A clinic whose own pushes are all there is must not scan them again at every pull.
    mine, other = enrol(engine), enrol(engine)
    for site in (mine, other):
        patient_id = new_id()
        services.push_changes(
            engine,
            site,
            f"b-{new_id()}",
            [Change(1, "patient", patient_id, patient(site, patient_id))],
        )
    with engine.connect() as conn:
        head = conn.execute(
            select(counters.c.value).where(counters.c.name == CHANGE_COUNTER)
        ).scalar_one()
    page = services.pull_changes(engine, mine, 0, 500)
    assert [c.kind for c in page.changes if c.kind == "patient"] == []  # neither is for it
    assert (page.last_seq, page.more) == (head, False)
    again = services.pull_changes(engine, mine, page.last_seq, 500)
    assert (again.changes, again.last_seq) == ([], head)
