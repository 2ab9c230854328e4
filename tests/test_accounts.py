"""Accounts: password rules, lock-out, disabling, roles, the locked screen — on real files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clinic_app.errors import AccountDisabled, InvalidInput, PermissionDenied, WrongPassword
from clinic_app.security.accounts import (
    AccountLockedOut,
    change_password,
    check_password_rules,
    disable_user,
    enable_user,
    list_users,
    lockout_delay,
    login,
    must_change_password,
    reset_password,
    set_roles,
    switch_user,
    unlock_session,
)
from clinic_app.security.permissions import Role
from clinic_app.session import Session
from clinic_app.storage.keys import TEST_COST
from tests.conftest import PASSWORDS


class FakeClock:
    """The laptop's clock, moved by the test instead of waited for."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def audit_rows(session: Session, action: str) -> list[dict[str, object]]:
    session.flush_audit()
    return [
        dict(row)
        for row in session.store.all(
            "SELECT * FROM audit_events WHERE action = ? ORDER BY seq", (action,)
        )
    ]


def fail(clinic_dir: Path, username: str, clock: FakeClock, times: int = 1) -> None:
    for _ in range(times):
        with pytest.raises(WrongPassword):
            login(clinic_dir, username, "not the password", clock=clock)


# --- password rules -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short-1", "at least 10 characters"),
        ("Nurse-Ward", None),
        ("nurse-ward", None),
        ("1234567890123", "only digits"),
        ("aaaaaaaaaaaa", "single character"),
        ("motdepasse123", "first anyone would try"),
        ("Password123", "first anyone would try"),
        ("AZERTYUIOP", "first anyone would try"),
    ],
)
def test_password_rules_say_what_to_do(password: str, says: str | None) -> None:
    if says is None:
        check_password_rules(password, username="nurse")
        return
    with pytest.raises(InvalidInput, match=says) as caught:
        check_password_rules(password, username="nurse")
    assert caught.value.field == "password"


def test_the_password_may_not_be_the_user_name() -> None:
    with pytest.raises(InvalidInput, match="not be the user name"):
        check_password_rules("Aminata.Kone", username="aminata.kone")
    check_password_rules("aminata.kone", username="awa.kone")


def test_a_weak_password_is_refused_when_a_user_is_made(admin: Session) -> None:
    from clinic_app.security.accounts import create_user

    with pytest.raises(InvalidInput, match="at least 10"):
        create_user(
            admin,
            username="newcomer",
            display_name="N",
            roles={Role.NURSE},
            password="abc-12",
            cost=TEST_COST,
        )


@pytest.mark.parametrize("name", ["王医生", "Dr " + "K" * 100, "Dr\u202eKoné"])
def test_a_full_name_prescriptions_could_not_print_is_refused(admin: Session, name: str) -> None:
    from clinic_app.security.accounts import create_user

    with pytest.raises(InvalidInput) as caught:
        create_user(
            admin,
            username="newcomer",
            display_name=name,
            roles={Role.DOCTOR},
            password="Long-enough-12",
            cost=TEST_COST,
        )
    assert caught.value.field == "display_name"
    assert admin.store.one("SELECT 1 FROM users WHERE username = 'newcomer'") is None


# --- lock-out -------------------------------------------------------------------------------


def test_lockout_delays_grow_and_are_capped() -> None:
    assert [lockout_delay(n) for n in range(1, 5)] == [0, 0, 0, 0]
    assert [lockout_delay(n) for n in range(5, 11)] == [30, 60, 120, 240, 480, 900]
    assert lockout_delay(40) == 900


