"""Files a council downloads or the open-data route serves: exactly what is shown, secrecy applied."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd

from challenge.core.spreadsheets import inert_cell
from challenge.statistics.dashboards import Dashboard
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
    frame["edition"] = dashboard.scope.edition.name
    frame["semaines"] = f"{dashboard.scope.week_from}-{dashboard.scope.week_to}"
    frame["date_extraction"] = generated.isoformat()
    frame["licence"] = LICENCE
    frame["regle_de_confidentialite"] = (
        "cellules de moins de 11 foyers masquées (et celles qui permettraient de les retrouver)"
    )
    return frame


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
