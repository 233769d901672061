"""A household is several people: its members (a first name or nickname each, no account), who
uses which declared service, and the one rule that turns their answers into the household's."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import CheckinStatus
from challenge.infra.db import Database
from challenge.models import DeclaredService, Household, HouseholdMember, MemberService
from challenge.models.members import MEMBER_NAME_LENGTH

MAX_MEMBERS = 12

# How far each answer is from leaving the service: the household is where its least advanced
# member is (switched and dropped are both "left").
_PROGRESS: dict[str, int] = {
    CheckinStatus.STILL: 0,
    CheckinStatus.TRIED: 1,
    CheckinStatus.MOSTLY: 2,
    CheckinStatus.SWITCHED: 3,
    CheckinStatus.DROPPED: 3,
}


def household_status(member_statuses: Iterable[str]) -> str:
    """The household has left a service only when everyone who used it has: its status is its
    least advanced member's (still < tried < mostly < switched/dropped); "dropped" only when all
    dropped it, a mix of dropped and switched is "switched"."""
    statuses = list(member_statuses)
    if not statuses:
        raise ValueError("a household status needs at least one member's")
    least = min(_PROGRESS[status] for status in statuses)
    if least < _PROGRESS[CheckinStatus.SWITCHED]:
        return next(status for status in statuses if _PROGRESS[status] == least)
    if all(status == CheckinStatus.DROPPED for status in statuses):
        return CheckinStatus.DROPPED
    return CheckinStatus.SWITCHED


def household_answer(answers: Sequence[tuple[str, str | None]]) -> tuple[str, str | None]:
    """(status, alternative) of the household from its members' (status, alternative), in member
    order: the alternative is the least advanced member's (the first of them), None if it named none."""
    status = household_status(s for s, _alternative in answers)
    return status, next(alternative for s, alternative in answers if s == status)


def members_of(session: Session, household_id: int) -> dict[int, str]:
    """member id -> name, in the order they were added."""
    rows = session.execute(
        select(HouseholdMember.id, HouseholdMember.name)
        .where(HouseholdMember.household_id == household_id)
        .order_by(HouseholdMember.id)
    )
    return {member_id: name for member_id, name in rows}


def service_users(session: Session, household_id: int) -> dict[str, list[int]]:
    """declared service -> the members who use it; a service missing is the whole household's."""
    rows = session.execute(
        select(DeclaredService.service_slug, MemberService.member_id)
        .join(MemberService, MemberService.declared_service_id == DeclaredService.id)
        .where(DeclaredService.household_id == household_id)
        .order_by(MemberService.member_id)
    )
    users: dict[str, list[int]] = {}
    for service, member_id in rows:
        users.setdefault(service, []).append(member_id)
    return users


def people_and_users(session: Session, household_id: int) -> tuple[dict[int, str], dict[str, list[int]]]:
    """The household's members (id -> name) and who uses each service, in one statement."""
    rows = session.execute(
        select(HouseholdMember.id, HouseholdMember.name, DeclaredService.service_slug)
        .outerjoin(MemberService, MemberService.member_id == HouseholdMember.id)
        .outerjoin(DeclaredService, DeclaredService.id == MemberService.declared_service_id)
        .where(HouseholdMember.household_id == household_id)
        .order_by(HouseholdMember.id)
    )
    people: dict[int, str] = {}
    users: dict[str, list[int]] = {}
    for member_id, name, service in rows:
        people[member_id] = name
        if service is not None:
            users.setdefault(service, []).append(member_id)
    return people, users


def answering_from(users: Mapping[str, list[int]]) -> dict[str, list[int]]:
    """declared service -> the members who answer the check-in one by one: only where at least two
    use it (a service of one member, or of the whole household, gets one answer as before)."""
    return {service: ids for service, ids in users.items() if len(ids) >= 2}


def answering_members(session: Session, household_id: int) -> dict[str, list[int]]:
    return answering_from(service_users(session, household_id))


