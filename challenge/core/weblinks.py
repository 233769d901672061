"""The one grammar of a web address the app accepts from anyone (catalogue, suggestions, files).

Strict on purpose: https only, a host name of letters, digits, hyphens and dots, an optional
port, and a path/query/fragment without parentheses, brackets, quotes, spaces, `!`, `*`, `<`, `>`
or backslashes, so that no address can close a markdown link or open another one
(`https://ok.example/)![x](http://evil.example/s.png)` is refused).
"""

from __future__ import annotations

import re

MAX_LENGTH = 500
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
WEB_ADDRESS = re.compile(
    rf"^https://(?:{_LABEL}\.)+[a-z]{{2,63}}(?::\d{{1,5}})?(?:[/?#][A-Za-z0-9\-._~%/?#=&+,;:@]*)?$"
)


def is_web_address(value: str) -> bool:
    """An https address of the strict grammar above, at most MAX_LENGTH characters."""
    return len(value) <= MAX_LENGTH and WEB_ADDRESS.fullmatch(value) is not None
