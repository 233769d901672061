"""`streamlit run app.py` serves our app (routes, middleware), not app.py as a bare script."""

from pathlib import Path

from streamlit.web.server.app_discovery import discover_asgi_app

APP = Path(__file__).resolve().parents[2] / "app.py"


def test_streamlit_run_finds_the_app_with_our_routes_and_middleware() -> None:
    found = discover_asgi_app(APP)
    assert (found.is_asgi_app, found.app_name) == (True, "app")