def test_five_wrong_passwords_lock_the_name_and_the_delay_grows(
    clinic_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    fail(clinic_dir, "nurse", clock, times=5)
    # Refused without running the slow derivation, even with the right password.
    derivations: list[object] = []
    import clinic_app.storage.keys as keys

    real_kek = keys._kek
    monkeypatch.setattr(keys, "_kek", lambda *a: derivations.append(a) or real_kek(*a))
    with pytest.raises(AccountLockedOut) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    assert derivations == []
    assert caught.value.seconds == 30
    assert "Too many failed attempts; try again in 30 s." in str(caught.value)
    # Other users are not affected.
    login(clinic_dir, "doctor", PASSWORDS["doctor"], clock=clock).close()

    clock.advance(31)
    fail(clinic_dir, "nurse", clock)  # the 6th: now 1 minute
    with pytest.raises(AccountLockedOut) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    assert caught.value.seconds == 60
    clock.advance(61)
    fail(clinic_dir, "nurse", clock)  # the 7th: 2 minutes
    clock.advance(100)
    with pytest.raises(AccountLockedOut) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    assert caught.value.seconds == 20
    assert "try again in 20 s." in str(caught.value)

    # Success resets the count: the next mistakes start from zero again.
    clock.advance(21)
    login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock).close()
    fail(clinic_dir, "nurse", clock, times=4)
    login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock).close()


def test_the_delay_is_capped_at_fifteen_minutes(clinic_dir: Path) -> None:
    clock = FakeClock()
    for _ in range(12):
        fail(clinic_dir, "nurse", clock)
        clock.advance(15 * 60 + 1)
    fail(clinic_dir, "nurse", clock)
    with pytest.raises(AccountLockedOut) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    assert caught.value.seconds == 900
    assert "try again in 15 min." in str(caught.value)


def test_unknown_names_are_locked_out_too(clinic_dir: Path) -> None:
    clock = FakeClock()
    fail(clinic_dir, "nobody", clock, times=5)
    with pytest.raises(AccountLockedOut):
        login(clinic_dir, "nobody", "whatever-pass", clock=clock)


def test_failed_logins_are_audited_at_the_next_login(clinic_dir: Path) -> None:
    clock = FakeClock()
    fail(clinic_dir, "nurse", clock, times=3)
    fail(clinic_dir, "nobody", clock, times=2)
    admin = login(clinic_dir, "admin", PASSWORDS["admin"], clock=clock)
    rows = audit_rows(admin, "failed_login")
    nurse_id = admin.store.one("SELECT id FROM users WHERE username = 'nurse'")["id"]
    by_kind = {row["object_kind"]: row for row in rows}
    assert by_kind["user"]["object_id"] == nurse_id
    assert by_kind["user"]["detail"].startswith("count=3;last=2026-03-02T08:00")
    assert by_kind["user"]["outcome"] == "refused"
    # A name that is not a user may be a password typed in the wrong box: never stored.
    assert by_kind["unknown_user"]["object_id"] == ""
    assert "nobody" not in str(rows)
    admin.close()
    again = login(clinic_dir, "doctor", PASSWORDS["doctor"], clock=clock)
    assert len(audit_rows(again, "failed_login")) == 2  # written once, not at every login
    again.close()


# --- the locked screen ----------------------------------------------------------------------


def test_unlock_session_takes_only_the_same_users_password(nurse: Session) -> None:
    clock = FakeClock()
    unlock_session(nurse, PASSWORDS["nurse"], clock=clock)
    with pytest.raises(WrongPassword):
        unlock_session(nurse, PASSWORDS["doctor"], clock=clock)
    outcomes = [row["outcome"] for row in audit_rows(nurse, "unlock")]
    assert outcomes == ["ok", "refused"]


def test_unlock_session_counts_toward_the_lockout(nurse: Session, clinic_dir: Path) -> None:
    clock = FakeClock()
    for _ in range(5):
        with pytest.raises(WrongPassword):
            unlock_session(nurse, "not the password", clock=clock)
    with pytest.raises(AccountLockedOut):
        unlock_session(nurse, PASSWORDS["nurse"], clock=clock)
    with pytest.raises(AccountLockedOut):
        login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock)
    clock.advance(30)
    unlock_session(nurse, PASSWORDS["nurse"], clock=clock)


