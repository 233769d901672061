"""Territories named by (level, code): parsing "epci:200093201", checking they exist, the communes
they cover. Editions, roles and invitations all name their territories this way."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Level
from challenge.models import Commune, Departement, Epci, Region

# Where each level's territories are: (code column, name column) of the referential's tables.
COLUMNS: dict[str, tuple[InstrumentedAttribute[str], InstrumentedAttribute[str]]] = {
    Level.COMMUNE: (Commune.insee_code, Commune.name),
    Level.EPCI: (Epci.siren, Epci.name),
    Level.DEPARTEMENT: (Departement.code, Departement.name),
    Level.REGION: (Region.code, Region.name),
}


def area_key(level: str, code: str) -> str:
    """("epci", "200093201") → "epci:200093201", as forms and the audit trail write it."""
    return f"{level}:{code}"


def parse_territory(key: str) -> tuple[Level, str]:
    """ "epci:200093201" → (Level.EPCI, "200093201"); ValidationError for anything else."""
    level, _sep, code = (key or "").strip().partition(":")
    if level not in Level.__members__.values() or not code.strip():
        raise ValidationError(_("Territoire inconnu : {key}.").format(key=key), field="territories")
    return Level(level), code.strip()


def territory_exists(session: Session, level: str, code: str) -> bool:
    columns = COLUMNS.get(level)
    return columns is not None and session.scalar(select(columns[0]).where(columns[0] == code)) is not None


def _condition(level: str, code: str) -> ColumnElement[bool]:
    if level == Level.COMMUNE:
        return Commune.insee_code == code
    if level == Level.EPCI:
        return Commune.epci_siren == code
    if level == Level.DEPARTEMENT:
        return Commune.departement_code == code
    return Commune.departement_code.in_(select(Departement.code).where(Departement.region_code == code))


def communes_of(session: Session, territories: Iterable[tuple[str, str]]) -> set[str]:
    """INSEE codes of the communes covered (no territory at all: the whole referential)."""
    conditions = [_condition(level, code) for level, code in territories]
    query = select(Commune.insee_code)
    return set(session.scalars(query.where(or_(*conditions)) if conditions else query))
