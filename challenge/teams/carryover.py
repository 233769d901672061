"""Starting a new edition from a previous one: teams and captains copied, households asked.

The organiser's copy brings the teams and their captains over at once; each household then
confirms (or not) on its own pages that it goes on with its team and its declared services,
so that year-to-year comparisons rest on the same baseline and nobody is enrolled unasked.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.organisers import require_global
from challenge.accounts.sessions import Identity
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


def _copy_teams(session: Session, previous_id: int, edition_id: int) -> dict[int, int]:
    """Copy the previous edition's teams (new invitation codes) and captains; old id → new id."""
    copies: dict[int, int] = {}
    for team in session.scalars(select(Team).where(Team.edition_id == previous_id).order_by(Team.id)):
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
            teams = _copy_teams(session, previous_id, edition.id)
            offers = _offer_to_households(session, previous_id, edition.id, cleaned, teams)
        after = {**snapshot(session, edition), "from_edition": previous_id, "teams": len(teams)}
        audit.record(
            session, actor, "edition.carry_over", "edition", edition.id,
            after={**after, "households_asked": offers}, edition_id=edition.id,
        )  # fmt: skip
        return EditionView.of(edition)

    return db.run_write(work)


def _offer_to_households(
    session: Session, previous_id: int, edition_id: int, form: EditionForm, teams: dict[int, int]
) -> int:
    covered = communes_of(session, form.territories)
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


def pending_offer(session: Session, household_id: int) -> Offer | None:
    """The unanswered offer of a live edition the household has not joined yet, if any."""
    row = session.execute(
        select(CarryoverOffer, Edition.name, Team.name)
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
    offer, edition_name, team_name = row
    services = list(
        session.scalars(
            select(DeclaredService.service_slug)
            .where(DeclaredService.household_id == household_id)
            .order_by(DeclaredService.id)
        )
    )
    return Offer(offer.id, edition_name, team_name, services)


def answer_offer(db: Database, household_id: int, offer_id: int, accept: bool) -> None:
    """The household goes on: with its team and services (`accept`), or afresh without them.

    Either way it takes part in the new edition; answering twice changes nothing.
    """

    def work(session: Session) -> None:
        offer = session.get(CarryoverOffer, offer_id)
        if offer is None or offer.household_id != household_id:
            raise NotFound(_("Cette proposition n'existe pas."))
        if offer.answered_at is not None:
            return
        edition = session.get_one(Edition, offer.edition_id)
        if edition.status not in LIVE_STATUSES:
            raise ValidationError(_("Cette édition n'est pas ouverte : réessayez quand elle le sera."))
        with upkeep.tracking(session, [household_id]):
            _enrol(session, offer, accept)
        offer.answered_at, offer.accepted = utcnow(), accept

    # A double tap racing itself on PostgreSQL: the loser's enrolment collides, its retry sees the answer.
    db.run_write(work, retry_conflicts=True)


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
