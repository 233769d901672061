"""Keeping the pre-aggregated counts in step with the raw rows, in the same transaction.

Every use case that changes what a household counts for (check-in, services, enrolment, team,
commune, consent, erasure) wraps its change in `tracking(session, household_ids)`: the households'
contributions are computed before and after the change and the difference is added to the
aggregate rows. `rebuild` recomputes an edition's aggregates from scratch (idempotent).

Each commit that changes an edition's published figures also bumps the edition's generation
(`EditionGeneration`, in the same transaction): the key of every cache of protected figures, in
every process (`generation_of`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, event, literal, select
from sqlalchemy.orm import Session

from challenge.counts import store
from challenge.counts.rules import Answer, Contribution, HouseholdFacts, contribute
from challenge.infra.upsert import dialect_insert
from challenge.models import (
    BigTechService,
    Checkin,
    ChosenAlternative,
    Commune,
    CommuneSpanCount,
    CommuneWeekCount,
    DeclaredService,
    Edition,
    EditionGeneration,
    Enrolment,
    Household,
    TeamWeekCount,
)

BATCH = 2000


def _bump_on_commit(session: Session, edition_ids: set[int]) -> None:
    """Bump these editions' generations as the transaction commits (once per transaction)."""
    pending: set[int] = session.info.setdefault("aggregate_editions", set())
    if not pending:

        def bump(_session: Session) -> None:
            _bump_generations(session, session.info.pop("aggregate_editions", set()))

        event.listen(session, "before_commit", bump, once=True)
    pending.update(edition_ids)


def _bump_generations(session: Session, edition_ids: set[int]) -> None:
    """One statement, the last of the transaction (its row lock is held until the commit only):
    a new generation for each of these editions that still exists (one deleted by this
    transaction is skipped). A generation is a random number, not a counter: an edition deleted
    and another created with the same id (SQLite reuses ids) never meet an old cache entry."""
    if not edition_ids:
        return
    drawn = secrets.randbits(62) + 1  # never 0, the generation of an edition without a row
    insert = dialect_insert(session, EditionGeneration).from_select(
        ["edition_id", "generation"],
        select(Edition.id, literal(drawn)).where(Edition.id.in_(sorted(edition_ids))).order_by(Edition.id),
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=["edition_id"], set_={"generation": insert.excluded.generation}
        )
    )


def generation_of(session: Session, edition_id: int) -> int:
    """The generation of this edition's published figures (0: never changed): a cache of its
    protected figures is good while this number is the same. Read it before the figures."""
    return (
        session.scalar(select(EditionGeneration.generation).where(EditionGeneration.edition_id == edition_id))
        or 0
    )


def figures_changed(session: Session, edition_ids: Iterable[int]) -> None:
    """Figures derived from these editions' rows changed (rows outside the aggregates, e.g. help
    requests counted on dashboards): their generations go up as the session commits."""
    _bump_on_commit(session, set(edition_ids))


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
        _bump_on_commit(session, editions)


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
    _bump_on_commit(session, {edition_id})
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
