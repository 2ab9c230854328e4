"""Master data from a real central: the ICD-11 list, the staff directory, the clinics' keys.

Each test runs its own ``clinic-central serve`` (SQLite, then PostgreSQL) so the
code lists it seeds never reach the other sync tests' clinics. Clinics are real
SQLCipher folders; the bad link is tests/faultproxy.py.
"""

from __future__ import annotations

import base64
import secrets
import shutil
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
from central_process import CHEAP_HASHER, OPERATOR, CentralProcess
from conftest import PASSWORDS, make_clinic, new_postgres_database, shared_path
from faultproxy import FaultProxy
from sqlalchemy import select, update
from sync_helpers import FAST, enrol

from central.db import code_lists, create_tables, make_engine, records
from central.masterdata import STAFF_USERNAME_PATTERN, staff_id
from clinic_app.documents.signing import ForgedDocument
from clinic_app.documents.verification import UnknownIssuingClinic, verify_clinic_document
from clinic_app.errors import AccountDisabled, InvalidInput
from clinic_app.records.certificates import SickLeaveForm, issue_sick_leave_certificate
from clinic_app.records.icd11 import CodeListDamaged, installed_code_list, search_icd11
from clinic_app.records.icd11_tabulation import (
    content_sha256,
    read_artefact,
    read_icd11_rows,
    table_content_sha256,
    write_artefact,
)
from clinic_app.records.patients import PatientForm, register_patient
from clinic_app.security.accounts import (
    _USERNAME,
    StaffDeactivated,
    change_password,
    enable_user,
    list_users,
    login,
    must_change_password,
    open_staff_account,
    pending_staff_accounts,
)
from clinic_app.security.audit import verify_audit_chain
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST
from clinic_app.sync.errors import ServerUnreachable
from clinic_app.sync.masterdata import PARTIAL_PREFIX, PARTIAL_SUFFIX
from clinic_app.sync.service import DEVICE_TOKEN, SERVER_URL, read_sync_state, sync_now

WHO_FILE = shared_path("data", "icd11-mms-2024-01-en.tsv")
SLOW = (5.0, 15.0)
PROTOCOL = {"X-Clinic-Protocol": "1"}


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty central database of each kind, for this test alone."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central-db' / 'central.db'}"
        return
    with new_postgres_database("central_master") as url:
        yield url


def started_central(database_url: str, data_dir: Path) -> CentralProcess:
    """A central server on a new database, with one operator and no code list yet."""
    from central.services import create_operator

    engine = make_engine(database_url)
    try:
        create_tables(engine)
        create_operator(engine, *OPERATOR, hasher=CHEAP_HASHER)
    finally:
        engine.dispose()
    return CentralProcess(data_dir, database_url=database_url)


@pytest.fixture
def own_central(central_url: str, tmp_path: Path) -> Iterator[CentralProcess]:
    """A central server of this test's own (SQLite, then PostgreSQL)."""
    with started_central(central_url, tmp_path / "central") as server:
        yield server


@pytest.fixture
def sqlite_central(tmp_path: Path) -> Iterator[CentralProcess]:
    """A central server of this test's own on SQLite (the window's tests need no more)."""
    url = f"sqlite:///{tmp_path / 'central-db' / 'central.db'}"
    with started_central(url, tmp_path / "central") as server:
        yield server


@pytest.fixture(scope="module")
def abidjan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second clinic (site ABJ, its own clinic id and signing key)."""
    return make_clinic(
        tmp_path_factory.mktemp("abj") / "clinic",
        site_code="ABJ",
        clinic_name="Centre de santé d'Abobo",
    )


@pytest.fixture
def abidjan(abidjan_template: Path, tmp_path: Path) -> Path:
    data_dir = tmp_path / "abj"
    shutil.copytree(abidjan_template, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def subset_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """WHO's tabulation cut to chapters 01 and 02 (2,254 codes): a list unlike the bundled one."""
    lines = WHO_FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines[1:] if line.split("\t")[6] in ("01", "02")]
    path = tmp_path_factory.mktemp("icd") / "icd11-mms-2099-01-en.tsv"
    path.write_text(lines[0] + "".join(kept), encoding="utf-8")
    return path


