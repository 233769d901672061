"""Privacy notice, in plain words (French, or English when chosen)."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.households.retention import INACTIVE_AFTER
from ui import context
from ui.format import plain

context.identity()  # sets the language of this run
settings = context.settings()
controller, contact = plain(settings.controller), plain(settings.contact_email)

st.title(_("Vos données et vos droits"))
st.markdown(
    _("""
**Qui est responsable ?** {controller}, qui organise le défi. Contact : {contact}.

**Pourquoi ces données ?** Pour faire fonctionner le défi : votre compte, votre foyer (pseudonyme,
commune, taille), les services que vous remplacez et vos bilans de la semaine. Les collectivités et
le public ne voient que des **statistiques agrégées** où aucun foyer ne peut être reconnu.

**Sur quelle base ?** Votre **consentement**, donné à l'inscription et que vous pouvez retirer à
tout moment, aussi simplement, depuis « Mes données ».

**Ce que nous ne faisons jamais :** vendre, louer ou partager vos données ; faire de la publicité ;
appeler un service des GAFAM (pas de statistiques de visite, pas de polices ni de cartes externes).

**Combien de temps ?** Tant que votre compte est actif. Un compte sans connexion depuis
{years} ans est averti, puis supprimé 30 jours plus tard s'il reste inactif.
L'historique de connexion et les journaux techniques sont gardés {log_days} jours au plus.

**Vos droits :** accès et portabilité (téléchargement JSON ou CSV), rectification, effacement,
retrait du consentement : tout se fait depuis la page « Mes données », sans avoir à nous écrire.
Pour toute question, ou pour saisir la CNIL (www.cnil.fr) si vous estimez que vos droits ne sont pas
respectés, écrivez à {contact}.

**Sécurité :** mots de passe chiffrés (argon2id), sessions révocables, connexions protégées
contre les tentatives répétées.
""").format(
        controller=controller,
        contact=contact,
        years=INACTIVE_AFTER.days // 365,
        log_days=settings.log_retention_days,
    )
)
st.markdown(
    _(
        "**Les e-mails que nous envoyons :** ceux qui protègent votre compte, toujours (le lien pour "
        "confirmer votre adresse, celui pour choisir un nouveau mot de passe ou pour vous connecter "
        "quand vous le demandez, "
        "l'avis quand votre mot de passe "
        "change ou quand quelqu'un essaie de s'inscrire avec votre adresse) ; les rappels, "
        "résumés du collectif et invitations au suivi, seulement si vous les "
        "avez demandés. Un lien à usage unique expire vite, n'est gardé que chiffré (empreinte) et "
        "le message qui le portait est vidé une fois envoyé. Un compte dont l'adresse n'a jamais "
        "été confirmée et qui n'a pas servi depuis 30 jours est supprimé."
    )
)
st.markdown(
    _(
        "**Les demandes d'aide :** les capitaines de votre collectif et l'équipe du défi les voient. "
        "Sans collectif, si vous cochez « Partager ma demande avec les bénévoles de mon territoire », "
        "les capitaines des collectifs de votre intercommunalité voient aussi votre pseudonyme, votre "
        "commune, le service et votre message. Vous pouvez cesser de la partager, ou la retirer, à "
        "tout moment."
    )
)
