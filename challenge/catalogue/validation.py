"""Checking what an organiser types into the catalogue forms, with one French message per problem."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.catalogue.files import AREA_LEVELS, COSTS, EFFORTS, ETHICS, KINDS, QUANTITIES
from challenge.catalogue.snapshot import availability_of
from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Level
from challenge.core.weblinks import is_web_address
from challenge.models import Commune, Departement, Epci
from challenge.territories.areas import COLUMNS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CODE_LEVELS = (  # the shape of a code says its level: SIREN 9 digits, INSEE 5, département 2-3
    (Level.EPCI, re.compile(r"^\d{9}$"), Epci.siren),
    (Level.COMMUNE, re.compile(r"^\d[\dAB]\d{3}$"), Commune.insee_code),
    (Level.DEPARTEMENT, re.compile(r"^\d[\dAB]\d?$"), Departement.code),
)
_COLUMNS = {level: code for level, (code, _name) in COLUMNS.items()}


def slugify(text: str) -> str:
    """A catalogue identifier from a name: "Lille.Bike Coop" gives "lille-bike-coop"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64]


class Problems:
    """Collects every problem of a form, so that the organiser sees them all at once."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        self.messages.append(message)

    def text(self, value: str, label: str, max_length: int = 200) -> str:
        value = (value or "").strip()
        if not value:
            self.add(_("« {label} » est obligatoire.").format(label=label))
        elif len(value) > max_length:
            self.add(
                _("« {label} » est trop long ({length} caractères, {limit} au plus).").format(
                    label=label, length=len(value), limit=max_length
                )
            )
        return value

    def slug(self, value: str) -> str:
        value = (value or "").strip()
        if not SLUG.match(value) or len(value) > 64:
            self.add(
                _(
                    "Identifiant invalide : lettres minuscules sans accent, chiffres et tirets "
                    "(ex. lille-bike)."
                )
            )
        return value

    def url(self, value: str, label: str) -> str:
        value = (value or "").strip()
        if not is_web_address(value):
            self.add(
                _(
                    "« {label} » doit être une adresse web commençant par https:// "
                    "(sans espace, parenthèse, crochet ni guillemet)."
                ).format(label=label)
            )
        return value

    def choice(self, value: str, allowed: tuple[str, ...], label: str) -> str:
        if value not in allowed:
            self.add(_("« {label} » : choisissez une valeur de la liste.").format(label=label))
        return value

    def subset(self, values: list[str], allowed: tuple[str, ...] | set[str], label: str) -> list[str]:
        if any(v not in allowed for v in values):
            self.add(_("« {label} » contient une valeur inconnue.").format(label=label))
        return list(dict.fromkeys(values))

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(" ".join(self.messages))


def _level_of(token: str) -> tuple[str, str, Any] | None:
    """(level, code, column) of "epci:200093201", or of a bare code by its shape."""
    if ":" in token:
        level, code = token.split(":", 1)
        return (level, code, _COLUMNS[level]) if level in _COLUMNS else None
    return next(
        ((name, token, column) for name, pattern, column in _CODE_LEVELS if pattern.match(token)), None
    )


def territory_availability(session: Session, typed: str, problems: Problems) -> str | dict[str, list[str]]:
    """ "national" for an empty field, else the file's availability for existing territory codes."""
    areas: list[tuple[str, str]] = []
    for token in [t for t in re.split(r"[\s,;]+", typed or "") if t]:
        level = _level_of(token.upper() if ":" not in token else token)
        found = level and session.scalar(select(level[2]).where(level[2] == level[1].upper()))
        if level is None or found is None:
            problems.add(
                _(
                    "Territoire inconnu : « {code} » (code INSEE de commune, SIREN d'EPCI ou numéro "
                    "de département des Hauts-de-France)."
                ).format(code=token)
            )
        else:
            areas.append((level[0], level[1].upper()))
    return availability_of(areas)


def territory_text(availability: str | dict[str, list[str]]) -> str:
    """An availability as the form holds it: "epci:200093201 commune:62041" ("" for national)."""
    if availability == "national" or not isinstance(availability, dict):
        return ""
    levels = {key: level for key, (level, _pattern) in AREA_LEVELS.items()}
    return " ".join(f"{levels[key]}:{code}" for key, codes in availability.items() for code in codes)


# How an organiser names the kind of a source in the form, in either language.
SOURCE_KIND_WORDS = {
    "officiel": "official",
    "official": "official",
    "réseau": "network",
    "reseau": "network",
    "network": "network",
    "public": "public",
    "statuts": "statutes",
    "statutes": "statutes",
    "presse": "press",
    "press": "press",
}
SOURCE_KIND_NAMES = {
    "official": "officiel",
    "network": "réseau",
    "public": "public",
    "statutes": "statuts",
    "press": "presse",
}


def parse_sources(typed: str, problems: Problems) -> list[dict[str, Any]]:
    """One source a line: its address, its kind, then an optional note
    ("https://… statuts Statuts de la SCIC"); without a kind, a source counts as press."""
    sources: list[dict[str, Any]] = []
    for line in (typed or "").splitlines():
        parts = line.strip().split(maxsplit=2)
        if not parts:
            continue
        url = problems.url(parts[0], _("Source"))
        kind = SOURCE_KIND_WORDS.get(parts[1].casefold()) if len(parts) > 1 else None
        rest = parts[2:] if kind else parts[1:]
        note = " ".join(rest).lstrip("—–- ").strip()
        source = {"url": url, "kind": kind or "press"}
        sources.append({**source, "note": note} if note else source)
    if not sources:
        problems.add(_("Indiquez au moins une source (une adresse web par ligne)."))
    elif all(source["kind"] == "press" for source in sources):
        problems.add(
            _(
                "Indiquez au moins une source primaire : écrivez après l'adresse « officiel » (le site "
                "de la plateforme), « réseau », « public » (une collectivité) ou « statuts »."
            )
        )
    return sources


def sources_text(sources: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{s['url']} {SOURCE_KIND_NAMES.get(s.get('kind', 'press'), 'presse')} {s.get('note', '')}".strip()
        for s in sources
    )


def check_date(value: date, today: date, problems: Problems) -> date:
    if value > today:
        problems.add(_("La date de vérification ne peut pas être dans le futur."))
    return value


__all__ = ["COSTS", "EFFORTS", "ETHICS", "KINDS", "QUANTITIES", "Problems", "slugify"]
