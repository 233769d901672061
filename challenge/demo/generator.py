"""Reproducible demo data: a believable regional challenge, clearly marked as a demo."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from challenge.accounts import passwords
from challenge.catalogue.browse import alternatives_by_service, service_quantities
from challenge.core import clock
from challenge.core.errors import ChallengeError
from challenge.core.vocabulary import EditionStatus, Level, Role
from challenge.counts import upkeep
from challenge.demo.behaviour import household_story
from challenge.demo.last_year import PREVIOUS_SHARE, PREVIOUS_WEEKS, LastYear
from challenge.demo.teams import create_demo_teams
from challenge.editions.admin import set_up_in
from challenge.editions.rules import EditionForm
from challenge.infra.db import Database
from challenge.models import (
    Account,
    Checkin,
    ChosenAlternative,
    Commune,
    DeclaredService,
    Edition,
    Enrolment,
    Household,
    RoleGrant,
    utcnow,
)
from challenge.territories.referential import place_of

DEMO_DOMAIN = "demo.invalid"  # a reserved TLD: no demo address can ever receive mail
DEMO_PASSWORD = "zero-gafam-demo"  # noqa: S105 - published in the README, demo accounts only
DEMO_LOGINS = {
    "household": f"foyer@{DEMO_DOMAIN}",
    "organiser": f"organisation@{DEMO_DOMAIN}",
    "council": f"collectivite@{DEMO_DOMAIN}",
    "captain": f"capitaine@{DEMO_DOMAIN}",
}
MEL = "200093201"
# When households joined: most before the start, then fewer and fewer each week.
JOIN_WEEK_WEIGHTS = {1: 0.7, 2: 0.14, 3: 0.09, 4: 0.07}
# Last year's edition, closed: results and households' history carry over from one year to the next.
# Where demo households live: the Lille metropolis and a few other EPCI, with weights.
EPCI_WEIGHTS = {
    "200093201": 0.55,
    "200033579": 0.1,
    "248000531": 0.1,
    "245900428": 0.1,
    "246200364": 0.05,
    "200067999": 0.05,
    "200071892": 0.05,
}
EDITION_WEEKS = 12


@dataclass(frozen=True)
class DemoReport:
    households: int
    checkins: int  # of both demo editions (this year's and last year's)
    edition_start: date
    teams: int = 0


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def has_demo(db: Database) -> bool:
    with db.read() as session:
        return session.scalar(select(Edition.id).where(Edition.is_demo.is_(True)).limit(1)) is not None


def remove_demo(session: Session) -> None:
    """Delete previous demo data so that a new run gives the same result."""
    session.execute(delete(Account).where(Account.email.like(f"%@{DEMO_DOMAIN}")))
    session.execute(delete(Edition).where(Edition.is_demo.is_(True)))


def _create_edition(session: Session, start: date, weeks: int, today: date, previous: bool = False) -> int:
    """This year's demo edition (running), or last year's (closed), set up by the console's rules."""
    name = (
        f"Défi Zéro Gafam Hauts-de-France {start.year} (démonstration)"
        if previous
        else "Défi Zéro Gafam Hauts-de-France (démonstration)"
    )
    weeks = PREVIOUS_WEEKS if previous else max(EDITION_WEEKS, weeks)
    status = EditionStatus.CLOSED if previous else EditionStatus.RUNNING
    form = EditionForm.standard(name, ((Level.REGION, "32"),), start, weeks)
    return set_up_in(session, form, status, is_demo=True, today=today).id


def _communes(session: Session, rng: random.Random, count: int) -> list[str]:
    rows = session.execute(
        select(Commune.insee_code, Commune.epci_siren, Commune.population).where(
            Commune.epci_siren.in_(EPCI_WEIGHTS)
        )
    ).all()
    if not rows:
        raise ChallengeError("Chargez d'abord les données de référence : python -m challenge load-reference")
    weights = [EPCI_WEIGHTS[epci] * population for _, epci, population in rows]
    return [code for code, _, _ in rng.choices(rows, weights=weights, k=count)]


def _accounts(session: Session, count: int) -> list[int]:
    shared_hash = passwords.hash_password(DEMO_PASSWORD)
    emails = [DEMO_LOGINS["household"]] + [f"foyer-{i:05d}@{DEMO_DOMAIN}" for i in range(1, count)]
    if count >= 3:
        emails[-1] = DEMO_LOGINS["captain"]  # the last household captains the first household's team
    ids = session.scalars(
        insert(Account).returning(Account.id, sort_by_parameter_order=True),
        # Confirmed, as before addresses were confirmed: the demo behaves as a live deployment
        # (and retention never deletes its households for a missing confirmation).
        [
            {"email": e, "password_hash": shared_hash, "created_at": utcnow(), "email_confirmed_at": utcnow()}
            for e in emails
        ],
    )
    return list(ids)


