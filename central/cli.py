"""``clinic-central``: run the central service and look after its database.

    clinic-central serve --host 127.0.0.1 --port 8765 [--data-dir DIR] [--database-url URL]
                         [--seed-catalogue FILE]
    clinic-central create-operator --username U     (password: $CENTRAL_OPERATOR_PASSWORD,
                                                     else asked at the prompt)
    clinic-central seed-catalogue FILE
    clinic-central seed-icd11 [FILE] [--release R] [--language L]   (default: the bundled list)
    clinic-central staff add --site CODE --username U --name N --roles nurse,doctor
    clinic-central staff deactivate --site CODE --username U
    clinic-central staff list [--site CODE]
    clinic-central revoke-clinic --clinic-id ID
    clinic-central audit verify --site CODE         (check a clinic's audit trail as received;
                                                     exit 1 naming the first broken link or gap)
    clinic-central migrate                          (bring the schema to the newest revision;
                                                     serve does it too at every start)
    clinic-central serve --workers N                (N processes; PostgreSQL in production)

The database is ``--database-url``, else ``$CENTRAL_DATABASE_URL``, else an
SQLite file ``central.db`` in ``--data-dir`` (default ``./central-data``).

Every file the command makes is private to its owner (umask 077). A refusal or
a bad argument prints one line ``clinic-central: …`` and exits with status 2;
no traceback reaches the operator.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from sqlalchemy import Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from central.db import create_tables, make_engine
from central.migrations import SchemaError
from central.services import (
    CentralError,
    check_operator_name,
    check_operator_password,
    create_operator,
    revoke_site,
    seed_catalogue,
)

log = logging.getLogger("central")

PROG = "clinic-central"
DATABASE_URL_ENV = "CENTRAL_DATABASE_URL"
OPERATOR_PASSWORD_ENV = "CENTRAL_OPERATOR_PASSWORD"
DEFAULT_DATA_DIR = Path("central-data")
PRIVATE_UMASK = 0o077
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")


class UsageError(Exception):
    """A bad argument or an impossible situation, worded for the operator (one line)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line ``clinic-central: …`` and exit status 2."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        where = f"{command}: " if command else ""
        self.exit(2, f"{PROG}: {where}{message} (see {self.prog} --help)\n")


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a port number (1 to 65535)")
    return int(text)


