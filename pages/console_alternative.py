"""Console: create or edit an alternative (pre-filled from a household's suggestion when accepting one)."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.curation.entries import save_alternative
from challenge.views.console import alternative_form_view
from ui import context
from ui.actions import attempt
from ui.catalogue_console import SUGGESTION_KEY, TARGET_KEY, alternative_fields
from ui.console import back_link, organiser_identity

identity = organiser_identity()
back_link()
db, today = context.database(), context.today()
slug, suggestion_id = st.session_state.get(TARGET_KEY), st.session_state.get(SUGGESTION_KEY)
view = alternative_form_view(db, slug, suggestion_id, today)
form, services, creating = view.form, view.services, view.slug is None

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
