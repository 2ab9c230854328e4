"""Central against bad input: every refusal is a worded 4xx (or one CLI line), never a 500.

Each defect QA found is kept as a case here, next to the generated cases of its
kind (every kind x every field, every bound), on SQLite and PostgreSQL where the
database is involved.
"""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from central_process import OPERATOR, REPO, CentralProcess, free_port
from sqlalchemy import func, select
from test_central_api import HEADERS, enrol_site, new_site_code, public_key

from central import cli, services
from central.db import push_batches, records, sites
from central.protocol import (
    CLINIC_KINDS,
    KIND_FIELDS,
    MAX_BATCH_CHANGES,
    MAX_INT,
    MAX_TEXT_VALUE,
    MUTABLE_KINDS,
    FieldType,
    Presence,
)
from central.services import CentralError, Change
from clinic_app.ids import new_id
from clinic_app.storage.schema import MIGRATIONS
from clinic_app.sync.client import CentralClient, ChangesRefused
from clinic_app.sync.errors import EnrolmentInvalid, SiteCodeTaken
from clinic_app.sync.kinds import KIND_TABLES
from clinic_app.sync.kinds import MUTABLE_KINDS as CLINIC_MUTABLE_KINDS

HUGE = 99999999999999999999999  # the number QA sent


# --- helpers -------------------------------------------------------------------------------


def valid_payload(kind: str, site_id: str, record_id: str | None = None) -> dict[str, Any]:
    """A record of ``kind`` with every field of the protocol, each of the right type."""
    samples = {FieldType.TEXT: "x", FieldType.INTEGER: 3, FieldType.REAL: 36.6}
    payload: dict[str, Any] = {name: samples[spec.type] for name, spec in KIND_FIELDS[kind].items()}
    payload["id"] = record_id or new_id()
    if "site_id" in payload:
        payload["site_id"] = site_id
    return payload


def change(seq: int, kind: str, site_id: str, **fields: Any) -> dict[str, Any]:
    payload = {**valid_payload(kind, site_id), **fields}
    return {"seq": seq, "kind": kind, "id": payload["id"], "payload": payload}


@pytest.fixture
def site(central: CentralProcess) -> tuple[str, str]:
    """A freshly enrolled made-up clinic: (clinic id, device token)."""
    return enrol_site(central)


def post_push(central: CentralProcess, token: str, body: Any, *, raw: bool = False) -> Any:
    data = body if raw else json.dumps(body)
    return requests.post(
        f"{central.base_url}/api/v1/push",
        data=data,
        headers={**HEADERS, "Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=10,
    )


def get_pull(central: CentralProcess, token: str, **params: Any) -> Any:
    return requests.get(
        f"{central.base_url}/api/v1/pull",
        params=params,
        headers={**HEADERS, "Authorization": f"Bearer {token}"},
        timeout=10,
    )


def stored_ids(central: CentralProcess, ids: list[str]) -> list[str]:
    with central.engine().connect() as conn:
        return list(conn.execute(select(records.c.id).where(records.c.id.in_(ids))).scalars())


def batch_known(central: CentralProcess, batch_id: str) -> bool:
    with central.engine().connect() as conn:
        found = conn.execute(
            select(push_batches.c.batch_id).where(push_batches.c.batch_id == batch_id)
        ).first()
    return found is not None


def assert_no_traceback(central: CentralProcess) -> None:
    assert "Traceback" not in central.log_tail(400)


# --- 1. numbers out of range ------------------------------------------------------------------


@pytest.mark.parametrize(
    "seq",
    [HUGE, 2**63, -1, -(2**63) - 1, "5", 5.0, True, None, [1], 1e300],
    ids=repr,
)
def test_push_seq_out_of_range_or_not_a_number_is_422(
    central: CentralProcess, site: tuple[str, str], seq: Any
) -> None:
    clinic_id, token = site
    item = {**change(1, "patient", clinic_id), "seq": seq}
    batch_id = new_id()
    answer = post_push(central, token, {"batch_id": batch_id, "changes": [item]})
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert "seq" in answer.json()["message"]
    assert stored_ids(central, [item["id"]]) == []
    assert not batch_known(central, batch_id)
    assert_no_traceback(central)


def test_largest_seq_is_accepted(central: CentralProcess, site: tuple[str, str]) -> None:
    clinic_id, token = site
    answer = post_push(
        central, token, {"batch_id": new_id(), "changes": [change(MAX_INT, "patient", clinic_id)]}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"acked_seq": MAX_INT}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": HUGE}, "after"),
        ({"after": 2**63}, "after"),
        ({"after": -1}, "after"),
        ({"after": "abc"}, "after"),
        ({"after": "1e5"}, "after"),
        ({"limit": HUGE}, "limit"),
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": -(2**70)}, "limit"),
    ],
    ids=repr,
)
def test_pull_cursor_or_limit_out_of_range_is_422(
    central: CentralProcess, site: tuple[str, str], params: dict[str, Any], field: str
) -> None:
    _clinic_id, token = site
    answer = get_pull(central, token, **params)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert field in answer.json()["message"]
    assert_no_traceback(central)


