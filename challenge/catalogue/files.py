"""Reading and validating the catalogue files; every error names the file and the line."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from challenge.core.errors import ReferenceDataError, bounded, shown
from challenge.core.weblinks import is_web_address
from challenge.infra.config import PROJECT_ROOT
from challenge.infra.uploads import MAX_REASON, AliasRefused, StrictYamlLoader

CATALOGUE_DIR = PROJECT_ROOT / "data" / "catalogue"
KINDS = ("free-software", "cooperative", "association", "public-service", "company")
ETHICS = ("open-source", "hosted-france", "hosted-eu", "no-ad-business", "ess-governance", "privacy")
EFFORTS = ("easy", "medium", "hard")
COSTS = ("free", "paid", "donation")
QUANTITIES = ("km", "euros", "objects")
# Who publishes a source: the platform itself, a network or federation it belongs to (the Apes,
# NosDéClics, CHATONS, CoopCycle…), a public body, the structure's statutes, or the press (press,
# Wikipedia, blogs). Every alternative needs at least one source that is not "press".
SOURCE_KINDS = ("official", "network", "public", "statutes", "press")
AREA_LEVELS = {
    "communes": ("commune", r"\d[\dAB]\d{3}"),
    "epci": ("epci", r"\d{9}"),
    "departements": ("departement", r"\d[\dAB]\d?"),
    "regions": ("region", r"\d{2}"),
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _LineLoader(StrictYamlLoader):
    """A safe loader that remembers the line of every mapping as "__line__"."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


@dataclass
class CatalogueData:
    categories: list[dict[str, Any]]
    services: list[dict[str, Any]]
    alternatives: list[dict[str, Any]]


