"""The security middleware over HTTP (Starlette test client): headers, metrics, lang, HSTS."""

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from challenge.infra.config import Settings
from web.security import SecurityMiddleware, is_allowed_host, streamlit_inline_script_hashes

SHELL = '<!doctype html><html lang="en"><head></head><body>app</body></html>'


async def _shell(_request: Request) -> Response:
    return HTMLResponse(SHELL)


async def _asset(_request: Request) -> Response:
    return PlainTextResponse('<html lang="en">not a document</html>', media_type="text/html")


def _client(secure: bool = False) -> TestClient:
    settings = Settings(database_url="sqlite://", cookie_secret="x" * 40, cookie_secure=secure)
    routes = [
        Route("/", _shell),
        Route("/bilan", _shell),
        Route("/static/app.js", _asset),
        Route("/_stcore/metrics", _shell),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(SecurityMiddleware, settings=settings)])
    return TestClient(app, base_url="http://localhost")


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _client() as test_client:
        yield test_client


def test_documents_are_served_in_french_with_a_correct_length(client: TestClient) -> None:
    for path in ("/", "/bilan"):
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert '<html lang="fr">' in response.text
        assert int(response.headers["content-length"]) == len(response.content)


def test_assets_are_left_alone(client: TestClient) -> None:
    assert 'lang="en"' in client.get("/static/app.js").text


def test_metrics_are_hidden(client: TestClient) -> None:
    assert client.get("/_stcore/metrics").status_code == 404


def test_headers_allow_only_our_origin(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["content-security-policy"].startswith("default-src 'self'; script-src 'self' 'sha256-")
    assert streamlit_inline_script_hashes() in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in headers


def test_hsts_behind_https() -> None:
    with _client(secure=True) as secure:
        assert secure.get("/").headers["strict-transport-security"].startswith("max-age=31536000")


def test_unknown_host_is_refused_when_hosts_are_listed() -> None:
    settings = Settings(database_url="sqlite://", cookie_secret="x" * 40)
    app = Starlette(
        routes=[Route("/", _shell)],
        middleware=[Middleware(SecurityMiddleware, settings=settings, allowed_hosts=["localhost"])],
    )
    with TestClient(app, base_url="http://localhost:8501") as client:
        assert client.get("/").status_code == 200
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


@pytest.mark.parametrize(
    ("host", "allowed", "expected"),
    [
        ("localhost", [], True),
        ("a.b", ["*"], True),
        ("app.example.fr", ["*.example.fr"], True),
        ("example.fr.evil", ["*.example.fr"], False),
        ("evil.example", ["localhost"], False),
    ],
)
def test_allowed_host_rules(host: str, allowed: list[str], expected: bool) -> None:
    assert is_allowed_host(host, allowed) is expected
