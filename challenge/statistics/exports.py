"""Files a council downloads or the open-data route serves: exactly what is shown, secrecy applied."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date

import pandas as pd

from challenge.core.spreadsheets import inert_cell
from challenge.core.vocabulary import Quantity
from challenge.statistics.comparison import EditionFigures
from challenge.statistics.dashboards import Dashboard
from challenge.statistics.durability import Durability
from challenge.statistics.secrecy import SECRET_LABEL

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


def _cell(value: object) -> object:
    return SECRET_LABEL if value is None else value


def dashboard_frame(dashboard: Dashboard, generated: date) -> pd.DataFrame:
    """The territory and its sub-territories, one row each, with edition, date and licence."""
    rows = [dashboard.territory, *dashboard.breakdown]
    frame = pd.DataFrame(
        [
            {
                "territoire": row.name,
                "code": row.key.split(":", 1)[1],
                "niveau": row.key.split(":", 1)[0],
                "foyers_inscrits": _cell(row.registered),
                "foyers_actifs": _cell(row.active),
                "taux_de_bilan_derniere_semaine_pct": _cell(row.checkin_rate),
                "foyers_ayant_remplace_un_service": _cell(row.switched),
            }
            for row in rows
        ]
    )
    for column, value in _stamp(dashboard, generated).items():
        frame[column] = value
    return frame


QUANTITY_COLUMNS = {
    Quantity.KM: "km_partages_ou_evites",
    Quantity.EUROS: "euros_depenses_localement",
    Quantity.OBJECTS: "objets_empruntes_ou_pretes",
}


def dashboard_sections(
    dashboard: Dashboard,
    generated: date,
    comparison: Sequence[EditionFigures] = (),
    durability: Sequence[Durability] = (),
) -> dict[str, pd.DataFrame]:
    """Every section the dashboard shows, one table each (the name is the sheet's or the CSV's):
    territories, trend, categories, services, alternatives, quantities, and the comparison between
    editions and the durable switch rate when the page shows them. Every row carries the edition,
    the weeks, the date, the licence and the secrecy rule as applied."""
    sections: dict[str, pd.DataFrame] = {
        "territoires": dashboard_frame(dashboard, generated),
        "tendance": pd.DataFrame(
            [
                {"semaine": week, "foyers_actifs": _cell(active), "foyers_inscrits": _cell(registered)}
                for week, active, registered in dashboard.trend
            ],
            columns=["semaine", "foyers_actifs", "foyers_inscrits"],
        ),
        "categories": pd.DataFrame(
            [{"categorie": name, "foyers_ayant_remplace": _cell(n)} for name, n in dashboard.by_category],
            columns=["categorie", "foyers_ayant_remplace"],
        ),
        "services": pd.DataFrame(
            [{"service_gafam": name, "foyers_ayant_remplace": _cell(n)} for name, n in dashboard.by_service],
            columns=["service_gafam", "foyers_ayant_remplace"],
        ),
        "alternatives": pd.DataFrame(
            [
                {
                    "alternative": a.name,
                    "foyers": _cell(a.households),
                    "locale": "oui" if a.is_local else "non",
                    "ess": "oui" if a.is_ess else "non",
                }
                for a in dashboard.alternatives
            ],
            columns=["alternative", "foyers", "locale", "ess"],
        ),
        "quantites": pd.DataFrame(
            [
                {"mesure": column, "total_depuis_la_semaine_1": _cell(dashboard.quantities.get(kind))}
                for kind, column in QUANTITY_COLUMNS.items()
            ],
            columns=["mesure", "total_depuis_la_semaine_1"],
        ),
    }
    if comparison:
        sections["comparaison_editions"] = pd.DataFrame(
            [
                {
                    "edition_comparee": f.name,
                    "debut": f.start_date.isoformat(),
                    "foyers_inscrits": _cell(f.registered),
                    "foyers_ayant_remplace": _cell(f.switched),
                    "part_des_inscrits_pct": _cell(f.switch_share),
                    "taux_de_bilan_derniere_semaine_pct": _cell(f.checkin_rate),
                }
                for f in comparison
            ]
        )
    if durability:
        sections["durabilite"] = pd.DataFrame(
            [
                {
                    "echeance_mois": row.months,
                    "foyers_ayant_repondu": _cell(row.households),
                    "changements": _cell(row.switches),
                    "toujours_en_place_pct": _cell(row.still),
                    "en_partie_pct": _cell(row.partly),
                }
                for row in durability
            ]
        )
    for name, frame in sections.items():
        if name != "territoires":
            sections[name] = _stamped(frame, dashboard, generated)
    return sections


def _stamped(frame: pd.DataFrame, dashboard: Dashboard, generated: date) -> pd.DataFrame:
    frame = frame.copy()
    frame.insert(0, "territoire", dashboard.territory.name)
    for column, value in _stamp(dashboard, generated).items():
        frame[column] = value
    return frame


def _stamp(dashboard: Dashboard, generated: date) -> dict[str, str]:
    return {
        "edition": dashboard.scope.edition.name,
        "semaines": f"{dashboard.scope.week_from}-{dashboard.scope.week_to}",
        "date_extraction": generated.isoformat(),
        "licence": LICENCE,
        "regle_de_confidentialite": secrecy_rule(dashboard.threshold),
    }


def secrecy_rule(threshold: int) -> str:
    return f"cellules de moins de {threshold} foyers masquées (et celles qui permettraient de les retrouver)"


def to_xlsx_book(sections: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per section (cells made inert for spreadsheets)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sections.items():
            inert(frame).to_excel(writer, index=False, sheet_name=name[:31])
    return buffer.getvalue()


def to_csv_zip(sections: Mapping[str, pd.DataFrame]) -> bytes:
    """One zip, one CSV per section (UTF-8 with BOM, for spreadsheets)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in sections.items():
            archive.writestr(f"{name}.csv", to_csv(frame))
    return buffer.getvalue()


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell made inert for spreadsheets (challenge.core.spreadsheets)."""
    return frame.map(inert_cell)


def to_csv(frame: pd.DataFrame) -> bytes:
    return inert(frame).to_csv(index=False).encode("utf-8-sig")


def to_xlsx(frame: pd.DataFrame, sheet: str = "Défi Zéro Gafam") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        inert(frame).to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()
