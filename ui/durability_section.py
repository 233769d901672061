"""The dashboard's "Does it last?" section: the durable switch rate at 3 and 6 months."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from challenge.core.i18n import _
from challenge.statistics.durability import Durability, durability, latest_closed_edition
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import TerritoryTree
from ui import context, responsive
from ui.dashboard_sections import show
from ui.format import plain


def durability_section(tree: TerritoryTree, key: str, threshold: int) -> list[Durability]:
    """Share of switches still in place months after the last closed edition, secrecy applied.
    Returns the rows shown (for the downloads)."""
    with context.database().read() as session:
        edition = latest_closed_edition(session)
        rows = durability(session, tree, edition, key, Rules(threshold=threshold)) if edition else []
    st.header(_("Ça tient ? Le taux de changements durables"))
    if edition is None:
        st.caption(_("Le taux apparaîtra 3 mois après la clôture d'une première édition."))
        return []
    st.caption(
        _(
            "Après « {edition} », les foyers disent si chaque service quitté l'est toujours, "
            "à 3 puis 6 mois. Le taux est la part des changements toujours en place."
        ).format(edition=plain(edition.name))
    )
    if not any(row.is_published for row in rows):
        st.info(
            _("Pas encore assez de réponses sur ce territoire pour publier ce taux sans identifier un foyer.")
        )
    with st.container(horizontal=True, gap="medium", key="dashboard_durability"):
        for row in rows:
            st.metric(
                _("Toujours en place à {months} mois").format(months=row.months),
                show(row.still, " %"),
                width="content",
            )
    st.caption(_("Part des changements toujours en place ; « secret » : trop peu de réponses."))
    with st.expander(_("Les données du suivi")):
        responsive.table(
            pd.DataFrame(
                [
                    (
                        _("À {months} mois").format(months=row.months),
                        show(row.households),
                        show(row.switches),
                        show(row.still, " %"),
                        show(row.partly, " %"),
                    )
                    for row in rows
                ],
                columns=[
                    _("Échéance"),
                    _("Foyers ayant répondu"),
                    _("Changements"),
                    _("Toujours"),
                    _("En partie"),
                ],
            ),
            "durability",
        )
    return rows
