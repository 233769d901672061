"""Altair charts of progress; each comes with a sentence that says the same in words.

Pages draw their Vega-Lite specs (`*_spec`), built once per language and shape (charts.specs)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from challenge.charts.specs import spec_for
from challenge.core.i18n import _, ngettext
from challenge.households.progress import HouseholdProgress

GREEN = "#1b6b4a"


def weekly_score(table: pd.DataFrame, title: str | None) -> alt.Chart:
    """A score (0-100 %) week after week: the first column is the week, the second the score;
    every column shows in the tooltip. The household's and the collective's charts share it."""
    week, score = table.columns[:2]
    chart: alt.Chart = (
        alt.Chart(table, title=title or alt.Undefined)
        .mark_line(point=alt.OverlayMarkDef(color=GREEN, size=60), color=GREEN, strokeWidth=3)
        .encode(
            x=alt.X(f"{week}:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"{score}:Q", scale=alt.Scale(domain=[0, 100])),
            tooltip=list(table.columns),
        )
        .properties(height=240)
    )
    return chart


def weekly_table(progress: HouseholdProgress) -> pd.DataFrame:
    """The data behind the week-by-week chart, as shown under it."""
    week, score, switched = _("Semaine"), _("Score (%)"), _("Services remplacés")
    return pd.DataFrame(
        [(p.week, p.score, p.switched) for p in progress.weekly], columns=[week, score, switched]
    )


def category_table(progress: HouseholdProgress) -> pd.DataFrame:
    """(week, category, services switched) rows of the by-category chart."""
    return pd.DataFrame(progress.by_category, columns=[_("Semaine"), _("Catégorie"), _("Services")])


def score_by_week(progress: HouseholdProgress) -> alt.Chart:
    """The de-GAFAM-isation score week after week."""
    return weekly_score(weekly_table(progress), None)  # titled by the page


def switches_by_category(progress: HouseholdProgress) -> alt.Chart:
    """Services switched each week, stacked by category."""
    return stacked_categories(category_table(progress))


def score_by_week_spec(progress: HouseholdProgress, table: pd.DataFrame | None = None) -> dict[str, Any]:
    """`score_by_week` as a Vega-Lite spec (`table`: its `weekly_table`, when already built)."""
    data = weekly_table(progress) if table is None else table
    return spec_for("weekly_score", data, lambda table: weekly_score(table, None))


def switches_by_category_spec(progress: HouseholdProgress) -> dict[str, Any]:
    """`switches_by_category` as a Vega-Lite spec."""
    return spec_for("stacked_categories", category_table(progress), stacked_categories)


def stacked_categories(data: pd.DataFrame) -> alt.Chart:
    """Services switched each week (columns: week, category, services), stacked by category."""
    week, category, services = data.columns
    chart: alt.Chart = (
        alt.Chart(data)  # titled by the page, above the chart: two charts never overlap on a phone
        .mark_bar()
        .encode(
            x=alt.X(f"{week}:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(f"sum({services}):Q", title=_("Services remplacés"), axis=alt.Axis(tickMinStep=1)),
            # One category a line, never cut ("Recherche sur le we…" at 360 px).
            color=alt.Color(f"{category}:N", legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
            tooltip=[week, category, services],
        )
        .properties(height=260)
    )
    return chart


def describe(progress: HouseholdProgress) -> str:
    """A text alternative of the charts, for screen readers and quick reading."""
    if not progress.weekly:
        return _("Pas encore de semaine écoulée.")
    first, last = progress.weekly[0], progress.weekly[-1]
    if first.week == last.week:  # the first week: nothing to compare yet
        return ngettext(
            "Semaine {week} : votre score est de {score} %, avec {count} service remplacé. "
            "La courbe se dessinera au fil des semaines.",
            "Semaine {week} : votre score est de {score} %, avec {count} services remplacés. "
            "La courbe se dessinera au fil des semaines.",
            last.switched,
        ).format(week=last.week, score=f"{last.score:.0f}", count=last.switched)
    return ngettext(
        "De la semaine {first} à la semaine {last}, votre score est passé de {start} % à {end} %, "
        "avec {count} service remplacé.",
        "De la semaine {first} à la semaine {last}, votre score est passé de {start} % à {end} %, "
        "avec {count} services remplacés.",
        last.switched,
    ).format(
        first=first.week,
        last=last.week,
        start=f"{first.score:.0f}",
        end=f"{last.score:.0f}",
        count=last.switched,
    )
