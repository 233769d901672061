"""Public catalogue: ethical alternatives by category, filtered by commune."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue.browse import category_label
from challenge.core import labels
from challenge.core.i18n import _, ngettext
from challenge.views.catalogue import alternatives_view, catalogue_view
from ui import context
from ui.format import day, plain
from ui.household_catalogue import suggestion_section
from ui.reference import cached_commune_choices

identity = context.identity()
st.title(_("Catalogue des alternatives"))
st.caption(_("Des services éthiques, locaux, coopératifs ou libres pour remplacer ceux des GAFAM."))

db = context.database()
view = catalogue_view(db, identity.household_id if identity else None)
categories = view.categories
home_commune = view.home.insee_code if view.home else None

choices = cached_commune_choices()
codes = [code for code, _name in choices]
names = dict(choices)
category = st.selectbox(
    _("Catégorie"),
    [None] + [c.slug for c in categories],
    key="catalogue_category",
    format_func=lambda slug: (
        _("Toutes les catégories")
        if slug is None
        else next(category_label(c) for c in categories if c.slug == slug)
    ),
)
commune = st.selectbox(
    _("Disponible dans ma commune"),
    [None, *codes],
    key="catalogue_commune",
    index=codes.index(home_commune) + 1 if home_commune in codes else 0,
    format_func=lambda code: _("Toutes les communes") if code is None else names[code],
    help=_("Tapez le nom ou le code postal de votre commune pour filtrer."),
)

cards = alternatives_view(db, commune, category)

if identity is not None and view.home is not None:
    suggestion_section(identity, view.home, view.suggestions)  # households: a local alternative missing?
st.write(ngettext("**{count}** alternative", "**{count}** alternatives", len(cards)).format(count=len(cards)))
for card in cards:
    alt = card.alternative
    with st.container(border=True):
        local = " · :green-badge[{}]".format(_("Local")) if card.areas else ""
        st.markdown(f"## {plain(alt.name)}{local}")  # h2: h1 → h2, no level skipped
        st.markdown(plain(alt.description))
        st.markdown(_("**Remplace :** {services}").format(services=plain(", ".join(card.replaces))))
        st.markdown(
            _("**Effort :** {effort} · **Coût :** {cost} · **Statut :** {kind}").format(
                effort=labels.EFFORT[alt.effort], cost=labels.COST[alt.cost], kind=labels.KIND[alt.kind]
            )
        )
        if alt.ethics:
            ethics = ", ".join(str(labels.ETHICS[e]) for e in alt.ethics)
            st.markdown(_("**Pourquoi c'est éthique :** {reasons}").format(reasons=ethics))
        if card.areas:
            st.markdown(_("**Disponible à :** {places}").format(places=plain(", ".join(card.areas))))
        st.markdown("[{}]({})".format(_("Visiter le site"), alt.url))
        sources = " · ".join(f"[{plain(s.get('note') or _('source'))}]({s['url']})" for s in alt.sources)
        st.caption(
            _("Sources : {sources} — vérifié le {date}").format(sources=sources, date=day(alt.last_checked))
        )
