"""A council agent's invitation: one use, expiring, stored hashed; the role comes with it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from challenge.accounts import credentials, sessions
from challenge.core.errors import AuthenticationError, NotFound, ValidationError
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Account, CouncilInvitation, RoleGrant, utcnow
from challenge.people import invitations
from devtools.forms import csrf_token
from tests.conftest import PASSWORD, Member
from tests.integration.console_helpers import MEL, audit_count, organiser
from web.invitation_routes import InvitationForms

NEW_PASSWORD = "le beffroi sonne à midi pile"


def _roles(db: Database, email: str) -> list[tuple[str, str | None]]:
    with db.read() as session:
        rows = session.execute(
            select(RoleGrant.role, RoleGrant.territory_code)
            .join(Account, Account.id == RoleGrant.account_id)
            .where(Account.email == email)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_new_agent_sets_a_password_once_and_gets_the_role(db: Database) -> None:
    token = invitations.invite_council_agent(db, organiser(db), "Agent@Lille.fr", f"epci:{MEL}")
    with db.read() as session:
        stored = session.scalars(select(CouncilInvitation)).one()
    assert stored.token_hash != token
    assert stored.token_hash == sessions.hash_token(token)
    assert invitations.invitation_for(db, token).has_account is False
    account_id = invitations.accept_invitation(db, token, NEW_PASSWORD)
    assert credentials.authenticate(db, "agent@lille.fr", NEW_PASSWORD).id == account_id
    assert _roles(db, "agent@lille.fr") == [("council", MEL)]
    with pytest.raises(NotFound, match="plus valable"):
        invitations.accept_invitation(db, token, NEW_PASSWORD)
    assert audit_count(db, "role.invite") == 1
    assert audit_count(db, "role.grant") == 1


def test_an_expired_invitation_opens_nothing(db: Database) -> None:
    past = utcnow() - invitations.VALID_FOR - timedelta(minutes=1)
    token = invitations.invite_council_agent(db, organiser(db), "agent@lille.fr", f"epci:{MEL}", now=past)
    with pytest.raises(NotFound, match="plus valable"):
        invitations.accept_invitation(db, token, NEW_PASSWORD)
    assert _roles(db, "agent@lille.fr") == []


def test_an_existing_account_signs_in_with_its_own_password(db: Database, member: Member) -> None:
    token = invitations.invite_council_agent(db, organiser(db), member.email, "commune:59350")
    assert invitations.invitation_for(db, token).has_account is True
    with pytest.raises(AuthenticationError):
        invitations.accept_invitation(db, token, "pas le bon mot de passe")
    assert _roles(db, member.email) == []  # still usable after a wrong password
    assert invitations.accept_invitation(db, token, PASSWORD) == member.account_id
    assert _roles(db, member.email) == [("council", "59350")]


def test_a_weak_password_or_an_unknown_territory_writes_nothing(db: Database) -> None:
    actor = organiser(db)
    with pytest.raises(ValidationError, match="inconnu"):
        invitations.invite_council_agent(db, actor, "agent@lille.fr", "epci:000000000")
    with pytest.raises(ValidationError):
        invitations.invite_council_agent(db, actor, "pas-une-adresse", f"epci:{MEL}")
    assert audit_count(db) == 0
    token = invitations.invite_council_agent(db, actor, "agent@lille.fr", f"epci:{MEL}")
    with pytest.raises(ValidationError):
        invitations.accept_invitation(db, token, "court")
    assert invitations.invitation_for(db, token).email == "agent@lille.fr"


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, cookie_secret="test-secret-" + "x" * 40)
    app = Starlette(routes=InvitationForms(lambda: db, settings).routes())
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


def test_the_invitation_page_sets_the_password_logs_in_and_then_is_gone(
    db: Database, client: TestClient
) -> None:
    token = invitations.invite_council_agent(db, organiser(db), "agent@lille.fr", f"epci:{MEL}")
    page = client.get(f"/invitation/{token}")
    assert page.status_code == 200
    assert "Métropole Européenne de Lille" in page.text
    csrf = csrf_token(page.text)
    refused = client.post(f"/invitation/{token}", data={"csrf": "forged", "password": NEW_PASSWORD})
    assert refused.status_code == 400
    assert _roles(db, "agent@lille.fr") == []
    done = client.post(
        f"/invitation/{token}", data={"csrf": csrf, "password": NEW_PASSWORD}, follow_redirects=False
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/territoire"
    assert "dzg_session" in done.headers.get("set-cookie", "")
    assert client.get(f"/invitation/{token}").status_code == 410


def test_with_a_mail_relay_the_agent_receives_the_link_by_mail(db: Database) -> None:
    from challenge.mail.outbox import deliver_due
    from challenge.mail.transport import SmtpTransport
    from tests.integration.engagement_helpers import SENDER, mail_settings
    from tests.support.mailbox import smtp_server

    with smtp_server() as mailbox:
        settings = mail_settings(mailbox)
        token = invitations.invite_council_agent(
            db, organiser(db), "agent@lille.fr", f"epci:{MEL}", mail=settings
        )
        with SmtpTransport(settings) as transport:
            assert deliver_due(db, transport, SENDER, utcnow()).sent == 1
            assert deliver_due(db, transport, SENDER, utcnow()).sent == 0  # never twice
    (message,) = mailbox.messages
    assert message["To"] == "agent@lille.fr"
    assert settings.link(invitations.PATH + token) in message.get_content()


def test_without_a_mail_relay_nothing_is_queued(db: Database) -> None:
    from challenge.infra.mail_settings import MailSettings
    from challenge.mail.outbox import statuses

    invitations.invite_council_agent(db, organiser(db), "agent@lille.fr", f"epci:{MEL}", mail=MailSettings())
    assert statuses(db, "invitation:") == {}
