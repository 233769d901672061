"""Counts of households per commune, rolled up the territory tree and protected by secrecy."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from challenge import scoring
from challenge.editions import EditionView
from challenge.models import Checkin, Enrolment, Household
from challenge.secrecy import Node, Rules, protect_cumulative, protect_tree
from challenge.territory_tree import TerritoryTree

Published = dict[str, int | None]


@dataclass(frozen=True)
class Scope:
    """What an aggregate is about: an edition and a range of weeks."""

    edition: EditionView
    week_from: int
    week_to: int


def _participants(edition_id: int):  # type: ignore[no-untyped-def]
    """Households taking part in the edition and consenting to it, with their commune."""
    return (
        select(Household.id, Household.commune_code)
        .join(Enrolment, Enrolment.household_id == Household.id)
        .where(Enrolment.edition_id == edition_id, Household.consent_withdrawn_at.is_(None))
    )


def registered_by_commune(session: Session, edition_id: int, until: datetime | None = None) -> Counter[str]:
    query = _participants(edition_id)
    if until is not None:
        query = query.where(Enrolment.enrolled_at < until)
    return Counter(commune for _, commune in session.execute(query))


def active_by_commune(session: Session, scope: Scope) -> Counter[str]:
    """Households with at least one check-in in the weeks of the scope."""
    participants = _participants(scope.edition.id).subquery()
    rows = session.execute(
        select(participants.c.commune_code, func.count(func.distinct(Checkin.household_id)))
        .join(Checkin, Checkin.household_id == participants.c.id)
        .where(Checkin.edition_id == scope.edition.id, Checkin.week.between(scope.week_from, scope.week_to))
        .group_by(participants.c.commune_code)
    )
    return Counter(dict(rows.all()))


def latest_statuses(session: Session, scope: Scope) -> dict[int, dict[str, str]]:
    """Each participating household's latest status per service, as of the end of the scope."""
    participants = _participants(scope.edition.id).subquery()
    rows = session.execute(
        select(Checkin.household_id, Checkin.week, Checkin.service_slug, Checkin.status)
        .join(participants, participants.c.id == Checkin.household_id)
        .where(Checkin.edition_id == scope.edition.id, Checkin.week <= scope.week_to)
    )
    history: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for household, week, service, status in rows:
        history[household].append((week, service, status))
    return {household: scoring.latest_statuses(rows) for household, rows in history.items()}


def switched_by_commune(
    session: Session, scope: Scope, statuses: Mapping[int, Mapping[str, str]]
) -> Counter[str]:
    """Households having fully switched (or dropped) at least one service."""
    communes = dict(session.execute(_participants(scope.edition.id)).all())
    return Counter(
        communes[h] for h, latest in statuses.items() if any(s in scoring.SWITCHED for s in latest.values())
    )


def protect_measure(tree: TerritoryTree, by_commune: Mapping[str, int], rules: Rules) -> Published:
    """Roll commune counts up the tree and apply primary and secondary suppression."""
    values: dict[str, int] = {}

    def value(key: str) -> int:
        if key not in values:
            node = tree.nodes[key]
            values[key] = (
                by_commune.get(node.code, 0)
                if node.level == "commune"
                else sum(value(c) for c in node.children)
            )
        return values[key]

    nodes = {key: Node(key, value(key), node.children) for key, node in tree.nodes.items()}
    return protect_tree(nodes, rules)


def week_start(edition: EditionView, week: int) -> datetime:
    return datetime.combine(edition.start_date + timedelta(weeks=week - 1), time(), tzinfo=UTC)


def registered_series(
    session: Session, tree: TerritoryTree, scope: Scope, key: str, rules: Rules
) -> list[int | None]:
    """Households registered by the end of each week, protected in the tree and over time."""
    weekly = []
    for week in range(scope.week_from, scope.week_to + 1):
        counts = registered_by_commune(session, scope.edition.id, until=week_start(scope.edition, week + 1))
        weekly.append(protect_measure(tree, counts, rules)[key])
    raw = [v if v is not None else 0 for v in weekly]
    over_time = protect_cumulative(raw, rules)
    return [w if w is not None and t is not None else None for w, t in zip(weekly, over_time, strict=True)]


def active_series(
    session: Session, tree: TerritoryTree, scope: Scope, key: str, rules: Rules
) -> list[int | None]:
    """Households that checked in, week by week (each week protected in the whole tree)."""
    series = []
    for week in range(scope.week_from, scope.week_to + 1):
        counts = active_by_commune(session, Scope(scope.edition, week, week))
        series.append(protect_measure(tree, counts, rules)[key])
    return series


def households_in(session: Session, edition_id: int, communes: Iterable[str]) -> set[int]:
    rows = session.execute(_participants(edition_id).where(Household.commune_code.in_(list(communes))))
    return {household for household, _ in rows}


def quantities(session: Session, scope: Scope, households: set[int]) -> dict[str, list[float]]:
    """Per household totals of km, euros and objects reported in the scope (for protected sums)."""
    rows = session.execute(
        select(
            Checkin.household_id,
            func.coalesce(func.sum(Checkin.km), 0),
            func.coalesce(func.sum(Checkin.euros), 0),
            func.coalesce(func.sum(Checkin.objects), 0),
        )
        .where(
            and_(
                Checkin.edition_id == scope.edition.id, Checkin.week.between(scope.week_from, scope.week_to)
            ),
            Checkin.household_id.in_(households),
        )
        .group_by(Checkin.household_id)
    )
    per_kind: dict[str, list[float]] = {"km": [], "euros": [], "objects": []}
    for _, km, euros, objects in rows:
        per_kind["km"].append(float(km or 0))
        per_kind["euros"].append(float(euros or 0))
        per_kind["objects"].append(float(objects or 0))
    return per_kind
