"""The Streamlit script: page frame and navigation built for the current visitor's role."""

from __future__ import annotations

from ui import app_frame

app_frame.draw()
