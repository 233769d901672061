"""Finding a commune as people type it: "henin beaumont", "st omer", "62110".

Accents, case, hyphens and apostrophes do not matter, "st"/"ste" stand for "saint"/"sainte", and a
number is read as the start of a postal code. Best match first: the name itself, then a name that
starts with what was typed, then names with a word starting with each typed word; the most
populous commune first within each group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.models import Commune
from challenge.territories.referential import search_key

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


@dataclass(frozen=True)
class CommuneEntry:
    """A commune as the search sees it."""

    insee_code: str
    name: str
    postal_codes: tuple[str, ...]
    population: int
    words: tuple[str, ...] = ()  # the name as searched, computed once

    @classmethod
    def of(cls, insee_code: str, name: str, postal_codes: str, population: int) -> CommuneEntry:
        return cls(insee_code, name, tuple(postal_codes.split()), population, tuple(_words(name)))

    @property
    def label(self) -> str:
        """ "Hénin-Beaumont (62110)": the name and its first postal code."""
        return f"{self.name} ({self.postal_codes[0]})" if self.postal_codes else self.name


def _words(text: str) -> list[str]:
    return [_ABBREVIATIONS.get(word, word) for word in search_key(text).split()]


def commune_entries(session: Session) -> list[CommuneEntry]:
    """Every commune of the referential, ready to be searched (cached by the pages)."""
    rows = session.execute(select(Commune.insee_code, Commune.name, Commune.postal_codes, Commune.population))
    return [CommuneEntry.of(*row) for row in rows]


def _rank(entry: CommuneEntry, typed: list[str]) -> int | None:
    """0 the name itself, 1 a name starting with it, 2 every word found; None: no match."""
    words = entry.words
    for token in typed:
        if token.isdigit():
            if not any(code.startswith(token) for code in (*entry.postal_codes, entry.insee_code)):
                return None
        elif not any(word.startswith(token) for word in words):
            return None
    name, query = " ".join(words), " ".join(t for t in typed if not t.isdigit())
    if query and name == query:
        return 0
    if query and name.startswith(query):
        return 1
    return 2


def find_communes(entries: Sequence[CommuneEntry], typed: str, limit: int = 6) -> list[CommuneEntry]:
    """The communes matching what was typed, best match first (at most `limit`)."""
    tokens = _words(typed)
    if not tokens:
        return []
    ranked = [(rank, entry) for entry in entries if (rank := _rank(entry, tokens)) is not None]
    ranked.sort(key=lambda pair: (pair[0], -pair[1].population, pair[1].name))
    return [entry for _rank_, entry in ranked[:limit]]
