"""What Streamlit's markdown (remark, GFM autolink literals) would turn into a link in a text."""

from __future__ import annotations

import re

# The patterns of mdast-util-gfm-autolink-literal, applied to text after markdown escapes.
_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)
_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
_ESCAPE = re.compile(r"\\(.)")


def autolinks_in(markdown: str) -> list[str]:
    """The bare addresses GFM would make clickable in `markdown`."""
    text = _ESCAPE.sub(r"\1", markdown)
    return [m.group(0) for m in _URL.finditer(text)] + [m.group(0) for m in _EMAIL.finditer(text)]
