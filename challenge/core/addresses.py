"""The app's own addresses, named once: routes, pages and mails build their links from here."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

LOGIN = "/connexion"
SIGNUP = "/inscription"
SIGNUP_RESEND = "/inscription/renvoyer"
LOGOUT = "/deconnexion"
LANGUAGE_SWITCH = "/langue"
INVITATION = "/invitation/"
UNSUBSCRIBE = "/desabonnement/{token}"
CALENDAR = "/agenda/{token}.ics"
ACCESSIBILITY = "/accessibilite"
PRIVACY = "/confidentialite"
ACCOUNT = "/compte"
FORGOT_PASSWORD = "/mot-de-passe-oublie"  # noqa: S105 (a path, not a password)
RESET_PASSWORD = "/nouveau-mot-de-passe/{token}"  # noqa: S105 (a path)
CONFIRM_EMAIL = "/confirmer-adresse/{token}"
CHANGE_PASSWORD = "/compte/mot-de-passe"  # noqa: S105 (a path)
CHANGE_EMAIL = "/compte/adresse"
NEW_EMAIL = "/nouvelle-adresse/{token}"
ASK_MAGIC_LINK = "/lien-de-connexion"
MAGIC_LINK = "/lien-de-connexion/{token}"


def safe_next(raw: str | None, default: str = "/") -> str:
    """A same-site path to go back to after a form, or `default`: never an open redirect.

    Browsers drop tabs and line breaks from URLs and read a backslash as a slash, so "/\\t/evil"
    would become "//evil" (another host): any of those, or a scheme or host, is refused.
    """
    if not raw or not raw.startswith("/") or raw.startswith(("//", "/\\")):
        return default
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in raw):
        return default
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        return default
    return raw


def switch_href(locale: str, back_to: str) -> str:
    """The link that switches to `locale` and comes back to the path `back_to`."""
    return f"{LANGUAGE_SWITCH}?{urlencode({'lang': locale, 'next': back_to})}"
