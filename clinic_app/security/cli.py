"""The command-line tasks of the clinic's keys and audit trail.

    clinic-app audit verify --data-dir DIR --user U     check the audit trail's hash chain
    clinic-app recover --data-dir DIR [--user ADMIN]    recovery key; a new admin password
    clinic-app rekey --data-dir DIR --user ADMIN        new database key and recovery key
    clinic-app passwd --data-dir DIR --user U           change one's own password
    clinic-app passwd ... --reset OTHER                 (admin) temporary password for OTHER

Secrets are asked on the terminal, or read from the environment for scripts
and tests: ``CLINIC_APP_PASSWORD`` (the acting user's password),
``CLINIC_APP_NEW_PASSWORD``, ``CLINIC_APP_RECOVERY_KEY``, ``CLINIC_APP_NEW_ADMIN``.
Refusals are ``ClinicError``s, printed by ``clinic_app.cli`` as one line.
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path
from typing import Any

from clinic_app.errors import InvalidInput
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.prompts import ask, say

SECURITY_COMMANDS = ("audit", "recover", "rekey", "passwd")


def add_security_commands(commands: Any) -> None:
    """Add the subcommands to ``clinic-app``'s subparsers."""
    audit = commands.add_parser("audit", help="check the audit trail")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_commands.add_parser(
        "verify", help="walk the audit trail's hash chain; name the first broken entry"
    )
    verify.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    verify.add_argument("--user", required=True, help="a clinic admin")
    verify.add_argument("--password", default=None, help="else CLINIC_APP_PASSWORD, else asked")

    recover = commands.add_parser(
        "recover", help="every password lost: open with the recovery key, set an admin password"
    )
    recover.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    recover.add_argument("--user", default=None, help="the administrator to (re)create")

    rekey = commands.add_parser(
        "rekey", help="suspected compromise: new database key and recovery key"
    )
    rekey.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    rekey.add_argument("--user", required=True, help="a clinic admin")
    rekey.add_argument("--password", default=None)

    passwd = commands.add_parser("passwd", help="change your password, or reset another user's")
    passwd.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    passwd.add_argument("--user", required=True, help="who is typing")
    passwd.add_argument("--password", default=None, help="your current password")
    passwd.add_argument(
        "--reset", default=None, metavar="OTHER", help="(admin) give OTHER a temporary password"
    )


def _ask(env: str, prompt: str, given: str | None = None) -> str:
    if given is not None:
        return given
    return ask(prompt, env)


def _new_password(prompt: str) -> str:
    value = os.environ.get("CLINIC_APP_NEW_PASSWORD")
    if value is not None:
        return value
    first = ask(prompt, "CLINIC_APP_NEW_PASSWORD")
    if getpass.getpass("Again: ") != first:
        raise InvalidInput(
            QT_TRANSLATE_NOOP("errors", "The two passwords differ."), field="password_again"
        )
    return first


def run_security_command(args: argparse.Namespace) -> int:
    """Run one of ``SECURITY_COMMANDS``; return the exit status (1: the trail is broken)."""
    from clinic_app.security.accounts import login, logout

    if args.command == "recover":
        from clinic_app.security.recovery import recover_with_key, recovery_secret

        recovery_key = _ask("CLINIC_APP_RECOVERY_KEY", "Recovery key: ")
        recovery_secret(recovery_key)  # a typo is told now, before anything else is asked
        username = args.user or ask("Admin user name: ", "CLINIC_APP_NEW_ADMIN", secret=False)
        session = recover_with_key(
            args.clinic_dir, recovery_key, username, _new_password("New password: ")
        )
        logout(session)
        say(
            args.language,
            QT_TRANSLATE_NOOP(
                "cli",
                "Clinic opened with the recovery key: {user} is an administrator\n"
                "and can log in with the new password. If the recovery sheet may have been\n"
                "seen, run `clinic-app rekey` now: it makes a new key and a new sheet.",
            ),
            user=session.actor.username,
        )
        return 0

    password = _ask("CLINIC_APP_PASSWORD", "Password: ", args.password)
    session = login(args.clinic_dir, args.user, password)
    try:
        if args.command == "audit":
            from clinic_app.security.recovery import verify_audit_trail

            check = verify_audit_trail(session)
            if check.intact:
                say(
                    args.language,
                    QT_TRANSLATE_NOOP("cli", "audit trail intact: {entries} entries"),
                    entries=check.entries,
                )
                return 0
            say(
                args.language,
                QT_TRANSLATE_NOOP("cli", "audit trail broken at entry #{seq} ({reason})"),
                seq=check.first_broken_seq,
                reason=check.reason,
            )
            return 1
        if args.command == "rekey":
            from clinic_app.security.recovery import rekey_database

            result = rekey_database(session, password)
            session = result.session
            say(
                args.language,
                QT_TRANSLATE_NOOP(
                    "cli",
                    "The clinic's database key was changed. New recovery key (shown once;\n"
                    "write it down or print it, and keep it away from this computer):",
                ),
            )
            print(f"    {result.recovery_key}")
            if result.password_reset_required:
                names = ", ".join(result.password_reset_required)
                say(
                    args.language,
                    QT_TRANSLATE_NOOP("cli", "These users need a temporary password: {names}"),
                    names=names,
                )
                print(f"    clinic-app passwd --data-dir DIR --user {args.user} --reset NAME")
            return 0
        if args.command == "passwd":
            from clinic_app.security.accounts import change_password, reset_password

            if args.reset:
                reset_password(session, args.reset, _new_password("Temporary password: "))
                say(
                    args.language,
                    QT_TRANSLATE_NOOP(
                        "cli", "Temporary password set for {user}; they will be asked to change it."
                    ),
                    user=args.reset,
                )
            else:
                change_password(session, password, _new_password("New password: "))
                say(
                    args.language,
                    QT_TRANSLATE_NOOP("cli", "Password changed for {user}."),
                    user=session.actor.username,
                )
            return 0
        raise AssertionError(args.command)
    finally:
        logout(session)
