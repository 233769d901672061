"""What we rely on in Streamlit's native OIDC (st.login, pinned 1.67): routes, cookies, login URL.

Streamlit (Authlib underneath) runs the flow: /auth/login sends the browser to the provider,
/oauth2callback checks state, PKCE and nonce, exchanges the code and validates the ID token, then
stores its claims in a signed (not encrypted), stateless 30-day cookie. Everything that depends on
those details is here, so that a Streamlit upgrade has one place to check (and the browser tests).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from streamlit.auth_util import get_cookie_with_chunks
from streamlit.user_info import generate_login_redirect_url
from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

LOGIN_PATH = "/auth/login"
LOGOUT_PATH = "/auth/logout"
CALLBACK_PATH = "/oauth2callback"
USER_COOKIE = "_streamlit_user"
TOKENS_COOKIE = "_streamlit_user_tokens"


def login_url(provider: str) -> str:
    """Where st.login(provider) sends the browser: /auth/login with a 2-minute signed token."""
    return generate_login_redirect_url(provider)


def is_auth_cookie(name: str) -> bool:
    """Streamlit's identity cookies, including the numbered chunks of a large one."""
    return any(name == base or (name.startswith(base + "_") and name[len(base) + 1 :].isdigit())
               for base in (USER_COOKIE, TOKENS_COOKIE))  # fmt: skip


def set_cookies(headers: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Name -> value of the cookies a response sets (deletions have an empty value)."""
    cookies: dict[str, str] = {}
    for key, raw in headers:
        if key.lower() == b"set-cookie":
            name, _, rest = raw.decode("latin-1").partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0].strip().strip('"')
    return cookies


def user_claims(cookies: dict[str, str], secret: str) -> dict[str, Any] | None:
    """The ID-token claims in Streamlit's identity cookie, if it is there and its signature holds."""

    def single(name: str) -> bytes | None:
        value = cookies.get(name)
        return decode_signed_value(secret, name, value) if value else None

    decoded = get_cookie_with_chunks(single, USER_COOKIE)
    if decoded is None:
        return None
    try:
        claims = json.loads(decoded)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return claims if isinstance(claims, dict) and claims.get("is_logged_in") else None
