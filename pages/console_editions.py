"""Console: create and change editions, move them along draft → open → running → closed."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.views.console import editions_for
from ui import context
from ui.console import back_link, organiser_identity
from ui.console_editions import edition_form, edition_list

identity = organiser_identity()
back_link()
st.title(_("Éditions"))
editions = editions_for(context.database(), identity)
st.header(_("Créer ou modifier"))
st.caption(
    _(
        "Une édition naît en brouillon. Une seule édition ouverte ou en cours par territoire ; "
        "une édition close ne change plus et ses résultats restent visibles."
    )
)
edition_form(identity, editions)
st.header(_("Les éditions"))
if not editions:
    st.info(_("Aucune édition pour l'instant."))
edition_list(identity, editions)
