"""The catalogue in the database: loading it from files and asking what is available where."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, exists, or_, select, tuple_, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from challenge.catalogue.files import CatalogueData, areas_of
from challenge.core.errors import ReferenceDataError
from challenge.core.i18n import current_locale
from challenge.infra.sync import SyncReport, sync_rows
from challenge.models import (
    Alternative,
    AlternativeArea,
    AlternativeReplacement,
    BigTechService,
    Category,
    utcnow,
)
from challenge.territories.areas import COLUMNS
from challenge.territories.referential import Place, search_key

_AREA_TABLES = {level: code for level, (code, _name) in COLUMNS.items()}


@dataclass(frozen=True)
class ServiceView:
    slug: str
    name: str
    company: str
    category_slug: str
    category_name: str


def check_area_codes(session: Session, data: CatalogueData) -> None:
    """Refuse availability codes missing from the territory referential, naming each line."""
    known = {level: set(session.scalars(select(column))) for level, column in _AREA_TABLES.items()}
    errors = [
        f"alternatives.yaml, ligne {item['__line__']} : territoire inconnu ({level} {code})"
        for item in data.alternatives
        for level, code in areas_of(item)
        if code not in known[level]
    ]
    if errors:
        raise ReferenceDataError("\n".join(errors))


def _alternative_row(item: dict[str, object]) -> dict[str, object]:
    sources = [{k: v for k, v in s.items() if k != "__line__"} for s in item["sources"]]  # type: ignore[attr-defined]
    return {
        "slug": item["slug"],
        "name": item["name"],
        "url": item["url"],
        "description": str(item["description"]).strip(),
        "kind": item["kind"],
        "ethics": list(item.get("ethics") or []),  # type: ignore[call-overload]
        "effort": item["effort"],
        "cost": item["cost"],
        "is_national": item["availability"] == "national",
        "sources": sources,
        "last_checked": item["last_checked"],
        "retired_at": None,
    }


def load_catalogue(session: Session, data: CatalogueData) -> SyncReport:
    """Sync the catalogue; alternatives gone from the file are retired, never deleted."""
    check_area_codes(session, data)
    report = sync_rows(
        session,
        Category,
        [
            {
                "slug": c["slug"],
                "name": c["name"],
                "name_en": c["name_en"],
                "position": i,
                "quantities": list(c.get("quantities") or []),
                "retired_at": None,
            }
            for i, c in enumerate(data.categories)
        ],
    )
    report += sync_rows(
        session,
        BigTechService,
        [
            {
                "slug": s["slug"],
                "name": s["name"],
                "company": s["company"],
                "category_slug": s["category"],
                "position": i,
                "retired_at": None,
            }
            for i, s in enumerate(data.services)
        ],
    )
    report += sync_rows(session, Alternative, [_alternative_row(a) for a in data.alternatives])
    slugs = [a["slug"] for a in data.alternatives]
    session.execute(
        update(Alternative)
        .where(Alternative.slug.not_in(slugs), Alternative.retired_at.is_(None))
        .values(retired_at=utcnow())
    )
    _replace_links(session, data)
    return report


def _replace_links(session: Session, data: CatalogueData) -> None:
    """Make replacement and availability rows exactly what the file says."""
    session.execute(delete(AlternativeReplacement))
    session.execute(delete(AlternativeArea))
    session.add_all(
        AlternativeReplacement(alternative_slug=a["slug"], service_slug=s)
        for a in data.alternatives
        for s in dict.fromkeys(a["replaces"])
    )
    session.add_all(
        AlternativeArea(alternative_slug=a["slug"], level=level, code=code)
        for a in data.alternatives
        for level, code in dict.fromkeys(areas_of(a))
    )
    session.flush()


def _available_in(place: Place):  # type: ignore[no-untyped-def]
    """SQL condition: the alternative is national or has an area containing `place`."""
    local = exists().where(
        AlternativeArea.alternative_slug == Alternative.slug,
        tuple_(AlternativeArea.level, AlternativeArea.code).in_(place.territories),
    )
    return or_(Alternative.is_national.is_(True), local)


def alternatives_by_service(
    session: Session, place: Place | None, service_slugs: list[str] | None = None
) -> dict[str, list[Alternative]]:
    """Active alternatives for each service, restricted to those available at `place` if given."""
    query = (
        select(AlternativeReplacement.service_slug, Alternative)
        .join(Alternative, Alternative.slug == AlternativeReplacement.alternative_slug)
        .where(Alternative.retired_at.is_(None))
        .order_by(Alternative.is_national, Alternative.effort, Alternative.name)
    )
    if place is not None:
        query = query.where(_available_in(place))
    if service_slugs is not None:
        query = query.where(AlternativeReplacement.service_slug.in_(service_slugs))
    result: dict[str, list[Alternative]] = defaultdict(list)
    for service_slug, alternative in session.execute(query):
        result[service_slug].append(alternative)
    return dict(result)


def category_name() -> InstrumentedAttribute[str]:
    """The column holding a category's name in the language of this run (the catalogue has both)."""
    return Category.name_en if current_locale() == "en" else Category.name


