"""Server entry: the Streamlit app behind our routes and middleware (assembled in web.application).

Run with `streamlit run app.py` (what `make run` does) or `uvicorn app:app`.
"""

from __future__ import annotations

from challenge.infra.config import current_settings
from challenge.infra.logs import configure_logging
from ui.errors import report_script_error
from web.application import build_app

settings = current_settings()
configure_logging(settings)
app = build_app(settings, on_script_error=report_script_error)
