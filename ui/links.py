"""The one way an address from the catalogue or a household reaches the page: a link element.

Never interpolated into markdown (where `)` and `[` would make other links and images); an
address outside the grammar of challenge.core.weblinks is shown as inert text, not as a link.
"""

from __future__ import annotations

import streamlit as st

from challenge.core.weblinks import is_web_address
from ui.format import plain


def web_links(links: list[tuple[str, str]]) -> None:
    """One link per (label, address), on one row; labels are untrusted text too."""
    with st.container(horizontal=True, gap="small"):
        for label, address in links:
            if is_web_address(address):
                st.link_button(plain(label), address, type="tertiary", icon=":material/open_in_new:")
            else:
                st.markdown(plain(f"{label} : {address}"))