def seed(central: CentralProcess, *args: str) -> str:
    return central.run_cli("seed-icd11", *args).stdout


def staff(central: CentralProcess, *args: str) -> str:
    return central.run_cli("staff", *args).stdout


def hire(central: CentralProcess, site: str, username: str, name: str, roles: str) -> str:
    """``clinic-central staff add``: the operator adds a person to a clinic's staff."""
    return staff(
        central, "add", "--site", site, "--username", username, "--name", name, "--roles", roles
    )


def code_count(session: Session) -> int:
    row = session.store.one("SELECT count(*) AS n FROM icd11_codes")
    assert row is not None
    return int(row["n"])


def partial_files(data_dir: Path) -> list[Path]:
    return sorted(data_dir.glob(f"{PARTIAL_PREFIX}*{PARTIAL_SUFFIX}"))


def through(admin: Session, proxy: FaultProxy) -> None:
    """Every later request of this clinic goes through the proxy."""
    with admin.transaction() as tx:
        tx.execute("UPDATE sync_state SET value = ? WHERE key = ?", (proxy.base_url, SERVER_URL))


def token_of(session: Session) -> str:
    return read_sync_state(session.store)[DEVICE_TOKEN]


def subset_rows(path: Path) -> list[Any]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(read_icd11_rows(handle))


# --- the ICD-11 list --------------------------------------------------------------------------


def test_the_artefact_reads_back_exactly_the_rows_of_whos_file() -> None:
    with WHO_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(read_icd11_rows(handle))
    artefact = write_artefact(rows)
    assert len(rows) == 34_663
    assert read_artefact(artefact) == rows
    assert write_artefact(read_artefact(artefact)) == artefact  # the same bytes: one SHA-256
    assert content_sha256(reversed(rows)) == content_sha256(rows)  # order does not matter


def test_a_new_clinic_holding_centrals_list_downloads_nothing(
    admin: Session, own_central: CentralProcess
) -> None:
    out = seed(own_central)  # the bundled list, the same rows as the clinic's
    assert "icd11 version 1 (2024-01, en): 34663 codes" in out
    assert "unchanged" in seed(own_central, str(WHO_FILE))  # same rows, same release: no version
    held = installed_code_list(admin.store)
    assert held is not None
    assert held.source == "bundled"
    enrol(admin, own_central)
    sync_now(admin, timeout=FAST)
    after = installed_code_list(admin.store)
    assert after is not None
    assert (after.source, after.version, after.content_sha256) == (
        "bundled",
        1,
        held.content_sha256,
    )
    assert partial_files(admin.data_dir) == []


