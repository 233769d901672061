"""Which pages each visitor gets, and a navigation bar that stays visible on phones."""

from __future__ import annotations

import copy
import html
from collections.abc import Callable

import streamlit as st
from babel.support import LazyProxy
from streamlit.navigation.page import StreamlitPage

from challenge.accounts.sessions import Identity
from challenge.core.i18n import _, current_locale, lazy_gettext
from challenge.core.vocabulary import Role
from ui import context
from ui.frame import link_row, same_tab_link
from ui.language import apply_locale, language_switch_html

HOUSEHOLD_PAGES = [  # (file, title, icon, url path)
    ("pages/progress.py", lazy_gettext("Mon défi"), ":material/home:", "defi"),
    ("pages/checkin.py", lazy_gettext("Bilan"), ":material/task_alt:", "bilan"),
    ("pages/services.py", lazy_gettext("Services"), ":material/swap_horiz:", "services"),
    ("pages/team.py", lazy_gettext("Collectif"), ":material/groups:", "collectif"),
]
TEAMS = (
    "pages/teams.py",
    lazy_gettext("Classement"),
    "🏆",
    "classement",
)  # linked from "Collectif", not in the bar
CATALOGUE = ("pages/catalogue.py", lazy_gettext("Catalogue"), ":material/eco:", "catalogue")
PageSpec = tuple[str, str | LazyProxy, str, str]  # file, title, icon, url path
ACCOUNT = ("pages/account.py", lazy_gettext("Compte"), ":material/person:", "compte")
PRIVACY = ("pages/privacy.py", lazy_gettext("Confidentialité"), "🔒", "confidentialite")
ACCESSIBILITY = ("pages/accessibility.py", lazy_gettext("Accessibilité"), "♿", "accessibilite")
MY_DATA = ("pages/my_data.py", lazy_gettext("Mes données"), "🗂️", "mes-donnees")
WELCOME = ("pages/onboarding.py", lazy_gettext("Bienvenue"), "👋", "bienvenue")  # a household's first step
FOLLOWUP = ("pages/followup.py", lazy_gettext("Ça tient ?"), "🔄", "suivi")  # linked from "Mon défi"
RESULTS = ("pages/results.py", lazy_gettext("Résultats"), ":material/bar_chart:", "resultats")
DASHBOARD = ("pages/dashboard.py", lazy_gettext("Territoire"), ":material/map:", "territoire")
DASHBOARD_ROLES = {Role.COUNCIL, Role.ORGANISER}
CONSOLE = ("pages/console.py", lazy_gettext("Console"), ":material/build:", "console")
# Icons of the bar: Streamlit's own Material Symbols font (served by the app, not a third party),
# which phones show alone in one row (assets/phone.css), where an emoji font may be missing.
# The console's pages, hidden from the bar (reached from the "Console" hub): keep the bar short.
CONSOLE_PAGES = [
    ("pages/console_editions.py", lazy_gettext("Éditions"), "📅", "console-editions"),
    ("pages/console_people.py", lazy_gettext("Personnes et rôles"), "👥", "console-personnes"),
    ("pages/console_audit.py", lazy_gettext("Journal d'audit"), "📜", "console-journal"),
    ("pages/console_catalogue.py", lazy_gettext("Curation du catalogue"), "🌱", "console-catalogue"),
    ("pages/console_alternative.py", lazy_gettext("Fiche d'une alternative"), "✏️", "console-alternative"),
    ("pages/console_categories.py", lazy_gettext("Catégories et services"), "🗂️", "console-categories"),
    ("pages/console_catalogue_file.py", lazy_gettext("Import / export"), "📦", "console-catalogue-fichiers"),
    ("pages/console_suggestions.py", lazy_gettext("Suggestions des foyers"), "💡", "console-suggestions"),
    ("pages/console_help.py", lazy_gettext("Aide pour changer"), "🤝", "console-aide"),
]


def _hidden(spec: PageSpec) -> StreamlitPage:
    """A page reached from links in other pages, not from the navigation bar."""
    path, title, icon, url_path = spec
    return st.Page(path, title=str(title), icon=icon, url_path=url_path, visibility="hidden")


