"""One service's answer in the weekly check-in: a tap on what happened, naming the alternative the
household chose, and the quantities only when they can apply."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core import labels
from challenge.core.i18n import _
from challenge.core.scoring import STATUSES, USES_ALTERNATIVE
from challenge.households.checkins import CheckinEntry
from challenge.households.quantities import quantities_to_ask
from challenge.views.household import CheckinView
from ui.format import number, plain
from ui.widget_values import read_widget


def service_answer(view: CheckinView, slug: str, week: int, service: str) -> CheckinEntry:
    """Draw a service's answer (starting on the household's last one, or on none the first time)
    and return it as sent: its status is None while not answered."""
    status_key = f"checkin_status_{slug}_{week}"
    # Shown on the last answer, with no default of its own: a value that is not one of the answers
    # (only a modified client sends one) becomes None, which the page and record_checkin refuse.
    st.session_state.setdefault(status_key, view.last_status(week, slug))
    chosen = view.chosen(slug)
    choice = read_widget(
        partial(
            st.radio,
            f"**{plain(service)}**",
            STATUSES,
            horizontal=True,
            index=None,
            format_func=lambda status: labels.status_label(status, service, chosen),
            key=status_key,
        ),
        status_key,
        service,
    )
    alternative = _which_alternative(view, slug, week, choice)
    current = view.answered(week).get(slug)
    # Quantities as typed (a decimal comma in French): record_checkin reads them, or says why not.
    values = {
        q: st.text_input(
            _("{quantity} (facultatif)").format(quantity=labels.QUANTITY[q].capitalize()),
            value=number(getattr(current, q)) if current and getattr(current, q) is not None else "",
            key=f"checkin_{q}_{slug}_{week}",
        )
        for q in quantities_to_ask(view.quantities.get(slug, []), view.plan.get(slug, []), choice)
    }
    return CheckinEntry(
        slug, choice, values.get("km"), values.get("euros"), values.get("objects"), alternative
    )


def _which_alternative(view: CheckinView, slug: str, week: int, choice: str | None) -> str | None:
    """With several alternatives chosen for the service, which one was used (team goals and
    pledges count it); nothing more to tap with a single one."""
    options = view.plan.get(slug, [])
    if len(options) < 2 or choice not in USES_ALTERNATIVE:
        return None
    key = f"checkin_alternative_{slug}_{week}"
    last = view.last_alternative(week, slug)
    st.session_state.setdefault(key, last if last in options else None)
    names = dict(zip(options, view.chosen(slug), strict=True))
    picked = st.radio(
        _("Laquelle ?"), options, horizontal=True, index=None, format_func=names.__getitem__, key=key
    )
    return picked if picked in options else None
