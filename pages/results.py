"""Public results: edition-wide and per-territory aggregates, same secrecy as the dashboards."""

from __future__ import annotations

from datetime import date

import streamlit as st

from challenge.editions import shown_edition
from challenge.i18n import _
from ui import context, dashboard_sections, responsive
from ui.dashboard_sections import show
from ui.format import plain
from ui.statistics_cache import dashboard, territory_tree

context.identity()  # sets the language of this run
settings = context.settings()
tree = territory_tree(settings.database_url)
with context.database().read() as session:
    edition = shown_edition(session)  # the live edition, else the last closed one: results stay

st.title(_("Résultats du défi"))
if edition is None:
    st.info(_("Aucune édition en cours : les résultats paraîtront ici."))
    st.stop()
st.caption(
    _(
        "{edition} · chiffres agrégés, aucun foyer identifiable (moins de {threshold} foyers : « secret »)"
    ).format(edition=plain(edition.name), threshold=settings.secrecy_threshold)
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
    _("Territoire"),
    list(dict.fromkeys(choices)),
    format_func=lambda k: tree.nodes[k].name,
    key="results_territory",
)
last = max(1, edition.last_started_week(date.today()))
board = dashboard(edition, edition.id, key, 1, last, settings.secrecy_threshold)
if not board.has_figures:
    st.warning(_("Trop peu de foyers sur ce territoire pour publier des chiffres."))
    st.stop()
with st.container(horizontal=True, gap="medium", key="results_metrics"):
    st.metric(_("Foyers inscrits"), show(board.territory.registered), width="content")
    st.metric(_("Ont remplacé un service"), show(board.territory.switched), width="content")
    st.metric(_("Taux de bilan"), show(board.territory.checkin_rate, " %"), width="content")
responsive.trend(board, key="results_trend")
dashboard_sections.switches(board)
st.subheader(_("Données ouvertes"))
st.markdown(
    _("Téléchargez les résultats par territoire sous Licence Ouverte 2.0 :")
    + " [territoires.csv](/donnees-ouvertes/territoires.csv) · "
    "[categories.csv](/donnees-ouvertes/categories.csv) · "
    "[alternatives.csv](/donnees-ouvertes/alternatives.csv)"
)
