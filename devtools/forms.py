"""Reading our own HTML forms as a browser would, for tests and the load harness."""

from __future__ import annotations

import re

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token of the first form of `page`; ValueError when the page has none."""
    found = _CSRF.search(page)
    if found is None:
        raise ValueError(f"no CSRF field in this page: {page[:300]!r}")
    return found.group(1)
