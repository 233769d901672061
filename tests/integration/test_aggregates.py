"""The pre-aggregated counts stay equal to a recomputation from the raw rows, whatever happens.

A Hypothesis property test plays random sequences of the real use cases (check-ins and their
corrections, service plans, teams, commune changes, consent, erasure) on both databases, then
checks the aggregate tables against a rebuild from scratch and the figures read from them against
direct computations from the raw rows.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from challenge.catalogue.browse import alternatives_by_service
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.households import rights
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan, set_up_household
from challenge.infra.db import Database
from challenge.models import (
    Account,
    Checkin,
    CommuneSpanCount,
    CommuneWeekCount,
    Enrolment,
    Household,
    Team,
    TeamWeekCount,
)
from challenge.statistics import participation
from challenge.statistics.participation import Scope
from challenge.teams import membership
from challenge.teams.tallies import average_tenths
from challenge.territories.referential import place_of
from tests.conftest import AMIENS, LILLE, _clear_challenge_tables
from tests.support.editions import make_edition
from tests.support.households import join_before_start
from tests.support.team_facts import member_facts

ROUBAIX = "59512"
WEEKS = 6  # the shortest edition the rules allow
SERVICES = ("gmail", "whatsapp", "uber", "amazon")
COMMUNES = (LILLE, ROUBAIX, AMIENS)

operation = st.one_of(
    st.tuples(
        st.just("checkin"),
        st.integers(0, 3),
        st.integers(1, WEEKS),
        st.sampled_from(SERVICES),
        st.sampled_from(("switched", "mostly", "tried", "still", "dropped")),
        st.sampled_from((None, 0.0, 2.5, 40.0)),
    ),
    st.tuples(
        st.just("plan"), st.integers(0, 3), st.sets(st.sampled_from(SERVICES), min_size=1), st.booleans()
    ),
    st.tuples(st.just("team"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("move"), st.integers(0, 3), st.sampled_from(COMMUNES)),
    st.tuples(st.just("consent"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("erase"), st.integers(0, 3)),
)


def _household(db: Database, index: int, commune: str, start: date) -> int:
    with db.write() as session:
        account = Account(email=f"agg-{index}@exemple.fr")
        session.add(account)
        session.flush()
        account_id = account.id
    household_id = set_up_household(db, account_id, f"Foyer {index}", commune, 2, True).household_id
    join_before_start(db, household_id, days_before=index + 1)
    return household_id


def _alternatives(db: Database) -> dict[str, list[str]]:
    with db.read() as session:
        found = alternatives_by_service(session, place_of(session, LILLE), list(SERVICES))
    return {service: [a.slug for a in found.get(service, []) if a.is_national][:1] for service in SERVICES}


def _apply(
    db: Database,
    edition: EditionView,
    people: dict[int, int],
    op: tuple[Any, ...],
    alts: dict[str, list[str]],
) -> None:
    kind, index = op[0], op[1]
    household_id = people.get(index)
    if household_id is None:
        return
    try:
        _run(db, edition, household_id, op, alts, people)
    except Exception as error:  # refused actions (validation) must leave the counts consistent too
        if type(error).__name__ not in ("ValidationError", "ChallengeError", "NotFound"):
            raise
    if kind == "erase":
        del people[index]


def _run(
    db: Database,
    edition: EditionView,
    household_id: int,
    op: tuple[Any, ...],
    alts: dict[str, list[str]],
    people: dict[int, int],
) -> None:
    kind = op[0]
    if kind == "checkin":
        _, _, week, service, status, amount = op
        quantity = {"km": amount} if service == "uber" else {"euros": amount} if service == "amazon" else {}
        today = edition.start_date + timedelta(weeks=week - 1)
        record_checkin(db, household_id, week, [CheckinEntry(service, status, **quantity)], today)
    elif kind == "plan":
        save_service_plan(db, household_id, {s: alts[s] if op[3] else [] for s in op[2]})
    elif kind == "team":
        _team(db, household_id, op[2], people)
    elif kind == "move":
        rights.correct_household(db, household_id, "Foyer", op[2], 2)
    elif kind == "consent":
        rights.set_consent(db, household_id, op[2])
    elif kind == "erase":
        with db.read() as session:
            account_id = session.get_one(Household, household_id).account_id
        rights.delete_account(db, account_id, "SUPPRIMER")


def _team(db: Database, household_id: int, join: bool, people: dict[int, int]) -> None:
    if not join:
        membership.leave_team(db, household_id)
        return
    with db.read() as session:
        code = session.scalar(select(Team.invite_code).order_by(Team.id))
    if code is None:
        membership.create_team(db, household_id, "Les Agrégés")
    else:
        membership.join_team(db, household_id, code)


def _tables(db: Database) -> dict[str, dict[tuple[Any, ...], tuple[float, ...]]]:
    """Every row of the three aggregate tables, zeros included: none may differ from a rebuild."""
    with db.read() as session:
        weeks = {
            (r.edition_id, r.measure, r.week, r.commune_code, r.item): (r.households,)
            for r in session.scalars(select(CommuneWeekCount))
        }
        spans = {
            (r.edition_id, r.measure, r.week_from, r.week_to, r.commune_code): (r.households, r.total, r.top)
            for r in session.scalars(select(CommuneSpanCount))
        }
        team_rows = {
            (r.edition_id, r.team_id, r.measure, r.week, r.item): (r.value,)
            for r in session.scalars(select(TeamWeekCount))
        }
    return {"weeks": weeks, "spans": spans, "teams": team_rows}


def _same(
    left: dict[tuple[Any, ...], tuple[float, ...]], right: dict[tuple[Any, ...], tuple[float, ...]]
) -> bool:
    """The same rows (no row more, none less), the same counts, the same totals (but float rounding)."""
    return left.keys() == right.keys() and all(
        all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(left[k], right[k], strict=True)) for k in left
    )


def _raw_figures(db: Database, edition: EditionView) -> dict[str, Any]:
    """The dashboards' per-commune figures computed straight from the raw rows."""
    with db.read() as session:
        participants = (
            select(Household.id, Household.commune_code)
            .join(Enrolment, Enrolment.household_id == Household.id)
            .where(Enrolment.edition_id == edition.id, Household.consent_withdrawn_at.is_(None))
        )
        communes = dict(session.execute(participants).all())
        active = Counter(
            communes[h]
            for (h,) in session.execute(
                select(func.distinct(Checkin.household_id)).where(Checkin.edition_id == edition.id)
            )
            if h in communes
        )
        facts: dict[int, list[float]] = {}
        for f in member_facts(session, edition.id):
            facts.setdefault(f.team_id, []).append(f.score)
    return {"registered": Counter(communes.values()), "active": active, "teams": facts}


