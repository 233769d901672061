"""Help to switch, for organisers: publish help sessions anywhere, answer households without a team."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core import clock
from challenge.core.i18n import _
from challenge.help import requests, sessions
from challenge.views.help import console_help
from ui import context, help_views
from ui.actions import shown_or_stop
from ui.console import back_link, organiser_identity, territory_choices

identity = organiser_identity()
db = context.database()
back_link()
st.title(_("Aide pour changer"))
found = shown_or_stop(lambda: console_help(db, identity.account_id, clock.now()))

st.header(_("Publier un rendez-vous d'aide"))
st.caption(_("Repair café, espace public numérique, install party CHATONS, permanence d'association…"))
places = {
    (level, code): label
    for key, label in territory_choices(with_region=False).items()
    for level, code in [key.split(":", 1)]
    if level in ("commune", "epci")
}
help_views.session_form(
    "console_help_session", places, partial(sessions.publish_as_organiser, db, identity.account_id)
)

st.header(_("Rendez-vous à venir"))
help_views.session_list(db, identity.account_id, found.sessions)

st.header(_("Demandes d'aide des foyers sans collectif"))
help_views.answers(
    found.requests, partial(requests.answer_as_organiser, db, identity.account_id), "console_help"
)
