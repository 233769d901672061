"""A reproducible benchmark edition at scale S, M or L, written with bulk inserts.

    python -m bench.dataset --scale S --url sqlite:////tmp/bench-s.sqlite3

Households live in communes drawn by population over the whole Hauts-de-France région, use about
8 Big Tech services (drawn by popularity), choose a national alternative for most of them, join
before the start or in the first weeks, then check in with their own regularity over 12 weeks,
moving from "still" towards "switched" (with relapses). About a third of them play in collectives
of uneven sizes (3 to 60 members). Same seed, same data. Check-ins go in with executemany on
SQLite and COPY on PostgreSQL; the aggregates are then rebuilt by the real job (timed).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from challenge.accounts import passwords
from challenge.cli.reference import load_reference
from challenge.counts import upkeep
from challenge.editions.admin import set_up_edition
from challenge.editions.rules import EditionForm
from challenge.infra import migrate
from challenge.infra.db import Database
from challenge.models import (
    Account,
    Alternative,
    AlternativeReplacement,
    BigTechService,
    ChosenAlternative,
    Commune,
    DeclaredService,
    Enrolment,
    Household,
    RoleGrant,
    Team,
)

SCALES = {"S": 2_000, "M": 20_000, "L": 100_000}
WEEKS = 12
DOMAIN = "bench.invalid"
PASSWORD = "zero-gafam-bench"  # noqa: S105 - fictitious benchmark accounts only
STAFF = {  # role, territory level, code: who the page benchmark logs in as
    "organiser": ("organiser", None, None),
    "commune": ("council", "commune", "59350"),
    "epci": ("council", "epci", "200093201"),
    "departement": ("council", "departement", "59"),
}
ADVANCE = {
    "still": "tried",
    "tried": "mostly",
    "mostly": "switched",
    "switched": "switched",
    "dropped": "dropped",
}
QUANTITY_OF = {"uber": "km", "blablacar": "km", "amazon": "euros", "airbnb": "euros", "booking": "euros"}


@dataclass
class Report:
    households: int = 0
    checkins: int = 0
    teams: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _timed(report: Report, step: str, started: float) -> float:
    now = time.perf_counter()
    report.seconds[step] = round(now - started, 1)
    return now


def _catalogue(session: Session) -> tuple[list[str], dict[str, list[str]]]:
    services = list(session.scalars(select(BigTechService.slug).order_by(BigTechService.position)))
    national: dict[str, list[str]] = {}
    for service, alternative in session.execute(
        select(AlternativeReplacement.service_slug, Alternative.slug)
        .join(Alternative, Alternative.slug == AlternativeReplacement.alternative_slug)
        .where(Alternative.is_national.is_(True), Alternative.retired_at.is_(None))
        .order_by(Alternative.slug)
    ):
        national.setdefault(service, []).append(alternative)
    return services, national


def _communes(session: Session, rng: random.Random, count: int) -> list[str]:
    rows = session.execute(select(Commune.insee_code, Commune.population).order_by(Commune.insee_code)).all()
    picked = rng.choices([code for code, _ in rows], weights=[max(1, p) for _, p in rows], k=count)
    picked[0] = "59350"  # the household the benchmark logs in as lives in Lille
    return picked


def _team_sizes(rng: random.Random, members: int) -> Iterator[int]:
    while members >= 3:
        kind = rng.random()
        size = rng.randint(3, 8) if kind < 0.6 else rng.randint(9, 20) if kind < 0.9 else rng.randint(21, 60)
        size = min(size, members)
        members -= size
        yield size


def _story(rng: random.Random, weeks: int, first_week: int, services: list[str]) -> list[tuple[Any, ...]]:
    """(week, service, status, km, euros) rows of one household."""
    regularity = rng.uniform(0.3, 0.97)
    state = dict.fromkeys(services, "still")
    rows = []
    for week in range(first_week, weeks + 1):
        if rng.random() > regularity:
            continue
        for service in services:
            roll = rng.random()
            if roll < 0.22:
                state[service] = ADVANCE[state[service]]
            elif roll < 0.25 and state[service] != "dropped":
                state[service] = "still" if roll < 0.24 else "dropped"
            status = state[service]
            amount = round(rng.uniform(5, 120), 1) if status in ("switched", "mostly") else None
            kind = QUANTITY_OF.get(service)
            rows.append(
                (week, service, status, amount if kind == "km" else None, amount if kind == "euros" else None)
            )
    return rows


def _people(session: Session, rng: random.Random, count: int, edition_id: int, start: date) -> dict[str, Any]:
    """Accounts, households, teams and enrolments with explicit ids (a fresh database)."""
    now = datetime.now(UTC)
    shared_hash = passwords.hash_password(PASSWORD)
    communes = _communes(session, rng, count)
    session.execute(
        insert(Account),
        [
            {
                "id": i + 1,
                "email": f"foyer-{i:06d}@{DOMAIN}",
                "password_hash": shared_hash,
                "created_at": now,
                "email_confirmed_at": now,  # as a live deployment's households (reminders reach them)
            }
            for i in range(count)
        ],
    )
    session.execute(
        insert(Household),
        [
            {
                "id": i + 1,
                "account_id": i + 1,
                "name": f"Foyer {i:06d}",
                "commune_code": communes[i],
                "size": rng.randint(1, 5),
                "consent_version": "bench",
                "consent_at": now,
                "created_at": now,
            }
            for i in range(count)
        ],
    )
    team_of, teams = _teams(session, rng, count, communes, edition_id, now)
    joined = [
        1 if i == 0 else rng.choices((1, 2, 3, 4), weights=(0.7, 0.14, 0.09, 0.07))[0] for i in range(count)
    ]
    origin = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    session.execute(
        insert(Enrolment),
        [
            {
                "id": i + 1,
                "edition_id": edition_id,
                "household_id": i + 1,
                "team_id": team_of.get(i + 1),
                "team_joined_at": now if i + 1 in team_of else None,
                "enrolled_at": origin + timedelta(weeks=joined[i] - 1, hours=-12 if joined[i] == 1 else 12),
            }
            for i in range(count)
        ],
    )
    return {"joined": joined, "teams": teams}


def _teams(
    session: Session, rng: random.Random, count: int, communes: list[str], edition_id: int, now: datetime
) -> tuple[dict[int, int], int]:
    """A third of the households in collectives; members of a team live close (sorted by commune)."""
    players = sorted(rng.sample(range(2, count + 1), k=count // 3), key=lambda h: communes[h - 1])
    players.insert(0, 1)
    team_of: dict[int, int] = {}
    rows, grants, cursor = [], [], 0
    for team_id, size in enumerate(_team_sizes(rng, len(players)), start=1):
        members = players[cursor : cursor + size]
        cursor += size
        rows.append(
            {
                "id": team_id,
                "edition_id": edition_id,
                "name": f"Collectif {team_id:05d}",
                "description": "",
                "territory_level": "commune",
                "territory_code": communes[members[0] - 1],
                "invite_code": f"BENCH{team_id:06d}",
                "invite_active": True,
                "created_at": now,
            }
        )
        grants.append({"account_id": members[0], "role": "captain", "team_id": team_id, "granted_at": now})
        team_of.update(dict.fromkeys(members, team_id))
    session.execute(insert(Team), rows)
    session.execute(insert(RoleGrant), grants)
    return team_of, len(rows)


def _plans_and_checkins(
    session: Session, rng: random.Random, count: int, edition_id: int, joined: list[int]
) -> int:
    services, national = _catalogue(session)
    weights = [1 / (1 + rank) ** 0.6 for rank in range(len(services))]
    now = datetime.now(UTC)
    declared: list[dict[str, Any]] = []
    chosen: list[dict[str, Any]] = []
    checkins: list[tuple[Any, ...]] = []
    declared_id = 0
    for index in range(count):
        household_id = index + 1
        plan = list(dict.fromkeys(rng.choices(services, weights=weights, k=11)))[:8]
        for service in plan:
            declared_id += 1
            declared.append(
                {"id": declared_id, "household_id": household_id, "service_slug": service, "declared_at": now}
            )
            if national.get(service) and rng.random() < 0.7:
                chosen.append(
                    {
                        "declared_service_id": declared_id,
                        "alternative_slug": rng.choice(national[service]),
                        "chosen_at": now,
                    }
                )
        checkins.extend((household_id, *row) for row in _story(rng, WEEKS, joined[index], plan))
    session.execute(insert(DeclaredService), declared)
    session.execute(insert(ChosenAlternative), chosen)
    _insert_checkins(session, edition_id, checkins, now)
    return len(checkins)


def _insert_checkins(session: Session, edition_id: int, rows: list[tuple[Any, ...]], now: datetime) -> None:
    columns = (
        "edition_id, household_id, week, service_slug, status, km, euros, objects, created_at, updated_at"
    )
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY checkin ({columns}) FROM STDIN") as copy:
            for household, week, service, status, km, euros in rows:
                copy.write_row((edition_id, household, week, service, status, km, euros, None, now, now))
        return
    stamp = now.replace(tzinfo=None).isoformat(sep=" ")  # how UTCDateTime stores it on SQLite
    for start in range(0, len(rows), 200_000):
        connection.exec_driver_sql(
            f"INSERT INTO checkin ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",  # noqa: S608 - constant
            [(edition_id, *row, stamp, stamp) for row in rows[start : start + 200_000]],
        )


def _staff(session: Session) -> None:
    shared_hash = passwords.hash_password(PASSWORD)
    for name, (role, level, code) in STAFF.items():
        account_id = session.scalar(
            insert(Account).returning(Account.id).values(email=f"{name}@{DOMAIN}", password_hash=shared_hash)
        )
        session.add(RoleGrant(account_id=account_id, role=role, territory_level=level, territory_code=code))


def _reset_sequences(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in ("account", "household", "enrolment", "team", "declared_service"):
        session.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
        )


def generate(url: str, households: int, seed: int = 2026, today: date | None = None) -> Report:
    """Migrate, load the referential and write a whole benchmark edition into an empty database."""
    report, started = Report(households=households), time.perf_counter()
    migrate.upgrade(url)
    db = Database(url)
    load_reference(db)
    started = _timed(report, "schema and referential", started)
    today = today or date.today()
    start = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    edition = set_up_edition(
        db, EditionForm.standard("Défi Zéro Gafam (banc d'essai)", [("region", "32")], start, WEEKS)
    )
    rng = random.Random(seed)
    with db.write() as session:
        people = _people(session, rng, households, edition.id, start)
        report.teams = people["teams"]
        report.checkins = _plans_and_checkins(session, rng, households, edition.id, people["joined"])
        _reset_sequences(session)
        _staff(session)
    started = _timed(report, "bulk inserts", started)
    with db.write() as session:
        upkeep.rebuild(session, edition.id)
    started = _timed(report, "aggregates rebuild", started)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if db.dialect == "postgresql" else "ANALYZE")
        if db.dialect == "sqlite":  # fold the bulk load's WAL into the file: reads would walk it
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    _timed(report, "analyze", started)
    db.dispose()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="S")
    parser.add_argument("--url", required=True, help="an EMPTY database (SQLite file or PostgreSQL)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    report = generate(args.url, SCALES[args.scale], args.seed)
    print(report)


if __name__ == "__main__":
    main()