def _read_figures(db: Database, edition: EditionView) -> dict[str, Any]:
    with db.read() as session:
        registered = +participation.registered_by_commune(session, edition.id)
        active = participation.active_by_commune(session, Scope(edition, 1, WEEKS))
        scores = {}
        for team_id, members in aggregates_team_members(session, edition.id).items():
            scores[team_id] = members
    return {"registered": registered, "active": +active, "teams": scores}


def aggregates_team_members(session: Any, edition_id: int) -> dict[int, tuple[int, float]]:
    from challenge.counts import reads

    members = reads.teams_measure(session, edition_id, "members", 0)
    scores = reads.teams_measure(session, edition_id, "score", 0)
    return {t: (n, average_tenths(scores[t], n)) for t, n in members.items() if n}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=14))
def test_aggregates_equal_a_recomputation_from_the_raw_rows(
    db: Database, operations: list[tuple[Any, ...]]
) -> None:
    _clear_challenge_tables(db)
    today = date.today()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=2)
    edition = make_edition(db, "Défi agrégé", start, WEEKS, [("region", "32")])
    people = {i: _household(db, i, COMMUNES[i % len(COMMUNES)], start) for i in range(4)}
    alts = _alternatives(db)
    for household_id in people.values():
        save_service_plan(db, household_id, {s: alts[s] for s in SERVICES})
    for op in operations:
        _apply(db, edition, people, op, alts)
    incremental = _tables(db)
    with db.write() as session:
        upkeep.rebuild(session, edition.id)
    rebuilt = _tables(db)
    for table in incremental:  # whole tables: a row fallen to zero is deleted, as a rebuild never writes it
        assert _same(incremental[table], rebuilt[table]), (
            table,
            sorted(set(incremental[table]) ^ set(rebuilt[table])),
        )
    raw, read = _raw_figures(db, edition), _read_figures(db, edition)
    assert read["registered"] == raw["registered"]
    assert read["active"] == raw["active"]
    expected_teams = {t: (len(s), round(sum(s) / len(s), 1)) for t, s in raw["teams"].items() if s}
    assert read["teams"] == expected_teams


