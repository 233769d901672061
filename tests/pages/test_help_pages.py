"""Help to switch on its pages, driven through their widgets: a session under the service it
concerns with « Je viendrai », « J'ai besoin d'aide », the captain's answer, the console page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.counts.upkeep import figures_changed
from challenge.editions.calendar import EditionView
from challenge.help import requests, sessions
from challenge.help.forms import SessionDraft
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import HelpRequest, Household, RoleGrant
from challenge.statistics.secrecy import SECRET_LABEL
from challenge.teams import membership
from tests.conftest import AMIENS, Member, make_member
from tests.integration.test_dashboards import LILLE as LILLE_CODE
from tests.integration.test_dashboards import populate
from tests.pages.conftest import texts
from tests.pages.test_dashboard_pages import _agent

SERVICES, TEAM, CONSOLE = "pages/services.py", "pages/team.py", "pages/console_help.py"
ROUBAIX = "59512"  # in the Métropole Européenne de Lille, as Lille


def _organiser(db: Database, who: Member) -> None:
    with db.write() as session:
        session.add(RoleGrant(account_id=who.account_id, role="organiser"))


def _session(db: Database, who: Member, commune: str, topic: str) -> int:
    starts = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    draft = SessionDraft(
        "repair_cafe", "commune", commune, starts, 120, "Salle des fêtes", topic, ["whatsapp"]
    )
    return sessions.publish_as_organiser(db, who.account_id, draft)


def test_a_session_near_home_shows_under_its_service_and_counts_who_comes(
    db: Database, open_app: Callable[..., AppTest], member: Member
) -> None:
    orga = make_member(db, "orga@exemple.fr", AMIENS, "Orga")
    _organiser(db, orga)
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]})
    near = _session(db, orga, "59350", "Installer Signal")
    _session(db, orga, AMIENS, "Loin d'ici")
    at = open_app(member, SERVICES)
    page = texts(at)
    assert "Installer Signal" in page
    assert "Loin d'ici" not in page
    at.toggle(key=f"help_coming_{near}").set_value(True).run()
    assert "1 foyer a dit qu'il viendrait" in texts(open_app(member, SERVICES))


def test_a_household_asks_for_help_and_a_typed_link_stays_text(
    db: Database, open_app: Callable[..., AppTest], member: Member
) -> None:
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]})
    at = open_app(member, SERVICES)
    at.text_area(key="help_message_whatsapp").set_value("[clic](https://evil.example)")
    at.button(key="help_ask_submit_whatsapp").click().run()
    assert not at.exception
    again = open_app(member, SERVICES)
    assert "Vous avez demandé de l'aide pour ce service." in texts(again)
    shown = " ".join(m.value for m in again.caption)
    assert "\\[clic\\]" in shown  # escaped for markdown: no link


def test_the_captain_answers_a_members_request(
    db: Database, open_app: Callable[..., AppTest], edition: EditionView
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Les Colibris")
    asker = make_member(db, "mesange@exemple.fr", name="Les Mésanges")
    team = membership.create_team(db, captain.household_id, "Rue des Lilas")
    membership.join_team(db, asker.household_id, team.invite_code)
    save_service_plan(db, asker.household_id, {"whatsapp": ["signal"]})
    request_id = requests.ask_help(db, asker.household_id, "whatsapp", "Mon grand-père")
    at = open_app(captain, TEAM)
    assert "Mon grand-père" in texts(at)
    at.text_area(key=f"team_help_reply_{request_id}").set_value("Samedi à 10 h")
    at.checkbox(key=f"team_help_helped_{request_id}").check()
    at.button(key=f"team_help_send_{request_id}").click().run()
    assert not at.exception
    with db.read() as session:
        request = session.get_one(HelpRequest, request_id)
    assert request.reply == "Samedi à 10 h"
    assert request.helped_at is not None
    assert "Samedi à 10 h" in texts(open_app(asker, SERVICES))
    assert "Mon grand-père" not in texts(open_app(asker, TEAM))  # members do not see the tools


def test_the_console_lists_sessions_and_requests_of_households_without_a_team(
    db: Database, open_app: Callable[..., AppTest], member: Member
) -> None:
    orga = make_member(db, "orga@exemple.fr", AMIENS, "Orga")
    _organiser(db, orga)
    _session(db, orga, "59350", "Installer Signal")
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"]})
    requests.ask_help(db, member.household_id, "whatsapp", "Seul dans mon coin")
    page = texts(open_app(orga, CONSOLE))
    assert "Installer Signal" in page
    assert "Seul dans mon coin" in page
    with db.read() as session:
        assert session.scalar(select(HelpRequest.reply)) is None


def test_the_council_reads_who_asked_and_was_helped_under_secrecy(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    populate(db, edition, {LILLE_CODE: 30})
    with db.write() as session:
        households = session.scalars(select(Household.id).where(Household.commune_code == LILLE_CODE)).all()
        now = datetime.now(UTC)
        for number, household_id in enumerate(households[:14]):
            helped = now if number < 4 else None  # 4 helped: under the threshold of 11, secret
            session.add(HelpRequest(edition_id=edition.id, household_id=household_id, service_slug="gmail",
                                    message="", created_at=now, helped_at=helped))  # fmt: skip
        figures_changed(session, [edition.id])
    page = texts(open_app(_agent(db, "epci", "200093201"))).replace("\u202f", " ")
    assert "Foyers ayant demandé de l'aide : **14**" in page
    assert f"Foyers aidés : **{SECRET_LABEL}**" in page


def test_a_captain_publishes_a_session_and_a_missing_date_is_said_in_french(
    db: Database, open_app: Callable[..., AppTest], edition: EditionView
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Les Colibris")
    membership.create_team(db, captain.household_id, "Rue des Lilas")
    at = open_app(captain, TEAM)
    at.selectbox(key="team_help_session_territory").set_value(("commune", "59350"))
    at.text_input(key="team_help_session_place").set_value("Médiathèque")
    at.text_input(key="team_help_session_topic").set_value("Installer Signal")
    at.multiselect(key="team_help_session_services").set_value(["whatsapp"])
    at.button(key="team_help_session_submit").click().run()
    assert "Indiquez la date et l'heure du rendez-vous." in [e.value for e in at.error]
    soon = datetime.now(UTC) + timedelta(days=3)
    at.date_input(key="team_help_session_day").set_value(soon.date())
    at.time_input(key="team_help_session_hour").set_value(time(18, 30))
    at.button(key="team_help_session_submit").click().run()
    assert not at.error
    with db.read() as session:
        [card] = sessions.sessions_near(session, captain.household_id, datetime.now(UTC))
    assert (card.topic, card.territory, card.services) == ("Installer Signal", "Lille", ("whatsapp",))


def test_a_household_without_a_team_shares_its_request_and_a_captain_nearby_answers_it(
    db: Database, open_app: Callable[..., AppTest], edition: EditionView
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Les Colibris")
    membership.create_team(db, captain.household_id, "Rue des Lilas")
    asker = make_member(db, "mesange@exemple.fr", ROUBAIX, "Les Mésanges")
    save_service_plan(db, asker.household_id, {"whatsapp": ["signal"]})
    at = open_app(asker, SERVICES)
    at.text_area(key="help_message_whatsapp").set_value("**Mon grand-père**")
    at.checkbox(key="help_share_whatsapp").check()
    at.button(key="help_ask_submit_whatsapp").click().run()
    assert not at.exception
    with db.read() as session:
        request = session.scalars(select(HelpRequest)).one()
    assert request.shared
    at = open_app(captain, TEAM)
    assert "Entraide sur votre territoire" in texts(at)
    assert "**Les Mésanges** · Roubaix · WhatsApp" in [m.value for m in at.markdown]
    assert "\\*\\*Mon grand\\-père\\*\\*" in [m.value for m in at.markdown]  # plain text, no bold
    at.text_area(key=f"team_nearby_help_reply_{request.id}").set_value("Je passe samedi")
    at.checkbox(key=f"team_nearby_help_helped_{request.id}").check()
    at.button(key=f"team_nearby_help_send_{request.id}").click().run()
    assert not at.exception
    mine = open_app(asker, SERVICES)
    assert "**Réponse d'un·e capitaine de votre territoire** : Je passe samedi" in [
        m.value for m in mine.markdown
    ]
    mine.toggle(key="help_shared_whatsapp").set_value(False).run()  # changed later: hidden again
    assert "Roubaix" not in texts(open_app(captain, TEAM))


def test_a_members_request_form_does_not_offer_to_share(
    db: Database, open_app: Callable[..., AppTest], edition: EditionView
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Les Colibris")
    membership.create_team(db, captain.household_id, "Rue des Lilas")
    save_service_plan(db, captain.household_id, {"whatsapp": ["signal"]})
    at = open_app(captain, SERVICES)
    assert not [c for c in at.checkbox if c.key == "help_share_whatsapp"]
