"""What one household contributes to the pre-aggregated counts (pure functions).

The counts follow the raw definitions of challenge.scoring exactly: a household's latest status
of a service "as of week t" is its answer of the latest week ≤ t; week 0 of a team measure means
"now" (every answer). Every aggregate row is a sum of these contributions, so adding or removing
a household (or changing its answers) is a difference of two contributions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from challenge.core import scoring
from challenge.core.vocabulary import CheckinStatus, CommuneMeasure, Quantity, SpanMeasure, TeamMeasure

QUANTITY_KINDS = tuple(Quantity)
ADOPTED = frozenset({CheckinStatus.SWITCHED, CheckinStatus.MOSTLY})

WeekKey = tuple[int, str, int, str, str]  # edition, measure, week, commune, item
SpanKey = tuple[int, str, int, int, str]  # edition, measure, week_from, week_to, commune
TeamKey = tuple[int, int, str, int, str]  # edition, team, measure, week, item


class Answer(NamedTuple):
    """One check-in row (a named tuple: millions of them are read by a rebuild)."""

    week: int
    service: str
    status: str
    km: float | None = None
    euros: float | None = None
    objects: float | None = None


@dataclass(frozen=True)
class HouseholdFacts:
    """What the aggregates need of one consenting household enrolled in one edition."""

    edition_id: int
    weeks: int
    start: date
    commune: str
    departement: str
    team_id: int | None
    enrolled_at: datetime
    baseline: tuple[str, ...]
    chosen: Mapping[str, frozenset[str]]
    answers: tuple[Answer, ...]


@dataclass
class Contribution:
    """Counts added by a set of households; span cells also carry a total and a largest value."""

    weeks: Counter[WeekKey] = field(default_factory=Counter)
    teams: Counter[TeamKey] = field(default_factory=Counter)
    spans: Counter[SpanKey] = field(default_factory=Counter)
    span_total: dict[SpanKey, float] = field(default_factory=dict)
    span_top: dict[SpanKey, float] = field(default_factory=dict)

    def add_span(self, key: SpanKey, value: float) -> None:
        self.spans[key] += 1
        self.span_total[key] = self.span_total.get(key, 0.0) + value
        self.span_top[key] = max(self.span_top.get(key, 0.0), value)


def enrolment_week(start: date, weeks: int, enrolled_at: datetime) -> int:
    """The week a household joined in: 0 before the start, weeks + 1 after the end."""
    origin = datetime.combine(start, time(), tzinfo=UTC)
    week = (enrolled_at - origin) // timedelta(weeks=1) + 1
    return min(max(week, 0), weeks + 1)


def contribute(facts: HouseholdFacts, category_of: Mapping[str, str], into: Contribution) -> None:
    """Add one household's contribution to `into`."""
    edition, commune = facts.edition_id, facts.commune
    into.weeks[
        (
            edition,
            CommuneMeasure.REGISTERED,
            enrolment_week(facts.start, facts.weeks, facts.enrolled_at),
            commune,
            "",
        )
    ] += 1
    checked = sorted({a.week for a in facts.answers})
    for week in checked:
        into.weeks[(edition, CommuneMeasure.ACTIVE, week, commune, "")] += 1
    for week, latest in _latest_by_week(facts.answers, facts.weeks):
        _as_of(into, facts, week, latest, category_of)
    _spans(into, facts, checked)
    if facts.team_id is not None:
        _team(into, facts, checked, category_of)


def _latest_by_week(answers: Iterable[Answer], weeks: int) -> Iterable[tuple[int, dict[str, str]]]:
    """(t, latest statuses as of week t) for t = 1..weeks, in one pass over the answers."""
    by_week: dict[int, list[Answer]] = {}
    for answer in answers:
        by_week.setdefault(answer.week, []).append(answer)
    latest: dict[str, str] = {}  # weeks start at 1 (a check constraint of the checkin table)
    for week in range(1, weeks + 1):
        latest.update((a.service, a.status) for a in by_week.get(week, ()))
        yield week, dict(latest)


