"""Floor 1: the app's `st.App` stack (our routes and every middleware) around a one-line page."""

from __future__ import annotations

import streamlit as st

from challenge.infra.config import current_settings
from web.application import app_arguments

app = st.App("trivial_page.py", **app_arguments(current_settings()))
