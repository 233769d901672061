"""What a household's own pages show, each read in one transaction: its challenge, its weekly
check-in, its services, its data and its follow-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from challenge.catalogue import browse
from challenge.catalogue.retired_choices import RetiredChoice, retired_choices
from challenge.core import scoring
from challenge.core.vocabulary import CheckinStatus
from challenge.curation import suggestions
from challenge.curation.suggestions import SuggestionView
from challenge.editions.calendar import EditionView
from challenge.editions.history import PastEdition, past_editions
from challenge.editions.lookup import enrolment_of
from challenge.households import rights
from challenge.households.badges import Badge, badges_of, team_goals_of
from challenge.households.checkins import CheckinEntry, checkins_of, open_weeks_for
from challenge.households.followups import Followup, due_followup
from challenge.households.member_access import MemberAccess, access_of
from challenge.households.member_answers import Answers, member_answers_of
from challenge.households.member_places import MemberPlace, who_is_where
from challenge.households.members import answering_from, people_and_users
from challenge.households.profile import Profile, profile_of, service_plan
from challenge.households.progress import HouseholdProgress, household_progress
from challenge.infra.db import Database
from challenge.models import Alternative, utcnow
from challenge.teams.carryover import Offer, pending_offer
from challenge.territories.referential import Place


@dataclass(frozen=True)
class MyChallengeView:
    """The household's home page: its progress and everything it is asked or told."""

    progress: HouseholdProgress
    offer: Offer | None  # a new edition started from the previous one: go on, or start afresh?
    followup: Followup | None  # "does it last?", months after an edition, while not answered
    retired: list[RetiredChoice]  # chosen alternatives that have closed since
    badges: list[Badge]
    past: list[PastEdition]
    consent_given: bool = True  # withdrawn: its answers are neither recorded nor counted
    who: dict[str, list[MemberPlace]] = field(default_factory=dict)  # service -> where each member is


def my_challenge_view(db: Database, household_id: int, today: date) -> MyChallengeView:
    with db.read() as session:
        progress = household_progress(session, household_id, today)
        followup = due_followup(session, household_id, today)
        return MyChallengeView(
            progress=progress,
            offer=pending_offer(session, household_id, today),
            followup=None if followup is None or followup.is_complete else followup,
            retired=retired_choices(session, household_id),
            badges=badges_of(progress, team_goals_of(session, household_id)),
            past=past_editions(session, household_id),
            consent_given=not rights.consent_withdrawn(session, household_id),
            who={} if progress.edition is None else who_is_where(session, household_id, progress.edition.id),
        )


@dataclass(frozen=True)
class CheckinView:
    """The weekly check-in: the weeks open to this household and what it answered so far."""

    edition: EditionView | None
    plan: dict[str, list[str]]  # declared service -> chosen alternatives
    weeks: list[int]  # open to this household, the current one first
    quantities: dict[str, list[str]]  # service -> quantities it may report (km, euros, objects)
    answers: dict[int, dict[str, CheckinEntry]] = field(default_factory=dict)  # week -> service -> answer
    history: list[tuple[int, str, str]] = field(default_factory=list)  # (week, service, status)
    alternative_names: dict[str, str] = field(default_factory=dict)  # chosen alternative -> name
    members: dict[int, str] = field(default_factory=dict)  # the household's people, id -> name
    answering: dict[str, list[int]] = field(default_factory=dict)  # service -> members answering it
    member_answers: dict[int, dict[str, Answers]] = field(default_factory=dict)  # week -> service -> …
    users: dict[str, list[int]] = field(default_factory=dict)  # service -> its users (none: everyone)

    def services_of(self, member: int) -> list[str]:
        """The declared services a member uses: what a member's account answers for."""
        return [slug for slug in self.plan if member in self.users.get(slug, [])]

    def chosen(self, service_slug: str) -> list[str]:
        """The names of the alternatives the household chose for a service (what answers name)."""
        return [self.alternative_names.get(slug, slug) for slug in self.plan.get(service_slug, [])]

    def last_status(self, week: int, service_slug: str) -> str | None:
        """What a service's answer starts on: this week's, else the latest before, else none."""
        answered = self.answered(week).get(service_slug)
        return answered.status if answered else self.before(week).get(service_slug)

    def last_alternative(self, week: int, service_slug: str) -> str | None:
        """The alternative this week's answer named, else the latest one named before."""
        named = [
            (w, entry.alternative)
            for w, entries in self.answers.items()
            if w <= week and (entry := entries.get(service_slug)) and entry.alternative
        ]
        return max(named)[1] if named else None

    def last_member_answer(self, week: int, service_slug: str, member: int) -> tuple[str | None, str | None]:
        """A member's (status, alternative) to start on: this week's answer, else their latest before
        (the alternative: the latest one they named), else none."""
        answers = [
            (w, answer)
            for w, services in sorted(self.member_answers.items())
            if w <= week and (answer := services.get(service_slug, {}).get(member))
        ]
        status = answers[-1][1][0] if answers else None
        named = [answer[1] for _w, answer in answers if answer[1]]
        return status, named[-1] if named else None

    def same_as_before(self, week: int) -> list[CheckinEntry]:
        """What "same as last time" sends: each service's latest status, and each member's latest
        answer where the members answer one by one (for everyone, when one of them never has)."""
        before, entries = self.before(week), []
        for slug in self.plan:
            people = self.answering.get(slug, [])
            last = {m: self.last_member_answer(week - 1, slug, m) for m in people}
            statuses = {m: status for m, (status, _a) in last.items() if status}
            if people and len(statuses) == len(people):
                alternatives = {m: a for m, (_s, a) in last.items() if a}
                entries.append(CheckinEntry(slug, None, members=statuses, member_alternatives=alternatives))
            else:
                entries.append(CheckinEntry(slug, before.get(slug, CheckinStatus.STILL)))
        return entries

    def answered(self, week: int) -> dict[str, CheckinEntry]:
        return self.answers.get(week, {})

    def before(self, week: int) -> dict[str, str]:
        """Each service's latest status before `week` (what "same as last time" repeats)."""
        return scoring.latest_statuses(self.history, up_to_week=week - 1)


