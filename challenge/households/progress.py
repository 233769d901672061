"""What a household (and a visitor) sees of the challenge's progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.catalogue.browse import category_name
from challenge.core import scoring
from challenge.counts import reads
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import enrolment_of, first_week_of, live_edition_for
from challenge.households.checkins import checkins_of
from challenge.households.profile import service_plan
from challenge.models import BigTechService, Category
from challenge.statistics import participation


@dataclass(frozen=True)
class WeekPoint:
    week: int
    score: float
    switched: int


@dataclass(frozen=True)
class HouseholdProgress:
    edition: EditionView | None
    baseline: list[str]
    latest: dict[str, str]
    score: float
    switched: int
    streak: int
    checked_weeks: list[int]
    current_week: int | None
    first_week: int = 1
    weekly: list[WeekPoint] = field(default_factory=list)
    by_category: list[tuple[int, str, int]] = field(default_factory=list)

    @property
    def checked_in_this_week(self) -> bool:
        return self.current_week is not None and self.current_week in self.checked_weeks


def household_progress(session: Session, household_id: int, today: date) -> HouseholdProgress:
    """Score, streak and week-by-week evolution of a household in its live edition."""
    baseline = list(service_plan(session, household_id))
    enrolment = enrolment_of(session, household_id)
    if enrolment is None:
        return HouseholdProgress(None, baseline, {}, 0.0, 0, 0, [], None)
    edition = enrolment[0]
    history = [(c.week, c.service_slug, c.status) for c in checkins_of(session, household_id, edition.id)]
    latest = scoring.latest_statuses(history)
    first_week, last_week = first_week_of(edition, enrolment[1]), edition.last_started_week(today)
    checked = sorted({week for week, _, _ in history})
    return HouseholdProgress(
        edition=edition,
        baseline=baseline,
        latest=latest,
        score=scoring.degafam_score(baseline, latest),
        switched=scoring.switched_count(baseline, latest),
        streak=scoring.weekly_streak(checked, last_week),
        checked_weeks=checked,
        current_week=edition.current_week(today),
        first_week=first_week,
        weekly=_weekly_points(baseline, history, first_week, last_week),
        by_category=_switches_by_category(session, baseline, history, first_week, last_week),
    )


def _weekly_points(
    baseline: list[str], history: list[tuple[int, str, str]], first_week: int, last_week: int
) -> list[WeekPoint]:
    points = []
    for week in range(first_week, last_week + 1):
        latest = scoring.latest_statuses(history, up_to_week=week)
        points.append(
            WeekPoint(week, scoring.degafam_score(baseline, latest), scoring.switched_count(baseline, latest))
        )
    return points


def _switches_by_category(
    session: Session,
    baseline: list[str],
    history: list[tuple[int, str, str]],
    first_week: int,
    last_week: int,
) -> list[tuple[int, str, int]]:
    """(week, category name, switched services) for the weeks so far."""
    category_of = dict(
        session.execute(
            select(BigTechService.slug, category_name())
            .join(Category)
            .where(BigTechService.slug.in_(baseline))
        ).all()
    )
    rows: list[tuple[int, str, int]] = []
    for week in range(first_week, last_week + 1):
        latest = scoring.latest_statuses(history, up_to_week=week)
        counts: dict[str, int] = {}
        for service in baseline:
            if latest.get(service) in scoring.SWITCHED:
                counts[category_of[service]] = counts.get(category_of[service], 0) + 1
        rows.extend((week, name, count) for name, count in sorted(counts.items()))
    return rows


@dataclass(frozen=True)
class Counters:
    edition: EditionView | None
    households: int
    communes: int
    switches: int


def public_counters(session: Session) -> Counters:
    """Edition-wide totals for the home page (no household can be singled out from them)."""
    edition = live_edition_for(session)
    if edition is None:
        return Counters(None, 0, 0, 0)
    registered = participation.registered_by_commune(session, edition.id)
    services = reads.items_as_of(session, edition.id, edition.weeks, None)["service"]
    return Counters(
        edition,
        sum(registered.values()),
        sum(1 for n in registered.values() if n),
        sum(services.values()),
    )