def _notices() -> list[StreamlitPage]:
    """The privacy notice and the accessibility statement, for everyone, linked from the footer."""
    return [_hidden(PRIVACY), _hidden(ACCESSIBILITY)]


def _page(spec: PageSpec) -> StreamlitPage:
    path, title, icon, url_path = spec
    return st.Page(path, title=str(title), icon=icon, url_path=url_path)


def _home(spec: PageSpec) -> list[StreamlitPage]:
    """The role's first page at `/`, and the same page at its own documented address.

    Streamlit serves a default page at `/` only (its own url_path is then unreachable), so
    `/territoire` or `/defi` would answer "Page not found" to the very people they are for. The
    default page gets an internal name of its own; its documented address is a hidden alias.
    """
    path, title, icon, url_path = spec
    first = st.Page(path, title=str(title), icon=icon, url_path=f"{url_path}-accueil", default=True)
    return [first, _hidden(spec)]


def _gate(url_path: str, title: str | LazyProxy, render: Callable[[str], None]) -> StreamlitPage:
    """A hidden page answering at a private URL for someone who may not open it yet."""

    def gate() -> None:
        apply_locale(context.identity())  # AppTest re-runs only the page: it must set its language itself
        render(url_path)

    gate.__name__ = f"gate_{url_path}"
    return st.Page(gate, title=str(title), url_path=url_path, visibility="hidden")


def _login_first(url_path: str) -> None:
    st.title(_("Connexion nécessaire"))
    st.info(_("Cette page est celle de votre foyer : connectez-vous pour l'ouvrir."))
    link_row(
        same_tab_link(_("Se connecter"), f"/connexion?next=/{url_path}", primary=True),
        same_tab_link(_("Créer un compte"), "/inscription"),
    )


def _onboarding_first(_url_path: str) -> None:
    st.title(_("Encore une étape"))
    st.info(_("Décrivez d'abord votre foyer pour participer au défi."))
    st.page_link("pages/onboarding.py", label=_("Inscrire mon foyer"), icon="👋")


def _owners_only(_url_path: str) -> None:
    st.title(_("Réservé au foyer"))
    st.info(context.owners_only_message())
    st.page_link("pages/checkin.py", label=_("Faire mon bilan"), icon="✅")


def _council_only(_url_path: str) -> None:
    st.title(_("Tableau de bord du territoire"))
    st.info(_("Ce tableau de bord est réservé aux agents des collectivités."))
    st.page_link("pages/results.py", label=_("Voir les résultats publics"), icon="📊")


def _organisers_only(_url_path: str) -> None:
    st.title(_("Console des organisateurs"))
    st.info(_("Cette page est réservée aux organisateurs du défi."))


def console_pages(identity: Identity | None) -> list[StreamlitPage]:
    """The console hub in the bar and its hidden pages for organisers; a polite gate for others."""
    if identity is not None and identity.has_role(Role.ORGANISER):
        return [_page(CONSOLE), *(_hidden(spec) for spec in CONSOLE_PAGES)]
    return [_gate(url, title, _organisers_only) for _, title, _, url in [CONSOLE, *CONSOLE_PAGES]]


Audience = tuple[
    str, bool, bool, bool, bool, bool
]  # language, visitor, council, household, organiser, member
_built: dict[Audience, list[StreamlitPage]] = {}


def audience(identity: Identity | None) -> Audience:
    """All that the pages of a visitor depend on: its language and its role, never who it is."""
    if identity is None:
        return (current_locale(), True, False, False, False, False)
    council = bool(identity.roles & DASHBOARD_ROLES)
    organiser = identity.has_role(Role.ORGANISER)
    return (current_locale(), False, council, identity.has_household, organiser, identity.is_member)


def pages_for(identity: Identity | None) -> list[StreamlitPage]:
    """The pages of this visitor, built once per language and role (`audience`).

    Each run gets its own copies: st.navigation marks the page it picks as the one to run, and
    concurrent sessions must not share that mark. Pages hold no per-user data (gates ask who is
    there when they run)."""
    key = audience(identity)
    pages = _built.get(key)
    if pages is None:
        pages = _built.setdefault(key, build_pages(identity))
    return [copy.copy(page) for page in pages]


