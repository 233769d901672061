"""My account: who I am, log out here or everywhere."""

from __future__ import annotations

import streamlit as st

from challenge import accounts
from ui import context
from ui.format import plain
from ui.frame import link_row, same_tab_link

identity = context.identity()
if identity is None:
    st.error("Connectez-vous pour voir votre compte.")
    st.stop()

st.title("Mon compte")
st.markdown(f"**Adresse e-mail :** {plain(identity.email)}")
if identity.household_name:
    st.markdown(f"**Foyer :** {plain(identity.household_name)}")

st.subheader("Mes données")
st.page_link("pages/my_data.py", label="Télécharger, corriger ou supprimer mes données", icon="🗂️")
st.page_link("pages/privacy.py", label="Politique de confidentialité", icon="🔒")

st.subheader("Se déconnecter")
link_row(same_tab_link("Se déconnecter", "/deconnexion", primary=True))
st.markdown("Vous avez utilisé le défi sur un autre téléphone ou un ordinateur partagé ?")
if st.button("Me déconnecter de tous mes appareils", key="account_logout_everywhere"):
    closed = accounts.close_all_sessions(context.database(), identity.account_id)
    st.success(f"{closed} session(s) fermée(s), y compris celle-ci.")
    link_row(same_tab_link("Se reconnecter", "/connexion", primary=True))
    st.stop()
