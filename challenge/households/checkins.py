"""The weekly check-in: how each declared service went this week."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _, babel_locale
from challenge.core.labels import QUANTITY
from challenge.core.scoring import STATUSES, USES_ALTERNATIVE
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import closed_edition_of, closed_message, enrolment_of, first_week_of
from challenge.households import member_answers
from challenge.households.checkin_alternatives import alternatives_used
from challenge.households.quantities import check_quantities_fit, is_unusual, read_quantity
from challenge.infra.db import Database
from challenge.infra.upsert import upsert
from challenge.models import (
    BigTechService,
    Category,
    Checkin,
    DeclaredService,
    Enrolment,
    Household,
    utcnow,
)
from challenge.teams import pledges


@dataclass(frozen=True)
class CheckinEntry:
    """One service's answer as it arrived: a page passes what the household sent (a quantity may
    be the text typed), and `record_checkin` stores it exactly or refuses it."""

    service_slug: str
    status: str | None
    km: float | str | None = None
    euros: float | str | None = None
    objects: int | float | str | None = None
    # The alternative used (switched, mostly, tried): one the household chose for that service.
    # None: the only one it chose, else the one its latest answer named (see `_with_alternatives`).
    alternative: str | None = None
    # For a service two or more members use: each one's status (and alternative, when the
    # household chose several), by member id; the household's answer is derived from them.
    members: Mapping[int, str] | None = None
    member_alternatives: Mapping[int, str] | None = None

    def quantities(self) -> dict[str, object]:
        return {"km": self.km, "euros": self.euros, "objects": self.objects}


class UnusualQuantities(ValidationError):
    """Quantities far above what the household usually reports: stored only once confirmed."""


def open_weeks_for(edition: EditionView, enrolment: Enrolment, today: date) -> list[int]:
    """Weeks this household may check in now: the open ones since it joined."""
    first = first_week_of(edition, enrolment)
    return [week for week in edition.open_weeks(today) if week >= first]


def _check_week(enrolment: tuple[EditionView, Enrolment] | None, week: int, today: date) -> EditionView:
    if enrolment is None:
        raise ValidationError(_("Votre foyer ne participe à aucune édition en cours du défi."))
    edition = enrolment[0]
    allowed = open_weeks_for(edition, enrolment[1], today)
    if week not in allowed:
        if not allowed:
            raise ValidationError(
                _("Le bilan n'est pas ouvert en ce moment : l'édition n'a pas commencé ou est terminée.")
            )
        listed = _(" ou ").join(_("la semaine {week}").format(week=w) for w in allowed)
        raise ValidationError(
            _("La semaine {week} n'est pas ouverte au bilan : vous pouvez renseigner {listed}.").format(
                week=week, listed=listed
            ),
            field="week",
        )
    return edition


def _check_entries(
    session: Session, household_id: int, edition_id: int, entries: Sequence[CheckinEntry]
) -> tuple[list[CheckinEntry], dict[str, member_answers.Answers | None]]:
    """The entries as they will be stored (quantities read, the household's answer derived from
    its members' where they answered one by one) and each service's member answers, or a
    ValidationError naming the field."""
    if session.scalar(select(Household.consent_withdrawn_at).where(Household.id == household_id)):
        raise ValidationError(
            _(
                "Vous avez retiré votre consentement : vos réponses ne sont plus enregistrées. "
                "Vous pouvez le donner à nouveau depuis « Mes données »."
            )
        )
    if not entries:
        raise ValidationError(_("Renseignez au moins un service pour enregistrer votre bilan."))
    declared = {
        slug: (name, quantities)
        for slug, name, quantities in session.execute(
            select(DeclaredService.service_slug, BigTechService.name, Category.quantities)
            .join(BigTechService, BigTechService.slug == DeclaredService.service_slug)
            .join(Category, Category.slug == BigTechService.category_slug)
            .where(DeclaredService.household_id == household_id)
        )
    }
    answering = None
    checked, answered = [], {}
    for entry in entries:
        if entry.service_slug not in declared:
            raise ValidationError(_("Ce service ne fait pas partie de ceux que votre foyer a déclarés."))
        name, applicable = declared[entry.service_slug]
        answers = None
        if entry.members is not None:
            answering = answering or member_answers.answering_of(session, household_id, edition_id)
            answers = member_answers.checked_answers(
                answering, entry.service_slug, name, entry.members, entry.member_alternatives
            )
            status, alternative = member_answers.household_of(answers)
            entry = replace(entry, status=status, alternative=alternative)
        checked.append(_checked(entry, name, applicable))
        answered[entry.service_slug] = answers
    return checked, answered


def _checked(entry: CheckinEntry, service: str, applicable: Sequence[str]) -> CheckinEntry:
    if not isinstance(entry.status, str) or entry.status not in STATUSES:
        raise ValidationError(
            _("Choisissez l'une des réponses proposées pour {service}.").format(service=service),
            field="status",
        )
    if entry.alternative is not None and not isinstance(entry.alternative, str):
        raise ValidationError(
            _("Choisissez l'une des alternatives retenues pour {service}.").format(service=service),
            field="alternative",
        )
    read = {name: read_quantity(name, value, service) for name, value in entry.quantities().items()}
    for name, value in read.items():
        if value is not None and name not in applicable:
            raise ValidationError(
                _("La quantité « {quantity} » ne s'applique pas à ce service.").format(
                    quantity=QUANTITY[name]
                ),
                field=name,
            )
    check_quantities_fit(entry.status, read, service)
    alternative = entry.alternative if entry.status in USES_ALTERNATIVE else None
    return CheckinEntry(
        entry.service_slug, entry.status, read["km"], read["euros"], read["objects"], alternative
    )


def _with_alternatives(
    session: Session,
    household_id: int,
    edition_id: int,
    checked: Sequence[CheckinEntry],
    answered: Mapping[str, member_answers.Answers | None],
) -> list[CheckinEntry]:
    """Name the alternative each answer used; one derived from members' answers stays as derived."""
    answers = [(e.service_slug, e.status or "", e.alternative) for e in checked]
    named = alternatives_used(session, household_id, edition_id, answers)
    return [
        e if answered.get(e.service_slug) else replace(e, alternative=named[e.service_slug]) for e in checked
    ]


def _check_usual(
    session: Session, household_id: int, edition_id: int, week: int, checked: Sequence[CheckinEntry]
) -> None:
    """Refuse (until confirmed) a quantity far above the household's earlier ones for that service."""
    earlier = session.execute(
        select(Checkin.service_slug, Checkin.km, Checkin.euros, Checkin.objects).where(
            Checkin.household_id == household_id, Checkin.edition_id == edition_id, Checkin.week != week
        )
    ).all()
    names: dict[str, str] = {
        slug: name for slug, name in session.execute(select(BigTechService.slug, BigTechService.name))
    }
    unusual = []
    for entry in checked:
        for name, value in entry.quantities().items():
            previous = [getattr(row, name) for row in earlier if row.service_slug == entry.service_slug]
            if isinstance(value, int | float) and is_unusual(name, value, previous):
                unusual.append(
                    _("{field} pour {service} : {value}").format(
                        field=str(QUANTITY[name]).capitalize(),
                        service=names.get(entry.service_slug, entry.service_slug),
                        value=format_decimal(value, locale=babel_locale()),
                    )
                )
    if unusual:
        raise UnusualQuantities(
            _(
                "C'est bien plus que d'habitude : {listed}. Vérifiez ce que vous avez tapé "
                "(une virgule pour les centimes : 35,50), puis confirmez."
            ).format(listed=" ; ".join(unusual)),
            field="confirm",
        )


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or update on the (edition, household, week, service) key, atomically."""
    keys = ("edition_id", "household_id", "week", "service_slug")
    replaced = ("status", "alternative_slug", "km", "euros", "objects", "updated_at")
    upsert(session, Checkin, rows, keys, replace=replaced)


def record_checkin(
    db: Database,
    household_id: int,
    week: int,
    entries: Sequence[CheckinEntry],
    today: date,
    *,
    confirmed: bool = False,
    member: int | None = None,
) -> int:
    """Record (or correct) a household's check-in for `week`; re-submitting never duplicates.
    A quantity far above the household's usual ones is refused (UnusualQuantities) unless `confirmed`.
    An entry with `members` stores the household's answer derived from theirs, and theirs beside it.
    `member`: a member's account answering its own line only (`_as_member`)."""

    def work(session: Session) -> int:
        enrolment = enrolment_of(session, household_id)
        closed = closed_edition_of(session, household_id) if enrolment is None else None
        if closed is not None:
            raise ValidationError(closed_message(closed))
        edition = _check_week(enrolment, week, today)
        sent = entries
        if member is not None:  # a member's own line, with the others' answers
            own = {e.service_slug: (e.status, e.alternative) for e in entries}
            line = member_answers.one_members_line(session, household_id, edition.id, week, member, own)
            sent = [CheckinEntry(service, **fields) for service, fields in line.items()]
        checked, answered = _check_entries(session, household_id, edition.id, sent)
        checked = _with_alternatives(session, household_id, edition.id, checked, answered)
        if not confirmed:
            _check_usual(session, household_id, edition.id, week, checked)
        now = utcnow()
        with upkeep.tracking(session, [household_id]):  # dashboards' counts, same transaction
            _upsert(
                session,
                [
                    {
                        "edition_id": edition.id,
                        "household_id": household_id,
                        "week": week,
                        "service_slug": e.service_slug,
                        "status": e.status,
                        "alternative_slug": e.alternative,
                        **e.quantities(),
                        "created_at": now,
                        "updated_at": now,
                    }
                    # Sorted: concurrent check-ins of one household lock rows in the same order.
                    for e in sorted(
                        {e.service_slug: e for e in checked}.values(), key=lambda e: e.service_slug
                    )
                ],
            )
            member_answers.store_answers(session, edition.id, household_id, week, answered, only=member)
        if enrolment is not None and enrolment[1].team_id is not None:
            pledges.trigger_due(session, enrolment[1].team_id, now)  # the pledges this answer fulfils
        return len(entries)

    return db.run_write(work)


def checkins_of(session: Session, household_id: int, edition_id: int) -> list[Checkin]:
    return list(
        session.scalars(
            select(Checkin)
            .where(Checkin.household_id == household_id, Checkin.edition_id == edition_id)
            .order_by(Checkin.week, Checkin.service_slug)
        )
    )
