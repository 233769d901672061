"""Server entry: the Streamlit app with our routes (account forms) and identity middleware.

Run with `streamlit run app.py` (what `make run` does) or `uvicorn app:app`.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from challenge.config import load_settings
from challenge.db import Database, shared_database
from challenge.logs import configure_logging
from challenge.web.account_routes import AccountForms
from challenge.web.identity import IdentityMiddleware
from challenge.web.security import SecurityMiddleware, allowed_hosts
from ui.errors import report_script_error

settings = load_settings()
configure_logging(settings)


def _database() -> Database:
    return shared_database(settings.database_url)


app = st.App(
    "streamlit_app.py",
    routes=AccountForms(_database, settings).routes(),
    middleware=[
        Middleware(SecurityMiddleware, settings=settings, allowed_hosts=allowed_hosts()),
        Middleware(IdentityMiddleware, settings=settings),
    ],
    on_script_error=report_script_error,
)
