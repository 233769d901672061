"""Code run in separate processes by the concurrency and crash tests (see tests/support/writer.py).

Everything here goes through the real service layer, as the app's pages and forms do. The
processes are started as `python -m tests.support.writer ...`, never through multiprocessing:
a spawned child re-runs whatever `sys.modules['__main__']` is, which is streamlit_app.py in a
test worker once an AppTest ran there.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from challenge.accounts import credentials, sessions
from challenge.core.scoring import STATUSES
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan, set_up_household
from challenge.households.quantities import may_report_quantities
from challenge.infra.db import Database
from challenge.models import Account

PASSWORD = "une phrase de passe solide"
LILLE = "59350"
PLAN = {"blablacar": ["mobicoop"], "gmail": ["proton-mail"], "whatsapp": ["signal"]}
WEEKS = (2, 3)
PHASES = 6  # the number of `step()` calls of `concurrent_writer`: the test acts between them


def canonical_entries(household_index: int, week: int) -> list[CheckinEntry]:
    """What every writer records in the last round: the final state is known in advance."""
    return [
        CheckinEntry("blablacar", "tried", km=float(10 * week + household_index)),
        CheckinEntry("gmail", "switched"),
        CheckinEntry("whatsapp", "mostly"),
    ]


def _own_entries(worker: int, household_index: int, week: int) -> list[CheckinEntry]:
    """A first round that differs from writer to writer, in a rotated service order."""
    status = STATUSES[worker % 5]  # km only with an answer that uses an alternative
    entries = [
        CheckinEntry("blablacar", status, km=float(100 + worker) if may_report_quantities(status) else None),
        CheckinEntry("gmail", STATUSES[(worker + household_index) % 5]),
        CheckinEntry("whatsapp", STATUSES[(worker + week) % 5]),
    ]
    shift = (worker + household_index + week) % len(entries)
    return entries[shift:] + entries[:shift]


def _rotated(items: Iterable[int], shift: int) -> list[int]:
    listed = list(items)
    shift %= len(listed)
    return listed[shift:] + listed[:shift]


def _account_ids(db: Database, emails: list[str]) -> dict[str, int]:
    with db.read() as session:
        rows = session.execute(select(Account.email, Account.id).where(Account.email.in_(emails)))
        return {email: account_id for email, account_id in rows}


def concurrent_writer(
    url: str, worker: int, emails: list[str], today: date, step: Callable[[], None]
) -> tuple[int, list[str]]:
    """Sign up, onboard, plan and check in the same households as the other processes, in step.

    Each of the PHASES phases starts when `step()` returns: the test releases every writer at
    once, and acts between phases. Returns (calls that returned, errors): every failure is
    reported; a failure that reached a caller would be a bug.
    """
    db = Database(url)
    errors: list[str] = []
    done = 0

    def attempt(phase: str, call: Callable[[], Any]) -> Any:
        nonlocal done
        try:
            result = call()
            done += 1
            return result
        except Exception:
            errors.append(f"worker {worker}, {phase}: {traceback.format_exc(limit=3)}")
            return None

    mine = emails[worker % len(emails)]  # each e-mail is signed up by several workers at once
    try:
        step()  # 1. double-submitted sign-ups, then log-ins
        account = attempt("sign_up", lambda: credentials.sign_up(db, mine, PASSWORD))
        if account is not None:
            attempt("open_session", lambda: sessions.open_session(db, account.id, timedelta(days=1)))
        step()  # 2. double-submitted onboarding
        account_ids = _account_ids(db, emails)
        households: dict[int, int] = {}
        for index in _rotated(range(len(emails)), worker):
            if emails[index] in account_ids:
                profile = attempt(
                    "set_up_household",
                    lambda a=account_ids[emails[index]]: set_up_household(
                        db, a, "Foyer concurrent", LILLE, 3, consent=True
                    ),
                )
                if profile is not None:
                    households[index] = profile.household_id
        step()  # the test backdates the enrolments
        step()  # 3. the same plan saved by everyone
        for household_id in households.values():
            attempt("save_service_plan", lambda h=household_id: save_service_plan(db, h, PLAN))
        step()  # 4. conflicting check-ins, overlapping households and weeks
        for index, household_id in households.items():
            for week in WEEKS:
                entries = _own_entries(worker, index, week)
                attempt(
                    "check-in", lambda h=household_id, w=week, e=entries: record_checkin(db, h, w, e, today)
                )
        step()  # 5. everyone writes the same final answers
        for index, household_id in households.items():
            for week in WEEKS:
                entries = canonical_entries(index, week)
                attempt(
                    "check-in", lambda h=household_id, w=week, e=entries: record_checkin(db, h, w, e, today)
                )
    except Exception:
        errors.append(f"worker {worker}: {traceback.format_exc(limit=3)}")
    finally:
        db.dispose()
    return done, errors


def crash_writer(url: str, keys: list[tuple[int, int, str]], acknowledged: str, today: date) -> None:
    """Record check-ins one by one as fast as possible; log each one only once it is committed.

    The ack log is appended and fsync'ed after each commit, so a line in it is a promise the
    database made to a user ("your check-in is saved"). The test kills this process at random.
    """
    db = Database(url)
    with open(acknowledged, "a", encoding="utf-8") as log:
        for number, (household_id, week, service) in enumerate(keys):
            status = STATUSES[number % len(STATUSES)]
            record_checkin(db, household_id, week, [CheckinEntry(service, status)], today)
            log.write(f"{household_id} {week} {service} {status}\n")
            log.flush()
            os.fsync(log.fileno())
