"""Weekly check-in: how did each switch go this week?"""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _, ngettext
from challenge.core.weeks import week_bounds
from challenge.households.checkins import CheckinEntry, UnusualQuantities, record_checkin
from challenge.views.household import checkin_view
from ui import context
from ui.actions import attempt
from ui.checkin_answers import members_rule, service_answer
from ui.format import day_month, plain
from ui.frame import next_step
from ui.member_checkin import member_checkin
from ui.reference import cached_services
from ui.widget_values import read_widget

identity = context.household_identity(members_too=True)  # a member's account: its own line
db, today = context.database(), context.today()
view = checkin_view(db, identity.household_id, today)
plan, quantities = view.plan, view.quantities

st.title(_("Bilan de la semaine"))
if view.edition is None:
    st.info(_("Votre foyer ne participe à aucune édition en cours : le bilan rouvrira avec la prochaine."))
    st.stop()
if not plan:
    st.info(_("Déclarez d'abord les services GAFAM que votre foyer utilise."))
    if identity.owns_household:
        next_step("pages/services.py", _("Déclarer mes services"), "checkin_services")
    st.stop()
edition, weeks = view.edition, view.weeks
if not weeks:
    st.info(_("Le bilan n'est pas ouvert en ce moment : l'édition n'a pas commencé ou est terminée."))
    st.stop()


def week_label(week: int) -> str:
    first, last = week_bounds(edition.start_date, week)
    when = _("cette semaine") if week == weeks[0] else _("rattrapage")
    return _("Semaine {week} ({when}, du {first} au {last})").format(
        week=week, when=when, first=day_month(first), last=day_month(last)
    )


if len(weeks) > 1:
    chosen = read_widget(
        lambda: st.radio(_("Semaine"), weeks, format_func=week_label, key="checkin_week"),
        "checkin_week",
        _("Semaine"),
    )
    if chosen not in weeks:
        st.stop()  # its message is shown; the next run starts from this week
    week = chosen
else:
    week = weeks[0]
    st.caption(week_label(week))
this_week, before = view.answered(week), view.before(week)
names = {s.slug: s.name for s in cached_services()}
if identity.member_id is not None:
    member_checkin(db, identity.household_id, view, identity.member_id, week, names, today)
    st.stop()


unusual_key, confirm_key = f"checkin_unusual_{week}", f"checkin_confirm_{week}"


def save(entries: list[CheckinEntry], confirmed: bool) -> int:
    """Record the week; a quantity far above the usual ones comes back to be confirmed first."""
    try:
        return record_checkin(db, identity.household_id, week, entries, today, confirmed=confirmed)
    except UnusualQuantities as unusual:
        if st.session_state.get(unusual_key) != unusual.message:  # other values: asked afresh
            st.session_state.pop(confirm_key, None)
        st.session_state[unusual_key] = unusual.message
        st.rerun()


def submit(entries: list[CheckinEntry]) -> None:
    confirmed = unusual_key in st.session_state and bool(st.session_state.get(confirm_key))
    attempt(
        lambda: save(entries, confirmed),
        _("Bilan de la semaine {week} enregistré. Bravo, chaque pas compte !").format(week=week),
        then=lambda _count: st.session_state.pop(unusual_key, None),
        go_to="pages/progress.py",
    )


if not this_week and before:
    st.markdown(_("Rien n'a changé depuis votre dernier bilan ? Un seul geste :"))
    if st.button(_("Mêmes réponses que la dernière fois"), key=f"checkin_same_{week}", width="stretch"):
        submit(view.same_as_before(week))  # each member's last answer too
    st.markdown(_("Ou détaillez service par service :"))

if any(len(people) >= 2 for people in view.answering.values()):
    members_rule()  # the household has left a service once everyone who used it has
entries = [service_answer(view, slug, week, names.get(slug, slug)) for slug in plan]
if unusual_key in st.session_state:
    st.warning(st.session_state[unusual_key])
    st.checkbox(_("Oui, ces quantités sont exactes"), key=confirm_key)
label = _("Mettre à jour mon bilan") if this_week else _("Enregistrer mon bilan")
if st.button(label, key=f"checkin_submit_{week}", type="primary", width="stretch"):
    missing = [names.get(e.service_slug, e.service_slug) for e in entries if e.status is None]
    if missing:  # the first check-in starts on no answer: nothing is recorded by accident
        st.error(
            ngettext(
                "Choisissez une réponse pour {services} avant d'enregistrer.",
                "Choisissez une réponse pour chacun de ces services avant d'enregistrer : {services}.",
                len(missing),
            ).format(services=", ".join(plain(m) for m in missing))
        )
    else:
        submit(entries)