def build_pages(identity: Identity | None) -> list[StreamlitPage]:
    """The pages of this visitor; private URLs of other roles answer with a gate, not an error."""
    private = [*HOUSEHOLD_PAGES, TEAMS, FOLLOWUP, ACCOUNT, MY_DATA]
    if identity is None:
        public = [
            st.Page("pages/home.py", title=_("Accueil"), icon=":material/home:", default=True),
            _page(CATALOGUE),
        ]
        gates = [_gate(url, title, _login_first) for _, title, _, url in [*private, DASHBOARD]]
        return [*public, _page(RESULTS), *_notices(), *gates, *console_pages(identity)]
    council = bool(identity.roles & DASHBOARD_ROLES)
    if not identity.has_household:
        # A council agent or an organiser: the territory first, a household if they wish.
        first = [*_home(DASHBOARD), _hidden(WELCOME)] if council else _home(WELCOME)
        waiting = [*HOUSEHOLD_PAGES, TEAMS, FOLLOWUP]
        gates = [_gate(url, title, _onboarding_first) for _, title, _, url in waiting]
        if not council:
            gates.append(_gate(DASHBOARD[3], DASHBOARD[1], _council_only))
        rest = [_page(CATALOGUE), _page(RESULTS), _page(ACCOUNT), *_notices(), _hidden(MY_DATA)]
        return [*first, *rest, *gates, *console_pages(identity)]
    if identity.is_member:  # a member's account: its household's challenge and its own check-in
        household = [*_home(HOUSEHOLD_PAGES[0]), _page(HOUSEHOLD_PAGES[1])]
        owners = [*HOUSEHOLD_PAGES[2:], TEAMS, FOLLOWUP]
        household.extend(_gate(url, title, _owners_only) for _, title, _, url in owners)
    else:
        household = [*_home(HOUSEHOLD_PAGES[0]), *(_page(p) for p in HOUSEHOLD_PAGES[1:])]
        household.extend([_hidden(TEAMS), _hidden(FOLLOWUP)])
    if council:
        household.append(_page(DASHBOARD))
    others = [_page(CATALOGUE), _hidden(RESULTS), _page(ACCOUNT), *_notices(), _hidden(MY_DATA)]
    gates = [] if council else [_gate(DASHBOARD[3], DASHBOARD[1], _council_only)]
    return [*household, *others, *gates, *console_pages(identity)]


def _account_link(label: str, href: str, icon: str, primary: bool = False) -> str:
    """A visitor's log-in or sign-up link: its words on wide screens, an icon on phones (the words
    stay for screen readers and as a tooltip), like the page links of the bar."""
    kind = "dzg-account primary" if primary else "dzg-account"
    return (
        f'<a class="{kind}" href="{html.escape(href)}" target="_self" title="{html.escape(label)}">'
        f'<span class="dzg-icon" aria-hidden="true">{icon}</span>'
        f'<span class="dzg-long">{html.escape(label)}</span></a>'
    )


def navigation_bar(pages: list[StreamlitPage], identity: Identity | None, current: StreamlitPage) -> None:
    """One row on every page: the visible pages, the language switch and, for visitors, log-in
    (back to this page) and sign-up; at 360 px all of them are icons or short codes (phone.css)."""
    links = [language_switch_html(current.url_path)]
    if identity is None:
        back = f"?next=/{current.url_path}" if current.url_path else ""
        links.append(_account_link(_("Se connecter"), f"/connexion{back}", "login"))
        links.append(_account_link(_("Créer un compte"), "/inscription", "person_add", primary=True))
    label = _("Langue et compte") if identity is None else _("Langue")
    with st.container(horizontal=True, gap="small", key="nav_bar"):
        for page in pages:
            if page.visibility != "hidden":
                st.page_link(page, width="content")
        st.html(
            f'<nav class="dzg-nav-more" aria-label="{html.escape(label)}">{"".join(links)}</nav>',
            width="content",
        )