def test_switch_user_logs_the_other_in_and_the_first_out(nurse: Session) -> None:
    doctor = switch_user(nurse, "doctor", PASSWORDS["doctor"])
    assert doctor.actor.username == "doctor"
    assert audit_rows(doctor, "logout")[-1]["user_id"] == nurse.actor.user_id
    doctor.close()


def test_a_refused_switch_leaves_the_first_session_open(nurse: Session) -> None:
    with pytest.raises(WrongPassword):
        switch_user(nurse, "doctor", "not the password")
    unlock_session(nurse, PASSWORDS["nurse"])


# --- the admin's user management --------------------------------------------------------------


def test_a_disabled_account_is_refused_and_enabled_with_a_temporary_password(
    admin: Session, clinic_dir: Path
) -> None:
    disable_user(admin, "store")
    with pytest.raises(AccountDisabled, match="disabled"):
        login(clinic_dir, "store", PASSWORDS["store"])
    enable_user(admin, "store", "temporary store 1", cost=TEST_COST)
    with pytest.raises(WrongPassword):
        login(clinic_dir, "store", PASSWORDS["store"])
    store = login(clinic_dir, "store", "temporary store 1")
    assert must_change_password(store)
    change_password(store, "temporary store 1", "the storekeeper's own", cost=TEST_COST)
    assert not must_change_password(store)
    store.close()
    actions = [row["action"] for row in audit_rows(admin, "disable_user")] + [
        row["action"] for row in audit_rows(admin, "enable_user")
    ]
    assert actions == ["disable_user", "enable_user"]


def test_an_admin_cannot_disable_themselves_or_the_last_admin(admin: Session) -> None:
    with pytest.raises(InvalidInput, match="your own account"):
        disable_user(admin, "admin")
    with pytest.raises(InvalidInput, match="at least one active administrator"):
        set_roles(admin, "admin", {Role.DOCTOR})


def test_reset_password_lifts_the_lockout_and_asks_for_a_change(
    admin: Session, clinic_dir: Path
) -> None:
    clock = FakeClock()
    fail(clinic_dir, "nurse", clock, times=5)
    reset_password(admin, "nurse", "temporary nurse 1", cost=TEST_COST)
    nurse = login(clinic_dir, "nurse", "temporary nurse 1", clock=clock)
    assert must_change_password(nurse)
    nurse.close()
    assert [row["action"] for row in audit_rows(admin, "reset_password")] == ["reset_password"]


def test_a_temporary_password_only_lets_its_holder_choose_a_new_one(
    admin: Session, clinic_dir: Path
) -> None:
    # The admin who set it knows it: with it alone, nobody may act as the doctor.
    from clinic_app.errors import PasswordChangeRequired
    from clinic_app.records.patients import search_patients

    reset_password(admin, "doctor", "temporary doctor 1", cost=TEST_COST)
    doctor = login(clinic_dir, "doctor", "temporary doctor 1")
    try:
        assert doctor.password_change_required
        with pytest.raises(PasswordChangeRequired, match="temporary password"):
            search_patients(doctor, "Kouamé")
        refused = audit_rows(doctor, "permission_denied")
        assert refused
        assert refused[-1]["outcome"] == "refused"
        change_password(doctor, "temporary doctor 1", "the doctor's very own", cost=TEST_COST)
        assert not doctor.password_change_required
        search_patients(doctor, "Kouamé")  # now it may
    finally:
        doctor.close()


def test_a_name_typed_at_login_that_is_no_user_is_never_written_in_clear(
    clinic_dir: Path,
) -> None:
    # A password typed into the user-name box must not land in keyslots.json.
    clock = FakeClock()
    for _ in range(3):
        with pytest.raises(WrongPassword):
            login(clinic_dir, "Tr3sSecret!Kone", "", clock=clock)
    slots = (clinic_dir / "keyslots.json").read_text()
    assert "tr3ssecret" not in slots.lower()
    login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock).close()
    assert "tr3ssecret" not in (clinic_dir / "keyslots.json").read_text().lower()