def shown_url(url: str | URL) -> str:
    """A database URL fit for a message: no password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unparseable URL)"


def database_url(explicit: str | None, data_dir: Path | None, *, existing: bool = False) -> str:
    """``--database-url``, else an explicit ``--data-dir``, else ``$CENTRAL_DATABASE_URL``,
    else SQLite in the default folder: what the operator typed wins over the environment.

    ``existing``: a command that reads central's data (import, duplicates, audit…) is
    refused where there is no SQLite database yet, rather than given an empty one.
    """
    if explicit:
        return explicit
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env and data_dir is None:
        return from_env
    data_dir = data_dir if data_dir is not None else DEFAULT_DATA_DIR
    if existing and not (data_dir / "central.db").is_file():
        raise UsageError(
            f"there is no central database in {data_dir.resolve()}: give the --data-dir "
            f"(or --database-url, or ${DATABASE_URL_ENV}) that 'clinic-central serve' uses"
        )
    if data_dir.exists() and not data_dir.is_dir():
        raise UsageError(f"the data folder {data_dir} is a file, not a folder")
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise UsageError(
            f"cannot create the data folder {data_dir}: {exc.strerror or exc}"
        ) from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise UsageError(f"the data folder {data_dir} is not writable by this user")
    return f"sqlite:///{(data_dir / 'central.db').resolve()}"


# Commands that make or fill a central (a first install runs them in this order); every
# other command reads one that must already be there.
SETTING_UP = ("serve", "migrate", "create-operator", "seed-catalogue", "seed-icd11")


def open_database(args: argparse.Namespace) -> Engine:
    """The engine with every table made; each way it can fail is one worded UsageError."""
    url = database_url(
        args.database_url,
        Path(args.data_dir) if args.data_dir else None,
        existing=args.command not in SETTING_UP,
    )
    try:
        engine = make_engine(url)
    except NoSuchModuleError as exc:
        raise UsageError(
            f"unknown database kind in {shown_url(url)}: use sqlite:///FILE "
            "or postgresql+psycopg://USER@HOST/DB"
        ) from exc
    except (ArgumentError, ValueError) as exc:
        raise UsageError(
            "the database URL is not valid: use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB"
        ) from exc
    except OSError as exc:
        raise UsageError(f"cannot create the database file: {exc.strerror or exc}") from exc
    try:
        create_tables(engine)
    except SchemaError as exc:
        engine.dispose()
        raise UsageError(f"cannot migrate the database {shown_url(url)}: {exc}") from exc
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        first = reason[0][:200] if reason else type(exc).__name__
        raise UsageError(f"cannot open the database {shown_url(url)}: {first}") from exc
    return engine


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--database-url",
        default=None,
        help=f"SQLAlchemy URL (default: ${DATABASE_URL_ENV}, else SQLite)",
    )
    common.add_argument(
        "--data-dir",
        default=None,
        help=f"folder of the embedded SQLite database (default: {DEFAULT_DATA_DIR})",
    )

    parser = _Parser(prog=PROG, description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    serve = commands.add_parser("serve", parents=[common], help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765, help="1 to 65535 (default 8765)")
    serve.add_argument(
        "--seed-catalogue", type=Path, default=None, help="load this catalogue TSV before serving"
    )
    serve.add_argument("--log-level", default="info", choices=LOG_LEVELS)

    operator = commands.add_parser(
        "create-operator",
        parents=[common],
        help="add a central operator (enrols clinics)",
        description=(
            f"The password comes from ${OPERATOR_PASSWORD_ENV}, else from the prompt "
            f"(typed twice). It needs at least 10 characters."
        ),
    )
    operator.add_argument("--username", required=True)
    operator.add_argument(
        "--password",
        default=None,
        help=(
            f"discouraged: other users of this machine can read it in the process list; "
            f"use ${OPERATOR_PASSWORD_ENV} or the prompt"
        ),
    )

    seed = commands.add_parser(
        "seed-catalogue", parents=[common], help="load the drug catalogue TSV as master data"
    )
    seed.add_argument("file", type=Path)

    revoke = commands.add_parser(
        "revoke-clinic", parents=[common], help="revoke a clinic's device tokens"
    )
    revoke.add_argument("--clinic-id", required=True)

    # --- schema migrations and several workers (issue 4) ---
    serve.add_argument(
        "--workers",
        type=_workers,
        default=1,
        help="worker processes (default 1); several need no shared memory: "
        "PostgreSQL in production, SQLite's file locking for a demo",
    )
    serve.add_argument(
        "--threads",
        type=_threads,
        default=None,
        help="requests each worker handles at once (default 6): more workers, not more "
        "threads, for more load",
    )
    commands.add_parser(
        "migrate",
        parents=[common],
        help="bring the database schema to the newest revision (serve does it at start)",
    )

    # --- hand-carried sync and patients seen at two clinics (issue 4) ---
    carried = commands.add_parser(
        "import",
        parents=[common],
        help="apply a clinic's hand-carried sync file and write its answer next to it",
    )
    carried.add_argument("file", type=Path)
    dupes = commands.add_parser(
        "duplicates", help="patients seen at two clinics: list likely duplicates, link them"
    )
    dupe_commands = dupes.add_subparsers(dest="duplicates_command", required=True)
    dupe_commands.add_parser("list", parents=[common], help="likely duplicates across clinics")
    link = dupe_commands.add_parser(
        "link", parents=[common], help="confirm that two patient records are one person"
    )
    link.add_argument("patient_a")
    link.add_argument("patient_b")
    link.add_argument("--operator", required=True, help="the central operator confirming it")

    # --- master data: the ICD-11 list and the clinics' staff (issue 4, central.masterdata) ---
    icd = commands.add_parser(
        "seed-icd11",
        parents=[common],
        help="load a WHO ICD-11 tabulation as the code list clinics download",
        description="Without FILE, the list the clinic program ships (resources/icd11). "
        "Seeding the same rows again adds no version.",
    )
    icd.add_argument("file", type=Path, nargs="?", default=None, help="a .tsv or .tsv.gz")
    icd.add_argument("--release", default=None, help="such as 2024-01 (default: from FILE's name)")
    icd.add_argument("--language", default=None, help="such as en, fr (default: from FILE's name)")
    staff = commands.add_parser(
        "staff", help="a clinic's staff directory (identifiers and roles; never passwords)"
    )
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    staff_add = staff_commands.add_parser(
        "add",
        parents=[common],
        help="add a person to a clinic's staff, or update them (active again)",
    )
    staff_add.add_argument("--site", required=True, help="the clinic's site code, such as TRV")
    staff_add.add_argument("--username", required=True)
    staff_add.add_argument("--name", required=True, help="the name shown at the clinic")
    staff_add.add_argument("--roles", required=True, help="comma-separated: nurse,doctor,…")
    staff_off = staff_commands.add_parser(
        "deactivate", parents=[common], help="stop a person logging in at their clinic"
    )
    staff_off.add_argument("--site", required=True)
    staff_off.add_argument("--username", required=True)
    staff_list = staff_commands.add_parser("list", parents=[common], help="list the staff")
    staff_list.add_argument("--site", default=None)

    # --- the clinics' audit trails, as central received them (issue 3, central.audit) ---
    audit = commands.add_parser("audit", help="the clinics' audit trails as central received them")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    audit_verify = audit_commands.add_parser(
        "verify",
        parents=[common],
        help="check a clinic's hash chain: names the first broken link or missing entry",
    )
    audit_verify.add_argument("--site", required=True, help="the clinic's site code, such as TRV")
    return parser


def _audit(engine: Engine, args: argparse.Namespace) -> int:
    """``audit verify``: 0 when the chain holds, 1 naming what does not (numbers only)."""
    from central.audit import report_lines, verify_site_audit

    check = verify_site_audit(engine, args.site)
    for line in report_lines(check):
        print(line)
    return 0 if check.intact else 1


def _master_data_command(engine: Engine, args: argparse.Namespace) -> None:
    """``seed-icd11`` and ``staff …``: one line per result, ``UsageError`` for a refusal."""
    from central import masterdata

    if args.command == "seed-icd11":
        path = args.file
        try:
            info, new = masterdata.seed_icd11(
                engine, path, release=args.release, language=args.language
            )
        except FileNotFoundError as exc:
            raise UsageError(f"the ICD-11 file {path} does not exist") from exc
        except IsADirectoryError as exc:
            raise UsageError(f"the ICD-11 file {path} is a folder, not a file") from exc
        except ValueError as exc:
            raise UsageError(f"ICD-11 list refused: {exc}") from exc
        state = "new version" if new else "unchanged, already held"
        print(
            f"icd11 version {info.version} ({info.release}, {info.language}): "
            f"{info.entries} codes, {info.size} bytes, sha256 {info.sha256} — {state}"
        )
        return
    if args.staff_command == "list":
        for member in masterdata.list_staff(engine, args.site):
            state = "active" if member.active else "deactivated"
            print(
                f"{member.site_code}\t{member.username}\t{member.display_name}\t{member.roles}"
                f"\t{state}"
            )
        return
    if args.staff_command == "add":
        member, changed = masterdata.add_staff(
            engine,
            site_code=args.site,
            username=args.username,
            display_name=args.name,
            roles=args.roles.split(","),
        )
        verb = "added or updated" if changed else "unchanged"
    else:
        member, changed = masterdata.deactivate_staff(
            engine, site_code=args.site, username=args.username
        )
        verb = "deactivated" if changed else "already deactivated"
    print(f"{member.site_code} {member.username} ({member.roles}): {verb}")


def _carry_import(engine: Engine, path: Path) -> None:
    from central.handcarry import import_carried_file

    report = import_carried_file(engine, path)
    print(
        f"clinic {report.clinic_id}: {report.batches} batch(es), {report.changes} change(s) "
        f"acknowledged; {report.sent_back} change(s) for the clinic"
    )
    print(f"answer written to {report.answer_path}")
    if report.refused:
        raise UsageError(
            f"{report.refused}; the batches before it were applied and are in the answer"
        )


def _duplicates(engine: Engine, args: argparse.Namespace) -> None:
    from sqlalchemy import select

    from central.db import operators
    from central.duplicates import confirm_link, find_duplicates

    if args.duplicates_command == "list":
        found = find_duplicates(engine)
        for candidate in found:
            a, b = candidate.a, candidate.b
            print(
                f"{candidate.reason}\t{a.site_code} {a.patient_id} {a.name} {a.birth_date or '-'}"
                f"\t{b.site_code} {b.patient_id} {b.name} {b.birth_date or '-'}"
            )
        print(f"{len(found)} likely duplicate(s)", file=sys.stderr)
        return
    operator = check_operator_name(args.operator)
    with engine.connect() as conn:
        known = conn.execute(
            select(operators.c.username).where(operators.c.username == operator)
        ).first()
    if known is None:
        raise UsageError(f"there is no central operator {operator!r} (see create-operator)")
    link_id, new = confirm_link(engine, args.patient_a.strip(), args.patient_b.strip(), operator)
    print(f"link {link_id} {'confirmed' if new else 'already confirmed'}")


def _threads(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 200:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of threads (1 to 200)")
    return int(text)


def _workers(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"{text[:20]!r} is not a number of workers (1 to 64)")
    return int(text)


# uvicorn closes an idle connection after 5 s by default. A clinic on a 2G link can spend
# longer than that between two requests of one sync (applying a pulled page, cutting the
# next batch), and a new connection costs it a TCP (and TLS) handshake at 600 ms round trips.
KEEP_ALIVE_SECONDS = 30


def _serve(engine: Engine, args: argparse.Namespace) -> None:
    """Run uvicorn: one process on ``engine``, or ``--workers`` processes each with its own."""
    import uvicorn

    from central.api import THREADS_ENV, THREADS_PER_WORKER, create_app

    threads = args.threads or THREADS_PER_WORKER
    if args.workers == 1:
        uvicorn.run(
            create_app(engine, threads=threads),
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        return
    # Each worker is a fresh process that opens the database itself (the schema is already
    # migrated here, once): the URL travels by environment, never on a command line.
    os.environ[DATABASE_URL_ENV] = engine.url.render_as_string(hide_password=False)
    os.environ[THREADS_ENV] = str(threads)
    engine.dispose()
    uvicorn.run(
        "central.api:app_from_environment",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def _seed(engine: Engine, path: Path) -> None:
    try:
        changed = seed_catalogue(engine, path)
    except FileNotFoundError as exc:
        raise UsageError(f"the catalogue file {path} does not exist") from exc
    except IsADirectoryError as exc:
        raise UsageError(f"the catalogue {path} is a folder, not a file") from exc
    except OSError as exc:
        raise UsageError(f"cannot read the catalogue {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(f"catalogue refused: {exc}") from exc
    print(f"catalogue: {changed} item(s) new or changed")


def operator_password(given: str | None) -> str:
    """The new operator's password: --password, else the environment, else the prompt."""
    if given is not None:
        return given
    from_env = os.environ.get(OPERATOR_PASSWORD_ENV)
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise UsageError(
            f"no password: set ${OPERATOR_PASSWORD_ENV} or run this command at a terminal"
        )
    first = getpass.getpass("New operator password (at least 10 characters): ")
    check_operator_password(first)  # say so now, not after typing it twice
    if getpass.getpass("The same password again: ") != first:
        raise UsageError("the two passwords differ; nothing was changed")
    return first


