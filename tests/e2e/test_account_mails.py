"""Account mails in Chromium at 360×740, read from a real SMTP server: the lost-password journey
from the log-in page to a logged-in "Mon défi" (old sessions and used or expired links refused
afterwards), the address confirmation after sign-up, a change of address on both sides, and a
log-in by mail link that works only in the browser that asked for it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update

from challenge.accounts import credentials, sessions
from challenge.cli.reference import load_reference
from challenge.households.profile import set_up_household
from challenge.infra import migrate
from challenge.infra.db import Database
from challenge.models import AccountToken, utcnow
from devtools.servers import serve_app
from tests.conftest import PASSWORD
from tests.e2e.conftest import (
    COOKIE_SECRET,
    RUN_TIMEOUT_MS,
    SMALL_PHONE,
    record_offsite_requests,
    running_edition_start,
    screenshot,
    wait_for_app,
)
from tests.support.editions import make_edition
from tests.support.mailbox import Mailbox, smtp_server

EMAIL = "oubli@exemple.fr"
NEW_PASSWORD = "les mésanges reviennent au printemps"
_LINK = re.compile(r"https?://\S+/nouveau-mot-de-passe/[\w-]+")


@pytest.fixture(scope="module")
def mail_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Mailbox, Database]]:
    """The app with an SMTP relay (a real aiosmtpd server on loopback), a household ready."""
    folder = tmp_path_factory.mktemp("lost-password")
    url = f"sqlite:///{folder / 'e2e.sqlite3'}"
    migrate.upgrade(url)
    db = Database(url)
    load_reference(db)
    make_edition(db, "Défi e2e", running_edition_start(date.today()), 8, [("region", "32")])
    account = credentials.sign_up(db, EMAIL, PASSWORD)
    set_up_household(db, account.id, "Les Mésanges", "59350", 2, consent=True)
    with smtp_server() as mailbox:
        smtp = {
            "DZG_SMTP_HOST": mailbox.host,
            "DZG_SMTP_PORT": str(mailbox.port),
            "DZG_SMTP_STARTTLS": "false",
        }
        with serve_app(url, folder / "server.log", COOKIE_SECRET, **smtp) as server:
            yield server.base, mailbox, db


def _small_phone(browser: Browser, base: str, offsite: list[str]) -> Page:
    context = browser.new_context(**SMALL_PHONE, base_url=base)
    context.set_default_timeout(RUN_TIMEOUT_MS)
    record_offsite_requests(context, base, offsite)
    page = context.new_page()
    page.test_name = "account_mails"  # type: ignore[attr-defined]
    return page


def _next_mail(mailbox: Mailbox, seen: int, timeout_s: float = 20) -> EmailMessage:
    deadline = time.monotonic() + timeout_s
    while len(mailbox.messages) <= seen:
        assert time.monotonic() < deadline, "no mail received"
        time.sleep(0.2)
    return mailbox.messages[seen]


def _link_in(message: EmailMessage) -> str:
    plain = message.get_body(("plain",))
    assert plain is not None
    found = _LINK.search(plain.get_content())
    assert found
    return found.group(0)


def _log_in(page: Page, password: str) -> None:
    page.goto("/connexion")
    page.fill("#email", EMAIL)
    page.fill("#password", password)
    page.click("button[type=submit]")
    wait_for_app(page)


def test_a_forgotten_password_is_reset_from_the_mail_and_old_sessions_end(
    browser: Browser, mail_app: tuple[str, Mailbox, Database]
) -> None:
    base, mailbox, _db = mail_app
    offsite: list[str] = []
    other_device = _small_phone(browser, base, offsite)
    _log_in(other_device, PASSWORD)
    expect(other_device.get_by_role("heading", name="Mon défi")).to_be_visible()

    page = _small_phone(browser, base, offsite)
    page.goto("/connexion")
    page.click("#forgot-password")  # tap 1
    page.fill("#email", EMAIL)
    screenshot(page, "1-forgot")
    seen = len(mailbox.messages)
    page.get_by_role("button", name="Recevoir un lien").click()  # tap 2
    expect(page.locator("#reset-sent")).to_be_visible()
    message = _next_mail(mailbox, seen)
    assert message["To"] == EMAIL
    assert message.get_body(("html",)) is not None
    link = _link_in(message)
    assert link.startswith(base + "/")  # the request's own host: never a hard-coded localhost:8501

    page.goto(link)  # the tap in the mail
    page.fill("#password", NEW_PASSWORD)
    screenshot(page, "2-new-password")
    page.get_by_role("button", name="Enregistrer et me connecter").click()  # tap 3
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Mon défi")).to_be_visible()
    screenshot(page, "3-mon-defi")

    notice = _next_mail(mailbox, seen + 1)
    assert notice["To"] == EMAIL
    assert "changé" in notice["Subject"]

    other_device.reload()  # the session opened before the reset is over
    wait_for_app(other_device)
    expect(other_device.get_by_role("heading", name="Mon défi")).to_have_count(0)

    page.goto(link)  # the same link again
    expect(page.get_by_text("Ce lien n'est plus valable")).to_be_visible()
    expect(page.locator("#password")).to_have_count(0)
    assert offsite == []


def test_an_expired_link_is_refused(browser: Browser, mail_app: tuple[str, Mailbox, Database]) -> None:
    base, mailbox, db = mail_app
    page = _small_phone(browser, base, [])
    page.goto("/mot-de-passe-oublie")
    page.fill("#email", EMAIL)
    seen = len(mailbox.messages)
    page.get_by_role("button", name="Recevoir un lien").click()
    link = _link_in(_next_mail(mailbox, seen))
    token_hash = sessions.hash_token(link.rsplit("/", 1)[1])
    with db.write() as session:
        session.execute(
            update(AccountToken)
            .where(AccountToken.token_hash == token_hash)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    page.goto(link)
    expect(page.get_by_text("Ce lien n'est plus valable")).to_be_visible()
    expect(page.locator("#password")).to_have_count(0)


def _link_to(message: EmailMessage, path: str) -> str:
    plain = message.get_body(("plain",))
    assert plain is not None
    found = re.search(rf"https?://\S+{path}/[\w-]+", plain.get_content())
    assert found
    return found.group(0)


def test_sign_up_then_the_mailed_link_confirms_the_address_and_logs_in_this_phone(
    browser: Browser, mail_app: tuple[str, Mailbox, Database]
) -> None:
    base, mailbox, _db = mail_app
    page = _small_phone(browser, base, [])
    page.goto("/inscription")
    page.fill("#email", "nouveau-foyer@exemple.fr")
    page.fill("#password", PASSWORD)
    seen = len(mailbox.messages)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#check-mail")).to_contain_text("nouveau-foyer@exemple.fr")
    message = _next_mail(mailbox, seen)
    assert message["To"] == "nouveau-foyer@exemple.fr"
    link = _link_to(message, "/confirmer-adresse")

    elsewhere = _small_phone(browser, base, [])  # the mail opened on another device: confirms only
    elsewhere.goto(link)
    elsewhere.get_by_role("button", name="Confirmer").click()
    expect(elsewhere.locator("#address-confirmed")).to_be_visible()
    expect(elsewhere.get_by_role("link", name="Me connecter")).to_be_visible()

    page.goto(link)  # on the phone that signed up: in the app at once
    page.get_by_role("button", name="Confirmer").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Bienvenue dans le défi !")).to_be_visible()
    page.goto(link)
    expect(page.get_by_text("plus valable")).to_be_visible()


def test_signing_up_again_with_a_known_address_mails_its_owner_a_way_in(
    browser: Browser, mail_app: tuple[str, Mailbox, Database]
) -> None:
    base, mailbox, db = mail_app
    known = "deja-inscrit@exemple.fr"
    credentials.sign_up(db, known, PASSWORD)
    page = _small_phone(browser, base, [])
    page.goto("/inscription")
    page.fill("#email", known)
    page.fill("#password", "quelqu'un d'autre essaie cette adresse")
    seen = len(mailbox.messages)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.locator("#check-mail")).to_contain_text(known)  # as for a new account
    expect(page.get_by_text("existe")).to_have_count(0)
    warning = _next_mail(mailbox, seen)
    assert warning["To"] == known
    text = warning.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "essayer de créer un compte" in text
    assert re.search(r"/nouveau-mot-de-passe/[\w-]+", text)
    assert "dzg_session" not in {c["name"] for c in page.context.cookies()}


def test_change_of_address_is_confirmed_on_the_new_one_and_told_to_the_old_one(
    browser: Browser, mail_app: tuple[str, Mailbox, Database]
) -> None:
    base, mailbox, db = mail_app
    account = credentials.sign_up(db, "ancienne@exemple.fr", PASSWORD)
    page = _small_phone(browser, base, [])
    page.goto("/connexion")
    page.fill("#email", "ancienne@exemple.fr")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    wait_for_app(page)
    page.goto("/compte/adresse")
    page.fill("#new_email", "nouvelle@exemple.fr")
    page.fill("#current", PASSWORD)
    seen = len(mailbox.messages)
    page.get_by_role("button", name="Recevoir un lien de confirmation").click()
    expect(page.locator("#new-address-sent")).to_be_visible()
    message = _next_mail(mailbox, seen)
    assert message["To"] == "nouvelle@exemple.fr"
    page.goto(_link_to(message, "/nouvelle-adresse"))
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator("#address-changed")).to_be_visible()
    notice = _next_mail(mailbox, seen + 1)
    assert notice["To"] == "ancienne@exemple.fr"
    assert "nouvelle@exemple.fr" in notice.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert credentials.authenticate(db, "nouvelle@exemple.fr", PASSWORD).id == account.id


def test_log_in_by_mail_link_works_in_the_asking_browser_only(
    browser: Browser, mail_app: tuple[str, Mailbox, Database]
) -> None:
    base, mailbox, db = mail_app
    credentials.sign_up(db, "sans-mot-de-passe@exemple.fr", PASSWORD)
    page = _small_phone(browser, base, [])
    page.goto("/connexion")
    page.click("#magic-link")
    page.fill("#email", "sans-mot-de-passe@exemple.fr")
    seen = len(mailbox.messages)
    page.get_by_role("button", name="Recevoir un lien de connexion").click()
    expect(page.locator("#magic-link-sent")).to_be_visible()
    link = _link_to(_next_mail(mailbox, seen), "/lien-de-connexion")

    elsewhere = _small_phone(browser, base, [])  # another browser (or a forwarded mail)
    elsewhere.goto(link)
    expect(elsewhere.get_by_text("autre navigateur")).to_be_visible()
    expect(elsewhere.get_by_role("button", name="Me connecter")).to_have_count(0)

    page.goto(link)
    page.get_by_role("button", name="Me connecter").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Bienvenue dans le défi !")).to_be_visible()
