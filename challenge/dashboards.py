"""Territory dashboards for councils: aggregated, protected, never exposing a household."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge import scoring, statistics
from challenge.errors import NotFound
from challenge.models import (
    Alternative,
    BigTechService,
    Category,
    ChosenAlternative,
    DeclaredService,
    RoleGrant,
)
from challenge.secrecy import Rules, protect_count, protect_sum, rate
from challenge.statistics import Scope
from challenge.territory_tree import TerritoryTree, territory_key

ESS_KINDS = {"cooperative", "association"}


@dataclass(frozen=True)
class Row:
    key: str
    name: str
    registered: int | None
    active: int | None
    checkin_rate: float | None  # share of registered households that checked in the last week
    switched: int | None


@dataclass(frozen=True)
class Adoption:
    name: str
    households: int | None
    is_local: bool
    is_ess: bool


@dataclass
class Dashboard:
    scope: Scope
    territory: Row
    breakdown: list[Row]
    by_category: list[tuple[str, int | None]]
    by_service: list[tuple[str, int | None]]
    alternatives: list[Adoption]
    quantities: dict[str, float | None]
    trend: list[tuple[int, int | None, int | None]] = field(default_factory=list)  # week, active, registered

    @property
    def has_figures(self) -> bool:
        return self.territory.registered is not None


def scopes_of(session: Session, account_id: int, tree: TerritoryTree) -> list[str]:
    """Territories an account may see: its council scopes; the whole région for organisers."""
    grants = session.execute(
        select(RoleGrant.role, RoleGrant.territory_level, RoleGrant.territory_code).where(
            RoleGrant.account_id == account_id, RoleGrant.role.in_(("council", "organiser"))
        )
    ).all()
    keys = []
    for role, level, code in grants:
        if role == "organiser":
            keys += [key for key, node in tree.nodes.items() if node.level == "region"]
        elif level and code and territory_key(level, code) in tree.nodes:
            keys.append(territory_key(level, code))
    return sorted(set(keys))


def check_access(session: Session, account_id: int, tree: TerritoryTree, key: str) -> None:
    """Refuse a territory outside the account's scopes (same answer as an unknown territory)."""
    if key not in tree.nodes or not any(
        tree.contains(scope, key) for scope in scopes_of(session, account_id, tree)
    ):
        raise NotFound("Ce territoire n'est pas dans votre périmètre.")


def _rows(tree: TerritoryTree, keys: list[str], measures: dict[str, statistics.Published]) -> list[Row]:
    return [
        Row(
            key,
            tree.nodes[key].name,
            measures["registered"][key],
            measures["active"][key],
            rate(measures["active_last_week"][key], measures["registered"][key]),
            measures["switched"][key],
        )
        for key in keys
    ]


def protected_measures(
    session: Session, tree: TerritoryTree, scope: Scope, rules: Rules, statuses: dict[int, dict[str, str]]
) -> dict[str, statistics.Published]:
    """The additive measures of every territory of the tree, protected together."""
    return {
        "registered": statistics.protect_measure(
            tree, statistics.registered_by_commune(session, scope.edition.id), rules
        ),
        "active": statistics.protect_measure(tree, statistics.active_by_commune(session, scope), rules),
        "active_last_week": statistics.protect_measure(
            tree,
            statistics.active_by_commune(session, Scope(scope.edition, scope.week_to, scope.week_to)),
            rules,
        ),
        "switched": statistics.protect_measure(
            tree, statistics.switched_by_commune(session, scope, statuses), rules
        ),
    }


def all_rows(tree: TerritoryTree, measures: dict[str, statistics.Published]) -> list[Row]:
    """One row per territory of the tree (open data)."""
    return _rows(tree, list(tree.nodes), measures)


def build_dashboard(session: Session, tree: TerritoryTree, key: str, scope: Scope, rules: Rules) -> Dashboard:
    """Everything a council sees about territory `key` for the scope, secrecy applied."""
    statuses = statistics.latest_statuses(session, scope)
    measures = protected_measures(session, tree, scope, rules, statuses)
    households = statistics.households_in(session, scope.edition.id, tree.communes_of[key])
    local = {h: statuses.get(h, {}) for h in households}
    sums = statistics.quantities(session, scope, households)
    dashboard = Dashboard(
        scope=scope,
        territory=_rows(tree, [key], measures)[0],
        breakdown=sorted(_rows(tree, list(tree.nodes[key].children), measures), key=lambda r: r.name),
        by_category=_by_category(session, local, rules),
        by_service=_by_service(session, local, rules),
        alternatives=_alternatives(session, local, rules),
        quantities={kind: protect_sum(values, rules) for kind, values in sums.items()},
    )
    active = statistics.active_series(session, tree, scope, key, rules)
    registered = statistics.registered_series(session, tree, scope, key, rules)
    weeks = range(scope.week_from, scope.week_to + 1)
    dashboard.trend = list(zip(weeks, active, registered, strict=True))
    return dashboard


def _switched_pairs(statuses: dict[int, dict[str, str]]) -> list[tuple[int, str]]:
    return [
        (h, s) for h, latest in statuses.items() for s, status in latest.items() if status in scoring.SWITCHED
    ]


def _by_category(
    session: Session, statuses: dict[int, dict[str, str]], rules: Rules
) -> list[tuple[str, int | None]]:
    """Households that switched at least one service of each category."""
    category_of = dict(session.execute(select(BigTechService.slug, Category.name).join(Category)).all())
    order = list(session.scalars(select(Category.name).order_by(Category.position)))
    pairs = {(h, category_of[s]) for h, s in _switched_pairs(statuses)}
    per_category = Counter(category for _, category in pairs)
    return [(name, protect_count(per_category[name], rules)) for name in order if per_category[name]]


def _by_service(
    session: Session, statuses: dict[int, dict[str, str]], rules: Rules
) -> list[tuple[str, int | None]]:
    """Households that left each Big Tech service."""
    names = dict(session.execute(select(BigTechService.slug, BigTechService.name)).all())
    counts = Counter(s for _, s in _switched_pairs(statuses))
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return [(names[s], protect_count(n, rules)) for s, n in ranked]


def _alternatives(session: Session, statuses: dict[int, dict[str, str]], rules: Rules) -> list[Adoption]:
    """Alternatives adopted (service at least mostly replaced), by number of households."""
    adopted = {
        (h, s) for h, latest in statuses.items() for s, st in latest.items() if st in ("switched", "mostly")
    }
    rows = session.execute(
        select(DeclaredService.household_id, DeclaredService.service_slug, Alternative)
        .join(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .join(Alternative, Alternative.slug == ChosenAlternative.alternative_slug)
        .where(DeclaredService.household_id.in_([h for h, _ in adopted]))
    ).all()
    users: dict[str, set[int]] = {}
    info: dict[str, Alternative] = {}
    for household, service, alternative in rows:
        if (household, service) in adopted:
            users.setdefault(alternative.slug, set()).add(household)
            info[alternative.slug] = alternative
    ranked = sorted(users.items(), key=lambda item: (-len(item[1]), info[item[0]].name))
    return [
        Adoption(
            info[slug].name,
            protect_count(len(households), rules),
            not info[slug].is_national,
            info[slug].kind in ESS_KINDS,
        )
        for slug, households in ranked[:15]
    ]
