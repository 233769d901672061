"""Starting a new edition from a previous one: teams and captains copied, households asked.

The organiser's copy brings the teams and their captains over at once; each household then
confirms (or not) on its own pages that it goes on with its team and its declared services,
so that year-to-year comparisons rest on the same baseline and nobody is enrolled unasked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.organisers import require_global
from challenge.accounts.sessions import Identity
from challenge.core import clock
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import LIVE_STATUSES, Role
from challenge.counts import upkeep
from challenge.editions.admin import create_in, snapshot
from challenge.editions.calendar import EditionView
from challenge.editions.rules import EditionForm, check_form
from challenge.infra.db import Database
from challenge.models import (
    CarryoverOffer,
    DeclaredService,
    Edition,
    Enrolment,
    Household,
    RoleGrant,
    Team,
    utcnow,
)
from challenge.teams.codes import unused_invite_code
from challenge.territories.areas import communes_of


@dataclass(frozen=True)
class Offer:
    """What a household is asked: go on in `edition_name`, with `team_name` and its services."""

    id: int
    edition_name: str
    team_name: str | None
    services: list[str]
    opens: date  # the first day of the new edition's sign-up window
    open_now: bool  # the household may answer today (the window is open)


def _copy_teams(session: Session, previous_id: int, edition_id: int, covered: set[str]) -> dict[int, int]:
    """Copy the previous edition's teams whose territory lies in the new edition (its `covered`
    communes), with new invitation codes and their captains; old id → new id.

    A team of a territory the new edition does not cover stays behind: none of its members could
    join it, and a list of collectives nobody may join only misleads newcomers.
    """
    copies: dict[int, int] = {}
    for team in session.scalars(select(Team).where(Team.edition_id == previous_id).order_by(Team.id)):
        if not communes_of(session, [(team.territory_level, team.territory_code)]) <= covered:
            continue
        copy = Team(
            edition_id=edition_id,
            name=team.name,
            description=team.description,
            territory_level=team.territory_level,
            territory_code=team.territory_code,
            invite_code=unused_invite_code(session),
        )
        session.add(copy)
        session.flush()
        copies[team.id] = copy.id
        captains = session.scalars(
            select(RoleGrant.account_id).where(RoleGrant.role == Role.CAPTAIN, RoleGrant.team_id == team.id)
        )
        session.add_all(RoleGrant(account_id=a, role=Role.CAPTAIN, team_id=copy.id) for a in captains)
    return copies


def start_from_previous(
    db: Database, actor: Identity, previous_id: int, form: EditionForm, carry_over: bool = True
) -> EditionView:
    """A new draft edition; with `carry_over`, teams and captains copied and households asked."""

    def work(session: Session) -> EditionView:
        require_global(session, actor)
        if session.get(Edition, previous_id) is None:
            raise NotFound(_("L'édition précédente n'existe pas."))
        cleaned = check_form(session, form)
        edition = create_in(session, actor, cleaned)
        teams: dict[int, int] = {}
        offers = 0
        if carry_over:
            covered = communes_of(session, cleaned.territories)
            teams = _copy_teams(session, previous_id, edition.id, covered)
            offers = _offer_to_households(session, previous_id, edition.id, covered, teams)
        after = {**snapshot(session, edition), "from_edition": previous_id, "teams": len(teams)}
        audit.record(
            session, actor, "edition.carry_over", "edition", edition.id,
            after={**after, "households_asked": offers}, edition_id=edition.id,
        )  # fmt: skip
        return EditionView.of(edition)

    return db.run_write(work)


def _offer_to_households(
    session: Session, previous_id: int, edition_id: int, covered: set[str], teams: dict[int, int]
) -> int:
    rows = session.execute(
        select(Enrolment.household_id, Enrolment.team_id, Household.commune_code)
        .join(Household, Household.id == Enrolment.household_id)
        .where(Enrolment.edition_id == previous_id)
    ).all()
    offers = [
        CarryoverOffer(
            edition_id=edition_id,
            from_edition_id=previous_id,
            household_id=household_id,
            team_id=teams.get(team_id) if team_id else None,
        )
        for household_id, team_id, commune in rows
        if commune in covered
    ]
    session.add_all(offers)
    return len(offers)


def pending_offer(session: Session, household_id: int, today: date | None = None) -> Offer | None:
    """The unanswered offer of a live edition the household has not joined yet, if any; it can
    be answered only in the edition's sign-up window, like any other way of joining."""
    row = session.execute(
        select(CarryoverOffer, Edition, Team.name)
        .join(Edition, Edition.id == CarryoverOffer.edition_id)
        .outerjoin(Team, Team.id == CarryoverOffer.team_id)
        .where(
            CarryoverOffer.household_id == household_id,
            CarryoverOffer.answered_at.is_(None),
            Edition.status.in_(LIVE_STATUSES),
        )
        .order_by(Edition.start_date.desc())
    ).first()
    if row is None:
        return None
    offer, edition, team_name = row
    view = EditionView.of(edition)
    services = list(
        session.scalars(
            select(DeclaredService.service_slug)
            .where(DeclaredService.household_id == household_id)
            .order_by(DeclaredService.id)
        )
    )
    opens = view.signup_opens or view.start_date
    return Offer(offer.id, view.name, team_name, services, opens, view.is_signup_open(today or clock.today()))


