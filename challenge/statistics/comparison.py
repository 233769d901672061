"""Year to year: one territory's protected figures in each edition, side by side.

Each edition's dashboard is already protected on its own (statistical secrecy); the comparison
only lines up figures that were publishable, so it reveals nothing a dashboard did not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from babel.numbers import format_percent
from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.i18n import _, current_locale
from challenge.editions.calendar import EditionView
from challenge.models import EditionTerritory
from challenge.statistics.dashboards import Dashboard
from challenge.statistics.secrecy import rate
from challenge.territories.tree import TerritoryTree, territory_key

_PERCENT = {"fr": "#,##0.#\u00a0%", "en": "#,##0.#%"}  # French: a no-break space before %


@dataclass(frozen=True)
class EditionFigures:
    edition_id: int
    name: str
    start_date: date
    status: str
    registered: int | None  # None: secret
    switched: int | None
    checkin_rate: float | None  # in the edition's last week shown

    @property
    def switch_share(self) -> float | None:
        """Share of registered households that replaced at least one service (percent)."""
        return rate(self.switched, self.registered)


def figures_of(board: Dashboard) -> EditionFigures:
    edition, row = board.scope.edition, board.territory
    return EditionFigures(
        edition.id,
        edition.name,
        edition.start_date,
        edition.status,
        row.registered,
        row.switched,
        row.checkin_rate,
    )


def editions_over(
    session: Session, tree: TerritoryTree, editions: list[EditionView], key: str
) -> list[EditionView]:
    """The editions whose territory meets territory `key` (an edition over no territory covers all)."""
    rows = session.execute(
        select(EditionTerritory.edition_id, EditionTerritory.level, EditionTerritory.code).where(
            EditionTerritory.edition_id.in_([e.id for e in editions])
        )
    ).all()
    areas: dict[int, list[str]] = {}
    for edition_id, level, code in rows:
        areas.setdefault(edition_id, []).append(territory_key(level, code))
    communes = set(tree.communes_of[key])

    def meets(area: str) -> bool:
        return area in tree.nodes and not communes.isdisjoint(tree.communes_of[area])

    return [e for e in editions if e.id not in areas or any(meets(a) for a in areas[e.id])]


def compare(boards: Iterable[Dashboard]) -> list[EditionFigures]:
    """The figures of each edition's dashboard (secret where it was), oldest edition first."""
    return sorted((figures_of(board) for board in boards), key=lambda f: (f.start_date, f.edition_id))


def summary(figures: list[EditionFigures]) -> str:
    """One sentence for screen readers and for people in a hurry: first and last edition."""
    if len(figures) < 2:
        return ""
    first, last = figures[0], figures[-1]
    if first.switch_share is None or last.switch_share is None:
        return _("Certaines éditions comptent trop peu de foyers sur ce territoire pour être comparées.")
    return _(
        "{first} : {first_share} des foyers inscrits ont remplacé au moins un service ; "
        "{last} : {last_share}."
    ).format(
        first=first.name,
        first_share=_percent(first.switch_share),
        last=last.name,
        last_share=_percent(last.switch_share),
    )


def _percent(value: float) -> str:
    """37,5 % in French, 37.5% in English (`value` in 0-100)."""
    pattern = _PERCENT.get(current_locale(), "#,##0.#%")
    return format_percent(value / 100, locale=current_locale(), format=pattern)
