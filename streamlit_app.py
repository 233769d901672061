"""The Streamlit script: page frame and navigation built for the current visitor's role."""

from __future__ import annotations

import streamlit as st

from ui import context
from ui.footer import footer
from ui.frame import GONE_HOME, load_css, show_flash
from ui.navigation import navigation_bar, pages_for
from ui.resilience import unavailable_when_database_is_down

st.set_page_config(page_title="Défi Zéro Gafam", page_icon="assets/favicon.png", layout="centered")

with unavailable_when_database_is_down():
    context.start_run()  # who is there is asked again every run, once
    identity = context.identity()  # also sets the language of this run (account, else cookie)
    pages = pages_for(identity)
    navigation = st.navigation(pages, position="hidden")
    if identity is None and st.session_state.pop(GONE_HOME, False):
        st.switch_page(pages[0])  # the account was just deleted: the visitor's home, not a gate
    load_css()
    navigation_bar(pages, identity, navigation)
    show_flash()
    # The footer is drawn before the page, under the page's own container: a page that ends
    # with st.stop() (nothing runs after it, not even a `finally`) keeps its footer.
    body = st.container()
    footer()
    with body:
        navigation.run()