def _as_of(
    into: Contribution,
    facts: HouseholdFacts,
    week: int,
    latest: dict[str, str],
    category_of: Mapping[str, str],
) -> None:
    edition, commune = facts.edition_id, facts.commune
    switched = [service for service, status in latest.items() if status in scoring.SWITCHED]
    if switched:
        into.weeks[(edition, CommuneMeasure.SWITCHED, week, commune, "")] += 1
    adopted = {a for s, status in latest.items() if status in ADOPTED for a in facts.chosen.get(s, ())}
    # Item counts are kept per commune and per département too (read by the wide dashboards).
    for area in (commune, departement_area(facts.departement)):
        for category in {category_of[service] for service in switched}:
            into.weeks[(edition, CommuneMeasure.CATEGORY, week, area, category)] += 1
        for service in switched:
            into.weeks[(edition, CommuneMeasure.SERVICE, week, area, service)] += 1
        for alternative in adopted:
            into.weeks[(edition, CommuneMeasure.ALTERNATIVE, week, area, alternative)] += 1


def _spans(into: Contribution, facts: HouseholdFacts, checked: list[int]) -> None:
    """Active households and quantity totals over every span of weeks a..b."""
    edition, commune, weeks = facts.edition_id, facts.commune, facts.weeks
    marks = set(checked)
    for first in range(1, weeks + 1):
        seen = False
        for last in range(first, weeks + 1):
            seen = seen or last in marks
            if seen:
                into.add_span((edition, SpanMeasure.ACTIVE, first, last, commune), 0.0)
    for kind, per_week in span_quantities(facts.answers).items():
        for (first, last), total in span_totals(per_week, weeks).items():
            into.add_span((edition, kind, first, last, commune), total)


def span_quantities(answers: Iterable[Answer]) -> dict[str, dict[int, float]]:
    """Per kind, the household's positive amounts week by week."""
    result: dict[str, dict[int, float]] = {}
    for answer in answers:
        for kind in QUANTITY_KINDS:
            value = getattr(answer, kind)
            if value:
                weekly = result.setdefault(kind, {})
                weekly[answer.week] = weekly.get(answer.week, 0.0) + float(value)
    return result


def span_totals(per_week: Mapping[int, float], weeks: int) -> dict[tuple[int, int], float]:
    """Positive totals of every span a..b (amounts are never negative)."""
    totals: dict[tuple[int, int], float] = {}
    for first in range(1, weeks + 1):
        total = 0.0
        for last in range(first, weeks + 1):
            total += per_week.get(last, 0.0)
            if total > 0:
                totals[(first, last)] = total
    return totals


def _tenths(score: float) -> int:
    return round(score * 10)


def _team(
    into: Contribution, facts: HouseholdFacts, checked: list[int], category_of: Mapping[str, str]
) -> None:
    edition, team = facts.edition_id, facts.team_id
    assert team is not None
    into.teams[(edition, team, TeamMeasure.MEMBERS, 0, "")] += 1
    for week in checked:
        into.teams[(edition, team, TeamMeasure.CHECKED, week, "")] += 1
    history = [(a.week, a.service, a.status) for a in facts.answers]
    for week, latest in _latest_by_week(facts.answers, facts.weeks):
        into.teams[(edition, team, TeamMeasure.SCORE, week, "")] += _tenths(
            scoring.degafam_score(facts.baseline, latest)
        )
    now = scoring.latest_statuses(history)
    into.teams[(edition, team, TeamMeasure.SCORE, 0, "")] += _tenths(
        scoring.degafam_score(facts.baseline, now)
    )
    for service in dict.fromkeys(facts.baseline):
        into.teams[(edition, team, TeamMeasure.DECLARED, 0, service)] += 1
        if now.get(service) in scoring.SWITCHED:
            into.teams[(edition, team, TeamMeasure.SERVICE_SWITCHED, 0, service)] += 1
            into.teams[(edition, team, TeamMeasure.CATEGORY, 0, category_of[service])] += 1
    chose = {a for alternatives in facts.chosen.values() for a in alternatives}
    switched = {a for s, alts in facts.chosen.items() if now.get(s) in scoring.SWITCHED for a in alts}
    for alternative in chose:
        into.teams[(edition, team, TeamMeasure.CHOSE, 0, alternative)] += 1
    for alternative in switched:
        into.teams[(edition, team, TeamMeasure.CHOSE_SWITCHED, 0, alternative)] += 1


def departement_area(code: str) -> str:
    """The commune_code under which a département's item counts are kept ("D59", never an INSEE code)."""
    return f"D{code}"
