"""Keeping the pre-aggregated counts in step with the raw rows, in the same transaction.

Every use case that changes what a household counts for (check-in, services, enrolment, team,
commune, consent, erasure) wraps its change in `tracking(session, household_ids)`: the households'
contributions are computed before and after the change and the difference is added to the
aggregate rows. `rebuild` recomputes an edition's aggregates from scratch (idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from challenge.counts import store
from challenge.counts.rules import Answer, Contribution, HouseholdFacts, contribute
from challenge.models import (
    BigTechService,
    Checkin,
    ChosenAlternative,
    Commune,
    CommuneSpanCount,
    CommuneWeekCount,
    DeclaredService,
    Edition,
    Enrolment,
    Household,
    TeamWeekCount,
)

BATCH = 2000
Listener = Callable[[frozenset[int]], None]
_listeners: list[Listener] = []


def on_change(listener: Listener) -> None:
    """Call `listener(edition_ids)` after each commit that changed aggregates (cache invalidation)."""
    if listener not in _listeners:
        _listeners.append(listener)


def _notify_after_commit(session: Session, edition_ids: set[int]) -> None:
    pending: set[int] = session.info.setdefault("aggregate_editions", set())
    if not pending:

        def fire(_session: Session) -> None:
            changed = frozenset(session.info.pop("aggregate_editions", set()))
            for listener in list(_listeners):
                listener(changed)

        event.listen(session, "after_commit", fire, once=True)
    pending.update(edition_ids)


def figures_changed(session: Session, edition_ids: Iterable[int]) -> None:
    """Tell the listeners, once the session commits, that figures derived from these editions'
    rows changed (rows outside the aggregates, e.g. help requests counted on dashboards)."""
    _notify_after_commit(session, set(edition_ids))


def category_map(session: Session) -> dict[str, str]:
    return dict(session.execute(select(BigTechService.slug, BigTechService.category_slug)).all())


def load_facts(
    session: Session, household_ids: Sequence[int], edition_id: int | None = None
) -> list[HouseholdFacts]:
    """The facts of these households in every edition they take part in (or in one), three queries."""
    if not household_ids:
        return []
    members = (
        select(
            Enrolment.edition_id,
            Enrolment.household_id,
            Enrolment.team_id,
            Enrolment.enrolled_at,
            Household.commune_code,
            Commune.departement_code,
            Edition.weeks,
            Edition.start_date,
        )
        .join(Household, Household.id == Enrolment.household_id)
        .join(Commune, Commune.insee_code == Household.commune_code)
        .join(Edition, Edition.id == Enrolment.edition_id)
    )
    members = members.where(
        Enrolment.household_id.in_(household_ids), Household.consent_withdrawn_at.is_(None)
    )
    if edition_id is not None:
        members = members.where(Enrolment.edition_id == edition_id)
    enrolments = session.execute(members).all()
    if not enrolments:
        return []
    plans = _plans(session, household_ids)
    answers = _answers(session, household_ids, edition_id)
    return [
        HouseholdFacts(
            edition_id=edition,
            weeks=weeks,
            start=start,
            commune=commune,
            departement=departement,
            team_id=team,
            enrolled_at=enrolled_at,
            baseline=tuple(plans.get(household, {})),
            chosen={s: frozenset(a) for s, a in plans.get(household, {}).items() if a},
            answers=tuple(answers.get((edition, household), ())),
        )
        for edition, household, team, enrolled_at, commune, departement, weeks, start in enrolments
    ]


def _plans(session: Session, household_ids: Sequence[int]) -> dict[int, dict[str, set[str]]]:
    plans: dict[int, dict[str, set[str]]] = {}
    for household, service, alternative in session.execute(
        select(DeclaredService.household_id, DeclaredService.service_slug, ChosenAlternative.alternative_slug)
        .outerjoin(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .where(DeclaredService.household_id.in_(household_ids))
        .order_by(DeclaredService.id)
    ):
        chosen = plans.setdefault(household, {}).setdefault(service, set())
        if alternative:
            chosen.add(alternative)
    return plans


def _answers(
    session: Session, household_ids: Sequence[int], edition_id: int | None
) -> dict[tuple[int, int], list[Answer]]:
    query = select(
        Checkin.edition_id,
        Checkin.household_id,
        Checkin.week,
        Checkin.service_slug,
        Checkin.status,
        Checkin.km,
        Checkin.euros,
        Checkin.objects,
    ).where(Checkin.household_id.in_(household_ids))
    if edition_id is not None:
        query = query.where(Checkin.edition_id == edition_id)
    answers: dict[tuple[int, int], list[Answer]] = {}
    for edition, household, week, service, status, km, euros, objects in session.execute(query):
        answers.setdefault((edition, household), []).append(Answer(week, service, status, km, euros, objects))
    return answers


def contribution_of(
    session: Session, household_ids: Sequence[int], categories: dict[str, str] | None = None
) -> Contribution:
    total = Contribution()
    categories = categories if categories is not None else category_map(session)
    for facts in load_facts(session, household_ids):
        contribute(facts, categories, total)
    return total


def _lock(session: Session, household_ids: Sequence[int]) -> None:
    """Serialise changes to one household's aggregates (SQLite writers are serialised already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(Household.id)
            .where(Household.id.in_(household_ids))
            .order_by(Household.id)
            .with_for_update()
        ).all()


