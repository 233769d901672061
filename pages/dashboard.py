"""Territory dashboard for council agents (and organisers): aggregated, never a household."""

from __future__ import annotations

import streamlit as st

from challenge.core.errors import NotFound
from challenge.core.i18n import _
from challenge.views.public import dashboard_entry, open_territory
from ui import context, dashboard_sections, responsive
from ui.dashboard_sections import show
from ui.durability_section import durability_section
from ui.edition_results import comparison, edition_picker
from ui.format import plain
from ui.statistics_cache import dashboard, territory_tree

identity = context.identity()
db, settings = context.database(), context.settings()
tree = territory_tree(settings.database_url)
entry = dashboard_entry(db, identity.account_id if identity else None, tree)
scopes, editions = entry.scopes, entry.editions  # the live editions first; closed results stay
if not scopes:
    st.error(_("Ce tableau de bord est réservé aux agents des collectivités et aux organisateurs."))
    st.stop()

st.title(_("Tableau de bord du territoire"))
if not editions:
    st.info(_("Aucune édition en cours."))
    st.stop()
edition = edition_picker(editions, key="dashboard_edition")
if edition.is_demo:
    st.info(_("Données de démonstration : les foyers sont fictifs."))

scope_key = st.selectbox(
    _("Mon périmètre"), scopes, format_func=lambda k: tree.nodes[k].name, key="dashboard_scope"
)
inside = [scope_key] + [c.key for c in tree.children(scope_key)]
inside += [g.key for c in tree.children(scope_key) for g in tree.children(c.key)]
key = st.selectbox(
    _("Territoire"),
    list(dict.fromkeys(inside)),
    format_func=lambda k: tree.nodes[k].name,
    key="dashboard_territory",
)
last = edition.last_reported_week(context.today())
week_from, week_to = (
    st.select_slider(
        _("Semaines"), options=list(range(1, last + 1)), value=(1, last), key=f"dashboard_weeks_{edition.id}"
    )
    if last > 1
    else (1, 1)
)
try:
    open_territory(db, identity.account_id, tree, key)  # type: ignore[union-attr]
except NotFound as error:
    st.error(error.message)
    st.stop()
board = dashboard(edition, edition.id, key, week_from, week_to, settings.secrecy_threshold)


st.caption(
    _(
        "{edition} · semaines {first} à {last} · "
        "cellules de moins de {threshold} foyers masquées (« secret »)"
    ).format(edition=plain(edition.name), first=week_from, last=week_to, threshold=settings.secrecy_threshold)
)
if not board.has_figures:
    st.warning(
        _(
            "Trop peu de foyers sur ce territoire pour publier des chiffres sans risquer "
            "d'en identifier un. Choisissez un territoire plus large."
        )
    )
    st.stop()
row = board.territory
with st.container(horizontal=True, gap="medium", key="dashboard_metrics"):
    st.metric(_("Foyers inscrits"), show(row.registered), width="content")
    st.metric(_("Foyers actifs"), show(row.active), width="content")
    st.metric(
        _("Taux de bilan"),
        show(row.checkin_rate, " %"),
        width="content",
    )
    st.metric(_("Ont remplacé un service"), show(row.switched), width="content")
st.caption(_("Taux de bilan : part des foyers inscrits ayant fait le bilan la dernière semaine choisie."))

responsive.trend(board, key="dashboard_trend")
dashboard_sections.breakdown(board, tree)
dashboard_sections.switches(board)
compared = comparison(editions, key, settings.secrecy_threshold, key="dashboard_comparison")
lasting = durability_section(tree, key, settings.secrecy_threshold)  # "does it last?", after an edition
dashboard_sections.downloads(board, compared, lasting)
