"""Protected aggregates cached for everybody: they are the same whoever may see them.

Access is checked before these are called; nothing here depends on who is asking, and no
per-household figure is ever cached.
"""

from __future__ import annotations

import streamlit as st

from challenge.dashboards import Dashboard, build_dashboard
from challenge.editions import EditionView
from challenge.secrecy import Rules
from challenge.statistics import Scope
from challenge.territory_tree import TerritoryTree, build_tree
from ui import context


@st.cache_resource(show_spinner=False)
def territory_tree(database_url: str) -> TerritoryTree:
    with context.database().read() as session:
        return build_tree(session)


@st.cache_data(ttl=300, show_spinner="Calcul des statistiques…", max_entries=256)
def dashboard(
    _edition: EditionView, edition_id: int, key: str, week_from: int, week_to: int, threshold: int
) -> Dashboard:
    tree = territory_tree(context.settings().database_url)
    scope = Scope(_edition, week_from, week_to)
    with context.database().read() as session:
        return build_dashboard(session, tree, key, scope, Rules(threshold=threshold))
