"""The people of a household on "Mes services": add, rename or remove them, and say who uses
each service; names are the household's own text, always escaped."""

from __future__ import annotations

import streamlit as st

from challenge.core import labels
from challenge.core.i18n import _, ngettext
from challenge.households import members
from challenge.households.member_access import MemberAccess
from challenge.households.member_places import MemberPlace
from challenge.infra.db import Database
from challenge.models.members import MEMBER_NAME_LENGTH
from ui.actions import attempt
from ui.format import plain
from ui.member_phone import link_key, own_phone


def members_section(
    db: Database, household_id: int, people: dict[int, str], access: dict[int, MemberAccess] | None = None
) -> None:
    """ "Mon foyer": each person (to rename, remove, or invite to check in from their own phone)
    and a form to add one."""
    st.header(_("Mon foyer"))
    st.caption(
        _(
            "Plusieurs personnes dans le foyer ? Ajoutez-les (un prénom ou un surnom suffit, sans "
            "compte) : pour un service que plusieurs utilisent, chacune répondra au bilan, ici ou "
            "depuis son téléphone (« Inviter sur son téléphone »)."
        )
    )
    for member_id, name in people.items():
        link = st.session_state.pop(link_key(member_id), None)  # shown once, right after inviting
        with st.expander(plain(name), expanded=link is not None):
            _member(db, household_id, member_id, name)
            own_phone(db, household_id, member_id, name, (access or {}).get(member_id), link)
    if len(people) >= members.MAX_MEMBERS:
        st.caption(_("Un foyer compte au plus {max} personnes.").format(max=members.MAX_MEMBERS))
        return
    with st.form("services_member_form", clear_on_submit=True, border=False):
        new = st.text_input(
            _("Ajouter une personne"),
            key="services_member_new",
            max_chars=MEMBER_NAME_LENGTH,
            placeholder=_("Prénom ou surnom"),
        )
        added = st.form_submit_button(_("Ajouter"), key="services_member_add", width="stretch")
    if added:
        attempt(
            lambda: members.add_member(db, household_id, new),
            _("{name} fait partie du foyer.").format(name=plain(" ".join(new.split()))),
        )


def _member(db: Database, household_id: int, member_id: int, name: str) -> None:
    renamed = st.text_input(
        _("Prénom ou surnom"),
        value=name,
        key=f"services_member_name_{member_id}",
        max_chars=MEMBER_NAME_LENGTH,
    )
    with st.container(horizontal=True):
        if st.button(_("Renommer"), key=f"services_member_rename_{member_id}"):
            attempt(lambda: members.rename_member(db, household_id, member_id, renamed), _("C'est noté."))
        if st.button(_("Retirer du foyer"), key=f"services_member_remove_{member_id}"):
            attempt(
                lambda: members.remove_member(db, household_id, member_id),
                _("{name} ne fait plus partie du foyer.").format(name=plain(name)),
            )


def service_users(slug: str, service: str, people: dict[int, str], users: list[int]) -> list[int]:
    """ "Qui l'utilise ?" for one service, when the household has two people or more: the members
    chosen (none: the whole household). One pill per person, a tap each: a household has at most
    `members.MAX_MEMBERS` people, so every name is in view, no list to open or text to type."""
    chosen: list[int] = st.pills(
        _("Qui utilise {service} ?").format(service=plain(service)),
        list(people),
        selection_mode="multi",
        default=[m for m in users if m in people],
        format_func=lambda member: plain(people[member]),  # pill labels are markdown: names escaped
        key=f"services_users_{slug}",
    )
    if len(chosen) >= 2:
        st.caption(
            ngettext(
                "Au bilan, {count} réponse pour {service}, une par personne.",
                "Au bilan, {count} réponses pour {service}, une par personne.",
                len(chosen),
            ).format(count=len(chosen), service=plain(service))
        )
    else:
        st.caption(_("Une seule réponse au bilan pour ce service (aucun nom choisi : tout le foyer)."))
    return chosen


def member_places(places: list[MemberPlace], service: str) -> str:
    """ "Léa : Signal · Tom : encore WhatsApp" on a line of its own under a service of "Mon défi"
    (markdown, names escaped); empty when nobody answered one by one."""
    if not places:
        return ""
    shown = " · ".join(
        _("{name} : {place}").format(
            name=plain(place.name), place=plain(labels.member_place(place.status, service, place.alternative))
        )
        for place in places
    )
    return "  \n  " + shown  # a line break inside the list item
