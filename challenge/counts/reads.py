"""Reading the pre-aggregated counts: cost grows with territories × weeks, never with households."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge.core.vocabulary import CommuneMeasure, SpanMeasure
from challenge.counts.rules import QUANTITY_KINDS, departement_area
from challenge.models import CommuneSpanCount, CommuneWeekCount, Departement, TeamWeekCount

ITEM_MEASURES = (CommuneMeasure.CATEGORY, CommuneMeasure.SERVICE, CommuneMeasure.ALTERNATIVE)


@dataclass(frozen=True)
class Totals:
    """A sum over households: how many contributed, the total, the largest contribution."""

    contributors: int
    total: float
    top: float


def registered_by_week(session: Session, edition_id: int) -> dict[str, Counter[int]]:
    """Per commune, households (consenting) by week of enrolment (0: before the start)."""
    by_commune: dict[str, Counter[int]] = defaultdict(Counter)
    w = CommuneWeekCount
    for commune, week, households in session.execute(
        select(w.commune_code, w.week, w.households).where(
            w.edition_id == edition_id, w.measure == CommuneMeasure.REGISTERED
        )
    ):
        by_commune[commune][week] += households
    return by_commune


def by_commune(session: Session, edition_id: int, measure: str, week: int) -> Counter[str]:
    """A measure of every commune for one week (active that week, switched as of that week)."""
    w = CommuneWeekCount
    rows = session.execute(
        select(w.commune_code, w.households).where(
            w.edition_id == edition_id, w.measure == measure, w.week == week, w.households != 0
        )
    )
    return Counter(dict(rows.all()))


def weekly_by_commune(
    session: Session, edition_id: int, measure: str, weeks: range
) -> dict[int, Counter[str]]:
    """A measure of every commune for each of `weeks`, in one query."""
    w = CommuneWeekCount
    result: dict[int, Counter[str]] = {week: Counter() for week in weeks}
    for week, commune, households in session.execute(
        select(w.week, w.commune_code, w.households).where(
            w.edition_id == edition_id, w.measure == measure, w.week.between(weeks.start, weeks.stop - 1)
        )
    ):
        result[week][commune] += households
    return result


def active_in_span(session: Session, edition_id: int, week_from: int, week_to: int) -> Counter[str]:
    """Households of every commune with at least one check-in between the two weeks."""
    s = CommuneSpanCount
    rows = session.execute(
        select(s.commune_code, s.households).where(
            s.edition_id == edition_id,
            s.measure == SpanMeasure.ACTIVE,
            s.week_from == week_from,
            s.week_to == week_to,
            s.households != 0,
        )
    )
    return Counter(dict(rows.all()))


def items_as_of(
    session: Session, edition_id: int, week: int, communes: Collection[str] | None
) -> dict[str, Counter[str]]:
    """Per measure (category, service, alternative), households per item as of `week`.

    `communes`: INSEE codes, or départements' areas (departement_area); None: the whole région
    (the sum of its départements, a few dozen rows per item whatever the size of the edition).
    """
    if communes is None:
        communes = [departement_area(code) for code in session.scalars(select(Departement.code))]
    w = CommuneWeekCount
    query = (
        select(w.measure, w.item, func.sum(w.households))
        .where(w.edition_id == edition_id, w.measure.in_(ITEM_MEASURES), w.week == week)
        .group_by(w.measure, w.item)
    )
    query = query.where(w.commune_code.in_(list(communes)))
    result: dict[str, Counter[str]] = {measure: Counter() for measure in ITEM_MEASURES}
    for measure, item, households in session.execute(query):
        if households:
            result[measure][item] = int(households)
    return result


def quantity_totals(
    session: Session, edition_id: int, week_from: int, week_to: int, communes: Collection[str] | None
) -> dict[str, Totals]:
    """km, euros and objects reported between the two weeks, summed over the communes."""
    s = CommuneSpanCount
    query = (
        select(s.measure, func.sum(s.households), func.sum(s.total), func.max(s.top))
        .where(
            s.edition_id == edition_id,
            s.measure.in_(QUANTITY_KINDS),
            s.week_from == week_from,
            s.week_to == week_to,
        )
        .group_by(s.measure)
    )
    if communes is not None:
        query = query.where(s.commune_code.in_(list(communes)))
    found = {
        kind: Totals(int(n or 0), float(t or 0), float(m or 0)) for kind, n, t, m in session.execute(query)
    }
    return {kind: found.get(kind, Totals(0, 0.0, 0.0)) for kind in QUANTITY_KINDS}


def team_counts(session: Session, edition_id: int, team_id: int) -> dict[tuple[str, int], Counter[str]]:
    """Every count of one team: (measure, week) -> item -> value."""
    t = TeamWeekCount
    result: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for measure, week, item, value in session.execute(
        select(t.measure, t.week, t.item, t.value).where(t.edition_id == edition_id, t.team_id == team_id)
    ):
        if value:
            result[(measure, week)][item] += value
    return result


def teams_item_totals(session: Session, edition_id: int, measure: str, week: int) -> Counter[int]:
    """One measure of every team of the edition summed over its items (e.g. switched services)."""
    t = TeamWeekCount
    rows = session.execute(
        select(t.team_id, func.sum(t.value))
        .where(t.edition_id == edition_id, t.measure == measure, t.week == week)
        .group_by(t.team_id)
    )
    return Counter({team: int(total or 0) for team, total in rows})


def teams_measure(session: Session, edition_id: int, measure: str, week: int) -> Counter[int]:
    """One measure of every team of the edition (leaderboard)."""
    t = TeamWeekCount
    rows = session.execute(
        select(t.team_id, t.value).where(
            t.edition_id == edition_id, t.measure == measure, t.week == week, t.item == ""
        )
    )
    return Counter(dict(rows.all()))