def _check_serve_address(host: str, port: int) -> None:
    """Fail before uvicorn does, in one line: an unknown host, a port in use or forbidden."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"cannot listen on host {host!r}: unknown address") from exc
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as exc:
            raise UsageError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                "(another program on that port, or a port below 1024 without privileges?)"
            ) from exc


def _fail(message: str, status: int = 2) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything is created: the database, its WAL and the data folder stay private.
    os.umask(PRIVATE_UMASK)
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    engine: Engine | None = None
    try:
        if args.command == "serve":
            _check_serve_address(args.host, args.port)
        if args.command == "create-operator":
            # Checked before the database is opened, and before the password is asked for.
            username = check_operator_name(args.username)
            password = check_operator_password(operator_password(args.password))
        engine = open_database(args)
        if args.command == "serve":
            if args.seed_catalogue is not None:
                _seed(engine, args.seed_catalogue)
            _serve(engine, args)
        elif args.command == "migrate":
            from central.migrations import current_revision

            print(f"database schema at revision {current_revision(engine)}")
        elif args.command == "import":
            _carry_import(engine, args.file)
        elif args.command == "duplicates":
            _duplicates(engine, args)
        elif args.command == "create-operator":
            create_operator(engine, username, password)
            print(f"operator {username} ready")
        elif args.command == "seed-catalogue":
            _seed(engine, args.file)
        elif args.command in ("seed-icd11", "staff"):
            _master_data_command(engine, args)
        elif args.command == "audit":
            return _audit(engine, args)
        elif args.command == "revoke-clinic":
            print(f"{revoke_site(engine, args.clinic_id)} token(s) revoked")
    except UsageError as exc:
        return _fail(str(exc))
    except CentralError as exc:
        return _fail(exc.message)
    except SQLAlchemyError as exc:
        log.debug("database error", exc_info=True)
        return _fail(f"database error ({type(exc).__name__}); nothing was changed")
    except OSError as exc:
        return _fail(f"{exc.strerror or exc}")
    except (KeyboardInterrupt, EOFError):
        return _fail("interrupted; nothing was changed", 130)
    finally:
        if engine is not None:
            engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
