"""The privacy pages (my data, privacy notice) and hostile text through every form."""

import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from challenge.accounts import credentials, sessions
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Alternative, BigTechService, Edition, Household
from tests.conftest import Member, make_member
from tests.pages.conftest import texts

HOSTILE = [
    "![pixel](https://tracker.example/p.png)",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "[données](data:text/html;base64,PHNjcmlwdD4=)",
    "**gras** <script>alert(1)</script>",
]


def _rendered(at: AppTest) -> list[str]:
    return [str(e.value) for kind in ("markdown", "caption", "title", "success") for e in getattr(at, kind)]


def _assert_inert(at: AppTest, catalogue_links: bool = False) -> None:
    """No link, image, tag or emphasis can come out of the text a user typed.

    Markdown turns `[text](url)` into a link and `![alt](url)` into an image (a tracking pixel);
    our escaping leaves a backslash before every such character, so none survives unescaped.
    With `catalogue_links`, the page may link to the alternatives' own websites (a tap away,
    never an automatic request).
    """
    for value in _rendered(at):
        for dangerous in ("tracker.example", "javascript:", "data:text", "<img", "<script", "**gras**"):
            for found in re.finditer(re.escape(dangerous), value):
                start = found.start()
                assert "\\" in value[max(0, start - 40) : start + len(dangerous)], value
        if not catalogue_links:
            assert not re.search(r"(?<!\\)\](?!\(/)\(", value), value  # only our own /paths link


def test_my_data_page_offers_both_downloads_from_our_own_route(
    open_app: Callable[..., AppTest], member: Member
) -> None:
    at = open_app(member, "pages/my_data.py")
    page = texts(at)
    assert "Mes données" in page
    assert "Supprimer mon compte" in page
    assert not at.get("download_button")  # nothing in Streamlit's media store (/media/<hash>)
    links = " ".join(str(element.proto.body) for element in at.get("html"))
    assert 'href="/mes-donnees/export.json"' in links
    assert 'href="/mes-donnees/export.zip"' in links