def test_pull_at_the_largest_cursor_is_an_empty_page(
    central: CentralProcess, site: tuple[str, str]
) -> None:
    _clinic_id, token = site
    answer = get_pull(central, token, after=MAX_INT, limit=1000)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"changes": [], "last_seq": MAX_INT, "more": False}


@pytest.mark.parametrize(
    ("kind", "field", "raw_value"),
    [
        ("stock_movement", "quantity", str(HUGE)),
        ("stock_movement", "quantity", str(-(2**63) - 1)),
        ("prescription_item", "duration_days", "9" * 5000),  # beyond Python's int parsing limit
        ("observation", "value", "NaN"),
        ("observation", "value", "Infinity"),
        ("observation", "value", "1e400"),
        ("patient", "given_name", '"\\ud800"'),  # a lone surrogate: not storable as UTF-8
        ("patient", "given_name", '"a\\u0000b"'),
    ],
)
def test_out_of_range_values_inside_a_record_are_422(
    central: CentralProcess, site: tuple[str, str], kind: str, field: str, raw_value: str
) -> None:
    clinic_id, token = site
    item = change(1, kind, clinic_id, **{field: "PLACEHOLDER"})
    body = json.dumps({"batch_id": new_id(), "changes": [item]})
    body = body.replace('"PLACEHOLDER"', raw_value)
    answer = post_push(central, token, body, raw=True)
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] in {"invalid_request", "invalid_change"}
    assert stored_ids(central, [item["id"]]) == []
    assert_no_traceback(central)


def test_bodies_and_batches_are_bounded(central: CentralProcess, site: tuple[str, str]) -> None:
    clinic_id, token = site
    too_many = [change(n, "patient", clinic_id) for n in range(1, MAX_BATCH_CHANGES + 2)]
    answer = post_push(central, token, {"batch_id": new_id(), "changes": too_many})
    assert answer.status_code == 413
    assert answer.json()["error"] == "batch_too_large"

    # A plain (not gzip) body over the limit is refused before it is parsed.
    huge_body = b'{"batch_id": "' + b"x" * (33 * 1024 * 1024) + b'"}'
    answer = post_push(central, token, huge_body, raw=True)
    assert answer.status_code == 413
    assert answer.json()["error"] == "request_too_large"

    long_text = change(1, "encounter", clinic_id, notes="n" * (MAX_TEXT_VALUE + 1))
    answer = post_push(central, token, {"batch_id": new_id(), "changes": [long_text]})
    assert answer.status_code == 422
    assert "notes" in answer.json()["message"]

    for batch_id in ["", " ", "b" * 65, "\x00"]:
        answer = post_push(central, token, {"batch_id": batch_id, "changes": []})
        assert answer.status_code == 422, batch_id
    assert_no_traceback(central)


# --- 1. record shapes -----------------------------------------------------------------------


