"""My account: who I am, log out here or everywhere."""

from __future__ import annotations

import streamlit as st

from challenge import accounts, oidc
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

providers = context.settings().oidc
if providers is not None:
    st.subheader("Fournisseurs d'identité")
    labels = {p.name: p.label for p in providers.providers}
    linked = oidc.linked_providers(context.database(), identity.account_id)
    for row in linked:
        st.markdown(f"- {plain(labels.get(row.provider, row.provider))} : {plain(row.email_at_link or '')}")
    if not linked:
        st.caption("Aucun fournisseur associé : vous vous connectez avec votre adresse e-mail.")
    to_link = [p for p in providers.providers if p.name not in {row.provider for row in linked}]
    if to_link:
        link_row(
            *(same_tab_link(f"Associer {p.label}", f"/connexion/{p.name}?next=/compte") for p in to_link)
        )

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
