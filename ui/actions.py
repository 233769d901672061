"""Running what a person asked for: a refused action shows the rule's message in their language,
never a traceback; a done one shows a flash message on the next run (or the page it leads to)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from challenge.core.errors import ChallengeError
from challenge.core.i18n import _
from ui.frame import flash

T = TypeVar("T")


def attempt(
    action: Callable[[], T],
    success: str | Callable[[T], str] | None = None,
    *,
    then: Callable[[T], object] | None = None,
    go_to: str | None = None,
) -> T | None:
    """Run a service call. Refused: its message, and None. Done: `then`, the `success` flash, and
    a fresh run of this page (or of `go_to`). Without `success`, the page goes on as it is."""
    try:
        result = action()
    except ChallengeError as error:
        st.error(error.message)
        return None
    if then is not None:
        then(result)
    if success is None:
        return result
    flash(success(result) if callable(success) else success)
    if go_to is not None:
        st.switch_page(go_to)
    st.rerun()
    return result  # not reached: both end the run


def succeeded(action: Callable[[], object]) -> bool:
    """Run a service call on this very run: True when done; refused, its message and False."""
    try:
        action()
    except ChallengeError as error:
        st.error(error.message)
        return False
    return True


def shown_or_stop(read: Callable[[], T]) -> T:
    """What a page reads to show itself; when a rule refuses it, its message ends the page."""
    try:
        return read()
    except ChallengeError as error:
        st.info(error.message)
        st.stop()
        raise  # not reached: st.stop ends the run


def asks_first(label: str, key: str, question: str, confirm: str) -> bool:
    """A button for an action hard to undo: the first tap asks `question`, and only the confirming
    tap returns True (once); "Annuler" forgets it. Keys: `key`, `key`_confirm, `key`_cancel."""
    asked = f"{key}_asked"
    if not st.session_state.get(asked):
        if st.button(label, key=key, width="stretch"):
            st.session_state[asked] = True
            st.rerun()
        return False
    st.warning(question)
    yes, no = st.columns(2)
    if yes.button(confirm, key=f"{key}_confirm", type="primary", width="stretch"):
        del st.session_state[asked]
        return True
    if no.button(_("Annuler"), key=f"{key}_cancel", width="stretch"):
        del st.session_state[asked]
        st.rerun()
    return False