def _mutations() -> Iterator[tuple[str, str, Callable[[dict[str, Any]], None], str]]:
    """(case id, kind, how to break a valid change, words the refusal must hold)."""

    def set_field(name: str, value: Any) -> Callable[[dict[str, Any]], None]:
        return lambda item: item["payload"].__setitem__(name, value)

    def drop_field(name: str) -> Callable[[dict[str, Any]], None]:
        return lambda item: item["payload"].pop(name)

    wrong = {FieldType.TEXT: 12, FieldType.INTEGER: "12", FieldType.REAL: "36.6"}
    for kind in sorted(CLINIC_KINDS):
        yield f"{kind}-evil", kind, set_field("evil", "x"), "evil"
        yield f"{kind}-nested", kind, set_field("given_name", {"a": 1}), "given_name"
        for name, spec in KIND_FIELDS[kind].items():
            if name == "id":
                continue
            if spec.presence is Presence.REQUIRED:
                yield f"{kind}-no-{name}", kind, drop_field(name), name
            if spec.presence is not Presence.OPTIONAL:
                yield f"{kind}-null-{name}", kind, set_field(name, None), name
            yield f"{kind}-{name}-wrong-type", kind, set_field(name, wrong[spec.type]), name
            yield f"{kind}-{name}-list", kind, set_field(name, [1]), name
        if "site_id" not in KIND_FIELDS[kind]:
            yield f"{kind}-site_id", kind, set_field("site_id", "x"), "site_id"


MUTATIONS = list(_mutations())


@pytest.mark.parametrize(
    ("kind", "breaks", "words"),
    [case[1:] for case in MUTATIONS],
    ids=[case[0] for case in MUTATIONS],
)
def test_every_field_of_every_kind_is_checked(
    kind: str, breaks: Callable[[dict[str, Any]], None], words: str
) -> None:
    """Generated: for every kind, each missing, null, mistyped or unknown field is refused."""
    site_id = new_id()
    item = change(1, kind, site_id)
    breaks(item)
    # Validation happens before any database work: no engine is needed to see the refusal.
    with pytest.raises(CentralError) as refused:
        services.check_batch(site_id, [Change(**item)])
    assert refused.value.status == 422
    assert refused.value.code == "invalid_change"
    assert words in refused.value.message
    assert kind in refused.value.message


@pytest.mark.parametrize("kind", sorted(CLINIC_KINDS))
def test_a_complete_record_of_every_kind_is_accepted(
    central: CentralProcess, site: tuple[str, str], kind: str
) -> None:
    clinic_id, token = site
    full = change(1, kind, clinic_id)
    # Optional fields may be left out or null; defaulted ones may be left out.
    sparse = change(2, kind, clinic_id)
    for name, spec in KIND_FIELDS[kind].items():
        if spec.presence is Presence.OPTIONAL:
            sparse["payload"][name] = None
        elif spec.presence is Presence.DEFAULTED:
            del sparse["payload"][name]
    answer = post_push(central, token, {"batch_id": new_id(), "changes": [full, sparse]})
    assert answer.status_code == 200, answer.text
    assert sorted(stored_ids(central, [full["id"], sparse["id"]])) == sorted(
        [full["id"], sparse["id"]]
    )


