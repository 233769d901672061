"""The Streamlit script: page frame and navigation built for the current visitor's role."""

from __future__ import annotations

import streamlit as st

from ui import context
from ui.frame import load_css, show_flash, sidebar_account

st.set_page_config(page_title="Défi Zéro Gafam", page_icon="assets/favicon.png", layout="centered")

identity = context.identity()

catalogue = st.Page("pages/catalogue.py", title="Catalogue", icon="🌱", url_path="catalogue")
if identity is None:
    pages = [st.Page("pages/home.py", title="Accueil", icon="🏡", default=True), catalogue]
elif not identity.has_household:
    pages = [
        st.Page("pages/onboarding.py", title="Bienvenue", icon="👋", default=True),
        catalogue,
        st.Page("pages/account.py", title="Mon compte", icon="👤", url_path="compte"),
    ]
else:
    pages = [
        st.Page("pages/progress.py", title="Mon défi", icon="📈", default=True),
        st.Page("pages/checkin.py", title="Bilan de la semaine", icon="✅", url_path="bilan"),
        st.Page("pages/services.py", title="Mes services", icon="🔁", url_path="services"),
        catalogue,
        st.Page("pages/account.py", title="Mon compte", icon="👤", url_path="compte"),
    ]

navigation = st.navigation(pages, position="top")
load_css()
sidebar_account(identity)
show_flash()
navigation.run()
