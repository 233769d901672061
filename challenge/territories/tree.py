"""The additive tree of territories used by every published aggregate.

région → départements → EPCI (or the part of an EPCI inside a département, for the few that cross
a border) → communes. A cross-border EPCI also gets a node of its own whose children are its
parts, so that its total is protected consistently with them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.vocabulary import Level
from challenge.models import Commune, Departement, Epci, Region


@dataclass(frozen=True)
class Territory:
    key: str  # "region:32", "departement:59", "epci:200093201", "epci:200070985@80", "commune:59350"
    level: str
    code: str
    name: str
    children: tuple[str, ...] = ()


@dataclass
class TerritoryTree:
    nodes: dict[str, Territory]
    communes_of: dict[str, list[str]] = field(default_factory=dict)  # key -> INSEE codes below it

    def children(self, key: str) -> list[Territory]:
        return [self.nodes[child] for child in self.nodes[key].children]

    def contains(self, ancestor: str, key: str) -> bool:
        """True if territory `key` lies within `ancestor` (or is it)."""
        return set(self.communes_of[key]) <= set(self.communes_of[ancestor])


def territory_key(level: str, code: str) -> str:
    return f"{level}:{code}"


def build_tree(session: Session) -> TerritoryTree:
    """The tree of the whole referential (a few thousand nodes; build once and reuse)."""
    regions = {r.code: r.name for r in session.scalars(select(Region))}
    departements = {d.code: (d.name, d.region_code) for d in session.scalars(select(Departement))}
    epci_names = {e.siren: e.name for e in session.scalars(select(Epci))}
    communes = session.execute(
        select(Commune.insee_code, Commune.name, Commune.epci_siren, Commune.departement_code)
    ).all()
    parts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, _name, siren, dep in communes:
        parts[(siren, dep)].append(code)
    departements_of = defaultdict(set)
    for siren, dep in parts:
        departements_of[siren].add(dep)
    nodes: dict[str, Territory] = {}
    for code, name, _siren, _dep in communes:
        nodes[territory_key(Level.COMMUNE, code)] = Territory(
            territory_key(Level.COMMUNE, code), Level.COMMUNE, code, name
        )
    dep_children: dict[str, list[str]] = defaultdict(list)
    for (siren, dep), codes in sorted(parts.items()):
        crossing = len(departements_of[siren]) > 1
        key = territory_key(Level.EPCI, f"{siren}@{dep}" if crossing else siren)
        label = f"{epci_names[siren]} ({departements[dep][0]})" if crossing else epci_names[siren]
        children = tuple(territory_key(Level.COMMUNE, c) for c in sorted(codes))
        nodes[key] = Territory(key, Level.EPCI, siren, label, children)
        dep_children[dep].append(key)
    for siren, deps in departements_of.items():
        if len(deps) > 1:
            key = territory_key(Level.EPCI, siren)
            children = tuple(territory_key(Level.EPCI, f"{siren}@{d}") for d in sorted(deps))
            nodes[key] = Territory(key, Level.EPCI, siren, epci_names[siren], children)
    region_children: dict[str, list[str]] = defaultdict(list)
    for dep, (name, region) in departements.items():
        key = territory_key(Level.DEPARTEMENT, dep)
        nodes[key] = Territory(key, Level.DEPARTEMENT, dep, name, tuple(dep_children[dep]))
        region_children[region].append(key)
    for code, name in regions.items():
        key = territory_key(Level.REGION, code)
        nodes[key] = Territory(key, Level.REGION, code, name, tuple(sorted(region_children[code])))
    return TerritoryTree(nodes, _communes_below(nodes))


def _communes_below(nodes: dict[str, Territory]) -> dict[str, list[str]]:
    below: dict[str, list[str]] = {}

    def visit(key: str) -> list[str]:
        if key not in below:
            node = nodes[key]
            below[key] = (
                [node.code] if node.level == Level.COMMUNE else [c for ch in node.children for c in visit(ch)]
            )
        return below[key]

    for key in nodes:
        visit(key)
    return below
