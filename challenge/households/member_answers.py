"""Each member's answer in the weekly check-in, for a service two or more members use: checked,
turned into the household's answer (`members.household_answer`) and kept next to it; a member
answering alone from their own phone is counted with the others' latest answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.scoring import STATUSES, USES_ALTERNATIVE
from challenge.core.vocabulary import CheckinStatus
from challenge.households.checkin_alternatives import chosen_by_service
from challenge.households.members import answering_from, household_answer, household_status, people_and_users
from challenge.households.quantities import may_report_quantities
from challenge.infra.upsert import upsert
from challenge.models import (
    Checkin,
    Household,
    MemberAnswer,
)

Answers = dict[int, tuple[str, str | None]]  # member -> (status, alternative used)


@dataclass(frozen=True)
class Answering:
    """What a household's members may answer in one edition."""

    users: dict[str, list[int]]  # service -> members answering one by one (two or more)
    names: dict[int, str]
    chosen: dict[str, list[str]]  # service -> alternatives the household chose
    named: dict[tuple[str, int], str]  # (service, member) -> alternative its latest answer named


def answering_of(session: Session, household_id: int, edition_id: int) -> Answering:
    chosen = chosen_by_service(session, household_id)
    named = {
        (service, member): alternative
        for service, member, alternative in session.execute(
            select(Checkin.service_slug, MemberAnswer.member_id, MemberAnswer.alternative_slug)
            .join(Checkin, Checkin.id == MemberAnswer.checkin_id)
            .where(
                Checkin.household_id == household_id,
                Checkin.edition_id == edition_id,
                MemberAnswer.alternative_slug.is_not(None),
            )
            .order_by(Checkin.week)
        )
        if alternative is not None
    }
    people, users = people_and_users(session, household_id)
    return Answering(answering_from(users), people, chosen, named)


def checked_answers(
    answering: Answering,
    service: str,
    service_name: str,
    statuses: Mapping[int, object],
    alternatives: Mapping[int, object] | None,
) -> Answers:
    """Each member's answer as it will be stored, or a ValidationError: every member who uses the
    service answers, only they do, with one of the answers and one of the alternatives chosen."""
    users = answering.users.get(service, [])
    sent_alternatives = dict(alternatives or {})
    if not users or set(statuses) - set(users) or set(sent_alternatives) - set(users):
        raise ValidationError(
            _("Les personnes qui utilisent {service} ont changé : rechargez la page.").format(
                service=service_name
            ),
            field="members",
        )
    options = answering.chosen.get(service, [])
    answers: Answers = {}
    for member in users:
        status = statuses.get(member)
        if not isinstance(status, str) or status not in STATUSES:
            raise ValidationError(
                _("Choisissez une réponse de {name} pour {service}.").format(
                    name=answering.names[member], service=service_name
                ),
                field="status",
            )
        sent = sent_alternatives.get(member)
        if sent is not None and sent not in options:
            raise ValidationError(
                _("Cette alternative ne fait pas partie de celles que votre foyer a retenues."),
                field="alternative",
            )
        answers[member] = (status, _alternative_used(answering, service, member, status, sent))
    return answers


def _alternative_used(
    answering: Answering, service: str, member: int, status: str, sent: object
) -> str | None:
    """As for the household (checkin_alternatives): the one sent, else the only one chosen, else
    the one this member's latest answer named."""
    if status not in USES_ALTERNATIVE:
        return None
    if isinstance(sent, str):
        return sent
    options = answering.chosen.get(service, [])
    if len(options) == 1:
        return options[0]
    before = answering.named.get((service, member))
    return before if before in options else None


def household_of(answers: Answers) -> tuple[str, str | None]:
    """The household's (status, alternative) from its members' answers, in member order."""
    return household_answer([answers[member] for member in sorted(answers)])


def latest_member_answers(
    session: Session, household_id: int, edition_id: int, week: int
) -> dict[tuple[str, int], tuple[str, str | None]]:
    """(service, member) -> their answer of `week`, else their latest earlier one."""
    latest: dict[tuple[str, int], tuple[str, str | None]] = {}
    for service, member, status, alternative in session.execute(
        select(
            Checkin.service_slug, MemberAnswer.member_id, MemberAnswer.status, MemberAnswer.alternative_slug
        )
        .join(Checkin, Checkin.id == MemberAnswer.checkin_id)
        .where(Checkin.household_id == household_id, Checkin.edition_id == edition_id, Checkin.week <= week)
        .order_by(Checkin.week)
    ):
        latest[(service, member)] = (status, alternative)
    return latest


