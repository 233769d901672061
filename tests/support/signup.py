"""Signing up through the web form as a household does: the form, then the link it mailed."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select
from starlette.testclient import TestClient

from challenge.infra.db import Database
from challenge.models import OutboxMessage
from devtools.forms import csrf_token

_CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/confirmer-adresse/[\w-]+(?:\?code=\w+)?)")


def confirmation_path(db: Database, email: str) -> str:
    """The path (and invitation code) of the latest confirmation link queued for `email`."""
    with db.read() as session:
        body = session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.kind == "confirm_address", OutboxMessage.to_address == email)
            .order_by(OutboxMessage.id.desc())
        ).first()
    found = _CONFIRM_LINK.search(body or "")
    assert found, f"no confirmation link queued for {email}"
    return found.group(1)


def post_sign_up(client: TestClient, email: str, password: str, code: str | None = None) -> httpx.Response:
    """The sign-up form (its page first, for the CSRF and sign-up cookies), posted once."""
    page = client.get("/inscription", params={"code": code} if code else None)
    form = {"csrf": csrf_token(page.text), "email": email, "password": password}
    if code:
        form["code"] = code
    return client.post("/inscription", data=form, follow_redirects=False)


def sign_up_and_follow_link(
    client: TestClient, db: Database, email: str, password: str, code: str | None = None
) -> httpx.Response:
    """Sign up, then open the mailed link in the same browser and tap "Confirmer": the answer
    that opens the session (303)."""
    answer = post_sign_up(client, email, password, code)
    assert answer.status_code == 200, answer.text[:500]
    path = confirmation_path(db, email.strip().lower())
    page = client.get(path)
    return client.post(path, data={"csrf": csrf_token(page.text)}, follow_redirects=False)
