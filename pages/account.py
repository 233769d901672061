"""My account: who I am, log out here or everywhere."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.accounts import oidc, sessions
from challenge.core import addresses
from challenge.core.i18n import _, ngettext
from challenge.mail import address_confirmation
from ui import context
from ui.actions import attempt
from ui.format import plain
from ui.frame import link_row, same_tab_link
from ui.language import language_choice
from ui.reminder_settings import calendar_section, reminders_section

identity = context.identity()
if identity is None:
    st.error(_("Connectez-vous pour voir votre compte."))
    st.stop()

st.title(_("Mon compte"))
st.markdown(_("**Adresse e-mail :** {email}").format(email=plain(identity.email)))
if identity.provider is None:  # a password account
    link_row(
        same_tab_link(_("Changer mon mot de passe"), addresses.CHANGE_PASSWORD),
        same_tab_link(_("Changer mon adresse e-mail"), addresses.CHANGE_EMAIL),
    )
if not address_confirmation.is_confirmed(context.database(), identity.account_id):
    st.warning(_("Adresse non confirmée : ni rappel, ni résumé, ni invitation ne vous sont envoyés."))
    link_row(same_tab_link(_("Confirmer mon adresse (renvoyer le lien)"), "/confirmer-adresse"))
if identity.household_name:
    st.markdown(_("**Foyer :** {name}").format(name=plain(identity.household_name)))

language_choice(identity, "compte")
if identity.owns_household:  # the household's reminders and calendar are its owner's
    reminders_section(identity)
    calendar_section(identity)

providers = context.settings().oidc
if providers is not None:
    st.header(_("Fournisseurs d'identité"))
    labels = {p.name: p.label for p in providers.providers}
    linked = oidc.linked_providers(context.database(), identity.account_id)
    for row in linked:
        st.markdown(
            _("- {provider} : {email}").format(
                provider=plain(labels.get(row.provider, row.provider)), email=plain(row.email_at_link or "")
            )
        )
        label = _("Dissocier {provider}").format(provider=labels.get(row.provider, row.provider))
        if st.button(label, key=f"account_unlink_{row.id}"):
            attempt(  # done: the message, and the list without it
                partial(oidc.unlink_provider, context.database(), identity.account_id, row.id),
                _("Fournisseur dissocié : il ne permet plus d'entrer dans ce compte."),
            )
    if not linked:
        st.caption(_("Aucun fournisseur associé : vous vous connectez avec votre adresse e-mail."))
    to_link = [p for p in providers.providers if p.name not in {row.provider for row in linked}]
    if to_link:
        link_row(
            *(
                same_tab_link(
                    _("Associer {provider}").format(provider=p.label), f"/connexion/{p.name}?next=/compte"
                )
                for p in to_link
            )
        )

st.header(_("Mes données"))
st.page_link("pages/my_data.py", label=_("Télécharger, corriger ou supprimer mes données"), icon="🗂️")
st.page_link("pages/privacy.py", label=_("Politique de confidentialité"), icon="🔒")
st.page_link("pages/accessibility.py", label=_("Déclaration d'accessibilité"), icon="♿")

st.header(_("Se déconnecter"))
link_row(same_tab_link(_("Se déconnecter"), "/deconnexion", primary=True))
st.markdown(_("Vous avez utilisé le défi sur un autre téléphone ou un ordinateur partagé ?"))
if st.button(_("Me déconnecter de tous mes appareils"), key="account_logout_everywhere"):
    closed = sessions.close_all_sessions(context.database(), identity.account_id)
    st.success(
        ngettext(
            "{count} session fermée : celle-ci.", "{count} sessions fermées, y compris celle-ci.", closed
        ).format(count=closed)
    )
    link_row(same_tab_link(_("Se reconnecter"), "/connexion", primary=True))
    st.stop()
