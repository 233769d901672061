"""Console: browse the catalogue, retire or reinstate alternatives, re-check the oldest ones."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core.i18n import _
from challenge.curation.lifecycle import mark_checked, set_retired
from challenge.territories.referential import search_key
from challenge.views.console import catalogue_console_view
from ui import context
from ui.actions import attempt
from ui.catalogue_console import TARGET_KEY, alternative_card
from ui.console import back_link, organiser_identity
from ui.format import day, plain
from ui.frame import show_flash

identity = organiser_identity()
back_link()
st.title(_("Curation du catalogue"))
show_flash()
db, today = context.database(), context.today()
view = catalogue_console_view(db, today)
snapshot, stale = view.snapshot, view.stale

with st.container(horizontal=True):
    if st.button(_("Nouvelle alternative"), key="console_catalogue_new", type="primary"):
        st.session_state.pop(TARGET_KEY, None)
        st.switch_page("pages/console_alternative.py")
    st.page_link("pages/console_categories.py", label=_("Catégories et services"), icon="🗂️")
    st.page_link("pages/console_catalogue_file.py", label=_("Import / export"), icon="📦")
    st.page_link("pages/console_suggestions.py", label=_("Suggestions"), icon="💡")

st.header(_("À revérifier : non vérifiées depuis plus de 12 mois"))
if not stale:
    st.caption(_("Toutes les alternatives ont été vérifiées depuis moins de 12 mois."))
for item in stale:
    with st.container(border=True, horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{plain(item.name)}** · {day(item.last_checked)}")
        if st.button(_("Vérifiée aujourd'hui"), key=f"console_catalogue_check_{item.slug}"):
            attempt(
                partial(mark_checked, db, identity, item.slug, today),
                _("Date de vérification mise à jour."),
            )

st.header(_("Alternatives"))
query = st.text_input(_("Chercher"), key="console_catalogue_search", placeholder=_("Nom ou identifiant"))
show_retired = st.toggle(_("Montrer les alternatives retirées"), key="console_catalogue_show_retired")
wanted = search_key(query)
service_names = {service: str(row["name"]) for service, row in snapshot.service.items()}
for slug, entry in sorted(snapshot.alternative.items(), key=lambda row: search_key(row[1]["name"])):
    if (entry["retired"] and not show_retired) or wanted not in search_key(f"{entry['name']} {slug}"):
        continue
    with st.container(border=True):
        alternative_card(slug, entry, service_names)
        left, right = st.columns(2)
        if left.button(_("Modifier"), key=f"console_catalogue_edit_{slug}", width="stretch"):
            st.session_state[TARGET_KEY] = slug
            st.switch_page("pages/console_alternative.py")
        label = _("Remettre au catalogue") if entry["retired"] else _("Retirer")
        if right.button(label, key=f"console_catalogue_retire_{slug}", width="stretch"):
            done = _("Alternative remise au catalogue.") if entry["retired"] else _("Alternative retirée.")
            attempt(partial(set_retired, db, identity, "alternative", slug, not entry["retired"]), done)
