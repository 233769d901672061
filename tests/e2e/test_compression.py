"""Against the real server: Streamlit's shell and bundles come gzipped, our own forms never do."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest

from tests.e2e.conftest import budget

pytestmark = pytest.mark.e2e


def _get(url: str, encoding: str = "gzip, deflate, br") -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310 - our http URL
    with urllib.request.urlopen(request, timeout=budget(10_000) / 1000) as response:  # noqa: S310 - our own http URL
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_app_shell_and_bundles_are_gzipped(live_server: str) -> None:
    headers, body = _get(f"{live_server}/bilan")
    assert headers["content-encoding"] == "gzip"
    shell = gzip.decompress(body).decode()
    assert '<html lang="fr"' in shell  # still rewritten by web.security before compression
    bundle = re.search(r'src="\.?/?(static/js/[^"]+\.js)"', shell)
    assert bundle, "no script bundle in the shell"
    headers, body = _get(f"{live_server}/{bundle.group(1)}")
    assert headers["content-encoding"] == "gzip"
    assert len(body) < len(gzip.decompress(body)) / 2


def test_account_forms_are_never_compressed(live_server: str) -> None:
    headers, body = _get(f"{live_server}/connexion")
    assert "content-encoding" not in headers  # a CSRF token next to reflected input: BREACH
    assert b'name="csrf"' in body


def test_a_client_refusing_gzip_gets_plain_bytes(live_server: str) -> None:
    headers, body = _get(f"{live_server}/", encoding="identity")
    assert "content-encoding" not in headers
    assert b"<html" in body