def _join_week(rng: random.Random, weeks: int) -> int:
    choices = [w for w in JOIN_WEEK_WEIGHTS if w <= weeks]
    return rng.choices(choices, weights=[JOIN_WEEK_WEIGHTS[w] for w in choices])[0]


def _edition_start(session: Session, edition_id: int) -> date:
    return session.get_one(Edition, edition_id).start_date


def _staff(session: Session) -> None:
    """The organiser and a council agent of the Lille metropolis."""
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    for role, scope in ((Role.ORGANISER, (None, None)), (Role.COUNCIL, (Level.EPCI, MEL))):
        account_id = session.scalar(
            insert(Account)
            .returning(Account.id)
            .values(email=DEMO_LOGINS[role], password_hash=password_hash, email_confirmed_at=utcnow())
        )
        session.add(
            RoleGrant(account_id=account_id, role=role, territory_level=scope[0], territory_code=scope[1])
        )


def generate_demo(
    db: Database,
    households: int = 300,
    weeks: int = 6,
    seed: int = 42,
    today: date | None = None,
    progress: Callable[[Iterable[Any]], Iterable[Any]] = lambda items: items,
) -> DemoReport:
    """Replace the demo data with `households` households checked in over `weeks` weeks."""
    if households < 1 or not 1 <= weeks <= EDITION_WEEKS:
        raise ChallengeError(f"Il faut au moins 1 foyer et de 1 à {EDITION_WEEKS} semaines.")
    rng = random.Random(seed)
    today = today or clock.today()
    start = _monday(today) - timedelta(weeks=weeks - 1)
    checkins = 0
    with db.write() as session:
        remove_demo(session)
        last_year = LastYear(
            _create_edition(session, start - timedelta(weeks=52), weeks, today, previous=True)
        )
        edition_id = _create_edition(session, start, weeks, today)
        _staff(session)
        communes = _communes(session, rng, households)
        communes[0] = communes[-1] = "59350"  # the documented household and captain live in Lille
        account_ids = _accounts(session, households)
        quantities = service_quantities(session)
        for index in progress(range(households)):
            joined = 1 if index == 0 else _join_week(rng, weeks)
            # Joined before the start (week 1), or on the Monday of a later week.
            day = start - timedelta(days=1) if joined == 1 else start + timedelta(weeks=joined - 1)
            enrolled_at = datetime.combine(day, time(12), tzinfo=UTC)
            checkins += _household(
                session,
                rng,
                edition_id,
                account_ids[index],
                communes[index],
                index,
                weeks,
                quantities,
                enrolled_at,
                households - 1,
                last_year,
            )
        teams = create_demo_teams(session, rng, edition_id) if households >= 2 else 0
        for edition in (edition_id, last_year.edition_id):  # bulk rows: the dashboards' counts from scratch
            upkeep.rebuild(session, edition)
    return DemoReport(households, checkins, start, teams)


def _household(
    session: Session,
    rng: random.Random,
    edition_id: int,
    account_id: int,
    commune: str,
    index: int,
    weeks: int,
    quantities: dict[str, list[str]],
    enrolled_at: datetime,
    last_index: int = -1,
    last_year: LastYear | None = None,
) -> int:
    name = "Foyer démo (vous)" if index == 0 else f"Foyer {index:05d}"
    if index > 0 and index == last_index:
        name = "Capitaine démo"
    household_id = session.execute(
        insert(Household)
        .returning(Household.id)
        .values(
            account_id=account_id,
            name=name,
            commune_code=commune,
            size=rng.randint(1, 5),
            consent_version="demo",
            consent_at=utcnow(),
            created_at=utcnow(),
        )
    ).scalar_one()
    session.execute(
        insert(Enrolment).values(edition_id=edition_id, household_id=household_id, enrolled_at=enrolled_at)
    )
    options = alternatives_by_service(session, place_of(session, commune))
    joined = max(
        1, (enrolled_at.date() - _edition_start(session, edition_id)).days // 7 + 1
    )  # week of joining
    story = household_story(rng, options, quantities, weeks, is_visitor=index == 0, first_week=joined)
    for service, alternatives in story.plan.items():
        declared_id = session.scalar(
            insert(DeclaredService)
            .returning(DeclaredService.id)
            .values(household_id=household_id, service_slug=service, declared_at=utcnow())
        )
        session.execute(
            insert(ChosenAlternative),
            [
                {"declared_service_id": declared_id, "alternative_slug": a, "chosen_at": utcnow()}
                for a in alternatives
            ],
        )
    now = utcnow()
    rows = [
        {"edition_id": edition_id, "household_id": household_id, "created_at": now, "updated_at": now, **row}
        for row in story.checkins
    ]
    if rows:
        session.execute(insert(Checkin), rows)
    if last_year is not None and (index == 0 or last_year.rng.random() < PREVIOUS_SHARE):
        return len(rows) + last_year.take_part(session, household_id, options, quantities)
    return len(rows)
