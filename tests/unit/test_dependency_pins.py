"""Pins that keep the log-in tests honest (see pytest.ini, filterwarnings).

The browser tests log in through a real OpenID provider on loopback, oidc-provider-mock 0.3.4.
It keeps its signing key in `authlib.jose`, deprecated in Authlib 1.9 ("compatible before
version 2.0.0"); its token settings go through Authlib's current API (tests/support/oidc_mock.py).
pytest.ini makes every other Authlib deprecation an error and ignores only that import. So
Authlib and the mock stay pinned exactly, and these tests say what to do when an upgrade
changes that, instead of the log-in tests breaking, or warning, silently.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
KNOWN_MOCK_DEPRECATIONS = {"authlib.jose module is deprecated, please use joserfc instead."}


def _pinned(requirements: str, name: str) -> str:
    for line in (REPO_ROOT / requirements).read_text(encoding="utf-8").splitlines():
        requirement = line.split("#")[0].strip()
        if requirement.lower().startswith(name.lower() + "=="):
            return requirement.split("==")[1]
    raise AssertionError(f"{name} is not pinned exactly (==) in {requirements}")


def test_authlib_and_the_mock_provider_are_the_pinned_versions() -> None:
    assert version("Authlib") == _pinned("requirements.txt", "Authlib")
    assert version("oidc-provider-mock") == _pinned("requirements-dev.txt", "oidc-provider-mock")
    assert int(version("Authlib").split(".")[0]) < 2, (
        "Authlib 2 drops authlib.jose, which oidc-provider-mock 0.3.4 needs: upgrade or replace "
        "the mock provider (tests/e2e/test_provider_login.py) first"
    )


def test_the_mock_provider_raises_no_other_authlib_deprecation_on_import() -> None:
    """In a fresh interpreter: the only deprecation its import raises is the known one."""
    probe = (
        "import json, warnings\n"
        "with warnings.catch_warnings(record=True) as seen:\n"
        "    warnings.simplefilter('always')\n"
        "    import oidc_provider_mock\n"
        "print(json.dumps([str(w.message).split('\\n')[0] for w in seen "
        "if 'Deprecation' in w.category.__name__]))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert set(json.loads(output)) <= KNOWN_MOCK_DEPRECATIONS
