"""Public catalogue: ethical alternatives by category, filtered by commune."""

from __future__ import annotations

import streamlit as st

from challenge import catalog, labels
from challenge.households import profile_of
from challenge.territories import place_of
from ui import context
from ui.format import plain
from ui.reference import cached_commune_choices

st.title("Catalogue des alternatives")
st.caption("Des services éthiques, locaux, coopératifs ou libres pour remplacer ceux des GAFAM.")

identity = context.identity()
with context.database().read() as session:
    categories = catalog.categories(session)
    home_commune = (
        profile_of(session, identity.household_id).place.insee_code
        if identity and identity.household_id
        else None
    )

choices = cached_commune_choices()
codes = [code for code, _ in choices]
names = dict(choices)
category = st.selectbox(
    "Catégorie",
    [None] + [c.slug for c in categories],
    key="catalogue_category",
    format_func=lambda slug: (
        "Toutes les catégories" if slug is None else next(c.name for c in categories if c.slug == slug)
    ),
)
commune = st.selectbox(
    "Disponible dans ma commune",
    [None, *codes],
    key="catalogue_commune",
    index=codes.index(home_commune) + 1 if home_commune in codes else 0,
    format_func=lambda code: "Toutes les communes" if code is None else names[code],
    help="Tapez le nom ou le code postal de votre commune pour filtrer.",
)

with context.database().read() as session:
    place = place_of(session, commune) if commune else None
    cards = catalog.browse(session, place, category)

st.write(f"**{len(cards)}** alternatives")
for card in cards:
    alt = card.alternative
    with st.container(border=True):
        local = " · :green-badge[Local]" if card.areas else ""
        st.markdown(f"#### {plain(alt.name)}{local}")
        st.markdown(plain(alt.description))
        st.markdown(f"**Remplace :** {plain(', '.join(card.replaces))}")
        st.markdown(
            f"**Effort :** {labels.EFFORT[alt.effort]} · **Coût :** {labels.COST[alt.cost]} · "
            f"**Statut :** {labels.KIND[alt.kind]}"
        )
        if alt.ethics:
            st.markdown("**Pourquoi c'est éthique :** " + ", ".join(labels.ETHICS[e] for e in alt.ethics))
        if card.areas:
            st.markdown(f"**Disponible à :** {plain(', '.join(card.areas))}")
        st.markdown(f"[Visiter le site]({alt.url})")
        sources = " · ".join(f"[{plain(s.get('note') or 'source')}]({s['url']})" for s in alt.sources)
        st.caption(f"Sources : {sources} — vérifié le {alt.last_checked:%d/%m/%Y}")