@pytest.mark.parametrize(
    ("case", "status", "code", "words"),
    [
        ("evil-field", 422, "invalid_change", "'evil'"),
        ("empty-patient", 422, "invalid_change", "required field"),
        ("payload-not-object", 422, "invalid_request", "payload"),
        ("id-not-uuid", 422, "invalid_change", "UUID"),
        ("id-upper-case", 422, "invalid_change", "UUID"),
        ("payload-id-differs", 422, "invalid_change", "id differs"),
        ("no-site-id", 422, "invalid_change", "site_id"),
        ("other-site", 403, "site_refused", "another clinic"),
        ("unknown-kind", 422, "unknown_kind", "unknown record kind"),
        ("duplicate-id", 422, "invalid_change", "twice"),
        ("duplicate-seq", 422, "invalid_change", "seq must increase"),
        ("seq-goes-back", 422, "invalid_change", "seq must increase"),
        ("record-too-big", 422, "invalid_change", "larger than"),
    ],
)
def test_a_batch_with_one_bad_change_is_refused_whole(
    central: CentralProcess,
    site: tuple[str, str],
    case: str,
    status: int,
    code: str,
    words: str,
) -> None:
    clinic_id, token = site
    good = change(1, "encounter", clinic_id)
    bad = change(2, "patient", clinic_id)
    if case == "evil-field":
        bad["payload"]["evil"] = "<script>"
    elif case == "empty-patient":
        bad["payload"] = {"id": bad["id"]}
    elif case == "payload-not-object":
        bad["payload"] = ["not", "an", "object"]
    elif case == "id-not-uuid":
        bad["id"] = bad["payload"]["id"] = "not-a-uuid"
    elif case == "id-upper-case":
        bad["id"] = bad["payload"]["id"] = bad["id"].upper()
    elif case == "payload-id-differs":
        bad["payload"]["id"] = new_id()
    elif case == "no-site-id":
        del bad["payload"]["site_id"]
    elif case == "other-site":
        bad["payload"]["site_id"] = new_id()
    elif case == "unknown-kind":
        bad["kind"] = "evil_kind"
    elif case == "duplicate-id":
        bad = change(2, "encounter", clinic_id, id=good["id"])  # append-only kind
        bad["id"] = good["id"]
    elif case == "duplicate-seq":
        bad["seq"] = 1
    elif case == "seq-goes-back":
        good["seq"], bad["seq"] = 5, 4
    elif case == "record-too-big":
        texts = [name for name, spec in KIND_FIELDS["patient"].items() if name != "id"]
        for name in texts:  # each within the text limit, together over the record limit
            bad["payload"][name] = "é" * MAX_TEXT_VALUE  # 2 bytes each in UTF-8
        bad["payload"]["site_id"] = clinic_id
    batch_id = new_id()
    answer = post_push(central, token, {"batch_id": batch_id, "changes": [good, bad]})
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == code
    assert words in answer.json()["message"]
    assert "<script>" not in answer.text  # refusals name fields, never echo values
    assert stored_ids(central, [good["id"], bad["id"]]) == []  # nothing of the batch stored
    assert not batch_known(central, batch_id)
    assert_no_traceback(central)


def test_the_clinic_sees_a_refused_shape_as_changes_refused(
    central: CentralProcess, site: tuple[str, str]
) -> None:
    clinic_id, token = site
    with CentralClient(central.base_url, token) as client, pytest.raises(ChangesRefused) as e:
        client.push(new_id(), [change(1, "patient", clinic_id, evil="x")])
    assert e.value.message.params["reason"] == "invalid_change"


def test_a_patient_corrected_within_one_batch_keeps_the_last_version(
    central: CentralProcess, site: tuple[str, str]
) -> None:
    clinic_id, token = site
    first = change(1, "patient", clinic_id, phone="0101")
    second = {**first, "seq": 2, "payload": {**first["payload"], "phone": "0707"}}
    answer = post_push(central, token, {"batch_id": new_id(), "changes": [first, second]})
    assert answer.status_code == 200, answer.text
    with central.engine().connect() as conn:
        payload = conn.execute(
            select(records.c.payload).where(records.c.id == first["id"])
        ).scalar_one()
    assert json.loads(payload)["phone"] == "0707"


def test_the_field_lists_match_the_clinic_schema() -> None:
    """central/protocol.py's KIND_FIELDS is the wire contract; it must follow the clinic tables."""
    conn = sqlite3.connect(":memory:")
    for step in MIGRATIONS:
        if isinstance(step, str):
            conn.executescript(step)
        else:
            step(conn)
    types = {"TEXT": FieldType.TEXT, "INTEGER": FieldType.INTEGER, "REAL": FieldType.REAL}
    assert set(KIND_FIELDS) == set(KIND_TABLES)
    for kind, table in KIND_TABLES.items():
        derived = {}
        for _cid, name, kind_type, not_null, default, primary in conn.execute(
            f"PRAGMA table_info({table})"
        ):
            if primary or (not_null and default is None):
                presence = Presence.REQUIRED
            elif not_null:
                presence = Presence.DEFAULTED
            else:
                presence = Presence.OPTIONAL
            derived[name] = (types[kind_type], presence)
        assert {name: tuple(spec) for name, spec in KIND_FIELDS[kind].items()} == derived, kind
    assert MUTABLE_KINDS == CLINIC_MUTABLE_KINDS


