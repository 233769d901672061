"""Public catalogue: ethical alternatives by category, filtered by commune."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue.browse import category_label, matches
from challenge.core.i18n import _, ngettext
from challenge.views.catalogue import alternatives_view, catalogue_view
from ui import catalogue_cards, context
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
# One category at a time (the first by default), or a search across all of them: a page never
# draws the whole catalogue at once.
typed = st.text_input(
    _("Chercher une alternative"),
    key="catalogue_search",
    max_chars=80,
    placeholder=_("Ex. : vélo, messagerie, Signal…"),
)
st.session_state.setdefault("catalogue_category", categories[0].slug if categories else None)
category = st.selectbox(
    _("Catégorie"),
    [None] + [c.slug for c in categories],
    key="catalogue_category",
    disabled=bool(typed.strip()),
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
)
st.caption(_("Tapez le nom ou le code postal de votre commune pour filtrer."))

cards = alternatives_view(db, commune, None if typed.strip() else category)
if typed.strip():
    cards = [card for card in cards if matches(card, typed)]

if identity is not None and view.home is not None:
    suggestion_section(identity, view.home, view.suggestions)  # households: a local alternative missing?
st.write(ngettext("**{count}** alternative", "**{count}** alternatives", len(cards)).format(count=len(cards)))
catalogue_cards.cards(cards)