def check_member_name(name: object) -> str:
    """The name as stored (spaces tidied), or a ValidationError naming the field."""
    tidied = " ".join(name.split()) if isinstance(name, str) else ""
    if not tidied:
        raise ValidationError(_("Donnez un prénom ou un surnom."), field="member_name")
    if len(tidied) > MEMBER_NAME_LENGTH:
        raise ValidationError(
            _("Un prénom ou un surnom ne peut dépasser {max} caractères.").format(max=MEMBER_NAME_LENGTH),
            field="member_name",
        )
    return tidied


def _lock_members(session: Session, household_id: int) -> dict[int, str]:
    """The household's members, its row locked so that two changes at once see each other's."""
    session.scalar(select(Household.id).where(Household.id == household_id).with_for_update())
    return members_of(session, household_id)


def _check_unique(members: Mapping[int, str], name: str, member_id: int | None = None) -> None:
    for other_id, other in members.items():
        if other_id != member_id and other.casefold() == name.casefold():
            raise ValidationError(
                _("Votre foyer compte déjà quelqu'un nommé « {name} » : choisissez un autre nom.").format(
                    name=other
                ),
                field="member_name",
            )


def add_member(db: Database, household_id: int, name: object) -> int:
    """Add someone to the household; the same name sent again (a retried submit) adds no one."""
    tidied = check_member_name(name)

    def work(session: Session) -> int:
        members = _lock_members(session, household_id)
        same = [member_id for member_id, known in members.items() if known == tidied]
        if same:
            return same[0]
        _check_unique(members, tidied)
        if len(members) >= MAX_MEMBERS:
            raise ValidationError(
                _("Un foyer compte au plus {max} personnes.").format(max=MAX_MEMBERS), field="member_name"
            )
        member = HouseholdMember(household_id=household_id, name=tidied)
        session.add(member)
        session.flush()
        return member.id

    return db.run_write(work, retry_conflicts=True)


def rename_member(db: Database, household_id: int, member_id: int, name: object) -> None:
    """Rename someone of the household (only of this household)."""
    tidied = check_member_name(name)

    def work(session: Session) -> None:
        members = _lock_members(session, household_id)
        if member_id not in members:
            raise ValidationError(_("Cette personne ne fait pas partie de votre foyer."), field="member")
        _check_unique(members, tidied, member_id)
        member = session.get_one(HouseholdMember, member_id)
        member.name = tidied

    db.run_write(work, retry_conflicts=True)


def remove_member(db: Database, household_id: int, member_id: int) -> None:
    """Remove someone, with the services they used and their answers (the household's own answers
    stay); removing them again, or someone of another household, changes nothing."""
    with db.write() as session:
        session.execute(
            delete(HouseholdMember).where(
                HouseholdMember.id == member_id, HouseholdMember.household_id == household_id
            )
        )


def write_service_users(session: Session, household_id: int, users: Mapping[str, Sequence[int]]) -> None:
    """Set who uses each declared service named in `users` (an empty list: the whole household),
    inside the caller's transaction; only the household's own members and declared services."""
    members = _lock_members(session, household_id)
    declared = dict(
        session.execute(
            select(DeclaredService.service_slug, DeclaredService.id).where(
                DeclaredService.household_id == household_id
            )
        ).all()
    )
    for service, member_ids in users.items():
        if service not in declared:
            raise ValidationError(_("Ce service ne fait pas partie de ceux que votre foyer a déclarés."))
        if any(not isinstance(m, int) or isinstance(m, bool) or m not in members for m in member_ids):
            raise ValidationError(_("Cette personne ne fait pas partie de votre foyer."), field="member")
        session.execute(delete(MemberService).where(MemberService.declared_service_id == declared[service]))
        session.add_all(
            MemberService(declared_service_id=declared[service], member_id=m)
            for m in dict.fromkeys(member_ids)
        )
    session.flush()


def set_service_users(db: Database, household_id: int, service: str, member_ids: Sequence[int]) -> None:
    """Say which members use one declared service (none: the whole household); idempotent."""
    db.run_write(lambda session: write_service_users(session, household_id, {service: member_ids}))
