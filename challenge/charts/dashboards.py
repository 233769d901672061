"""Altair charts of a territory dashboard; secret cells are left out, never drawn as zero."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd
from babel.numbers import get_group_symbol

from challenge.core.i18n import _, babel_locale
from challenge.statistics.dashboards import Dashboard

GREEN, BLUE = "#1b6b4a", "#2f5d8a"


def count_axis() -> alt.Axis:
    """An axis of household counts: whole numbers, grouped as the language writes them.

    Vega formats numbers in English ("2,000"); French readers expect "2 000" (Babel's group
    symbol, a narrow no-break space). Ticks stay on whole households.
    """
    group = json.dumps(get_group_symbol(babel_locale()), ensure_ascii=False)
    return alt.Axis(tickMinStep=1, labelExpr=f"replace(format(datum.value, ',d'), ',', {group})")


def trend(dashboard: Dashboard) -> alt.Chart:
    week_, measure, households = _("Semaine"), _("Mesure"), _("Foyers")
    checked_in, registered_ = _("Foyers ayant fait le bilan"), _("Foyers inscrits")
    rows = [
        {week_: week, measure: label, households: value}
        for week, active, registered in dashboard.trend
        for label, value in ((checked_in, active), (registered_, registered))
        if value is not None
    ]
    chart: alt.Chart = (
        alt.Chart(
            pd.DataFrame(rows, columns=[week_, measure, households]),
            title=_("Participation semaine par semaine"),
        )
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X(f"{week_}:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{households}:Q", axis=count_axis()),
            color=alt.Color(
                f"{measure}:N",
                scale=alt.Scale(range=[GREEN, BLUE]),
                legend=alt.Legend(orient="bottom", direction="vertical"),  # fits a 360 px phone
            ),
            tooltip=[week_, measure, households],
        )
        # The height holds the title and the legend under the plot too (Streamlit fits the
        # whole chart in it): 240 px left the plot a few pixels high on a phone.
        .properties(height=380)
    )
    return chart


def bars(rows: list[tuple[str, int | None]], title: str, label: str) -> alt.Chart:
    households = _("Foyers")
    data = pd.DataFrame(
        [(name, value) for name, value in rows if value is not None], columns=[label, households]
    )
    chart: alt.Chart = (
        alt.Chart(data, title=title)
        .mark_bar(color=GREEN)
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X(f"{households}:Q", axis=count_axis()),
            tooltip=[label, households],
        )
        .properties(height=max(110, 28 * len(data)))
    )
    return chart


def choropleth(outlines: list[dict[str, Any]], values: dict[str, int | None], title: str) -> alt.Chart:
    """Sub-territories coloured by value; secret ones in grey. No map tiles: shapes only."""
    features = [
        {
            "type": "Feature",
            "geometry": outline["geometry"],
            "properties": {"name": outline["name"], "value": values.get(outline["key"])},
        }
        for outline in outlines
    ]
    data = alt.Data(values=json.loads(json.dumps(features)))  # type: ignore[no-untyped-call]
    chart: alt.Chart = (
        alt.Chart(data, title=title)
        .mark_geoshape(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.condition(
                "datum.properties.value != null",
                alt.Color("properties.value:Q", title=_("Foyers"), scale=alt.Scale(scheme="greens")),
                alt.value("#d9d9d9"),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title=_("Territoire")),
                alt.Tooltip("properties.value:Q", title=_("Foyers")),
            ],
        )
        .project(type="mercator")
        .properties(height=320)
    )
    return chart
