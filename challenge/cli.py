"""Command-line entry: migrate, load reference data, create an organiser, generate demo data."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from tqdm import tqdm

from challenge import accounts, migrate
from challenge.config import load_settings
from challenge.db import Database
from challenge.demo import DEMO_LOGINS, DEMO_PASSWORD, generate_demo, has_demo
from challenge.errors import ChallengeError, ReferenceDataError
from challenge.models import utcnow
from challenge.reference import load_reference
from challenge.retention import purge_inactive


def _progress(label: str) -> Any:
    """A progress bar on a terminal; silent in CI logs and pipes."""

    def wrap(items: Iterable[Any]) -> Iterable[Any]:
        bar: Iterable[Any] = tqdm(items, desc=label, disable=None, leave=False)
        return bar

    return wrap


def cmd_migrate(db: Database, _args: argparse.Namespace) -> None:
    migrate.upgrade(db.url)
    print("Database schema is up to date.")


def cmd_load_reference(db: Database, _args: argparse.Namespace) -> None:
    for name, report in load_reference(db, progress=_progress("reference data")).items():
        print(f"{name}: {report}")


def cmd_create_admin(db: Database, args: argparse.Namespace) -> None:
    password = os.environ.get("DZG_ADMIN_PASSWORD") or (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
    )
    account = accounts.sign_up(db, args.email, password)
    accounts.grant_role(db, account.id, "organiser")
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
        f"Demo data: {report.households} households, {report.checkins} check-ins, "
        f"edition started {report.edition_start.isoformat()}."
    )
    print(
        f"Demo logins (password '{DEMO_PASSWORD}'): "
        + ", ".join(f"{role} = {email}" for role, email in DEMO_LOGINS.items())
    )


def cmd_purge_inactive(db: Database, _args: argparse.Namespace) -> None:
    settings = load_settings()
    report = purge_inactive(db, utcnow(), timedelta(days=settings.log_retention_days))
    print(f"Retention: {report}.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m challenge", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply Alembic migrations up to head").set_defaults(run=cmd_migrate)
    commands.add_parser(
        "load-reference", help="load territories and catalogue from data/ (idempotent)"
    ).set_defaults(run=cmd_load_reference)
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    db = Database(load_settings().database_url)
    try:
        args.run(db, args)
    except (ChallengeError, ReferenceDataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    return 0