@contextmanager
def tracking(session: Session, household_ids: Iterable[int]) -> Iterator[None]:
    """Apply to the aggregates whatever the enclosed change does to these households' counts."""
    active: set[int] = session.info.setdefault("aggregate_tracked", set())
    ids = sorted(set(household_ids) - active)  # nested tracking of a household counts it once
    if not ids:
        yield
        return
    _lock(session, ids)
    categories = category_map(session)
    before = contribution_of(session, ids, categories)
    active.update(ids)
    try:
        yield
    finally:
        active.difference_update(ids)
    session.flush()
    after = contribution_of(session, ids, categories)
    editions = store.apply_difference(session, before, after)
    if editions:
        _notify_after_commit(session, editions)


def households_of(session: Session, edition_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Enrolment.household_id)
            .where(Enrolment.edition_id == edition_id)
            .order_by(Enrolment.household_id)
        )
    )


def rebuild(
    session: Session, edition_id: int, progress: Callable[[Iterable[Any]], Iterable[Any]] = iter
) -> int:
    """Recompute an edition's aggregates from the raw rows; returns the households counted."""
    for table in (CommuneWeekCount, CommuneSpanCount, TeamWeekCount):
        session.execute(delete(table).where(table.edition_id == edition_id))
    ids = households_of(session, edition_id)
    categories = category_map(session)
    total, counted = Contribution(), 0
    for start in progress(range(0, len(ids), BATCH)):
        for facts in load_facts(session, ids[start : start + BATCH], edition_id):
            contribute(facts, categories, total)
            counted += 1
    store.insert_all(session, total)
    _notify_after_commit(session, {edition_id})
    return counted


def rebuild_all(session: Session) -> dict[int, int]:
    """Rebuild the aggregates of every edition."""
    return {
        edition: rebuild(session, edition)
        for edition in session.scalars(select(Edition.id).order_by(Edition.id))
    }


@contextmanager
def following_categories(session: Session) -> Iterator[None]:
    """Rebuild the aggregates if the enclosed catalogue change moves a service to another category."""
    before = category_map(session)
    yield
    session.flush()
    after = category_map(session)
    if any(after.get(service, category) != category for service, category in before.items()):
        rebuild_all(session)


def needs_rebuild(session: Session) -> bool:
    """True when some edition has check-ins or enrolments but no aggregates (e.g. just migrated)."""
    counted = set(session.scalars(select(CommuneWeekCount.edition_id).distinct()))
    enrolled = set(session.scalars(select(Enrolment.edition_id).distinct()))
    return bool(enrolled - counted)
