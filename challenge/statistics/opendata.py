"""Open data: the protected aggregates as CSV files under the Licence Ouverte 2.0."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from challenge.core.vocabulary import Level
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import published_editions, shown_edition
from challenge.statistics.dashboards import all_rows, build_dashboard, protected_measures
from challenge.statistics.exports import LICENCE, inert
from challenge.statistics.participation import Scope
from challenge.statistics.secrecy import SECRET_LABEL, Rules
from challenge.territories.tree import TerritoryTree

FILES = ("territoires", "categories", "alternatives")


def opendata_edition(session: Session, edition_id: int | None = None) -> EditionView | None:
    """The edition open data describe: the one with this id if it is published (not a draft),
    by default the one the results page shows first (the live one, else the last closed one)."""
    if edition_id is None:
        return shown_edition(session)
    return next((e for e in published_editions(session) if e.id == edition_id), None)


def _with_metadata(frame: pd.DataFrame, edition: EditionView, weeks: str, today: date) -> pd.DataFrame:
    frame["edition"] = edition.name
    frame["semaines"] = weeks
    frame["date_extraction"] = today.isoformat()
    frame["licence"] = LICENCE
    return frame.fillna(SECRET_LABEL).infer_objects()


def opendata_frames(
    session: Session, tree: TerritoryTree, edition: EditionView, rules: Rules, today: date
) -> dict[str, pd.DataFrame]:
    """territoires (every territory), categories and alternatives (whole région), all protected."""
    scope = Scope(edition, 1, edition.last_reported_week(today))
    weeks = f"{scope.week_from}-{scope.week_to}"
    measures = protected_measures(session, tree, scope, rules)
    territories = pd.DataFrame(
        [
            {
                "niveau": tree.nodes[r.key].level,
                "code": tree.nodes[r.key].code,
                "territoire": r.name,
                "foyers_inscrits": r.registered,
                "foyers_actifs": r.active,
                "taux_de_bilan_derniere_semaine_pct": r.checkin_rate,
                "foyers_ayant_remplace_un_service": r.switched,
            }
            for r in all_rows(tree, measures)
            if "@" not in r.key  # parts of cross-border EPCI are inside their EPCI's row
        ],
        dtype=object,
    )
    region = next(k for k, n in tree.nodes.items() if n.level == Level.REGION)
    board = build_dashboard(session, tree, region, scope, rules)
    categories = pd.DataFrame(board.by_category, columns=["categorie", "foyers_ayant_remplace"], dtype=object)
    alternatives = pd.DataFrame(
        [(a.name, a.households, a.is_local, a.is_ess) for a in board.alternatives],
        columns=["alternative", "foyers", "locale", "economie_sociale_et_solidaire"],
        dtype=object,
    )
    frames = {"territoires": territories, "categories": categories, "alternatives": alternatives}
    return {name: _with_metadata(frame, edition, weeks, today) for name, frame in frames.items()}


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return inert(frame).to_csv(index=False).encode("utf-8")


def write_opendata(frames: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in frames.items():
        path = folder / f"{name}.csv"
        path.write_bytes(to_csv_bytes(frame))
        paths.append(path)
    return paths
