"""The ``backup``, ``restore`` and ``export`` subcommands of ``clinic-app``.

    clinic-app backup  --data-dir D --user U --to FOLDER    encrypted, checked backup
    clinic-app restore --from FILE --data-dir D --user U    into a folder with no clinic
    clinic-app export  --data-dir D --user U --to FOLDER    de-identified CSV files

Passwords come from ``--password``, else ``CLINIC_APP_PASSWORD``, else a prompt.
Refusals are ``ClinicError``s: ``clinic_app.cli.main`` prints them as one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from clinic_app.i18n import QT_TRANSLATE_NOOP
from clinic_app.prompts import say

BACKUP_COMMANDS = ("backup", "restore", "export")


def add_backup_commands(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help="write an encrypted, checked backup of the clinic into a folder"
    )
    backup.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    backup.add_argument("--user", required=True, help="clinic admin user name")
    backup.add_argument("--password", default=None)
    backup.add_argument("--to", type=Path, required=True, dest="target", help="e.g. a USB stick")

    restore = commands.add_parser(
        "restore", help="restore a backup into a data folder that holds no clinic yet"
    )
    restore.add_argument("--from", type=Path, required=True, dest="source", help="backup file")
    restore.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    restore.add_argument("--user", required=True, help="a clinic admin of the backup")
    restore.add_argument("--password", default=None)

    export = commands.add_parser(
        "export", help="write de-identified CSV files for statistics into a folder"
    )
    export.add_argument("--data-dir", type=Path, required=True, dest="clinic_dir")
    export.add_argument("--user", required=True, help="clinic admin user name")
    export.add_argument("--password", default=None)
    export.add_argument("--to", type=Path, required=True, dest="target")


def run_backup_command(args: argparse.Namespace) -> int:
    from clinic_app.cli import _password
    from clinic_app.security.accounts import login, logout

    password = _password(args.password, "Password: ")
    if args.command == "restore":
        from clinic_app.storage.backup import restore_clinic

        restored = restore_clinic(args.source, args.clinic_dir, args.user, password)
        say(
            args.language,
            QT_TRANSLATE_NOOP(
                "cli", "Clinic restored into {folder} from the backup made {made} UTC."
            ),
            folder=restored.data_dir,
            made=f"{restored.backup_created_at:%Y-%m-%d %H:%M}",
        )
        return 0
    session = login(args.clinic_dir, args.user, password)
    try:
        if args.command == "backup":
            from clinic_app.storage.backup import backup_clinic

            report = backup_clinic(session, args.target)
            say(
                args.language,
                QT_TRANSLATE_NOOP("cli", "Backup written and checked: {path} ({size} bytes)."),
                path=report.path,
                size=report.size,
            )
        else:
            from clinic_app.reports.deidentified import export_deidentified_csv

            paths = export_deidentified_csv(session, args.target)
            say(
                args.language,
                QT_TRANSLATE_NOOP("cli", "De-identified files written: {paths}"),
                paths=", ".join(str(path) for path in paths),
            )
    finally:
        logout(session)
    return 0
