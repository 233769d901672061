"""Writing contributions into the aggregate tables: relative upserts, in a fixed order.

Rows are only ever changed relatively ("households = households + n"), sorted by key, so that
concurrent check-ins in one commune never lose an update nor deadlock. The largest household
total of a span (dominance rule) cannot be decremented: when the household holding it lowers its
total, that cell is recomputed from the commune's raw rows. A row that falls to zero is deleted
in the same transaction: the tables hold exactly the rows a rebuild writes, so that comparing
them whole with a rebuild checks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, case, delete, insert, select, update
from sqlalchemy.orm import Session

from challenge.catalogue.browse import service_quantities
from challenge.counts.rules import (
    QUANTITY_KINDS,
    Answer,
    Contribution,
    SpanKey,
    span_quantities,
    span_totals,
)
from challenge.infra.upsert import dialect_insert
from challenge.models import (
    Checkin,
    CommuneSpanCount,
    CommuneWeekCount,
    Edition,
    Enrolment,
    Household,
    TeamWeekCount,
)

CHUNK = 500
EPSILON = 1e-9
ROUNDING = 1e-6  # what adding and removing the same amounts can leave of a total (floats)


def _upsert(
    session: Session, table: Any, keys: Sequence[str], rows: list[dict[str, Any]], adds: Sequence[str]
) -> None:
    for start in range(0, len(rows), CHUNK):
        statement = dialect_insert(session, table).values(rows[start : start + CHUNK])
        columns = table.__table__.c
        values: dict[str, Any] = {name: columns[name] + statement.excluded[name] for name in adds}
        if "top" in rows[0]:
            values["top"] = case(
                (statement.excluded.top > columns.top, statement.excluded.top), else_=columns.top
            )
        session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=values))


def _week_rows(counts: Iterable[tuple[tuple[int, str, int, str, str], int]]) -> list[dict[str, Any]]:
    return [
        {"edition_id": e, "measure": m, "week": w, "commune_code": c, "item": i, "households": n}
        for (e, m, w, c, i), n in counts
        if n
    ]


def _team_rows(counts: Iterable[tuple[tuple[int, int, str, int, str], int]]) -> list[dict[str, Any]]:
    return [
        {"edition_id": e, "team_id": t, "measure": m, "week": w, "item": i, "value": n}
        for (e, t, m, w, i), n in counts
        if n
    ]


def _span_rows(before: Contribution, after: Contribution) -> list[dict[str, Any]]:
    rows = []
    for key in set(before.spans) | set(after.spans):
        households = after.spans.get(key, 0) - before.spans.get(key, 0)
        total = after.span_total.get(key, 0.0) - before.span_total.get(key, 0.0)
        top = after.span_top.get(key, 0.0)
        if households or total or top > before.span_top.get(key, 0.0):
            e, m, first, last, c = key
            row = {"edition_id": e, "measure": m, "week_from": first, "week_to": last, "commune_code": c}
            rows.append({**row, "households": households, "total": total, "top": top})
    return rows


WEEK_KEYS = ("edition_id", "measure", "week", "commune_code", "item")
SPAN_KEYS = ("edition_id", "measure", "week_from", "week_to", "commune_code")
TEAM_KEYS = ("edition_id", "team_id", "measure", "week", "item")


def apply_difference(session: Session, before: Contribution, after: Contribution) -> set[int]:
    """Add `after - before` to the aggregate rows; returns the editions changed."""
    # Sorted: concurrent transactions lock the rows they share in the same order (no deadlock).
    weeks = _week_rows(
        (k, after.weeks.get(k, 0) - before.weeks.get(k, 0))
        for k in sorted(set(before.weeks) | set(after.weeks))
    )
    spans = sorted(_span_rows(before, after), key=lambda row: tuple(row[k] for k in SPAN_KEYS))
    teams = _team_rows(
        (k, after.teams.get(k, 0) - before.teams.get(k, 0))
        for k in sorted(set(before.teams) | set(after.teams))
    )
    if weeks:
        _upsert(session, CommuneWeekCount, WEEK_KEYS, weeks, ("households",))
        _delete_zeros(session, CommuneWeekCount, WEEK_KEYS, [r for r in weeks if r["households"] < 0])
    if spans:
        _upsert(session, CommuneSpanCount, SPAN_KEYS, spans, ("households", "total"))
        _recompute_lowered_tops(session, before, after)
        _delete_zeros(session, CommuneSpanCount, SPAN_KEYS, [r for r in spans if r["households"] < 0])
    if teams:
        _upsert(session, TeamWeekCount, TEAM_KEYS, teams, ("value",))
        _delete_zeros(session, TeamWeekCount, TEAM_KEYS, [r for r in teams if r["value"] < 0])
    return {row["edition_id"] for row in weeks + spans + teams}


def _delete_zeros(session: Session, model: Any, keys: Sequence[str], lowered: list[dict[str, Any]]) -> None:
    """Delete the rows among `lowered` (already locked by their update, in key order) that now
    count nothing, as a rebuild never writes them: one executemany."""
    if not lowered:
        return
    table = cast(Table, model.__table__)
    if model is CommuneSpanCount:  # nobody counted: the total sums nothing (but float rounding)
        nothing = and_(table.c.total.between(-ROUNDING, ROUNDING), table.c.top <= EPSILON)
        empty = and_(table.c.households == 0, nothing)
    else:
        empty = (table.c.households if model is CommuneWeekCount else table.c.value) == 0
    session.execute(
        delete(table).where(*(table.c[key] == bindparam(f"k_{key}") for key in keys), empty),
        [{f"k_{key}": row[key] for key in keys} for row in lowered],
    )


def insert_all(session: Session, total: Contribution) -> None:
    """Bulk insert of a whole edition's counts (after its rows were deleted)."""
    weeks = _week_rows(total.weeks.items())
    teams = _team_rows(total.teams.items())
    spans = _span_rows(Contribution(), total)
    for table, rows in ((CommuneWeekCount, weeks), (CommuneSpanCount, spans), (TeamWeekCount, teams)):
        for start in range(0, len(rows), 10 * CHUNK):  # Core executemany, not the ORM's bulk path
            session.execute(insert(cast(Table, table.__table__)), rows[start : start + 10 * CHUNK])


