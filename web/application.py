"""The one place where the HTTP side of the app is assembled: our routes and the middleware stack,
in the order that matters. `app.py` builds the Streamlit app from it; tests build the same stack
around our routes alone (`build_http_app`), so that no test runs with a middleware left out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from challenge.infra.config import Settings
from challenge.infra.db import Database, shared_database
from web.account_change_routes import AccountChangeForms
from web.account_routes import AccountForms
from web.address_confirmation_routes import AddressConfirmationForms
from web.compression import CompressionMiddleware
from web.data_export_routes import DataExport
from web.engagement_routes import EngagementRoutes
from web.errors import database_unavailable
from web.health import HealthCheck
from web.identity import IdentityMiddleware
from web.invitation_routes import InvitationForms
from web.language import LanguageMiddleware, LanguageSwitch
from web.magic_link_routes import MagicLinkForms
from web.member_join_routes import MemberJoinForms
from web.opendata_routes import OpenData
from web.origins import OriginMiddleware
from web.password_reset_routes import PasswordResetForms
from web.provider_callback import ProviderLoginMiddleware
from web.provider_login import ProviderLoginStart
from web.security import SecurityMiddleware, allowed_hosts
from web.signup_routes import SignupForms

DatabaseFactory = Callable[[], Database]
EXCEPTION_HANDLERS: dict[Any, Any] = {
    OperationalError: database_unavailable,
    InterfaceError: database_unavailable,
}


def database_of(settings: Settings) -> DatabaseFactory:
    """The process's database for these settings, opened on first use."""
    return lambda: shared_database(settings.database_url)


def routes(settings: Settings, database: DatabaseFactory) -> list[BaseRoute]:
    """Our own routes, matched before Streamlit's; their answers are never compressed (BREACH)."""
    return [
        *AccountForms(database, settings).routes(),
        *SignupForms(database, settings).routes(),
        *PasswordResetForms(database, settings).routes(),
        *AddressConfirmationForms(database, settings).routes(),
        *AccountChangeForms(database, settings).routes(),
        *MagicLinkForms(database, settings).routes(),
        *HealthCheck(database).routes(),
        *OpenData(database, settings).routes(),
        *EngagementRoutes(database, settings).routes(),
        *ProviderLoginStart(settings).routes(),
        *LanguageSwitch(database, settings).routes(),
        *InvitationForms(database, settings).routes(),
        *MemberJoinForms(database, settings).routes(),
        *DataExport(database, settings).routes(),
    ]


def middleware(
    settings: Settings, database: DatabaseFactory, own_routes: list[BaseRoute], hosts: list[str] | None = None
) -> list[Middleware]:
    """The stack, outermost first."""
    hosts = allowed_hosts() if hosts is None else hosts
    return [
        # The language of the request is known to everything inside (lang, forms).
        Middleware(LanguageMiddleware, settings=settings, db_factory=database),
        # Gzip for Streamlit's bundles and HTML shell, which Streamlit serves uncompressed.
        Middleware(CompressionMiddleware, routes=own_routes),
        Middleware(SecurityMiddleware, settings=settings, allowed_hosts=hosts),
        # A WebSocket or a POST from another site is refused before any identity is attached.
        Middleware(OriginMiddleware, settings=settings, allowed_hosts=hosts),
        Middleware(IdentityMiddleware, settings=settings),
        Middleware(ProviderLoginMiddleware, settings=settings, db_factory=database),
    ]


def app_arguments(
    settings: Settings,
    *,
    on_script_error: Callable[[Exception], bool] | None = None,
    database: DatabaseFactory | None = None,
) -> dict[str, Any]:
    """What `st.App("streamlit_app.py", ...)` takes besides the script: our routes and middleware.

    `app.py` writes the `st.App(...)` call itself: `streamlit run app.py` finds the app by reading
    that file's syntax tree for an assignment of an `st.App(...)` call, and runs the file as a
    plain script (serving nothing of ours) when the call is hidden in a function.
    """
    database = database or database_of(settings)
    own_routes = routes(settings, database)
    return {
        # Identity providers for st.login, from our validated settings (none: nothing about OIDC shows).
        "secrets": {"auth": settings.oidc.streamlit_auth_section()} if settings.oidc else None,
        "routes": own_routes,
        "middleware": middleware(settings, database, own_routes),
        "on_script_error": on_script_error,
        "exception_handlers": EXCEPTION_HANDLERS,
    }


def build_http_app(
    settings: Settings,
    database: DatabaseFactory,
    hosts: list[str] | None = None,
    extra: Sequence[BaseRoute] = (),
) -> Starlette:
    """Our routes and the same middleware stack without Streamlit (for HTTP-level tests); `extra`
    routes come first (stand-ins for Streamlit's pages, or a route built with a test double)."""
    own_routes = [*extra, *routes(settings, database)]
    return Starlette(
        routes=own_routes,
        middleware=middleware(settings, database, own_routes, hosts),
        exception_handlers=EXCEPTION_HANDLERS,
    )
