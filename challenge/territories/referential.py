"""The territory referential: loading it from data/ and finding communes."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import Level
from challenge.infra.config import PROJECT_ROOT
from challenge.infra.sync import SyncReport, sync_rows
from challenge.models import Commune, Departement, Epci, Region

TERRITORIES_DIR = PROJECT_ROOT / "data" / "territories"


@dataclass(frozen=True)
class Place:
    """A commune with the territories it belongs to, as (level, code) pairs."""

    insee_code: str
    name: str
    departement_code: str
    epci_siren: str
    region_code: str

    @property
    def territories(self) -> list[tuple[str, str]]:
        return [
            (Level.COMMUNE, self.insee_code),
            (Level.EPCI, self.epci_siren),
            (Level.DEPARTEMENT, self.departement_code),
            (Level.REGION, self.region_code),
        ]


def search_key(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces.

    "Villeneuve-d'Ascq" gives "villeneuve d ascq", so that any spelling a person types matches.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    for mark in "-'’":
        plain = plain.replace(mark, " ")
    return " ".join(plain.lower().split())


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_territories(session: Session, folder: Path = TERRITORIES_DIR) -> SyncReport:
    """Sync the referential from the CSV files of `folder`; running it twice changes nothing."""
    report = sync_rows(session, Region, _read(folder / "regions.csv"))
    report += sync_rows(session, Departement, _read(folder / "departements.csv"))
    epci = [{**row, "population": int(row["population"])} for row in _read(folder / "epci.csv")]
    report += sync_rows(session, Epci, epci)
    communes = [
        {**row, "population": int(row["population"]), "search_key": search_key(row["name"])}
        for row in _read(folder / "communes.csv")
    ]
    return report + sync_rows(session, Commune, communes)


def place_of(session: Session, insee_code: str) -> Place:
    """The commune with this INSEE code and its EPCI, département and région."""
    row = session.execute(
        select(Commune, Departement.region_code)
        .join(Departement, Departement.code == Commune.departement_code)
        .where(Commune.insee_code == (insee_code or "").strip())
    ).first()
    if row is None:
        raise ValidationError(
            _("Commune inconnue : choisissez-la dans la liste des communes."), field="commune"
        )
    commune, region_code = row
    return Place(commune.insee_code, commune.name, commune.departement_code, commune.epci_siren, region_code)


def commune_choices(session: Session) -> list[tuple[str, str]]:
    """(INSEE code, "Name (postal code)") for every commune, sorted for a searchable list."""
    rows = session.execute(select(Commune.insee_code, Commune.name, Commune.postal_codes))
    choices = [(code, f"{name} ({postal.split(' ')[0]})") for code, name, postal in rows]
    return sorted(choices, key=lambda choice: search_key(choice[1]))
