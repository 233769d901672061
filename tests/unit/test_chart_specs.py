"""Charts drawn from Vega-Lite specs built once per language and shape: the same chart as the
Altair one Streamlit would have converted, data included, and a spec reused from run to run."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import altair as alt
import pandas as pd
import pytest
from streamlit import dataframe_util
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from challenge.charts import dashboards, progress, specs, teams
from challenge.core.i18n import use_locale
from challenge.households.progress import HouseholdProgress, WeekPoint
from challenge.statistics.dashboards import Dashboard
from challenge.teams.stats import TeamBoard, TeamWeek

LONG_TITLE = "Foyers ayant remplacé un service, par catégorie"


def _progress(weeks: int = 2) -> HouseholdProgress:
    weekly = [WeekPoint(w, 25.0 * w, w - 1) for w in range(1, weeks + 1)]
    by_category = [(weeks, "Recherche sur le web et cartes", 1), (weeks, "Messagerie", 2)]
    return HouseholdProgress(
        None, ["gmail"], {}, 50.0, 1, 1, [], None, weekly=weekly, by_category=by_category
    )


def _board() -> TeamBoard:
    fields: dict[str, Any] = dict.fromkeys(TeamBoard.__dataclass_fields__)
    fields.update(weekly=[TeamWeek(1, 20.0, 3), TeamWeek(2, 40.0, 4)], by_category=[("Messagerie", 3)])
    return TeamBoard(**fields)


def _dashboard() -> Dashboard:
    fields: dict[str, Any] = dict.fromkeys(Dashboard.__dataclass_fields__)
    fields.update(trend=[(1, 3, 10), (2, None, 12), (3, 5, 14)])
    return Dashboard(**fields)


ROWS = [(f"Commune {i}", None if i % 4 == 0 else 7 * i) for i in range(14)]
PAIRS: list[tuple[Callable[[], alt.TopLevelMixin], Callable[[], dict[str, Any]]]] = [
    (lambda: progress.score_by_week(_progress()), lambda: progress.score_by_week_spec(_progress())),
    (
        lambda: progress.switches_by_category(_progress()),
        lambda: progress.switches_by_category_spec(_progress()),
    ),
    (lambda: teams.score_by_week(_board()), lambda: teams.score_by_week_spec(_board())),
    (lambda: teams.switches_by_category(_board()), lambda: teams.switches_by_category_spec(_board())),
    (lambda: dashboards.trend(_dashboard()), lambda: dashboards.trend_spec(_dashboard())),
    (
        lambda: dashboards.bars(ROWS, LONG_TITLE, "Territoire"),
        lambda: dashboards.bars_spec(ROWS, LONG_TITLE, "Territoire"),
    ),
]


def _apart(spec: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """The spec with its one dataset's name made neutral, and that dataset as Arrow bytes."""
    spec = dict(spec)
    ((name, data),) = spec.pop("datasets").items()
    arrow = data if isinstance(data, bytes) else dataframe_util.convert_anything_to_arrow_bytes(data)
    return json.loads(json.dumps(spec).replace(name, "DATA")), arrow


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize(("chart", "spec"), PAIRS)
def test_a_cached_spec_draws_the_chart_streamlit_converts_from_altair(
    locale: str, chart: Callable[[], alt.TopLevelMixin], spec: Callable[[], dict[str, Any]]
) -> None:
    with use_locale(locale):
        assert _apart(spec()) == _apart(_convert_altair_to_vega_lite_spec(chart()))


def test_a_spec_is_built_once_per_language_and_shape_then_reused_with_new_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(specs, "_specs", OrderedDict())  # none built yet in this process
    with use_locale("fr"):
        progress.score_by_week_spec(_progress(2))
        built = specs.built
        again = progress.score_by_week_spec(_progress(5))  # more weeks: same shape, new data
        assert specs.built == built
        assert len(again["datasets"][specs.DATA]) == 5
    with use_locale("en"):
        english = progress.score_by_week_spec(_progress(5))
        assert specs.built == built + 1  # other column names and titles
    assert "Week" in json.dumps(english["encoding"])


def test_each_use_gets_its_own_copy_of_the_spec() -> None:
    first = dashboards.trend_spec(_dashboard())
    first["encoding"]["color"]["legend"]["title"] = "changed by a renderer"
    assert "changed by a renderer" not in json.dumps(dashboards.trend_spec(_dashboard())["encoding"])


def test_a_chart_reading_several_datasets_is_refused() -> None:
    layered = alt.layer(
        alt.Chart(pd.DataFrame({"a": [1]})).mark_point().encode(x="a:Q"),
        alt.Chart(pd.DataFrame({"b": [2]})).mark_point().encode(x="b:Q"),
    )
    with pytest.raises(ValueError, match="one dataset"):
        specs.detached(layered)
