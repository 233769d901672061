"""'Inviter sur son téléphone' in "Mon foyer": the owner gives a member a single-use link to check
in from their own phone, shown once to copy and share, and can take that access back."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.households import member_access
from challenge.households.member_access import MemberAccess
from challenge.infra.db import Database
from ui import context
from ui.actions import attempt
from ui.format import day_month, plain


def link_key(member_id: int) -> str:
    return f"services_member_link_{member_id}"


def own_phone(
    db: Database, household_id: int, member_id: int, name: str, access: MemberAccess | None, link: str | None
) -> None:
    """The member's access: linked (take it back), invited (until when), or a button to invite;
    the link just made, once."""
    if access is not None and access.linked:
        st.caption(_("{name} fait son bilan depuis son téléphone.").format(name=plain(name)))
        if st.button(_("Retirer l'accès"), key=f"services_member_unlink_{member_id}"):
            attempt(
                lambda: member_access.remove_access(db, household_id, member_id),
                _("{name} ne fait plus son bilan depuis son téléphone.").format(name=plain(name)),
            )
        return
    if link is not None:
        st.markdown(_("Envoyez ce lien à {name} (SMS, messagerie) :").format(name=plain(name)))
        st.code(link, language=None, wrap_lines=True)
        st.caption(_("Il ne s'affiche qu'une fois, ne sert qu'une fois et reste valable 7 jours."))
    elif access is not None and access.invited_until is not None:
        st.caption(
            _("Invitation envoyée, valable jusqu'au {date}.").format(
                date=day_month(access.invited_until.date())
            )
        )
    label = _("Inviter sur son téléphone") if access is None and link is None else _("Nouveau lien")
    if st.button(label, key=f"services_member_invite_{member_id}"):
        attempt(
            lambda: member_access.invite_member(db, household_id, member_id),
            _("Le lien pour {name} est prêt : copiez-le ci-dessous.").format(name=plain(name)),
            then=lambda token: st.session_state.__setitem__(
                link_key(member_id), context.app_url() + member_access.PATH + token
            ),
        )
    invited = access is not None and access.invited_until is not None
    if invited and st.button(_("Annuler l'invitation"), key=f"services_member_unlink_{member_id}"):
        attempt(
            lambda: member_access.remove_access(db, household_id, member_id),
            _("L'invitation de {name} est annulée.").format(name=plain(name)),
        )
