"""Onboarding: a new account describes its household and joins the challenge."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.households.profile import HOUSEHOLD_SIZES, set_up_household
from challenge.teams.codes import invite_code_in_link
from ui import context
from ui.actions import attempt
from ui.commune_search import commune_picker
from ui.widget_values import read_widget

identity = context.identity()
if identity is None:
    st.error(_("Connectez-vous pour inscrire votre foyer."))
    st.stop()

st.title(_("Bienvenue dans le défi !"))
st.markdown(
    _(
        "Quelques informations sur votre foyer, et c'est parti. "
        "Seules des statistiques agrégées sortent de l'application, jamais votre foyer."
    )
)

# An invitation link (/inscription?code=…) fills the code in; the household may still clear it.
st.session_state.setdefault("onboarding_invite", invite_code_in_link(st.query_params.get("code")))
# Outside the form: the list of communes follows what is typed, before the form is sent.
commune = commune_picker("onboarding")
with st.form("onboarding_form"):
    # No max_chars: Streamlit would cut a longer name silently; the rule refuses it and says so.
    name = st.text_input(
        _("Nom ou pseudonyme du foyer"),
        key="onboarding_name",
        placeholder=_("Ex. : Les Martin, Famille Colibri…"),
    )
    # A caption rather than a tooltip: Streamlit names a tooltip "Help for …" in English only.
    st.caption(_("Visible par votre collectif si vous en rejoignez un. Un pseudonyme convient."))
    # A choice with no default of its own (shown on 2): a size that is not one of them (only a
    # modified client sends one) becomes None, which set_up_household refuses, never the default.
    st.session_state.setdefault("onboarding_size", 2)
    size = read_widget(
        lambda: st.selectbox(
            _("Nombre de personnes dans le foyer"), HOUSEHOLD_SIZES, index=None, key="onboarding_size"
        ),
        "onboarding_size",
        _("Nombre de personnes dans le foyer"),
    )
    invite_code = st.text_input(
        _("Code d'invitation d'un collectif (facultatif)"), key="onboarding_invite", max_chars=32
    )
    st.caption(
        _(
            "Avec un code, votre foyer rejoint le collectif : ses membres verront votre nom et si vous "
            "avez fait votre bilan de la semaine, jamais vos réponses. Vous pourrez le quitter à tout moment."
        )
    )
    consent = st.checkbox(
        _(
            "J'accepte le règlement du défi et la politique de confidentialité : "
            "mes réponses servent au défi et à des statistiques anonymes, "
            "elles ne sont ni vendues ni partagées."
        ),
        key="onboarding_consent",
    )
    st.caption(
        _(
            "Lire la [politique de confidentialité](/confidentialite) : ce que nous faisons "
            "(et ne faisons jamais) de vos données."
        )
    )
    submitted = st.form_submit_button(_("Rejoindre le défi"), type="primary", width="stretch")

if submitted:
    account_id, client = identity.account_id, context.client_key()
    attempt(
        lambda: set_up_household(
            context.database(), account_id, name, commune or "", size, consent, invite_code, client
        ),
        _("Votre foyer est inscrit ! Déclarez maintenant les services GAFAM que vous utilisez."),
    )
