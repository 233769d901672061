"""The household's pages, driven through their widgets as a person would."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from challenge.accounts import credentials, sessions
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan, service_plan
from challenge.infra.db import Database
from challenge.models import Checkin, Household
from tests.conftest import PASSWORD, Member
from tests.pages.conftest import texts


@pytest.fixture
def newcomer(db: Database, edition: EditionView) -> Member:
    """An account that has not described its household yet."""
    from datetime import timedelta

    account = credentials.sign_up(db, "nouveau@exemple.fr", PASSWORD)
    token = sessions.open_session(db, account.id, timedelta(days=1))
    return Member(account.id, 0, account.email, sessions.hash_token(token))


def test_new_account_lands_on_onboarding_and_joins(
    open_app: Callable[..., AppTest], db: Database, newcomer: Member
) -> None:
    at = open_app(newcomer)
    assert "Bienvenue dans le défi !" in texts(at)
    at.text_input(key="onboarding_commune_query").set_value("lille").run()
    at.text_input(key="onboarding_name").set_value("Les <b>Hérissons</b>")
    at.selectbox(key="onboarding_size").set_value(4)
    at.checkbox(key="onboarding_consent").check()
    at.button[0].click().run()
    assert not at.exception
    with db.read() as session:
        household = session.scalar(select(Household).where(Household.account_id == newcomer.account_id))
    assert household is not None
    assert household.name == "Les <b>Hérissons</b>"
    assert household.size == 4
    # AppTest 1.67 only re-runs the page script after the first run, not the navigation of
    # streamlit_app.py; a fresh run shows what the browser gets after st.rerun().
    assert "Mon défi" in texts(open_app(newcomer))


def test_onboarding_without_consent_shows_french_error_and_writes_nothing(
    open_app: Callable[..., AppTest], db: Database, newcomer: Member
) -> None:
    at = open_app(newcomer)
    at.text_input(key="onboarding_commune_query").set_value("lille").run()
    at.text_input(key="onboarding_name").set_value("Colibris")
    at.button[0].click().run()
    assert "acceptez le règlement" in " ".join(e.value for e in at.error)
    with db.read() as session:
        assert session.scalar(select(Household.id)) is None


def test_services_page_saves_the_plan(open_app: Callable[..., AppTest], db: Database, member: Member) -> None:
    at = open_app(member, "pages/services.py")
    assert "Lille" in texts(at)
    at.multiselect(key="services_selected").set_value(["gmail", "uber-eats"]).run()
    at.multiselect(key="services_alternatives_gmail").set_value(["proton-mail"])
    at.multiselect(key="services_alternatives_uber-eats").set_value(["lille-bike"])
    at.button(key="services_save").click().run()
    assert not at.exception
    with db.read() as session:
        assert service_plan(session, member.household_id) == {
            "gmail": ["proton-mail"],
            "uber-eats": ["lille-bike"],
        }
    assert "C'est noté" in at.session_state["_flash"]  # shown by the frame on the next run


def test_checkin_page_records_the_week(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "blablacar": ["mobicoop"]})
    at = open_app(member, "pages/checkin.py")
    assert "Semaine 3 (cette semaine" in " ".join(str(o) for o in at.radio(key="checkin_week").options)
    at.radio(key="checkin_status_gmail_3").set_value("switched")
    at.radio(key="checkin_status_blablacar_3").set_value("mostly").run()
    at.text_input(key="checkin_km_blablacar_3").set_value("120,5")
    at.button(key="checkin_submit_3").click().run()
    assert not at.exception
    with db.read() as session:
        rows = {(c.service_slug, c.status, c.km) for c in session.scalars(select(Checkin))}
    assert rows == {("gmail", "switched", None), ("blablacar", "mostly", 120.5)}
    assert "Bilan de la semaine 3 enregistré" in texts(at)  # st.switch_page runs the frame again


def test_checkin_asks_which_alternative_only_when_several_were_chosen(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["jami", "signal"]})
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    at.radio(key="checkin_status_gmail_3").set_value("switched").run()
    at.radio(key="checkin_status_whatsapp_3").set_value("still").run()
    assert [r.key for r in at.radio if r.key.startswith("checkin_alternative_")] == []
    at.radio(key="checkin_status_whatsapp_3").set_value("switched").run()
    assert [r.key for r in at.radio if r.key.startswith("checkin_alternative_")] == [
        "checkin_alternative_whatsapp_3"
    ]
    at.radio(key="checkin_alternative_whatsapp_3").set_value("signal")
    at.button(key="checkin_submit_3").click().run()
    with db.read() as session:
        rows = {(c.service_slug, c.alternative_slug) for c in session.scalars(select(Checkin))}
    assert rows == {("gmail", "proton-mail"), ("whatsapp", "signal")}


def test_checkin_page_prefills_this_weeks_answers(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    record_checkin(db, member.household_id, 3, [CheckinEntry("gmail", "tried")], today)
    at = open_app(member, "pages/checkin.py")
    assert at.radio(key="checkin_status_gmail_3").value == "tried"


def test_checkin_without_services_points_to_my_services(
    open_app: Callable[..., AppTest], member: Member
) -> None:
    at = open_app(member, "pages/checkin.py")
    assert "Déclarez d'abord" in texts(at)


def test_progress_page_shows_score_streak_and_chart(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    record_checkin(db, member.household_id, 2, [CheckinEntry("gmail", "switched")], today)
    at = open_app(member)
    page = texts(at)
    assert "Mon défi" in page
    assert "Score 50 %" in page.replace("\u202f", " ").replace("\xa0", " ")
    assert "Remplacés 1 / 2" in page
    assert "Série 1 sem." in page
    assert "Le bilan de la semaine 3 vous attend" in page
    assert len(at.get("vega_lite_chart")) == 2  # score by week, switches by category
    assert "votre score est passé de" in page


def test_account_page_logs_out_everywhere(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/account.py")
    assert member.email in texts(at)
    at.button(key="account_logout_everywhere").click().run()
    assert "1 session fermée : celle-ci." in texts(at)
    assert sessions.identify(db, member.session_hash) is None


def test_household_name_is_escaped_everywhere(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    from tests.conftest import make_member

    hostile = make_member(db, "hostile@exemple.fr", name="![x](https://tracker.example/p.png)")
    at = open_app(hostile, "pages/account.py")
    rendered = [m.value for m in at.markdown]
    assert not any("](https://tracker.example" in value for value in rendered)


def test_checkin_same_as_last_time_is_one_tap(
    open_app: Callable[..., AppTest], db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    record_checkin(
        db,
        member.household_id,
        2,
        [CheckinEntry("gmail", "switched"), CheckinEntry("whatsapp", "tried")],
        today,
    )
    at = open_app(member, "pages/checkin.py")
    at.radio(key="checkin_week").set_value(3).run()
    at.button(key="checkin_same_3").click().run()
    with db.read() as session:
        rows = {(c.week, c.service_slug, c.status) for c in session.scalars(select(Checkin))}
    assert {(3, "gmail", "switched"), (3, "whatsapp", "tried")} <= rows


def test_household_cannot_open_onboarding_again(open_app: Callable[..., AppTest], member: Member) -> None:
    at = open_app(member)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/onboarding.py").run()


@pytest.mark.parametrize("page", ["pages/checkin.py", "pages/services.py", "pages/progress.py"])
def test_account_without_household_is_sent_to_onboarding(
    open_app: Callable[..., AppTest], newcomer: Member, page: str
) -> None:
    at = open_app(newcomer)
    assert "Bienvenue dans le défi !" in texts(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page).run()


def test_onboarding_finds_a_commune_typed_without_accents_best_match_first(
    open_app: Callable[..., AppTest], db: Database, newcomer: Member
) -> None:
    at = open_app(newcomer)
    at.text_input(key="onboarding_commune_query").set_value("henin beaumont").run()
    commune = at.radio(key="onboarding_commune")
    assert commune.value == "62427"
    assert commune.options[0] == "Hénin-Beaumont (62110)"
    at.text_input(key="onboarding_name").set_value("Les Terrils")
    at.checkbox(key="onboarding_consent").check()
    at.button[0].click().run()
    assert not at.exception
    with db.read() as session:
        assert session.scalar(select(Household.commune_code)) == "62427"


def test_onboarding_says_in_french_when_no_commune_matches(
    open_app: Callable[..., AppTest], newcomer: Member
) -> None:
    at = open_app(newcomer)
    at.text_input(key="onboarding_commune_query").set_value("Bordeaux").run()
    assert "Aucune commune des Hauts-de-France ne correspond à « Bordeaux »" in texts(at)
    assert not at.radio


def test_the_next_step_is_one_primary_button_on_each_household_page(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member)  # no service declared yet
    assert "Déclarer mes services" in [str(link.proto.label) for link in at.get("page_link")]
    at = open_app(member, "pages/checkin.py")
    assert [str(link.proto.label) for link in at.get("page_link")][-1] == "Déclarer mes services"
    at = open_app(member, "pages/services.py")
    at.multiselect(key="services_selected").set_value(["gmail"]).run()
    at.multiselect(key="services_alternatives_gmail").set_value(["proton-mail"])
    at.button(key="services_save").click().run()
    labels = [str(link.proto.label) for link in at.get("page_link")]
    assert "Faire mon bilan de la semaine" in labels  # after saving, the check-in is one tap away
    at = open_app(member)
    assert "Faire mon bilan" in [str(link.proto.label) for link in at.get("page_link")]


def test_services_page_shows_why_effort_cost_local_badge_and_site_of_each_alternative(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/services.py")
    at.multiselect(key="services_selected").set_value(["uber-eats", "instagram"]).run()
    page = texts(at)
    assert "**Lille\\.Bike** :green-badge[Local]" in " ".join(m.value for m in at.markdown)
    assert "Coopérative · effort " in page
    assert "[Visiter le site](https://" in page
    assert "Une seule alternative au catalogue pour ce service" in page  # Instagram: a word on why
    assert [e.label for e in at.expander if "Comparer" in e.label] == []  # nothing folded away


def test_a_single_choice_says_why() -> None:
    from ui.household_catalogue import only_one_reason

    assert only_one_reason(3, "Hénin-Beaumont") == (
        "Une seule alternative à Hénin\\-Beaumont : les 2 autres du catalogue n'y sont pas disponibles."
    )
    assert "l'autre du catalogue n'y est pas" in only_one_reason(2, "Lens")
