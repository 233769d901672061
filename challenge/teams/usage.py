"""Who in a team is on an alternative, read from the members' check-ins, never from their choices.

A member is on Signal when its latest answer for some service says it switched (or mostly) to
Signal: choosing Signal in "My services" is an intention, and an answer naming Jami says nothing
of Signal. Only consenting members of the team count. The read is bounded by the team's members.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.vocabulary import CheckinStatus
from challenge.models import Alternative, AlternativeReplacement, Checkin, Enrolment, Household

USING = frozenset({CheckinStatus.SWITCHED, CheckinStatus.MOSTLY})


def users_of(
    session: Session, edition_id: int, team_id: int, alternatives: Collection[str]
) -> dict[str, list[tuple[int, str]]]:
    """alternative -> (household, name) of the team's members on it, by name; [] for none."""
    found: dict[str, list[tuple[int, str]]] = {slug: [] for slug in alternatives}
    if not alternatives:
        return found
    rows = session.execute(
        select(Checkin.household_id, Household.name, Checkin.service_slug, Checkin.week, Checkin.status)
        .add_columns(Checkin.alternative_slug)
        .join(Enrolment, Enrolment.household_id == Checkin.household_id)
        .join(Household, Household.id == Checkin.household_id)
        .where(
            Checkin.edition_id == edition_id,
            Enrolment.edition_id == edition_id,
            Enrolment.team_id == team_id,
            Household.consent_withdrawn_at.is_(None),
        )
    ).all()
    latest: dict[tuple[int, str], tuple[int, str, str | None]] = {}
    names: dict[int, str] = {}
    for household, name, service, week, status, alternative in rows:
        names[household] = name
        if (household, service) not in latest or week > latest[(household, service)][0]:
            latest[(household, service)] = (week, status, alternative)
    on: dict[str, set[int]] = {slug: set() for slug in alternatives}
    for (household, _service), (_week, status, alternative) in latest.items():
        if status in USING and alternative in on:
            on[alternative].add(household)
    for slug, households in on.items():
        found[slug] = sorted(((h, names[h]) for h in households), key=lambda m: (m[1].casefold(), m[0]))
    return found


def replaces(session: Session, alternative_slug: str, service_slug: str) -> bool:
    """Whether a live (not retired) alternative of the catalogue replaces this service."""
    found = session.scalar(
        select(Alternative.slug)
        .join(AlternativeReplacement, AlternativeReplacement.alternative_slug == Alternative.slug)
        .where(
            Alternative.slug == alternative_slug,
            Alternative.retired_at.is_(None),
            AlternativeReplacement.service_slug == service_slug,
        )
    )
    return found is not None
