"""Demo collectives: teams of uneven sizes across the demo territories."""

from __future__ import annotations

import random
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.models import Commune, Enrolment, Household
from challenge.teams.membership import create_team_for_demo

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
        ("epci", captain.epci_siren),
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
        territory = ("commune", group[0].commune_code) if size < 6 else ("epci", epci)
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
