"""Altair charts of a collective's progress; each comes with a sentence that says the same in words."""

from __future__ import annotations

import altair as alt
import pandas as pd

from challenge.charts import GREEN
from challenge.team_stats import TeamBoard


def weekly_table(board: TeamBoard) -> pd.DataFrame:
    """The data behind the week-by-week chart, as shown under it."""
    return pd.DataFrame(
        [
            {"Semaine": w.week, "Score moyen (%)": w.score, "Foyers au bilan": w.checked_in}
            for w in board.weekly
        ],
        columns=["Semaine", "Score moyen (%)", "Foyers au bilan"],
    )


def score_by_week(board: TeamBoard) -> alt.Chart:
    """The members' average score week after week."""
    chart: alt.Chart = (
        alt.Chart(weekly_table(board), title="Score moyen, semaine par semaine")
        .mark_line(point=alt.OverlayMarkDef(color=GREEN, size=60), color=GREEN, strokeWidth=3)
        .encode(
            x=alt.X("Semaine:O", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("Score moyen (%):Q", scale=alt.Scale(domain=[0, 100])),
            tooltip=["Semaine", "Score moyen (%)", "Foyers au bilan"],
        )
        .properties(height=240)
    )
    return chart


def switches_by_category(board: TeamBoard) -> alt.Chart:
    """Services the members have switched, by category."""
    data = pd.DataFrame(board.by_category, columns=["Catégorie", "Services remplacés"])
    chart: alt.Chart = (
        alt.Chart(data, title="Services remplacés, par catégorie")
        .mark_bar(color=GREEN)
        .encode(
            y=alt.Y("Catégorie:N", sort=None, title=None, axis=alt.Axis(labelLimit=160)),
            x=alt.X("Services remplacés:Q", axis=alt.Axis(tickMinStep=1)),
            tooltip=["Catégorie", "Services remplacés"],
        )
        .properties(height=alt.Step(28))
    )
    return chart


def describe(board: TeamBoard) -> str:
    """A text alternative of the charts, for screen readers and quick reading."""
    if not board.weekly:
        return "Pas encore de semaine écoulée."
    first, last = board.weekly[0], board.weekly[-1]
    sentence = (
        f"De la semaine {first.week} à la semaine {last.week}, le score moyen des membres actuels "
        f"est passé de {first.score:.0f} % à {last.score:.0f} % ; "
        f"{last.checked_in} foyer(s) sur {len(board.members)} ont fait le bilan de la semaine {last.week}."
    )
    if board.by_category:
        best, count = max(board.by_category, key=lambda row: row[1])
        sentence += f" La catégorie la plus avancée : {best.lower()} ({count} service(s) remplacé(s))."
    return sentence
