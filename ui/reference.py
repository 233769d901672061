"""Reference data cached for all users (it is the same for everybody and changes rarely)."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue import browse
from challenge.catalogue.browse import ServiceView
from challenge.core.i18n import current_locale, use_locale
from challenge.territories.referential import commune_choices
from challenge.territories.search import CommuneEntry, commune_entries
from ui import context


@st.cache_data(ttl=3600, show_spinner=False)
def cached_commune_choices() -> list[tuple[str, str]]:
    with context.database().read() as session:
        return commune_choices(session)


def cached_services() -> list[ServiceView]:
    """The services, their categories named in the language of this run."""
    return _services_in(current_locale())


@st.cache_data(ttl=600, show_spinner=False)
def _services_in(locale: str) -> list[ServiceView]:
    with context.database().read() as session, use_locale(locale):
        return browse.services(session)


@st.cache_data(ttl=3600, show_spinner=False)
def cached_commune_entries() -> list[CommuneEntry]:
    with context.database().read() as session:
        return commune_entries(session)
