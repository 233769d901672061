"""Pages a visitor can open, and the private pages they cannot."""

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from challenge.editions.calendar import EditionView
from tests.pages.conftest import SCRIPT, texts


def test_home_presents_the_challenge_and_its_edition(
    open_app: Callable[..., AppTest], edition: EditionView
) -> None:
    at = open_app()
    page = texts(at)
    assert "Défi Zéro Gafam" in page
    assert "Défi test" in page
    assert "Foyers engagés 0" in page


def test_home_without_edition_invites_to_sign_up_anyway(open_app: Callable[..., AppTest]) -> None:
    assert "Aucune édition n'est ouverte" in texts(open_app())


def test_catalogue_lists_alternatives_and_filters_by_commune(open_app: Callable[..., AppTest]) -> None:
    at = open_app(page="pages/catalogue.py")
    at.selectbox(key="catalogue_category").set_value("delivery").run()
    assert "Lille.Bike" in texts(at)
    at.selectbox(key="catalogue_commune").set_value("80021").run()  # Amiens
    assert "Lille.Bike" not in texts(at)
    at.selectbox(key="catalogue_category").set_value("mobility").run()
    assert "Mobicoop" in texts(at)


def test_catalogue_shows_one_category_at_a_time_or_a_search_across_all(
    open_app: Callable[..., AppTest],
) -> None:
    at = open_app(page="pages/catalogue.py")
    first = texts(at)
    assert at.selectbox(key="catalogue_category").value is not None  # never the whole catalogue at once
    assert "Qwant" in first  # web search comes first
    assert "Mobicoop" not in first
    at.text_input(key="catalogue_search").set_value("velo cooperative").run()  # no accent needed
    found = texts(at)
    assert "Lille.Bike" in found
    assert "Qwant" not in found


def test_catalogue_filters_by_category(open_app: Callable[..., AppTest]) -> None:
    at = open_app(page="pages/catalogue.py")
    at.selectbox(key="catalogue_category").set_value("mobility").run()
    page = texts(at)
    assert "Mobicoop" in page
    assert "Signal" not in page


@pytest.mark.parametrize(
    "page",
    ["pages/checkin.py", "pages/progress.py", "pages/services.py", "pages/account.py", "pages/onboarding.py"],
)
def test_private_pages_are_refused_to_visitors(open_app: Callable[..., AppTest], page: str) -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.user = {}
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page).run()  # not in a visitor's navigation at all: "Page not found"
    at = open_app()
    assert "Mon défi" not in texts(at)


def test_forged_session_is_treated_as_a_visitor(open_app: Callable[..., AppTest]) -> None:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.user = {"session": "0" * 64}
    at.run()
    assert "Reprenez la main" in texts(at)
