"""Who is using the app and with which database, asked once per script run."""

from __future__ import annotations

from datetime import date

import streamlit as st

from challenge import accounts
from challenge.accounts import Identity
from challenge.config import Settings, load_settings
from challenge.db import Database, shared_database

_IDENTITY_KEY = "_identity"


def settings() -> Settings:
    """Read per run (cheap): tests and operators may point DATABASE_URL elsewhere."""
    return load_settings()


def database() -> Database:
    return shared_database(settings().database_url)


def resolve_identity() -> Identity | None:
    """Check the session behind this browser against the database; called once per run.

    st.user["session"] is filled by our middleware from the signed cookie (never by the client).
    """
    session_hash = st.user.get("session")
    identity = accounts.identify(database(), str(session_hash) if session_hash else None)
    st.session_state[_IDENTITY_KEY] = identity
    return identity


def identity() -> Identity | None:
    return st.session_state.get(_IDENTITY_KEY)


def household_identity() -> Identity:
    """The identity of a household member; stops the page for anyone else."""
    current = identity()
    if current is None or current.household_id is None:
        st.error("Cette page est réservée aux foyers inscrits au défi.")
        st.stop()
    return current


def today() -> date:
    return date.today()