def test_counts_that_fall_to_zero_leave_no_row_behind(db: Database, edition: EditionView) -> None:
    """A household checks in, takes it back, leaves its team and is erased: the tables are then
    row for row what a rebuild writes, and no row counts nothing."""
    stays, leaves = (_household(db, i, COMMUNES[i], edition.start_date) for i in range(2))
    for household_id in (stays, leaves):
        save_service_plan(db, household_id, {"uber": [], "amazon": []})
    membership.create_team(db, stays, "Les Restants")
    with db.read() as session:
        code = session.scalar(select(Team.invite_code))
    membership.join_team(db, leaves, code)
    today = edition.start_date + timedelta(weeks=1)
    record_checkin(db, leaves, 2, [CheckinEntry("uber", "switched", km=12.5)], today)
    record_checkin(
        db, leaves, 2, [CheckinEntry("amazon", "mostly", euros=0.1), CheckinEntry("uber", "still")], today
    )
    record_checkin(db, leaves, 2, [CheckinEntry("amazon", "tried", euros=0.2)], today)
    record_checkin(db, leaves, 2, [CheckinEntry("amazon", "still")], today)
    membership.leave_team(db, leaves)
    with db.read() as session:
        account_id = session.get_one(Household, leaves).account_id
    rights.delete_account(db, account_id, "SUPPRIMER")
    incremental = _tables(db)
    with db.read() as session:
        for model, count in (
            (CommuneWeekCount, CommuneWeekCount.households),
            (TeamWeekCount, TeamWeekCount.value),
        ):
            assert session.scalar(select(func.count()).select_from(model).where(count == 0)) == 0
        assert session.scalar(select(func.count()).where(CommuneSpanCount.households == 0)) == 0
    with db.write() as session:
        upkeep.rebuild(session, edition.id)
    rebuilt = _tables(db)
    assert all(_same(incremental[table], rebuilt[table]) for table in incremental)


def test_rebuilding_twice_gives_the_same_counts(db: Database, edition: EditionView) -> None:
    people = [_household(db, i, COMMUNES[i % 3], edition.start_date) for i in range(3)]
    save_service_plan(db, people[0], {"gmail": [], "uber": []})
    record_checkin(db, people[0], 2, [CheckinEntry("uber", "switched", km=12.5)], date.today())
    before = _tables(db)
    for _ in range(2):
        with db.write() as session:
            upkeep.rebuild(session, edition.id)
        assert _tables(db) == before


@pytest.mark.parametrize("lowered", [0.0, 1.0])
def test_the_largest_total_is_recomputed_when_its_household_lowers_it(
    db: Database, edition: EditionView, lowered: float
) -> None:
    people = [_household(db, i, LILLE, edition.start_date) for i in range(2)]
    for household_id, km in zip(people, (100.0, 30.0), strict=True):
        save_service_plan(db, household_id, {"uber": []})
        record_checkin(db, household_id, 2, [CheckinEntry("uber", "switched", km=km)], date.today())
    record_checkin(db, people[0], 2, [CheckinEntry("uber", "switched", km=lowered)], date.today())
    with db.read() as session:
        top = session.scalar(
            select(CommuneSpanCount.top).where(
                CommuneSpanCount.measure == "km",
                CommuneSpanCount.week_from == 2,
                CommuneSpanCount.week_to == 2,
            )
        )
    assert top == 30.0


def test_the_rebuild_command_restores_lost_aggregates(db: Database, edition: EditionView) -> None:
    from sqlalchemy import delete

    from challenge.cli.commands import main

    people = [_household(db, i, COMMUNES[i % 3], edition.start_date) for i in range(3)]
    save_service_plan(db, people[1], {"gmail": [], "amazon": []})
    record_checkin(db, people[1], 2, [CheckinEntry("amazon", "mostly", euros=30.0)], date.today())
    expected = _tables(db)
    with db.write() as session:
        for table in (CommuneWeekCount, CommuneSpanCount, TeamWeekCount):
            session.execute(delete(table))
    assert main(["rebuild-aggregates"]) == 0
    assert _tables(db) == expected


def test_every_commit_that_changes_figures_bumps_the_edition_generation_and_reads_do_not(
    db: Database, edition: EditionView
) -> None:
    """The generation keys every cache of protected figures in every process: it must change with
    each write that changes them (a check-in, a correction, an erasure), and only then."""

    def generation() -> int:
        with db.read() as session:
            return upkeep.generation_of(session, edition.id)

    assert generation() == 0  # nothing happened yet
    household = _household(db, 0, LILLE, edition.start_date)
    save_service_plan(db, household, {"uber": []})
    seen = [generation()]
    assert seen[-1] != 0  # enrolling and declaring services changed the counts
    today = edition.start_date + timedelta(weeks=1)
    record_checkin(db, household, 2, [CheckinEntry("uber", "switched", km=3.0)], today)
    seen.append(generation())
    with db.read() as session:
        participation.registered_by_commune(session, edition.id)
    assert generation() == seen[-1]  # reading changes nothing
    record_checkin(db, household, 2, [CheckinEntry("uber", "switched", km=3.0)], today)
    assert generation() == seen[-1]  # the same answers again: nothing changed, nothing drawn
    record_checkin(db, household, 2, [CheckinEntry("uber", "still")], today)
    seen.append(generation())
    with db.read() as session:
        account_id = session.get_one(Household, household).account_id
    rights.delete_account(db, account_id, "SUPPRIMER")
    seen.append(generation())  # the erasure is in the next publication, in every process
    assert len(set(seen)) == len(seen), seen  # each change drew a generation never seen before
