"""The household's charts read on a phone: a sentence that makes sense from the first week, legends
never cut, titles above the charts (never inside, where the second hid under the first)."""

from challenge.charts.progress import describe, score_by_week, switches_by_category
from challenge.households.progress import HouseholdProgress, WeekPoint


def _progress(weekly: list[WeekPoint]) -> HouseholdProgress:
    by_category = [(weekly[-1].week, "Recherche sur le web et cartes", 1)]
    return HouseholdProgress(
        None, ["google-search"], {}, 50.0, 1, 1, [], None, weekly=weekly, by_category=by_category
    )


def test_the_first_week_is_described_without_comparing_it_with_itself() -> None:
    sentence = describe(_progress([WeekPoint(6, 66.7, 1)]))
    assert sentence.startswith("Semaine 6 : votre score est de 67 %, avec 1 service remplacé.")
    assert "De la semaine 6 à la semaine 6" not in sentence


def test_later_weeks_say_how_the_score_moved() -> None:
    sentence = describe(_progress([WeekPoint(5, 25.0, 0), WeekPoint(6, 50.0, 0)]))
    assert (
        sentence
        == "De la semaine 5 à la semaine 6, votre score est passé de 25 % à 50 %, avec 0 service remplacé."
    )


def test_legends_are_never_cut_and_titles_stay_out_of_the_charts() -> None:
    progress = _progress([WeekPoint(6, 66.7, 1)])
    bars = switches_by_category(progress).to_dict()
    legend = bars["encoding"]["color"]["legend"]
    assert legend["labelLimit"] == 0
    assert legend["columns"] == 1
    assert "title" not in bars
    assert "title" not in score_by_week(progress).to_dict()