class _Checker:
    """Collects every problem of one file, so that one run shows them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def fail(self, item: dict[str, Any], message: str) -> None:
        self.errors.append(f"{self.path.name}, ligne {item.get('__line__', '?')} : {message}")

    def text(self, item: dict[str, Any], name: str, max_length: int = 200) -> None:
        value = item.get(name)
        if not isinstance(value, str) or not value.strip():
            self.fail(item, f"champ « {name} » manquant ou vide")
        elif len(value) > max_length:
            self.fail(item, f"champ « {name} » trop long ({len(value)} > {max_length} caractères)")

    def choice(self, item: dict[str, Any], name: str, allowed: tuple[str, ...]) -> None:
        if item.get(name) not in allowed:
            self.fail(item, f"« {name} » vaut {shown(item.get(name))}, attendu : {', '.join(allowed)}")

    def subset(self, item: dict[str, Any], name: str, allowed: tuple[str, ...] | set[str]) -> None:
        values = item.get(name, [])
        if not isinstance(values, list):
            self.fail(item, f"« {name} » doit être une liste")
            return
        for value in values:
            if value not in allowed:
                self.fail(item, f"« {name} » contient {shown(value)}, inconnu")


def _read_list(path: Path, key: str) -> list[dict[str, Any]]:
    if not path.exists():
        raise ReferenceDataError(f"{path.name} : fichier introuvable ({path})")
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except AliasRefused as error:
        raise ReferenceDataError(f"{path.name} : ancre ou alias YAML refusé (ligne {error.line})") from None
    except RecursionError:
        raise ReferenceDataError(f"{path.name} : YAML trop imbriqué") from None
    except yaml.YAMLError as error:
        raise ReferenceDataError(f"{path.name} : YAML invalide : {str(error)[:MAX_REASON]}") from error
    items = document.get(key) if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ReferenceDataError(f"{path.name} : la clé « {key} » doit contenir une liste d'entrées")
    return items


def _check_slugs(check: _Checker, items: list[dict[str, Any]]) -> set[str]:
    seen: set[str] = set()
    for item in items:
        slug = item.get("slug")
        if not isinstance(slug, str) or not _SLUG.match(slug):
            check.fail(item, f"identifiant « slug » invalide : {shown(slug)} (a-z, 0-9 et tirets)")
        elif slug in seen:
            check.fail(item, f"identifiant « {slug} » en double")
        else:
            seen.add(slug)
    return seen


def _check_categories(check: _Checker, item: dict[str, Any]) -> None:
    check.text(item, "name")
    check.text(item, "name_en")
    check.subset(item, "quantities", QUANTITIES)


def _check_service(check: _Checker, item: dict[str, Any], categories: set[str]) -> None:
    check.text(item, "name")
    check.text(item, "company")
    if item.get("category") not in categories:
        check.fail(item, f"catégorie inconnue : {shown(item.get('category'))}")


def _check_availability(check: _Checker, item: dict[str, Any]) -> None:
    availability = item.get("availability")
    if availability == "national":
        return
    if not isinstance(availability, dict) or not set(availability) - {"__line__"}:
        check.fail(item, "« availability » doit valoir « national » ou lister des territoires")
        return
    for key, codes in availability.items():
        if key == "__line__":
            continue
        if key not in AREA_LEVELS or not isinstance(codes, list) or not codes:
            check.fail(item, f"« availability » : niveau {shown(key)} inconnu ou liste vide")
            continue
        pattern = AREA_LEVELS[key][1]
        for code in codes:
            if not re.fullmatch(pattern, str(code)):
                check.fail(item, f"« availability » : code {shown(code)} invalide pour {key}")


def _check_sources(check: _Checker, item: dict[str, Any]) -> None:
    sources = item.get("sources")
    if not isinstance(sources, list) or not sources:
        check.fail(item, "au moins une source est requise (« sources »)")
        return
    primary = False
    for source in sources:
        if not isinstance(source, dict) or not is_web_address(str(source.get("url", ""))):
            check.fail(item, "chaque source doit avoir une « url » https:// valide")
        kind = source.get("kind") if isinstance(source, dict) else None
        if kind not in SOURCE_KINDS:
            allowed = ", ".join(SOURCE_KINDS)
            check.fail(item, f"chaque source doit avoir un « kind » parmi : {allowed} (vaut {shown(kind)})")
        elif kind != "press":
            primary = True
    if not primary:
        check.fail(item, "au moins une source primaire est requise (« kind » autre que press)")
    if not isinstance(item.get("last_checked"), date):
        check.fail(item, "« last_checked » doit être une date AAAA-MM-JJ")


def _check_alternative(check: _Checker, item: dict[str, Any], services: set[str]) -> None:
    check.text(item, "name")
    check.text(item, "description", max_length=300)
    if not is_web_address(str(item.get("url", ""))):
        check.fail(item, f"« url » invalide : {shown(item.get('url'))}")
    check.choice(item, "kind", KINDS)
    check.subset(item, "ethics", ETHICS)
    check.choice(item, "effort", EFFORTS)
    check.choice(item, "cost", COSTS)
    replaces = item.get("replaces")
    if not isinstance(replaces, list) or not replaces:
        check.fail(item, "« replaces » doit lister au moins un service")
    else:
        check.subset(item, "replaces", services)
    _check_availability(check, item)
    _check_sources(check, item)


def _validated(
    path: Path, key: str, rule: Callable[[_Checker, dict[str, Any]], None]
) -> tuple[list[dict[str, Any]], set[str]]:
    items = _read_list(path, key)
    check = _Checker(path)
    slugs = _check_slugs(check, items)
    for item in items:
        rule(check, item)
    if check.errors:
        raise ReferenceDataError("\n".join(bounded(check.errors)))
    return items, slugs


def read_catalogue(folder: Path = CATALOGUE_DIR) -> CatalogueData:
    """Read and validate the three catalogue files; raises ReferenceDataError listing every problem."""
    categories, category_slugs = _validated(folder / "categories.yaml", "categories", _check_categories)
    services, service_slugs = _validated(
        folder / "services.yaml", "services", lambda c, i: _check_service(c, i, category_slugs)
    )
    alternatives, _ = _validated(
        folder / "alternatives.yaml",
        "alternatives",
        lambda c, i: _check_alternative(c, i, service_slugs),
    )
    return CatalogueData(categories, services, alternatives)


def areas_of(alternative: dict[str, Any]) -> list[tuple[str, str]]:
    """(level, code) pairs where a non-national alternative is available."""
    availability = alternative["availability"]
    if availability == "national":
        return []
    return [
        (AREA_LEVELS[key][0], str(code))
        for key, codes in availability.items()
        if key != "__line__"
        for code in codes
    ]
