"""Settings read once from the environment and `.streamlit/secrets.toml`."""

from __future__ import annotations

import functools
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from challenge.infra.identity_providers import OidcSettings, parse_auth_section
from challenge.infra.mail_settings import MailSettings, load_mail_settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = PROJECT_ROOT / "var"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'zerogafam.sqlite3'}"
SECRETS_PATH = PROJECT_ROOT / ".streamlit" / "secrets.toml"


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know about where it runs."""

    database_url: str
    cookie_secret: str
    cookie_secure: bool = False
    session_max_age_days: int = 30
    frame_ancestors: str = "'none'"
    controller: str = "L'organisateur du défi (à configurer)"
    contact_email: str = "contact@example.invalid"
    log_retention_days: int = 180
    secrecy_threshold: int = 11  # published cells count at least this many households
    oidc: OidcSettings | None = None  # identity providers of [auth]; None: password log-in only
    oidc_session_max_age_days: int = 7  # counted from the provider's authentication time
    mail: MailSettings = field(default_factory=MailSettings)  # SMTP relay, public address for links

    @property
    def session_max_age_seconds(self) -> int:
        return self.session_max_age_days * 24 * 3600


def _read_secrets(path: Path, name: str = "zerogafam") -> Mapping[str, Any]:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        section = tomllib.load(handle).get(name, {})
    return section if isinstance(section, Mapping) else {}


def _local_cookie_secret() -> str:
    """A per-checkout secret for development, created once in the git-ignored var/."""
    path = VAR_DIR / "cookie_secret"
    if not path.exists():
        VAR_DIR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _is_true(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def load_settings(environ: Mapping[str, str] | None = None, secrets_path: Path | None = None) -> Settings:
    """Build settings: environment variables win over secrets.toml, which wins over defaults."""
    env = os.environ if environ is None else environ
    secrets_path = secrets_path or Path(env.get("DZG_SECRETS_FILE") or SECRETS_PATH)
    file = _read_secrets(secrets_path)
    cookie_secret = env.get("DZG_COOKIE_SECRET") or file.get("cookie_secret")
    cookie_secret = str(cookie_secret) if cookie_secret else _local_cookie_secret()
    return Settings(
        database_url=env.get("DATABASE_URL") or file.get("database_url") or DEFAULT_DATABASE_URL,
        cookie_secret=cookie_secret,
        cookie_secure=_is_true(env.get("DZG_COOKIE_SECURE", file.get("cookie_secure", False))),
        session_max_age_days=int(env.get("DZG_SESSION_MAX_AGE_DAYS", file.get("session_max_age_days", 30))),
        frame_ancestors=env.get("DZG_FRAME_ANCESTORS") or file.get("frame_ancestors") or "'none'",
        controller=env.get("DZG_CONTROLLER") or file.get("controller") or Settings.controller,
        contact_email=env.get("DZG_CONTACT_EMAIL") or file.get("contact_email") or Settings.contact_email,
        log_retention_days=int(env.get("DZG_LOG_RETENTION_DAYS", file.get("log_retention_days", 180))),
        secrecy_threshold=int(env.get("DZG_SECRECY_THRESHOLD", file.get("secrecy_threshold", 11))),
        oidc=parse_auth_section(_read_secrets(secrets_path, "auth"), cookie_secret),
        oidc_session_max_age_days=int(
            env.get("DZG_OIDC_SESSION_MAX_AGE_DAYS", file.get("oidc_session_max_age_days", 7))
        ),
        mail=load_mail_settings(env, file),
    )


def current_settings() -> Settings:
    """This process's settings, parsed once; parsed again only if the environment (DATABASE_URL,
    DZG_*) or the secrets file changes, as tests and operators' one-off commands may do."""
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k == "DATABASE_URL" or k.startswith("DZG_")))
    path = Path(dict(env).get("DZG_SECRETS_FILE") or SECRETS_PATH)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = None
    return _settings_for(env, str(path), stamp)


@functools.lru_cache(maxsize=8)
def _settings_for(env: tuple[tuple[str, str], ...], path: str, stamp: int | None) -> Settings:
    return load_settings(dict(env), Path(path))