def test_consent_can_be_withdrawn_and_given_again_from_the_page(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/my_data.py")
    at.button(key="my_data_consent_withdraw").click().run()
    assert "Retirer votre consentement ?" in texts(at)
    at.button(key="my_data_consent_withdraw_cancel").click().run()  # a change of mind: nothing happens
    with db.read() as session:
        assert session.get_one(Household, member.household_id).consent_withdrawn_at is None
    at.button(key="my_data_consent_withdraw").click().run()
    at.button(key="my_data_consent_withdraw_confirm").click().run()
    with db.read() as session:
        assert session.get_one(Household, member.household_id).consent_withdrawn_at is not None
    home = texts(open_app(member))
    assert "vos réponses ne sont plus enregistrées ni comptées" in home
    assert "Le bilan de la semaine" not in home  # no invitation to answers that would not count
    at = open_app(member, "pages/my_data.py")
    at.button(key="my_data_consent_give").click().run()
    with db.read() as session:
        assert session.get_one(Household, member.household_id).consent_withdrawn_at is None


def test_account_deletion_from_the_page(
    open_app: Callable[..., AppTest], db: Database, member: Member
) -> None:
    at = open_app(member, "pages/my_data.py")
    at.text_input(key="my_data_delete_confirmation").set_value("supprimer")
    at.button(key="my_data_delete_submit").click().run()
    assert "tapez SUPPRIMER en majuscules" in " ".join(e.value for e in at.error)
    assert sessions.identify(db, member.session_hash) is not None
    at.text_input(key="my_data_delete_confirmation").set_value("SUPPRIMER")
    at.button(key="my_data_delete_submit").click().run()
    assert sessions.identify(db, member.session_hash) is None
    page = texts(at)  # the visitor's home, with the message, and no household menu any more
    assert "Votre compte est supprimé" in page
    assert "Comment ça marche ?" in page
    links = " ".join(str(link.proto.label) for link in at.get("page_link"))
    assert "Bilan" not in links
    assert "Mon défi" not in links


def test_privacy_notice_is_public_and_names_the_controller(
    open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DZG_CONTROLLER", "Apes Hauts-de-France")
    at = open_app(page="pages/privacy.py")
    page = texts(at)
    assert "Apes Hauts-de-France" in page
    assert "Mes données" in page
    assert "CNIL" in page


WORD_JOINER = "\u2060"


class _Rendered(HTMLParser):
    """The tags, links, visible text and emphasised text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.emphasised: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)
        self.links += [value or "" for name, value in attrs if name in {"href", "src"}]

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        # What a person reads: the word joiner ui/format.plain puts in "://", "www." and "@" (so
        # that no address becomes a link) has no width and no glyph.
        self.text.append(data.replace(WORD_JOINER, ""))
        if {"strong", "em"} & set(self._open):
            self.emphasised.append(data)


def _browser_view(at: AppTest) -> _Rendered:
    """What a browser would render of the run's markdown elements (react-markdown, GFM-like).

    Raw HTML is rendered only where the element allows it (`unsafe_allow_html`), as in the
    browser; every link is kept (markdown-it would drop a javascript: one, the browser's
    markdown might not), so that the checks below see it.
    """
    view = _Rendered()
    for kind in ("markdown", "caption", "title", "success"):
        for element in getattr(at, kind):
            markdown = MarkdownIt("commonmark", {"html": bool(getattr(element.proto, "allow_html", False))})
            markdown.enable(["table", "strikethrough"])
            markdown.validateLink = lambda url: True  # type: ignore[method-assign]
            view.feed(markdown.render(str(element.value)))
    return view


# Where a household's own name is shown, and how: rendered text (markdown, caption) or the value
# of a text field (React sets it as the field's value: never parsed as markup).
NAME_SHOWN = {None: "text", "pages/account.py": "text", "pages/my_data.py": "my_data_name"}


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_household_names_are_shown_as_typed_and_inert(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, hostile: str
) -> None:
    """On every page that shows the household's name, a person reads it exactly as typed, and
    nothing of it becomes markup: no image, script, link or emphasis reaches the browser."""
    member = make_member(db, "hostile@exemple.fr", name=hostile)
    for page, shown_in in NAME_SHOWN.items():
        at = open_app(member, page)
        _assert_inert(at)
        view = _browser_view(at)
        assert not {"img", "script", "iframe", "svg"} & set(view.tags), (page, view.tags)
        assert [link for link in view.links if not link.startswith("/")] == [], page  # our own paths only
        assert "gras" not in " ".join(view.emphasised), page
        if shown_in == "text":
            assert hostile in "".join(view.text), (page, "".join(view.text))
        else:
            assert at.text_input(key=shown_in).value == hostile, page


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_through_the_onboarding_and_correction_forms(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView, hostile: str
) -> None:
    from datetime import timedelta

    account = credentials.sign_up(db, "nouveau@exemple.fr", "une phrase de passe solide")
    session_hash = sessions.hash_token(sessions.open_session(db, account.id, timedelta(days=1)))
    newcomer = Member(account.id, 0, account.email, session_hash)
    at = open_app(newcomer)
    at.text_input(key="onboarding_commune_query").set_value("lille").run()
    at.text_input(key="onboarding_name").set_value(hostile[:60])
    at.text_input(key="onboarding_invite").set_value(hostile[:32])
    at.checkbox(key="onboarding_consent").check()
    at.button[0].click().run()
    _assert_inert(at)  # the invitation code is refused without being echoed as markup
    at.text_input(key="onboarding_invite").set_value("")
    at.button[0].click().run()
    with db.read() as session:
        household = session.scalar(select(Household).where(Household.account_id == account.id))
    assert household is not None
    assert household.name == " ".join(hostile[:60].split())
    member = Member(account.id, household.id, account.email, session_hash)
    at = open_app(member, "pages/my_data.py")
    at.text_input(key="my_data_name").set_value(hostile[:60])
    at.button[0].click().run()
    _assert_inert(open_app(member))


def test_hostile_catalogue_and_edition_names_are_inert_on_every_page(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    """Organisers write catalogue and edition names (and accept households' suggestions): they
    reach every household's page, in text and in widget labels, and must stay plain text."""
    hostile = HOSTILE[0]
    with db.write() as session:
        session.execute(update(BigTechService).where(BigTechService.slug == "gmail").values(name=hostile))
        session.execute(update(Alternative).where(Alternative.slug == "proton-mail").values(name=hostile))
        session.execute(update(Edition).where(Edition.id == edition.id).values(name=hostile))
    member = make_member(db, "catalogue@exemple.fr")
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    today = date.today()
    record_checkin(
        db, member.household_id, edition.current_week(today) or 1, [CheckinEntry("gmail", "switched")], today
    )
    for page in (None, "pages/services.py", "pages/checkin.py", "pages/results.py", "pages/catalogue.py"):
        at = open_app(member, page)
        _assert_inert(at, catalogue_links=page in ("pages/catalogue.py", "pages/services.py"))  # sites
        labels = [
            w.label for kind in ("radio", "multiselect", "selectbox", "button") for w in getattr(at, kind)
        ]
        for label in labels + [str(e.value) for e in (*at.header, *at.subheader)]:
            assert "tracker.example" not in label or "\\" in label, label


def test_follow_up_invitations_start_unticked(open_app: Callable[..., AppTest], member: Member) -> None:
    at = open_app(member, "pages/account.py")
    assert at.checkbox(key="account_followups").value is False  # consent is opted into
