"""The foot of every page: the accessibility status (an RGAA requirement) and the privacy notice."""

from __future__ import annotations

import html

import streamlit as st

from challenge.core.i18n import _


def footer() -> None:
    links = (
        ("/accessibilite", _("Accessibilité : partiellement conforme")),
        ("/confidentialite", _("Vos données et vos droits")),
    )
    items = "".join(
        f'<li><a href="{href}" target="_self">{html.escape(label)}</a></li>' for href, label in links
    )
    label = html.escape(_("Informations légales"))
    st.html(f'<nav class="dzg-footer" aria-label="{label}"><ul>{items}</ul></nav>')
