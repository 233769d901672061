"""Help to switch: help sessions near households, « Je viendrai », and help requests answered by
the household's captain (attackers included: other teams, visitors, floods)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select, update

from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.editions.calendar import EditionView
from challenge.help import requests, sessions
from challenge.help.forms import SessionDraft
from challenge.infra.db import Database
from challenge.models import Account, HelpRequest, HelpRsvp, OutboxMessage
from challenge.statistics.dashboards import build_dashboard
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import Rules
from challenge.teams import membership
from challenge.territories.tree import build_tree, territory_key
from tests.conftest import AMIENS, LILLE
from tests.integration.console_helpers import MEL, organiser
from tests.integration.team_helpers import household, plan
from tests.support.concurrency import at_once

SOON = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)


def draft(**changes: object) -> SessionDraft:
    values: dict[str, object] = {
        "kind": "repair_cafe",
        "level": "commune",
        "code": LILLE,
        "starts_at": SOON,
        "duration_minutes": 120,
        "place": "Maison des associations, 72 rue Royale",
        "topic": "Sortir ses photos de Google",
        "services": ["google-drive"],
    }
    return SessionDraft(**{**values, **changes})  # type: ignore[arg-type]


@pytest.fixture
def crews(db: Database, edition: EditionView) -> dict[str, int]:
    """Two teams in Lille (Alix captains Bao; Chloé captains Dara), and Eve in Amiens without a team."""
    people = {name: household(db, name) for name in ("Alix", "Bao", "Chloé", "Dara")}
    people["Eve"] = household(db, "Eve", AMIENS)
    lilas = membership.create_team(db, people["Alix"], "Rue des Lilas")
    roses = membership.create_team(db, people["Chloé"], "Rue des Roses")
    membership.join_team(db, people["Bao"], lilas.invite_code)
    membership.join_team(db, people["Dara"], roses.invite_code)
    for member in ("Bao", "Dara", "Eve"):
        plan(db, people[member], {"google-drive": [], "whatsapp": []})
    with db.write() as session:
        session.execute(update(Account).values(email_confirmed_at=func.now()))
    return {**people, "lilas": lilas.id, "roses": roses.id}


# --- help sessions --------------------------------------------------------------------------------


def test_an_organiser_publishes_a_session_shown_only_in_its_commune(
    db: Database, crews: dict[str, int]
) -> None:
    orga = organiser(db)
    session_id = sessions.publish_as_organiser(db, orga.account_id, draft())
    with db.read() as session:
        [card] = sessions.sessions_near(session, crews["Bao"], datetime.now(UTC))
        assert sessions.sessions_near(session, crews["Eve"], datetime.now(UTC)) == []
    assert (card.id, card.territory, card.services, card.coming) == (
        session_id,
        "Lille",
        ("google-drive",),
        0,
    )


def test_a_session_for_the_epci_reaches_every_commune_of_it(db: Database, crews: dict[str, int]) -> None:
    sessions.publish_as_organiser(db, organiser(db).account_id, draft(level="epci", code=MEL))
    with db.read() as session:
        [card] = sessions.sessions_near(session, crews["Alix"], datetime.now(UTC))
    assert "Métropole" in card.territory


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "rave"}, "type de rendez-vous"),
        ({"code": "00000"}, "commune ou une intercommunalité"),
        ({"level": "departement", "code": "59"}, "commune ou une intercommunalité"),
        ({"starts_at": None}, "date et l'heure"),
        ({"starts_at": datetime.now(UTC) - timedelta(hours=1)}, "déjà passée"),
        ({"starts_at": datetime.now(UTC) + timedelta(days=400)}, "l'année qui vient"),
        ({"duration_minutes": 5}, "15 minutes à 12 heures"),
        ({"place": "  "}, "Lieu : à remplir"),
        ({"topic": "x" * 201}, "200 caractères au plus"),
        ({"services": []}, "au moins un service"),
        ({"services": ["myspace"]}, "services du catalogue"),
    ],
)
def test_a_session_the_rules_refuse_is_not_published(
    db: Database, crews: dict[str, int], changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        sessions.publish_as_organiser(db, organiser(db).account_id, draft(**changes))
    with db.read() as session:
        assert sessions.upcoming_sessions(session, datetime.now(UTC)) == []


def test_a_captain_publishes_only_where_its_members_live(db: Database, crews: dict[str, int]) -> None:
    sessions.publish_as_captain(db, crews["Alix"], crews["lilas"], draft(level="epci", code=MEL))
    with pytest.raises(ChallengeError, match="commune d'un membre"):
        sessions.publish_as_captain(db, crews["Alix"], crews["lilas"], draft(code=AMIENS))
    with pytest.raises(ChallengeError, match="capitaines"):
        sessions.publish_as_captain(db, crews["Bao"], crews["lilas"], draft())
    with pytest.raises(NotFound):
        sessions.publish_as_captain(db, crews["Alix"], crews["roses"], draft())
    with pytest.raises(ChallengeError, match="organisateurs"):  # a household is no organiser
        sessions.publish_as_organiser(db, _account(db, crews["Bao"]), draft())


def test_coming_twice_counts_once_and_changing_ones_mind_counts_zero(
    db: Database, crews: dict[str, int]
) -> None:
    session_id = sessions.publish_as_organiser(db, organiser(db).account_id, draft())
    assert [sessions.set_coming(db, crews["Bao"], session_id, True) for _ in range(5)] == [1] * 5
    assert sessions.set_coming(db, crews["Alix"], session_id, True) == 2
    with db.read() as session:
        [card] = sessions.sessions_near(session, crews["Bao"], datetime.now(UTC))
    assert (card.coming, card.you_come) == (2, True)
    assert sessions.set_coming(db, crews["Bao"], session_id, False) == 1
    assert sessions.set_coming(db, crews["Bao"], session_id, False) == 1


def test_a_household_elsewhere_cannot_say_it_comes_nor_download_it(
    db: Database, crews: dict[str, int]
) -> None:
    session_id = sessions.publish_as_organiser(db, organiser(db).account_id, draft())
    with pytest.raises(NotFound):
        sessions.set_coming(db, crews["Eve"], session_id, True)
    with pytest.raises(NotFound):
        sessions.session_ics(db, crews["Eve"], session_id, {})
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(HelpRsvp)) == 0


def test_the_calendar_entry_holds_the_session(db: Database, crews: dict[str, int]) -> None:
    session_id = sessions.publish_as_organiser(db, organiser(db).account_id, draft())
    ics = sessions.session_ics(db, crews["Bao"], session_id, {"google-drive": "Google Drive"})
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert "Sortir ses photos de Google" in str(event["summary"])
    assert str(event["location"]) == "Maison des associations, 72 rue Royale"
    assert "Google Drive" in str(event["description"])
    assert event.decoded("dtstart") == SOON


# --- help requests --------------------------------------------------------------------------------


def test_a_member_asks_and_its_captain_answers_in_the_app_and_by_mail(
    db: Database, crews: dict[str, int]
) -> None:
    request_id = requests.ask_help(db, crews["Bao"], "google-drive", "Comment exporter mes albums ?")
    with db.read() as session:
        [seen] = requests.team_requests(session, crews["Alix"], crews["lilas"])
        assert requests.team_requests(session, crews["Chloé"], crews["roses"]) == []  # not theirs
    assert (seen.id, seen.household, seen.message) == (request_id, "Bao", "Comment exporter mes albums ?")
    requests.answer_as_captain(db, crews["Alix"], crews["lilas"], request_id, "Samedi chez moi, 10 h", True)
    requests.answer_as_captain(db, crews["Alix"], crews["lilas"], request_id, "Samedi chez moi, 10 h", True)
    with db.read() as session:
        [mine] = requests.requests_of_household(session, crews["Bao"])
        mails = session.execute(
            select(OutboxMessage.to_address, OutboxMessage.body).where(OutboxMessage.kind == "help_reply")
        ).all()
    assert mine.reply == "Samedi chez moi, 10 h"
    assert mine.helped_at is not None
    assert len(mails) == 1
    assert mails[0][0] == "bao@exemple.fr"
    assert "Samedi chez moi" in mails[0][1]


def test_another_team_cannot_read_nor_answer_a_request(db: Database, crews: dict[str, int]) -> None:
    request_id = requests.ask_help(db, crews["Bao"], "whatsapp")
    with pytest.raises(NotFound):  # Chloé captains Rue des Roses, not Bao's team
        requests.answer_as_captain(db, crews["Chloé"], crews["roses"], request_id, "Je m'en charge", True)
    with pytest.raises(NotFound):  # nor by claiming Bao's team
        requests.answer_as_captain(db, crews["Chloé"], crews["lilas"], request_id, "Je m'en charge", True)
    with db.read() as session:
        with pytest.raises(NotFound):
            requests.team_requests(session, crews["Chloé"], crews["lilas"])
        with pytest.raises(ChallengeError, match="capitaines"):  # a member is no captain
            requests.team_requests(session, crews["Bao"], crews["lilas"])
    with pytest.raises(NotFound):  # nor a household withdraw another's
        requests.withdraw_request(db, crews["Dara"], request_id)
    with db.read() as session:
        [untouched] = requests.requests_of_household(session, crews["Bao"])
    assert (untouched.reply, untouched.helped_at) == (None, None)


def test_asking_again_keeps_one_request_and_only_on_a_declared_service(
    db: Database, crews: dict[str, int]
) -> None:
    ids = {requests.ask_help(db, crews["Bao"], "whatsapp", "aide") for _ in range(10)}
    assert len(ids) == 1
    with pytest.raises(ValidationError, match="Déclarez d'abord"):
        requests.ask_help(db, crews["Bao"], "amazon")
    with pytest.raises(ValidationError, match="500 caractères"):
        requests.ask_help(db, crews["Bao"], "whatsapp", "x" * 501)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1


def test_a_request_without_a_team_goes_to_the_organisers(db: Database, crews: dict[str, int]) -> None:
    orga = organiser(db)
    request_id = requests.ask_help(db, crews["Eve"], "whatsapp", "Mon grand-père")
    requests.ask_help(db, crews["Bao"], "whatsapp")
    with db.read() as session:
        assert [r.household for r in requests.unteamed_requests(session, orga.account_id)] == ["Eve"]
        with pytest.raises(ChallengeError):
            requests.unteamed_requests(session, _account(db, crews["Alix"]))
    requests.answer_as_organiser(db, orga.account_id, request_id, "Voyez le repair café d'Amiens", False)
    with db.read() as session:
        [mine] = requests.requests_of_household(session, crews["Eve"])
    assert mine.reply == "Voyez le repair café d'Amiens"
    assert mine.helped_at is None


def test_councils_see_who_asked_and_was_helped_under_secrecy(
    db: Database, crews: dict[str, int], edition: EditionView
) -> None:
    for name in ("Bao", "Dara", "Eve"):
        requests.ask_help(db, crews[name], "whatsapp")
    [bao] = _requests_of(db, crews["Bao"])
    requests.answer_as_captain(db, crews["Alix"], crews["lilas"], bao, "", True)
    with db.read() as session:
        tree = build_tree(session)
        region = territory_key("region", "32")
        board = build_dashboard(session, tree, region, Scope(edition, 1, 3), Rules(threshold=1))
        assert board.help == {"asked": 3, "helped": 1}
        secret = build_dashboard(session, tree, region, Scope(edition, 1, 3), Rules(threshold=11))
        assert secret.help["asked"] is None  # 3 households: under the threshold, secret
        lille = build_dashboard(
            session, tree, territory_key("commune", LILLE), Scope(edition, 1, 3), Rules(threshold=1)
        )
        assert lille.help == {"asked": 2, "helped": 1}


def test_erasing_the_account_erases_its_requests_and_rsvps(db: Database, crews: dict[str, int]) -> None:
    from challenge.households import rights

    session_id = sessions.publish_as_organiser(db, organiser(db).account_id, draft())
    sessions.set_coming(db, crews["Bao"], session_id, True)
    requests.ask_help(db, crews["Bao"], "whatsapp", "aide")
    with db.read() as session:
        records = rights.export_account(session, _account(db, crews["Bao"]))
    assert records["demandes_aide"][0]["message"] == "aide"
    assert len(records["venues_aide"]) == 1
    rights.delete_account(db, _account(db, crews["Bao"]), "SUPPRIMER")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 0
        assert session.scalar(select(func.count()).select_from(HelpRsvp)) == 0


def _account(db: Database, household_id: int) -> int:
    from challenge.models import Household

    with db.read() as session:
        return session.get_one(Household, household_id).account_id


def _requests_of(db: Database, household_id: int) -> list[int]:
    with db.read() as session:
        return [r.id for r in requests.requests_of_household(session, household_id)]


def test_a_flood_of_taps_at_once_keeps_one_rsvp_and_one_request(db: Database, crews: dict[str, int]) -> None:
    session_id = sessions.publish_as_organiser(db, organiser(db).account_id, draft())
    at_once(lambda: sessions.set_coming(db, crews["Bao"], session_id, True), times=6)
    at_once(lambda: requests.ask_help(db, crews["Bao"], "whatsapp", "vite"), times=6)
    [request_id] = _requests_of(db, crews["Bao"])
    at_once(
        lambda: requests.answer_as_captain(db, crews["Alix"], crews["lilas"], request_id, "Oui", True),
        times=4,
    )
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(HelpRsvp)) == 1
        assert session.scalar(select(func.count()).select_from(HelpRequest)) == 1
        kinds = session.scalars(select(OutboxMessage.kind).where(OutboxMessage.kind == "help_reply")).all()
    assert len(kinds) == 1
