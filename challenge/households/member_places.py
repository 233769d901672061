"""Where each member is with the services they answer for one by one, for "Mon défi"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.households.member_answers import member_answers_of
from challenge.households.members import answering_from, people_and_users
from challenge.models import Alternative


@dataclass(frozen=True)
class MemberPlace:
    """Where one member is with a service: their latest answer and the alternative it named."""

    name: str
    status: str
    alternative: str | None  # the alternative's name


def who_is_where(session: Session, household_id: int, edition_id: int) -> dict[str, list[MemberPlace]]:
    """service -> where each member who answers for it one by one is, from their latest answer."""
    names, users = people_and_users(session, household_id)
    answering = answering_from(users)
    if not answering:
        return {}
    latest: dict[str, dict[int, tuple[str, str | None]]] = {}
    for week in sorted(answered := member_answers_of(session, household_id, edition_id)):
        for service, answers in answered[week].items():
            latest.setdefault(service, {}).update(answers)
    used = {a for answers in latest.values() for _s, a in answers.values() if a}
    alternative_names = dict(
        session.execute(select(Alternative.slug, Alternative.name).where(Alternative.slug.in_(used))).all()
    )
    places: dict[str, list[MemberPlace]] = {}
    for service, members in answering.items():
        for member in members:
            if (answer := latest.get(service, {}).get(member)) is not None:
                status, alternative = answer
                named = alternative_names.get(alternative) if alternative else None
                places.setdefault(service, []).append(MemberPlace(names[member], status, named))
    return places
