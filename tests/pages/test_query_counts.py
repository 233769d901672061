"""No N+1: the SQL statements a page run issues do not grow with the households behind it.

Each page is run twice over growing data (more households, more members, more check-ins); an
event listener on the engine counts the statements of each run, and both runs must issue the
same number. The dashboard must not read a single raw check-in row: it reads the aggregates.
A household's pages read in two transactions a run (who is there, then what the page shows),
and read the household's enrolment once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event
from streamlit.testing.v1 import AppTest

from challenge.accounts import credentials, sessions
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import RoleGrant
from challenge.teams import membership
from tests.conftest import PASSWORD, Member, make_member
from tests.integration.team_helpers import check_in, household, plan
from tests.integration.test_dashboards import AMIENS, LILLE, ROUBAIX, populate
from tests.pages.conftest import SCRIPT, TIMEOUT


@contextmanager
def counting(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@contextmanager
def counting_transactions(db: Database) -> Iterator[list[int]]:
    begun: list[int] = []

    def record(_conn: Any) -> None:
        begun.append(1)

    event.listen(db.engine, "begin", record)
    try:
        yield begun
    finally:
        event.remove(db.engine, "begin", record)


def _statements(db: Database, run: Callable[[], AppTest]) -> list[str]:
    with counting(db) as statements:
        run()
    return statements


def _agent(db: Database) -> Member:
    account = credentials.sign_up(db, "agent-mel@exemple.fr", PASSWORD)
    with db.write() as session:
        session.add(
            RoleGrant(
                account_id=account.id, role="council", territory_level="epci", territory_code="200093201"
            )
        )
    token = sessions.open_session(db, account.id, timedelta(days=1))
    return Member(account.id, 0, account.email, sessions.hash_token(token))


def test_the_dashboard_page_issues_the_same_statements_for_ten_times_more_households(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    agent = _agent(db)
    open_app(agent)  # the territory tree is built once per process
    populate(db, edition, {LILLE: 12, ROUBAIX: 3})  # each write invalidates the cached dashboard
    small = _statements(db, lambda: open_app(agent))
    populate(db, edition, {LILLE: 100, ROUBAIX: 40, AMIENS: 20})
    large = _statements(db, lambda: open_app(agent))
    assert len(large) == len(small)
    assert not [s for s in large if "FROM checkin" in s], "the dashboard read raw check-ins"


def test_the_team_page_issues_the_same_statements_for_more_members_and_check_ins(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, today: date
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Les Colibris")
    team = membership.create_team(db, captain.household_id, "Rue des Lilas")
    plan(db, captain.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    membership.join_team(db, household(db, "Membre 0"), team.invite_code)
    open_app(captain, "pages/team.py")
    small = _statements(db, lambda: open_app(captain, "pages/team.py"))
    for index in range(1, 8):
        member = household(db, f"Membre {index}")
        membership.join_team(db, member, team.invite_code)
        plan(db, member, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
        check_in(db, member, 2, today, gmail="switched", whatsapp="tried")
        check_in(db, member, 3, today, gmail="switched", whatsapp="mostly")
    check_in(db, captain.household_id, 3, today, gmail="switched")
    large = _statements(db, lambda: open_app(captain, "pages/team.py"))
    assert len(large) == len(small)


def test_the_progress_page_issues_the_same_statements_for_more_check_ins(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"], "uber": []})
    record_checkin(db, member.household_id, 2, [CheckinEntry("gmail", "tried")], today)
    open_app(member)
    small = _statements(db, lambda: open_app(member))
    record_checkin(
        db,
        member.household_id,
        3,
        [
            CheckinEntry("gmail", "switched"),
            CheckinEntry("whatsapp", "mostly"),
            CheckinEntry("uber", "still"),
        ],
        today,
    )
    record_checkin(db, member.household_id, 2, [CheckinEntry("whatsapp", "tried")], today)
    large = _statements(db, lambda: open_app(member))
    assert len(large) == len(small)


ENROLMENT = (  # challenge.editions.lookup.enrolment_of
    "JOIN enrolment ON enrolment.edition_id = edition.id "
    "WHERE enrolment.household_id = ? AND edition.status IN"
)
# What one run of each household page reads today, in a collective with check-ins (the bounds
# only go down: a change that reads more says so here).
# +1 on each in #20: the household's members and who uses which service (households.members).
# "Mon défi" 27 -> 16 in #22: the badges read the collective's goal counts, not its whole page.
RUN_BOUNDS = {None: (16, 2), "pages/checkin.py": (10, 2)}  # page: (statements, transactions)


@pytest.mark.parametrize("page", list(RUN_BOUNDS))
def test_a_household_page_run_reads_in_two_transactions_and_its_enrolment_once(
    db: Database, member: Member, today: date, page: str | None
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"], "uber": []})
    record_checkin(db, member.household_id, 2, [CheckinEntry("gmail", "tried")], today)
    membership.create_team(db, member.household_id, "Rue des Lilas")
    at = AppTest.from_file(SCRIPT, default_timeout=TIMEOUT)
    at.user = {"session": member.session_hash}
    at.run()  # warm: cached reference data, the territory tree
    if page is not None:
        at.switch_page(page).run()
    with counting(db) as statements, counting_transactions(db) as transactions:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    most_statements, most_transactions = RUN_BOUNDS[page]
    assert len(transactions) <= most_transactions
    assert len(statements) <= most_statements, len(statements)
    assert len([s for s in statements if ENROLMENT in " ".join(s.split())]) == 1
