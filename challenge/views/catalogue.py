"""What the public catalogue shows: the categories, the visitor's own commune, and the
alternatives available in a commune (or everywhere), by category."""

from __future__ import annotations

from dataclasses import dataclass, field

from challenge.catalogue import browse
from challenge.catalogue.browse import AlternativeCard
from challenge.curation import suggestions
from challenge.curation.suggestions import SuggestionView
from challenge.households.profile import profile_of
from challenge.infra.db import Database
from challenge.models import Category
from challenge.territories.referential import Place, place_of


@dataclass(frozen=True)
class CatalogueView:
    categories: list[Category]
    home: Place | None = None  # the household's commune, the filter's default
    suggestions: list[SuggestionView] = field(default_factory=list)  # the household's own


def catalogue_view(db: Database, household_id: int | None) -> CatalogueView:
    with db.read() as session:
        categories = browse.categories(session)
        if household_id is None:
            return CatalogueView(categories)
        return CatalogueView(
            categories,
            profile_of(session, household_id).place,
            suggestions.of_household(session, household_id),
        )


def alternatives_view(db: Database, commune: str | None, category: str | None) -> list[AlternativeCard]:
    """Active alternatives available in `commune` (all when None), in `category` (all when None)."""
    with db.read() as session:
        return browse.browse(session, place_of(session, commune) if commune else None, category)
