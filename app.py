"""Server entry: the Streamlit app with our routes (account forms) and identity middleware.

Run with `streamlit run app.py` (what `make run` does) or `uvicorn app:app`.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.middleware import Middleware

from challenge.config import load_settings
from challenge.db import Database, shared_database
from challenge.logs import configure_logging
from ui.errors import report_script_error
from web.account_routes import AccountForms
from web.errors import database_unavailable
from web.health import HealthCheck
from web.identity import IdentityMiddleware
from web.opendata_routes import OpenData
from web.provider_callback import ProviderLoginMiddleware
from web.provider_login import ProviderLoginStart
from web.security import SecurityMiddleware, allowed_hosts

settings = load_settings()
configure_logging(settings)


def _database() -> Database:
    return shared_database(settings.database_url)


app = st.App(
    "streamlit_app.py",
    # Identity providers for st.login, from our validated settings (none: nothing about OIDC shows).
    secrets={"auth": settings.oidc.streamlit_auth_section()} if settings.oidc else None,
    routes=[
        *AccountForms(_database, settings).routes(),
        *HealthCheck(_database).routes(),
        *OpenData(_database, settings).routes(),
        *ProviderLoginStart(settings).routes(),
    ],
    middleware=[
        Middleware(SecurityMiddleware, settings=settings, allowed_hosts=allowed_hosts()),
        Middleware(IdentityMiddleware, settings=settings),
        Middleware(ProviderLoginMiddleware, settings=settings, db_factory=_database),
    ],
    on_script_error=report_script_error,
    exception_handlers={OperationalError: database_unavailable, InterfaceError: database_unavailable},
)
