"""Accessibility statement in the RGAA 4.1 format (public: visitors see it too)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from challenge.core.i18n import _
from ui import context
from ui.format import long_day, plain

AXE_VERSION = "4.14.1"  # the axe-core pinned in package.json, run by tests/e2e on every page
STATEMENT_DATE = date(2026, 11, 23)
STREAMLIT_VERSION = st.__version__

context.identity()  # sets the language of this run
settings = context.settings()
values = {
    "controller": plain(settings.controller),
    "contact": plain(settings.contact_email),
    "axe": AXE_VERSION,
    "streamlit": STREAMLIT_VERSION,
    "date": long_day(STATEMENT_DATE),
}

st.title(_("Déclaration d'accessibilité"))
st.markdown(
    _(
        "{controller} s'engage à rendre l'application « Défi Zéro Gafam » accessible, conformément à "
        "l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration s'applique à toute "
        "l'application, pour les visiteurs comme pour les comptes connectés."
    ).format(**values)
)

st.header(_("État de conformité"))
st.markdown(
    _(
        "L'application est **partiellement conforme** avec le référentiel général d'amélioration de "
        "l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous. "
        "Ce statut repose sur un audit automatisé : l'audit complet des 106 critères du RGAA par une "
        "personne qualifiée n'a pas encore été fait, le taux de conformité n'est donc pas encore calculé."
    )
)

st.header(_("Résultats des tests"))
st.markdown(
    _(
        "À chaque modification de l'application, axe-core {axe} (règles WCAG 2.1 niveaux A et AA) "
        "contrôle **toutes les pages, pour chaque type de compte** (visiteur, foyer, capitaine de "
        "collectif, agent de collectivité, organisation), sur un écran de téléphone de 360 × 740 "
        "pixels : **aucune anomalie critique ou sérieuse**. Le même test vérifie qu'aucune page ne "
        "défile horizontalement."
    ).format(**values)
)

st.header(_("Contenus non accessibles"))
st.subheader(_("Non-conformités"))
st.markdown(
    _(
        "Ces limites viennent du cadre logiciel Streamlit, sur lequel l'application est construite :\n"
        "- les grilles de données des grands écrans sont dessinées dans un canevas : un lecteur "
        "d'écran les restitue mal (sur téléphone, elles sont remplacées par des listes) ;\n"
        "- après une action, la page se met à jour sans annoncer le changement ni déplacer le focus "
        "(critères 7.4 et 7.5) ;\n"
        "- certains composants (listes déroulantes à recherche, curseurs de choix des semaines) n'ont "
        "pas encore été vérifiés avec un lecteur d'écran ;\n"
        "- l'application demande JavaScript, sauf les formulaires de connexion et d'inscription."
    )
)
st.subheader(_("Dérogations pour charge disproportionnée"))
st.markdown(_("Aucune."))
st.subheader(_("Contenus non soumis à l'obligation d'accessibilité"))
st.markdown(
    _(
        "Les cartes des territoires : les mêmes chiffres sont donnés dans le tableau et la liste "
        "qui les accompagnent."
    )
)

st.header(_("Établissement de cette déclaration"))
st.markdown(
    _(
        "Cette déclaration a été établie le {date}.\n\n"
        "**Technologies utilisées :** HTML5, CSS, JavaScript, WAI-ARIA, SVG (graphiques Vega-Lite), "
        "avec Streamlit {streamlit}.\n\n"
        "**Environnement de test :** navigateur Chromium (Debian) piloté par Playwright, en émulation "
        "d'un téléphone Android (360 × 740 et 390 × 844 pixels), avec axe-core {axe}. Les tests avec "
        "des lecteurs d'écran (NVDA, VoiceOver, TalkBack) restent à faire."
    ).format(**values)
)

st.header(_("Retour d'information et contact"))
st.markdown(
    _(
        "Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez à {contact} : nous "
        "vous orienterons vers une alternative accessible ou vous enverrons le contenu sous une "
        "autre forme."
    ).format(**values)
)

st.header(_("Voies de recours"))
st.markdown(
    _(
        "Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu "
        "ou à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez :\n"
        "- écrire un message au Défenseur des droits "
        "(https://formulaire.defenseurdesdroits.fr/) ;\n"
        "- contacter le délégué du Défenseur des droits dans votre région "
        "(https://www.defenseurdesdroits.fr/saisir/delegues) ;\n"
        "- envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des "
        "droits, Libre réponse 71120, 75342 Paris CEDEX 07."
    )
)
