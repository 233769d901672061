"""Identity providers (OpenID Connect) the operator configured, checked before the app starts.

They live in the `[auth]` section of `.streamlit/secrets.toml`, in Streamlit's own format
(`[auth.<name>]` with client_id, client_secret, server_metadata_url…) plus a few keys of ours:
`label` (the button text) and `required_acr`. Providers of Big Tech
are refused: a challenge to leave the GAFAM does not log people in with them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from challenge.core.errors import ConfigurationError

OUR_KEYS = ("label", "required_acr")
# Once documented as a guard on council roles, but nothing ever applied it: refused, so that no
# operator believes it protects anything (council roles come from the console and invitations).
WITHDRAWN_KEYS = ("council_email_domains",)
_STREAMLIT_REQUIRED = ("client_id", "client_secret", "server_metadata_url")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # st.login names cannot contain "_"
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}
# Refused anywhere in a provider name, and as whole words (short ones would match innocent names).
BIG_TECH_NAMES = (
    "google", "gmail", "youtube", "apple", "icloud", "facebook", "instagram", "whatsapp",
    "microsoft", "azure", "hotmail", "office365", "linkedin", "github", "amazon", "cognito",
)  # fmt: skip
BIG_TECH_WORDS = ("meta", "fb", "entra", "outlook", "live", "msft", "ms", "aws")
BIG_TECH_DOMAINS = (
    "google.com", "googleapis.com", "googleusercontent.com", "apple.com", "icloud.com",
    "facebook.com", "fb.com", "meta.com", "instagram.com", "microsoft.com", "microsoftonline.com",
    "live.com", "windows.net", "azure.com", "b2clogin.com", "office.com", "linkedin.com",
    "github.com", "amazon.com", "amazonaws.com", "amazoncognito.com",
)  # fmt: skip


@dataclass(frozen=True)
class IdentityProvider:
    """One `[auth.<name>]` section: how to reach the provider and the rules we apply to it."""

    name: str
    label: str
    streamlit_section: Mapping[str, Any]  # what st.login needs, our own keys left out
    required_acr: frozenset[str] = frozenset()  # empty: any authentication level is accepted

    def accepts_acr(self, acr: object) -> bool:
        return not self.required_acr or (isinstance(acr, str) and acr in self.required_acr)


@dataclass(frozen=True)
class OidcSettings:
    """The `[auth]` section: where the provider sends people back, and the providers."""

    redirect_uri: str
    cookie_secret: str
    providers: tuple[IdentityProvider, ...] = field(default_factory=tuple)

    def provider(self, name: str) -> IdentityProvider | None:
        return next((p for p in self.providers if p.name == name), None)

    def streamlit_auth_section(self) -> dict[str, Any]:
        """The `[auth]` secrets handed to Streamlit (st.App(secrets=…)), in its own format."""
        section: dict[str, Any] = {"redirect_uri": self.redirect_uri, "cookie_secret": self.cookie_secret}
        for provider in self.providers:
            section[provider.name] = dict(provider.streamlit_section)
        return section


def _fail(where: str, message: str) -> ConfigurationError:
    return ConfigurationError(f"secrets.toml, {where} : {message}")


def is_big_tech(name: str, url: str) -> bool:
    """Whether a provider name or its address belongs to Google, Apple, Meta, Microsoft or Amazon."""
    lowered = name.lower()
    words = set(re.split(r"[^a-z0-9]+", lowered))
    if any(part in lowered for part in BIG_TECH_NAMES) or words & set(BIG_TECH_WORDS):
        return True
    host = (urlparse(url).hostname or "").lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in BIG_TECH_DOMAINS)


def _check_url(where: str, key: str, url: object) -> str:
    parsed = urlparse(str(url))
    if parsed.scheme == "https" or (parsed.scheme == "http" and parsed.hostname in _LOOPBACK):
        return str(url)
    raise _fail(where, f"« {key} » doit être une adresse https:// (http n'est admis que sur cette machine).")


def _strings(where: str, key: str, value: object) -> frozenset[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise _fail(where, f"« {key} » doit être un texte ou une liste de textes.")
    return frozenset(i.strip().lower().lstrip("@") if key.endswith("domains") else i.strip() for i in items)


def parse_provider(name: str, section: Mapping[str, Any]) -> IdentityProvider:
    """One provider section, or a ConfigurationError naming the section and the problem."""
    where = f"[auth.{name}]"
    if not _NAME.match(name) or name == "default":
        raise _fail(where, "nom invalide : lettres minuscules, chiffres et tirets seulement (pas de « _ »).")
    withdrawn = [key for key in WITHDRAWN_KEYS if key in section]
    if withdrawn:
        raise _fail(
            where,
            f"clé « {withdrawn[0]} » non prise en charge : les rôles d'agent de collectivité sont "
            "accordés dans la console (invitation ou rôle), jamais d'après le domaine de l'adresse.",
        )
    missing = [key for key in (*_STREAMLIT_REQUIRED, "label") if not section.get(key)]
    if missing:
        raise _fail(where, f"clé(s) manquante(s) : {', '.join(missing)}.")
    metadata_url = _check_url(where, "server_metadata_url", section["server_metadata_url"])
    if is_big_tech(name, metadata_url):
        raise _fail(
            where,
            "fournisseur refusé : le défi Zéro Gafam ne propose jamais de connexion par Google, "
            "Apple, Meta, Microsoft ou Amazon. Utilisez un fournisseur public ou local "
            "(ProConnect, Keycloak de votre collectivité…).",
        )
    return IdentityProvider(
        name=name,
        label=str(section["label"]).strip(),
        streamlit_section={k: v for k, v in section.items() if k not in OUR_KEYS},
        required_acr=_strings(where, "required_acr", section.get("required_acr", [])),
    )


def derived_cookie_secret(app_secret: str) -> str:
    """A secret for Streamlit's identity cookie derived from ours: one secret to manage, not two."""
    return hmac.new(app_secret.encode(), b"streamlit-auth-cookie", hashlib.sha256).hexdigest()


def parse_auth_section(section: Mapping[str, Any] | None, app_secret: str) -> OidcSettings | None:
    """The providers of `[auth]`, or None when no provider is configured (nothing about OIDC shows)."""
    if not section:
        return None
    if any(key in section for key in _STREAMLIT_REQUIRED):
        raise _fail("[auth]", "nommez le fournisseur dans une section [auth.<nom>] (avec un « label »).")
    names = [name for name, value in section.items() if isinstance(value, Mapping)]
    if not names:
        return None
    redirect_uri = _check_url("[auth]", "redirect_uri", section.get("redirect_uri", ""))
    if not redirect_uri.endswith("/oauth2callback"):
        raise _fail(
            "[auth]",
            "« redirect_uri » doit finir par /oauth2callback (ex. https://defi.exemple.fr/oauth2callback).",
        )
    providers = tuple(parse_provider(name, section[name]) for name in names)
    secret = str(section.get("cookie_secret") or derived_cookie_secret(app_secret))
    return OidcSettings(redirect_uri=redirect_uri, cookie_secret=secret, providers=providers)
