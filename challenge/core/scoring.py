"""How progress is measured: the de-GAFAM-isation score and the weekly streak (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from babel.support import LazyProxy

from challenge.core.i18n import lazy_gettext
from challenge.core.vocabulary import CheckinStatus

STATUSES = tuple(CheckinStatus)  # in the order the check-in offers them
STATUS_LABELS: dict[str, LazyProxy] = {
    CheckinStatus.SWITCHED: lazy_gettext("Passé à l'alternative"),
    CheckinStatus.MOSTLY: lazy_gettext("Surtout l'alternative"),
    CheckinStatus.TRIED: lazy_gettext("Essayé l'alternative"),
    CheckinStatus.STILL: lazy_gettext("Toujours le GAFAM"),
    CheckinStatus.DROPPED: lazy_gettext("Service abandonné"),
}
# Share of a service counted as "de-GAFAM-ised" for each status.
STATUS_WEIGHTS: dict[str, float] = {
    CheckinStatus.SWITCHED: 1.0,
    CheckinStatus.DROPPED: 1.0,
    CheckinStatus.MOSTLY: 0.75,
    CheckinStatus.TRIED: 0.25,
    CheckinStatus.STILL: 0.0,
}
SWITCHED = frozenset({CheckinStatus.SWITCHED, CheckinStatus.DROPPED})
# Answers that name the alternative used (a check-in row keeps which one).
USES_ALTERNATIVE = frozenset({CheckinStatus.SWITCHED, CheckinStatus.MOSTLY, CheckinStatus.TRIED})


def degafam_score(baseline: Iterable[str], latest_status: Mapping[str, str]) -> float:
    """Percentage (0-100) of the baseline services left, each weighted by its latest status.

    A service never checked in counts as still on Big Tech.
    """
    services = list(dict.fromkeys(baseline))
    if not services:
        return 0.0
    total = sum(STATUS_WEIGHTS[latest_status.get(slug, CheckinStatus.STILL)] for slug in services)
    return round(100 * total / len(services), 1)


def switched_count(baseline: Iterable[str], latest_status: Mapping[str, str]) -> int:
    """How many baseline services are fully switched (or dropped altogether)."""
    return sum(1 for slug in set(baseline) if latest_status.get(slug) in SWITCHED)


def latest_statuses(history: Iterable[tuple[int, str, str]], up_to_week: int | None = None) -> dict[str, str]:
    """From (week, service, status) rows, the most recent status of each service up to a week."""
    latest: dict[str, tuple[int, str]] = {}
    for week, service, status in history:
        if up_to_week is not None and week > up_to_week:
            continue
        if service not in latest or week > latest[service][0]:
            latest[service] = (week, status)
    return {service: status for service, (_, status) in latest.items()}


def weekly_streak(checked_weeks: Iterable[int], current_week: int) -> int:
    """Consecutive checked-in weeks ending now; the current week may still be pending."""
    weeks = set(checked_weeks)
    week = current_week if current_week in weeks else current_week - 1
    streak = 0
    while week >= 1 and week in weeks:
        streak += 1
        week -= 1
    return streak
