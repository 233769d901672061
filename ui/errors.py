"""What a person sees when a page fails: a French message and a reference, never a traceback."""

from __future__ import annotations

import logging
import secrets
import traceback
from pathlib import PurePath

import streamlit as st

from challenge.core.i18n import _

logger = logging.getLogger("challenge.errors")


def is_unreadable_widget_value(error: Exception) -> bool:
    """True when Streamlit failed to read a widget value of the wrong type (a number for a radio
    button, a text for a number field): only a modified client sends one. Streamlit reads the
    values it receives before the page runs, so the page cannot catch it (ui.widget_values does
    when the page draws the widget)."""
    if not isinstance(error, TypeError | ValueError | OverflowError):
        return False
    frames = [PurePath(frame.f_code.co_filename).parts for frame, _ in traceback.walk_tb(error.__traceback__)]
    reading_state = any(parts[-4:-1] == ("streamlit", "runtime", "state") for parts in frames)
    return reading_state and bool(frames) and "streamlit" in frames[-1]


def report_script_error(error: Exception) -> bool:
    """on_script_error hook of st.App: log the error with a reference the user can quote."""
    if is_unreadable_widget_value(error):
        logger.warning("a widget value of the wrong type was refused", exc_info=error)
        st.error(
            _(
                "Une valeur reçue par cette page n'est pas valide : rien n'a été enregistré. "
                "Rechargez la page et recommencez."
            )
        )
        return True
    reference = secrets.token_hex(4)
    logger.error("script error ref=%s", reference, exc_info=error)
    st.error(
        _(
            "Oups, une erreur inattendue s'est produite. Réessayez dans un instant ; si cela persiste, "
            "écrivez-nous en citant la référence **{reference}**."
        ).format(reference=reference)
    )
    return True  # suppress Streamlit's own display (details stay in the server log)
