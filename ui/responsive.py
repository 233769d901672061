"""Tables and charts that read well on a phone and without sight.

A table is a data grid on wide screens and a list of rows on phones (assets/phone.css switches
between the two by screen width, so only one of them is ever shown or read aloud). A chart always
comes with a sentence saying what it shows and its data as a table behind an expander.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from challenge.charts import dashboards, text
from challenge.core.i18n import _
from challenge.statistics.dashboards import Dashboard


def rows_html(frame: pd.DataFrame) -> str:
    """The rows as a list: the first column as the heading of each row, the others as pairs."""
    columns = [str(c) for c in frame.columns]
    items = []
    for row in frame.itertuples(index=False):
        values = [html.escape("" if pd.isna(v) else str(v)) for v in row]
        pairs = "".join(
            f"<div><dt>{html.escape(name)}</dt><dd>{value}</dd></div>"
            for name, value in zip(columns[1:], values[1:], strict=True)
        )
        items.append(f"<li><strong>{values[0]}</strong><dl>{pairs}</dl></li>")
    return f'<ul class="dzg-rows">{"".join(items)}</ul>'


def table(frame: pd.DataFrame, key: str, fold_after: int | None = None) -> None:
    """A data grid on wide screens, a readable list on phones (`key`: unique, snake_case).

    With `fold_after`, a longer list waits behind an expander (not inside another expander).
    """
    with st.container(key=f"dzg_grid_{key}"):
        st.dataframe(frame, hide_index=True, width="stretch")
    with st.container(key=f"dzg_list_{key}"):
        if fold_after is not None and len(frame) > fold_after:
            with st.expander(_("Voir les {count} lignes").format(count=len(frame))):
                st.html(rows_html(frame))
        else:
            st.html(rows_html(frame))


def vega_lite(spec: dict[str, Any]) -> None:
    """A chart of challenge.charts (a Vega-Lite spec built once per language and shape), sized to
    its container: what `st.altair_chart` would draw, without rebuilding the chart every run."""
    st.vega_lite_chart(None, spec, width="stretch")


def chart(spec: dict[str, Any], summary: str, data: pd.DataFrame, key: str) -> None:
    """A chart sized to its container, a sentence that says the same, and its data as a table."""
    vega_lite(spec)
    st.caption(summary)
    with st.expander(_("Les données du graphique")):
        table(data, key)


def trend(board: Dashboard, key: str) -> None:
    """The week-by-week participation of a territory, with its sentence and its table."""
    chart(dashboards.trend_spec(board), text.describe_trend(board), text.trend_table(board), key)


def bars(rows: list[tuple[str, int | None]], title: str, label: str, key: str) -> None:
    """Households by category or sub-territory as bars, with their sentence and their table."""
    chart(
        dashboards.bars_spec(rows, title, label), text.describe_bars(rows), text.bars_table(rows, label), key
    )
