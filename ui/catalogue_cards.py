"""The public catalogue's cards: one markdown block per alternative and one row of link elements
(a page of one category draws a few dozen elements, not hundreds). Addresses never go into the
markdown (ui.links): a crafted one could otherwise add links or images of its own."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue.browse import AlternativeCard
from challenge.core import labels
from challenge.core.i18n import _
from ui.format import day, plain
from ui.links import web_links


def card_markdown(card: AlternativeCard) -> str:
    """Everything a card says but its links, as markdown (user and catalogue text made inert)."""
    alt = card.alternative
    local = " · :green-badge[{}]".format(_("Local")) if card.areas else ""
    lines = [
        f"## {plain(alt.name)}{local}",  # h2: h1 → h2, no level skipped
        plain(alt.description),
        _("**Remplace :** {services}").format(services=plain(", ".join(card.replaces))),
        _("**Effort :** {effort} · **Coût :** {cost} · **Statut :** {kind}").format(
            effort=labels.EFFORT[alt.effort], cost=labels.COST[alt.cost], kind=labels.KIND[alt.kind]
        ),
    ]
    if alt.ethics:
        ethics = ", ".join(str(labels.ETHICS[e]) for e in alt.ethics)
        lines.append(_("**Pourquoi c'est éthique :** {reasons}").format(reasons=ethics))
    if card.areas:
        lines.append(_("**Disponible à :** {places}").format(places=plain(", ".join(card.areas))))
    lines.append(_("Sources — vérifié le {date} :").format(date=day(alt.last_checked)))
    return "\n\n".join(lines)


def cards(shown: list[AlternativeCard]) -> None:
    for card in shown:
        alt = card.alternative
        with st.container(border=True):
            st.markdown(card_markdown(card))
            sources = [(str(s.get("note") or _("source")), str(s["url"])) for s in alt.sources]
            web_links([(_("Visiter le site"), alt.url), *sources])
