"""Counts of households per commune, rolled up the territory tree and protected by secrecy.

The counts come from the pre-aggregated tables (challenge.aggregates), so a dashboard costs the
same whether the edition has 2,000 or 100,000 households.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from challenge.core.vocabulary import CommuneMeasure, Level
from challenge.counts import reads
from challenge.editions.calendar import EditionView
from challenge.statistics.secrecy import Node, Rules, protect_cumulative, protect_tree
from challenge.territories.tree import TerritoryTree

Published = dict[str, int | None]


@dataclass(frozen=True)
class Scope:
    """What an aggregate is about: an edition and a range of weeks."""

    edition: EditionView
    week_from: int
    week_to: int


def registered_by_commune(session: Session, edition_id: int) -> Counter[str]:
    """Households taking part in the edition (and consenting to it), per commune."""
    return Counter(
        {c: sum(weeks.values()) for c, weeks in reads.registered_by_week(session, edition_id).items()}
    )


def active_by_commune(session: Session, scope: Scope) -> Counter[str]:
    """Households with at least one check-in in the weeks of the scope."""
    return reads.active_in_span(session, scope.edition.id, scope.week_from, scope.week_to)


def switched_by_commune(session: Session, scope: Scope) -> Counter[str]:
    """Households having fully switched (or dropped) at least one service by the end of the scope."""
    return reads.by_commune(session, scope.edition.id, CommuneMeasure.SWITCHED, scope.week_to)


_PROTECTED: dict[tuple[int, tuple[tuple[str, int], ...], Rules], Published] = {}
_PROTECTED_MAX = 256


def protect_measure(tree: TerritoryTree, by_commune: Mapping[str, int], rules: Rules) -> Published:
    """Roll commune counts up the tree and apply primary and secondary suppression.

    Memoised on the counts themselves (always valid, no invalidation needed): every dashboard of
    an edition protects the same few series of the whole tree.
    """
    key = (id(tree), tuple(sorted((c, n) for c, n in by_commune.items() if n)), rules)
    if key not in _PROTECTED:
        if len(_PROTECTED) >= _PROTECTED_MAX:
            _PROTECTED.pop(next(iter(_PROTECTED)))
        _PROTECTED[key] = _protect(tree, by_commune, rules)
    return _PROTECTED[key]


def _protect(tree: TerritoryTree, by_commune: Mapping[str, int], rules: Rules) -> Published:
    values: dict[str, int] = {}
    for key, code, children in _bottom_up(tree):
        values[key] = by_commune.get(code, 0) if children is None else sum(values[c] for c in children)
    if not rules.is_small(0):
        nodes = {key: Node(key, values[key], node.children) for key, node in tree.nodes.items()}
        return protect_tree(nodes, rules)
    published: Published = dict.fromkeys(tree.nodes)
    published.update(protect_tree(_without_empty_subtrees(tree, values), rules))
    return published


def _without_empty_subtrees(tree: TerritoryTree, values: Mapping[str, int]) -> dict[str, Node]:
    """The tree without the territories counting nobody, which secrecy leaves untouched.

    A territory counting 0 is secret from the start, and so is everything below it: it never
    triggers a suppression, and is never picked as one. All it does is count as a secret child
    of its parent, where only "none, one, several" matters: two of them stand in for all.
    Dropping the others gives the same result in a fraction of the time (most communes of the
    région have no household in a small edition).
    """
    nodes: dict[str, Node] = {}
    for key, node in tree.nodes.items():
        if not values[key]:
            continue
        empty = [c for c in node.children if not values[c]][:2]
        nodes[key] = Node(key, values[key], tuple(c for c in node.children if values[c] or c in empty))
        for child in empty:
            nodes[child] = Node(child, 0)
    return nodes


_ORDERS: dict[int, tuple[TerritoryTree, list[tuple[str, str, tuple[str, ...] | None]]]] = {}


def _bottom_up(tree: TerritoryTree) -> list[tuple[str, str, tuple[str, ...] | None]]:
    """(key, code, children or None for a commune), every node after its children; once per tree."""
    cached = _ORDERS.get(id(tree))
    if cached is not None and cached[0] is tree:
        return cached[1]
    order: list[tuple[str, str, tuple[str, ...] | None]] = []
    seen: set[str] = set()

    def visit(key: str) -> None:
        if key in seen:
            return
        seen.add(key)
        node = tree.nodes[key]
        for child in node.children:
            visit(child)
        order.append((key, node.code, None if node.level == Level.COMMUNE else node.children))

    for key in tree.nodes:
        visit(key)
    _ORDERS[id(tree)] = (tree, order)
    return order


def registered_series(
    session: Session, tree: TerritoryTree, scope: Scope, key: str, rules: Rules
) -> list[int | None]:
    """Households registered by the end of each week, protected in the tree and over time."""
    by_week = reads.registered_by_week(session, scope.edition.id)
    weekly = []
    for week in range(scope.week_from, scope.week_to + 1):
        counts = {c: sum(n for w, n in weeks.items() if w <= week) for c, weeks in by_week.items()}
        weekly.append(protect_measure(tree, counts, rules)[key])
    raw = [v if v is not None else 0 for v in weekly]
    over_time = protect_cumulative(raw, rules)
    return [w if w is not None and t is not None else None for w, t in zip(weekly, over_time, strict=True)]


def active_series(
    session: Session, tree: TerritoryTree, scope: Scope, key: str, rules: Rules
) -> list[int | None]:
    """Households that checked in, week by week (each week protected in the whole tree)."""
    weeks = range(scope.week_from, scope.week_to + 1)
    weekly = reads.weekly_by_commune(session, scope.edition.id, CommuneMeasure.ACTIVE, weeks)
    return [protect_measure(tree, weekly[week], rules)[key] for week in weeks]
