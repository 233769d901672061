"""What a team's page shows of its members' pledges, and what a household's export holds of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.models import Alternative, BigTechService, Enrolment, Household, Team, TeamPledge
from challenge.teams.usage import users_of


@dataclass(frozen=True)
class PledgeProgress:
    """A pledge as the team sees it: who pledged, how many others are on the alternative already."""

    id: int
    household_id: int
    name: str
    service_name: str
    alternative_slug: str
    alternative_name: str
    threshold: int
    others_on: int
    triggered_at: datetime | None
    acknowledged: bool

    @property
    def needed(self) -> int:
        """How many more members must be on the alternative; 0 once reached."""
        return max(0, self.threshold - self.others_on)


def team_pledges(session: Session, edition_id: int, team_id: int, household_id: int) -> list[PledgeProgress]:
    """The pledges of the team's current members, for a member's team page (theirs first)."""
    rows = session.execute(
        select(TeamPledge, Household.name, BigTechService.name, Alternative.name)
        .join(Household, Household.id == TeamPledge.household_id)
        .join(Enrolment, (Enrolment.household_id == TeamPledge.household_id) & (Enrolment.team_id == team_id))
        .join(BigTechService, BigTechService.slug == TeamPledge.service_slug)
        .join(Alternative, Alternative.slug == TeamPledge.alternative_slug)
        .where(TeamPledge.team_id == team_id, Household.consent_withdrawn_at.is_(None))
        .order_by(TeamPledge.created_at, TeamPledge.id)
    ).all()
    users = users_of(session, edition_id, team_id, {pledge.alternative_slug for pledge, *_rest in rows})
    found = [
        PledgeProgress(
            id=pledge.id,
            household_id=pledge.household_id,
            name=name,
            service_name=service,
            alternative_slug=pledge.alternative_slug,
            alternative_name=alternative,
            threshold=pledge.threshold,
            others_on=sum(h != pledge.household_id for h, _n in users[pledge.alternative_slug]),
            triggered_at=pledge.triggered_at,
            acknowledged=pledge.acknowledged_at is not None,
        )
        for pledge, name, service, alternative in rows
    ]
    return sorted(found, key=lambda p: p.household_id != household_id)


def pledges_of_household(session: Session, household_id: int) -> list[dict[str, object]]:
    """Every pledge of the household, in any team, for its GDPR export."""
    rows = session.execute(
        select(TeamPledge, Team.name)
        .join(Team, Team.id == TeamPledge.team_id)
        .where(TeamPledge.household_id == household_id)
        .order_by(TeamPledge.id)
    ).all()
    return [
        {
            "team": team,
            "service": pledge.service_slug,
            "alternative": pledge.alternative_slug,
            "threshold": pledge.threshold,
            "pledged_at": pledge.created_at,
            "triggered_at": pledge.triggered_at,
            "acknowledged_at": pledge.acknowledged_at,
        }
        for pledge, team in rows
    ]
