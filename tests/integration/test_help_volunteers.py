"""The territory's volunteers: captains of the collectives of an EPCI answer the help requests that
households of that EPCI without a collective shared with them, and nobody else reads them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from challenge.core.errors import ChallengeError, NotFound
from challenge.editions.calendar import EditionView
from challenge.help import requests, volunteers
from challenge.infra.db import Database
from challenge.models import Account, Household, OutboxMessage
from challenge.statistics.dashboards import build_dashboard
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import Rules
from challenge.teams import membership
from challenge.territories.tree import build_tree, territory_key
from tests.integration.console_helpers import organiser
from tests.integration.team_helpers import household, plan
from tests.support.concurrency import at_once

ROUBAIX, DUNKERQUE = "59512", "59183"  # Roubaix is in the Métropole Européenne de Lille, Dunkerque not


@pytest.fixture
def area(db: Database, edition: EditionView) -> dict[str, int]:
    """In the Métropole: Alix captains a Lille collective (Bao is a member), Gus a Métropole-wide
    one, Ines a Nord-wide one; Hana captains one in Dunkerque. Eve (Roubaix) and Fred (Lille)
    have no collective."""
    people = {
        "Alix": household(db, "Alix"),
        "Bao": household(db, "Bao"),
        "Gus": household(db, "Gus", ROUBAIX),
        "Ines": household(db, "Ines"),
        "Hana": household(db, "Hana", DUNKERQUE),
        "Eve": household(db, "Eve", ROUBAIX),
        "Fred": household(db, "Fred"),
    }
    lilas = membership.create_team(db, people["Alix"], "Rue des Lilas")
    mel = membership.create_team(db, people["Gus"], "Métropole sans Gafam", territory_level="epci")
    nord = membership.create_team(db, people["Ines"], "Nord libre", territory_level="departement")
    dunes = membership.create_team(db, people["Hana"], "Les Dunes")
    membership.join_team(db, people["Bao"], lilas.invite_code)
    for name in ("Bao", "Eve", "Fred"):
        plan(db, people[name], {"whatsapp": [], "gmail": []})
    with db.write() as session:
        session.execute(update(Account).values(email_confirmed_at=func.now()))
    teams = {"lilas": lilas.id, "mel": mel.id, "nord": nord.id, "dunes": dunes.id}
    return {**people, **teams}


def _seen(db: Database, area: dict[str, int], captain: str, team: str) -> list[str] | None:
    with db.read() as session:
        found = volunteers.territory_requests(session, area[captain], area[team])
    return None if found is None else [f"{r.household} · {r.commune} · {r.message}" for r in found]


def _mails(db: Database) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(select(OutboxMessage.to_address).where(OutboxMessage.kind == "help_reply"))
        )


def test_a_shared_request_reaches_the_captains_of_its_epci_and_they_answer_once(
    db: Database, area: dict[str, int], edition: EditionView
) -> None:
    request_id = requests.ask_help(db, area["Eve"], "whatsapp", "Mon grand-père", shared=True)
    assert _seen(db, area, "Alix", "lilas") == ["Eve · Roubaix · Mon grand-père"]  # a commune's team
    assert _seen(db, area, "Gus", "mel") == ["Eve · Roubaix · Mon grand-père"]  # the EPCI's team
    assert _seen(db, area, "Hana", "dunes") == []  # another EPCI
    assert _seen(db, area, "Ines", "nord") is None  # a département's team: too wide, no section
    for _ in range(5):  # a flood of the same answer: one mail
        volunteers.answer_as_volunteer(db, area["Alix"], area["lilas"], request_id, "Samedi, 10 h", True)
    assert _mails(db) == ["eve@exemple.fr"]
    with db.read() as session:
        [mine] = requests.requests_of_household(session, area["Eve"])
        board = build_dashboard(
            session,
            build_tree(session),
            territory_key("region", "32"),
            Scope(edition, 1, 3),
            Rules(threshold=1),
        )
    assert (mine.reply, mine.replied_as, mine.helped_at is not None) == ("Samedi, 10 h", "volunteer", True)
    assert board.help == {"asked": 1, "helped": 1}  # helped by a volunteer counts as helped


@pytest.mark.parametrize(("captain", "team"), [("Hana", "dunes"), ("Ines", "nord")])
def test_a_captain_of_another_territory_cannot_answer(
    db: Database, area: dict[str, int], captain: str, team: str
) -> None:
    request_id = requests.ask_help(db, area["Eve"], "whatsapp", shared=True)
    with pytest.raises(NotFound):
        volunteers.answer_as_volunteer(db, area[captain], area[team], request_id, "Je m'en charge", True)
    with pytest.raises(NotFound):  # nor by claiming a team of the Métropole
        volunteers.answer_as_volunteer(db, area[captain], area["lilas"], request_id, "Je m'en charge", True)
    _untouched(db, area["Eve"])


def test_a_member_a_visitor_or_the_asker_cannot_read_nor_answer(db: Database, area: dict[str, int]) -> None:
    request_id = requests.ask_help(db, area["Eve"], "whatsapp", shared=True)
    with db.read() as session:
        with pytest.raises(ChallengeError, match="capitaines"):  # a member is no captain
            volunteers.territory_requests(session, area["Bao"], area["lilas"])
        for outsider in (area["Eve"], area["Fred"], 10**6):  # the asker, another household, nobody
            with pytest.raises(NotFound):
                volunteers.territory_requests(session, outsider, area["lilas"])
    with pytest.raises(ChallengeError, match="capitaines"):
        volunteers.answer_as_volunteer(db, area["Bao"], area["lilas"], request_id, "Moi !", True)
    for outsider in (area["Eve"], area["Fred"], 10**6):
        with pytest.raises(NotFound):
            volunteers.answer_as_volunteer(db, outsider, area["lilas"], request_id, "Moi !", True)
    with pytest.raises(NotFound):  # nor may another household unshare it
        requests.share_request(db, area["Fred"], request_id, False)
    _untouched(db, area["Eve"])


def test_an_unshared_request_stays_with_the_organisers(db: Database, area: dict[str, int]) -> None:
    request_id = requests.ask_help(db, area["Fred"], "gmail", "Mes photos")
    requests.ask_help(db, area["Eve"], "whatsapp", shared=True)
    assert [line.split(" · ")[0] for line in _seen(db, area, "Alix", "lilas") or []] == ["Eve"]
    with pytest.raises(NotFound):
        volunteers.answer_as_volunteer(db, area["Alix"], area["lilas"], request_id, "Je passe", False)
    with db.read() as session:  # the organisers still see every request without a team
        assert {r.household for r in requests.unteamed_requests(session, organiser(db).account_id)} == {
            "Eve",
            "Fred",
        }
    _untouched(db, area["Fred"])


def test_a_members_request_stays_with_its_own_captain(db: Database, area: dict[str, int]) -> None:
    request_id = requests.ask_help(db, area["Bao"], "whatsapp", shared=True)
    assert _seen(db, area, "Alix", "lilas") == []  # on the team's own requests, not twice
    assert _seen(db, area, "Gus", "mel") == []
    with pytest.raises(NotFound):
        volunteers.answer_as_volunteer(db, area["Gus"], area["mel"], request_id, "Je passe", True)
    with db.read() as session:
        [own] = requests.team_requests(session, area["Alix"], area["lilas"])
    assert (own.id, own.commune) == (request_id, "")  # a captain is not told where its members live


def test_unsharing_joining_a_team_or_withdrawing_hides_the_request(
    db: Database, area: dict[str, int]
) -> None:
    request_id = requests.ask_help(db, area["Eve"], "whatsapp", shared=True)
    requests.share_request(db, area["Eve"], request_id, False)
    assert _seen(db, area, "Alix", "lilas") == []
    with pytest.raises(NotFound):
        volunteers.answer_as_volunteer(db, area["Alix"], area["lilas"], request_id, "Je passe", True)
    requests.ask_help(db, area["Eve"], "whatsapp", shared=True)  # asking again: the latest choice
    assert len(_seen(db, area, "Alix", "lilas") or []) == 1
    membership.join_team(db, area["Eve"], _invite(db, area["mel"]))
    assert _seen(db, area, "Alix", "lilas") == []  # Gus answers it as her captain now
    with pytest.raises(NotFound):
        volunteers.answer_as_volunteer(db, area["Alix"], area["lilas"], request_id, "Je passe", True)
    membership.leave_team(db, area["Eve"])
    assert len(_seen(db, area, "Alix", "lilas") or []) == 1
    requests.withdraw_request(db, area["Eve"], request_id)
    assert _seen(db, area, "Alix", "lilas") == []
    with pytest.raises(NotFound):
        volunteers.answer_as_volunteer(db, area["Alix"], area["lilas"], request_id, "Je passe", True)
    assert _mails(db) == []


def test_two_volunteers_tapping_the_same_answer_at_once_send_one_mail(
    db: Database, area: dict[str, int]
) -> None:
    request_id = requests.ask_help(db, area["Eve"], "whatsapp", shared=True)

    def answer(captain: str, team: str) -> None:
        volunteers.answer_as_volunteer(db, area[captain], area[team], request_id, "J'arrive", True)

    at_once(lambda: answer("Alix", "lilas"), times=3)
    at_once(lambda: answer("Gus", "mel"), times=3)
    assert _mails(db) == ["eve@exemple.fr"]


def test_the_choice_to_share_is_in_the_households_export(db: Database, area: dict[str, int]) -> None:
    from challenge.households import rights

    requests.ask_help(db, area["Eve"], "whatsapp", "aide", shared=True)
    with db.read() as session:
        account = session.get_one(Household, area["Eve"]).account_id
        [record] = rights.export_account(session, account)["demandes_aide"]
    assert (record["message"], record["shared"]) == ("aide", True)


def _invite(db: Database, team_id: int) -> str:
    from challenge.models import Team

    with db.read() as session:
        return session.get_one(Team, team_id).invite_code


def _untouched(db: Database, household_id: int) -> None:
    with db.read() as session:
        [request] = requests.requests_of_household(session, household_id)
    assert (request.reply, request.helped_at) == (None, None)
    assert _mails(db) == []
