"""What a person sees when a page fails: a French message and a reference, never a traceback."""

from __future__ import annotations

import logging
import secrets

import streamlit as st

from challenge.core.i18n import _

logger = logging.getLogger("challenge.errors")


def report_script_error(error: Exception) -> bool:
    """on_script_error hook of st.App: log the error with a reference the user can quote."""
    reference = secrets.token_hex(4)
    logger.error("script error ref=%s", reference, exc_info=error)
    st.error(
        _(
            "Oups, une erreur inattendue s'est produite. Réessayez dans un instant ; si cela persiste, "
            "écrivez-nous en citant la référence **{reference}**."
        ).format(reference=reference)
    )
    return True  # suppress Streamlit's own display (details stay in the server log)
