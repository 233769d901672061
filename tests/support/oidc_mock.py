"""The mock OpenID provider of the log-in tests (oidc-provider-mock 0.3.4) on Authlib's current API.

The mock configures its ID tokens through `get_jwt_config`, which Authlib deprecates ("will be
removed", a DeprecationWarning at every token: ~35 per run of the log-in tests). Once Authlib
drops it, the mock would sign tokens without its key, issuer and lifetime, and the log-in
tests would fail far from the cause. `use_current_authlib_api()` gives the mock's OpenIDCode
the methods Authlib asks for instead (private key, algorithm, claims, header) with the same
values, and removes `get_jwt_config`; pytest.ini turns any other deprecation of Authlib into
an error, so the next one is seen at once.
"""

from __future__ import annotations

import time
from typing import Any

import flask
from joserfc.jwk import RSAKey
from oidc_provider_mock import _app as mock

_PATCHED = "_dzg_current_authlib_api"


def _private_key(self: Any, client: object) -> RSAKey:
    return RSAKey.import_key(mock.storage.jwk.as_dict(is_private=True))


def _algorithm(self: Any, client: object) -> str:
    return mock._JWS_ALG


def _claims(self: Any, client: object) -> dict[str, Any]:
    lifetime = int(self._token_max_mage.total_seconds())
    return {"iss": flask.request.host_url.rstrip("/"), "exp": int(time.time()) + lifetime}


def _header(self: Any, client: object) -> dict[str, str]:
    return {"alg": mock._JWS_ALG}


def use_current_authlib_api() -> None:
    """Patch the mock's OpenIDCode once (idempotent): call before starting a mock provider."""
    code = mock.OpenIDCode
    if getattr(code, _PATCHED, False):
        return
    code.resolve_client_private_key = _private_key  # type: ignore[attr-defined]
    code.get_client_algorithm = _algorithm  # type: ignore[attr-defined]
    code.get_client_claims = _claims  # type: ignore[attr-defined]
    code.get_encode_header = _header  # type: ignore[attr-defined]
    del code.get_jwt_config
    setattr(code, _PATCHED, True)
