"""The console's catalogue pages and the households' suggestion form, driven through their widgets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from challenge.accounts import sessions
from challenge.curation import suggestions
from challenge.curation.lifecycle import set_retired
from challenge.editions.calendar import EditionView
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Alternative, BigTechService, Suggestion
from tests.conftest import AMIENS, Member, make_member
from tests.pages.conftest import texts
from tests.support.catalogue import organiser_identity, pristine_catalogue  # noqa: F401 - fixture
from ui.catalogue_console import SUGGESTION_KEY

pytestmark = pytest.mark.usefixtures("pristine_catalogue")
MEL = "200093201"


@pytest.fixture
def organiser(db: Database, edition: EditionView) -> Member:
    member = make_member(db, "orga@exemple.fr", name="Foyer de l'organisatrice")
    sessions.grant_role(db, member.account_id, "organiser")
    return member


def _alternative_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Alternative)) or 0


def _fill_alternative(at: AppTest, url: str) -> None:
    at.text_input(key="console_alternative_name").set_value("Vélo Coop Lille")
    at.text_input(key="console_alternative_slug").set_value("velo-coop-lille")
    at.text_input(key="console_alternative_url").set_value(url)
    at.text_area(key="console_alternative_description").set_value("Vélos partagés en coopérative.")
    at.selectbox(key="console_alternative_kind").set_value("cooperative")
    at.multiselect(key="console_alternative_replaces").set_value(["uber"])
    at.multiselect(key="console_alternative_territories").set_value([f"epci:{MEL}"])
    at.text_area(key="console_alternative_sources").set_value("https://velo.exemple.fr/statuts Statuts")


def test_an_organiser_creates_an_alternative_of_one_epci(
    open_app: Callable[..., AppTest], db: Database, organiser: Member
) -> None:
    at = open_app(organiser, "pages/console_alternative.py")
    _fill_alternative(at, "https://velo.exemple.fr")
    at.button(key="console_alternative_save").click().run()
    assert not at.exception
    with db.read() as session:
        created = session.get_one(Alternative, "velo-coop-lille")
    assert (created.name, created.is_national) == ("Vélo Coop Lille", False)


def test_a_bad_url_shows_an_error_and_writes_nothing(
    open_app: Callable[..., AppTest], db: Database, organiser: Member
) -> None:
    before = _alternative_count(db)
    at = open_app(organiser, "pages/console_alternative.py")
    _fill_alternative(at, "velo.exemple.fr")
    at.button(key="console_alternative_save").click().run()
    assert "adresse web commençant par https://" in " ".join(e.value for e in at.error)
    assert _alternative_count(db) == before


def test_the_console_lists_stale_alternatives_and_marks_them_checked(
    open_app: Callable[..., AppTest], db: Database, organiser: Member
) -> None:
    with db.write() as session:
        session.get_one(Alternative, "tuta").last_checked = date(2020, 1, 1)
    at = open_app(organiser, "pages/console_catalogue.py")
    assert "**Tuta** · 01/01/2020" in texts(at)
    at.button(key="console_catalogue_check_tuta").click().run()
    assert not at.exception
    with db.read() as session:
        assert session.get_one(Alternative, "tuta").last_checked == date.today()


def test_the_retire_button_retires_and_the_household_is_told(
    open_app: Callable[..., AppTest], db: Database, organiser: Member, member: Member
) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["tuta"]})
    at = open_app(organiser, "pages/console_catalogue.py")
    at.button(key="console_catalogue_retire_tuta").click().run()
    with db.read() as session:
        assert session.get_one(Alternative, "tuta").retired_at is not None
    household = open_app(member, "pages/services.py")
    assert "**Tuta** (pour Gmail) n'est plus proposée" in texts(household)


def test_the_import_page_offers_the_catalogue_files(
    open_app: Callable[..., AppTest], organiser: Member
) -> None:
    at = open_app(organiser, "pages/console_catalogue_file.py")
    assert not at.exception
    assert "Import et export du catalogue" in texts(at)


def test_a_household_suggests_an_alternative_once(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/services.py")
    at.text_input(key="suggestion_name").set_value("La Coop du Coin")
    at.text_input(key="suggestion_url").set_value("https://coop-du-coin.exemple.fr")
    at.selectbox(key="suggestion_service").set_value("amazon")
    at.selectbox(key="suggestion_territory").set_value(("epci", MEL))
    at.text_area(key="suggestion_reason").set_value("Livraison locale en coopérative.")
    at.button(key="suggestion_send").click().run()
    at.button(key="suggestion_send").click().run()  # a double tap
    assert not at.exception
    with db.read() as session:
        assert session.scalar(select(func.count(Suggestion.id))) == 1


@pytest.fixture
def suggestion_id(db: Database, member: Member) -> int:
    """A household's suggestion of a local cooperative in the MEL, waiting for review."""
    suggestion_id, _created = suggestions.suggest(
        db, member.household_id, name="La Coop du Coin", url="https://coop.exemple.fr",
        service_slug="amazon", territory=("epci", MEL), reason="Locale.",
    )  # fmt: skip
    return suggestion_id


