"""``clinic-central``: run the central service and look after its database.

    clinic-central serve --host 127.0.0.1 --port 8765 [--data-dir DIR] [--database-url URL]
                         [--seed-catalogue FILE]
    clinic-central create-operator --username U --password P
    clinic-central seed-catalogue FILE
    clinic-central revoke-clinic --clinic-id ID

The database is ``--database-url``, else ``$CENTRAL_DATABASE_URL``, else an
SQLite file ``central.db`` in ``--data-dir`` (default ``./central-data``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from central.db import create_tables, make_engine
from central.services import CentralError, create_operator, revoke_site, seed_catalogue

log = logging.getLogger("central")

DATABASE_URL_ENV = "CENTRAL_DATABASE_URL"
DEFAULT_DATA_DIR = Path("central-data")


def database_url(explicit: str | None, data_dir: Path) -> str:
    if explicit:
        return explicit
    from_env = os.environ.get(DATABASE_URL_ENV)
    if from_env:
        return from_env
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{(data_dir / 'central.db').resolve()}"


def open_database(args: argparse.Namespace) -> Engine:
    engine = make_engine(database_url(args.database_url, Path(args.data_dir)))
    create_tables(engine)
    return engine


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=None,
        help=f"SQLAlchemy URL (default: ${DATABASE_URL_ENV}, else SQLite)",
    )
    common.add_argument(
        "--data-dir", default=str(DEFAULT_DATA_DIR), help="folder of the embedded SQLite database"
    )

    parser = argparse.ArgumentParser(prog="clinic-central", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", parents=[common], help="run the HTTP service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument(
        "--seed-catalogue", type=Path, default=None, help="load this catalogue TSV before serving"
    )
    serve.add_argument("--log-level", default="info")

    operator = commands.add_parser(
        "create-operator", parents=[common], help="add a central operator (enrols clinics)"
    )
    operator.add_argument("--username", required=True)
    operator.add_argument("--password", required=True)

    seed = commands.add_parser(
        "seed-catalogue", parents=[common], help="load the drug catalogue TSV as master data"
    )
    seed.add_argument("file", type=Path)

    revoke = commands.add_parser(
        "revoke-clinic", parents=[common], help="revoke a clinic's device tokens"
    )
    revoke.add_argument("--clinic-id", required=True)
    return parser


def _seed(engine: Engine, path: Path) -> None:
    changed = seed_catalogue(engine, path)
    print(f"catalogue: {changed} item(s) new or changed")


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        engine = open_database(args)
        if args.command == "serve":
            import uvicorn

            from central.api import create_app

            if args.seed_catalogue is not None:
                _seed(engine, args.seed_catalogue)
            uvicorn.run(
                create_app(engine), host=args.host, port=args.port, log_level=args.log_level
            )
        elif args.command == "create-operator":
            create_operator(engine, args.username, args.password)
            print(f"operator {args.username.strip().lower()} ready")
        elif args.command == "seed-catalogue":
            _seed(engine, args.file)
        elif args.command == "revoke-clinic":
            print(f"{revoke_site(engine, args.clinic_id)} token(s) revoked")
    except CentralError as exc:
        print(f"refused: {exc.message}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
