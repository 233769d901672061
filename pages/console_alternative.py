"""Console: create or edit an alternative (pre-filled from a household's suggestion when accepting one)."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue.snapshot import from_database
from challenge.core.i18n import _
from challenge.curation.entries import AlternativeForm, form_of, save_alternative, suggestion_form
from ui import context
from ui.actions import attempt
from ui.catalogue_console import SUGGESTION_KEY, TARGET_KEY, alternative_fields
from ui.console import back_link, organiser_identity

identity = organiser_identity()
back_link()
db, today = context.database(), context.today()
slug, suggestion_id = st.session_state.get(TARGET_KEY), st.session_state.get(SUGGESTION_KEY)
with db.read() as session:
    snapshot = from_database(session)
    if slug in snapshot.alternative:
        form = form_of(slug, snapshot.alternative[slug])
    elif suggestion_id is not None:
        form = suggestion_form(session, suggestion_id, today)
    else:
        slug, form = None, AlternativeForm("", "", "", "", "", [], "easy", "free", [], "", "", today)
services = {s: f"{e['name']} ({e['company']})" for s, e in snapshot.active("service")}
creating = slug is None

st.title(_("Nouvelle alternative") if creating else _("Modifier une alternative"))
if suggestion_id is not None and creating:
    st.info(
        _("Pré-remplie depuis une suggestion d'un foyer : complétez-la puis enregistrez pour l'accepter.")
    )
with st.form("console_alternative_form", border=False):
    typed = alternative_fields(form, services, creating)
    saved = st.form_submit_button(
        _("Enregistrer"), type="primary", key="console_alternative_save", width="stretch"
    )
if saved:
    attempt(
        lambda: save_alternative(
            db, identity, typed, creating=creating, today=today,
            suggestion_id=suggestion_id if creating else None,
        ),
        _("Alternative « {name} » enregistrée.").format(name=typed.name.strip()),
        then=lambda _saved: [st.session_state.pop(key, None) for key in (TARGET_KEY, SUGGESTION_KEY)],
        go_to="pages/console_catalogue.py",
    )  # fmt: skip