def category_label(category: Category) -> str:
    """A category's name in the language of this run."""
    return category.name_en if current_locale() == "en" else category.name


def services(session: Session) -> list[ServiceView]:
    """Every Big Tech service with its category (named in the run's language), in catalogue order."""
    rows = session.execute(
        select(BigTechService, category_name())
        .join(Category, Category.slug == BigTechService.category_slug)
        .order_by(Category.position, BigTechService.position)
    )
    return [
        ServiceView(s.slug, s.name, s.company, s.category_slug, category_name) for s, category_name in rows
    ]


def categories(session: Session) -> list[Category]:
    """Categories still in the catalogue, in catalogue order."""
    query = select(Category).where(Category.retired_at.is_(None)).order_by(Category.position)
    return list(session.scalars(query))


def area_labels(session: Session, slugs: list[str]) -> dict[str, list[str]]:
    """Human names of the territories where each local alternative is available."""
    rows = session.execute(select(AlternativeArea).where(AlternativeArea.alternative_slug.in_(slugs)))
    names: dict[str, list[str]] = defaultdict(list)
    for area in rows.scalars():
        column = _AREA_TABLES[area.level]
        name = session.scalar(select(column.table.c.name).where(column == area.code))
        names[area.alternative_slug].append(name or area.code)
    return dict(names)


def service_quantities(session: Session) -> dict[str, list[str]]:
    """The quantities (km, euros, objects) a household may report for each service."""
    rows = session.execute(select(BigTechService.slug, Category.quantities).join(Category))
    return {slug: list(quantities or []) for slug, quantities in rows}


@dataclass(frozen=True)
class AlternativeCard:
    """An alternative as the public catalogue shows it."""

    alternative: Alternative
    replaces: list[str]
    areas: list[str]


def matches(card: AlternativeCard, typed: str) -> bool:
    """Whether a card answers what was typed: every word found in its name, description or the
    services it replaces, whatever the accents and case."""
    alt = card.alternative
    text = search_key(" ".join([alt.name, alt.description, *card.replaces]))
    return all(word in text for word in search_key(typed).split())


def browse(session: Session, place: Place | None, category_slug: str | None) -> list[AlternativeCard]:
    """Active alternatives (available at `place` if given), optionally in one category."""
    query = (
        select(Alternative, BigTechService.name)
        .join(AlternativeReplacement, AlternativeReplacement.alternative_slug == Alternative.slug)
        .join(BigTechService, BigTechService.slug == AlternativeReplacement.service_slug)
        .where(Alternative.retired_at.is_(None))
        .order_by(Alternative.is_national, Alternative.name, BigTechService.position)
    )
    if place is not None:
        query = query.where(_available_in(place))
    if category_slug:
        query = query.where(BigTechService.category_slug == category_slug)
    replaces: dict[str, list[str]] = defaultdict(list)
    found: dict[str, Alternative] = {}
    for alternative, service_name in session.execute(query):
        found[alternative.slug] = alternative
        replaces[alternative.slug].append(service_name)
    local = [slug for slug, a in found.items() if not a.is_national]
    areas = area_labels(session, local) if local else {}
    return [AlternativeCard(a, replaces[slug], areas.get(slug, [])) for slug, a in found.items()]
