"""Console: households' suggestions of alternatives, to accept into the catalogue or decline."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core.i18n import _
from challenge.curation import suggestions
from challenge.views.console import suggestions_for_review
from ui import context
from ui.actions import attempt
from ui.catalogue_console import SUGGESTION_KEY, TARGET_KEY
from ui.console import back_link, organiser_identity, territory_choices
from ui.format import day, plain
from ui.frame import show_flash
from ui.household_catalogue import STATUS

identity = organiser_identity()
back_link()
st.title(_("Suggestions des foyers"))
show_flash()
db = context.database()
status = st.segmented_control(
    _("Afficher"), list(STATUS), default="pending", key="console_suggestions_status",
    format_func=lambda s: str(STATUS[s]),
)  # fmt: skip
items = suggestions_for_review(db, status or None)
places = territory_choices(with_region=False)
if not items:
    st.info(_("Aucune suggestion ici pour le moment."))
for item in items:
    with st.container(border=True):
        key = f"{item.territory_level}:{item.territory_code}"
        where = _("partout") if item.territory_level == "national" else places.get(key, key)
        st.markdown(f"**{plain(item.name)}** · {plain(item.url)}")
        st.caption(
            _("Remplace {service} · disponible : {where} · reçue le {date}").format(
                service=plain(item.service_name), where=where, date=day(item.created_at.date())
            )
        )
        st.markdown(plain(item.reason))
        if item.status != "pending":
            st.caption(f"{STATUS[item.status]} {plain(item.decision_reason or '')}")
            continue
        if st.button(_("Accepter…"), key=f"console_suggestions_accept_{item.id}", type="primary"):
            st.session_state.pop(TARGET_KEY, None)
            st.session_state[SUGGESTION_KEY] = item.id
            st.switch_page("pages/console_alternative.py")
        reason = st.text_input(
            _("Raison du refus (le foyer la lira)"), key=f"console_suggestions_reason_{item.id}"
        )
        if st.button(_("Refuser"), key=f"console_suggestions_decline_{item.id}"):
            attempt(partial(suggestions.decline, db, identity, item.id, reason), _("Suggestion refusée."))
