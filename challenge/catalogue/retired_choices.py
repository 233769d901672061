"""Alternatives a household chose that have since been retired from the catalogue."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.models import Alternative, BigTechService, ChosenAlternative, DeclaredService


@dataclass(frozen=True)
class RetiredChoice:
    service_slug: str
    service_name: str
    alternative_name: str


def retired_choices(session: Session, household_id: int) -> list[RetiredChoice]:
    """The household's choices whose alternative closed: it is told and invited to pick another."""
    rows = session.execute(
        select(DeclaredService.service_slug, BigTechService.name, Alternative.name)
        .join(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .join(Alternative, Alternative.slug == ChosenAlternative.alternative_slug)
        .join(BigTechService, BigTechService.slug == DeclaredService.service_slug)
        .where(DeclaredService.household_id == household_id, Alternative.retired_at.is_not(None))
        .order_by(BigTechService.position, Alternative.name)
    )
    return [RetiredChoice(slug, service, alternative) for slug, service, alternative in rows]