def test_a_new_clinic_gets_centrals_icd11_list_staff_and_keys_on_first_sync(
    admin: Session,
    doctor: Session,
    abidjan: Path,
    own_central: CentralProcess,
    subset_file: Path,
) -> None:
    abj_admin = login(abidjan, "admin", PASSWORDS["admin"])
    abj_doctor = login(abidjan, "doctor", PASSWORDS["doctor"])
    try:
        enrol(abj_admin, own_central)
        enrol(admin, own_central)
        assert "new version" in seed(own_central, str(subset_file))
        hire(own_central, "TRV", "sagefemme", "Mariam Sage-femme", "nurse")
        hire(own_central, "ABJ", "pharma", "Paul Pharmacien", "storekeeper")
        # A certificate printed at Abobo, to be checked at Treichville.
        patient = register_patient(abj_doctor, PatientForm("Awa", "Bamba", "female"))
        certificate = issue_sick_leave_certificate(
            abj_doctor, SickLeaveForm(patient.id, None, date.today(), 3, "initial", True)
        )
        with pytest.raises(UnknownIssuingClinic):
            verify_clinic_document(doctor, certificate.signature)  # no keys yet

        report = sync_now(doctor, timeout=FAST)

        # The ICD-11 list: central's, installed whole; the project's French words still work.
        assert report.applied >= 1
        assert code_count(doctor) == len(subset_rows(subset_file)) == 2254
        held = installed_code_list(doctor.store)
        assert held is not None
        assert (held.source, held.version, held.release) == ("central", 1, "2099-01")
        assert held.content_sha256 == table_content_sha256(doctor.store.connection())
        assert search_icd11(doctor, "paludisme")[0].code == "1F4Z"
        assert partial_files(doctor.data_dir) == []
        # Staff: this clinic's only, waiting for the admin to open the account.
        directory = doctor.store.all("SELECT username, site_id FROM staff_directory")
        assert [(r["username"], r["site_id"]) for r in directory] == [("sagefemme", doctor.site_id)]
        assert [p.username for p in pending_staff_accounts(admin)] == ["sagefemme"]
        # Keys: both clinics'; the certificate from Abobo checks here, a forged one does not.
        keys = doctor.store.all("SELECT site_code FROM clinic_keys ORDER BY site_code")
        assert [r["site_code"] for r in keys] == ["ABJ", "TRV"]
        checked = verify_clinic_document(doctor, certificate.signature)
        assert (checked.number, checked.site_code, checked.current_key) == (
            certificate.number,
            "ABJ",
            True,
        )
        assert checked.clinic_name == "Centre de santé d'Abobo"
        tail = "000" if not certificate.signature.endswith("000") else "111"
        forged = certificate.signature[:-3] + tail
        for not_a_code in (forged, "", None, 12, b"CA1:"):
            with pytest.raises(ForgedDocument):
                verify_clinic_document(doctor, not_a_code)  # type: ignore[arg-type]
        # Abobo's own pull carries Abobo's staff only (the scope is central's, not the clinic's).
        answer = requests.get(
            f"{own_central.base_url}/api/v1/pull",
            params={"after": 0},
            headers={**PROTOCOL, "Authorization": f"Bearer {token_of(abj_admin)}"},
            timeout=5,
        )
        staff_seen = [
            c["payload"]["username"]
            for c in answer.json()["changes"]
            if c["kind"] == "staff_member"
        ]
        assert staff_seen == ["pharma"]
    finally:
        abj_doctor.close()
        abj_admin.close()


