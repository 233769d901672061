"""Vega-Lite specs of our charts, built once per language and shape, their data attached apart.

Building an Altair chart and turning it into a spec (`to_dict`, schema validation, type inference)
costs milliseconds on every page run, though a chart's spec depends only on the language and on
the shape of its data (columns, types, and what each chart names in `key`). So each spec is built
once, kept as JSON text (every use gets its own copy: the renderer may patch it), and the run's
data travels beside it as the one named dataset the spec reads.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import altair as alt
import pandas as pd

from challenge.core.i18n import current_locale

DATA = "table"  # the name of the dataset every cached spec reads
MAX_SPECS = 512  # a few per chart and language; bars also key on their count and longest bar

_specs: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()
built = 0  # specs built since the process started (tests check that a shape is built once)


def spec_for(
    key: Hashable, data: pd.DataFrame, build: Callable[[pd.DataFrame], alt.TopLevelMixin]
) -> dict[str, Any]:
    """The Vega-Lite spec of `build(data)` with `data` attached, built once per `key`, language
    and columns of `data`. `key` names what else the chart depends on (its kind, a title…)."""
    shape = (current_locale(), key, tuple(map(str, data.columns)), tuple(map(str, data.dtypes)))
    with _lock:
        text = _specs.get(shape)
        if text is not None:
            _specs.move_to_end(shape)
    if text is None:
        text = json.dumps(detached(build(data)))
        _keep(shape, text)
    spec: dict[str, Any] = json.loads(text)
    spec["datasets"] = {DATA: data}
    return spec


def _keep(shape: Hashable, text: str) -> None:
    global built
    with _lock:
        built += 1
        _specs[shape] = text
        while len(_specs) > MAX_SPECS:
            _specs.popitem(last=False)


def detached(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's spec as Streamlit draws it (no Altair theme), its one dataset named DATA and
    left out. Altair's global theme is not touched: other threads may be drawing."""
    context: dict[str, Any] = {"top_level": False, "datasets": {}}  # no theme; datasets seen here
    spec: dict[str, Any] = chart.to_dict(context=context)
    names = set(context.get("datasets", {}))
    if len(names) != 1:
        raise ValueError(f"a cached chart reads one dataset, this one {len(names)}")
    spec = _renamed(spec, names.pop())
    return {"$schema": alt.SCHEMA_URL, **spec}


def _renamed(node: Any, name: str) -> Any:
    """Every reference to the dataset `name` made a reference to DATA."""
    if isinstance(node, dict):
        if node.get("name") == name and set(node) <= {"name", "format"}:
            return {**node, "name": DATA}
        return {k: _renamed(v, name) for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(v, name) for v in node]
    return node
