"""The catalogue as plain, comparable entries: read from the database or from files, and diffed.

An entry uses the field names of the files in data/catalogue, so that what the console shows,
what an import previews and what the audit trail keeps all read the same. `rank` is the place of
an active category or service in its file (None once retired); `retired` says whether the entry
is out of the catalogue. Lists whose order carries no meaning are sorted, so that a round trip
through a file compares equal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.catalogue.files import AREA_LEVELS, CatalogueData, areas_of
from challenge.models import Alternative, AlternativeArea, AlternativeReplacement, BigTechService, Category

EntryKind = Literal["category", "service", "alternative"]
ENTRY_KINDS: tuple[EntryKind, ...] = ("category", "service", "alternative")
Entry = dict[str, Any]
_FILE_KEY = {level: key for key, (level, _pattern) in AREA_LEVELS.items()}


@dataclass
class Snapshot:
    """Every entry of the catalogue by kind and slug, retired ones included."""

    category: dict[str, Entry] = field(default_factory=dict)
    service: dict[str, Entry] = field(default_factory=dict)
    alternative: dict[str, Entry] = field(default_factory=dict)

    def of(self, kind: EntryKind) -> dict[str, Entry]:
        entries: dict[str, Entry] = getattr(self, kind)
        return entries

    def active(self, kind: EntryKind) -> list[tuple[str, Entry]]:
        """Active entries of `kind`, in file order (rank, then name for alternatives)."""
        rows = [(slug, e) for slug, e in self.of(kind).items() if not e["retired"]]
        return sorted(rows, key=lambda row: (row[1].get("rank") or 0, row[1]["name"].casefold(), row[0]))


def availability_of(areas: list[tuple[str, str]]) -> str | dict[str, list[str]]:
    """ "national" or the file's {level: sorted codes} for these (level, code) pairs."""
    if not areas:
        return "national"
    grouped: dict[str, list[str]] = defaultdict(list)
    for level, code in areas:
        grouped[_FILE_KEY[level]].append(code)
    return {key: sorted(set(grouped[key])) for key in AREA_LEVELS if key in grouped}


def _ranks(rows: list[tuple[str, int, bool]]) -> dict[str, int | None]:
    """Rank among active rows ordered by (position, slug); None for retired rows."""
    active = sorted((position, slug) for slug, position, retired in rows if not retired)
    ranks: dict[str, int | None] = {slug: None for slug, _, _ in rows}
    ranks.update({slug: rank for rank, (_, slug) in enumerate(active)})
    return ranks


def _categories(session: Session) -> dict[str, Entry]:
    rows = list(session.scalars(select(Category)))
    ranks = _ranks([(c.slug, c.position, c.retired_at is not None) for c in rows])
    return {
        c.slug: {
            "name": c.name,
            "name_en": c.name_en,
            "quantities": sorted(c.quantities or []),
            "rank": ranks[c.slug],
            "retired": c.retired_at is not None,
        }
        for c in rows
    }


def _services(session: Session) -> dict[str, Entry]:
    rows = list(session.scalars(select(BigTechService)))
    ranks = _ranks([(s.slug, s.position, s.retired_at is not None) for s in rows])
    return {
        s.slug: {
            "name": s.name,
            "company": s.company,
            "category": s.category_slug,
            "rank": ranks[s.slug],
            "retired": s.retired_at is not None,
        }
        for s in rows
    }


def alternative_entry(alternative: Alternative, replaces: list[str], areas: list[tuple[str, str]]) -> Entry:
    return {
        "name": alternative.name,
        "url": alternative.url,
        "description": alternative.description,
        "kind": alternative.kind,
        "ethics": list(alternative.ethics or []),
        "effort": alternative.effort,
        "cost": alternative.cost,
        "replaces": sorted(set(replaces)),
        "availability": "national" if alternative.is_national else availability_of(areas),
        "sources": [dict(source) for source in alternative.sources or []],
        "last_checked": alternative.last_checked,
        "retired": alternative.retired_at is not None,
    }


def _alternatives(session: Session) -> dict[str, Entry]:
    replaces: dict[str, list[str]] = defaultdict(list)
    for link in session.scalars(select(AlternativeReplacement)):
        replaces[link.alternative_slug].append(link.service_slug)
    areas: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for area in session.scalars(select(AlternativeArea)):
        areas[area.alternative_slug].append((area.level, area.code))
    return {
        a.slug: alternative_entry(a, replaces[a.slug], areas[a.slug])
        for a in session.scalars(select(Alternative))
    }


def from_database(session: Session) -> Snapshot:
    """The catalogue as the database holds it now."""
    return Snapshot(_categories(session), _services(session), _alternatives(session))


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "__line__"}


def from_files(data: CatalogueData) -> Snapshot:
    """The catalogue the (validated) files describe; every entry in them is active."""
    snapshot = Snapshot()
    for rank, c in enumerate(data.categories):
        snapshot.category[c["slug"]] = {
            "name": c["name"],
            "name_en": c["name_en"],
            "quantities": sorted(c.get("quantities") or []),
            "rank": rank,
            "retired": False,
        }
    for rank, s in enumerate(data.services):
        snapshot.service[s["slug"]] = {
            "name": s["name"],
            "company": s["company"],
            "category": s["category"],
            "rank": rank,
            "retired": False,
        }
    for a in data.alternatives:
        snapshot.alternative[a["slug"]] = {
            "name": a["name"],
            "url": a["url"],
            "description": str(a["description"]).strip(),
            "kind": a["kind"],
            "ethics": list(a.get("ethics") or []),
            "effort": a["effort"],
            "cost": a["cost"],
            "replaces": sorted(set(a["replaces"])),
            "availability": availability_of(areas_of(a)),
            "sources": [_clean(source) for source in a["sources"]],
            "last_checked": a["last_checked"],
            "retired": False,
        }
    return snapshot
