"""Demo collectives: teams of uneven sizes across the demo territories."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from challenge.core.vocabulary import Level, Role
from challenge.counts import upkeep
from challenge.models import Commune, Enrolment, Household, RoleGrant, Team, utcnow
from challenge.teams.codes import normalize_invite_code
from challenge.teams.membership import check_team_name

TEAM_COUNT = 150
SHARE_IN_TEAMS = 0.6
NAMES = [
    "Les Colibris",
    "Les Mésanges",
    "Les Hérissons",
    "Rue des Lilas",
    "Les Castors",
    "Les Lucioles",
    "Jardin partagé",
    "Les Abeilles",
    "Vélo-école",
    "Les Hiboux",
    "Café associatif",
    "Les Écureuils",
    "Amicale laïque",
    "Les Libellules",
    "Centre social",
    "Les Coquelicots",
    "Les Renards",
    "Atelier vélo",
]
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _size(rng: random.Random) -> int:
    """Uneven sizes: many small groups, a few big ones (a Pareto tail), 2 to 40 households."""
    return max(2, min(40, int(rng.paretovariate(1.6) * 3)))


def create_demo_teams(session: Session, rng: random.Random, edition_id: int, count: int = TEAM_COUNT) -> int:
    """Group demo households into teams by EPCI; the first and last households share the first team.

    The first household is the documented household login, the last one the captain login.
    """
    rows = session.execute(
        select(Household.id, Household.commune_code, Commune.epci_siren, Commune.name)
        .join(Enrolment, Enrolment.household_id == Household.id)
        .join(Commune, Commune.insee_code == Household.commune_code)
        .where(Enrolment.edition_id == edition_id)
        .order_by(Household.id)
    ).all()
    if len(rows) < 2:
        return 0
    visitor, captain = rows[0], rows[-1]
    create_team_for_demo(
        session,
        edition_id,
        "Les Colibris de Lille",
        (Level.EPCI, captain.epci_siren),
        captain.id,
        [visitor.id, *[r.id for r in rows[1:8]]],
        "COLIBR",
    )
    by_epci: dict[str, list] = defaultdict(list)  # type: ignore[type-arg]
    for row in rows[8:-1]:
        if rng.random() < SHARE_IN_TEAMS:
            by_epci[row.epci_siren].append(row)
    teams, pool = 1, [(epci, members) for epci, members in by_epci.items()]
    while teams < count and any(members for _, members in pool):
        epci, members = rng.choices(pool, weights=[len(m) for _, m in pool])[0]
        size = min(_size(rng), len(members))
        group, members[:] = members[:size], members[size:]
        if len(group) < 2:
            continue
        name = f"{rng.choice(NAMES)} de {group[0].name}"
        code = "".join(rng.choice(ALPHABET) for _ in range(6))
        territory = (Level.COMMUNE, group[0].commune_code) if size < 6 else (Level.EPCI, epci)
        try:
            with session.begin_nested():
                create_team_for_demo(
                    session,
                    edition_id,
                    f"{name} ({teams})",
                    territory,
                    group[0].id,
                    [r.id for r in group[1:]],
                    code,
                )
        except Exception:  # noqa: S112 - a random invitation code already taken: skip that team
            continue
        teams += 1
    return teams


def create_team_for_demo(
    session: Session,
    edition_id: int,
    name: str,
    territory: tuple[str, str],
    captain_household_id: int,
    member_household_ids: list[int],
    invite_code: str,
    joined_at: datetime | None = None,
) -> int:
    """Write a whole team in an open session with a few bulk statements (demo generator).

    The households must be enrolled in the edition and in no other team; no check is made.
    """
    team_id = session.scalar(
        insert(Team)
        .returning(Team.id)
        .values(
            edition_id=edition_id,
            name=check_team_name(name),
            description="",
            territory_level=territory[0],
            territory_code=territory[1],
            invite_code=normalize_invite_code(invite_code),
            invite_active=True,
            created_at=utcnow(),
        )
    )
    households = list(dict.fromkeys([captain_household_id, *member_household_ids]))
    with upkeep.tracking(session, households):  # the team's counts
        session.execute(
            update(Enrolment)
            .where(Enrolment.edition_id == edition_id, Enrolment.household_id.in_(households))
            .values(team_id=team_id, team_joined_at=joined_at or utcnow())
            .execution_options(synchronize_session=False)
        )
    account_id = session.scalar(select(Household.account_id).where(Household.id == captain_household_id))
    session.execute(
        insert(RoleGrant).values(
            account_id=account_id, role=Role.CAPTAIN, team_id=team_id, granted_at=utcnow()
        )
    )
    assert team_id is not None
    return team_id