# --- 3. the drug catalogue ----------------------------------------------------------------------

CATALOGUE_HEADER = "gtin\tname\tform\tstrength\tatc\tunit\treorder_level\n"
GOOD_LINE = "03614142000018\tParacétamol\tcomprimé\t500 mg\tN02BE01\tcomprimé\t500\n"


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("08800154310022\t\t\t\t\t\t-5\n", "name is empty"),  # QA's case
        ("08800154310022\tAmox\t\t500 mg\t\tgélule\t3\n", "form is empty"),
        ("08800154310022\tAmox\tgélule\t  \t\tgélule\t3\n", "strength is empty"),
        ("08800154310022\tAmox\tgélule\t500 mg\t\t\t3\n", "unit is empty"),
        ("08800154310022\tAmox\tgélule\t500 mg\t\tgélule\t-5\n", "reorder_level"),
        ("08800154310022\tAmox\tgélule\t500 mg\t\tgélule\t1.5\n", "reorder_level"),
        ("08800154310022\tAmox\tgélule\t500 mg\t\tgélule\tbeaucoup\n", "reorder_level"),
        ("08800154310022\tAmox\tgélule\t500 mg\t\tgélule\t" + "9" * 30 + "\n", "reorder_level"),
        ("08800154310023\tAmox\tgélule\t500 mg\t\tgélule\t3\n", "check digit"),
        ("12345\tAmox\tgélule\t500 mg\t\tgélule\t3\n", "not a GTIN"),
        ("０８８００１５４３１００２２\tAmox\tgélule\t500 mg\t\tgélule\t3\n", "not a GTIN"),
        ("08800154310022\tAmox\tgélule\t500 mg\tJ01-CA04\tgélule\t3\n", "not an ATC code"),
        ("08800154310022\tAmox\tgélule\t500 mg\tj01ca04\tgélule\t3\n", "not an ATC code"),
        ("08800154310022\t" + "A" * 201 + "\tgélule\t500 mg\t\tgélule\t3\n", "longer than"),
        ("08800154310022\tAm\x07ox\tgélule\t500 mg\t\tgélule\t3\n", "control characters"),
        ("08800154310022\tAmox\tgélule\n", "columns"),
        ("3614142000018\tParacétamol bis\tcomprimé\t1 g\t\tcomprimé\t5\n", "already on line 2"),
    ],
)
def test_a_catalogue_with_one_bad_line_loads_nothing(
    central: CentralProcess, tmp_path: Path, line: str, words: str
) -> None:
    catalogue = tmp_path / "catalogue.tsv"
    new_good = "05400123456787\tAmoxicilline\tsuspension\t250 mg/5 ml\tJ01CA04\tflacon\t20\n"
    catalogue.write_text(CATALOGUE_HEADER + GOOD_LINE + line + new_good, encoding="utf-8")
    before = _catalogue_rows(central)
    with pytest.raises(ValueError, match=words) as refused:
        services.seed_catalogue(central.engine(), catalogue)
    assert f"{catalogue}:3:" in str(refused.value)  # names the line
    assert "nothing was loaded" in str(refused.value)
    assert _catalogue_rows(central) == before


def _catalogue_rows(central: CentralProcess) -> int:
    with central.engine().connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(records).where(records.c.kind == "catalogue_item")
            ).scalar_one()
        )


