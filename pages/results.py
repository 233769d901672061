"""Public results: edition-wide and per-territory aggregates, same secrecy as the dashboards."""

from __future__ import annotations

from datetime import date

import streamlit as st

from challenge import dashboard_charts
from challenge.editions import live_edition_for
from ui import context, dashboard_sections
from ui.dashboard_sections import show
from ui.format import plain
from ui.statistics_cache import dashboard, territory_tree

settings = context.settings()
tree = territory_tree(settings.database_url)
with context.database().read() as session:
    edition = live_edition_for(session)

st.title("Résultats du défi")
if edition is None:
    st.info("Aucune édition en cours : les résultats paraîtront ici.")
    st.stop()
st.caption(
    f"{plain(edition.name)} · chiffres agrégés, aucun foyer identifiable "
    f"(moins de {settings.secrecy_threshold} foyers : « secret »)"
)
region = next(k for k, n in tree.nodes.items() if n.level == "region")
choices = (
    [region]
    + [c.key for c in tree.children(region)]
    + sorted(
        (e.key for d in tree.children(region) for e in tree.children(d.key)), key=lambda k: tree.nodes[k].name
    )
)
key = st.selectbox(
    "Territoire",
    list(dict.fromkeys(choices)),
    format_func=lambda k: tree.nodes[k].name,
    key="results_territory",
)
last = max(1, edition.last_started_week(date.today()))
board = dashboard(edition, edition.id, key, 1, last, settings.secrecy_threshold)
if not board.has_figures:
    st.warning("Trop peu de foyers sur ce territoire pour publier des chiffres.")
    st.stop()
with st.container(horizontal=True, gap="medium", key="results_metrics"):
    st.metric("Foyers inscrits", show(board.territory.registered), width="content")
    st.metric("Ont remplacé un service", show(board.territory.switched), width="content")
    st.metric("Taux de bilan", show(board.territory.checkin_rate, " %"), width="content")
st.altair_chart(dashboard_charts.trend(board), width="stretch")
dashboard_sections.switches(board)
st.subheader("Données ouvertes")
st.markdown(
    "Téléchargez les résultats par territoire sous Licence Ouverte 2.0 : "
    "[territoires.csv](/donnees-ouvertes/territoires.csv) · "
    "[categories.csv](/donnees-ouvertes/categories.csv) · "
    "[alternatives.csv](/donnees-ouvertes/alternatives.csv)"
)