def test_a_cut_download_resumes_where_it_stopped(
    admin: Session, own_central: CentralProcess, subset_file: Path
) -> None:
    enrol(admin, own_central)
    sync_now(admin, timeout=FAST)  # nothing to download yet
    seed(own_central, str(subset_file))
    size = len(write_artefact(subset_rows(subset_file)))
    with FaultProxy("127.0.0.1", own_central.port, lifetime=120) as proxy:
        through(admin, proxy)
        proxy.cut_after(size // 2, direction="down")
        with pytest.raises(ServerUnreachable):
            sync_now(admin, timeout=SLOW)
        assert proxy.stats.cuts == 1
        [partial] = partial_files(admin.data_dir)
        kept = partial.stat().st_size
        assert 0 < kept < size
        assert stat.S_IMODE(partial.stat().st_mode) == 0o600  # the owner's only
        assert code_count(admin) == 34_663  # nothing installed from half a file

        proxy.heal()
        proxy.reset_stats()
        sync_now(admin, timeout=SLOW)
        # Only the rest came: the second sync's downloads are smaller than the artefact.
        assert proxy.stats.count("GET", "/api/v1/codelists/icd11/1") == 1
        assert proxy.stats.bytes_down < size - kept + 8_000
    assert code_count(admin) == 2254
    assert partial_files(admin.data_dir) == []
    held = installed_code_list(admin.store)
    assert held is not None
    assert held.source == "central"


def test_a_damaged_download_is_refused_retried_and_never_half_installed(
    admin: Session, own_central: CentralProcess, subset_file: Path
) -> None:
    enrol(admin, own_central)
    seed(own_central, str(subset_file))
    engine = own_central.engine()
    with engine.begin() as conn:
        good = conn.execute(select(code_lists.c.content)).scalar_one()
        damaged = bytearray(good)
        damaged[len(damaged) // 2] ^= 0xFF
        conn.execute(update(code_lists).values(content=bytes(damaged)))
    before = table_content_sha256(admin.store.connection())
    with FaultProxy("127.0.0.1", own_central.port, lifetime=120) as proxy:
        through(admin, proxy)
        with pytest.raises(CodeListDamaged):
            sync_now(admin, timeout=FAST)
        # Fetched twice (the second time from the first byte), refused both times.
        assert proxy.stats.count("GET", "/api/v1/codelists/icd11/1") == 2
        assert table_content_sha256(admin.store.connection()) == before
        held = installed_code_list(admin.store)
        assert held is not None
        assert held.source == "bundled"
        assert partial_files(admin.data_dir) == []

        # The bytes are right but the rows are not what central announced: refused inside
        # the installing transaction, which rolls back.
        with engine.begin() as conn:
            conn.execute(update(code_lists).values(content=good, content_sha256="0" * 64))
        with pytest.raises(CodeListDamaged):
            sync_now(admin, timeout=FAST)
        assert table_content_sha256(admin.store.connection()) == before
        assert code_count(admin) == 34_663

        # Repaired at central; a damaged leftover of the right length is thrown away and
        # the list fetched again from the start within the same sync.
        with engine.begin() as conn:
            conn.execute(
                update(code_lists).values(content_sha256=content_sha256(subset_rows(subset_file)))
            )
            info = conn.execute(select(code_lists.c.sha256, code_lists.c.size)).one()
        leftover = admin.data_dir / f"{PARTIAL_PREFIX}icd11-1-{info.sha256[:16]}{PARTIAL_SUFFIX}"
        leftover.write_bytes(b"\0" * info.size)
        proxy.reset_stats()
        sync_now(admin, timeout=FAST)
        assert proxy.stats.count("GET", "/api/v1/codelists/icd11/1") == 1
    assert code_count(admin) == 2254
    assert partial_files(admin.data_dir) == []


def test_the_code_list_is_served_by_byte_ranges(
    admin: Session, own_central: CentralProcess, subset_file: Path
) -> None:
    enrol(admin, own_central)
    seed(own_central, str(subset_file))
    headers = {**PROTOCOL, "Authorization": f"Bearer {token_of(admin)}"}
    url = f"{own_central.base_url}/api/v1/codelists/icd11"
    info = requests.get(url, headers=headers, timeout=5).json()
    whole = requests.get(f"{url}/1", headers=headers, timeout=5)
    assert whole.status_code == 200
    assert len(whole.content) == info["size"]
    assert whole.headers["Accept-Ranges"] == "bytes"
    part = requests.get(f"{url}/1", headers={**headers, "Range": "bytes=1000-"}, timeout=5)
    assert part.status_code == 206
    assert part.headers["Content-Range"] == f"bytes 1000-{info['size'] - 1}/{info['size']}"
    assert part.content == whole.content[1000:]
    past = requests.get(
        f"{url}/1", headers={**headers, "Range": f"bytes={info['size']}-"}, timeout=5
    )
    assert past.status_code == 416
    assert requests.get(f"{url}/2", headers=headers, timeout=5).status_code == 404
    assert requests.get(f"{url}/1", headers=PROTOCOL, timeout=5).status_code == 401


# --- the staff directory -----------------------------------------------------------------------


def test_central_staff_get_an_account_and_a_deactivated_one_cannot_log_in(
    admin: Session,
    nurse: Session,
    own_central: CentralProcess,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enrol(admin, own_central)
    hire(own_central, "trv", "sagefemme", "Mariam Sage-femme", "nurse,doctor")
    sync_now(nurse, timeout=FAST)
    [pending] = pending_staff_accounts(admin)
    assert pending.staff_id == staff_id(admin.site_id, "sagefemme")
    assert not pending.reopen

    # The admin opens the account with a first password; it must be changed at first login.
    user_id = open_staff_account(admin, pending.staff_id, "premier-mot-2026", cost=TEST_COST)
    assert user_id == pending.staff_id  # central's id: the same person everywhere
    assert pending_staff_accounts(admin) == []
    person = login(admin.data_dir, "sagefemme", "premier-mot-2026")
    assert must_change_password(person)
    assert {role.value for role in person.actor.roles} == {"nurse", "doctor"}
    change_password(person, "premier-mot-2026", "mon-propre-secret", cost=TEST_COST)
    person.close()

    # Central deactivates her; the next sync (anyone's) disables the login, deletes nothing.
    out = staff(own_central, "deactivate", "--site", "TRV", "--username", "sagefemme")
    assert "deactivated" in out
    sync_now(nurse, timeout=FAST)
    with pytest.raises(StaffDeactivated) as refused:
        login(admin.data_dir, "sagefemme", "mon-propre-secret")
    assert isinstance(refused.value, AccountDisabled)
    assert "deactivated this account at central" in str(refused.value)
    [account] = [u for u in list_users(admin) if u.username == "sagefemme"]
    assert (account.active, account.deactivated_by_central) == (False, True)
    assert admin.store.one("SELECT 1 FROM users WHERE id = ?", (user_id,)) is not None
    with pytest.raises(InvalidInput):
        enable_user(admin, "sagefemme", "un-autre-essai-1", cost=TEST_COST)
    # Audited: central's decision, and the refused attempt (written at the next login).
    fresh = login(admin.data_dir, "admin", PASSWORDS["admin"])
    try:
        rows = fresh.store.all(
            "SELECT action, object_id, outcome, detail FROM audit_events "
            "WHERE action IN ('disable_user', 'failed_login') AND object_id = ?",
            (user_id,),
        )
        assert ("disable_user", "ok", "by=central") in {
            (r["action"], r["outcome"], r["detail"]) for r in rows
        }
        assert "failed_login" in {r["action"] for r in rows}
        assert verify_audit_chain(fresh.store).intact
    finally:
        fresh.close()

    # Active again at central: the admin gives a new first password.
    hire(own_central, "TRV", "sagefemme", "Mariam Sage-femme", "nurse,doctor")
    sync_now(nurse, timeout=FAST)
    [again] = pending_staff_accounts(admin)
    assert again.reopen
    open_staff_account(admin, again.staff_id, "nouveau-depart-1", cost=TEST_COST)
    login(admin.data_dir, "sagefemme", "nouveau-depart-1").close()

    # A sync that stopped before applying central's word: login applies it, refused, audited.
    staff(own_central, "deactivate", "--site", "TRV", "--username", "sagefemme")
    monkeypatch.setattr("clinic_app.sync.masterdata.apply_staff_directory", lambda _s: 0)
    sync_now(nurse, timeout=FAST)
    with pytest.raises(StaffDeactivated):
        login(admin.data_dir, "sagefemme", "nouveau-depart-1")
    with pytest.raises(StaffDeactivated):  # and from now on before the database opens
        login(admin.data_dir, "sagefemme", "nouveau-depart-1")
    refusal = nurse.store.one(
        "SELECT outcome FROM audit_events WHERE action = 'login' AND detail = ?",
        ("deactivated_by_central",),
    )
    assert refusal is not None
    assert refusal["outcome"] == "refused"


def test_only_the_clinic_admin_sees_and_opens_pending_staff(
    admin: Session, nurse: Session, own_central: CentralProcess
) -> None:
    from clinic_app.errors import PermissionDenied

    enrol(admin, own_central)
    hire(own_central, "TRV", "aide", "Aide", "nurse")
    sync_now(nurse, timeout=FAST)
    with pytest.raises(PermissionDenied):
        pending_staff_accounts(nurse)
    [pending] = pending_staff_accounts(admin)
    with pytest.raises(PermissionDenied):
        open_staff_account(nurse, pending.staff_id, "premier-mot-2026", cost=TEST_COST)


def test_master_data_is_never_pushed_back_by_a_clinic(
    admin: Session, own_central: CentralProcess
) -> None:
    enrol(admin, own_central)
    hire(own_central, "TRV", "aide", "Aide", "nurse")
    sync_now(admin, timeout=FAST)
    row = admin.store.one("SELECT * FROM staff_directory")
    assert row is not None
    forged = {**dict(zip(row.keys(), tuple(row), strict=True)), "roles": "admin"}
    answer = requests.post(
        f"{own_central.base_url}/api/v1/push",
        json={
            "batch_id": secrets.token_hex(8),
            "changes": [{"seq": 1, "kind": "staff_member", "id": forged["id"], "payload": forged}],
        },
        headers={**PROTOCOL, "Authorization": f"Bearer {token_of(admin)}"},
        timeout=5,
    )
    assert answer.status_code == 403
    assert answer.json()["error"] == "kind_refused"
    with own_central.engine().connect() as conn:
        stored = conn.execute(select(records.c.payload).where(records.c.id == forged["id"]))
        assert '"roles":"nurse"' in stored.scalar_one()
    # Nothing of the master data enters the clinic's outbox, whatever the admin does with it.
    open_staff_account(admin, row["id"], "premier-mot-2026", cost=TEST_COST)
    kinds = {r["kind"] for r in admin.store.all("SELECT DISTINCT kind FROM outbox")}
    assert not kinds & {"staff_member", "catalogue_item", "sync_conflict"}


def test_the_staff_cli_refuses_in_one_line(own_central: CentralProcess) -> None:
    import subprocess
    import sys

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "central.cli",
                "staff",
                *args,
                "--database-url",
                own_central.database_url,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    unknown = run("add", "--site", "XYZ", "--username", "aide", "--name", "A", "--roles", "nurse")
    assert unknown.returncode == 2
    assert unknown.stderr.count("\n") == 1
    assert "no clinic with site code 'XYZ'" in unknown.stderr
    assert (
        run(
            "add", "--site", "XYZ", "--username", "A b", "--name", "A", "--roles", "nurse"
        ).returncode
        == 2
    )
    bad_role = run("add", "--site", "XYZ", "--username", "aide", "--name", "A", "--roles", "chef")
    assert "roles must be one or more of" in bad_role.stderr


def test_central_and_the_clinic_agree_on_user_names() -> None:
    assert STAFF_USERNAME_PATTERN.pattern.strip("^$") == _USERNAME.pattern.strip("^$")


def test_an_upgraded_clinic_records_the_list_it_already_holds(tmp_path: Path) -> None:
    # tests/data/clinic-v1: schema 1, its ICD-11 list trimmed to three codes.
    clinic = tmp_path / "clinic"
    shutil.copytree(Path(__file__).parent / "data" / "clinic-v1", clinic)
    nurse = login(clinic, "nurse", "nurse-pass-1")
    try:
        held = installed_code_list(nurse.store)
        assert held is not None
        assert (held.source, held.entries) == ("local", 3)
        assert held.content_sha256 == table_content_sha256(nurse.store.connection())
    finally:
        nurse.close()


# --- the admin's Users page -----------------------------------------------------------------


@pytest.mark.timeout(60)
def test_the_admin_opens_a_pending_account_from_the_users_page(
    qtbot: Any, admin: Session, sqlite_central: CentralProcess
) -> None:
    from clinic_app.ui.admin_security import UsersPanel
    from clinic_app.ui.desk import Desk
    from clinic_app.ui.tasks import TaskRunner

    enrol(admin, sqlite_central)
    hire(sqlite_central, "TRV", "sagefemme", "Mariam Sage-femme", "nurse")
    sync_now(admin, timeout=FAST)
    tasks = TaskRunner()
    try:
        panel = UsersPanel(Desk(admin, tasks))
        qtbot.addWidget(panel)
        pending = panel.pending_staff
        assert pending.isVisibleTo(panel)
        row = [pending.table.item(0, column).text() for column in range(4)]
        assert row[:2] == ["Mariam Sage-femme", "sagefemme"]
        assert row[3] == "new: open the account"
        assert "sagefemme" not in [u.username for u in panel.users]

        pending.open_button.click()
        dialog = pending.dialog
        assert dialog is not None
        qtbot.keyClicks(dialog.password, "premier-mot-2026")
        qtbot.keyClicks(dialog.again, "premier-mot-2026")
        dialog.submit.click()
        qtbot.waitUntil(lambda: not pending.isVisibleTo(panel), timeout=20_000)
        assert "sagefemme" in [u.username for u in panel.users]
    finally:
        tasks.stop()
    person = login(admin.data_dir, "sagefemme", "premier-mot-2026")
    try:
        assert must_change_password(person)
    finally:
        person.close()


# --- master data by hand-carried file -----------------------------------------------------------


def carry_round(session: Session, central: CentralProcess, usb: Path) -> Path:
    """Export at the clinic, import at central; return the answer file."""
    from clinic_app.sync.handcarry import export_pending_changes

    exported = export_pending_changes(session, usb)
    central.run_cli("import", str(exported))
    return exported.with_name(exported.stem + ".clinicanswer")


def test_a_carried_answer_brings_the_icd11_list_keys_and_staff(
    admin: Session,
    doctor: Session,
    abidjan: Path,
    own_central: CentralProcess,
    subset_file: Path,
    tmp_path: Path,
) -> None:
    from clinic_app.sync.handcarry import import_answer_file

    abj_admin = login(abidjan, "admin", PASSWORDS["admin"])
    try:
        enrol(abj_admin, own_central)
    finally:
        abj_admin.close()
    enrol(admin, own_central)  # the one time the clinic had a link; from now on, USB only
    seed(own_central, str(subset_file))
    hire(own_central, "TRV", "sagefemme", "Mariam Sage-femme", "nurse")
    usb = tmp_path / "usb"
    usb.mkdir()

    answer = carry_round(doctor, own_central, usb)
    report = import_answer_file(doctor, answer)

    assert report.refused is None
    assert code_count(doctor) == 2254
    held = installed_code_list(doctor.store)
    assert held is not None
    assert (held.version, held.release) == (1, "2099-01")
    assert held.content_sha256 == table_content_sha256(doctor.store.connection())
    keys = doctor.store.all("SELECT site_code FROM clinic_keys ORDER BY site_code")
    assert [r["site_code"] for r in keys] == ["ABJ", "TRV"]
    assert [p.username for p in pending_staff_accounts(admin)] == ["sagefemme"]
    installs = "SELECT count(*) AS n FROM audit_events WHERE action = 'import_icd11'"
    assert doctor.store.one(installs)["n"] == 1

    # The same answer again changes nothing; the next round trip brings no list again.
    again = import_answer_file(doctor, answer)
    assert again.applied == 0
    second = carry_round(doctor, own_central, usb)
    assert import_answer_file(doctor, second).applied == 0
    assert doctor.store.one(installs)["n"] == 1
    assert verify_audit_chain(doctor.store).intact


def test_a_carried_code_list_that_is_not_the_announced_one_is_refused_whole(
    admin: Session, doctor: Session, own_central: CentralProcess, subset_file: Path, tmp_path: Path
) -> None:
    from clinic_app.sync.carry_format import TO_CLINIC, CarryHeader, open_sealed, seal, token_digest
    from clinic_app.sync.handcarry import import_answer_file

    enrol(admin, own_central)
    seed(own_central, str(subset_file))
    usb = tmp_path / "usb"
    usb.mkdir()
    answer = carry_round(doctor, own_central, usb)
    digest = token_digest(token_of(doctor))
    header, body = open_sealed(answer.read_bytes(), digest)
    (code_list,) = body["master_data"]["code_lists"]
    other = write_artefact(subset_rows(subset_file)[:-1])  # a code left out
    code_list["content"] = base64.b64encode(other).decode("ascii")
    # Sealed with the clinic's own key: only the content inside is wrong.
    answer.write_bytes(
        seal(
            digest,
            CarryHeader(TO_CLINIC, header.clinic_id, header.site_code, header.created_at),
            body,
        )
    )
    before = code_count(doctor)

    with pytest.raises(CodeListDamaged):
        import_answer_file(doctor, answer)
    assert code_count(doctor) == before  # the bundled list, untouched
    held = installed_code_list(doctor.store)
    assert held is not None
    assert held.source == "bundled"
