"""``clinic-app``: the desktop program and its few command-line tasks.

    clinic-app [--data-dir DIR] [--language fr|en]       open the window
    clinic-app demo-data --data-dir DIR                   make a demo clinic, print its accounts
    clinic-app enrol --data-dir DIR --server URL ...      enrol this clinic with central
    clinic-app sync --data-dir DIR --user U               push and pull once
    clinic-app audit verify --data-dir DIR --user U       check the audit trail's hash chain
    clinic-app recover --data-dir DIR                     all passwords lost: use the recovery key
    clinic-app rekey --data-dir DIR --user ADMIN          new database key (suspected compromise)
    clinic-app passwd --data-dir DIR --user U             change a password (--reset OTHER: admin)
    clinic-app backup --data-dir DIR --user U --to FOLDER  encrypted, checked backup (USB stick)
    clinic-app restore --from FILE --data-dir DIR --user U restore into a folder with no clinic
    clinic-app export --data-dir DIR --user U --to FOLDER  de-identified CSV files for statistics
    clinic-app carry export --data-dir DIR --user U --to FOLDER     no link: pending changes to
                                                                    one encrypted file (USB)
    clinic-app carry import-answer --data-dir DIR --user U --from FILE  central's answer back

Errors a person can act on are printed as one line, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from clinic_app.errors import ClinicError
from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.prompts import ask, in_language, say


def default_data_dir() -> Path:
    base = os.environ.get("CLINIC_APP_DATA") or os.environ.get("XDG_DATA_HOME")
    return Path(base) / "clinic-app" if base else Path.home() / ".local/share/clinic-app"


def _password(given: str | None, prompt: str) -> str:
    if given is not None:
        return given
    return ask(prompt, "CLINIC_APP_PASSWORD")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clinic-app", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--language", choices=("fr", "en"), default=None)
    commands = parser.add_subparsers(dest="command")

    demo = commands.add_parser("demo-data", help="create a demo clinic and print its accounts")
    demo.add_argument("--data-dir", type=Path, required=True, dest="demo_dir")
    demo.add_argument("--patients", type=int, default=50)
    demo.add_argument(
        "--site-code",
        default="TRV",
        help="the clinic's code at central (a second demo clinic "
        "enrolled with the same central needs its own)",
    )

    enrol = commands.add_parser("enrol", help="enrol this clinic with the central service")
    enrol.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    enrol.add_argument("--server", required=True)
    enrol.add_argument("--user", required=True, help="clinic admin user name")
    enrol.add_argument("--password", default=None, help="clinic admin password (else asked)")
    enrol.add_argument("--central-user", required=True)
    enrol.add_argument("--central-password", default=None)

    sync = commands.add_parser("sync", help="push pending changes and pull master data once")
    sync.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    sync.add_argument("--user", required=True)
    sync.add_argument("--password", default=None)

    from clinic_app.security.cli import add_security_commands

    add_security_commands(commands)  # audit, recover, rekey, passwd

    from clinic_app.storage.backup_cli import add_backup_commands

    add_backup_commands(commands)  # backup, restore, export

    # --- hand-carried sync (issue 4): clinic_app.sync.handcarry ---
    carry = commands.add_parser("carry", help="sync by USB stick when there is no link")
    carry_commands = carry.add_subparsers(dest="carry_command", required=True)
    carry_export = carry_commands.add_parser(
        "export", help="write the changes waiting for central to one encrypted file"
    )
    carry_answer = carry_commands.add_parser(
        "import-answer", help="apply the answer file central wrote next to it"
    )
    for sub in (carry_export, carry_answer):
        sub.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
        sub.add_argument("--user", required=True)
        sub.add_argument("--password", default=None)
    carry_export.add_argument("--to", type=Path, required=True, dest="folder")
    carry_answer.add_argument("--from", type=Path, required=True, dest="answer")
    return parser


def _carry(args: argparse.Namespace) -> int:
    from clinic_app.security.accounts import login, logout
    from clinic_app.sync.handcarry import export_pending_changes, import_answer_file

    session = login(args.clinic_dir, args.user, _password(args.password, "Password: "))
    try:
        if args.carry_command == "export":
            written = export_pending_changes(session, args.folder)
            say(
                args.language,
                QT_TRANSLATE_NOOP(
                    "cli",
                    "Written: {path}\nImport it at central (clinic-central import FILE), "
                    "then bring back the answer.",
                ),
                path=written,
            )
            return 0
        report = import_answer_file(session, args.answer)
        say(
            args.language,
            QT_TRANSLATE_NOOP(
                "cli",
                "Answer applied: {acknowledged} change(s) acknowledged by central, "
                "{applied} received.",
            ),
            acknowledged=report.acknowledged,
            applied=report.applied,
        )
        if report.refused:
            say(
                args.language,
                QT_TRANSLATE_NOOP("cli", "Central refused part of the file: {reason}"),
                stream=sys.stderr,
                reason=report.refused,
            )
            return 1
        return 0
    finally:
        logout(session)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is not None:
        # A command says what went wrong in its own one line; the program's log lines
        # (English, for the admin's log file) would only repeat it. The window logs.
        logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "demo-data":
            from clinic_app.demo import create_demo_clinic, format_accounts

            recovery_keys: list[str] = []
            accounts = create_demo_clinic(
                args.demo_dir,
                patients=args.patients,
                on_recovery_key=recovery_keys.append,
                site_code=args.site_code,
            )
            print(format_accounts(args.demo_dir, accounts))
            print("Recovery key (opens the clinic if every password is lost):", *recovery_keys)
            return 0
        if args.command == "enrol":
            from clinic_app.sync.cli import enrol_from_cli

            enrol_from_cli(
                args.clinic_dir,
                args.user,
                _password(args.password, "Clinic admin password: "),
                args.server,
                args.central_user,
                args.central_password or ask("Central password: ", "CLINIC_CENTRAL_PASSWORD"),
            )
            say(
                args.language,
                QT_TRANSLATE_NOOP("cli", "Clinic enrolled with {server}"),
                server=args.server,
            )
            return 0
        if args.command == "sync":
            from clinic_app.sync.cli import sync_from_cli

            report = sync_from_cli(
                args.clinic_dir, args.user, _password(args.password, "Password: ")
            )
            say(
                args.language,
                QT_TRANSLATE_NOOP(
                    "cli",
                    "Sync done: {pushed} change(s) sent in {batches} batch(es), "
                    "{pulled} received, {pending} still waiting.",
                ),
                pushed=report.pushed,
                batches=report.batches,
                pulled=report.pulled,
                pending=report.pending,
            )
            return 0
        if args.command == "carry":
            return _carry(args)
        from clinic_app.security.cli import SECURITY_COMMANDS, run_security_command

        if args.command in SECURITY_COMMANDS:
            return run_security_command(args)
        from clinic_app.storage.backup_cli import BACKUP_COMMANDS, run_backup_command

        if args.command in BACKUP_COMMANDS:
            return run_backup_command(args)
        from clinic_app.ui.app import run

        return run(args.data_dir or default_data_dir(), language=args.language)
    except ClinicError as error:
        print(f"clinic-app: {in_language(error.message, args.language)}", file=sys.stderr)
        return 2
    except EOFError:
        # A password prompt with no terminal to answer it (a script, a service).
        print(
            "clinic-app: a password is needed and no terminal can ask for it; "
            "give --password or set CLINIC_APP_PASSWORD.",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
