"""What each person sees of help to switch: a household's sessions near it and its requests; a
captain's members' requests and where it may publish; the organisers' sessions and requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from challenge.editions.lookup import enrolment_of
from challenge.help.requests import RequestCard, requests_of_household, team_requests, unteamed_requests
from challenge.help.sessions import SessionCard, captain_territories, sessions_near, upcoming_sessions
from challenge.help.volunteers import territory_requests
from challenge.infra.db import Database


@dataclass(frozen=True)
class HouseholdHelp:
    sessions: list[SessionCard]
    requests: dict[str, RequestCard]  # service slug -> the household's request about it
    in_team: bool = False  # its captain sees its requests: nothing to share with volunteers

    def sessions_for(self, service_slug: str) -> list[SessionCard]:
        return [s for s in self.sessions if service_slug in s.services]


def household_help(db: Database, household_id: int, now: datetime) -> HouseholdHelp:
    with db.read() as session:
        mine = {r.service_slug: r for r in requests_of_household(session, household_id)}
        found = enrolment_of(session, household_id)
        in_team = found is not None and found[1].team_id is not None
        return HouseholdHelp(sessions_near(session, household_id, now), mine, in_team)


@dataclass(frozen=True)
class CaptainHelp:
    requests: list[RequestCard]
    territories: dict[tuple[str, str], str]  # where the captain may publish a session
    nearby: list[RequestCard] | None  # shared requests of households without a team near it (None:
    # the collective helps no EPCI, see challenge.help.volunteers)


def captain_help(db: Database, household_id: int, team_id: int) -> CaptainHelp:
    with db.read() as session:
        return CaptainHelp(
            team_requests(session, household_id, team_id),
            captain_territories(session, team_id),
            territory_requests(session, household_id, team_id),
        )


@dataclass(frozen=True)
class ConsoleHelp:
    sessions: list[SessionCard]
    requests: list[RequestCard]  # of households without a team


def console_help(db: Database, account_id: int, now: datetime) -> ConsoleHelp:
    with db.read() as session:
        return ConsoleHelp(upcoming_sessions(session, now), unteamed_requests(session, account_id))
