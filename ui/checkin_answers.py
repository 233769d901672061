"""One service's answer in the weekly check-in: a tap on what happened, naming the alternative the
household chose, and the quantities only when they can apply."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core import labels
from challenge.core.i18n import _
from challenge.core.scoring import STATUSES, USES_ALTERNATIVE
from challenge.households.checkins import CheckinEntry
from challenge.households.members import household_status
from challenge.households.quantities import quantities_to_ask
from challenge.views.household import CheckinView
from ui.format import number, plain
from ui.widget_values import read_widget


def status_radio(label: str, service: str, chosen: list[str], key: str, field: str) -> str | None:
    """The tap on what happened to `service` this week (its answers name the `chosen` alternatives),
    started on st.session_state[key]. A value that is not one of the answers (only a modified client
    sends one) becomes None, which the page and record_checkin refuse, naming `field`."""
    return read_widget(
        partial(
            st.radio,
            label,
            STATUSES,
            horizontal=True,
            index=None,
            format_func=lambda status: labels.status_label(status, service, chosen),
            key=key,
        ),
        key,
        field,
    )


def service_answer(view: CheckinView, slug: str, week: int, service: str) -> CheckinEntry:
    """Draw a service's answer (starting on the household's last one, or on none the first time)
    and return it as sent: its status is None while not answered. A service two or more members
    use gets one answer per member instead."""
    if len(view.answering.get(slug, [])) >= 2:
        return _members_answer(view, slug, week, service)
    status_key = f"checkin_status_{slug}_{week}"
    # Shown on the last answer, with no default of its own: a value that is not one of the answers
    # (only a modified client sends one) becomes None, which the page and record_checkin refuse.
    st.session_state.setdefault(status_key, view.last_status(week, slug))
    chosen = view.chosen(slug)
    choice = status_radio(f"**{plain(service)}**", service, chosen, status_key, service)
    alternative = which_alternative(view, slug, week, choice)
    values = _quantities(view, slug, week, choice)
    return CheckinEntry(
        slug, choice, values.get("km"), values.get("euros"), values.get("objects"), alternative
    )


def _quantities(view: CheckinView, slug: str, week: int, choice: str | None) -> dict[str, str]:
    current = view.answered(week).get(slug)
    # Quantities as typed (a decimal comma in French): record_checkin reads them, or says why not.
    return {
        q: st.text_input(
            _("{quantity} (facultatif)").format(quantity=labels.QUANTITY[q].capitalize()),
            value=number(getattr(current, q)) if current and getattr(current, q) is not None else "",
            key=f"checkin_{q}_{slug}_{week}",
        )
        for q in quantities_to_ask(view.quantities.get(slug, []), view.plan.get(slug, []), choice)
    }


def members_rule() -> None:
    """The one rule in one sentence, for households whose members answer one by one."""
    st.caption(
        _(
            "Pour un service que plusieurs personnes utilisent, votre foyer ne l'a quitté que quand "
            "chacune l'a quitté : il compte là où en est la personne la moins avancée."
        )
    )


def which_alternative(
    view: CheckinView,
    slug: str,
    week: int,
    choice: str | None,
    member: tuple[int, str, str | None] | None = None,
) -> str | None:
    """With several alternatives chosen for the service, which one was used (team goals and
    pledges count it); nothing more to tap with a single one. `member`: (id, name, last
    alternative named) when a member answers."""
    options = view.plan.get(slug, [])
    if len(options) < 2 or choice not in USES_ALTERNATIVE:
        return None
    if member is None:
        key, label, last = (
            f"checkin_alternative_{slug}_{week}",
            _("Laquelle ?"),
            view.last_alternative(week, slug),
        )
    else:
        key = f"checkin_member_alternative_{slug}_{member[0]}_{week}"
        label, last = _("Laquelle, pour {name} ?").format(name=plain(member[1])), member[2]
    st.session_state.setdefault(key, last if last in options else None)
    names = dict(zip(options, view.chosen(slug), strict=True))
    picked = st.radio(label, options, horizontal=True, index=None, format_func=names.__getitem__, key=key)
    return picked if picked in options else None


def _members_answer(view: CheckinView, slug: str, week: int, service: str) -> CheckinEntry:
    """One answer per member who uses the service, each starting on their last one (else on the
    household's); the household's answer follows from them (members.household_status)."""
    st.markdown(f"**{plain(service)}**")
    chosen, people = view.chosen(slug), view.answering[slug]
    statuses: dict[int, str] = {}
    alternatives: dict[int, str] = {}
    for member in people:
        name, key = view.members[member], f"checkin_member_status_{slug}_{member}_{week}"
        last_status, last_alternative = view.last_member_answer(week, slug, member)
        st.session_state.setdefault(key, last_status or view.last_status(week, slug))
        choice = status_radio(plain(name), service, chosen, key, name)
        if choice is None:
            continue
        statuses[member] = choice
        picked = which_alternative(view, slug, week, choice, (member, name, last_alternative))
        if picked is not None:
            alternatives[member] = picked
    status = household_status(statuses.values()) if len(statuses) == len(people) else None
    values = _quantities(view, slug, week, status)
    return CheckinEntry(
        slug,
        status,
        values.get("km"),
        values.get("euros"),
        values.get("objects"),
        members=statuses,
        member_alternatives=alternatives,
    )