def test_catalogue_atc_levels_bom_and_blank_reorder_are_accepted(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.tsv"
    catalogue.write_text(
        "\ufeff"
        + CATALOGUE_HEADER
        + "03614142000018\tParacétamol\tcomprimé\t500 mg\tN02\tcomprimé\t\n"
        + "08800154310022\tAmoxicilline\tgélule\t500 mg\t\tgélule\t0\n",
        encoding="utf-8",
    )
    items = services.read_catalogue(catalogue)
    assert [item["atc"] for item in items] == ["N02", None]
    assert [item["reorder_level"] for item in items] == [0, 0]


def test_several_bad_lines_are_all_named(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.tsv"
    bad = "08800154310022\t\tgélule\t500 mg\t\tgélule\t3\n"
    catalogue.write_text(CATALOGUE_HEADER + bad * 13, encoding="utf-8")
    with pytest.raises(ValueError, match=r"and 3 more") as refused:
        services.read_catalogue(catalogue)
    assert f"{catalogue}:2: name is empty" in str(refused.value)


# --- 4. enrolment -------------------------------------------------------------------------------


def enrol(central: CentralProcess, **fields: Any) -> str:
    values = {
        "username": OPERATOR[0],
        "password": OPERATOR[1],
        "clinic_id": new_id(),
        "clinic_name": "Centre de santé de Koumassi",
        "site_code": new_site_code(),
        "public_key": public_key(),
        **fields,
    }
    with CentralClient(central.base_url) as client:
        return client.enrol(**values)


def test_a_second_clinic_cannot_take_a_site_code(central: CentralProcess) -> None:
    code = new_site_code()
    first_id = new_id()
    enrol(central, clinic_id=first_id, site_code=code)
    enrol(central, clinic_id=first_id, site_code=code)  # the same clinic again: fine

    with pytest.raises(SiteCodeTaken) as refused:
        enrol(central, site_code=code)
    assert str(refused.value) == (
        f"Central already has a clinic with site code {code}. Choose another site code."
    )
    answer = requests.post(
        f"{central.base_url}/api/v1/enrol",
        headers=HEADERS,
        timeout=10,
        json={
            "username": OPERATOR[0],
            "password": OPERATOR[1],
            "clinic_id": new_id(),
            "clinic_name": "X",
            "site_code": code,
            "public_key": public_key(),
        },
    )
    assert answer.status_code == 409
    assert answer.json()["error"] == "site_code_taken"
    assert "choose another site code" in answer.json()["message"]
    with central.engine().connect() as conn:
        holders = conn.execute(select(sites.c.clinic_id).where(sites.c.site_code == code)).all()
    assert [row.clinic_id for row in holders] == [first_id]

    # Nor may the first clinic's code be taken by a clinic re-enrolling under a new code.
    second_id = new_id()
    enrol(central, clinic_id=second_id)
    with pytest.raises(SiteCodeTaken):
        enrol(central, clinic_id=second_id, site_code=code)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("site_code", "T", "site code"),
        ("site_code", "", "site code"),
        ("site_code", "ABCDEFGHIJK", "site code"),
        ("site_code", "trv", "site code"),
        ("site_code", "TR V", "site code"),
        ("site_code", "TR-V", "site code"),
        ("site_code", "ÉTÉ", "site code"),
        ("clinic_name", "", "clinic name"),
        ("clinic_name", "   ", "clinic name"),
        ("clinic_name", "C" * 201, "clinic name"),
        ("clinic_name", "Centre\x00", "clinic name"),
        ("public_key", "not base64!", "public_key"),
        ("public_key", base64.b64encode(b"k" * 31).decode(), "public_key"),
        ("public_key", base64.b64encode(b"k" * 33).decode(), "public_key"),
        ("public_key", "", "public_key"),
        ("clinic_id", "clinic-1", "clinic_id"),
        ("clinic_id", "", "clinic_id"),
    ],
)
def test_enrolment_fields_are_checked(
    central: CentralProcess, field: str, value: str, words: str
) -> None:
    clinic_id = new_id()
    with pytest.raises(EnrolmentInvalid) as refused:
        enrol(central, **{"clinic_id": clinic_id, field: value})
    assert words in str(refused.value)
    with central.engine().connect() as conn:
        assert conn.execute(select(sites).where(sites.c.clinic_id == clinic_id)).first() is None
    assert_no_traceback(central)


