"""Pieces shared by the organiser console's pages: who may open them, territory choices, errors."""

from __future__ import annotations

from typing import TypeVar

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.core import labels
from challenge.core.i18n import _, current_locale
from challenge.core.vocabulary import Level, Role
from challenge.territories.tree import TerritoryTree
from ui import context
from ui.language import apply_locale
from ui.statistics_cache import territory_tree

T = TypeVar("T")


def organiser_identity() -> Identity:
    """The organiser using the page; stops the page for anyone else."""
    current = context.identity()
    apply_locale(current)
    if current is None or not current.has_role(Role.ORGANISER):
        st.error(_("Cette page est réservée aux organisateurs du défi."))
        st.stop()
    return current


def back_link() -> None:
    st.page_link("pages/console.py", label=_("Retour à la console"), icon="⬅️")


def tree() -> TerritoryTree:
    return territory_tree(context.settings().database_url)


def territory_choices(with_region: bool = True) -> dict[str, str]:
    return _territory_choices(context.settings().database_url, with_region, current_locale())


@st.cache_data(show_spinner=False)
def _territory_choices(database_url: str, with_region: bool, locale: str) -> dict[str, str]:
    """ "level:code" → label for every territory of the referential (parts of EPCI left out)."""
    nodes = territory_tree(database_url).nodes.values()
    chosen = [n for n in nodes if "@" not in n.code and (with_region or n.level != Level.REGION)]
    chosen.sort(key=lambda n: (labels.LEVEL_ORDER.get(n.level, 9), n.name))
    return {f"{n.level}:{n.code}": f"{n.name} · {labels.LEVEL[n.level]} {n.code}" for n in chosen}
