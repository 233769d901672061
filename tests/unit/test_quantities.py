"""A quantity is stored exactly as the household wrote it, in the page's language, or refused."""

from decimal import Decimal

import pytest

from challenge.core.errors import ValidationError
from challenge.core.i18n import use_locale
from challenge.households.quantities import read_quantity


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
