"""What the public pages and the council dashboard read besides the protected figures: the home
page's counters, the editions whose results may be shown, the territories a reader may open."""

from __future__ import annotations

from dataclasses import dataclass

from challenge.editions.calendar import EditionView
from challenge.editions.lookup import published_editions
from challenge.households.progress import Counters, public_counters
from challenge.infra.db import Database
from challenge.statistics.dashboards import check_access, scopes_of
from challenge.territories.tree import TerritoryTree


def home_view(db: Database) -> Counters:
    """The home page's edition-wide totals."""
    with db.read() as session:
        return public_counters(session)


def results_view(db: Database) -> list[EditionView]:
    """Editions whose results are public: the live ones first, then the closed ones."""
    with db.read() as session:
        return published_editions(session)


@dataclass(frozen=True)
class DashboardEntry:
    """What a council reader may open: its territories (none: not a council reader) and editions."""

    scopes: list[str]
    editions: list[EditionView]


def dashboard_entry(db: Database, account_id: int | None, tree: TerritoryTree) -> DashboardEntry:
    with db.read() as session:
        scopes = scopes_of(session, account_id, tree) if account_id is not None else []
        return DashboardEntry(scopes, published_editions(session))


def open_territory(db: Database, account_id: int, tree: TerritoryTree, key: str) -> None:
    """Refuse (NotFound, in French) a territory outside the reader's scopes, as an unknown one."""
    with db.read() as session:
        check_access(session, account_id, tree, key)
