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
    assert spec["encoding"]["x"]["axis"]["labelExpr"].endswith('"\u202f")')
    assert [row["Territoire"] for row in spec["datasets"][spec["data"]["name"]]] == ["Lille"]
