"""Statistical secrecy: primary and secondary suppression; nothing hidden can be recomputed."""

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from challenge.statistics.secrecy import (
    Node,
    Rules,
    protect_count,
    protect_cumulative,
    protect_sum,
    protect_tree,
    rate,
)

RULES = Rules()


def test_counts_under_eleven_households_are_secret() -> None:
    assert protect_count(10, RULES) is None
    assert protect_count(11, RULES) == 11
    assert protect_count(0, RULES) is None


def test_threshold_is_a_setting() -> None:
    assert protect_count(10, Rules(threshold=5)) == 10


def test_sum_with_a_dominant_household_is_secret() -> None:
    assert protect_sum([900] + [10] * 12, RULES) is None  # one household makes 88 % of the km
    assert protect_sum([50] * 12, RULES) == 600
    assert protect_sum([50] * 10, RULES) is None  # too few contributors


def test_a_single_hidden_child_drags_a_sibling_with_it() -> None:
    tree = {
        "epci": Node("epci", 60, ("a", "b", "c")),
        "a": Node("a", 5, ()),
        "b": Node("b", 25, ()),
        "c": Node("c", 30, ()),
    }
    published = protect_tree(tree, RULES)
    assert published == {"epci": 60, "a": None, "b": None, "c": 30}


def test_a_hidden_parent_does_not_equal_the_sum_of_published_children() -> None:
    tree = {
        "dep": Node("dep", 100, ("x", "y")),
        "x": Node("x", 40, ("x1", "x2")),
        "y": Node("y", 60, ("y1", "y2")),
        "x1": Node("x1", 3, ()),
        "x2": Node("x2", 37, ()),
        "y1": Node("y1", 30, ()),
        "y2": Node("y2", 30, ()),
    }
    published = protect_tree(tree, RULES)
    assert published["x1"] is None
    assert published["x2"] is None
    assert published["dep"] == 100


def test_a_territory_of_ten_households_publishes_nothing_below_it() -> None:
    tree = {"t": Node("t", 10, ("a", "b")), "a": Node("a", 6, ()), "b": Node("b", 4, ())}
    assert protect_tree(tree, RULES) == {"t": None, "a": None, "b": None}


def test_cumulative_series_never_reveals_a_small_weekly_difference() -> None:
    assert protect_cumulative([5, 12, 15, 30, 30, 41], RULES) == [None, 12, None, 30, 30, 41]


def test_rate_of_a_secret_is_secret() -> None:
    assert rate(None, 40) is None
    assert rate(12, 40) == 30.0


# --- property-based tests -------------------------------------------------------------------


@st.composite
def trees(draw: st.DrawFn) -> dict[str, Node]:
    """A région → départements → EPCI → communes-like tree with additive values."""
    nodes: dict[str, Node] = {}

    def build(key: str, depth: int) -> int:
        if depth == 3 or (draw(st.booleans()) and depth > 0):
            value = draw(st.integers(0, 40))
            nodes[key] = Node(key, value)
            return value
        count = draw(st.integers(1, 4))
        children = tuple(f"{key}.{i}" for i in range(count))
        value = sum(build(child, depth + 1) for child in children)
        nodes[key] = Node(key, value, children)
        return value

    build("r", 0)
    return nodes


def _determined(nodes: dict[str, Node], published: dict[str, int | None]) -> set[str]:
    """Hidden cells an attacker can compute exactly from the additive equations (linear algebra)."""
    hidden = sorted(k for k, v in published.items() if v is None)
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    for node in nodes.values():
        if not node.children:
            continue
        row = np.zeros(len(hidden))
        for key, sign in [(node.key, 1.0)] + [(c, -1.0) for c in node.children]:
            if key in index:
                row[index[key]] += sign
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    found = set()
    for key, i in index.items():
        unit = np.zeros(len(hidden))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return found


@settings(max_examples=300, deadline=None)
@given(trees())
def test_no_suppressed_value_can_be_recomputed_from_what_is_published(nodes: dict[str, Node]) -> None:
    published = protect_tree(nodes, RULES)
    for key, node in nodes.items():
        if RULES.is_small(node.value):
            assert published[key] is None  # primary suppression
        if published[key] is not None:
            assert published[key] == node.value  # published figures are exact
    leaked = {k for k in _determined(nodes, published) if nodes[k].value > 0}
    assert leaked == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 25), min_size=1, max_size=12))
def test_no_small_weekly_group_can_be_recovered_by_subtraction(increments: list[int]) -> None:
    series = list(np.cumsum(increments).tolist())
    published = protect_cumulative(series, RULES)
    values = [v for v in published if v is not None]
    assert all(v >= RULES.threshold for v in values)
    assert all(b - a == 0 or b - a >= RULES.threshold for a, b in itertools.pairwise(values))
