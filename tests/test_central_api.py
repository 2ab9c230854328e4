"""Central's HTTP API against a real server process (SQLite, then PostgreSQL)."""

from __future__ import annotations

import base64
import gzip
import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from central_process import OPERATOR, CentralProcess
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from central import services
from central.db import records
from clinic_app.ids import new_id, stable_id
from clinic_app.sync.client import (
    CentralClient,
    ChangesRefused,
    EnrolmentRefused,
    TokenRefused,
    UpgradeRequired,
)

HEADERS = {"X-Clinic-Protocol": "1"}


def public_key() -> str:
    raw = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def new_site_code() -> str:
    """A site code no other test takes (the central server and its database live all session)."""
    return "Q" + secrets.token_hex(4).upper()


def enrol_site(
    central: CentralProcess, clinic_id: str | None = None, site_code: str | None = None
) -> tuple[str, str]:
    """Enrol a made-up clinic; return (clinic_id, device token)."""
    clinic_id = clinic_id or new_id()
    with CentralClient(central.base_url) as client:
        token = client.enrol(
            username=OPERATOR[0],
            password=OPERATOR[1],
            clinic_id=clinic_id,
            clinic_name="Centre de santé d'Adjamé",
            site_code=site_code or new_site_code(),
            public_key=public_key(),
        )
    return clinic_id, token


@pytest.fixture
def site(central: CentralProcess) -> Iterator[tuple[str, CentralClient]]:
    clinic_id, token = enrol_site(central)
    with CentralClient(central.base_url, token) as client:
        yield clinic_id, client


def patient_change(seq: int, site_id: str, **extra: Any) -> dict[str, Any]:
    record_id = new_id()
    payload = {
        "id": record_id,
        "site_id": site_id,
        "given_name": "Kouassi",
        "family_name": "Yao",
        "sex": "male",
        "search_key": "kouassi yao",
        "author_id": new_id(),
        "created_at": "2026-01-05T08:00:00.000000+00:00",
        "updated_at": "2026-01-05T08:00:00.000000+00:00",
        **extra,
    }
    return {"seq": seq, "kind": "patient", "id": record_id, "payload": payload}


def stored(central: CentralProcess, record_id: str) -> list[Any]:
    with central.engine().connect() as conn:
        return list(
            conn.execute(
                select(
                    records.c.kind, records.c.site_id, records.c.change_seq, records.c.payload
                ).where(records.c.id == record_id)
            )
        )


def test_status_answers_without_login_and_names_the_protocol(central: CentralProcess) -> None:
    answer = requests.get(f"{central.base_url}/api/v1/status", headers=HEADERS, timeout=5)
    assert answer.status_code == 200
    assert answer.headers["X-Clinic-Protocol"] == "1"
    body = answer.json()
    assert body["protocol"] == 1
    assert body["server_time"].endswith("+00:00")


def test_operator_enrols_a_clinic_and_a_wrong_password_is_refused(
    central: CentralProcess,
) -> None:
    clinic_id, token = enrol_site(central)
    assert len(token) >= 40
    with central.engine().connect() as conn:
        hashes = [
            row.token_hash
            for row in conn.execute(
                select(services.devices.c.token_hash).where(services.devices.c.site_id == clinic_id)
            )
        ]
    assert hashes == [services.token_hash(token)]  # the hash, never the token

    with CentralClient(central.base_url) as client, pytest.raises(EnrolmentRefused):
        client.enrol(
            username=OPERATOR[0],
            password="wrong-password",
            clinic_id=new_id(),
            clinic_name="X",
            site_code=new_site_code(),
            public_key=public_key(),
        )
    raw = requests.post(
        f"{central.base_url}/api/v1/enrol",
        headers=HEADERS,
        timeout=5,
        json={
            "username": "nobody",
            "password": "x",
            "clinic_id": new_id(),
            "clinic_name": "X",
            "site_code": new_site_code(),
            "public_key": public_key(),
        },
    )
    assert raw.status_code == 401
    assert raw.json()["error"] == "enrolment_refused"


