"""Links shown to people point to the public address, or to the one their browser used: never
to localhost when the app runs elsewhere."""

from challenge.infra.mail_settings import DEFAULT_PUBLIC_URL, MailSettings
from challenge.mail.calendar_feed import calendar_url, subscription_url


def test_the_public_url_wins_when_set() -> None:
    mail = MailSettings(public_url="https://defi.exemple.fr")
    assert calendar_url(mail, "abc", "http://10.0.0.5:8501") == "https://defi.exemple.fr/agenda/abc.ics"


def test_without_a_public_url_the_browsers_address_is_used() -> None:
    mail = MailSettings(public_url=DEFAULT_PUBLIC_URL)
    assert calendar_url(mail, "abc", "https://defi.local") == "https://defi.local/agenda/abc.ics"
    assert calendar_url(mail, "abc") == "http://localhost:8501/agenda/abc.ics"  # nothing better known


def test_a_subscription_opens_the_phones_calendar() -> None:
    assert (
        subscription_url("https://defi.exemple.fr/agenda/abc.ics")
        == "webcal://defi.exemple.fr/agenda/abc.ics"
    )
