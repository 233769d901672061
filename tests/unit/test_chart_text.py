"""Text alternatives of the dashboard charts: secret cells stay secret, leaders come first."""

from __future__ import annotations

from challenge.charts.text import bars_table, describe_bars
from challenge.core.i18n import use_locale

ROWS = [("Lille", 40), ("Roubaix", None), ("Tourcoing", 1200), ("Croix", 12), ("Wattrelos", 15)]


def test_sentence_names_the_three_leading_bars_and_never_a_secret_one() -> None:
    sentence = describe_bars(ROWS)
    assert (
        sentence.index("Tourcoing (1\u202f200)") < sentence.index("Lille (40)") < sentence.index("Wattrelos")
    )
    assert "Croix" not in sentence
    assert "Roubaix" not in sentence


def test_table_keeps_every_row_and_writes_secret_cells_as_secret() -> None:
    table = bars_table(ROWS, "Territoire")
    assert list(table.columns) == ["Territoire", "Foyers"]
    assert dict(zip(table["Territoire"], table["Foyers"], strict=True))["Roubaix"] == "secret"
    assert len(table) == len(ROWS)


def test_all_secret_says_so_in_the_chosen_language() -> None:
    assert "secret" in describe_bars([("Lille", None)])
    with use_locale("en"):
        assert describe_bars([("Lille", None)]).startswith("No figure can be published")
        assert describe_bars(ROWS).startswith("In the lead: Tourcoing (1,200)")
