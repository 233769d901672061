"""Counted things are worded for their number: "0 service remplacé", "1 a choisi Signal", "3 foyers"."""

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
