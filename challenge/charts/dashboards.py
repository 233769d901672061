"""Altair charts of a territory dashboard; secret cells are left out, never drawn as zero.

Pages draw the trend and the bars as Vega-Lite specs (`*_spec`), built once per language and
shape (charts.specs); the map's data is its shapes, so it stays an Altair chart."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import altair as alt
import pandas as pd
import shapely
from babel.numbers import format_decimal, get_group_symbol
from shapely.geometry import LineString, MultiLineString, mapping, shape

from challenge.charts.specs import spec_for
from challenge.core.i18n import _, babel_locale, ngettext
from challenge.statistics.dashboards import Dashboard

GREEN, BLUE = "#1b6b4a", "#2f5d8a"


def count_axis() -> alt.Axis:
    """An axis of household counts: whole numbers, grouped as the language writes them.

    Vega formats numbers in English ("2,000"); French readers expect "2 000" (Babel's group
    symbol, a narrow no-break space). Ticks stay on whole households.
    """
    group = json.dumps(get_group_symbol(babel_locale()), ensure_ascii=False)
    return alt.Axis(tickMinStep=1, labelExpr=f"replace(format(datum.value, ',d'), ',', {group})")


def trend_data(dashboard: Dashboard) -> pd.DataFrame:
    """(week, measure, households) rows of the trend; secret weeks left out."""
    week_, measure, households = _("Semaine"), _("Mesure"), _("Foyers")
    checked_in, registered_ = _("Foyers ayant fait le bilan"), _("Foyers inscrits")
    rows = [
        {week_: week, measure: label, households: value}
        for week, active, registered in dashboard.trend
        for label, value in ((checked_in, active), (registered_, registered))
        if value is not None
    ]
    return pd.DataFrame(rows, columns=[week_, measure, households])


def trend(dashboard: Dashboard) -> alt.Chart:
    return trend_chart(trend_data(dashboard))


def trend_spec(dashboard: Dashboard) -> dict[str, Any]:
    """`trend` as a Vega-Lite spec."""
    return spec_for("trend", trend_data(dashboard), trend_chart)


def trend_chart(data: pd.DataFrame) -> alt.Chart:
    """Households week by week (columns: week, measure, households), one line per measure."""
    week_, measure, households = data.columns
    chart: alt.Chart = (
        alt.Chart(data, title=_("Participation semaine par semaine"))
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


BAR_STEP = 44  # px per bar: its full name on a line above it, then the bar
BAR_TOP = 10  # bars drawn; the others are summed into one "Others" bar (all are in the table)
TITLE_CHARACTERS = 34  # a title line that fits a 360 px phone
_TITLE_LINE, _AXIS = 22, 56  # px taken by a title line and by the count axis under the bars


def top_rows(rows: list[tuple[str, int | None]], top: int = BAR_TOP) -> list[tuple[str, int | None]]:
    """The published rows, biggest first; past `top`, one last row without a bar that says how
    many more the table holds (never a sum: households counted in several categories would add
    up to more households than there are). Secret rows are left out, never drawn as zero."""
    published = sorted(((name, v) for name, v in rows if v is not None), key=lambda row: -row[1])
    if len(published) <= top:
        return list(published)
    more = len(published) - (top - 1)
    others = ngettext(
        "… et {count} autre ligne dans le tableau", "… et {count} autres lignes dans le tableau", more
    ).format(count=more)
    return [*published[: top - 1], (others, None)]


def title_lines(title: str, width: int = TITLE_CHARACTERS) -> list[str]:
    """A chart title on as many lines as a phone needs (Vega-Lite cuts a long one with "…")."""
    return textwrap.wrap(title, width) or [title]


def bars(
    rows: list[tuple[str, int | None]], title: str | None, label: str, measure: str | None = None
) -> alt.LayerChart:
    """Horizontal bars with each full name on its own line above its bar and the figure at its
    end: legible at 360 px as at 1280 px, whatever the length of the names. `measure` names the
    figures (households by default); without a `title`, the page titles the chart above it."""
    return bar_chart(bars_data(rows, label, measure), title)


def bars_spec(
    rows: list[tuple[str, int | None]], title: str | None, label: str, measure: str | None = None
) -> dict[str, Any]:
    """`bars` as a Vega-Lite spec: one per title, number of bars and longest bar."""
    data = bars_data(rows, label, measure)
    key = ("bars", title, len(data), _widest(data))
    return spec_for(key, data, lambda frame: bar_chart(frame, title))


def bars_data(rows: list[tuple[str, int | None]], label: str, measure: str | None = None) -> pd.DataFrame:
    """(name, figure, figure as written) of the bars drawn (`top_rows`)."""
    households, shown = measure or _("Foyers"), "shown"
    return pd.DataFrame(
        [
            (name, value, "" if value is None else format_decimal(value, locale=babel_locale()))
            for name, value in top_rows(rows)
        ],
        columns=[label, households, shown],
    )


def bar_chart(data: pd.DataFrame, title: str | None) -> alt.LayerChart:
    """The bars of `bars_data`, titled on as many lines as a phone needs."""
    label, households, shown = data.columns
    widest = _widest(data)
    y = alt.Y(f"{label}:N", sort=None, axis=None, scale=alt.Scale(paddingInner=0.55, paddingOuter=0.35))
    x = alt.X(
        f"{households}:Q",
        axis=count_axis(),
        scale=alt.Scale(domain=[0, max(1, widest) * 1.18], nice=False),  # room for the figure
    )
    base = alt.Chart(data).encode(y=y)
    lines = title_lines(title) if title else []
    chart = alt.LayerChart(
        layer=[
            base.mark_bar(color=GREEN).encode(x=x, tooltip=[label, households]),
            base.mark_text(align="left", baseline="bottom", dy=-11, fontSize=13, color="#262730").encode(
                x=alt.datum(0), text=f"{label}:N"
            ),
            base.mark_text(align="left", dx=4, fontSize=12, color="#262730").encode(
                x=f"{households}:Q", text=f"{shown}:N"
            ),
        ],
        title=alt.Title(lines, anchor="start") if lines else alt.Undefined,
    )
    return chart.properties(height=BAR_STEP * max(1, len(data)) + _TITLE_LINE * len(lines) + _AXIS)


def _widest(data: pd.DataFrame) -> int:
    published = data.iloc[:, 1].dropna()
    return int(published.max()) if len(published) else 0


SECRET_GREY, HATCH_GREY = "#d9d9d9", "#595959"
HATCH_LINES = 70  # hatch lines across the whole map's width: dense enough to read, light to draw


def hatching(geometries: list[Any], spacing: float) -> list[dict[str, Any]]:
    """Diagonal lines clipped to each geometry (GeoJSON mappings), `spacing` apart: secret areas
    are hatched as well as grey, so that they read as "secret" without relying on colour."""
    hatches = []
    for geometry in geometries:
        area = shape(geometry)
        west, south, east, north = area.bounds
        span = (east - west) + (north - south)
        lines = [
            LineString([(west + offset, south), (west + offset - span, south + span)])
            for offset in _steps(spacing, 2 * span)
        ]
        clipped = area.intersection(MultiLineString(lines))
        if not clipped.is_empty:
            hatches.append({"type": "Feature", "geometry": mapping(clipped), "properties": {}})
    return hatches


def _steps(spacing: float, length: float) -> list[float]:
    count = int(length / spacing) + 1 if spacing > 0 else 0
    return [spacing * (i + 0.5) for i in range(count)]


def choropleth(outlines: list[dict[str, Any]], values: dict[str, int | None], title: str) -> alt.LayerChart:
    """Sub-territories coloured by value; secret ones grey and hatched, with a legend entry of
    their own (never left out: a missing area would read as "no data"). No map tiles: shapes only."""
    households, territory, secret = _("Foyers"), _("Territoire"), _("Secret statistique")

    def features(rows: list[dict[str, Any]], shown: bool) -> list[dict[str, Any]]:
        return [
            {
                "type": "Feature",
                "geometry": outline["geometry"],
                "properties": {
                    "name": outline["name"],
                    "value": values.get(outline["key"]) if shown else None,
                    "state": secret,
                },
            }
            for outline in rows
        ]

    published = [o for o in outlines if values.get(o["key"]) is not None]
    hidden = [o for o in outlines if values.get(o["key"]) is None]
    layers: list[alt.Chart] = []
    if published:
        layers.append(
            alt.Chart(_data(features(published, True)))
            .mark_geoshape(stroke="white", strokeWidth=0.5)
            .encode(
                color=alt.Color(
                    "properties.value:Q",
                    title=households,
                    scale=alt.Scale(scheme="greens"),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("properties.name:N", title=territory),
                    alt.Tooltip("properties.value:Q", title=households),
                ],
            )
        )
    if hidden:
        bounds = shapely.unary_union([shape(o["geometry"]) for o in outlines]).bounds
        spacing = max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / HATCH_LINES
        layers.append(
            alt.Chart(_data(features(hidden, False)))
            .mark_geoshape(stroke="white", strokeWidth=0.5)
            .encode(
                fill=alt.Fill(
                    "properties.state:N",
                    title=None,
                    scale=alt.Scale(domain=[secret], range=[SECRET_GREY]),
                    legend=alt.Legend(orient="bottom"),
                ),
                tooltip=[
                    alt.Tooltip("properties.name:N", title=territory),
                    alt.Tooltip("properties.state:N", title=households),
                ],
            )
        )
        hatches = hatching([o["geometry"] for o in hidden], spacing)
        if hatches:
            layers.append(
                alt.Chart(_data(hatches))
                .mark_geoshape(filled=False, stroke=HATCH_GREY, strokeWidth=0.8)
                .encode(tooltip=alt.value(None))
            )
    chart: alt.LayerChart = (
        alt.layer(*layers, title=title)
        .resolve_scale(color="independent", fill="independent")
        .project(type="mercator")
        .properties(height=320)
    )
    return chart


def _data(features: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=json.loads(json.dumps(features)))  # type: ignore[no-untyped-call]
