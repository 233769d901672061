"""Floor 2: the app's frame (identity, navigation for the role, CSS, flash, footer) with no page."""

from __future__ import annotations

import streamlit as st

from challenge.infra.config import current_settings
from ui.errors import report_script_error
from web.application import app_arguments

app = st.App("frame_page.py", **app_arguments(current_settings(), on_script_error=report_script_error))
