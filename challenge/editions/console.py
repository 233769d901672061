"""What the organiser console shows of editions: the list an organiser may manage, and the form
of an existing or a new edition."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from challenge.accounts.organisers import scope_of
from challenge.accounts.sessions import Identity
from challenge.core.errors import NotFound
from challenge.core.i18n import _
from challenge.editions.calendar import EditionView
from challenge.editions.rules import EditionForm, territories_of
from challenge.infra.db import Database
from challenge.models import Edition, Enrolment

NEW_EDITION_WEEKS = 8
NEW_EDITION_LEAD = timedelta(weeks=4)  # a new edition starts about a month ahead, on a Monday


@dataclass(frozen=True)
class EditionSummary:
    edition: EditionView
    territories: tuple[tuple[str, str], ...]
    households: int


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


def new_edition_form(today: date) -> EditionForm:
    """A blank form: a Monday about a month ahead, 8 weeks, sign-up from three weeks before."""
    ahead = today + NEW_EDITION_LEAD
    start = ahead + timedelta(days=(7 - ahead.weekday()) % 7)
    return EditionForm.standard("", (), start, NEW_EDITION_WEEKS)