def test_the_same_batch_sent_twice_changes_nothing(
    central: CentralProcess, site: tuple[str, CentralClient]
) -> None:
    clinic_id, client = site
    changes = [patient_change(1, clinic_id), patient_change(2, clinic_id)]
    assert client.push("batch-" + new_id(), changes) == 2
    first = {c["id"]: stored(central, c["id"]) for c in changes}
    assert all(len(rows) == 1 for rows in first.values())

    # The same batch id again, then the same records in a new batch: no new sequence.
    batch_id = "batch-" + new_id()
    assert client.push(batch_id, changes) == 2
    assert client.push(batch_id, changes) == 2
    assert {c["id"]: stored(central, c["id"]) for c in changes} == first

    # A changed patient (a new phone number) does get a new sequence.
    changed = {**changes[0], "seq": 3, "payload": {**changes[0]["payload"], "phone": "0707"}}
    assert client.push("batch-" + new_id(), [changed]) == 3
    (row,) = stored(central, changed["id"])
    assert row.change_seq > first[changed["id"]][0].change_seq
    assert json.loads(row.payload)["phone"] == "0707"


def test_a_clinic_cannot_push_catalogue_items(
    central: CentralProcess, site: tuple[str, CentralClient]
) -> None:
    _clinic_id, client = site
    item_id = stable_id("catalogue_item", "03614142000018")
    forged = {
        "seq": 1,
        "kind": "catalogue_item",
        "id": item_id,
        "payload": {"id": item_id, "name": "Paracétamol 5000 mg"},
    }
    with pytest.raises(ChangesRefused) as refused:
        client.push("batch-" + new_id(), [forged])
    assert refused.value.message.params["reason"] == "kind_refused"
    assert all(
        json.loads(row.payload).get("name") != "Paracétamol 5000 mg"
        for row in stored(central, item_id)
    )


def test_a_clinic_cannot_push_another_clinics_records(
    central: CentralProcess, site: tuple[str, CentralClient]
) -> None:
    clinic_id, client = site
    other_id, other_token = enrol_site(central)
    foreign = patient_change(2, other_id)
    with pytest.raises(ChangesRefused) as refused:
        client.push("batch-" + new_id(), [patient_change(1, clinic_id), foreign])
    assert refused.value.message.params["reason"] == "site_refused"
    assert stored(central, foreign["id"]) == []  # the whole batch was refused

    # Nor overwrite another clinic's record through a kind without site_id.
    item_id = new_id()
    item_payload = {
        "id": item_id,
        "prescription_id": new_id(),
        "catalogue_item_id": stable_id("catalogue_item", "03614142000018"),
        "drug_name": "Paracétamol 500 mg",
        "dose": "1 cp",
        "frequency": "3 fois par jour",
        "duration_days": 5,
        "quantity": 15,
    }
    item = {"seq": 1, "kind": "prescription_item", "id": item_id, "payload": item_payload}
    with CentralClient(central.base_url, other_token) as other:
        assert other.push("batch-" + new_id(), [item]) == 1
    hijack = {**item, "payload": {**item_payload, "dose": "10 cp"}}
    with pytest.raises(ChangesRefused):
        client.push("batch-" + new_id(), [hijack])
    (row,) = stored(central, item_id)
    assert row.site_id == other_id
    assert json.loads(row.payload)["dose"] == "1 cp"


