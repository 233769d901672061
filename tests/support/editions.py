"""Editions for test set-ups, made by the operator through the console's own rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from challenge.core.vocabulary import EditionStatus
from challenge.editions.admin import set_up_edition
from challenge.editions.calendar import EditionView
from challenge.editions.rules import EditionForm
from challenge.infra.db import Database

REGION = (("region", "32"),)


def make_edition(
    db: Database,
    name: str,
    start: date,
    weeks: int = 8,
    territories: Sequence[tuple[str, str]] = REGION,
    status: str = EditionStatus.RUNNING,
) -> EditionView:
    """An edition over `territories` starting on `start`, taken to `status` step by step."""
    return set_up_edition(db, EditionForm.standard(name, territories, start, weeks), status)
