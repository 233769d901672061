"""Protected aggregates cached for everybody: they are the same whoever may see them.

Access is checked before these are called; nothing here depends on who is asking, and no
per-household figure is ever cached.
"""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import current_locale
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.statistics.dashboards import Dashboard, build_dashboard
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import TerritoryTree, build_tree
from ui import context


@st.cache_resource(show_spinner=False)
def territory_tree(database_url: str) -> TerritoryTree:
    with context.database().read() as session:
        return build_tree(session)


def generation(edition_id: int) -> int:
    """The edition's data generation (counts.upkeep.generation_of): bumped in the transaction of
    every change of its figures by any process, so a cached dashboard is never older than the
    last write, wherever it was made."""
    with context.database().read() as session:
        return upkeep.generation_of(session, edition_id)


def dashboard(
    edition: EditionView, edition_id: int, key: str, week_from: int, week_to: int, threshold: int
) -> Dashboard:
    """The protected dashboard of a territory, keyed explicitly by the edition's data generation
    and by the language (category names are in the reader's)."""
    return _dashboard(
        edition, edition_id, generation(edition_id), key, week_from, week_to, threshold, current_locale()
    )


@st.cache_data(ttl=300, show_spinner="Calcul des statistiques…", max_entries=256)
def _dashboard(
    _edition: EditionView,
    edition_id: int,
    data_generation: int,
    key: str,
    week_from: int,
    week_to: int,
    threshold: int,
    locale: str,
) -> Dashboard:
    tree = territory_tree(context.settings().database_url)
    scope = Scope(_edition, week_from, week_to)
    with context.database().read() as session:
        return build_dashboard(session, tree, key, scope, Rules(threshold=threshold))
