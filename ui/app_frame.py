"""The frame of every script run: identity, navigation for the visitor's role, CSS, flash
message and footer around the page. `streamlit_app.py` draws it with the page; the capacity
benchmark (bench/capacity.py) draws it without one, to measure what the frame alone costs."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from ui import context
from ui.footer import footer
from ui.frame import GONE_HOME, load_css, show_flash
from ui.navigation import navigation_bar, pages_for
from ui.resilience import unavailable_when_database_is_down


def draw(page_runner: Callable[[StreamlitPage], None] = StreamlitPage.run) -> None:
    """One script run: the frame, and the page the navigation chose, run by `page_runner`."""
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
            page_runner(navigation)
