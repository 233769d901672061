"""The territory's volunteers: captains of the live edition's collectives of an EPCI read and answer
the help requests that households of that EPCI without a collective chose to share with them.

The rule of who helps whom is here and only here (`helped_epci`, `_shared_with`): a collective
placed in a commune or an EPCI helps that EPCI (a département's collective does not: too wide to
drop by); it sees a request while the request is shared, is of the collective's edition, and its
household has no collective in that edition (a household's own captain answers it on the team's
requests). Anyone else gets NotFound, as if the request did not exist.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from challenge.core.errors import NotFound
from challenge.core.vocabulary import LIVE_STATUSES, HelpResponder, Level
from challenge.help.requests import NO_SUCH_REQUEST, RequestCard, cards_where, record_answer
from challenge.infra.db import Database
from challenge.models import Commune, Edition, Enrolment, HelpRequest, Household, Team, utcnow
from challenge.teams.members import account_of, as_captain


def helped_epci(session: Session, team: Team) -> str | None:
    """The EPCI (SIREN) whose households a collective's captains may help, or None."""
    status = session.scalar(select(Edition.status).where(Edition.id == team.edition_id))
    if status not in LIVE_STATUSES:
        return None
    if team.territory_level == Level.EPCI:
        return team.territory_code
    if team.territory_level == Level.COMMUNE:
        return session.scalar(select(Commune.epci_siren).where(Commune.insee_code == team.territory_code))
    return None


def _shared_with(team: Team, epci: str) -> ColumnElement[bool]:
    """SQL condition: a request this collective's captains may read and answer."""
    without_team = (
        select(Enrolment.id)
        .where(
            Enrolment.household_id == HelpRequest.household_id,
            Enrolment.edition_id == HelpRequest.edition_id,
            Enrolment.team_id.is_(None),
        )
        .exists()
    )
    in_epci = HelpRequest.household_id.in_(
        select(Household.id)
        .join(Commune, Commune.insee_code == Household.commune_code)
        .where(Commune.epci_siren == epci)
    )
    return HelpRequest.shared.is_(True) & (HelpRequest.edition_id == team.edition_id) & without_team & in_epci


def territory_requests(session: Session, household_id: int, team_id: int) -> list[RequestCard] | None:
    """For a captain: the shared requests of households without a collective in its territory
    (None for a collective that helps no EPCI: a département's, or a closed edition's)."""
    team = as_captain(session, household_id, team_id)
    epci = helped_epci(session, team)
    return (
        None
        if epci is None
        else cards_where(session, _shared_with(team, epci), with_names=True, with_commune=True)
    )


def answer_as_volunteer(
    db: Database, household_id: int, team_id: int, request_id: int, reply: object, helped: bool,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """A captain answers a shared request of its territory (shown in the app, mailed once to a
    confirmed address) and may mark it helped; any request it may not see is NotFound."""

    def work(session: Session) -> None:
        team = as_captain(session, household_id, team_id)
        epci = helped_epci(session, team)
        found = None if epci is None else _shared_with(team, epci)
        request = None if found is None else session.scalar(  # locked: an unshare waits, then holds
            select(HelpRequest).where(HelpRequest.id == request_id, found).with_for_update()
        )  # fmt: skip
        if request is None:
            raise NotFound(NO_SUCH_REQUEST)
        by = account_of(session, household_id)
        record_answer(session, request, by, HelpResponder.VOLUNTEER, reply, helped, now or utcnow())

    db.run_write(work)
