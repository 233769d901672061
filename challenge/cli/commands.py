"""Command-line entry: migrate, load reference data, create an organiser, generate demo data."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from tqdm import tqdm

from challenge.accounts import credentials, sessions
from challenge.cli import counts, engagement
from challenge.cli.reference import load_reference
from challenge.core import clock
from challenge.core.errors import ChallengeError, ReferenceDataError
from challenge.core.vocabulary import Role
from challenge.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, generate_demo, has_demo
from challenge.households.retention import purge_inactive
from challenge.infra import backup, migrate
from challenge.infra.config import current_settings
from challenge.infra.db import Database
from challenge.models import utcnow
from challenge.statistics.opendata import opendata_edition, opendata_frames, write_opendata
from challenge.statistics.secrecy import Rules
from challenge.territories.outlines import import_outlines
from challenge.territories.tree import build_tree


def _progress(label: str) -> Any:
    """A progress bar on a terminal; silent in CI logs and pipes."""

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        bar: Iterable[Any] = tqdm(items, desc=label, disable=None, leave=False)
        return bar

    return wrap


def cmd_migrate(db: Database, _args: argparse.Namespace) -> None:
    migrate.upgrade(db.url)
    print("Database schema is up to date.")
    counts.rebuild_if_needed(db)


def cmd_load_reference(db: Database, args: argparse.Namespace) -> None:
    reports = load_reference(db, progress=_progress("reference data"), force_catalogue=args.force_catalogue)
    for name, report in reports.items():
        print(f"{name}: {report}")
    if "catalogue" not in reports:
        print("catalogue: curated in the console, data/ not loaded over it (--force-catalogue to do so)")


def cmd_create_admin(db: Database, args: argparse.Namespace) -> None:
    password = os.environ.get("DZG_ADMIN_PASSWORD") or (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    )
    account = credentials.sign_up(db, args.email, password)
    sessions.grant_role(db, account.id, Role.ORGANISER)
    print(f"Organiser account ready: {account.email}")


def cmd_demo(db: Database, args: argparse.Namespace) -> None:
    if args.if_missing and has_demo(db):
        print("Demo data already present (remove --if-missing to regenerate).")
        return
    report = generate_demo(
        db,
        households=args.households,
        weeks=args.weeks,
        seed=args.seed,
        progress=_progress("demo households"),
    )
    print(
        f"Demo data: {report.households} households, {report.teams} teams, {report.checkins} check-ins, "
        f"edition started {report.edition_start.isoformat()}."
    )
    print(
        f"Demo logins (password '{DEMO_PASSWORD}'): "
        + ", ".join(f"{role} = {email}" for role, email in DEMO_LOGINS.items())
    )


def cmd_purge_inactive(db: Database, _args: argparse.Namespace) -> None:
    settings = current_settings()
    report = purge_inactive(db, utcnow(), timedelta(days=settings.log_retention_days))
    print(f"Retention: {report}.")


def cmd_backup(db: Database, args: argparse.Namespace) -> None:
    backup.backup(db.url, Path(args.out))
    print(f"Backup written to {Path(args.out).resolve()}.")


def cmd_restore(db: Database, args: argparse.Namespace) -> None:
    db.dispose()  # this process keeps no connection open while the content is replaced
    backup.restore(db.url, Path(args.file))
    print(f"Database restored from {Path(args.file).resolve()}. Restart the app.")


def cmd_export_opendata(db: Database, args: argparse.Namespace) -> None:
    with db.read() as session:
        edition = opendata_edition(session, args.edition)
        if edition is None and args.edition is not None:
            raise ChallengeError(f"Aucune édition publiée (hors brouillon) n'a l'identifiant {args.edition}.")
        if edition is None:
            raise ChallengeError("Aucune édition publiée : rien à exporter.")
        rules = Rules(threshold=current_settings().secrecy_threshold)
        frames = opendata_frames(session, build_tree(session), edition, rules, clock.today())
    for path in write_opendata(frames, Path(args.out)):
        print(f"wrote {path}")


def cmd_import_outlines(db: Database, args: argparse.Namespace) -> None:
    count = import_outlines(db, Path(args.file))
    print(f"Imported {count} territory outline(s).")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m challenge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply Alembic migrations up to head").set_defaults(run=cmd_migrate)
    reference = commands.add_parser(
        "load-reference", help="load territories and catalogue from data/ (idempotent)"
    )
    reference.add_argument(
        "--force-catalogue", action="store_true", help="load data/catalogue even over a console-curated one"
    )
    reference.set_defaults(run=cmd_load_reference)
    admin = commands.add_parser("create-admin", help="create an organiser account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    admin.set_defaults(run=cmd_create_admin)
    demo = commands.add_parser("demo", help="replace demo data with a reproducible demo challenge")
    demo.add_argument("--households", type=int, default=300)
    demo.add_argument("--weeks", type=int, default=6)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--if-missing", action="store_true", help="do nothing if demo data exist")
    demo.set_defaults(run=cmd_demo)
    commands.add_parser(
        "purge-inactive", help="retention: warn accounts idle for 2 years, delete them 30 days later (daily)"
    ).set_defaults(run=cmd_purge_inactive)
    save = commands.add_parser("backup", help="write a consistent backup of the database to a file")
    save.add_argument("--out", required=True, help="backup file (SQLite file, or pg_dump custom format)")
    save.set_defaults(run=cmd_backup)
    restore = commands.add_parser("restore", help="replace the database content with a backup (stop the app)")
    restore.add_argument("file", help="a file written by `backup`")
    restore.set_defaults(run=cmd_restore)
    opendata = commands.add_parser(
        "export-opendata", help="write the open-data CSV files (Licence Ouverte 2.0)"
    )
    opendata.add_argument("--out", required=True, help="folder to write territoires.csv, categories.csv…")
    opendata.add_argument(
        "--edition",
        type=int,
        help="id of a published edition (default: the live one, else the last closed one)",
    )
    opendata.set_defaults(run=cmd_export_opendata)
    outlines = commands.add_parser("import-outlines", help="import territory outlines from a GeoJSON file")
    outlines.add_argument("file")
    outlines.set_defaults(run=cmd_import_outlines)
    engagement.add_commands(commands)
    counts.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = Database(current_settings().database_url)
    try:
        args.run(db, args)
    except (ChallengeError, ReferenceDataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0