def test_a_declined_suggestion_shows_the_reason_to_the_household(
    open_app: Callable[..., AppTest], organiser: Member, member: Member, suggestion_id: int
) -> None:
    at = open_app(organiser, "pages/console_suggestions.py")
    assert "La Coop du Coin" in texts(at)
    at.text_input(key=f"console_suggestions_reason_{suggestion_id}").set_value("Elle a fermé en 2025.")
    at.button(key=f"console_suggestions_decline_{suggestion_id}").click().run()
    assert not at.exception
    assert "Elle a fermé en 2025." in texts(open_app(member, "pages/catalogue.py"))


def test_a_household_cannot_open_the_console(open_app: Callable[..., AppTest], member: Member) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_app(member).switch_page("pages/console_catalogue.py").run()


def test_a_household_elsewhere_is_not_offered_a_local_alternative(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    set_retired(db, organiser_identity(), "alternative", "tuta", True)
    amiens = make_member(db, "amiens@exemple.fr", commune=AMIENS)
    assert "Lille.Bike" not in texts(open_app(amiens, "pages/catalogue.py"))


def test_accepting_a_suggestion_opens_the_prefilled_form(
    open_app: Callable[..., AppTest], db: Database, organiser: Member, suggestion_id: int
) -> None:
    at = open_app(organiser, "pages/console_suggestions.py")
    at.button(key=f"console_suggestions_accept_{suggestion_id}").click().run()
    assert at.text_input(key="console_alternative_name").value == "La Coop du Coin"
    assert at.multiselect(key="console_alternative_territories").value == [f"epci:{MEL}"]
    # AppTest re-runs the first page on later clicks: open the form page itself, as the browser is.
    at = open_app(organiser)
    at.session_state[SUGGESTION_KEY] = suggestion_id
    at.switch_page("pages/console_alternative.py").run()
    at.text_area(key="console_alternative_description").set_value("Livraison locale en coopérative.")
    at.selectbox(key="console_alternative_kind").set_value("cooperative")
    at.button(key="console_alternative_save").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    with db.read() as session:
        assert session.get_one(Suggestion, suggestion_id).status == "accepted"
        assert session.get_one(Alternative, "la-coop-du-coin").name == "La Coop du Coin"


def test_an_organiser_adds_a_service_in_a_category(
    open_app: Callable[..., AppTest], db: Database, organiser: Member
) -> None:
    at = open_app(organiser, "pages/console_categories.py")
    at.text_input(key="console_categories_s_slug").set_value("google-maps-go")
    at.text_input(key="console_categories_s_name").set_value("Google Maps Go")
    at.text_input(key="console_categories_s_company").set_value("Alphabet (Google)")
    at.selectbox(key="console_categories_s_category").set_value("maps")
    at.button(key="console_categories_s_save").click().run()
    assert not at.exception
    with db.read() as session:
        assert session.get_one(BigTechService, "google-maps-go").category_slug == "maps"


def test_console_cards_name_services_and_territories_never_codes(
    open_app: Callable[..., AppTest], db: Database, organiser: Member
) -> None:
    at = open_app(organiser, "pages/console_alternative.py")
    _fill_alternative(at, "https://velo.exemple.fr")
    at.button(key="console_alternative_save").click().run()
    at = open_app(organiser, "pages/console_catalogue.py")
    at.text_input(key="console_catalogue_search").input("velo-coop").run()
    card = [caption.value for caption in at.caption if caption.value.startswith("Remplace ")]
    assert card == ["Remplace Uber · disponible : Métropole Européenne de Lille"]