def answer_offer(
    db: Database, household_id: int, offer_id: int, accept: bool, today: date | None = None
) -> None:
    """The household goes on: with its team and services (`accept`), or afresh without them.

    Either way it takes part in the new edition, within its sign-up window only (the rule of
    every enrolment); answering twice changes nothing.
    """
    day = today or clock.today()

    def work(session: Session) -> None:
        offer = session.get(CarryoverOffer, offer_id)
        if offer is None or offer.household_id != household_id:
            raise NotFound(_("Cette proposition n'existe pas."))
        if offer.answered_at is not None:
            return
        edition = EditionView.of(session.get_one(Edition, offer.edition_id))
        if not edition.is_live:
            raise ValidationError(_("Cette édition n'est pas ouverte : réessayez quand elle le sera."))
        if not edition.is_signup_open(day):
            raise ValidationError(_signup_closed(edition, day))
        with upkeep.tracking(session, [household_id]):
            _enrol(session, offer, accept)
        offer.answered_at, offer.accepted = utcnow(), accept

    # A double tap racing itself on PostgreSQL: the loser's enrolment collides, its retry sees the answer.
    db.run_write(work, retry_conflicts=True)


def _signup_closed(edition: EditionView, today: date) -> str:
    opens = edition.signup_opens or edition.start_date
    if today < opens:
        return _("Les inscriptions à {name} ouvrent le {day} : votre place vous attend d'ici là.").format(
            name=edition.name, day=opens.strftime("%d/%m/%Y")
        )
    return _("Les inscriptions à {name} sont closes.").format(name=edition.name)


def _enrol(session: Session, offer: CarryoverOffer, accept: bool) -> None:
    enrolment = session.scalar(
        select(Enrolment).where(
            Enrolment.edition_id == offer.edition_id, Enrolment.household_id == offer.household_id
        )
    )
    if enrolment is None:
        enrolment = Enrolment(edition_id=offer.edition_id, household_id=offer.household_id)
        session.add(enrolment)
        session.flush()
    account_id = session.scalar(select(Household.account_id).where(Household.id == offer.household_id))
    if accept and offer.team_id is not None and enrolment.team_id is None:
        session.execute(
            update(Enrolment)
            .where(Enrolment.id == enrolment.id)
            .values(team_id=offer.team_id, team_joined_at=utcnow())
        )
    if not accept:
        if offer.team_id is not None:  # a captain who does not come back does not lead the copy
            session.execute(
                delete(RoleGrant).where(
                    RoleGrant.role == Role.CAPTAIN,
                    RoleGrant.team_id == offer.team_id,
                    RoleGrant.account_id == account_id,
                )
            )
        session.execute(delete(DeclaredService).where(DeclaredService.household_id == offer.household_id))
