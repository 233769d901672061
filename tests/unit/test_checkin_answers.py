"""A check-in answer names what the household chose; quantities are asked only where they apply."""

import pytest

from challenge.core.i18n import use_locale
from challenge.core.labels import status_label
from challenge.households.quantities import quantities_to_ask


@pytest.mark.parametrize(
    ("locale", "status", "chosen", "label"),
    [
        ("fr", "switched", ["Qwant"], "Passé à Qwant"),
        ("fr", "mostly", ["Signal", "Olvid"], "Surtout Signal ou Olvid"),
        ("fr", "tried", ["A", "B", "C"], "Essayé A ou B…"),
        ("fr", "switched", ["K-9 Mail (Thunderbird pour Android)"], "Passé à K-9 Mail"),
        ("fr", "switched", [], "Passé à l'alternative"),
        ("fr", "still", ["Qwant"], "Toujours Google Search"),
        ("fr", "dropped", ["Qwant"], "Service abandonné"),
        ("en", "switched", ["Qwant"], "Switched to Qwant"),
        ("en", "still", ["Qwant"], "Still Google Search"),
    ],
)
def test_an_answer_names_the_alternative_and_the_service(
    locale: str, status: str, chosen: list[str], label: str
) -> None:
    with use_locale(locale):
        assert status_label(status, "Google Search", chosen) == label


@pytest.mark.parametrize(
    ("category", "chosen", "status", "asked"),
    [
        (["euros", "objects"], ["label-emmaus"], "switched", ["euros"]),
        (["euros", "objects"], ["tipimi"], "tried", ["euros", "objects"]),
        (["euros", "objects"], ["tipimi"], "still", []),
        (["euros", "objects"], ["tipimi"], "dropped", []),
        (["euros", "objects"], ["tipimi"], None, []),
        (["euros", "objects"], [], "switched", []),  # no alternative chosen: nothing to count
        (["km"], ["ilevia"], "switched", []),
        (["km"], ["ilevia", "mobicoop"], "mostly", ["km"]),
        ([], ["qwant"], "switched", []),
    ],
)
def test_quantities_are_asked_only_where_they_apply(
    category: list[str], chosen: list[str], status: str | None, asked: list[str]
) -> None:
    assert quantities_to_ask(category, chosen, status) == asked
