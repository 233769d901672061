"""The organisers' use cases on editions: create, change, move through their statuses.

Each one checks the actor's reach (challenge.organisers), validates everything before writing,
and records its audit entry (before/after) in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from challenge import aggregates, audit
from challenge.accounts import Identity
from challenge.db import Database
from challenge.edition_rules import (
    EditionForm,
    check_form,
    check_no_overlap,
    check_transition,
    check_unique_name,
    lock_live_editions,
    territories_of,
)
from challenge.editions import LIVE_STATUSES, EditionView, _slugify
from challenge.errors import NotFound, ValidationError
from challenge.i18n import _
from challenge.models import Edition, EditionTerritory, Enrolment
from challenge.organisers import require_edition, require_global, scope_of


@dataclass(frozen=True)
class EditionSummary:
    edition: EditionView
    territories: tuple[tuple[str, str], ...]
    households: int


def snapshot(session: Session, edition: Edition) -> dict[str, Any]:
    """What the audit trail keeps of an edition."""
    return {
        "name": edition.name,
        "status": edition.status,
        "start_date": edition.start_date,
        "weeks": edition.weeks,
        "signup_opens": edition.signup_opens,
        "signup_closes": edition.signup_closes,
        "territories": [f"{level}:{code}" for level, code in territories_of(session, edition.id)],
    }


def _unique_slug(session: Session, name: str) -> str:
    base, number = _slugify(name)[:56], 1
    slug = base
    while session.scalar(select(Edition.id).where(Edition.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def insert_edition(session: Session, form: EditionForm) -> Edition:
    """Write a new draft edition from a checked form, in the caller's transaction."""
    check_unique_name(session, form.name)
    edition = Edition(
        slug=_unique_slug(session, form.name),
        name=form.name,
        start_date=form.start_date,
        weeks=form.weeks,
        signup_opens=form.signup_opens,
        signup_closes=form.signup_closes,
        status="draft",
    )
    session.add(edition)
    session.flush()
    session.add_all(
        EditionTerritory(edition_id=edition.id, level=level, code=code) for level, code in form.territories
    )
    session.flush()
    return edition


def create_edition(db: Database, actor: Identity, form: EditionForm) -> EditionView:
    """A new edition, as a draft: nobody sees it until it opens for sign-up."""

    def work(session: Session) -> EditionView:
        require_global(session, actor)
        edition = insert_edition(session, check_form(session, form))
        audit.record(
            session, actor, "edition.create", "edition", edition.id,
            after=snapshot(session, edition), edition_id=edition.id,
        )  # fmt: skip
        return EditionView.of(edition)

    return db.run_write(work)


def _editable(session: Session, actor: Identity, edition_id: int) -> Edition:
    require_edition(session, actor, edition_id)
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(_("Cette édition n'existe pas."))
    if edition.status == "closed":
        raise ValidationError(_("Cette édition est close : elle ne peut plus être modifiée."))
    return edition


def update_edition(db: Database, actor: Identity, edition_id: int, form: EditionForm) -> EditionView:
    """Change an edition; once running, its start date and territories stay as they are."""

    def work(session: Session) -> EditionView:
        edition = _editable(session, actor, edition_id)
        cleaned = check_form(session, form)
        check_unique_name(session, cleaned.name, edition_id)
        before = snapshot(session, edition)
        if edition.status == "running" and (
            cleaned.start_date != edition.start_date
            or set(cleaned.territories) != set(territories_of(session, edition_id))
        ):
            raise ValidationError(
                _("L'édition a commencé : sa date de début et ses territoires ne changent plus.")
            )
        if edition.status in LIVE_STATUSES:
            lock_live_editions(session)
            check_no_overlap(session, edition_id, cleaned.territories)
        edition.name, edition.start_date, edition.weeks = cleaned.name, cleaned.start_date, cleaned.weeks
        edition.signup_opens, edition.signup_closes = cleaned.signup_opens, cleaned.signup_closes
        session.execute(delete(EditionTerritory).where(EditionTerritory.edition_id == edition_id))
        session.add_all(
            EditionTerritory(edition_id=edition_id, level=lvl, code=code) for lvl, code in cleaned.territories
        )
        session.flush()
        after = snapshot(session, edition)
        if (after["start_date"], after["weeks"]) != (before["start_date"], before["weeks"]):
            aggregates.rebuild(session, edition_id)  # the weekly counts follow the new calendar
        if after != before:  # saving an unchanged form leaves no trace
            audit.record(
                session, actor, "edition.update", "edition", edition_id,
                before=before, after=after, edition_id=edition_id,
            )  # fmt: skip
        return EditionView.of(edition)

    return db.run_write(work)


def change_status(db: Database, actor: Identity, edition_id: int, status: str) -> EditionView:
    """Move an edition along draft → open → running → closed; asking twice changes nothing."""

    def work(session: Session) -> EditionView:
        require_edition(session, actor, edition_id)
        edition = session.get(Edition, edition_id)
        if edition is None:
            raise NotFound(_("Cette édition n'existe pas."))
        if edition.status == status:
            return EditionView.of(edition)
        check_transition(edition.status, status)
        if status in LIVE_STATUSES:
            lock_live_editions(session)
            check_no_overlap(session, edition_id, territories_of(session, edition_id))
        before = snapshot(session, edition)
        edition.status = status
        audit.record(
            session, actor, "edition.status", "edition", edition_id,
            before=before, after=snapshot(session, edition), edition_id=edition_id,
        )  # fmt: skip
        return EditionView.of(edition)

    return db.run_write(work)


def editions_for(db: Database, actor: Identity) -> list[EditionSummary]:
    """The editions this organiser may manage, newest first, with their territories and size."""
    with db.read() as session:
        scope = scope_of(session, actor.account_id)
        counts = dict(
            session.execute(select(Enrolment.edition_id, func.count()).group_by(Enrolment.edition_id)).all()
        )
        editions = session.scalars(select(Edition).order_by(Edition.start_date.desc(), Edition.id.desc()))
        return [
            EditionSummary(EditionView.of(e), territories_of(session, e.id), counts.get(e.id, 0))
            for e in editions
            if scope.covers(e.id)
        ]


def form_of(db: Database, edition_id: int) -> EditionForm:
    """The form of an existing edition, to prefill an edit or a follow-up edition."""
    with db.read() as session:
        edition = session.get(Edition, edition_id)
        if edition is None:
            raise NotFound(_("Cette édition n'existe pas."))
        return EditionForm(
            edition.name,
            territories_of(session, edition_id),
            edition.start_date,
            edition.weeks,
            edition.signup_opens,
            edition.signup_closes,
        )


def next_form(previous: EditionForm, start_date: date) -> EditionForm:
    """A follow-up edition's form: same territories and length, sign-up from 3 weeks before."""
    end = start_date + timedelta(days=7 * previous.weeks - 1)
    return EditionForm(
        previous.name, previous.territories, start_date, previous.weeks, start_date - timedelta(weeks=3), end
    )
