"""A quantity is stored exactly as the household wrote it, in the page's language, or refused."""

from decimal import Decimal

import pytest

from challenge.core.errors import ValidationError
from challenge.core.i18n import use_locale
from challenge.households.quantities import is_unusual, read_quantity, usual_value


@pytest.mark.parametrize(
    ("locale", "quantity", "typed", "read"),
    [
        ("fr", "euros", "35,50", 35.5),
        ("fr", "euros", "35.50", 35.5),
        ("fr", "euros", " 1 200,5 ", 1200.5),
        ("fr", "euros", "1\u202f200", 1200.0),
        ("fr", "euros", "1\u00a0200", 1200.0),
        ("fr", "km", "0", 0.0),
        ("fr", "km", 42, 42.0),
        ("fr", "km", 12.25, 12.25),
        ("fr", "km", Decimal("20000"), 20000.0),
        ("fr", "objects", "3", 3),
        ("fr", "objects", 3.0, 3),
        ("en", "euros", "35.50", 35.5),
        ("en", "euros", "1,200", 1200.0),
        ("fr", "euros", None, None),
        ("fr", "euros", "", None),
        ("fr", "euros", "   ", None),
    ],
)
def test_a_quantity_is_read_as_written(locale: str, quantity: str, typed: object, read: object) -> None:
    with use_locale(locale):
        assert read_quantity(quantity, typed, "Amazon") == read
        assert type(read_quantity(quantity, typed, "Amazon")) is type(read)


@pytest.mark.parametrize(
    ("locale", "quantity", "typed"),
    [
        ("fr", "euros", "-5"),
        ("fr", "euros", -5),
        ("fr", "euros", "NaN"),
        ("fr", "euros", float("nan")),
        ("fr", "euros", "inf"),
        ("fr", "euros", float("inf")),
        ("fr", "euros", float("-inf")),
        ("fr", "euros", "1e400"),
        ("fr", "euros", "50 000,01"),
        ("fr", "euros", "douze"),
        ("fr", "euros", "1" * 1_000_000),
        ("fr", "euros", True),
        ("fr", "euros", b"12"),
        ("fr", "euros", ["12"]),
        ("fr", "objects", "2,7"),
        ("fr", "objects", 2.7),
        ("fr", "objects", "501"),
        ("fr", "objects", float("nan")),
        ("en", "euros", "35,50"),  # not 3550: a decimal comma is not English writing
        ("en", "euros", "2,7"),
    ],
)
def test_anything_else_is_refused_naming_the_service_and_the_quantity(
    locale: str, quantity: str, typed: object
) -> None:
    with use_locale(locale), pytest.raises(ValidationError) as refused:
        read_quantity(quantity, typed, "Amazon")
    assert refused.value.field == quantity
    assert "Amazon" in refused.value.message
    assert len(refused.value.message) < 200  # what was sent is never echoed back


def test_the_message_is_french_and_names_the_field_as_the_form_does() -> None:
    with use_locale("fr"), pytest.raises(ValidationError) as refused:
        read_quantity("euros", "-5", "Amazon")
    assert refused.value.message == (
        "Euros dépensés localement pour Amazon : indiquez un nombre entre 0 et 50\u202f000, "
        "par exemple 12 ou 35,50."
    )
    with use_locale("fr"), pytest.raises(ValidationError) as refused:
        read_quantity("objects", "2,7", "Amazon")
    assert refused.value.message == "Objets empruntés pour Amazon : indiquez un nombre entier entre 0 et 500."


@pytest.mark.parametrize(
    ("quantity", "value", "previous", "unusual"),
    [
        ("euros", 35.5, [], False),  # "35,50" read right: nothing to confirm
        ("euros", 3550.0, [], True),  # "35,50" read as 3550: asked first
        ("euros", 500.0, [], False),
        ("euros", 3550.0, [30.0, 40.0, 35.5], True),
        ("euros", 3550.0, [400.0, 420.0], False),  # a household that usually spends that much
        ("euros", 60.0, [2.0, 3.0], False),  # ten times more, but still a sensible amount
        ("km", 12_000.0, [8.0], True),
        ("objects", 25, [], True),
        ("objects", 3, [0, 0, 1], False),
        ("euros", None, [], False),
    ],
)
def test_a_value_far_above_the_households_usual_ones_is_unusual(
    quantity: str, value: float | None, previous: list[float], unusual: bool
) -> None:
    assert is_unusual(quantity, value, previous) is unusual


def test_the_usual_value_is_the_median_of_earlier_non_zero_values() -> None:
    assert usual_value([]) == 0
    assert usual_value([0, 0]) == 0
    assert usual_value([10, 0, 30, 20]) == 20
    assert usual_value([10, 20, 30, 40]) == 25
