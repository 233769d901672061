"""My services: the Big Tech services the household uses and the alternative chosen for each."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core import clock, labels
from challenge.core.i18n import _, ngettext
from challenge.households.profile import save_service_plan
from challenge.models import Alternative
from challenge.views.help import household_help
from challenge.views.household import services_view
from ui import context, help_views, household_members
from ui.actions import attempt
from ui.format import plain
from ui.frame import next_step
from ui.household_catalogue import alternatives_shown, only_one_reason, retired_notice, suggestion_section
from ui.reference import cached_services


def _alternative_label(alternatives: dict[str, Alternative], slug: str) -> str:
    return f"{alternatives[slug].name} · {labels.EFFORT[alternatives[slug].effort].lower()}"


identity = context.household_identity()
db = context.database()
view = services_view(db, identity.household_id)
plan, options = view.plan, view.options
services = {s.slug: s for s in cached_services() if options.get(s.slug)}
helping, shown = household_help(db, identity.household_id, clock.now()), set[int]()

st.title(_("Mes services"))
if st.session_state.pop("services_saved", False) and plan:  # just saved: the check-in comes next
    next_step("pages/checkin.py", _("Faire mon bilan de la semaine"), "services_checkin")
retired_notice(view.retired)  # a chosen alternative closed: pick another
if view.members:  # "Mon foyer" first: each service below asks who uses it
    household_members.members_section(db, identity.household_id, view.members, view.access)

st.header(_("Services et alternatives"))
st.markdown(
    _(
        "Quels services des GAFAM votre foyer utilise-t-il ? Pour chacun, choisissez une "
        "alternative parmi celles disponibles à **{place}**. Vous pourrez changer d'avis à tout moment."
    ).format(place=plain(view.place.name))
)

selected = st.multiselect(
    _("Services utilisés par votre foyer"),
    list(services),
    default=[s for s in plan if s in services],
    format_func=lambda slug: f"{services[slug].name} ({services[slug].category_name})",
    key="services_selected",
    placeholder=_("Ex. : Gmail, WhatsApp, Amazon…"),
    select_all=False,
    wrap=True,  # every chosen service in view, not scrolled sideways
)

chosen: dict[str, list[str]] = {}
users: dict[str, list[int]] = {}  # who uses each service, asked once the household has two people
for slug in selected:
    service, alternatives = services[slug], {a.slug: a for a in options[slug]}
    with st.container(border=True):
        st.markdown(f"**{plain(service.name)}** · {plain(service.company)}")
        chosen[slug] = st.multiselect(
            _("Alternatives à {service}").format(service=plain(service.name)),
            list(alternatives),
            default=[a for a in plan.get(slug, []) if a in alternatives],
            key=f"services_alternatives_{slug}",
            format_func=partial(_alternative_label, alternatives),
            placeholder=_("Choisissez une ou plusieurs alternatives"),
            max_selections=3,
            select_all=False,
            wrap=True,
        )
        alternatives_shown(list(alternatives.values()))  # why, effort, cost: in view, not folded
        if len(alternatives) == 1:
            st.caption(only_one_reason(view.everywhere.get(slug, 1), view.place.name))
        if len(view.members) >= 2:
            users[slug] = household_members.service_users(
                slug, service.name, view.members, view.users.get(slug, [])
            )
        if slug in plan:  # declared: help sessions about it near home, « J'ai besoin d'aide »
            help_views.service_help(db, identity.household_id, slug, helping, shown)

if selected and not all(chosen.values()):
    st.caption(
        _(
            "Astuce : un service sans alternative choisie compte quand même dans votre défi "
            "(vous pouvez aussi simplement l'abandonner)."
        )
    )
if st.button(_("Enregistrer mes choix"), type="primary", key="services_save", width="stretch"):
    attempt(
        lambda: save_service_plan(db, identity.household_id, chosen, users),
        ngettext(
            "C'est noté : {count} service à remplacer. Rendez-vous au bilan de la semaine !",
            "C'est noté : {count} services à remplacer. Rendez-vous au bilan de la semaine !",
            len(chosen),
        ).format(count=len(chosen)),
        then=lambda _saved: st.session_state.update(services_saved=True),
    )

if not view.members:  # one person so far: the services come first, "Mon foyer" after them
    household_members.members_section(db, identity.household_id, view.members, view.access)
suggestion_section(identity, view.place, view.suggestions)  # a local cooperative missing from the list?
