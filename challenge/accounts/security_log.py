"""The security log: log-ins, failures, log-outs; never a password, never an e-mail in clear."""

from __future__ import annotations

import functools
import hashlib
import logging

from challenge.infra.config import current_settings

logger = logging.getLogger("challenge.security")


@functools.cache
def _key() -> bytes:
    return hashlib.sha256(current_settings().cookie_secret.encode()).digest()


def pseudonymise(email: str) -> str:
    """A keyed digest of the e-mail: lets an operator correlate attempts, not read addresses."""
    normalized = (email or "").strip().lower().encode()
    return hashlib.blake2b(normalized, key=_key()[:64], digest_size=8).hexdigest()


def log_event(
    event: str, *, account_id: int | None = None, email: str | None = None, **details: object
) -> None:
    """One line per security event, e.g. `login_failed account=- email=3fa2… reason=bad_password`."""
    fields = {"account": account_id if account_id is not None else "-"}
    if email is not None:
        fields["email"] = pseudonymise(email)
    fields.update({name: str(value) for name, value in details.items()})
    logger.info("%s %s", event, " ".join(f"{name}={value}" for name, value in fields.items()))
