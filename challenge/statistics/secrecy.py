"""Statistical secrecy: every aggregate the app publishes goes through here.

Primary suppression hides a cell counting fewer than `threshold` households (11 by default) and
a sum where one household weighs more than `dominance` (85 %) of the total. Secondary
suppression then hides more cells so that no hidden one can be recomputed:
- from a published total and its published parts (a territory and its sub-territories: a
  parent never has exactly one hidden child; a hidden parent always has a hidden child);
- from the difference between consecutive values of a cumulative series (week by week).
The same suppression must be used in every table that shows a cell, which is why a whole
territory tree is protected at once (`protect_tree`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

DEFAULT_THRESHOLD = 11
DEFAULT_DOMINANCE = 0.85
SECRET = None  # how a suppressed cell is published
SECRET_LABEL = "secret"  # noqa: S105 - how it is written in tables, files and text (not a password)


@dataclass(frozen=True)
class Rules:
    threshold: int = DEFAULT_THRESHOLD
    dominance: float = DEFAULT_DOMINANCE

    def is_small(self, households: int) -> bool:
        return households < self.threshold


def protect_count(value: int, rules: Rules) -> int | None:
    """A lone count of households (no table around it): published only from the threshold."""
    return SECRET if rules.is_small(value) else value


def protect_sum(contributions: Sequence[float], rules: Rules) -> float | None:
    """A sum over households (km, euros): hidden if too few contributors or one dominates."""
    positive = [c for c in contributions if c > 0]
    return protect_total(len(positive), sum(positive), max(positive, default=0.0), rules)


def protect_total(contributors: int, total: float, top: float, rules: Rules) -> float | None:
    """The same rule from pre-aggregated figures: positive contributors, their total, the largest."""
    if rules.is_small(contributors) or (total > 0 and top > rules.dominance * total):
        return SECRET
    return total


@dataclass(frozen=True)
class Node:
    """A territory in a tree of additive counts: value = sum of the children's values."""

    key: str
    value: int
    children: tuple[str, ...] = ()


def _smallest(candidates: Sequence[str], values: Mapping[str, int]) -> str | None:
    return min(candidates, key=lambda k: (values[k], k), default=None)


def protect_tree(nodes: Mapping[str, Node], rules: Rules) -> dict[str, int | None]:
    """Suppress small cells of an additive territory tree, then enough others to keep them hidden.

    Iterates to a fixed point: a published parent with exactly one hidden child gets a second
    hidden child (the smallest published sibling); a hidden parent whose children are all
    published gets its smallest child hidden (else it would be their sum).
    """
    values = {key: node.value for key, node in nodes.items()}
    hidden = {key for key, value in values.items() if rules.is_small(value)}
    changed = True
    while changed:
        changed = False
        for node in nodes.values():
            if not node.children:
                continue
            secret_children = [c for c in node.children if c in hidden]
            published = [c for c in node.children if c not in hidden]
            if (node.key not in hidden and len(secret_children) == 1) or (
                node.key in hidden and not secret_children
            ):
                extra = _smallest(published, values)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
    return {key: (SECRET if key in hidden else value) for key, value in values.items()}


def protect_cumulative(series: Sequence[int], rules: Rules) -> list[int | None]:
    """A cumulative series (e.g. households registered by week): each value is published only if
    it differs from the previous published one by 0 or by at least the threshold, so that no
    small group (those who joined that week) can be recovered by subtraction."""
    result: list[int | None] = []
    last: int | None = None
    for value in series:
        if rules.is_small(value) or (last is not None and 0 < value - last < rules.threshold):
            result.append(SECRET)
        else:
            result.append(value)
            last = value
    return result


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A share of two protected counts: secret if either is."""
    if numerator is None or denominator is None or denominator == 0:
        return SECRET
    return round(100 * numerator / denominator, 1)
