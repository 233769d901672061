"""A lost database shows a calm French message, never a traceback; the cause goes to the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from challenge.core.i18n import lazy_gettext
from challenge.infra.db import is_unavailable

UNAVAILABLE_MESSAGE = lazy_gettext(
    "Le service est momentanément indisponible. Vos bilans déjà enregistrés sont en sécurité : "
    "réessayez dans quelques minutes."
)
logger = logging.getLogger("challenge.resilience")


@contextmanager
def unavailable_when_database_is_down() -> Iterator[None]:
    """Wrap a script run: connection errors become `st.error`; other errors are left alone.

    Streamlit's own control flow (st.stop, st.rerun, st.switch_page) passes through untouched.
    The next run tries again: the engine's pool pre-ping replaces dead connections.
    """
    try:
        yield
    except (DBAPIError, PoolTimeoutError) as error:
        if not is_unavailable(error):
            raise
        logger.error("database unavailable during a page run: %s: %s", type(error).__name__, error)
        st.error(str(UNAVAILABLE_MESSAGE))
