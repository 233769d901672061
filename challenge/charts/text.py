"""Text alternatives of the dashboard charts: a sentence and the data as a table (RGAA 1.x)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from babel.numbers import format_decimal

from challenge.core.i18n import _, current_locale
from challenge.statistics.dashboards import Dashboard
from challenge.statistics.secrecy import SECRET_LABEL


def _figure(value: int | None) -> str:
    return SECRET_LABEL if value is None else format_decimal(value, locale=current_locale())


def trend_table(dashboard: Dashboard) -> pd.DataFrame:
    """The week-by-week participation, secret cells written as such."""
    columns = [_("Semaine"), _("Foyers ayant fait le bilan"), _("Foyers inscrits")]
    rows = [(week, _figure(active), _figure(registered)) for week, active, registered in dashboard.trend]
    return pd.DataFrame(rows, columns=columns)


def describe_trend(dashboard: Dashboard) -> str:
    """What the participation chart shows, in one sentence."""
    if not dashboard.trend:
        return _("Pas encore de semaine écoulée.")
    week, active, registered = dashboard.trend[-1]
    if active is None or registered is None:  # secondary suppression can hide either
        return _(
            "Semaine {week} : une partie des chiffres est couverte par le secret statistique ; "
            "le tableau des données donne ceux qui sont publiés."
        ).format(week=week)
    return _(
        "Semaine {week} : {active} foyers ont fait leur bilan, sur {registered} foyers inscrits."
    ).format(week=week, active=_figure(active), registered=_figure(registered))


def bars_table(rows: Sequence[tuple[str, int | None]], label: str) -> pd.DataFrame:
    """The rows of a bar chart, including the secret ones the chart leaves out."""
    return pd.DataFrame([(name, _figure(value)) for name, value in rows], columns=[label, _("Foyers")])


def describe_bars(rows: Sequence[tuple[str, int | None]]) -> str:
    """The leading bars of a chart, in words."""
    published = sorted(((n, v) for n, v in rows if v is not None), key=lambda row: -row[1])
    if not published:
        return _("Aucun chiffre publiable : tous sont sous le seuil du secret statistique.")
    leaders = ", ".join(f"{name} ({_figure(value)})" for name, value in published[:3])
    return _("En tête : {leaders}. Détail ligne par ligne dans le tableau des données.").format(
        leaders=leaders
    )