def test_unknown_names_are_locked_out_together_and_real_users_are_not(clinic_dir: Path) -> None:
    clock = FakeClock()
    for n in range(5):
        with pytest.raises(WrongPassword):
            login(clinic_dir, f"nobody{n}", "not the password", clock=clock)
    with pytest.raises(AccountLockedOut):
        login(clinic_dir, "someone-else", "not the password", clock=clock)
    login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=clock).close()


def test_odd_arguments_from_a_script_get_typed_errors(clinic_dir: Path) -> None:
    login(str(clinic_dir), "nurse", PASSWORDS["nurse"]).close()  # a folder given as text
    with pytest.raises(WrongPassword):
        login(clinic_dir, "nurse", None)  # type: ignore[arg-type]


def test_roles_change_is_audited_as_a_permission_change(admin: Session, clinic_dir: Path) -> None:
    set_roles(admin, "nurse", {Role.NURSE, Role.STOREKEEPER})
    row = audit_rows(admin, "permission_change")[-1]
    assert row["detail"] == "nurse->nurse,storekeeper"
    nurse = login(clinic_dir, "nurse", PASSWORDS["nurse"])
    assert nurse.actor.roles == {Role.NURSE, Role.STOREKEEPER}
    nurse.close()
    with pytest.raises(InvalidInput, match="at least one role"):
        set_roles(admin, "nurse", set())


def test_only_an_admin_manages_users(nurse: Session) -> None:
    for attempt in (
        lambda: disable_user(nurse, "doctor"),
        lambda: set_roles(nurse, "nurse", {Role.ADMIN}),
        lambda: reset_password(nurse, "doctor", "a new doctor pass", cost=TEST_COST),
        lambda: list_users(nurse),
    ):
        with pytest.raises(PermissionDenied):
            attempt()


def test_list_users_shows_states(admin: Session, clinic_dir: Path) -> None:
    clock = FakeClock()
    fail(clinic_dir, "doctor", clock, times=5)
    disable_user(admin, "store")
    users = {user.username: user for user in list_users(admin)}
    assert set(users) == {"admin", "nurse", "doctor", "store"}
    assert not users["store"].active
    assert users["doctor"].locked_out_until.startswith("2026-03-02T08:00:30")
    assert users["nurse"].roles == {Role.NURSE}


def test_a_clock_that_was_a_year_ahead_does_not_lock_anyone_out_for_a_year(
    clinic_dir: Path,
) -> None:
    ahead = FakeClock(datetime(2027, 12, 3, 8, 0, tzinfo=UTC))
    fail(clinic_dir, "nurse", ahead, times=5)  # the laptop's clock was a year ahead
    corrected = FakeClock(datetime(2026, 12, 3, 8, 0, tzinfo=UTC))
    with pytest.raises(AccountLockedOut) as caught:
        login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=corrected)
    assert caught.value.seconds <= 15 * 60
    corrected.advance(15 * 60 + 1)
    login(clinic_dir, "nurse", PASSWORDS["nurse"], clock=corrected).close()


def test_attempts_made_in_parallel_cannot_all_slip_past_the_limit(clinic_dir: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def attempt(n: int) -> str:
        try:
            login(clinic_dir, "doctor", f"guess-number-{n}")
        except AccountLockedOut:
            return "locked"
        except WrongPassword:
            return "wrong"
        return "in"

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(attempt, range(12)))
    assert outcomes.count("wrong") <= 5
    assert outcomes.count("locked") >= 7


@pytest.mark.parametrize(
    "password", ["\t\t\t\t\t     ", "nurse1nurse1", "NURSE-2026!!", "nursenursenurse"]
)
def test_passwords_made_of_spaces_or_the_user_name_are_refused(password: str) -> None:
    with pytest.raises(InvalidInput):
        check_password_rules(password, username="nurse")
