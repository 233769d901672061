"""My data: download, correct, withdraw consent, delete the account (the household's GDPR rights)."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.households import rights
from challenge.households.profile import HOUSEHOLD_SIZES
from challenge.views.household import my_data_view
from ui import context
from ui.actions import asks_first, attempt, succeeded
from ui.frame import GONE_HOME, flash, link_row, same_tab_link
from ui.reference import cached_commune_choices
from ui.widget_values import read_widget

identity = context.identity()
if identity is None:
    st.error(_("Connectez-vous pour voir vos données."))
    st.stop()
account_id, household_id, db = identity.account_id, identity.household_id, context.database()

st.title(_("Mes données"))
st.markdown(
    _("Tout ce que le défi sait de vous, à emporter, corriger ou effacer. Rien n'est vendu ni partagé.")
)

st.header(_("Télécharger"))
# Built on demand by our own route, for the session's account only (web/data_export_routes.py).
link_row(
    same_tab_link(_("Format JSON"), "/mes-donnees/export.json"),
    same_tab_link(_("Tableurs (CSV)"), "/mes-donnees/export.zip"),
)
st.caption(
    _("Compte, foyer, services, alternatives choisies, bilans, participations, historique de connexion.")
)

if household_id is not None and identity.owns_household:  # a member's account changes nothing of it
    household = household_id
    view = my_data_view(db, household)
    profile, withdrawn = view.profile, not view.consent_given
    st.header(_("Corriger"))
    choices = cached_commune_choices()
    codes, names = [code for code, _ in choices], dict(choices)
    with st.form("my_data_correct"):
        # No max_chars, no default size: Streamlit would cut or replace a value; the rules refuse it.
        name = st.text_input(_("Nom ou pseudonyme du foyer"), profile.name, key="my_data_name")
        commune = st.selectbox(
            _("Commune"),
            codes,
            index=codes.index(profile.place.insee_code),
            format_func=names.__getitem__,
            key="my_data_commune",
        )
        st.session_state.setdefault("my_data_size", profile.size)  # shown, but no default of its own
        size = read_widget(
            lambda: st.selectbox(_("Nombre de personnes"), HOUSEHOLD_SIZES, index=None, key="my_data_size"),
            "my_data_size",
            _("Nombre de personnes"),
        )
        if st.form_submit_button(_("Enregistrer les corrections")):
            attempt(
                lambda: rights.correct_household(db, household, name, commune, size),
                _("Vos informations sont corrigées."),
            )

    st.header(_("Consentement"))
    if withdrawn:
        st.warning(
            _("Vous avez retiré votre consentement : vos réponses ne sont plus utilisées ni comptées.")
        )
        if st.button(_("Je donne à nouveau mon consentement"), key="my_data_consent_give"):
            rights.set_consent(db, household, given=True)
            st.rerun()
    else:
        st.markdown(
            _(
                "Vous pouvez retirer votre consentement aussi simplement que vous l'avez donné : "
                "vos réponses cesseront d'être utilisées et comptées."
            )
        )
        if asks_first(  # a second, deliberate tap
            _("Je retire mon consentement"),
            "my_data_consent_withdraw",
            _(
                "Retirer votre consentement ? Vos réponses ne seront plus enregistrées ni comptées, "
                "et « Mon défi » se mettra en pause. Vous pourrez le donner à nouveau ici."
            ),
            _("Oui, retirer mon consentement"),
        ):
            rights.set_consent(db, household, given=False)
            st.rerun()

st.header(_("Supprimer mon compte"))
if identity.is_member:
    st.markdown(
        _(
            "Votre compte sera **définitivement effacé**. Votre foyer garde votre prénom et les réponses "
            "que vous avez données pour lui."
        )
    )
else:
    st.markdown(_("Votre compte, votre foyer et toutes vos réponses seront **définitivement effacés**."))
with st.form("my_data_delete"):
    confirmation = st.text_input(_("Pour confirmer, tapez SUPPRIMER"), key="my_data_delete_confirmation")
    # Red, not the green of positive actions (assets/phone.css, by key).
    delete = st.form_submit_button(_("Supprimer définitivement mon compte"), key="my_data_delete_submit")
    if delete and succeeded(lambda: rights.delete_account(db, account_id, confirmation)):
        # The session went with the account: the next run is a visitor's, without the household menu.
        flash(_("Votre compte est supprimé. Merci d'avoir relevé le défi !"))
        st.session_state[GONE_HOME] = True
        st.rerun()
