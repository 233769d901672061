"""Altair charts of a territory dashboard; secret cells are left out, never drawn as zero."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import pandas as pd

from challenge.dashboards import Dashboard

GREEN, BLUE = "#1b6b4a", "#2f5d8a"


def trend(dashboard: Dashboard) -> alt.Chart:
    rows = [
        {"Semaine": week, "Mesure": label, "Foyers": value}
        for week, active, registered in dashboard.trend
        for label, value in (("Foyers ayant fait le bilan", active), ("Foyers inscrits", registered))
        if value is not None
    ]
    chart: alt.Chart = (
        alt.Chart(
            pd.DataFrame(rows, columns=["Semaine", "Mesure", "Foyers"]),
            title="Participation semaine par semaine",
        )
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=alt.X("Semaine:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Foyers:Q"),
            color=alt.Color(
                "Mesure:N", scale=alt.Scale(range=[GREEN, BLUE]), legend=alt.Legend(orient="bottom")
            ),
            tooltip=["Semaine", "Mesure", "Foyers"],
        )
        .properties(height=240)
    )
    return chart


def bars(rows: list[tuple[str, int | None]], title: str, label: str) -> alt.Chart:
    data = pd.DataFrame(
        [(name, value) for name, value in rows if value is not None], columns=[label, "Foyers"]
    )
    chart: alt.Chart = (
        alt.Chart(data, title=title)
        .mark_bar(color=GREEN)
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("Foyers:Q"),
            tooltip=[label, "Foyers"],
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
                alt.Color("properties.value:Q", title="Foyers", scale=alt.Scale(scheme="greens")),
                alt.value("#d9d9d9"),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title="Territoire"),
                alt.Tooltip("properties.value:Q", title="Foyers"),
            ],
        )
        .project(type="mercator")
        .properties(height=320)
    )
    return chart
