"""The command line: migrate, load-reference, create-admin and reproducible demo data."""

import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func, select

from challenge.accounts import credentials
from challenge.demo.generator import DEMO_LOGINS, DEMO_PASSWORD, generate_demo
from challenge.editions.history import past_editions
from challenge.editions.lookup import published_editions
from challenge.households.progress import household_progress
from challenge.infra.db import Database
from challenge.models import Account, Checkin, Enrolment, Household

MONDAY = date(2026, 11, 23)


def _counts(db: Database) -> tuple[int, int, list[tuple[str, int, str]]]:
    with db.read() as session:
        households = session.scalar(select(func.count(Household.id))) or 0
        checkins = session.scalar(select(func.count(Checkin.id))) or 0
        sample = list(
            session.execute(
                select(Checkin.service_slug, Checkin.week, Checkin.status).order_by(Checkin.id).limit(50)
            ).all()
        )
    return households, checkins, [tuple(row) for row in sample]


def test_demo_is_reproducible_and_replaces_itself(db: Database) -> None:
    first = generate_demo(db, households=30, weeks=4, seed=7, today=MONDAY)
    before = _counts(db)
    second = generate_demo(db, households=30, weeks=4, seed=7, today=MONDAY)
    assert first == second
    assert _counts(db)[:2] == before[:2] == (30, first.checkins)
    assert [r[::2] for r in _counts(db)[2]] == [r[::2] for r in before[2]]


def test_demo_household_can_log_in_and_has_this_week_to_do(db: Database) -> None:
    generate_demo(db, households=10, weeks=5, seed=1, today=date.today())
    account = credentials.authenticate(db, DEMO_LOGINS["household"], DEMO_PASSWORD)
    with db.read() as session:
        household = session.scalar(select(Household).where(Household.account_id == account.id))
        assert household is not None
        assert household.commune_code == "59350"
        progress = household_progress(session, household.id, date.today())
    assert progress.current_week == 5
    assert not progress.checked_in_this_week
    assert progress.checked_weeks == [1, 2, 3, 4]


def test_demo_has_last_years_closed_edition_to_compare_with(db: Database) -> None:
    generate_demo(db, households=60, weeks=5, seed=1, today=MONDAY)
    account = credentials.authenticate(db, DEMO_LOGINS["household"], DEMO_PASSWORD)
    with db.read() as session:
        editions = published_editions(session)
        household_id = session.scalar(select(Household.id).where(Household.account_id == account.id))
        past = past_editions(session, household_id)
        last_year_households = session.scalar(
            select(func.count(Enrolment.id)).where(Enrolment.edition_id == editions[1].id)
        )
    assert [(e.status, e.start_date.year) for e in editions] == [("running", 2026), ("closed", 2025)]
    assert editions[1].is_demo
    assert [p.edition.id for p in past] == [editions[1].id]  # the documented household took part
    assert past[0].weeks_checked > 0
    assert 10 < last_year_households < 50  # some of this year's households, not all


def test_demo_refuses_nonsense_sizes(db: Database) -> None:
    from challenge.core.errors import ChallengeError

    with pytest.raises(ChallengeError):
        generate_demo(db, households=0)


def _cli(db: Database, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "challenge", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env={"DATABASE_URL": db.url, "PATH": "/usr/bin:/bin"},
        timeout=120,
        check=False,
    )


def test_cli_migrate_and_load_reference_are_idempotent(db: Database) -> None:
    assert _cli(db, "migrate").returncode == 0
    result = _cli(db, "load-reference")
    assert result.returncode == 0, result.stderr
    assert "territories: 0 added, 0 updated" in result.stdout


def test_cli_create_admin_reads_the_password_from_stdin(db: Database) -> None:
    result = _cli(
        db,
        "create-admin",
        "--email",
        "orga@exemple.fr",
        "--password-stdin",
        stdin="une phrase de passe solide\n",
    )
    assert result.returncode == 0, result.stderr
    with db.read() as session:
        assert session.scalar(select(Account.email)) == "orga@exemple.fr"


def test_cli_reports_errors_in_french_without_traceback(db: Database) -> None:
    result = _cli(db, "create-admin", "--email", "pas-un-email", "--password-stdin", stdin="x\n")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_demo_has_collectives_and_a_captain_login(db: Database) -> None:
    from challenge.models import RoleGrant, Team

    report = generate_demo(db, households=60, weeks=4, seed=3, today=MONDAY)
    assert report.teams >= 2
    captain = credentials.authenticate(db, DEMO_LOGINS["captain"], DEMO_PASSWORD)
    council = credentials.authenticate(db, DEMO_LOGINS["council"], DEMO_PASSWORD)
    with db.read() as session:
        assert session.scalar(select(func.count(Team.id))) == report.teams
        roles = {(g.account_id, g.role) for g in session.scalars(select(RoleGrant))}
    assert (captain.id, "captain") in roles
    assert (council.id, "council") in roles
