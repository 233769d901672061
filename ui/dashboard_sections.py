"""Sections of the territory dashboard below the headline figures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from challenge import dashboard_charts, exports
from challenge.dashboards import Dashboard
from challenge.outlines import outlines_for
from challenge.territory_tree import TerritoryTree
from ui import context
from ui.format import number

SECRET = "secret"  # noqa: S105 - the statistical-secrecy label, not a password
LEVEL_LABELS = {"departement": "départements", "epci": "intercommunalités", "commune": "communes"}


def show(value: float | int | None, suffix: str = "") -> str:
    return SECRET if value is None else f"{number(value)}{suffix}"


def breakdown(board: Dashboard, tree: TerritoryTree) -> None:
    if not board.breakdown:
        return
    level = tree.nodes[board.breakdown[0].key].level
    st.subheader(f"Par {LEVEL_LABELS.get(level, 'territoire')[:-1]}")
    table = pd.DataFrame(
        [
            (r.name, show(r.registered), show(r.active), show(r.checkin_rate, " %"), show(r.switched))
            for r in board.breakdown
        ],
        columns=["Territoire", "Inscrits", "Actifs", "Taux de bilan", "Ont remplacé"],
    )
    st.dataframe(table, hide_index=True, width="stretch")
    published = [(r.name, r.switched) for r in board.breakdown]
    if any(v is not None for _, v in published):
        st.altair_chart(
            dashboard_charts.bars(published, "Foyers ayant remplacé au moins un service", "Territoire"),
            width="stretch",
        )
    keys = [(r.key, tree.nodes[r.key].level, tree.nodes[r.key].code) for r in board.breakdown]
    with context.database().read() as session:
        outlines = outlines_for(session, keys)
    if outlines:
        for outline in outlines:
            outline["name"] = tree.nodes[outline["key"]].name
        values = {r.key: r.switched for r in board.breakdown}
        st.altair_chart(
            dashboard_charts.choropleth(outlines, values, "Carte : foyers ayant remplacé un service"),
            width="stretch",
        )


def switches(board: Dashboard) -> None:
    st.subheader("Ce qui change")
    if board.by_category:
        st.altair_chart(
            dashboard_charts.bars(
                board.by_category, "Foyers ayant remplacé un service, par catégorie", "Catégorie"
            ),
            width="stretch",
        )
    with st.expander("Par service des GAFAM quitté"):
        st.dataframe(
            pd.DataFrame([(n, show(v)) for n, v in board.by_service], columns=["Service", "Foyers"]),
            hide_index=True,
            width="stretch",
        )
    st.subheader("Alternatives adoptées")
    for adoption in board.alternatives:
        badges = (" · :green-badge[locale]" if adoption.is_local else "") + (
            " · :blue-badge[ESS]" if adoption.is_ess else ""
        )
        st.markdown(f"- **{adoption.name}** : {show(adoption.households)} foyers{badges}")
    q = board.quantities
    st.subheader("Quantités déclarées")
    st.markdown(
        f"- Covoiturage : **{show(q['km'], ' km')}**\n"
        f"- Dépensé auprès de plateformes locales : **{show(q['euros'], ' €')}**\n"
        f"- Objets empruntés : **{show(q['objects'])}**"
    )


def downloads(board: Dashboard) -> None:
    frame = exports.dashboard_frame(board, date.today())
    name = (
        f"zero-gafam-{board.territory.key.replace(':', '-')}-s{board.scope.week_from}-{board.scope.week_to}"
    )
    left, right = st.columns(2)
    left.download_button(
        "Télécharger (CSV)",
        exports.to_csv(frame),
        f"{name}.csv",
        "text/csv",
        key="dashboard_csv",
        width="stretch",
    )
    right.download_button(
        "Télécharger (Excel)",
        exports.to_xlsx(frame),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dashboard_xlsx",
        width="stretch",
    )
    st.caption(f"Sous {exports.LICENCE}. Les fichiers contiennent exactement ce qui est affiché.")
