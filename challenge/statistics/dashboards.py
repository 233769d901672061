"""Territory dashboards for councils: aggregated, protected, never exposing a household."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge.catalogue.browse import category_name
from challenge.core.errors import NotFound
from challenge.core.i18n import _
from challenge.core.vocabulary import Level, Role
from challenge.counts import reads
from challenge.counts.rules import departement_area
from challenge.models import Alternative, BigTechService, Category, HelpRequest, Household, RoleGrant
from challenge.statistics import participation
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import DEFAULT_THRESHOLD, Rules, protect_count, protect_total, rate
from challenge.territories.tree import TerritoryTree, territory_key

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
    threshold: int = DEFAULT_THRESHOLD  # the secrecy threshold these figures were protected with
    # Households that asked for help to switch, and those helped ("asked", "helped"; None: secret).
    help: dict[str, int | None] = field(default_factory=dict)

    @property
    def has_figures(self) -> bool:
        return self.territory.registered is not None


def scopes_of(session: Session, account_id: int, tree: TerritoryTree) -> list[str]:
    """Territories an account may see: its council scopes; the whole région for organisers."""
    grants = session.execute(
        select(RoleGrant.role, RoleGrant.territory_level, RoleGrant.territory_code).where(
            RoleGrant.account_id == account_id, RoleGrant.role.in_((Role.COUNCIL, Role.ORGANISER))
        )
    ).all()
    keys = []
    for role, level, code in grants:
        if role == Role.ORGANISER:
            keys += [key for key, node in tree.nodes.items() if node.level == Level.REGION]
        elif level and code and territory_key(level, code) in tree.nodes:
            keys.append(territory_key(level, code))
    return sorted(set(keys))


def check_access(session: Session, account_id: int, tree: TerritoryTree, key: str) -> None:
    """Refuse a territory outside the account's scopes (same answer as an unknown territory)."""
    if key not in tree.nodes or not any(
        tree.contains(scope, key) for scope in scopes_of(session, account_id, tree)
    ):
        raise NotFound(_("Ce territoire n'est pas dans votre périmètre."))


def _rows(tree: TerritoryTree, keys: list[str], measures: dict[str, participation.Published]) -> list[Row]:
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
    session: Session, tree: TerritoryTree, scope: Scope, rules: Rules
) -> dict[str, participation.Published]:
    """The additive measures of every territory of the tree, protected together."""
    return {
        "registered": participation.protect_measure(
            tree, participation.registered_by_commune(session, scope.edition.id), rules
        ),
        "active": participation.protect_measure(tree, participation.active_by_commune(session, scope), rules),
        "active_last_week": participation.protect_measure(
            tree,
            participation.active_by_commune(session, Scope(scope.edition, scope.week_to, scope.week_to)),
            rules,
        ),
        "switched": participation.protect_measure(
            tree, participation.switched_by_commune(session, scope), rules
        ),
    }


def all_rows(tree: TerritoryTree, measures: dict[str, participation.Published]) -> list[Row]:
    """One row per territory of the tree (open data)."""
    return _rows(tree, list(tree.nodes), measures)


def build_dashboard(session: Session, tree: TerritoryTree, key: str, scope: Scope, rules: Rules) -> Dashboard:
    """Everything a council sees about territory `key` for the scope, secrecy applied."""
    measures = protected_measures(session, tree, scope, rules)
    node = tree.nodes[key]
    communes = None if node.level == Level.REGION else tree.communes_of[key]
    areas = [departement_area(node.code)] if node.level == Level.DEPARTEMENT else communes
    items = reads.items_as_of(session, scope.edition.id, scope.week_to, areas)
    sums = reads.quantity_totals(session, scope.edition.id, scope.week_from, scope.week_to, communes)
    dashboard = Dashboard(
        scope=scope,
        territory=_rows(tree, [key], measures)[0],
        breakdown=sorted(_rows(tree, list(tree.nodes[key].children), measures), key=lambda r: r.name),
        by_category=_by_category(session, items["category"], rules),
        by_service=_by_service(session, items["service"], rules),
        alternatives=_alternatives(session, items["alternative"], rules),
        quantities={kind: protect_total(t.contributors, t.total, t.top, rules) for kind, t in sums.items()},
        threshold=rules.threshold,
        help=_help(session, scope.edition.id, communes, rules),
    )
    active = participation.active_series(session, tree, scope, key, rules)
    registered = participation.registered_series(session, tree, scope, key, rules)
    weeks = range(scope.week_from, scope.week_to + 1)
    dashboard.trend = list(zip(weeks, active, registered, strict=True))
    return dashboard


def help_by_commune(session: Session, edition_id: int) -> dict[str, Counter[str]]:
    """Households of each commune that asked for help in the edition, and those helped (a
    household that withdrew its consent is not counted, as in every aggregate)."""
    asked: Counter[str] = Counter()
    helped: Counter[str] = Counter()
    rows = session.execute(
        select(Household.commune_code, HelpRequest.household_id, func.max(HelpRequest.helped_at))
        .join(Household, Household.id == HelpRequest.household_id)
        .where(HelpRequest.edition_id == edition_id, Household.consent_withdrawn_at.is_(None))
        .group_by(Household.commune_code, HelpRequest.household_id)
    ).all()
    for commune, _household, last_helped in rows:
        asked[commune] += 1
        if last_helped is not None:
            helped[commune] += 1
    return {"asked": asked, "helped": helped}


def _help(
    session: Session, edition_id: int, communes: Collection[str] | None, rules: Rules
) -> dict[str, int | None]:
    """Households of the territory that asked for help, and those helped, each protected."""
    inside = None if communes is None else set(communes)
    return {
        item: protect_count(sum(n for c, n in per.items() if inside is None or c in inside), rules)
        for item, per in help_by_commune(session, edition_id).items()
    }


def _by_category(session: Session, counts: Counter[str], rules: Rules) -> list[tuple[str, int | None]]:
    """Households that switched at least one service of each category (named in the run's language)."""
    categories = session.execute(select(Category.slug, category_name()).order_by(Category.position)).all()
    return [(name, protect_count(counts[slug], rules)) for slug, name in categories if counts[slug]]


def _by_service(session: Session, counts: Counter[str], rules: Rules) -> list[tuple[str, int | None]]:
    """Households that left each Big Tech service."""
    names = dict(session.execute(select(BigTechService.slug, BigTechService.name)).all())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]]))
    return [(names[s], protect_count(n, rules)) for s, n in ranked]


def _alternatives(session: Session, counts: Counter[str], rules: Rules) -> list[Adoption]:
    """Alternatives adopted (service at least mostly replaced), by number of households."""
    info = {a.slug: a for a in session.scalars(select(Alternative).where(Alternative.slug.in_(list(counts))))}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], info[item[0]].name))
    return [
        Adoption(
            info[slug].name,
            protect_count(households, rules),
            not info[slug].is_national,
            info[slug].kind in ESS_KINDS,
        )
        for slug, households in ranked[:15]
    ]
