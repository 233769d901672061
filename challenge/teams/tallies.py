"""A collective's figures read from its pre-aggregated counts (challenge.aggregates).

The same figures as computing every member's progress (challenge.team_facts), at a cost that no
longer grows with the members' check-ins: the team page reads a few dozen rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.catalogue.browse import category_name
from challenge.core import scoring
from challenge.core.vocabulary import TeamMeasure
from challenge.counts import reads
from challenge.models import Alternative, Category, Checkin, Enrolment, Household

TOP_ALTERNATIVES = 5


def average_tenths(tenths: int, members: int) -> float:
    """The members' average score from the sum of their scores in tenths of a point."""
    return round(tenths / 10 / members, 1) if members else 0.0


@dataclass(frozen=True)
class Tally:
    """A team's counts: (measure, week) -> item -> value; week 0 is "now"."""

    counts: dict[tuple[str, int], Counter[str]]
    members: int

    def get(self, measure: str, week: int = 0, item: str = "") -> int:
        return self.counts.get((measure, week), Counter())[item]

    def items(self, measure: str, week: int = 0) -> Counter[str]:
        return self.counts.get((measure, week), Counter())

    @property
    def score(self) -> float:
        return average_tenths(self.get(TeamMeasure.SCORE), self.members)

    def score_at(self, week: int) -> float:
        return average_tenths(self.get(TeamMeasure.SCORE, week), self.members)

    def streak(self, last_week: int) -> int:
        """Weeks in a row, up to now, when at least half of the members checked in."""
        if not self.members:
            return 0
        weeks = [
            w
            for (m, w), items in self.counts.items()
            if m == TeamMeasure.CHECKED and 2 * items[""] >= self.members
        ]
        return scoring.weekly_streak(weeks, last_week)


def tally_of(session: Session, edition_id: int, team_id: int, members: int) -> Tally:
    return Tally(reads.team_counts(session, edition_id, team_id), members)


def members_this_week(
    session: Session, edition_id: int, team_id: int, week: int
) -> list[tuple[int, str, bool]]:
    """(household, name, checked in `week`) of the consenting members, in one query."""
    checked = (
        select(Checkin.id)
        .where(
            Checkin.edition_id == edition_id,
            Checkin.week == week,
            Checkin.household_id == Enrolment.household_id,
        )
        .exists()
    )
    rows = session.execute(
        select(Enrolment.household_id, Household.name, checked)
        .join(Household, Household.id == Enrolment.household_id)
        .where(
            Enrolment.edition_id == edition_id,
            Enrolment.team_id == team_id,
            Household.consent_withdrawn_at.is_(None),
        )
    )
    return [(household, name, bool(done)) for household, name, done in rows]


def switches_by_category(session: Session, tally: Tally) -> list[tuple[str, int]]:
    """(category, services switched by the members), in catalogue order."""
    counts = tally.items(TeamMeasure.CATEGORY)
    categories = session.execute(select(Category.slug, Category.position, category_name())).all()
    ordered = sorted((position, name, counts[slug]) for slug, position, name in categories if counts[slug])
    return [(name, count) for _, name, count in ordered]


def top_alternatives(session: Session, tally: Tally) -> list[tuple[str, int, int]]:
    """(alternative, members who chose it, of whom switched), most chosen first."""
    chose, switched = tally.items(TeamMeasure.CHOSE), tally.items(TeamMeasure.CHOSE_SWITCHED)
    names = dict(
        session.execute(
            select(Alternative.slug, Alternative.name).where(Alternative.slug.in_(list(chose)))
        ).all()
    )
    by_name: dict[str, list[int]] = {}
    for slug, count in chose.items():
        totals = by_name.setdefault(names[slug], [0, 0])
        totals[0] += count
        totals[1] += switched[slug]
    ranked = sorted(by_name, key=lambda name: (-by_name[name][0], -by_name[name][1], name.casefold()))
    return [(name, by_name[name][0], by_name[name][1]) for name in ranked[:TOP_ALTERNATIVES]]


def goal_counts(tally: Tally, service: str) -> tuple[int, int]:
    """(members using the service, who left it); who is on the goal's alternative: teams.usage."""
    return (
        tally.get(TeamMeasure.DECLARED, 0, service),
        tally.get(TeamMeasure.SERVICE_SWITCHED, 0, service),
    )
