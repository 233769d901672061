"""Where collectives play: readable territory names, a founder's choices, areas for filters."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.labels import LEVEL
from challenge.core.vocabulary import Level
from challenge.models import Commune, Household, Team
from challenge.teams.membership import TEAM_LEVELS
from challenge.territories.areas import COLUMNS
from challenge.territories.referential import place_of


def territory_labels(session: Session, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Readable names of (level, code) territories: "Lille", "Nord (59)"."""
    labels: dict[tuple[str, str], str] = {}
    for level, (key, name) in COLUMNS.items():
        codes = [code for lvl, code in pairs if lvl == level]
        for code, label in session.execute(select(key, name).where(key.in_(codes))) if codes else []:
            labels[(level, code)] = f"{label} ({code})" if level == Level.DEPARTEMENT else label
    return {pair: labels.get(pair, pair[1]) for pair in pairs}


def territory_label(session: Session, level: str, code: str) -> str:
    return territory_labels(session, {(level, code)})[(level, code)]


def territory_choices(session: Session, household_id: int) -> list[tuple[str, str]]:
    """(level, label) of the territories a household may give its new team: its own ones."""
    household = session.get_one(Household, household_id)
    pairs = [pair for pair in place_of(session, household.commune_code).territories if pair[0] in TEAM_LEVELS]
    names = territory_labels(session, set(pairs))
    return [(level, f"{LEVEL[level]} : {names[(level, code)]}") for level, code in pairs]


def team_areas(session: Session, teams: list[Team]) -> dict[int, set[tuple[str, str]]]:
    """The territories each team plays in: its own, and the EPCI and département around it.

    An EPCI team is in every département where the EPCI has communes.
    """
    communes = {t.territory_code for t in teams if t.territory_level == Level.COMMUNE}
    epcis = {t.territory_code for t in teams if t.territory_level == Level.EPCI}
    around: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for code, epci, departement in session.execute(
        select(Commune.insee_code, Commune.epci_siren, Commune.departement_code).where(
            Commune.insee_code.in_(communes) | Commune.epci_siren.in_(epcis)
        )
    ):
        if code in communes:
            around[(Level.COMMUNE, code)] |= {(Level.EPCI, epci), (Level.DEPARTEMENT, departement)}
        if epci in epcis:
            around[(Level.EPCI, epci)].add((Level.DEPARTEMENT, departement))
    return {
        t.id: {(t.territory_level, t.territory_code), *around[(t.territory_level, t.territory_code)]}
        for t in teams
    }
