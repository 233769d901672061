"""Gzip for Streamlit's bundles and shell, never for our own routes (web/compression.py)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from web.compression import CompressionMiddleware, accepts_gzip

BUNDLE = ("console.log('Défi Zéro Gafam');\n" * 400).encode()
FORM = "<form><input name=csrf value=secret-token></form>" * 50


def _bundle(_request: Request) -> Response:
    return Response(BUNDLE, media_type="application/javascript", headers={"etag": '"abc"'})


def _form(_request: Request) -> Response:
    return HTMLResponse(FORM)


def _tiny(_request: Request) -> Response:
    return PlainTextResponse("ok")


OUR_ROUTES = [Route("/connexion", _form)]


@pytest.fixture
def client() -> TestClient:
    streamlit_like = [Route("/static/app.js", _bundle), Route("/static/tiny.txt", _tiny), *OUR_ROUTES]
    app = Starlette(routes=streamlit_like, middleware=[Middleware(CompressionMiddleware, routes=OUR_ROUTES)])
    return TestClient(app)


def test_streamlit_bundle_is_gzipped_with_a_weak_etag(client: TestClient) -> None:
    response = client.get("/static/app.js", headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["content-encoding"] == "gzip"
    assert int(response.headers["content-length"]) < len(BUNDLE) / 10
    assert response.headers["etag"] == 'W/"abc"'
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.content == BUNDLE  # the client decompresses it back


def test_our_routes_are_never_compressed(client: TestClient) -> None:
    response = client.get("/connexion", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert response.text == FORM


@pytest.mark.parametrize(
    "headers",
    [
        {"Accept-Encoding": "identity"},
        {"Accept-Encoding": "gzip;q=0"},
        {"Accept-Encoding": "gzip", "Range": "bytes=0-9"},
    ],
)
def test_no_gzip_when_refused_or_for_a_range(client: TestClient, headers: dict[str, str]) -> None:
    response = client.get("/static/app.js", headers=headers)
    assert "content-encoding" not in response.headers


def test_tiny_bodies_are_sent_as_they_are(client: TestClient) -> None:
    response = client.get("/static/tiny.txt", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers
    assert response.text == "ok"


def test_each_distinct_body_is_compressed_once() -> None:
    middleware = CompressionMiddleware(Starlette(routes=[Route("/static/app.js", _bundle)]))
    client = TestClient(middleware)
    for _ in range(3):
        assert client.get("/static/app.js", headers={"Accept-Encoding": "gzip"}).content == BUNDLE
    assert len(middleware.cache.entries) == 1


def test_accept_encoding_is_read_like_http_says() -> None:
    def scope(value: str) -> dict[str, object]:
        return {"headers": [(b"accept-encoding", value.encode())]}

    assert accepts_gzip(scope("gzip, deflate, br"))
    assert accepts_gzip(scope("br;q=1.0, gzip;q=0.8"))
    assert not accepts_gzip(scope("br"))
    assert not accepts_gzip(scope("gzip;q=0"))
