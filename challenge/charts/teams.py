"""Altair charts of a collective's progress; each comes with a sentence that says the same in words.

Pages draw their Vega-Lite specs (`*_spec`), built once per language and shape (charts.specs)."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from challenge.charts.dashboards import bars, bars_spec
from challenge.charts.progress import weekly_score
from challenge.charts.specs import spec_for
from challenge.core.i18n import _, ngettext
from challenge.teams.stats import TeamBoard


def weekly_table(board: TeamBoard) -> pd.DataFrame:
    """The data behind the week-by-week chart, as shown under it."""
    columns = [_("Semaine"), _("Score moyen (%)"), _("Foyers au bilan")]
    return pd.DataFrame([(w.week, w.score, w.checked_in) for w in board.weekly], columns=columns)


def category_table(board: TeamBoard) -> pd.DataFrame:
    """The data behind the by-category chart, as shown under it."""
    return pd.DataFrame(board.by_category, columns=[_("Catégorie"), _("Services remplacés")])


def score_by_week(board: TeamBoard) -> alt.Chart:
    """The members' average score week after week (titled by the page, above the chart: two
    charts never overlap on a phone)."""
    return weekly_score(weekly_table(board), None)


def switches_by_category(board: TeamBoard) -> alt.LayerChart:
    """Services the members have switched, by category: each category's full name on its own line
    above its bar (never cut at 360 px), titled by the page."""
    rows: list[tuple[str, int | None]] = list(board.by_category)
    return bars(rows, None, _("Catégorie"), _("Services remplacés"))


def score_by_week_spec(board: TeamBoard) -> dict[str, Any]:
    """`score_by_week` as a Vega-Lite spec."""
    return spec_for("weekly_score", weekly_table(board), lambda table: weekly_score(table, None))


def switches_by_category_spec(board: TeamBoard) -> dict[str, Any]:
    """`switches_by_category` as a Vega-Lite spec."""
    return bars_spec(list(board.by_category), None, _("Catégorie"), _("Services remplacés"))


def describe(board: TeamBoard) -> str:
    """A text alternative of the charts, for screen readers and quick reading."""
    if not board.weekly:
        return _("Pas encore de semaine écoulée.")
    first, last = board.weekly[0], board.weekly[-1]
    if first.week == last.week:  # the first week: nothing to compare yet
        sentence = _("Semaine {week} : le score moyen des membres actuels est de {end} %").format(
            week=last.week, end=f"{last.score:.0f}"
        )
    else:
        sentence = _(
            "De la semaine {first} à la semaine {last}, le score moyen des membres actuels "
            "est passé de {start} % à {end} %"
        ).format(first=first.week, last=last.week, start=f"{first.score:.0f}", end=f"{last.score:.0f}")
    sentence += ngettext(
        " ; {count} foyer sur {members} a fait le bilan de la semaine {week}.",
        " ; {count} foyers sur {members} ont fait le bilan de la semaine {week}.",
        last.checked_in,
    ).format(count=last.checked_in, members=len(board.members), week=last.week)
    if board.by_category:
        best, count = max(board.by_category, key=lambda row: row[1])
        sentence += ngettext(
            " La catégorie la plus avancée : {category} ({count} service remplacé).",
            " La catégorie la plus avancée : {category} ({count} services remplacés).",
            count,
        ).format(category=best.lower(), count=count)
    return sentence
