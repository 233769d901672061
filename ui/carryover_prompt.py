"""The question a returning household is asked when a new edition starts from its previous one."""

from __future__ import annotations

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.core.i18n import _
from challenge.teams import carryover
from ui import context
from ui.actions import attempt
from ui.format import long_day, plain
from ui.reference import cached_services


def offer_prompt(identity: Identity, offer: carryover.Offer | None) -> None:
    """Ask once: go on with the same collective and services, or start afresh (nothing if no offer)."""
    if identity.household_id is None or offer is None:
        return
    names = {s.slug: s.name for s in cached_services()}
    with st.container(border=True, key="carryover_prompt"):
        st.header(_("Une nouvelle édition commence : {name}").format(name=plain(offer.edition_name)))
        services = ", ".join(names.get(s, s) for s in offer.services) or _("aucun")
        st.markdown(_("Vos services déclarés : {services}.").format(services=plain(services)))
        if offer.team_name:
            st.markdown(_("Votre collectif : {team}.").format(team=plain(offer.team_name)))
        if not offer.open_now:
            st.info(
                _("Les inscriptions ouvrent le {day} : vous pourrez répondre à partir de ce jour-là.").format(
                    day=long_day(offer.opens)
                )
            )
            return
        left, right = st.columns(2)
        if left.button(_("Je continue ainsi"), type="primary", key="carryover_accept", width="stretch"):
            _answer(identity.household_id, offer.id, accept=True)
        if right.button(_("Je repars de zéro"), key="carryover_decline", width="stretch"):
            _answer(identity.household_id, offer.id, accept=False)


def _answer(household_id: int, offer_id: int, accept: bool) -> None:
    attempt(
        lambda: carryover.answer_offer(context.database(), household_id, offer_id, accept),
        _("C'est parti pour la nouvelle édition !") if accept else _("Déclarez vos services pour commencer."),
    )
