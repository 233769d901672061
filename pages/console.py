"""The organiser console: a hub linking to its pages (editions, people, catalogue, audit…)."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from ui.console import organiser_identity
from ui.navigation import CONSOLE_PAGES

identity = organiser_identity()
st.title(_("Console des organisateurs"))
st.caption(_("Préparer et conduire une édition sans toucher aux fichiers ni à la base de données."))
for path, title, icon, _url in CONSOLE_PAGES:
    st.page_link(path, label=str(title), icon=icon, width="stretch")
