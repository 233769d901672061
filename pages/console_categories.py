"""Console: create, edit, retire and reinstate categories and Big Tech services."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue.files import QUANTITIES
from challenge.core.i18n import _
from challenge.curation.entries import save_category, save_service
from challenge.views.console import catalogue_snapshot
from ui import context
from ui.actions import attempt
from ui.catalogue_console import entry_label, retire_button
from ui.console import back_link, organiser_identity
from ui.frame import show_flash

identity = organiser_identity()
back_link()
st.title(_("Catégories et services"))
show_flash()
db = context.database()
snapshot = catalogue_snapshot(db)
categories = {s: e["name"] for s, e in snapshot.active("category")}


tab_categories, tab_services = st.tabs([_("Catégories"), _("Services GAFAM")])
with tab_categories:
    slug = st.selectbox(
        _("Catégorie"), [None, *snapshot.category], key="console_categories_category",
        format_func=lambda s: entry_label(snapshot, "category", s),
    )  # fmt: skip
    entry = snapshot.category.get(slug or "", {"name": "", "name_en": "", "quantities": []})
    with st.form("console_categories_category_form", border=False):
        new_slug = st.text_input(
            _("Identifiant"), slug or "", key="console_categories_c_slug", disabled=bool(slug)
        )
        name = st.text_input(_("Nom"), entry["name"], key="console_categories_c_name")
        name_en = st.text_input(_("Nom en anglais"), entry["name_en"], key="console_categories_c_name_en")
        quantities = st.multiselect(
            _("Quantités"), QUANTITIES, entry["quantities"], key="console_categories_c_q"
        )
        if st.form_submit_button(_("Enregistrer"), key="console_categories_c_save", type="primary"):
            attempt(
                lambda: save_category(
                    db, identity, new_slug, name, name_en, quantities, creating=slug is None
                ),
                _("Catégorie enregistrée."),
            )
    retire_button(db, identity, snapshot, "category", slug)

with tab_services:
    slug = st.selectbox(
        _("Service"), [None, *snapshot.service], key="console_categories_service",
        format_func=lambda s: entry_label(snapshot, "service", s),
    )  # fmt: skip
    entry = snapshot.service.get(slug or "", {"name": "", "company": "", "category": None})
    with st.form("console_categories_service_form", border=False):
        new_slug = st.text_input(
            _("Identifiant"), slug or "", key="console_categories_s_slug", disabled=bool(slug)
        )
        name = st.text_input(_("Nom"), entry["name"], key="console_categories_s_name")
        company = st.text_input(_("Entreprise"), entry["company"], key="console_categories_s_company")
        options = list(categories)
        at = options.index(entry["category"]) if entry["category"] in options else None
        category = st.selectbox(
            _("Catégorie"), options, at,
            key="console_categories_s_category", format_func=categories.__getitem__,
        )  # fmt: skip
        if st.form_submit_button(_("Enregistrer"), key="console_categories_s_save", type="primary"):
            attempt(
                lambda: save_service(
                    db, identity, new_slug, name, company, category or "", creating=slug is None
                ),
                _("Service enregistré."),
            )
    retire_button(db, identity, snapshot, "service", slug)
