"""A form submitted twice (double tap, resend, two tabs) never creates two records.

Sequential retries of sign-up, onboarding and check-in are covered next to each use case
(test_accounts, test_households, test_checkins), and so are simultaneous check-ins; here: the
other forms submitted twice at the same moment, the service plan saved twice, and the sign-up
form posted twice over HTTP.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from challenge.accounts import credentials
from challenge.editions.calendar import EditionView
from challenge.households.profile import save_service_plan, service_plan, set_up_household
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import (
    Account,
    ChosenAlternative,
    DeclaredService,
    Enrolment,
    Household,
    LoginSession,
    OutboxMessage,
)
from devtools.forms import csrf_token
from tests.conftest import LILLE, PASSWORD, Member
from tests.support.concurrency import at_once
from tests.support.signup import confirmation_path
from web.address_confirmation_routes import AddressConfirmationForms
from web.identity import SESSION_COOKIE
from web.signup_routes import SignupForms


def confirmation_routes(db: Database, settings: Settings) -> list[Any]:
    return AddressConfirmationForms(lambda: db, settings).routes()


PLAN = {"gmail": ["proton-mail", "tuta"], "whatsapp": ["signal"], "amazon": []}


def _count(db: Database, model: Any) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_sign_up_submitted_twice_at_once_creates_one_account(db: Database) -> None:
    first, second = at_once(lambda: credentials.sign_up(db, "camille@exemple.fr", PASSWORD))
    assert first.id == second.id
    assert _count(db, Account) == 1


def test_onboarding_submitted_twice_at_once_creates_one_household_enrolled_once(
    db: Database, edition: EditionView
) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    profiles = at_once(lambda: set_up_household(db, account.id, "Les Colibris", LILLE, 3, consent=True), 3)
    assert len({p.household_id for p in profiles}) == 1
    assert (_count(db, Household), _count(db, Enrolment)) == (1, 1)


def test_service_plan_saved_twice_at_once_gives_the_rows_of_one_save(db: Database, member: Member) -> None:
    at_once(lambda: save_service_plan(db, member.household_id, PLAN), 3)
    with db.read() as session:
        assert service_plan(session, member.household_id) == PLAN
    assert (_count(db, DeclaredService), _count(db, ChosenAlternative)) == (3, 3)


def test_service_plan_saved_twice_in_a_row_keeps_one_row_per_choice(db: Database, member: Member) -> None:
    save_service_plan(db, member.household_id, PLAN)
    save_service_plan(db, member.household_id, PLAN)
    assert (_count(db, DeclaredService), _count(db, ChosenAlternative)) == (3, 3)


def test_sign_up_form_posted_twice_creates_one_account_and_one_mail_whose_link_still_logs_in(
    db: Database,
) -> None:
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40)
    app = Starlette(routes=[*SignupForms(lambda: db, settings).routes(), *confirmation_routes(db, settings)])
    with TestClient(app, base_url="http://localhost") as client:
        page = client.get("/inscription")
        form = {"csrf": csrf_token(page.text), "email": "camille@exemple.fr", "password": PASSWORD}
        responses = [client.post("/inscription", data=form, follow_redirects=False) for _ in range(2)]
        assert [r.status_code for r in responses] == [200, 200]
        assert responses[0].text == responses[1].text
        assert not any(SESSION_COOKIE in r.headers.get("set-cookie", "") for r in responses)
        with db.read() as session:  # the household's link, and no "someone used your address" on top
            kinds = list(session.scalars(select(OutboxMessage.kind)))
        assert kinds == ["confirm_address"]
        path = confirmation_path(db, "camille@exemple.fr")
        tapped = client.post(path, data={"csrf": csrf_token(client.get(path).text)}, follow_redirects=False)
        assert tapped.status_code == 303
    assert (_count(db, Account), _count(db, LoginSession)) == (1, 1)
