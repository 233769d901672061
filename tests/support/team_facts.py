"""Each collective member's progress recomputed from the raw rows, as a reference for the tests of
the pre-aggregated counts (the app reads those counts, challenge.counts).

Scores and streaks follow challenge.scoring exactly as the household's own page does; households
that withdrew their consent are left out (their answers are neither used nor counted).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from challenge.core import scoring
from challenge.models import Checkin, DeclaredService, Enrolment, Household


@dataclass(frozen=True)
class MemberFacts:
    """One member's progress, computed like the household's own page (challenge.progress)."""

    household_id: int
    team_id: int
    name: str
    baseline: list[str]
    history: list[tuple[int, str, str]]
    latest: dict[str, str]
    score: float
    checked_weeks: frozenset[int]


def member_facts(session: Session, edition_id: int, team_id: int | None = None) -> list[MemberFacts]:
    """Facts of the members of one team (or of every team of the edition), in three queries."""
    scope: list[ColumnElement[bool]] = [
        Enrolment.edition_id == edition_id,
        Enrolment.team_id.is_not(None) if team_id is None else Enrolment.team_id == team_id,
        Household.consent_withdrawn_at.is_(None),
    ]
    members = session.execute(
        select(Enrolment.household_id, Enrolment.team_id, Household.name)
        .join(Household, Household.id == Enrolment.household_id)
        .where(*scope)
    ).all()
    baselines: dict[int, list[str]] = {}
    for household_id, service in session.execute(
        select(DeclaredService.household_id, DeclaredService.service_slug)
        .join(Enrolment, Enrolment.household_id == DeclaredService.household_id)
        .join(Household, Household.id == Enrolment.household_id)
        .where(*scope)
        .order_by(DeclaredService.id)
    ):
        baselines.setdefault(household_id, []).append(service)
    histories: dict[int, list[tuple[int, str, str]]] = {}
    for household_id, week, service, status in session.execute(
        select(Checkin.household_id, Checkin.week, Checkin.service_slug, Checkin.status)
        .join(
            Enrolment,
            (Enrolment.household_id == Checkin.household_id) & (Enrolment.edition_id == Checkin.edition_id),
        )
        .join(Household, Household.id == Enrolment.household_id)
        .where(*scope)
    ):
        histories.setdefault(household_id, []).append((week, service, status))
    return [
        _facts(
            household_id, member_team, name, baselines.get(household_id, []), histories.get(household_id, [])
        )
        for household_id, member_team, name in members
        if member_team is not None
    ]


def _facts(
    household_id: int, team_id: int, name: str, baseline: list[str], history: list[tuple[int, str, str]]
) -> MemberFacts:
    latest = scoring.latest_statuses(history)
    score = scoring.degafam_score(baseline, latest)
    weeks = frozenset(week for week, _, _ in history)
    return MemberFacts(household_id, team_id, name, baseline, history, latest, score, weeks)
