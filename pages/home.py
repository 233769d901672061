"""Home page for visitors: what the challenge is, where it stands, how to join."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.views.public import home_view
from ui import context
from ui.format import day, number, plain
from ui.frame import link_row, same_tab_link

context.identity()  # sets the language of this run (visitors: their cookie)
st.title(_("Défi Zéro Gafam"))
st.markdown(
    _(
        "**Reprenez la main sur votre vie numérique, en famille et près de chez vous.** "
        "Pendant quelques semaines, votre foyer remplace un à un les services des géants du "
        "numérique (Google, Apple, Facebook, Amazon, Microsoft, Uber, Airbnb…) par des "
        "alternatives éthiques, locales, coopératives ou libres."
    )
)

counters = home_view(context.database())

if counters.edition is not None:
    st.header(plain(counters.edition.name))
    if counters.edition.is_demo:
        st.info(_("Cette édition contient des **données de démonstration** : les foyers sont fictifs."))
    start, end = counters.edition.start_date, counters.edition.end_date
    st.caption(
        _("Du {start} au {end}, {weeks} semaines.").format(
            start=day(start), end=day(end), weeks=counters.edition.weeks
        )
    )
    with st.container(horizontal=True, gap="medium", key="home_counters"):
        st.metric(_("Foyers engagés"), number(counters.households), width="content")
        st.metric(_("Communes"), number(counters.communes), width="content")
        st.metric(_("Services remplacés"), number(counters.switches), width="content")
else:
    st.info(_("Aucune édition n'est ouverte pour l'instant : créez votre compte pour être prêt·e."))

st.header(_("Comment ça marche ?"))
st.markdown(
    _(
        "1. **Inscrivez votre foyer** : un pseudonyme, votre commune, c'est tout.\n"
        "2. **Listez les services GAFAM** que vous utilisez (Gmail, WhatsApp, Amazon…).\n"
        "3. **Choisissez une alternative** pour chacun, parmi celles disponibles dans votre commune.\n"
        "4. **Chaque semaine, faites le bilan** en une minute : qu'avez-vous changé ?\n"
        "5. **Suivez vos progrès**, seul·e ou avec votre collectif."
    )
)
link_row(
    same_tab_link(_("Je relève le défi"), "/inscription", primary=True),
    same_tab_link(_("J'ai déjà un compte"), "/connexion"),
)

st.header(_("Nos engagements"))
st.markdown(
    _(
        "- Vos données ne sont **jamais vendues ni partagées**.\n"
        "- Cette application n'appelle **aucun service des GAFAM** : "
        "ni statistiques, ni polices, ni cartes.\n"
        "- Les collectivités ne voient que des **chiffres agrégés**, jamais un foyer.\n"
        "- Le code et les données de référence sont **ouverts**."
    )
)
st.page_link("pages/catalogue.py", label=_("Parcourir le catalogue des alternatives"), icon="🌱")
st.page_link("pages/privacy.py", label=_("Vos données et vos droits"), icon="🔒")
st.page_link("pages/accessibility.py", label=_("Déclaration d'accessibilité"), icon="♿")
