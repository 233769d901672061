"""The base of the links we put in mails: the public URL, never a guess an attacker can steer.

A reset link built from the request's Host header would let anyone send a victim a genuine mail
whose link leads to their own site (and collects the token). So: the configured public URL
(DZG_PUBLIC_URL) when there is one; else the request's host only if server.allowedHosts names it
exactly (no wildcard), or if it is this machine (a developer's localhost); else no link at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from starlette.requests import Request

from challenge.infra.config import Settings
from challenge.infra.mail_settings import DEFAULT_PUBLIC_URL

_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
logger = logging.getLogger(__name__)


def link_base(request: Request, settings: Settings, allowed_hosts: Sequence[str]) -> str | None:
    """ "https://defi.example.org" (no trailing slash), or None when no base can be trusted."""
    configured = settings.mail.public_url.rstrip("/")
    if configured and configured != DEFAULT_PUBLIC_URL:
        return configured
    host = (request.url.hostname or "").lower()
    named = host in {h.lower() for h in allowed_hosts if "*" not in h}
    if host in _LOOPBACK or named:
        scheme = "https" if settings.cookie_secure else request.url.scheme
        return f"{scheme}://{request.url.netloc}"
    logger.error("no link base for host %r: set DZG_PUBLIC_URL (mails with links are not sent)", host)
    return None
