"""Which pages each visitor gets, and a navigation bar that stays visible on phones."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from challenge.accounts import Identity
from ui.frame import link_row, same_tab_link

HOUSEHOLD_PAGES = [  # (file, title, icon, url path)
    ("pages/progress.py", "Mon défi", "📈", "defi"),
    ("pages/checkin.py", "Bilan", "✅", "bilan"),
    ("pages/services.py", "Services", "🔁", "services"),
    ("pages/team.py", "Collectif", "🤝", "collectif"),
]
TEAMS = ("pages/teams.py", "Classement", "🏆", "classement")  # linked from "Collectif", not in the bar
CATALOGUE = ("pages/catalogue.py", "Catalogue", "🌱", "catalogue")
ACCOUNT = ("pages/account.py", "Compte", "👤", "compte")
PRIVACY = ("pages/privacy.py", "Confidentialité", "🔒", "confidentialite")
MY_DATA = ("pages/my_data.py", "Mes données", "🗂️", "mes-donnees")
RESULTS = ("pages/results.py", "Résultats", "📊", "resultats")
DASHBOARD = ("pages/dashboard.py", "Territoire", "🗺️", "territoire")
DASHBOARD_ROLES = {"council", "organiser"}


def _hidden(spec: tuple[str, str, str, str]) -> StreamlitPage:
    """A page reached from links in other pages, not from the navigation bar."""
    path, title, icon, url_path = spec
    return st.Page(path, title=title, icon=icon, url_path=url_path, visibility="hidden")


def _page(spec: tuple[str, str, str, str], default: bool = False) -> StreamlitPage:
    path, title, icon, url_path = spec
    return st.Page(path, title=title, icon=icon, url_path="" if default else url_path, default=default)


def _gate(url_path: str, title: str, render: Callable[[str], None]) -> StreamlitPage:
    """A hidden page answering at a private URL for someone who may not open it yet."""

    def gate() -> None:
        render(url_path)

    gate.__name__ = f"gate_{url_path}"
    return st.Page(gate, title=title, url_path=url_path, visibility="hidden")


def _login_first(url_path: str) -> None:
    st.title("Connexion nécessaire")
    st.info("Cette page est celle de votre foyer : connectez-vous pour l'ouvrir.")
    link_row(
        same_tab_link("Se connecter", f"/connexion?next=/{url_path}", primary=True),
        same_tab_link("Créer un compte", "/inscription"),
    )


def _onboarding_first(_url_path: str) -> None:
    st.title("Encore une étape")
    st.info("Décrivez d'abord votre foyer pour participer au défi.")
    st.page_link("pages/onboarding.py", label="Inscrire mon foyer", icon="👋")


def _council_only(_url_path: str) -> None:
    st.title("Tableau de bord du territoire")
    st.info("Ce tableau de bord est réservé aux agents des collectivités.")
    st.page_link("pages/results.py", label="Voir les résultats publics", icon="📊")


def pages_for(identity: Identity | None) -> list[StreamlitPage]:
    """The pages of this visitor; private URLs of other roles answer with a gate, not an error."""
    private = [*HOUSEHOLD_PAGES, TEAMS, ACCOUNT, MY_DATA]
    if identity is None:
        public = [st.Page("pages/home.py", title="Accueil", icon="🏡", default=True), _page(CATALOGUE)]
        gates = [_gate(url, title, _login_first) for _, title, _, url in [*private, DASHBOARD]]
        return [*public, _page(RESULTS), _hidden(PRIVACY), *gates]
    council = bool(identity.roles & DASHBOARD_ROLES)
    if not identity.has_household:
        if council:  # a council agent or an organiser: the territory first, a household if they wish
            first = [
                _page(DASHBOARD, default=True),
                _hidden(("pages/onboarding.py", "Bienvenue", "👋", "bienvenue")),
            ]
        else:
            first = [st.Page("pages/onboarding.py", title="Bienvenue", icon="👋", default=True)]
        gates = [_gate(url, title, _onboarding_first) for _, title, _, url in [*HOUSEHOLD_PAGES, TEAMS]]
        rest = [_page(CATALOGUE), _page(RESULTS), _page(ACCOUNT), _hidden(PRIVACY), _hidden(MY_DATA)]
        return [*first, *rest, *gates]
    household = [_page(HOUSEHOLD_PAGES[0], default=True), *(_page(p) for p in HOUSEHOLD_PAGES[1:])]
    household.append(_hidden(TEAMS))
    if council:
        household.append(_page(DASHBOARD))
    others = [_page(CATALOGUE), _hidden(RESULTS), _page(ACCOUNT), _hidden(PRIVACY), _hidden(MY_DATA)]
    gates = [] if council else [_gate(DASHBOARD[3], DASHBOARD[1], _council_only)]
    return [*household, *others, *gates]


def navigation_bar(pages: list[StreamlitPage], identity: Identity | None, current: StreamlitPage) -> None:
    """Links to the visible pages, then log-in links for visitors (back to this page after)."""
    with st.container(horizontal=True, gap="small", key="nav_bar"):
        for page in pages:
            if page.visibility != "hidden":
                st.page_link(page, width="content")
    if identity is None:
        back = f"?next=/{current.url_path}" if current.url_path else ""
        link_row(
            same_tab_link("Se connecter", f"/connexion{back}"),
            same_tab_link("Créer un compte", "/inscription", primary=True),
        )
