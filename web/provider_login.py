"""Log-in through an identity provider: the start link, and what happens around Streamlit's routes.

`/connexion/<provider>` starts st.login's flow. `ProviderLoginMiddleware` watches Streamlit's
/auth/login, /oauth2callback and /auth/logout: a verified callback becomes one of our server-side
sessions (the same cookie and checks as a password log-in, see web.identity), and every
failure becomes a French message on the log-in page, with no account half-created.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from itsdangerous import BadSignature, TimestampSigner
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from challenge.accounts import oidc
from challenge.accounts.security_log import log_event
from challenge.core.addresses import safe_next
from challenge.core.i18n import _, lazy_gettext
from challenge.infra.config import Settings
from challenge.infra.db import Database
from web import streamlit_auth

START_COOKIE = "dzg_oidc_start"  # which provider, and where to go back: set by the start link
PENDING_COOKIE = "dzg_oidc_pending"  # an identity waiting for a password log-in to be linked
START_MAX_AGE = 15 * 60
PENDING_MAX_AGE = 15 * 60
FLOW_ERRORS = {
    "unknown": lazy_gettext("Ce fournisseur d'identité n'est pas proposé ici."),
    "unavailable": lazy_gettext(
        "{label} n'a pas pu confirmer votre connexion (service indisponible ou mal configuré). "
        "Réessayez plus tard, ou connectez-vous avec votre adresse e-mail et votre mot de passe."
    ),
    "replayed": lazy_gettext(
        "Ce retour de connexion n'est plus valable : il a déjà servi, a expiré ou vient d'un autre "
        "navigateur. Recommencez depuis cette page."
    ),
    "cancelled": lazy_gettext("La connexion avec {label} a été annulée."),
}
Login = Callable[[str], str]


def _signer(settings: Settings, purpose: str) -> TimestampSigner:
    return TimestampSigner(settings.cookie_secret, salt=f"dzg-oidc-{purpose}")


def read_signed(request: Request, settings: Settings, name: str, max_age: int) -> dict[str, Any] | None:
    value = request.cookies.get(name)
    if not value:
        return None
    try:
        data = json.loads(_signer(settings, name).unsign(value, max_age=max_age))
    except (BadSignature, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_signed(
    response: Response, settings: Settings, name: str, data: dict[str, Any], max_age: int
) -> None:
    value = _signer(settings, name).sign(json.dumps(data)).decode()
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=settings.cookie_secure, path="/"
    )


def provider_buttons(settings: Settings, target: str) -> list[tuple[str, str]]:
    """(label, link) for each configured provider; none when OIDC is not configured."""
    if settings.oidc is None:
        return []
    back = f"?next={quote(target)}" if target != "/" else ""
    return [(p.label, f"/connexion/{p.name}{back}") for p in settings.oidc.providers]


def login_page_extras(request: Request, settings: Settings) -> dict[str, Any]:
    """What the log-in page shows after a provider's flow: its error, the e-mail waiting a link."""
    code = request.query_params.get("erreur", "")
    provider = settings.oidc.provider(request.query_params.get("fournisseur", "")) if settings.oidc else None
    label = provider.label if provider else _("le fournisseur d'identité")
    template = FLOW_ERRORS.get(code) or oidc.REFUSALS.get(code)
    message = template.format(label=label) if template else ""
    extras: dict[str, Any] = {"provider_error": message[:1].upper() + message[1:]} if message else {}
    pending = read_signed(request, settings, PENDING_COOKIE, PENDING_MAX_AGE)
    if code == "email_taken" and pending:
        extras["email"] = pending.get("email")
    return extras


def complete_pending_link(
    request: Request, response: Response, db: Database, settings: Settings, account_id: int
) -> None:
    """After a password log-in: link the provider identity that was waiting for this account."""
    data = read_signed(request, settings, PENDING_COOKIE, PENDING_MAX_AGE)
    if data is None:
        return
    response.delete_cookie(PENDING_COOKIE, path="/")
    try:
        pending = oidc.PendingLink(**data)
    except TypeError:
        return
    if oidc.complete_pending_link(db, pending, account_id):
        log_event("provider_linked", account_id=account_id, provider=pending.provider, proof="password")


class ProviderLoginStart:
    """`/connexion/<provider>`: remember where to go back, then start Streamlit's login flow."""

    def __init__(self, settings: Settings, login_url: Login = streamlit_auth.login_url) -> None:
        self.settings = settings
        self.login_url = login_url

    def routes(self) -> list[Route]:
        return [Route("/connexion/{provider}", self.start, methods=["GET"])]

    async def start(self, request: Request) -> Response:
        name = request.path_params["provider"]
        if self.settings.oidc is None or self.settings.oidc.provider(name) is None:
            return RedirectResponse("/connexion?erreur=unknown", status_code=303)
        target = safe_next(request.query_params.get("next"))
        response = RedirectResponse(self.login_url(name), status_code=303)
        response.headers["Cache-Control"] = "no-store"
        write_signed(response, self.settings, START_COOKIE, {"provider": name, "next": target}, START_MAX_AGE)
        return response
