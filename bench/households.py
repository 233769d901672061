"""The demo households a load run logs in as, and their session cookies."""

from __future__ import annotations

import http.cookiejar
import subprocess
import sys
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from challenge.accounts import sessions
from challenge.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Account
from devtools.forms import csrf_token
from web.identity import SESSION_COOKIE, session_signer


def prepare_database(folder: Path, households: int, url: str | None = None) -> str:
    """Migrate, load the reference data and the demo edition with `households` households into
    `url` (an empty database), by default a new SQLite file in `folder`."""
    url = url or f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    for command in (
        ["migrate"],
        ["load-reference"],
        ["demo", "--households", str(households), "--weeks", "6"],
    ):
        subprocess.run(  # noqa: S603 - our own CLI, arguments as a list
            [sys.executable, "-m", "challenge", *command],
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )
    return url


def household_emails(count: int) -> list[str]:
    return [f"foyer-{index:05d}@{DEMO_DOMAIN}" for index in range(1, count + 1)]


def minted_cookies(database_url: str, cookie_secret: str, emails: list[str]) -> list[str]:
    """Session cookies made directly in the database (the harness owns this server)."""
    signer = session_signer(Settings(database_url=database_url, cookie_secret=cookie_secret))
    db = Database(database_url)
    try:
        with db.read() as session:
            rows = session.execute(select(Account.email, Account.id).where(Account.email.in_(emails)))
            ids = {email: account_id for email, account_id in rows}
        tokens = [sessions.open_session(db, ids[email], timedelta(hours=3)) for email in emails]
    finally:
        db.dispose()
    return [signer.sign(token).decode() for token in tokens]


def form_cookie(base: str, email: str) -> str:
    """Log in through the real /connexion form; returns the session cookie's value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/connexion", timeout=30).read().decode()
    form = urllib.parse.urlencode({"csrf": csrf_token(page), "email": email, "password": DEMO_PASSWORD})
    opener.open(f"{base}/connexion", data=form.encode(), timeout=60)
    cookie = next((c.value for c in jar if c.name == SESSION_COOKIE), None)
    if cookie is None:
        raise RuntimeError(f"log-in refused for {email}")
    return cookie
