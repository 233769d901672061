"""Reminder and calendar settings, badges, the follow-up page and the durable rate, through widgets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.followups import add_months
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.mail.notifications import preferences_of
from challenge.models import Account, Checkin, Enrolment, FollowupAnswer, NotificationPreference
from challenge.teams.membership import create_team
from tests.conftest import Member, make_member
from tests.integration.engagement_helpers import close_edition
from tests.integration.test_dashboards import LILLE, populate
from tests.pages.conftest import texts
from tests.pages.test_dashboard_pages import _agent
from tests.support.editions import make_edition


def test_household_opts_in_to_reminders_on_its_account_page(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/account.py")
    assert "Rappels par e-mail" in texts(at)
    assert not at.checkbox(key="account_reminders").value  # off by default
    at.checkbox(key="account_reminders").check()
    at.selectbox(key="account_reminder_day").set_value(2)
    at.selectbox(key="account_reminder_hour").set_value(19)
    at.button(key="account_reminders_save").click().run()
    assert not at.exception
    assert "Vos choix de rappels sont enregistrés." in texts(at)
    with db.read() as session:
        chosen = preferences_of(session, member.account_id)
    assert (chosen.reminders, chosen.weekday, chosen.hour, chosen.captain_digest) == (True, 2, 19, False)


def test_only_captains_are_offered_the_team_digest(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    assert not [box for box in open_app(member, "pages/account.py").checkbox if box.key == "account_digest"]
    create_team(db, member.household_id, "Les Colibris de Lille")
    at = open_app(member, "pages/account.py")
    at.checkbox(key="account_digest").check()
    at.button(key="account_reminders_save").click().run()
    with db.read() as session:
        assert preferences_of(session, member.account_id).captain_digest


def test_household_creates_regenerates_and_revokes_its_calendar_address(
    open_app: Callable[..., AppTest], db: Database, member: Member, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DZG_PUBLIC_URL", "https://defi.exemple.fr")
    at = open_app(member, "pages/account.py")
    at.button(key="account_calendar_create").click().run()
    [first] = [code.value for code in at.code]
    assert "/agenda/" in first
    assert first.endswith(".ics")
    assert first.startswith("https://defi.exemple.fr/agenda/")  # the public URL, never localhost
    [add] = [b for b in at.get("link_button") if b.proto.label == "Ajouter à mon agenda"]
    assert add.proto.url == "webcal://" + first.split("://", 1)[1]
    [download] = at.get("download_button")[-1:]
    assert download.proto.label == "Télécharger le fichier .ics"
    at.button(key="account_calendar_regenerate").click().run()
    [second] = [code.value for code in at.code]
    assert second != first
    at.button(key="account_calendar_revoke").click().run()
    assert not at.exception
    with db.read() as session:
        row = session.get(NotificationPreference, member.account_id)
    assert row is not None
    assert row.calendar_token_hash is None


def test_progress_page_shows_badges_in_words_with_their_rules(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("gmail", "switched")], date.today())
    page = texts(open_app(member))
    assert "Badges" in page
    assert "Premier pas** — obtenu" in page
    assert "Quatre semaines d'affilée** — pas encore (1 / 4)" in page
    assert "Faire le bilan 4 semaines de suite." in page


@pytest.fixture
def past_member(db: Database) -> Member:
    """A household that switched Gmail in an edition that closed a little over 3 months ago."""
    end = add_months(date.today(), -3) - timedelta(days=5)
    past = make_edition(db, "Défi du printemps", end - timedelta(days=41), 6, status="closed")
    member = make_member(db, "ancien@exemple.fr", name="Les Anciens")
    joined = datetime.combine(past.start_date, time(), tzinfo=UTC) - timedelta(days=1)
    with db.write() as session:  # as it happened then (sign-up and check-ins are closed now)
        session.add(Enrolment(edition_id=past.id, household_id=member.household_id, enrolled_at=joined))
        for service, status in (("gmail", "switched"), ("whatsapp", "tried")):
            session.add(
                Checkin(
                    edition_id=past.id,
                    household_id=member.household_id,
                    week=2,
                    service_slug=service,
                    status=status,
                    updated_at=joined,
                )
            )
    close_edition(db, past.id)
    return member


def _answers(db: Database) -> dict[str, str]:
    with db.read() as session:
        return dict(session.execute(select(FollowupAnswer.service_slug, FollowupAnswer.answer)).all())


def test_follow_up_is_offered_then_answered_in_one_minute(
    open_app: Callable[..., AppTest], db: Database, past_member: Member
) -> None:
    assert "3 mois après « Défi du printemps »" in texts(open_app(past_member))
    at = open_app(past_member, "pages/followup.py")
    assert "Ça tient ?" in texts(at)
    assert [radio.key for radio in at.radio] == ["followup_answer_gmail"]  # only what was switched
    at.button(key="followup_submit").click().run()
    assert "Répondez pour chacun des services" in texts(at)
    assert _answers(db) == {}
    at.radio(key="followup_answer_gmail").set_value("partly")
    at.button(key="followup_submit").click().run()
    assert not at.exception
    assert "Merci ! Vos réponses" in texts(at)
    assert _answers(db) == {"gmail": "partly"}


def test_follow_up_page_without_open_follow_up_says_so(
    open_app: Callable[..., AppTest], member: Member
) -> None:
    at = open_app(member, "pages/followup.py")
    assert "Aucun suivi n'est ouvert" in texts(at)
    assert not at.radio


def test_dashboard_shows_the_durable_rate_as_secret_when_too_few_households_answered(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, past_member: Member
) -> None:
    populate(db, edition, {LILLE: 30})
    at = open_app(past_member, "pages/followup.py")
    at.radio(key="followup_answer_gmail").set_value("yes")
    at.button(key="followup_submit").click().run()
    assert _answers(db) == {"gmail": "yes"}
    board = open_app(_agent(db, "epci", "200093201"))
    page = texts(board)
    assert "Ça tient ? Le taux de changements durables" in page
    assert "Toujours en place à 3 mois secret" in page
    assert "Pas encore assez de réponses" in page
    # Its data read as a list on phones, one item per delay, the figures still secret.
    rows = " ".join(str(h.proto.body) for h in board.get("html"))
    assert "<li><strong>À 3 mois</strong>" in rows
    assert "<dt>Toujours</dt><dd>secret</dd>" in rows


def test_the_account_page_says_when_the_address_is_unconfirmed_and_links_to_a_new_link(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    assert "Adresse non confirmée" not in texts(open_app(member, "pages/account.py"))
    with db.write() as session:
        session.get_one(Account, member.account_id).email_confirmed_at = None
    at = open_app(member, "pages/account.py")
    assert not at.exception
    assert any("Adresse non confirmée" in w.value for w in at.warning)
    assert any('href="/confirmer-adresse"' in str(element.proto.body) for element in at.get("html"))
