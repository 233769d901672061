"""Server entry: the Streamlit app with our routes (account forms) and identity middleware.

Run with `streamlit run app.py` (what `make run` does) or `uvicorn app:app`.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.middleware import Middleware

from challenge.infra.config import load_settings
from challenge.infra.db import Database, shared_database
from challenge.infra.logs import configure_logging
from ui.errors import report_script_error
from web.account_routes import AccountForms
from web.compression import CompressionMiddleware
from web.engagement_routes import EngagementRoutes
from web.errors import database_unavailable
from web.health import HealthCheck
from web.identity import IdentityMiddleware
from web.invitation_routes import InvitationForms
from web.language import LanguageMiddleware, LanguageSwitch
from web.opendata_routes import OpenData
from web.provider_callback import ProviderLoginMiddleware
from web.provider_login import ProviderLoginStart
from web.security import SecurityMiddleware, allowed_hosts

settings = load_settings()
configure_logging(settings)


def _database() -> Database:
    return shared_database(settings.database_url)


# Our own routes, matched before Streamlit's; their answers are never compressed (BREACH).
routes = [
    *AccountForms(_database, settings).routes(),
    *HealthCheck(_database).routes(),
    *OpenData(_database, settings).routes(),
    *EngagementRoutes(_database, settings).routes(),
    *ProviderLoginStart(settings).routes(),
    *LanguageSwitch(_database, settings).routes(),
    *InvitationForms(_database, settings).routes(),
]

app = st.App(
    "streamlit_app.py",
    # Identity providers for st.login, from our validated settings (none: nothing about OIDC shows).
    secrets={"auth": settings.oidc.streamlit_auth_section()} if settings.oidc else None,
    routes=routes,
    middleware=[
        # Outermost: the language of the request is known to everything inside (lang, forms).
        Middleware(LanguageMiddleware, settings=settings, db_factory=_database),
        # Gzip for Streamlit's bundles and HTML shell, which Streamlit serves uncompressed.
        Middleware(CompressionMiddleware, routes=routes),
        Middleware(SecurityMiddleware, settings=settings, allowed_hosts=allowed_hosts()),
        Middleware(IdentityMiddleware, settings=settings),
        Middleware(ProviderLoginMiddleware, settings=settings, db_factory=_database),
    ],
    on_script_error=report_script_error,
    exception_handlers={OperationalError: database_unavailable, InterfaceError: database_unavailable},
)