def one_members_line(
    session: Session,
    household_id: int,
    edition_id: int,
    week: int,
    member_id: int,
    sent: Mapping[str, tuple[object, object]],
) -> dict[str, dict[str, Any]]:
    """A member's own line as whole check-in entries (service -> CheckinEntry fields): their
    answer with the others' (`one_members_answers`); the week's quantities stay as stored while
    the household's answer may have them."""
    lines = one_members_answers(session, household_id, edition_id, week, member_id, sent)
    stored = {
        row.service_slug: row
        for row in session.scalars(
            select(Checkin).where(
                Checkin.household_id == household_id, Checkin.edition_id == edition_id, Checkin.week == week
            )
        )
    }
    entries: dict[str, dict[str, Any]] = {}
    for service, (statuses, alternatives) in lines.items():
        status, alternative = sent[service]
        fields: dict[str, Any] = {"status": status, "alternative": alternative}
        if len(statuses) >= 2:  # the household's answer follows from everyone's (checked later)
            fields.update(members=statuses, member_alternatives=alternatives)
            valid = all(isinstance(s, str) and s in STATUSES for s in statuses.values())
            status = household_status(map(str, statuses.values())) if valid else None
        row = stored.get(service)
        if row is not None and isinstance(status, str) and may_report_quantities(status):
            fields.update(km=row.km, euros=row.euros, objects=row.objects)
        entries[service] = fields
    return entries


OneMembersAnswers = dict[str, tuple[dict[int, object], dict[int, object]]]


def one_members_answers(
    session: Session,
    household_id: int,
    edition_id: int,
    week: int,
    member_id: int,
    sent: Mapping[str, tuple[object, object]],
) -> OneMembersAnswers:
    """A member answering alone (from their own phone), for the services they use: service ->
    (status, alternative) by member of everyone who uses it, theirs as sent and the others' of this
    week, else their latest earlier answer, else "still"; the one rule (`household_of`) then gives
    the household's answer. Locks the household: two members answering at once see each other's."""
    session.scalar(select(Household.id).where(Household.id == household_id).with_for_update())
    _people, users = people_and_users(session, household_id)
    if any(member_id not in users.get(service, []) for service in sent):
        raise ValidationError(
            _("Vous ne répondez que pour les services que vous utilisez : rechargez la page."),
            field="members",
        )
    chosen = answering_of(session, household_id, edition_id).chosen
    latest = latest_member_answers(session, household_id, edition_id, week)
    lines: OneMembersAnswers = {}
    for service, (status, alternative) in sent.items():
        statuses: dict[int, object] = {}
        alternatives: dict[int, object] = {}
        for member in users[service]:
            if member == member_id:
                statuses[member], named = status, alternative
            else:
                statuses[member], named = latest.get((service, member), (CheckinStatus.STILL, None))
                named = named if named in chosen.get(service, []) else None
            if named is not None:
                alternatives[member] = named
        lines[service] = (statuses, alternatives)
    return lines


def store_answers(
    session: Session,
    edition_id: int,
    household_id: int,
    week: int,
    answered: Mapping[str, Answers | None],
    only: int | None = None,
) -> None:
    """Keep each member's answer next to the household's row of the week (upserted: re-submitting
    never duplicates); a service answered for the whole household keeps no member answers. `only`:
    a member answering alone, whose answer alone is stored (the others' were only read)."""
    if only is not None:
        answered = {s: a and {only: a[only]} for s, a in answered.items()}
    checkin_ids = dict(
        session.execute(
            select(Checkin.service_slug, Checkin.id).where(
                Checkin.edition_id == edition_id,
                Checkin.household_id == household_id,
                Checkin.week == week,
                Checkin.service_slug.in_(list(answered)),
            )
        ).all()
    )
    whole = [checkin_ids[s] for s, answers in answered.items() if not answers]
    if whole:
        session.execute(delete(MemberAnswer).where(MemberAnswer.checkin_id.in_(whole)))
    rows = []
    for service, answers in sorted(answered.items()):
        if not answers:
            continue
        if only is None:
            session.execute(  # members who no longer use the service
                delete(MemberAnswer).where(
                    MemberAnswer.checkin_id == checkin_ids[service],
                    MemberAnswer.member_id.not_in(list(answers)),
                )
            )
        rows += [
            {"checkin_id": checkin_ids[service], "member_id": m, "status": s, "alternative_slug": a}
            for m, (s, a) in sorted(answers.items())
        ]
    keys, replaced = ("checkin_id", "member_id"), ("status", "alternative_slug")
    upsert(session, MemberAnswer, rows, keys, replace=replaced)


def member_answers_of(session: Session, household_id: int, edition_id: int) -> dict[int, dict[str, Answers]]:
    """week -> service -> each member's answer, for the check-in's pre-filled answers."""
    found: dict[int, dict[str, Answers]] = {}
    for service, week, answer in session.execute(
        select(Checkin.service_slug, Checkin.week, MemberAnswer)
        .join(Checkin, Checkin.id == MemberAnswer.checkin_id)
        .where(Checkin.household_id == household_id, Checkin.edition_id == edition_id)
    ):
        found.setdefault(week, {}).setdefault(service, {})[answer.member_id] = (
            answer.status,
            answer.alternative_slug,
        )
    return found
