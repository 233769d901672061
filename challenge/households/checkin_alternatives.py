"""Which alternative each check-in answer names: team goals and pledges count these, not choices."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.scoring import USES_ALTERNATIVE
from challenge.models import Checkin, ChosenAlternative, DeclaredService


def chosen_by_service(session: Session, household_id: int) -> dict[str, list[str]]:
    """service -> the alternatives the household chose for it, by slug."""
    chosen: dict[str, list[str]] = {}
    for service, option in session.execute(
        select(DeclaredService.service_slug, ChosenAlternative.alternative_slug)
        .join(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .where(DeclaredService.household_id == household_id)
        .order_by(ChosenAlternative.alternative_slug)
    ):
        chosen.setdefault(service, []).append(option)
    return chosen


def alternatives_used(
    session: Session, household_id: int, edition_id: int, answers: Sequence[tuple[str, str, str | None]]
) -> dict[str, str | None]:
    """service -> the alternative its answer (service, status, alternative sent) names: the one
    sent, which must be one the household chose for that service; else its only choice; else the
    one its latest answer named ("same as last time"); else none. Answers that use no alternative
    (still on Big Tech, dropped) name none."""
    chosen = chosen_by_service(session, household_id)
    used: dict[str, str | None] = {}
    for service, named in session.execute(
        select(Checkin.service_slug, Checkin.alternative_slug)
        .where(
            Checkin.household_id == household_id,
            Checkin.edition_id == edition_id,
            Checkin.alternative_slug.is_not(None),
        )
        .order_by(Checkin.week)
    ):
        used[service] = named
    result: dict[str, str | None] = {}
    for service, status, sent in answers:
        options = chosen.get(service, [])
        if sent is not None and sent not in options:
            raise ValidationError(
                _("Cette alternative ne fait pas partie de celles que votre foyer a retenues."),
                field="alternative",
            )
        alternative = sent
        if alternative is None and status in USES_ALTERNATIVE:
            if len(options) == 1:
                alternative = options[0]
            elif used.get(service) in options:
                alternative = used[service]
        result[service] = alternative
    return result
