"""Who is using the app and with which database, asked once per script run."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

import streamlit as st

from challenge.accounts import budgets, sessions
from challenge.accounts.sessions import OWNERS_ONLY, HouseholdIdentity, Identity
from challenge.core import clock
from challenge.core.errors import NotFound
from challenge.core.i18n import _
from challenge.infra.config import Settings, current_settings
from challenge.infra.db import Database, shared_database
from ui.language import apply_locale


def settings() -> Settings:
    """Read per run (cheap): tests and operators may point DATABASE_URL elsewhere."""
    return current_settings()


def database() -> Database:
    return shared_database(settings().database_url)


def client_key() -> str | None:
    """The hashed network of this browser's address, for the budgets of wrong guesses."""
    return budgets.client_key(st.context.ip_address, settings().cookie_secret)


_IDENTITY = "_dzg_identity_of_this_run"  # (session hash, identity), forgotten when a run starts


def start_run() -> None:
    """Forget who was there in the previous run: the script calls it first, every run."""
    st.session_state.pop(_IDENTITY, None)


def identity() -> Identity | None:
    """Who is using this browser, checked against the database once per script run.

    st.user["session"] is filled by our middleware from the signed cookie (never by the client),
    whether the session was opened by the password form or by an identity provider's log-in
    (web.provider_callback); the provider's own claims in st.user are never trusted.
    Each run asks again rather than trusting state from an earlier run (`start_run`): a session
    revoked elsewhere (log out everywhere) stops working at the next interaction. The frame and
    the page of one run share one indexed lookup.
    """
    session_hash = st.user.get("session")
    key = str(session_hash) if session_hash else None
    known = st.session_state.get(_IDENTITY)
    if known is not None and known[0] == key:
        current: Identity | None = known[1]
    else:
        current = sessions.identify(database(), key)
        st.session_state[_IDENTITY] = (key, current)
    apply_locale(current)  # every page asks who is there: it then speaks their language
    return current


def household_identity(members_too: bool = False) -> HouseholdIdentity:
    """The identity of a household's owner (`members_too`: or of a member's account, on the pages
    it may open: "Mon défi" and the check-in); stops the page for anyone else."""
    current = identity()
    if current is None or current.household_id is None:
        st.error(_("Cette page est réservée aux foyers inscrits au défi."))
        st.stop()
        raise AssertionError("not reached: st.stop ends the run")
    try:
        return HouseholdIdentity.of(current, members_too)
    except NotFound as refused:  # a member's account on a page of the household's owner
        st.error(refused.message)
        st.stop()
        raise AssertionError("not reached: st.stop ends the run") from refused


def owners_only_message() -> str:
    return str(OWNERS_ONLY)


def today() -> date:
    return clock.today()


def app_url() -> str:
    """The app's own address as the browser sees it (for links it shows), or ""."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
