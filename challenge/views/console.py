"""What the organiser console's pages show: editions, the audit trail, the catalogue and the
households' suggestions, each read for the organiser who asks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select

from challenge.accounts import audit
from challenge.accounts.organisers import scope_of
from challenge.accounts.sessions import Identity
from challenge.catalogue.snapshot import Snapshot, from_database
from challenge.core.errors import NotFound
from challenge.core.i18n import _
from challenge.curation import entries, suggestions
from challenge.curation.entries import AlternativeForm
from challenge.curation.lifecycle import StaleAlternative, stale_alternatives
from challenge.curation.suggestions import SuggestionView
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


@dataclass(frozen=True)
class AuditPage:
    entries: Sequence[audit.AuditRecord]
    total: int
    pages: int
    page: int


def audit_page(
    db: Database, actor: Identity, where: audit.AuditFilter, page: int, per_page: int
) -> AuditPage:
    """One page of the audit trail as this organiser may read it (an edition organiser: their
    editions' entries only), with how many entries and pages match in all."""
    with db.read() as session:
        scope = scope_of(session, actor.account_id)
    scoped = replace(where, edition_ids=None if scope.is_global else scope.edition_ids)
    total = audit.list_entries(db, scoped, limit=1)[1]
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    entries, total = audit.list_entries(db, scoped, limit=per_page, offset=(page - 1) * per_page)
    return AuditPage(entries, total, pages, page)


@dataclass(frozen=True)
class CatalogueConsoleView:
    snapshot: Snapshot
    stale: list[StaleAlternative]  # active alternatives not checked for 12 months


def catalogue_console_view(db: Database, today: date) -> CatalogueConsoleView:
    with db.read() as session:
        return CatalogueConsoleView(from_database(session), stale_alternatives(session, today))


def catalogue_snapshot(db: Database) -> Snapshot:
    """The catalogue as it is now, as comparable entries (what the console's lists and exports show)."""
    with db.read() as session:
        return from_database(session)


@dataclass(frozen=True)
class AlternativeFormView:
    form: AlternativeForm
    services: dict[str, str]  # slug -> "Name (Company)" of the active Big Tech services
    slug: str | None  # None: a new alternative


def alternative_form_view(
    db: Database, slug: str | None, suggestion_id: int | None, today: date
) -> AlternativeFormView:
    """The form of an existing alternative, of a new one from a household's suggestion, or blank."""
    with db.read() as session:
        snapshot = from_database(session)
        services = {s: f"{e['name']} ({e['company']})" for s, e in snapshot.active("service")}
        if slug is not None and slug in snapshot.alternative:
            return AlternativeFormView(entries.form_of(slug, snapshot.alternative[slug]), services, slug)
        if suggestion_id is not None:
            return AlternativeFormView(entries.suggestion_form(session, suggestion_id, today), services, None)
        return AlternativeFormView(entries.blank_form(today), services, None)


def suggestions_for_review(db: Database, status: str | None) -> list[SuggestionView]:
    with db.read() as session:
        return suggestions.for_review(session, status)
