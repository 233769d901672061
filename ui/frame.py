"""Pieces of the frame shared by every page: account links, demo banner, same-tab links."""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import streamlit as st

PHONE_CSS = Path(__file__).resolve().parents[1] / "assets" / "phone.css"


def same_tab_link(label: str, href: str, primary: bool = False) -> str:
    """HTML of a link that stays in the tab (Streamlit's own links open a new one)."""
    style = "dzg-button primary" if primary else "dzg-button"
    return f'<a class="{style}" href="{html.escape(href)}" target="_self">{html.escape(label)}</a>'


def link_row(*links: str, label: str | None = None) -> None:
    """Links side by side; with a `label`, a navigation landmark screen readers list by that name.

    Only the account row of the page frame is navigation; the calls to action of a page are a
    plain group (unnamed `<nav>` landmarks repeated on a page are an accessibility fault).
    """
    inner = "".join(links)
    if label is None:
        st.html(f'<div class="dzg-links">{inner}</div>')
    else:
        st.html(f'<nav class="dzg-links" aria-label="{html.escape(label)}">{inner}</nav>')


def load_css() -> None:
    st.html("""<style>
    [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
    .dzg-links { display: flex; gap: .5rem; justify-content: flex-end; align-items: center; flex-wrap: wrap; }
    .dzg-who { color: #4d5a53; font-size: .9rem; margin-right: auto; overflow-wrap: anywhere; }
    .dzg-button { display: inline-block; padding: .55rem .95rem; border-radius: .5rem; font-weight: 600;
                  text-decoration: none; border: 2px solid #1b6b4a; color: #124d35 !important;
                  min-height: 2.75rem; }
    .dzg-button.primary { background: #1b6b4a; color: #fff !important; }
    .dzg-button:focus { outline: 3px solid #f0b429; outline-offset: 2px; }
    .dzg-lang { display: inline-flex; align-items: center; min-height: 2.75rem; padding: 0 .5rem;
                color: #124d35 !important; font-weight: 600; text-decoration: underline; }
    .dzg-lang:focus { outline: 3px solid #f0b429; outline-offset: 2px; }
    </style>""")
    st.html(phone_css())  # contrast, touch targets, wrapping, tables as lists on phones


@cache
def phone_css() -> str:
    """assets/phone.css as a style block, read once per process (a deploy restarts the process)."""
    return f"<style>{PHONE_CSS.read_text(encoding='utf-8')}</style>"


_FLASH_KEY = "_flash"


GONE_HOME = "dzg_gone_home"  # set when the account is deleted: the next run opens the visitor's home


def flash(message: str) -> None:
    """A success message shown once, on the next run (survives st.rerun and page switches)."""
    st.session_state[_FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(message)


def next_step(page: str, label: str, key: str) -> None:
    """The one obvious next action of a page: a link drawn as a full-width primary button
    (assets/phone.css styles `next_step_*`), still a link for screen readers and long presses."""
    with st.container(key=f"next_step_{key}"):
        st.page_link(page, label=label, width="stretch")
