"""Results across editions: choose which edition a results page shows, and compare them.

A closed edition's results stay visible after a new one starts, and a territory that took part
in several editions sees them side by side (each figure protected like on its own dashboard).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from challenge.core.i18n import _
from challenge.editions.calendar import EditionView
from challenge.editions.rules import status_label
from challenge.statistics import comparison as edition_comparison
from ui import context, responsive
from ui.dashboard_sections import show
from ui.format import day, plain
from ui.statistics_cache import dashboard, territory_tree


def edition_picker(editions: list[EditionView], key: str) -> EditionView:
    """The edition chosen among `editions` (not empty); the first one unless the person picks."""
    if len(editions) == 1:
        return editions[0]
    by_id = {e.id: e for e in editions}
    chosen = st.selectbox(
        _("Édition"),
        list(by_id),
        # The status first: a long edition name is cut on a phone, the status must stay readable.
        format_func=lambda i: f"{status_label(by_id[i].status).capitalize()} · {by_id[i].name}",
        key=key,
    )
    return by_id.get(chosen, editions[0])


def comparison(
    editions: list[EditionView], territory_key: str, threshold: int, key: str
) -> list[edition_comparison.EditionFigures]:
    """'From one edition to the next' for a territory: nothing when it took part only once.
    Returns the figures shown (for the downloads)."""
    if len(editions) < 2:
        return []
    with context.database().read() as session:
        editions = edition_comparison.editions_over(
            session, territory_tree(context.settings().database_url), editions, territory_key
        )
    if len(editions) < 2:
        return []
    today = context.today()
    boards = [dashboard(e, e.id, territory_key, 1, e.last_reported_week(today), threshold) for e in editions]
    figures = edition_comparison.compare(boards)
    st.header(_("D'une édition à l'autre"))
    sentence = edition_comparison.summary(figures)
    if sentence:
        st.caption(plain(sentence))
    frame = pd.DataFrame(
        [
            (
                f.name,
                day(f.start_date),
                show(f.registered),
                show(f.switched),
                show(f.switch_share, " %"),
                show(f.checkin_rate, " %"),
            )
            for f in figures
        ],
        columns=[
            _("Édition"),
            _("Début"),
            _("Inscrits"),
            _("Ont remplacé"),
            _("Part des inscrits"),
            _("Taux de bilan (dernière semaine)"),
        ],
    )
    responsive.table(frame, key)
    return figures
