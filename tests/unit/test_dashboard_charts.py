"""The dashboard's charts as Vega-Lite specs: readable on a phone, numbers as the language writes them."""

from __future__ import annotations

from challenge.charts import dashboards
from challenge.core.i18n import use_locale


def test_count_axes_group_digits_as_the_language_does() -> None:
    with use_locale("fr"):
        french = dashboards.count_axis().to_dict()
    with use_locale("en"):
        english = dashboards.count_axis().to_dict()
    assert french["labelExpr"] == "replace(format(datum.value, ',d'), ',', \"\u202f\")"  # 2 000
    assert english["labelExpr"] == "replace(format(datum.value, ',d'), ',', \",\")"  # 2,000
    assert french["tickMinStep"] == 1  # no half household


def test_bars_count_households_on_that_axis_and_leave_secret_rows_out() -> None:
    with use_locale("fr"):
        spec = dashboards.bars([("Lille", 2000), ("Roubaix", None)], "Titre", "Territoire").to_dict()
    bar = spec["layer"][0]
    assert bar["encoding"]["x"]["axis"]["labelExpr"].endswith('"\u202f")')
    assert [row["Territoire"] for row in spec["datasets"][spec["data"]["name"]]] == ["Lille"]
    assert [row["shown"] for row in spec["datasets"][spec["data"]["name"]]] == ["2\u202f000"]


def test_bars_show_every_full_name_on_its_own_line_and_the_top_ten() -> None:
    rows: list[tuple[str, int | None]] = [(f"Communauté d'agglomération n° {i}", 100 - i) for i in range(14)]
    with use_locale("fr"):
        chart = dashboards.bars(
            [*rows, ("Secrète", None)], "Foyers ayant remplacé un service, par catégorie", "T"
        )
        spec = chart.to_dict()
    data = spec["datasets"][spec["data"]["name"]]
    assert [row["T"] for row in data[:9]] == [name for name, _ in rows[:9]]  # biggest first, uncut
    assert data[9]["T"] == "… et 5 autres lignes dans le tableau"
    assert data[9]["Foyers"] is None  # a pointer to the table, never a sum nor a bar
    name_layer = spec["layer"][1]
    assert name_layer["encoding"]["text"]["field"] == "T"
    assert "limit" not in name_layer["mark"]  # full names: one line each, above the bar
    assert spec["title"]["text"] == ["Foyers ayant remplacé un service,", "par catégorie"]
    assert spec["height"] == 10 * dashboards.BAR_STEP + 2 * 22 + 56
