"""Console: find an account, see its roles and last log-in, grant or revoke roles, invite an agent."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.people import roles
from challenge.views.console import editions_for
from ui import context
from ui.actions import attempt
from ui.console import back_link, organiser_identity
from ui.console_people import invite_form, person_card

identity = organiser_identity()
back_link()
st.title(_("Personnes et rôles"))
st.caption(_("Les mots de passe ne sont jamais visibles ; d'un foyer, seul son pseudonyme apparaît ici."))
query = st.text_input(_("Rechercher par e-mail ou pseudonyme"), key="console_people_query")
if query:
    people = attempt(lambda: roles.find_people(context.database(), identity, query)) or []
    if query and not people:
        st.info(_("Aucun compte ne correspond."))
    editions = {s.edition.id: s.edition.name for s in editions_for(context.database(), identity)}
    for person in people:
        person_card(identity, person, editions)

st.header(_("Inviter un agent de collectivité"))
invite_form(identity)
