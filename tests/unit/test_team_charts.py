"""The team page's charts read on a phone: titled by the page above them (at 360 px the second
chart's title hid under the first), each category's full name in view, never cut."""

from typing import Any

from challenge.charts.teams import category_table, score_by_week, switches_by_category
from challenge.teams.stats import TeamBoard, TeamWeek

LONG = "Recherche sur le web et cartes"


def _board() -> TeamBoard:
    fields: dict[str, Any] = dict.fromkeys(TeamBoard.__dataclass_fields__)
    fields.update(
        weekly=[TeamWeek(1, 20.0, 3), TeamWeek(2, 40.0, 4)],
        by_category=[("Messagerie", 3), (LONG, 1)],
    )
    return TeamBoard(**fields)


def _texts(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [layer for layer in spec.get("layer", []) if layer["mark"]["type"] == "text"]


def test_titles_stay_out_of_the_team_charts() -> None:
    board = _board()
    assert "title" not in score_by_week(board).to_dict()
    assert "title" not in switches_by_category(board).to_dict()


def test_category_names_are_written_in_full_above_their_bars() -> None:
    spec = switches_by_category(_board()).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["axis"] is None  # no axis label cut at 160 px
    names = _texts(spec)[0]
    assert names["encoding"]["text"]["field"] == "Catégorie"
    values = next(iter(spec["datasets"].values()))
    assert {row["Catégorie"] for row in values} == {"Messagerie", LONG}
    assert {row["Services remplacés"] for row in values} == {3, 1}


def test_the_category_chart_has_its_data_as_a_table() -> None:
    table = category_table(_board())
    assert list(table.columns) == ["Catégorie", "Services remplacés"]
    assert table.values.tolist() == [["Messagerie", 3], [LONG, 1]]
