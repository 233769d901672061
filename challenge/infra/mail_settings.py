"""Where mail goes out (SMTP) and the public address that links in mails point to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_PUBLIC_URL = "http://localhost:8501"


@dataclass(frozen=True)
class MailSettings:
    """SMTP relay of the organiser; no host: mails are queued but never sent."""

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    sender: str = "Défi Zéro Gafam <ne-pas-repondre@example.invalid>"
    public_url: str = DEFAULT_PUBLIC_URL

    @property
    def can_send(self) -> bool:
        return bool(self.smtp_host)

    def link(self, path: str, seen: str = "") -> str:
        """An absolute link to `path` ("/bilan") on the public address; when the operator did not
        set one, on `seen` (the address the browser used) rather than on localhost."""
        base = seen if seen and self.public_url == DEFAULT_PUBLIC_URL else self.public_url
        return base.rstrip("/") + "/" + path.lstrip("/")


def _is_true(value: object) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def load_mail_settings(env: Mapping[str, str], file: Mapping[str, Any]) -> MailSettings:
    """DZG_SMTP_* and DZG_PUBLIC_URL, else the same keys in lower case in secrets.toml."""

    def get(name: str, default: Any = None) -> Any:
        for value in (env.get(f"DZG_{name.upper()}"), file.get(name)):
            if value is not None and value != "":
                return value
        return default

    return MailSettings(
        smtp_host=get("smtp_host"),
        smtp_port=int(get("smtp_port", 587)),
        smtp_user=get("smtp_user"),
        smtp_password=get("smtp_password"),
        smtp_starttls=_is_true(get("smtp_starttls", "true")),
        sender=str(get("smtp_from", MailSettings.sender)),
        public_url=str(get("public_url", DEFAULT_PUBLIC_URL)).rstrip("/"),
    )
