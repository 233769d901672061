"""Command line for the pre-aggregated counts: `python -m challenge rebuild-aggregates`."""

from __future__ import annotations

import argparse
import time
from typing import Any

from challenge.counts import upkeep
from challenge.infra.db import Database


def rebuild_if_needed(db: Database) -> None:
    """After a migration: fill the aggregates of editions that have none yet (e.g. after 0009)."""
    with db.read() as session:
        needed = upkeep.needs_rebuild(session)
    if needed:
        cmd_rebuild(db, argparse.Namespace(edition=None))


def cmd_rebuild(db: Database, args: argparse.Namespace) -> None:
    """Recompute the aggregates from the raw rows, edition by edition (idempotent)."""
    started = time.perf_counter()
    with db.write() as session:
        if args.edition is None:
            counted = upkeep.rebuild_all(session)
        else:
            counted = {args.edition: upkeep.rebuild(session, args.edition)}
    for edition, households in counted.items():
        print(f"edition {edition}: {households} household(s) counted")
    print(f"Aggregates rebuilt in {time.perf_counter() - started:.1f} s.")


def add_commands(commands: Any) -> None:
    rebuild = commands.add_parser(
        "rebuild-aggregates", help="recompute the dashboards' pre-aggregated counts from the raw rows"
    )
    rebuild.add_argument("--edition", type=int, help="only this edition (id); all editions by default")
    rebuild.set_defaults(run=cmd_rebuild)
