"""The collective's page and the leaderboard, driven through their widgets as a person would.

AppTest 1.67 re-runs only the page script after the first run, not streamlit_app.py: after an
action that ends with st.rerun(), a fresh `open_app` shows what the browser gets next.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from challenge.accounts import credentials, sessions
from challenge.editions.calendar import EditionView
from challenge.infra.db import Database
from challenge.teams import captains, membership
from challenge.teams.members import TeamSummary
from tests.conftest import PASSWORD, Member, make_member
from tests.integration.team_helpers import check_in, enrolment, household, plan, state_of
from tests.pages.conftest import SCRIPT, TIMEOUT, texts

TEAM_PAGE, LEADERBOARD = "pages/team.py", "pages/teams.py"


@pytest.fixture
def captain(db: Database, edition: EditionView) -> Member:
    return make_member(db, "capitaine@exemple.fr", name="Les Colibris")


@pytest.fixture
def team(db: Database, captain: Member) -> TeamSummary:
    return membership.create_team(db, captain.household_id, "Rue des Lilas", "Les voisins de la rue")


@pytest.fixture
def teammate(db: Database, team: TeamSummary) -> Member:
    member = make_member(db, "mesange@exemple.fr", name="Les Mésanges")
    membership.join_team(db, member.household_id, team.invite_code)
    return member


@pytest.fixture
def loner(db: Database, edition: EditionView) -> Member:
    """A household in no collective."""
    return make_member(db, "heron@exemple.fr", name="Les Hérons")


def _flash(at: AppTest) -> str:
    """The success message of the last action, whether still pending or already shown by the frame."""
    pending = str(at.session_state["_flash"]) if "_flash" in at.session_state else ""
    return pending + " ".join(s.value for s in at.success)


# --- a household without a collective --------------------------------------------------------


def test_without_a_team_the_page_offers_to_join_or_create_and_says_what_is_shared(
    open_app: Callable[..., AppTest], loner: Member
) -> None:
    at = open_app(loner, TEAM_PAGE)
    page = texts(at)
    assert "Rejoindre un collectif" in page
    assert "Créer un collectif" in page
    assert "si vous avez fait votre bilan de la semaine" in page  # said before joining
    assert [o for o in at.radio(key="team_create_level").options] == [
        "Commune : Lille",
        "Intercommunalité : Métropole Européenne de Lille",
        "Département : Nord (59)",
    ]


def test_a_household_creates_a_team_and_becomes_its_captain(
    open_app: Callable[..., AppTest], db: Database, loner: Member
) -> None:
    at = open_app(loner, TEAM_PAGE)
    at.text_input(key="team_create_name").set_value("Quartier Gare")
    at.radio(key="team_create_level").set_value("epci")
    at.button(key="team_create").click().run()
    assert not at.exception
    assert "Votre collectif est créé" in _flash(at)
    after = open_app(loner, TEAM_PAGE)
    page = texts(after)
    assert "Quartier Gare" in page
    assert "Outils du capitaine" in page
    code = state_of(db, enrolment(db, loner.household_id).team_id or 0).invite[0]
    assert code in [c.value for c in after.code]


def test_creating_with_an_empty_name_shows_a_french_error(
    open_app: Callable[..., AppTest], db: Database, loner: Member
) -> None:
    at = open_app(loner, TEAM_PAGE)
    at.button(key="team_create").click().run()
    assert "Donnez un nom à votre collectif." in [e.value for e in at.error]
    assert enrolment(db, loner.household_id).team_id is None


def test_a_household_joins_with_the_code(
    open_app: Callable[..., AppTest], db: Database, loner: Member, team: TeamSummary
) -> None:
    at = open_app(loner, TEAM_PAGE)
    at.text_input(key="team_join_code").set_value(team.invite_code.lower())
    at.button(key="team_join").click().run()
    assert "Bienvenue dans le collectif" in _flash(at)
    assert enrolment(db, loner.household_id).team_id == team.id
    assert "Les Hérons — vous : ⏳ pas encore" in texts(open_app(loner, TEAM_PAGE))


def test_a_revoked_code_is_refused_with_a_french_message(
    open_app: Callable[..., AppTest], db: Database, loner: Member, captain: Member, team: TeamSummary
) -> None:
    captains.revoke_invite(db, captain.household_id, team.id)
    at = open_app(loner, TEAM_PAGE)
    at.text_input(key="team_join_code").set_value(team.invite_code)
    at.button(key="team_join").click().run()
    assert any("Code d'invitation inconnu ou expiré" in e.value for e in at.error)
    assert enrolment(db, loner.household_id).team_id is None


# --- a member ----------------------------------------------------------------------------------


def test_a_member_sees_the_team_but_not_the_captains_tools(
    open_app: Callable[..., AppTest],
    db: Database,
    captain: Member,
    teammate: Member,
    team: TeamSummary,
    today: date,
) -> None:
    plan(db, captain.household_id, {"gmail": ["proton-mail"]})
    check_in(db, captain.household_id, 3, today, gmail="switched")
    at = open_app(teammate, TEAM_PAGE)
    page = texts(at).replace("\u202f", " ").replace("\xa0", " ")
    assert "Rue des Lilas" in page
    assert "Les Colibris (capitaine) : ✅ bilan fait" in page
    assert "Les Mésanges — vous : ⏳ pas encore" in page
    assert "Score moyen 50 %" in page
    assert "Bilans 1 / 2" in page
    assert "Outils du capitaine" not in page
    assert team.invite_code not in [c.value for c in at.code]
    assert len(at.get("vega_lite_chart")) == 2  # score by week, switches by category
    assert "le score moyen des membres actuels est passé de" in page


def test_a_member_leaves_the_team(
    open_app: Callable[..., AppTest], db: Database, teammate: Member, team: TeamSummary
) -> None:
    at = open_app(teammate, TEAM_PAGE)
    assert at.button(key="team_leave").disabled
    at.checkbox(key="team_leave_confirm").check().run()
    at.button(key="team_leave").click().run()
    assert "Vous avez quitté le collectif" in _flash(at)
    assert enrolment(db, teammate.household_id).team_id is None


def test_the_last_captain_cannot_leave_and_is_told_why(
    open_app: Callable[..., AppTest], db: Database, captain: Member, teammate: Member, team: TeamSummary
) -> None:
    at = open_app(captain, TEAM_PAGE)
    at.checkbox(key="team_leave_confirm").check().run()
    at.button(key="team_leave").click().run()
    assert any("seul capitaine" in e.value for e in at.error)
    assert enrolment(db, captain.household_id).team_id == team.id


def test_team_and_household_names_are_escaped(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    hostile = make_member(db, "hostile@exemple.fr", name="![x](https://tracker.example/p.png)")
    membership.create_team(db, hostile.household_id, "[clic](https://tracker.example)", "<b>gras</b>")
    at = open_app(hostile, TEAM_PAGE)
    rendered = [m.value for m in [*at.markdown, *at.header, *at.subheader]]
    assert not any("](https://tracker.example" in value for value in rendered)
    assert not any("<b>" in value for value in rendered)


# --- a captain ---------------------------------------------------------------------------------


def test_the_captain_sees_who_is_missing_and_a_reminder_to_copy(
    open_app: Callable[..., AppTest], captain: Member, teammate: Member, team: TeamSummary
) -> None:
    at = open_app(captain, TEAM_PAGE)
    page = texts(at)
    assert "Outils du capitaine" in page
    assert "- Les Mésanges" in page
    codes = [c.value for c in at.code]
    assert team.invite_code in codes
    reminder = next(c for c in codes if c.startswith("Bonjour"))
    assert "« Rue des Lilas »" in reminder
    assert "Les Mésanges" not in reminder


def test_the_captain_revokes_then_regenerates_the_code(
    open_app: Callable[..., AppTest], db: Database, captain: Member, team: TeamSummary
) -> None:
    at = open_app(captain, TEAM_PAGE)
    assert texts(at).index("Outils du capitaine") < texts(at).index("Objectifs communs")  # tools first
    at.button(key="team_invite_revoke").click().run()
    assert "Désactiver le code ?" in texts(at)  # asked first: nothing done yet
    assert state_of(db, team.id).invite == (team.invite_code, True)
    at.button(key="team_invite_revoke_cancel").click().run()
    assert state_of(db, team.id).invite == (team.invite_code, True)
    at.button(key="team_invite_revoke").click().run()
    at.button(key="team_invite_revoke_confirm").click().run()
    assert state_of(db, team.id).invite == (team.invite_code, False)
    at = open_app(captain, TEAM_PAGE)
    assert "Le code est désactivé" in texts(at)
    at.button(key="team_invite_regenerate").click().run()
    assert state_of(db, team.id).invite == (team.invite_code, False)
    at.button(key="team_invite_regenerate_confirm").click().run()
    code, active = state_of(db, team.id).invite
    assert active
    assert code != team.invite_code


def test_the_captain_sets_a_shared_goal(
    open_app: Callable[..., AppTest], db: Database, captain: Member, teammate: Member, team: TeamSummary
) -> None:
    plan(db, teammate.household_id, {"whatsapp": ["signal"]})
    at = open_app(captain, TEAM_PAGE)
    at.selectbox(key="team_goal_service").set_value("whatsapp").run()
    at.selectbox(key="team_goal_alternative").set_value("signal").run()
    at.button(key="team_goal_save").click().run()
    assert state_of(db, team.id).goals == {("whatsapp", "signal")}
    page = texts(open_app(teammate, TEAM_PAGE))
    assert "Quitter WhatsApp → Signal" in page
    assert "Déjà sur Signal" not in page  # choosing Signal is not using it
    assert [p.text for p in open_app(teammate, TEAM_PAGE).progress] == [
        "0 membre sur 1 qui l'utilisaient est passé à autre chose ; "
        "0 membre utilise Signal (d'après les bilans)."
    ]
    check_in(db, teammate.household_id, 3, date.today(), whatsapp="switched")
    at = open_app(captain, TEAM_PAGE)
    assert [p.text for p in at.progress] == [
        "1 membre sur 1 qui l'utilisaient est passé à autre chose ; "
        "1 membre utilise Signal (d'après les bilans)."
    ]
    assert "Déjà sur Signal : Les Mésanges" in texts(at)


def test_a_member_pledges_and_sees_how_many_more_are_needed(
    open_app: Callable[..., AppTest], db: Database, captain: Member, teammate: Member, team: TeamSummary
) -> None:
    captains.set_goal(db, captain.household_id, team.id, "whatsapp", "signal")
    at = open_app(teammate, TEAM_PAGE)
    at.number_input(key="team_pledge_threshold").set_value(1)
    at.button(key="team_pledge_save").click().run()
    page = texts(open_app(captain, TEAM_PAGE))
    assert (
        "Les Mésanges : de WhatsApp à Signal quand 1 autre membre y sera (encore 1 membre à convaincre)"
        in page
    )
    plan(db, captain.household_id, {"whatsapp": ["signal"]})
    check_in(db, captain.household_id, 3, date.today(), whatsapp="switched")
    at = open_app(teammate, TEAM_PAGE)
    assert any("Votre engagement est déclenché" in s.value for s in at.success)
    at.button(key=at.button[[b.label for b in at.button].index("C'est noté")].key).click().run()
    assert not any("Votre engagement est déclenché" in s.value for s in open_app(teammate, TEAM_PAGE).success)


def test_the_captain_removes_a_member_after_confirming(
    open_app: Callable[..., AppTest], db: Database, captain: Member, teammate: Member, team: TeamSummary
) -> None:
    at = open_app(captain, TEAM_PAGE)
    assert at.button(key="team_member_remove").disabled
    at.selectbox(key="team_member_pick").set_value(teammate.household_id)
    at.checkbox(key="team_member_confirm").check().run()
    at.button(key="team_member_remove").click().run()
    assert "Membre retiré" in _flash(at)
    assert state_of(db, team.id).members == {captain.household_id}


def test_the_captain_hands_the_role_over(
    open_app: Callable[..., AppTest], db: Database, captain: Member, teammate: Member, team: TeamSummary
) -> None:
    at = open_app(captain, TEAM_PAGE)
    at.checkbox(key="team_member_confirm").check().run()
    at.button(key="team_member_handover").click().run()
    assert state_of(db, team.id).captains == {teammate.account_id}
    assert "Outils du capitaine" not in texts(open_app(captain, TEAM_PAGE))
    assert "Outils du capitaine" in texts(open_app(teammate, TEAM_PAGE))


# --- the leaderboard ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["captain", "teammate", "loner"])
def test_the_leaderboard_explains_its_rule_and_flags_small_teams(
    open_app: Callable[..., AppTest], request: pytest.FixtureRequest, team: TeamSummary, who: str
) -> None:
    viewer: Member = request.getfixturevalue(who)
    at = open_app(viewer, LEADERBOARD)
    page = texts(at)
    assert "Classement des collectifs" in page
    assert "classés par **services remplacés par foyer**" in page
    assert "Trop petits pour être classés (1)" in [e.label for e in at.expander]
    assert "Rue des Lilas" in page
    assert ("votre collectif" in page) is (who != "loner")
    members = 2 if who == "teammate" else 1  # the teammate fixture joins the captain's team
    joined = f"Votre collectif « Rue des Lilas » entrera au classement à 3 foyers (il en compte {members})."
    assert (joined in page) is (who != "loner")
    assert "Les Colibris" not in page  # no member names on the leaderboard


def test_a_team_of_three_is_ranked_with_its_figures(
    open_app: Callable[..., AppTest], db: Database, captain: Member, teammate: Member, team: TeamSummary
) -> None:
    membership.join_team(db, household(db, "Les Hérissons"), team.invite_code)
    at = open_app(teammate, LEADERBOARD)
    page = texts(at).replace("\u202f", " ").replace("\xa0", " ")
    assert "**1. Rue des Lilas** · **votre collectif**" in page
    assert "Votre collectif « Rue des Lilas » : rang 1 sur 1." in page
    assert "Lille · 3 foyers · 0 services remplacés par foyer · bilans de la semaine 0 %" in page
    assert "Trop petits" not in " ".join(e.label for e in at.expander)


def test_the_leaderboard_filters_by_territory(
    open_app: Callable[..., AppTest], db: Database, team: TeamSummary, loner: Member
) -> None:
    arras = make_member(db, "arras@exemple.fr", commune="62041", name="Les Beffrois")
    membership.create_team(db, arras.household_id, "Beffroi", territory_level="departement")
    at = open_app(loner, LEADERBOARD)
    options = at.selectbox(key="teams_area").options
    assert options[:3] == ["Tous les collectifs de l'édition", "Nord (59)", "Pas-de-Calais (62)"]
    assert "Rue des Lilas" in texts(at)
    at.selectbox(key="teams_area").set_value(("departement", "62")).run()
    page = texts(at)
    assert "Beffroi" in page
    assert "Rue des Lilas" not in page


def test_a_long_list_of_small_teams_is_cut_but_keeps_yours(
    open_app: Callable[..., AppTest], db: Database, loner: Member
) -> None:
    for n in range(52):
        membership.create_team(db, household(db, f"Foyer {n:02d}"), f"Collectif {n:02d}")
    membership.create_team(db, loner.household_id, "Zz dernier de la liste")
    at = open_app(loner, LEADERBOARD)
    page = texts(at)
    assert "Trop petits pour être classés (53)" in [e.label for e in at.expander]
    assert "Collectif 49" in page  # the first 50, by name
    assert "Collectif 50" not in page
    assert "Zz dernier de la liste · **votre collectif**" in page  # yours, beyond the cut
    assert "… et 2 autres petits collectifs." in page


# --- navigation and refusals -------------------------------------------------------------------


def test_collectif_is_in_the_households_navigation_bar(
    open_app: Callable[..., AppTest], loner: Member
) -> None:
    at = open_app(loner)
    labels = [link.label for link in at.get("page_link")]
    assert "Collectif" in labels
    assert "Classement" not in labels  # linked from the collective's page, keeping the bar short


@pytest.mark.parametrize("page", [TEAM_PAGE, LEADERBOARD])
def test_team_pages_are_refused_to_visitors_and_to_accounts_without_household(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, page: str
) -> None:
    visitor = AppTest.from_file(SCRIPT, default_timeout=30)
    visitor.user = {}
    visitor.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        visitor.switch_page(page).run()
    account = credentials.sign_up(db, "nouveau@exemple.fr", PASSWORD)
    token = sessions.open_session(db, account.id, timedelta(days=1))
    newcomer = Member(account.id, 0, account.email, sessions.hash_token(token))
    at = open_app(newcomer)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page).run()


def test_an_invitation_link_fills_the_code_in(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=TIMEOUT)
    at.user = {"session": member.session_hash}
    at.query_params["code"] = "k7m2qx"
    at.run()
    at.switch_page(TEAM_PAGE).run()
    assert at.text_input(key="team_join_code").value == "K7M2QX"


def test_a_household_without_code_asks_a_collective_near_it_and_the_captain_accepts(
    open_app: Callable[..., AppTest], db: Database, captain: Member, team: TeamSummary, loner: Member
) -> None:
    at = open_app(loner, TEAM_PAGE)
    assert "Collectifs près de chez vous" in texts(at)
    assert "**Rue des Lilas** · 1 foyer" in " ".join(m.value for m in at.markdown)
    at.button(key=f"team_ask_{team.id}").click().run()
    assert "Demande envoyée" in _flash(at) + texts(open_app(loner, TEAM_PAGE))
    at = open_app(captain, TEAM_PAGE)
    assert "Demandes pour rejoindre" in texts(at)
    at.button(key=f"team_request_accept_{loner.household_id}").click().run()
    assert enrolment(db, loner.household_id).team_id == team.id
    assert "Demandes pour rejoindre" not in texts(open_app(captain, TEAM_PAGE))


def test_the_captain_turns_the_weekly_digest_on_and_off_from_the_team_page(
    open_app: Callable[..., AppTest], db: Database, captain: Member, team: TeamSummary
) -> None:
    at = open_app(captain, TEAM_PAGE)
    digest = at.toggle(key="team_digest")
    assert digest.value is False  # opted into, never assumed
    # Among the captain's tools at the top of the page, before who has not checked in yet.
    headers = [h.value for h in at.header]
    assert headers.index("Outils du capitaine") < headers.index("Qui n'a pas encore fait son bilan ?")
    digest.set_value(True).run(timeout=TIMEOUT)
    assert "Résumé hebdomadaire activé." in _flash(at)
    assert _digest_of(db, captain) is True
    at = open_app(captain, TEAM_PAGE)
    assert at.toggle(key="team_digest").value is True
    at.toggle(key="team_digest").set_value(False).run(timeout=TIMEOUT)
    assert "Résumé hebdomadaire désactivé." in _flash(at)
    assert _digest_of(db, captain) is False


def test_a_member_has_no_digest_toggle(
    open_app: Callable[..., AppTest], teammate: Member, team: TeamSummary
) -> None:
    at = open_app(teammate, TEAM_PAGE)
    assert not [t for t in at.toggle if t.key == "team_digest"]


def _digest_of(db: Database, member: Member) -> bool:
    from challenge.mail.notifications import preferences_of

    with db.read() as session:
        return preferences_of(session, member.account_id).captain_digest
