"""Server entry: the Streamlit app behind our routes and middleware (assembled in web.application).

Run with `streamlit run app.py` (what `make run` does) or `uvicorn app:app`. The `st.App(...)` call
stays written here: `streamlit run` looks for it in this file's source before running anything.
"""

from __future__ import annotations

import streamlit as st

from challenge.infra.config import current_settings
from challenge.infra.logs import configure_logging
from ui.errors import report_script_error
from web.application import app_arguments

settings = current_settings()
configure_logging(settings)
app = st.App("streamlit_app.py", **app_arguments(settings, on_script_error=report_script_error))
