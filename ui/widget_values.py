"""A widget value no browser would send is refused with a French message naming the field.

A modified client (or a broken one) may send any value of any type for any widget. Streamlit
reads a value of the wrong type by raising, in the middle of drawing the widget (a number for a
radio button: TypeError), which would end the page on the generic error message.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from challenge.core.i18n import _

T = TypeVar("T")
logger = logging.getLogger(__name__)


def read_widget(draw: Callable[[], T], key: str, field: str) -> T | None:
    """Draw a widget and return its value; an unreadable value gives None, a French message
    naming `field`, and the widget back at its default on the next run."""
    try:
        return draw()
    except (TypeError, ValueError, OverflowError):
        logger.warning("widget %s: a value of the wrong type was refused", key, exc_info=True)
        with contextlib.suppress(Exception):  # Streamlit may fail to read it again while deleting it
            del st.session_state[key]
        st.error(
            _("« {field} » : la valeur reçue n'est pas valide. Choisissez-la à nouveau.").format(field=field)
        )
        return None
