"""The console's people cards: an account, its roles, grant/revoke, deactivate (`console_people_*`)."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.core.i18n import _
from challenge.core.vocabulary import Role
from challenge.people import invitations, roles
from challenge.people.roles import Person
from ui import context
from ui.actions import attempt
from ui.console import territory_choices
from ui.format import plain


def role_name(role: str) -> str:
    names: dict[str, str] = {
        Role.ORGANISER: _("organisateur·rice"),
        Role.COUNCIL: _("agent de collectivité"),
        Role.CAPTAIN: _("capitaine"),
    }
    return names.get(role, role)


def person_card(identity: Identity, person: Person, editions: dict[int, str]) -> None:
    db, key = context.database(), f"{person.account_id}"
    with st.container(border=True, key=f"console_people_card_{key}"):
        who = plain(person.email) + (f" · {plain(person.pseudonym)}" if person.pseudonym else "")
        st.markdown(f"**{who}**")
        seen = person.last_login_at.strftime("%d/%m/%Y %H:%M") if person.last_login_at else _("jamais")
        state = _("actif") if person.is_active else _("désactivé")
        st.caption(_("Compte {state} · dernière connexion : {seen} (UTC)").format(state=state, seen=seen))
        for grant in person.grants:
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f"{plain(role_name(grant.role))} · {plain(grant.scope)}")
            if right.button(_("Retirer"), key=f"console_people_revoke_{grant.id}"):
                attempt(partial(roles.revoke_role, db, identity, grant.id), _("Rôle retiré."))
        if person.is_active:
            _grant_form(identity, person, editions)
            if st.button(_("Désactiver ce compte"), key=f"console_people_deactivate_{key}"):
                attempt(
                    lambda: roles.deactivate_account(db, identity, person.account_id),
                    _("Compte désactivé ; ses sessions sont fermées."),
                )


def _grant_form(identity: Identity, person: Person, editions: dict[int, str]) -> None:
    key = f"{person.account_id}"
    role = st.selectbox(
        _("Donner un rôle"), list(roles.ROLES), format_func=role_name, key=f"console_people_role_{key}"
    )
    target: str | int | None
    if role == Role.ORGANISER:
        options = [0, *editions]
        target = st.selectbox(
            _("Portée"),
            options,
            format_func=lambda i: _("toutes les éditions") if i == 0 else editions[i],
            key=f"console_people_edition_{key}",
        )
        target = target or None
    elif role == Role.COUNCIL:
        choices = territory_choices(with_region=False)
        target = st.selectbox(
            _("Territoire"),
            list(choices),
            format_func=lambda k: choices[k],
            key=f"console_people_territory_{key}",
        )
    else:
        teams = dict(roles.teams_of(context.database(), person.account_id))
        if not teams:
            st.caption(_("Ce compte ne fait partie d'aucun collectif."))
            return
        target = st.selectbox(
            _("Collectif"), list(teams), format_func=lambda t: teams[t], key=f"console_people_team_{key}"
        )
    if st.button(_("Donner ce rôle"), key=f"console_people_grant_{key}"):
        attempt(
            lambda: roles.grant_role(context.database(), identity, person.account_id, role, target),
            _("Rôle donné."),
        )


def invite_form(identity: Identity) -> None:
    """Invite a council agent: the one-time link is shown here, for the organiser to send."""
    choices = territory_choices(with_region=False)
    with st.form("console_people_invite", clear_on_submit=False):
        email = st.text_input(_("Adresse e-mail de l'agent"), key="console_people_invite_email")
        territory = st.selectbox(
            _("Territoire"),
            list(choices),
            format_func=lambda k: choices[k],
            key="console_people_invite_territory",
        )
        sent = st.form_submit_button(_("Créer le lien d'invitation"), key="console_people_invite_send")
    if not sent:
        return
    mail = context.settings().mail
    token = attempt(
        lambda: invitations.invite_council_agent(
            context.database(), identity, email, str(territory), mail=mail
        )
    )
    if token is None:
        return
    origin = _origin()
    if mail.can_send:
        st.success(_("Invitation envoyée par e-mail. Le lien ne sert qu'une fois et expire dans 7 jours :"))
    else:
        st.success(_("Lien créé. Envoyez-le à l'agent : il ne sert qu'une fois et expire dans 7 jours."))
    st.code(f"{origin}{invitations.PATH}{token}", language=None)


def _origin() -> str:
    url = str(st.context.url or "")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
