"""The links people follow from outside: one-click unsubscribe, and the private calendar feed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from starlette.applications import Starlette
from starlette.testclient import TestClient

from challenge.core.weeks import TIMEZONE
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.mail.calendar_feed import calendar_url, new_calendar_token, revoke_calendar_token
from challenge.mail.notifications import Preferences, preferences_of, save_preferences, unsubscribe_url
from challenge.mail.outbox import deliver_due
from challenge.mail.reminders import queue_weekly_mails
from challenge.mail.transport import SmtpTransport
from tests.conftest import Member
from tests.integration.engagement_helpers import SENDER, local_moment, settings_for, want_reminders
from tests.support.mailbox import smtp_server


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    from web.engagement_routes import EngagementRoutes

    app = Starlette(routes=EngagementRoutes(lambda: db, settings_for(db)).routes())
    with TestClient(app, base_url="https://defi.exemple.fr") as test_client:
        yield test_client


def _wants_reminders(db: Database, member: Member) -> bool:
    with db.read() as session:
        return preferences_of(session, member.account_id).reminders


def test_unsubscribe_link_of_a_real_mail_stops_reminders_once_clicked(
    db: Database, edition: EditionView, member: Member, client: TestClient
) -> None:
    want_reminders(db, member.account_id)
    now = local_moment(edition, 3, weekday=2, hour=18, minute=5)
    with smtp_server() as mailbox:
        settings = settings_for(db, mailbox)
        queue_weekly_mails(db, settings, now)
        with SmtpTransport(settings.mail) as transport:
            deliver_due(db, transport, SENDER, now)
    path = urlsplit(mailbox.messages[0]["List-Unsubscribe"].strip("<>")).path
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirmer le désabonnement" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert _wants_reminders(db, member)  # opening the link (or a mail scanner doing so) changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert "C&#39;est fait" in done.text
    assert '<html lang="fr">' in done.text
    assert not _wants_reminders(db, member)
    assert client.post(path).status_code == 200  # a second click is harmless
    assert queue_weekly_mails(db, settings, local_moment(edition, 4, 2, 18, 5)) == 0


def test_mail_client_one_click_post_unsubscribes(db: Database, member: Member, client: TestClient) -> None:
    save_preferences(db, member.account_id, Preferences(True, 0, 9, True, True))
    settings = settings_for(db)
    path = urlsplit(unsubscribe_url(settings.mail, settings.cookie_secret, member.account_id, "digest")).path
    response = client.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200
    with db.read() as session:
        preferences = preferences_of(session, member.account_id)
    assert (preferences.captain_digest, preferences.reminders) == (False, True)  # only that kind


def test_tampered_unsubscribe_link_is_refused(db: Database, member: Member, client: TestClient) -> None:
    want_reminders(db, member.account_id)
    settings = settings_for(db)
    path = urlsplit(unsubscribe_url(settings.mail, "another secret", member.account_id, "reminder")).path
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
    assert client.post("/desabonnement/nonsense").status_code == 404
    assert _wants_reminders(db, member)


def _feed(client: TestClient, url: str) -> Calendar:
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_calendar_feed_has_the_weekly_check_in_as_a_recurring_event_with_an_alarm(
    db: Database, edition: EditionView, member: Member, client: TestClient
) -> None:
    save_preferences(db, member.account_id, Preferences(False, 3, 19, False, True))  # Thursdays, 19:00
    url = calendar_url(settings_for(db).mail, new_calendar_token(db, member.account_id))
    calendar = _feed(client, url)
    assert calendar.to_ical().decode().count("PT12H") == 2  # refresh interval and published TTL
    [event] = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start.tzinfo is not None
    assert start.astimezone(TIMEZONE).hour == 19
    assert start.astimezone(TIMEZONE).weekday() == 3
    assert edition.start_date <= start.date() < edition.start_date + timedelta(days=7)
    rule = event.get("rrule")
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["COUNT"] == [edition.weeks]
    assert "/bilan" in str(event.get("url"))
    [alarm] = event.walk("VALARM")
    assert str(alarm.get("action")) == "DISPLAY"
    assert "Colibris" not in calendar.to_ical().decode()  # nothing personal in the feed


def test_calendar_feed_answers_404_to_a_wrong_regenerated_or_revoked_token(
    db: Database, edition: EditionView, member: Member, client: TestClient
) -> None:
    mail = settings_for(db).mail
    assert client.get("/agenda/not-a-token.ics").status_code == 404
    first = calendar_url(mail, new_calendar_token(db, member.account_id))
    second = calendar_url(mail, new_calendar_token(db, member.account_id))
    assert client.get(urlsplit(first).path).status_code == 404
    _feed(client, second)
    assert revoke_calendar_token(db, member.account_id)
    assert client.get(urlsplit(second).path).status_code == 404
    assert not revoke_calendar_token(db, member.account_id)
