"""A member's own check-in, from their own phone: one line, theirs, for the services they use;
the household's answer follows from everyone's (challenge.households.member_answers)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from challenge.core.i18n import _, ngettext
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.infra.db import Database
from challenge.views.household import CheckinView
from ui.actions import attempt
from ui.checkin_answers import members_rule, status_radio, which_alternative
from ui.format import plain


def member_checkin(
    db: Database,
    household_id: int,
    view: CheckinView,
    member: int,
    week: int,
    names: dict[str, str],
    today: date,
) -> None:
    """Draw the member's line and record it (their answers only; the others' are not shown)."""
    name, mine = view.members.get(member, ""), view.services_of(member)
    st.markdown(_("Vous répondez pour vous, **{name}**.").format(name=plain(name)))
    if not mine:
        st.info(
            _(
                "Votre foyer n'a indiqué aucun service que vous utilisez : demandez-lui de vous ajouter "
                "sur « Qui utilise … ? » dans ses services."
            )
        )
        return
    if any(len(view.users.get(slug, [])) >= 2 for slug in mine):
        members_rule()
    entries = [_own_answer(view, slug, week, member, names.get(slug, slug)) for slug in mine]
    label = _("Enregistrer ma réponse")
    if st.button(label, key=f"checkin_own_submit_{week}", type="primary", width="stretch"):
        missing = [plain(names.get(e.service_slug, e.service_slug)) for e in entries if e.status is None]
        if missing:
            st.error(_("Choisissez une réponse pour {services}.").format(services=", ".join(missing)))
            return
        attempt(  # the household's quantities were confirmed by it: nothing unusual to ask here
            lambda: record_checkin(db, household_id, week, entries, today, confirmed=True, member=member),
            _("Votre réponse de la semaine {week} est enregistrée. Merci !").format(week=week),
            go_to="pages/progress.py",
        )


def _own_answer(view: CheckinView, slug: str, week: int, member: int, service: str) -> CheckinEntry:
    """The member's answer for one service, starting on their last one (else on the household's,
    for a service only they use)."""
    key, chosen = f"checkin_own_status_{slug}_{week}", view.chosen(slug)
    last_status, last_alternative = view.last_member_answer(week, slug, member)
    alone = view.users.get(slug, []) == [member]
    st.session_state.setdefault(key, view.last_status(week, slug) if alone else last_status)
    choice = status_radio(f"**{plain(service)}**", service, chosen, key, service)
    others = [view.members[m] for m in view.users.get(slug, []) if m != member and m in view.members]
    if others:
        st.caption(
            ngettext(
                "Aussi utilisé par {names}, qui répond de son côté.",
                "Aussi utilisé par {names}, qui répondent de leur côté.",
                len(others),
            ).format(names=", ".join(plain(o) for o in others))
        )
    if alone:
        last_alternative = view.last_alternative(week, slug)
    alternative = which_alternative(
        view, slug, week, choice, (member, view.members.get(member, ""), last_alternative)
    )
    return CheckinEntry(slug, choice, alternative=alternative)
