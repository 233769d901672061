"""The script of floor 2: every run draws the frame of streamlit_app.py and runs no page."""

from ui import app_frame

app_frame.draw(lambda _page: None)
