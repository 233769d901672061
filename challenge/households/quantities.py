"""What a household may report with a check-in: km carpooled, euros spent locally, objects borrowed.

A quantity arrives as a household typed it, read in the language of the page ("35,50", "35.50"
and "1 200" in French; "35.50" and "1,200" in English, where "35,50" is refused rather than
read as 3550) or as a number. It is stored exactly as read, or refused with a message naming the
service and the quantity: never rounded, clamped or replaced by something else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

from challenge.core.errors import ValidationError
from challenge.core.i18n import _, babel_locale
from challenge.core.labels import QUANTITY
from challenge.core.vocabulary import CheckinStatus

QUANTITY_LIMITS: dict[str, int] = {"km": 20_000, "euros": 50_000, "objects": 500}
WHOLE_QUANTITIES = frozenset({"objects"})
_LONGEST_TYPED = 32  # characters: "50 000,00" is far shorter; anything longer is not a quantity


def _refused(quantity: str, service: str) -> ValidationError:
    limit = f"{QUANTITY_LIMITS[quantity]:,}".replace(",", "\u202f")
    field = str(QUANTITY[quantity]).capitalize()
    if quantity in WHOLE_QUANTITIES:
        message = _("{field} pour {service} : indiquez un nombre entier entre 0 et {limit}.")
    else:
        message = _(
            "{field} pour {service} : indiquez un nombre entre 0 et {limit}, par exemple 12 ou 35,50."
        )
    return ValidationError(message.format(field=field, service=service, limit=limit), field=quantity)


def _as_decimal(value: object) -> Decimal | None:
    """The number in `value`, or None when it holds none (a bool is not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, str) and len(value) <= _LONGEST_TYPED:
        try:
            # Spaces of any width only group digits; strict: no guessing between group and decimal.
            return parse_decimal("".join(value.split()), locale=babel_locale(), strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            return None
    return None


def read_quantity(quantity: str, value: object, service: str) -> float | int | None:
    """`value` as the quantity to store (None when left empty), or a ValidationError naming it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _as_decimal(value)
    if number is None or not number.is_finite() or not 0 <= number <= QUANTITY_LIMITS[quantity]:
        raise _refused(quantity, service)
    if quantity in WHOLE_QUANTITIES:
        if number != number.to_integral_value():
            raise _refused(quantity, service)
        return int(number)
    return float(number)


# Above this, or ten times what the household usually reports, a value asks for confirmation:
# "3550" for "35,50" typed on an English keyboard, an extra zero, km typed as metres.
SENSIBLE_AT_MOST: dict[str, int] = {"km": 500, "euros": 500, "objects": 20}
USUAL_JUMP = 10


def usual_value(previous: Sequence[float | int]) -> float:
    """What a household usually reports for a quantity: the median of its earlier non-zero values."""
    values = sorted(float(v) for v in previous if v)
    if not values:
        return 0.0
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def is_unusual(quantity: str, value: float | int | None, previous: Sequence[float | int]) -> bool:
    """True when `value` is far above the household's usual value (or any sensible one): the page
    then asks whether it is right before storing it."""
    if value is None:
        return False
    return value > max(SENSIBLE_AT_MOST[quantity], USUAL_JUMP * usual_value(previous))


# A quantity only means something with some alternatives: km with a carpooling platform, objects
# with a lending one; euros with any alternative of a category that counts them (None: any).
QUANTITY_ALTERNATIVES: dict[str, frozenset[str] | None] = {
    "km": frozenset({"mobicoop", "passpass-covoiturage"}),
    "objects": frozenset({"tipimi", "ebs-echange-biens-services"}),
    "euros": None,
}
_USING_AN_ALTERNATIVE = frozenset({CheckinStatus.SWITCHED, CheckinStatus.MOSTLY, CheckinStatus.TRIED})


def may_report_quantities(status: str | None) -> bool:
    """Quantities only count while the household uses an alternative: km carpooled or euros spent
    locally "still on the Big Tech service" or after dropping it would be figures of nothing."""
    return status in _USING_AN_ALTERNATIVE


def check_quantities_fit(status: str | None, quantities: Mapping[str, object], service: str) -> None:
    """Refuse quantities sent with an answer that cannot have any (the page never asks them)."""
    if may_report_quantities(status) or all(value is None for value in quantities.values()):
        return
    raise ValidationError(
        _(
            "{service} : les quantités (km, euros, objets) ne se déclarent que si vous utilisez "
            "une alternative ; laissez-les vides ou changez votre réponse."
        ).format(service=service),
        field="status",
    )


def quantities_to_ask(
    category_quantities: Sequence[str], chosen: Sequence[str], status: str | None
) -> list[str]:
    """The quantities a check-in asks for a service: only while the household uses an alternative
    it chose, and only those that alternative can account for (no "objects borrowed" on a shop)."""
    if not may_report_quantities(status) or not chosen:
        return []
    asked = []
    for quantity in category_quantities:
        fitting = QUANTITY_ALTERNATIVES.get(quantity)
        if fitting is None or fitting.intersection(chosen):
            asked.append(quantity)
    return asked
