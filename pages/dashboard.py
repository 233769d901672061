"""Territory dashboard for council agents (and organisers): aggregated, never a household."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from challenge import dashboard_charts
from challenge.dashboards import check_access, scopes_of
from challenge.editions import live_edition_for
from challenge.errors import NotFound
from ui import context, dashboard_sections
from ui.dashboard_sections import show
from ui.format import plain
from ui.statistics_cache import dashboard, territory_tree

identity = context.identity()
db, settings = context.database(), context.settings()
tree = territory_tree(settings.database_url)
with db.read() as session:
    scopes = scopes_of(session, identity.account_id, tree) if identity else []
    edition = live_edition_for(session)
if not scopes:
    st.error("Ce tableau de bord est réservé aux agents des collectivités et aux organisateurs.")
    st.stop()

st.title("Tableau de bord du territoire")
if edition is None:
    st.info("Aucune édition en cours.")
    st.stop()
if edition.is_demo:
    st.info("Données de démonstration : les foyers sont fictifs.")

scope_key = st.selectbox(
    "Mon périmètre", scopes, format_func=lambda k: tree.nodes[k].name, key="dashboard_scope"
)
inside = [scope_key] + [c.key for c in tree.children(scope_key)]
inside += [g.key for c in tree.children(scope_key) for g in tree.children(c.key)]
key = st.selectbox(
    "Territoire",
    list(dict.fromkeys(inside)),
    format_func=lambda k: tree.nodes[k].name,
    key="dashboard_territory",
)
last = max(1, edition.last_started_week(date.today()))
week_from, week_to = (
    st.select_slider("Semaines", options=list(range(1, last + 1)), value=(1, last), key="dashboard_weeks")
    if last > 1
    else (1, 1)
)
try:
    with db.read() as session:
        check_access(session, identity.account_id, tree, key)  # type: ignore[union-attr]
except NotFound as error:
    st.error(error.message)
    st.stop()
board = dashboard(edition, edition.id, key, week_from, week_to, settings.secrecy_threshold)


st.caption(
    f"{plain(edition.name)} · semaines {week_from} à {week_to} · cellules de moins de "
    f"{settings.secrecy_threshold} foyers masquées (« secret »)"
)
if not board.has_figures:
    st.warning(
        "Trop peu de foyers sur ce territoire pour publier des chiffres sans risquer "
        "d'en identifier un. Choisissez un territoire plus large."
    )
    st.stop()
row = board.territory
with st.container(horizontal=True, gap="medium", key="dashboard_metrics"):
    st.metric("Foyers inscrits", show(row.registered), width="content")
    st.metric("Foyers actifs", show(row.active), width="content")
    st.metric(
        "Taux de bilan",
        show(row.checkin_rate, " %"),
        width="content",
        help="Part des foyers inscrits ayant fait le bilan la dernière semaine choisie.",
    )
    st.metric("Ont remplacé un service", show(row.switched), width="content")

st.altair_chart(dashboard_charts.trend(board), width="stretch")
with st.expander("Les données de l'évolution"):
    st.dataframe(
        pd.DataFrame(
            [(w, show(a), show(r)) for w, a, r in board.trend], columns=["Semaine", "Bilans", "Inscrits"]
        ),
        hide_index=True,
    )
dashboard_sections.breakdown(board, tree)
dashboard_sections.switches(board)
dashboard_sections.downloads(board)