@pytest.mark.parametrize(
    "body",
    [
        {"username": 5},
        {"clinic_name": ["a"]},
        {"site_code": None},
        {"password": "p" * 2000},
        {"clinic_name": "\ud800"},
    ],
    ids=repr,
)
def test_malformed_enrolment_bodies_are_422(central: CentralProcess, body: dict[str, Any]) -> None:
    full = {
        "username": OPERATOR[0],
        "password": OPERATOR[1],
        "clinic_id": new_id(),
        "clinic_name": "X",
        "site_code": new_site_code(),
        "public_key": public_key(),
        **body,
    }
    answer = requests.post(
        f"{central.base_url}/api/v1/enrol", headers=HEADERS, timeout=10, json=full
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "invalid_request"
    assert_no_traceback(central)


# --- 2, 5, 6. the command line --------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO) -> Any:
    environment = {**os.environ, **(env or {})}
    environment.pop("CENTRAL_DATABASE_URL", None)
    environment.pop("CENTRAL_OPERATOR_PASSWORD", None)
    environment.update(env or {})
    environment["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "central.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=environment,
    )


def assert_one_line_refusal(result: Any, *words: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("clinic-central: "), lines[0]
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


@pytest.fixture(scope="module")
def cli_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("cli")
    (base / "a-file").write_text("not a folder")
    (base / "garbage.tsv").write_bytes(bytes(range(256)) * 4)
    (base / "empty-drug.tsv").write_text(
        CATALOGUE_HEADER + "08800154310022\t\t\t\t\t\t-5\n", encoding="utf-8"
    )
    (base / "folder.tsv").mkdir()
    return base


def _cli_cases() -> list[tuple[list[str], tuple[str, ...]]]:
    dead_pg = f"postgresql+psycopg://someone:secret@127.0.0.1:{free_port()}/nowhere"
    return [
        (["serve", "--port", "99999"], ("--port", "99999")),
        (["serve", "--port", "-1"], ("--port",)),
        (["serve", "--port", "http"], ("--port",)),
        (["serve", "--port", "0"], ("--port",)),
        (["serve", "--log-level", "loud"], ("--log-level",)),
        (["serve", "--host", "no.such.host.invalid", "--data-dir", "{base}/d"], ("host",)),
        (["serve", "--port", "{port}", "--database-url", "garbage://x"], ("garbage",)),
        (["serve", "--port", "{port}", "--database-url", "::not a url::"], ("database URL",)),
        (["serve", "--port", "{port}", "--database-url", dead_pg], ("cannot open", "***")),
        (["serve", "--port", "{port}", "--data-dir", "{base}/a-file"], ("is a file",)),
        (["serve", "--port", "{port}", "--data-dir", "{base}/a-file/below"], ("data folder",)),
        (
            ["serve", "--port", "{port}", "--seed-catalogue", "{base}/missing.tsv"],
            ("does not exist",),
        ),
        (["seed-catalogue", "{base}/missing.tsv", "--data-dir", "{base}/d"], ("does not exist",)),
        (["seed-catalogue", "{base}/garbage.tsv", "--data-dir", "{base}/d"], ("UTF-8",)),
        (["seed-catalogue", "{base}/folder.tsv", "--data-dir", "{base}/d"], ("folder",)),
        (
            ["seed-catalogue", "{base}/empty-drug.tsv", "--data-dir", "{base}/d"],
            ("empty-drug.tsv:2: name is empty", "nothing was loaded"),
        ),
        (["seed-catalogue"], ("file",)),
        (["create-operator", "--username", "op", "--password", "short"], ("10",)),
        (["create-operator", "--username", "op", "--data-dir", "{base}/d"], ("CENTRAL_OPERATOR",)),
        (["create-operator", "--username", "", "--password", "long-enough-1"], ("operator name",)),
        (["create-operator", "--username", "a b", "--password", "long-enough-1"], ("name",)),
        (["revoke-clinic", "--clinic-id", "nobody", "--data-dir", "{base}/d"], ("no clinic",)),
        (["revoke-clinic"], ("--clinic-id",)),
        (["frobnicate"], ("frobnicate",)),
        ([], ("command",)),
    ]


CLI_CASES = _cli_cases()


@pytest.mark.parametrize(
    ("args", "words"), CLI_CASES, ids=[" ".join(args) or "nothing" for args, _ in CLI_CASES]
)
def test_every_bad_command_line_is_one_line_and_exit_2(
    cli_files: Path, args: list[str], words: tuple[str, ...]
) -> None:
    port = str(free_port())
    result = run_cli(
        *(arg.replace("{base}", str(cli_files)).replace("{port}", port) for arg in args),
        cwd=cli_files,
    )
    assert_one_line_refusal(result, *words)
    assert "secret" not in result.stderr  # a database password is never printed


def test_the_password_comes_from_the_environment_and_the_data_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "existing"
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)
    result = run_cli(
        "create-operator",
        "--username",
        "Awa",
        "--data-dir",
        str(data_dir),
        env={"CENTRAL_OPERATOR_PASSWORD": "a-long-password"},
    )
    assert result.returncode == 0, result.stderr
    assert "operator awa ready" in result.stdout
    for path in data_dir.iterdir():  # central.db, and its WAL files if any are left
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    engine = cli.make_engine(f"sqlite:///{data_dir / 'central.db'}")
    try:
        with engine.connect() as conn:
            assert services._operator_password_ok(conn, "awa", "a-long-password")
    finally:
        engine.dispose()

    fresh = tmp_path / "new" / "central-data"
    result = run_cli("revoke-clinic", "--clinic-id", new_id(), "--data-dir", str(fresh))
    assert_one_line_refusal(result, "no central database")  # and none is made
    assert not fresh.exists()
    assert run_cli("migrate", "--data-dir", str(fresh)).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert stat.S_IMODE((fresh / "central.db").stat().st_mode) == 0o600
    result = run_cli("revoke-clinic", "--clinic-id", new_id(), "--data-dir", str(fresh))
    assert_one_line_refusal(result, "no clinic")


def test_a_served_sqlite_database_and_its_wal_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "served"
    data_dir.mkdir()
    os.chmod(data_dir, 0o755)  # an existing, readable folder: the files must still be private
    old_umask = os.umask(0o022)
    try:
        with CentralProcess(data_dir) as server:
            code = new_site_code()
            engine = server.engine()
            from central.db import create_tables

            create_tables(engine)
            services.create_operator(engine, "op", "operator-pass-1")
            with CentralClient(server.base_url) as client:
                client.enrol(
                    username="op",
                    password="operator-pass-1",
                    clinic_id=new_id(),
                    clinic_name="Centre",
                    site_code=code,
                    public_key=public_key(),
                )
    finally:
        os.umask(old_umask)
    made = [path for path in data_dir.iterdir() if path.name.startswith("central.db")]
    assert made
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_private_sqlite_file_is_made_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old_umask = os.umask(0)
    try:
        engine = cli.make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'central.db'}")
        engine.dispose()
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b" / "central.db").stat().st_mode) == 0o600


def test_operator_password_rules_and_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    for bad in ["", "short", "nine-char", "x" * 257, "tab\tinside-pw"]:
        with pytest.raises(CentralError):
            services.check_operator_password(bad)
    assert services.check_operator_password("ten-chars!") == "ten-chars!"

    monkeypatch.delenv("CENTRAL_OPERATOR_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    typed = iter(["a-long-password", "a-long-password"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda _prompt: next(typed))
    assert cli.operator_password(None) == "a-long-password"
    typed = iter(["a-long-password", "another-password"])
    with pytest.raises(cli.UsageError, match="differ"):
        cli.operator_password(None)
    monkeypatch.setenv("CENTRAL_OPERATOR_PASSWORD", "from-the-env-1")
    assert cli.operator_password(None) == "from-the-env-1"
    assert cli.operator_password("given-on-line") == "given-on-line"
