"""Public results: edition-wide and per-territory aggregates, same secrecy as the dashboards."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.core.vocabulary import Level
from challenge.statistics.opendata import FILES as OPEN_DATA_FILES
from challenge.views.public import results_view
from ui import context, dashboard_sections, responsive
from ui.dashboard_sections import show
from ui.edition_results import comparison, edition_picker
from ui.format import plain
from ui.statistics_cache import dashboard, territory_tree

context.identity()  # sets the language of this run
settings = context.settings()
tree = territory_tree(settings.database_url)
editions = results_view(context.database())  # the live ones first, then the closed ones: results stay

st.title(_("Résultats du défi"))
if not editions:
    st.info(_("Aucune édition en cours : les résultats paraîtront ici."))
    st.stop()
edition = edition_picker(editions, key="results_edition")
st.caption(
    _(
        "{edition} · chiffres agrégés, aucun foyer identifiable (moins de {threshold} foyers : « secret »)"
    ).format(edition=plain(edition.name), threshold=settings.secrecy_threshold)
)
region = next(k for k, n in tree.nodes.items() if n.level == Level.REGION)
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
board = dashboard(
    edition, edition.id, key, 1, edition.last_reported_week(context.today()), settings.secrecy_threshold
)
if not board.has_figures:
    st.warning(_("Trop peu de foyers sur ce territoire pour publier des chiffres."))
    comparison(editions, key, settings.secrecy_threshold, key="results_comparison")
    st.stop()
with st.container(horizontal=True, gap="medium", key="results_metrics"):
    st.metric(_("Foyers inscrits"), show(board.territory.registered), width="content")
    st.metric(_("Ont remplacé un service"), show(board.territory.switched), width="content")
    st.metric(_("Taux de bilan"), show(board.territory.checkin_rate, " %"), width="content")
responsive.trend(board, key="results_trend")
dashboard_sections.switches(board)
comparison(editions, key, settings.secrecy_threshold, key="results_comparison")
st.header(_("Données ouvertes"))
query = "" if edition == editions[0] else f"?edition={edition.id}"  # the edition chosen above
st.markdown(
    _("Téléchargez les résultats par territoire sous Licence Ouverte 2.0 :")
    + " "
    + " · ".join(f"[{name}.csv](/donnees-ouvertes/{name}.csv{query})" for name in OPEN_DATA_FILES)
)
