"""Altair charts of progress; each comes with a sentence that says the same in words."""

from __future__ import annotations

import altair as alt
import pandas as pd

from challenge.progress import HouseholdProgress

GREEN = "#1b6b4a"


def score_by_week(progress: HouseholdProgress) -> alt.Chart:
    """The de-GAFAM-isation score week after week."""
    data = pd.DataFrame(
        [{"Semaine": p.week, "Score (%)": p.score, "Services remplacés": p.switched} for p in progress.weekly]
    )
    chart: alt.Chart = (
        alt.Chart(data, title="Votre score semaine après semaine")
        .mark_line(point=alt.OverlayMarkDef(color=GREEN, size=60), color=GREEN, strokeWidth=3)
        .encode(
            x=alt.X("Semaine:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Score (%):Q", scale=alt.Scale(domain=[0, 100])),
            tooltip=["Semaine", "Score (%)", "Services remplacés"],
        )
        .properties(height=240)
    )
    return chart


def switches_by_category(progress: HouseholdProgress) -> alt.Chart:
    """Services switched each week, stacked by category."""
    data = pd.DataFrame(progress.by_category, columns=["Semaine", "Catégorie", "Services"])
    chart: alt.Chart = (
        alt.Chart(data, title="Services remplacés, par catégorie")
        .mark_bar()
        .encode(
            x=alt.X("Semaine:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("sum(Services):Q", title="Services remplacés", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("Catégorie:N", legend=alt.Legend(orient="bottom", columns=2)),
            tooltip=["Semaine", "Catégorie", "Services"],
        )
        .properties(height=260)
    )
    return chart


def describe(progress: HouseholdProgress) -> str:
    """A text alternative of the charts, for screen readers and quick reading."""
    if not progress.weekly:
        return "Pas encore de semaine écoulée."
    first, last = progress.weekly[0], progress.weekly[-1]
    return (
        f"De la semaine {first.week} à la semaine {last.week}, votre score est passé de "
        f"{first.score:.0f} % à {last.score:.0f} %, avec {last.switched} service(s) remplacé(s)."
    )
