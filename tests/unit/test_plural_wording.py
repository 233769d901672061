"""Counted things are worded for their number: "0 service remplacé", "1 membre utilise Signal", "3 foyers"."""

import re

import pytest
from babel.messages.pofile import read_po

from challenge.core.i18n import TRANSLATIONS_DIR, ngettext, use_locale
from challenge.core.labels import status_label
from challenge.core.scoring import STATUS_LABELS


@pytest.mark.parametrize(
    ("locale", "count", "worded"),
    [
        ("fr", 0, "0 service remplacé"),
        ("fr", 1, "1 service remplacé"),
        ("fr", 3, "3 services remplacés"),
        ("en", 0, "0 services replaced"),
        ("en", 1, "1 service replaced"),
    ],
)
def test_french_is_singular_up_to_one_and_english_only_for_one(locale: str, count: int, worded: str) -> None:
    with use_locale(locale):
        message = ngettext("{n} service remplacé", "{n} services remplacés", count)
    if locale == "en":  # not in the catalogue: the English rule on the French text; check the rule only
        assert (message == "{n} service remplacé") is (count == 1)
    else:
        assert message.format(n=count) == worded


@pytest.mark.parametrize(
    ("locale", "count", "worded"),
    [
        ("fr", 0, " ; 0 membre utilise Signal (d'après les bilans)"),
        ("fr", 1, " ; 1 membre utilise Signal (d'après les bilans)"),
        ("fr", 3, " ; 3 membres utilisent Signal (d'après les bilans)"),
        ("en", 1, "; 1 member uses Signal (according to the check-ins)"),
        ("en", 3, "; 3 members use Signal (according to the check-ins)"),
    ],
)
def test_a_goal_counts_the_members_using_its_alternative_in_words(
    locale: str, count: int, worded: str
) -> None:
    with use_locale(locale):
        message = ngettext(
            " ; {count} membre utilise {alternative} (d'après les bilans)",
            " ; {count} membres utilisent {alternative} (d'après les bilans)",
            count,
        )
    assert message.format(count=count, alternative="Signal") == worded


@pytest.mark.parametrize(
    ("locale", "count", "worded"),
    [
        ("fr", 1, "encore 1 membre à convaincre"),
        ("fr", 2, "encore 2 membres à convaincre"),
        ("en", 1, "1 more member to convince"),
        ("en", 2, "2 more members to convince"),
    ],
)
def test_a_pledge_says_how_many_more_members_it_needs_in_words(locale: str, count: int, worded: str) -> None:
    with use_locale(locale):
        message = ngettext(
            "encore {needed} membre à convaincre", "encore {needed} membres à convaincre", count
        )
    assert message.format(needed=count) == worded


def test_no_message_leaves_a_plural_to_the_reader() -> None:
    """No "foyer(s)", "passé(s)", "session(s)": ngettext chooses the form."""
    with (TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    guessed = [
        str(m.id)
        for m in catalogue
        if m.id and re.search(r"\w\(s\)", " ".join(m.id if isinstance(m.id, tuple) else [m.id]))
    ]
    assert guessed == []


def test_status_labels_start_with_a_capital_in_both_languages() -> None:
    for locale in ("fr", "en"):
        with use_locale(locale):
            for status in STATUS_LABELS:
                assert str(STATUS_LABELS[status])[0].isupper()
                assert status_label(status, "Google Search", ["Qwant"])[0].isupper()