def _recompute_lowered_tops(session: Session, before: Contribution, after: Contribution) -> None:
    """Cells whose largest total may have belonged to a tracked household that lowered it."""
    lowered = [
        key
        for key, top in before.span_top.items()
        if key[1] in QUANTITY_KINDS and top > after.span_top.get(key, 0.0)
    ]
    if not lowered:
        return
    stored = _stored_tops(session, {(key[0], key[4]) for key in lowered})
    stale = [key for key in lowered if stored.get(key, 0.0) <= before.span_top[key] + EPSILON]
    if not stale:
        return
    rows = []
    for edition, commune in sorted({(key[0], key[4]) for key in stale}):
        tops = commune_tops(session, edition, commune)
        for key in (k for k in stale if (k[0], k[4]) == (edition, commune)):
            _, kind, first, last, _ = key
            rows.append(
                {
                    "e": edition,
                    "m": kind,
                    "a": first,
                    "b": last,
                    "c": commune,
                    "t": tops.get((kind, first, last), 0.0),
                }
            )
    table = cast(Table, CommuneSpanCount.__table__)
    session.execute(  # one executemany
        update(table)
        .where(
            table.c.edition_id == bindparam("e"),
            table.c.measure == bindparam("m"),
            table.c.week_from == bindparam("a"),
            table.c.week_to == bindparam("b"),
            table.c.commune_code == bindparam("c"),
        )
        .values(top=bindparam("t")),
        rows,
    )


def _stored_tops(session: Session, cells: set[tuple[int, str]]) -> dict[SpanKey, float]:
    """The stored largest totals of the quantity spans of these (edition, commune) pairs."""
    c = CommuneSpanCount
    tops: dict[SpanKey, float] = {}
    for edition, commune in sorted(cells):
        for measure, first, last, top in session.execute(
            select(c.measure, c.week_from, c.week_to, c.top).where(
                c.edition_id == edition, c.commune_code == commune, c.measure.in_(QUANTITY_KINDS)
            )
        ):
            tops[(edition, measure, first, last, commune)] = float(top)
    return tops


def commune_tops(session: Session, edition_id: int, commune: str) -> dict[tuple[str, int, int], float]:
    """The largest household total of every (kind, span) in a commune, from the raw rows."""
    # Households first (commune index), then their rows (household index): never the edition's rows.
    households = session.scalars(
        select(Household.id)
        .join(Enrolment, Enrolment.household_id == Household.id)
        .where(
            Enrolment.edition_id == edition_id,
            Household.commune_code == commune,
            Household.consent_withdrawn_at.is_(None),
        )
    ).all()
    rows = session.execute(
        select(
            Checkin.household_id,
            Checkin.week,
            Checkin.service_slug,
            Checkin.km,
            Checkin.euros,
            Checkin.objects,
        ).where(
            Checkin.household_id.in_(households),
            Checkin.edition_id == edition_id,
            # Read from the unique index first: only the services that have quantities at all.
            Checkin.service_slug.in_([s for s, kinds in service_quantities(session).items() if kinds]),
            (Checkin.km > 0) | (Checkin.euros > 0) | (Checkin.objects > 0),
        )
    )
    answers: dict[int, list[Answer]] = {}
    for household, week, service, km, euros, objects in rows:
        answers.setdefault(household, []).append(Answer(week, service, "", km, euros, objects))
    weeks = session.get_one(Edition, edition_id).weeks
    tops: dict[tuple[str, int, int], float] = {}
    for household_answers in answers.values():
        for kind, per_week in span_quantities(household_answers).items():
            for (first, last), total in span_totals(per_week, weeks).items():
                tops[(kind, first, last)] = max(tops.get((kind, first, last), 0.0), total)
    return tops
