"""Choosing a commune on a phone: type it as you would say it, tap it in a short list.

Streamlit's own searchable list needs accents and hyphens and says "No results" in English; this
search (challenge.territories.search) does not, and answers in the page's language.
"""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.territories.search import find_communes
from ui.format import plain
from ui.reference import cached_commune_entries
from ui.widget_values import read_widget


def commune_picker(prefix: str) -> str | None:
    """A search box and the best matches as a list to tap (the first one chosen): the INSEE code of
    the commune chosen, or None while nothing matches what was typed."""
    typed = st.text_input(
        _("Commune"),
        key=f"{prefix}_commune_query",
        max_chars=80,
        placeholder=_("Nom ou code postal, puis Entrée"),
    )
    st.caption(_("Elle sert à vous proposer les alternatives disponibles près de chez vous."))
    if not typed.strip():
        return None
    found = find_communes(cached_commune_entries(), typed)
    if not found:
        st.warning(
            _(
                "Aucune commune des Hauts-de-France ne correspond à « {typed} » : "
                "vérifiez le nom ou tapez le code postal."
            ).format(typed=plain(typed.strip()))
        )
        return None
    labels = {entry.insee_code: entry.label for entry in found}
    key = f"{prefix}_commune"
    if st.session_state.get(key) not in labels:
        st.session_state[key] = found[0].insee_code  # the best match, until another is tapped
    return read_widget(
        lambda: st.radio(_("Votre commune"), list(labels), format_func=labels.__getitem__, key=key),
        key,
        _("Commune"),
    )
