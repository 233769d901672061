"""The organisers' use cases on editions: create, change, move through their statuses.

Each one checks the actor's reach (challenge.accounts.organisers), validates everything before
writing, and records its audit entry (before/after) in the same transaction. The operator's own
tools (command line, demo data, test set-ups) act as `OPERATOR` through the same functions: the
same rules, recorded as done by the system.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.organisers import require_edition, require_global
from challenge.accounts.sessions import OPERATOR, Actor
from challenge.core import clock
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import LIVE_STATUSES, EditionStatus
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.editions.rules import (
    EditionForm,
    check_form,
    check_no_overlap,
    check_transition,
    check_unique_name,
    lock_live_editions,
    territories_of,
)
from challenge.infra.db import Database
from challenge.models import Edition, EditionTerritory
from challenge.territories.areas import area_key

# The path from a new draft to each status, one transition at a time.
_PATH = {
    EditionStatus.DRAFT: (),
    EditionStatus.OPEN: (EditionStatus.OPEN,),
    EditionStatus.RUNNING: (EditionStatus.OPEN, EditionStatus.RUNNING),
    EditionStatus.CLOSED: (EditionStatus.OPEN, EditionStatus.RUNNING, EditionStatus.CLOSED),
}


def snapshot(session: Session, edition: Edition) -> dict[str, Any]:
    """What the audit trail keeps of an edition."""
    return {
        "name": edition.name,
        "status": edition.status,
        "start_date": edition.start_date,
        "weeks": edition.weeks,
        "signup_opens": edition.signup_opens,
        "signup_closes": edition.signup_closes,
        "territories": [area_key(level, code) for level, code in territories_of(session, edition.id)],
    }


def _slugify(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64] or "edition"


def _unique_slug(session: Session, name: str) -> str:
    base, number = _slugify(name)[:56], 1
    slug = base
    while session.scalar(select(Edition.id).where(Edition.slug == slug)) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _write_territories(session: Session, edition_id: int, territories: tuple[tuple[str, str], ...]) -> None:
    session.execute(delete(EditionTerritory).where(EditionTerritory.edition_id == edition_id))
    session.add_all(
        EditionTerritory(edition_id=edition_id, level=lvl, code=code) for lvl, code in territories
    )
    session.flush()


def create_in(session: Session, actor: Actor, form: EditionForm, *, is_demo: bool = False) -> Edition:
    """A new draft edition in the caller's transaction: checked, written and audited."""
    require_global(session, actor)
    cleaned = check_form(session, form)
    check_unique_name(session, cleaned.name)
    edition = Edition(
        slug=_unique_slug(session, cleaned.name),
        name=cleaned.name,
        start_date=cleaned.start_date,
        weeks=cleaned.weeks,
        signup_opens=cleaned.signup_opens,
        signup_closes=cleaned.signup_closes,
        status=EditionStatus.DRAFT,
        is_demo=is_demo,
    )
    session.add(edition)
    session.flush()
    _write_territories(session, edition.id, cleaned.territories)
    audit.record(
        session, actor, "edition.create", "edition", edition.id,
        after=snapshot(session, edition), edition_id=edition.id,
    )  # fmt: skip
    return edition


def create_edition(db: Database, actor: Actor, form: EditionForm) -> EditionView:
    """A new edition, as a draft: nobody sees it until it opens for sign-up."""
    return db.run_write(lambda session: EditionView.of(create_in(session, actor, form)))


def _editable(session: Session, actor: Actor, edition_id: int) -> Edition:
    require_edition(session, actor, edition_id)
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(_("Cette édition n'existe pas."))
    if edition.status == EditionStatus.CLOSED:
        raise ValidationError(_("Cette édition est close : elle ne peut plus être modifiée."))
    return edition


def update_edition(db: Database, actor: Actor, edition_id: int, form: EditionForm) -> EditionView:
    """Change an edition; once running, its start date and territories stay as they are."""

    def work(session: Session) -> EditionView:
        edition = _editable(session, actor, edition_id)
        cleaned = check_form(session, form)
        check_unique_name(session, cleaned.name, edition_id)
        before = snapshot(session, edition)
        if edition.status == EditionStatus.RUNNING and (
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
        _write_territories(session, edition_id, cleaned.territories)
        after = snapshot(session, edition)
        if (after["start_date"], after["weeks"]) != (before["start_date"], before["weeks"]):
            upkeep.rebuild(session, edition_id)  # the weekly counts follow the new calendar
        if after != before:  # saving an unchanged form leaves no trace
            audit.record(
                session, actor, "edition.update", "edition", edition_id,
                before=before, after=after, edition_id=edition_id,
            )  # fmt: skip
        return EditionView.of(edition)

    return db.run_write(work)


def change_status_in(
    session: Session, actor: Actor, edition_id: int, status: str, today: date | None = None
) -> Edition:
    """Move an edition one step along draft → open → running → closed, in the caller's transaction;
    asking for the status it already has changes nothing."""
    require_edition(session, actor, edition_id)
    edition = session.get(Edition, edition_id)
    if edition is None:
        raise NotFound(_("Cette édition n'existe pas."))
    if edition.status == status:
        return edition
    check_transition(edition, status, today or clock.today())
    if status in LIVE_STATUSES:
        lock_live_editions(session)
        check_no_overlap(session, edition_id, territories_of(session, edition_id))
    before = snapshot(session, edition)
    edition.status = status
    audit.record(
        session, actor, "edition.status", "edition", edition_id,
        before=before, after=snapshot(session, edition), edition_id=edition_id,
    )  # fmt: skip
    return edition


def change_status(
    db: Database, actor: Actor, edition_id: int, status: str, today: date | None = None
) -> EditionView:
    """Move an edition along draft → open → running → closed; asking twice changes nothing."""
    return db.run_write(
        lambda session: EditionView.of(change_status_in(session, actor, edition_id, status, today))
    )


def set_up_in(
    session: Session, form: EditionForm, status: str, *, is_demo: bool = False, today: date | None = None
) -> Edition:
    """The operator creates an edition and takes it to `status`, step by step, by every rule.

    An edition that ended before `today` and is asked closed is recorded as a past one: it goes
    from draft to closed at once, since it was live in its own time, not beside today's editions.
    """
    edition = create_in(session, OPERATOR, form, is_demo=is_demo)
    if status == EditionStatus.CLOSED and form.end_date < (today or clock.today()):
        before = snapshot(session, edition)
        edition.status = EditionStatus.CLOSED
        audit.record(
            session, OPERATOR, "edition.status", "edition", edition.id,
            before=before, after=snapshot(session, edition), edition_id=edition.id,
        )  # fmt: skip
        return edition
    for step in _PATH[EditionStatus(status)]:
        change_status_in(session, OPERATOR, edition.id, step, today)
    return edition


def set_up_edition(
    db: Database, form: EditionForm, status: str = EditionStatus.RUNNING, *, is_demo: bool = False
) -> EditionView:
    """An edition created and moved to `status` by the operator (command line, demo, test set-ups)."""
    return db.run_write(lambda session: EditionView.of(set_up_in(session, form, status, is_demo=is_demo)))
