"""Does it last? The one-minute follow-up, 3 and 6 months after an edition."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.households.followups import ANSWER_LABELS, ANSWERS, record_followup
from challenge.views.household import followup_view
from ui import context
from ui.actions import succeeded
from ui.format import plain
from ui.reference import cached_services

identity = context.household_identity()
db = context.database()
followup = followup_view(db, identity.household_id, context.today())
names = {s.slug: s.name for s in cached_services()}

st.title(_("Ça tient ?"))
if followup is None:
    st.info(_("Aucun suivi n'est ouvert pour votre foyer en ce moment. Merci d'être passé·e !"))
    st.page_link("pages/progress.py", label=_("Revenir à mon défi"), icon="📈")
    st.stop()

st.markdown(
    _(
        "Il y a {months} mois se terminait « {edition} ». Pour chaque service que vous aviez quitté, "
        "dites-nous si c'est toujours le cas. Vos réponses ne sont publiées que de façon agrégée."
    ).format(months=followup.months, edition=plain(followup.edition.name))
)
if followup.is_complete:
    st.success(_("Merci, vos réponses sont enregistrées. Vous pouvez encore les corriger."))

with st.form("followup_form"):
    for slug in followup.services:
        previous = followup.answers.get(slug)
        st.radio(
            _("Toujours sans {service} ?").format(service=plain(names.get(slug, slug))),
            ANSWERS,
            index=ANSWERS.index(previous) if previous in ANSWERS else None,
            format_func=lambda answer: str(ANSWER_LABELS[answer]),
            horizontal=True,
            key=f"followup_answer_{slug}",
        )
    submitted = st.form_submit_button(_("Enregistrer mes réponses"), type="primary", key="followup_submit")

if submitted:
    answers = {slug: st.session_state.get(f"followup_answer_{slug}") for slug in followup.services}
    household_id, edition_id, months = identity.household_id, followup.edition.id, followup.months
    recorded = succeeded(
        lambda: record_followup(
            db,
            household_id,
            edition_id,
            months,
            {slug: answer for slug, answer in answers.items() if answer},
            context.today(),
        )
    )
    if recorded:
        st.success(_("Merci ! Vos réponses aident à savoir ce qui dure vraiment."))