def checkin_view(db: Database, household_id: int, today: date) -> CheckinView:
    with db.read() as session:
        plan = service_plan(session, household_id)
        quantities = browse.service_quantities(session)
        chosen = {slug for slugs in plan.values() for slug in slugs}
        names = {
            slug: name
            for slug, name in session.execute(
                select(Alternative.slug, Alternative.name).where(Alternative.slug.in_(chosen))
            )
        }
        enrolment = enrolment_of(session, household_id)
        if enrolment is None:
            return CheckinView(None, plan, [], quantities, alternative_names=names)
        people, users = people_and_users(session, household_id)
        answering = answering_from(users)
        edition = enrolment[0]
        rows = checkins_of(session, household_id, edition.id)
        answers: dict[int, dict[str, CheckinEntry]] = {}
        for row in rows:
            entry = CheckinEntry(
                row.service_slug, row.status, row.km, row.euros, row.objects, row.alternative_slug
            )
            answers.setdefault(row.week, {})[row.service_slug] = entry
        return CheckinView(
            edition,
            plan,
            open_weeks_for(edition, enrolment[1], today),
            quantities,
            answers,
            [(row.week, row.service_slug, row.status) for row in rows],
            names,
            people,
            answering,
            member_answers_of(session, household_id, edition.id) if answering else {},
            users,
        )


@dataclass(frozen=True)
class ServicesView:
    """ "My services": what the household declared, and what its commune offers for each service."""

    place: Place
    plan: dict[str, list[str]]
    options: dict[str, list[Alternative]]  # service -> alternatives available in the commune
    retired: list[RetiredChoice]
    suggestions: list[SuggestionView]  # the household's own suggestions and their answers
    everywhere: dict[str, int] = field(default_factory=dict)  # service -> alternatives in the région
    members: dict[int, str] = field(default_factory=dict)  # the household's people, id -> name
    users: dict[str, list[int]] = field(default_factory=dict)  # service -> its users (none: everyone)
    access: dict[int, MemberAccess] = field(default_factory=dict)  # member -> own phone, or invited


def services_view(db: Database, household_id: int, now: datetime | None = None) -> ServicesView:
    with db.read() as session:
        profile = profile_of(session, household_id)
        people, users = people_and_users(session, household_id)
        return ServicesView(
            place=profile.place,
            plan=service_plan(session, household_id),
            options=browse.alternatives_by_service(session, profile.place),
            retired=retired_choices(session, household_id),
            suggestions=suggestions.of_household(session, household_id),
            everywhere={s: len(a) for s, a in browse.alternatives_by_service(session, None).items()},
            members=people,
            users=users,
            access=access_of(session, household_id, now or utcnow()),
        )


@dataclass(frozen=True)
class MyDataView:
    """ "My data": the household as stored (to correct it) and its consent."""

    profile: Profile
    consent_given: bool


def my_data_view(db: Database, household_id: int) -> MyDataView:
    with db.read() as session:
        withdrawn = rights.consent_withdrawn(session, household_id)
        return MyDataView(profile_of(session, household_id), consent_given=not withdrawn)


def followup_view(db: Database, household_id: int, today: date) -> Followup | None:
    """The follow-up open for the household (answered or not), or None."""
    with db.read() as session:
        return due_followup(session, household_id, today)
