"""Pages in English for an account that chose it, and for a visitor whose cookie asks for it."""

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from challenge.accounts import preferences
from challenge.core import i18n
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from tests.conftest import Member
from tests.pages.conftest import texts

HOUSEHOLD_PAGES = [  # (page, something a person reads there, in English)
    ("pages/progress.py", "My challenge"),
    ("pages/checkin.py", "This week's check-in"),
    ("pages/services.py", "My services"),
    ("pages/team.py", "collective"),
    ("pages/teams.py", "Ranking"),
    ("pages/account.py", "My account"),
    ("pages/my_data.py", "My data"),
    ("pages/catalogue.py", "Catalogue of alternatives"),
]


@pytest.fixture(autouse=True)
def french_afterwards() -> Iterator[None]:
    """AppTest runs scripts in this process: leave the default language as it was."""
    yield
    i18n.set_locale(None)


@pytest.fixture
def english_member(db: Database, member: Member) -> Member:
    save_service_plan(db, member.household_id, {"gmail": [], "whatsapp": ["signal"]})
    preferences.choose_language(db, member.account_id, "en")
    return member


@pytest.fixture
def visit(open_app: Callable[..., AppTest]) -> Callable[..., AppTest]:
    def run(language: str | None, page: str | None = None) -> AppTest:
        """A visitor whose `dzg_lang` cookie the middleware passed on as st.user["lang"]."""
        return open_app(None, page, lang=language)

    return run


@pytest.mark.parametrize(("page", "english"), HOUSEHOLD_PAGES)
def test_a_household_that_chose_english_reads_every_page_in_english(
    open_app: Callable[..., AppTest], english_member: Member, page: str, english: str
) -> None:
    shown = texts(open_app(english_member, page))
    assert english in shown
    assert "Déclarez" not in shown
    assert "Bilan de la semaine" not in shown


def test_the_checkin_form_and_its_answers_are_in_english(
    open_app: Callable[..., AppTest], english_member: Member
) -> None:
    at = open_app(english_member, "pages/checkin.py")
    labels = [str(option) for radio in at.radio for option in radio.options]
    assert "Switched to the alternative" in labels
    assert any(button.label == "Save my check-in" for button in at.button)


def test_the_progress_page_explains_the_score_in_english(
    open_app: Callable[..., AppTest], db: Database, english_member: Member, edition: EditionView, today: date
) -> None:
    week = edition.last_started_week(today)
    record_checkin(db, english_member.household_id, week, [CheckinEntry("gmail", "switched")], today)
    shown = texts(open_app(english_member))
    assert "Where does each service stand?" in shown
    assert "- Switched to the alternative: 100%" in shown  # the score's rules, in the expander


@pytest.mark.parametrize("page", [None, "pages/catalogue.py", "pages/results.py", "pages/privacy.py"])
def test_a_visitor_with_the_english_cookie_reads_the_public_pages_in_english(
    visit: Callable[..., AppTest], edition: EditionView, page: str | None
) -> None:
    at = visit("en", page)
    shown = texts(at)
    assert any(
        word in shown for word in ("How does it work?", "Catalogue", "Challenge results", "Your data and")
    )
    assert "Comment ça marche ?" not in shown


def test_a_visitor_without_cookie_reads_french_and_is_offered_english(visit: Callable[..., AppTest]) -> None:
    at = visit(None)
    assert "Comment ça marche ?" in texts(at)
    links = " ".join(str(h.proto.body) for h in at.get("html"))
    assert 'href="/langue?lang=en' in links
    assert 'lang="en"' in links


def test_the_account_page_offers_the_other_language_and_says_which_is_kept(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/account.py")
    assert "Langue de l'application : **Français**" in texts(at)
    links = " ".join(str(h.proto.body) for h in at.get("html"))
    assert 'href="/langue?lang=en&amp;next=%2Fcompte"' in links  # saved in the account by the route
    preferences.choose_language(db, member.account_id, "en")
    at = open_app(member, "pages/account.py")
    assert "Language of the app: **English**" in texts(at)
    assert 'href="/langue?lang=fr&amp;next=%2Fcompte"' in " ".join(str(h.proto.body) for h in at.get("html"))


def test_category_names_are_english_in_english(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    preferences.choose_language(db, member.account_id, "en")
    at = open_app(member, "pages/services.py")
    options = " ".join(str(o) for o in at.multiselect(key="services_selected").options)
    assert "Amazon (Online shopping)" in options
    assert "Achats en ligne" not in options
    preferences.choose_language(db, member.account_id, "fr")
    at = open_app(member, "pages/services.py")  # the cache of services is kept per language
    assert "Amazon (Achats en ligne)" in " ".join(
        str(o) for o in at.multiselect(key="services_selected").options
    )


def test_the_team_page_names_categories_in_english(
    open_app: Callable[..., AppTest], db: Database, english_member: Member, edition: EditionView, today: date
) -> None:
    from challenge.teams import membership

    membership.create_team(db, english_member.household_id, "The Robins")
    week = edition.last_started_week(today)
    record_checkin(db, english_member.household_id, week, [CheckinEntry("gmail", "switched")], today)
    at = open_app(english_member, "pages/team.py")
    shown = texts(at) + " ".join(str(h.proto.body) for h in at.get("html"))
    assert "**Services replaced, by category**" in shown
    assert "E-mail" in shown
    assert "Messagerie électronique" not in shown
    assert not [t for t in at.toggle if "Recevoir" in str(t.label)]  # the captain's toggle in English too