def test_revoked_or_unknown_token_is_refused(central: CentralProcess) -> None:
    clinic_id, token = enrol_site(central)
    with CentralClient(central.base_url, token) as client:
        assert client.pull(0, 1).last_seq >= 0
        assert services.revoke_site(central.engine(), clinic_id) == 1
        with pytest.raises(TokenRefused):
            client.pull(0, 1)
        with pytest.raises(TokenRefused):
            client.push("batch-" + new_id(), [patient_change(1, clinic_id)])
    answer = requests.get(
        f"{central.base_url}/api/v1/pull",
        timeout=5,
        headers={**HEADERS, "Authorization": "Bearer not-a-token"},
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "token_refused"


def test_another_protocol_version_gets_upgrade_required(
    central: CentralProcess, site: tuple[str, CentralClient]
) -> None:
    answer = requests.get(
        f"{central.base_url}/api/v1/status", timeout=5, headers={"X-Clinic-Protocol": "2"}
    )
    assert answer.status_code == 426
    assert answer.headers["X-Clinic-Protocol"] == "1"
    assert answer.json()["error"] == "upgrade_required"

    class FutureClient(CentralClient):
        protocol_version = 2

    _clinic_id, client = site
    with FutureClient(central.base_url, client.token) as future, pytest.raises(UpgradeRequired):
        future.pull(0, 10)


def test_gzip_bodies_are_read_and_broken_gzip_is_refused(
    central: CentralProcess, site: tuple[str, CentralClient]
) -> None:
    clinic_id, client = site
    auth = {
        **HEADERS,
        "Authorization": f"Bearer {client.token}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    change = patient_change(7, clinic_id)
    body = gzip.compress(json.dumps({"batch_id": new_id(), "changes": [change]}).encode())
    answer = requests.post(f"{central.base_url}/api/v1/push", data=body, headers=auth, timeout=5)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"acked_seq": 7}
    broken = requests.post(
        f"{central.base_url}/api/v1/push", data=body[:-8] + b"garbage!", headers=auth, timeout=5
    )
    assert broken.status_code == 400
    assert broken.json()["error"] == "invalid_request"


def test_master_data_is_pulled_in_pages(
    central: CentralProcess, site: tuple[str, CentralClient], tmp_path: Path
) -> None:
    clinic_id, client = site
    client.push("batch-" + new_id(), [patient_change(1, clinic_id)])
    catalogue = tmp_path / "catalogue.tsv"
    catalogue.write_text(
        "gtin\tname\tform\tstrength\tatc\tunit\treorder_level\n"
        "03614142000018\tParacétamol\tcomprimé\t500 mg\tN02BE01\tcomprimé\t500\n"
        "08800154310022\tAmoxicilline\tgélule\t500 mg\tJ01CA04\tgélule\t300\n"
        "05400123456787\tAmoxicilline\tsuspension buvable\t250 mg/5 ml\tJ01CA04\tflacon\t20\n",
        encoding="utf-8",
    )
    central.run_cli("seed-catalogue", str(catalogue))
    assert services.seed_catalogue(central.engine(), catalogue) == 0  # unchanged: no new seq

    seen: list[dict[str, Any]] = []
    cursor, pages = 0, 0
    while True:
        page = client.pull(cursor, 2)
        pages += 1
        seen += [c.payload for c in page.changes]
        assert all(c.kind == "catalogue_item" for c in page.changes)  # no clinic's records
        cursor = page.last_seq
        if not page.more:
            break
    assert pages >= 2
    by_gtin = {item["gtin"]: item for item in seen}
    assert by_gtin["03614142000018"]["id"] == stable_id("catalogue_item", "03614142000018")
    assert by_gtin["05400123456787"]["unit"] == "flacon"
    assert client.pull(cursor, 10).changes == []

    raw = requests.get(
        f"{central.base_url}/api/v1/pull",
        params={"after": 0, "limit": 3},
        headers={**HEADERS, "Authorization": f"Bearer {client.token}", "Accept-Encoding": "gzip"},
        timeout=5,
    )
    assert raw.headers["Content-Encoding"] == "gzip"  # answers are compressed for 2G links
    assert raw.headers["X-Clinic-Protocol"] == "1"


def test_operator_made_on_the_command_line_can_enrol(central: CentralProcess) -> None:
    if not central.database_url.startswith("sqlite"):
        pytest.skip("the command line is the same on both databases; run once")
    central.run_cli("create-operator", "--username", "Awa.Operator", "--password", "another-pass-1")
    with CentralClient(central.base_url) as client:
        token = client.enrol(
            username="awa.operator",
            password="another-pass-1",
            clinic_id=new_id(),
            clinic_name="Centre de Yopougon",
            site_code=new_site_code(),
            public_key=public_key(),
        )
    assert token


def test_an_explicit_data_folder_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from central.cli import DATABASE_URL_ENV, database_url

    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://central@db/central")
    assert (
        database_url(None, tmp_path / "c") == f"sqlite:///{(tmp_path / 'c').resolve()}/central.db"
    )
    assert database_url(None, None) == "postgresql+psycopg://central@db/central"
    assert database_url("sqlite:///x.db", tmp_path / "c") == "sqlite:///x.db"


@pytest.mark.parametrize(
    "command",
    [
        ["import", "carry-TRV.clinicsync"],
        ["duplicates", "list"],
        ["audit", "verify", "--site", "TRV"],
    ],
)
def test_a_command_on_a_folder_with_no_central_makes_none(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from central.cli import main

    wrong = tmp_path / "typo"
    assert main([*command, "--data-dir", str(wrong)]) == 2
    assert "there is no central database in" in capsys.readouterr().err
    assert not wrong.exists()
