"""The household's members in its GDPR export: who they are, what each uses, what each answered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.households.members import members_of, service_users
from challenge.models import Checkin, Household, HouseholdMember, MemberAnswer


def member_records(session: Session, household_id: int) -> dict[str, list[dict[str, Any]]]:
    """The household's members, the services each uses and their answers, for its GDPR export."""
    people = members_of(session, household_id)
    created = dict(
        session.execute(
            select(HouseholdMember.id, HouseholdMember.created_at).where(
                HouseholdMember.household_id == household_id
            )
        ).all()
    )
    answers = session.execute(
        select(Checkin.edition_id, Checkin.week, Checkin.service_slug, MemberAnswer)
        .join(MemberAnswer, MemberAnswer.checkin_id == Checkin.id)
        .where(Checkin.household_id == household_id)
        .order_by(Checkin.week, Checkin.service_slug, MemberAnswer.member_id)
    )
    return {
        "membres": [{"id": m, "name": name, "created_at": created[m]} for m, name in people.items()],
        "membres_services": [
            {"service": service, "member_id": m, "membre": people[m]}
            for service, ids in service_users(session, household_id).items()
            for m in ids
        ],
        "reponses_membres": [
            {
                "edition_id": edition_id,
                "week": week,
                "service": service,
                "member_id": answer.member_id,
                "membre": people.get(answer.member_id),
                "status": answer.status,
                "alternative": answer.alternative_slug,
            }
            for edition_id, week, service, answer in answers
        ],
    }


def own_member_records(session: Session, account_id: int) -> dict[str, list[dict[str, Any]]]:
    """A member's account's part of its GDPR export: the member it is and its own answers only
    (the household's other data belongs to the household's owner)."""
    member = session.scalar(select(HouseholdMember).where(HouseholdMember.account_id == account_id))
    if member is None:
        return {}
    household = session.get_one(Household, member.household_id)
    answers = session.execute(
        select(Checkin.edition_id, Checkin.week, Checkin.service_slug, MemberAnswer)
        .join(MemberAnswer, MemberAnswer.checkin_id == Checkin.id)
        .where(MemberAnswer.member_id == member.id)
        .order_by(Checkin.week, Checkin.service_slug)
    )
    return {
        "membre_du_foyer": [
            {"id": member.id, "name": member.name, "foyer": household.name, "created_at": member.created_at}
        ],
        "mes_reponses": [
            {
                "edition_id": edition_id,
                "week": week,
                "service": service,
                "status": answer.status,
                "alternative": answer.alternative_slug,
            }
            for edition_id, week, service, answer in answers
        ],
    }
