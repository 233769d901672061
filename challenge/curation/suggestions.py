"""Households suggest alternatives; organisers accept them into the catalogue or decline with a reason.

A suggestion is keyed by household, replaced service and normalised name: sending the same one
twice (a double tap, a retried request) gives one row. A household may send a few a day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.sessions import Identity
from challenge.catalogue.validation import Problems
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import SuggestionStatus
from challenge.infra.db import Database
from challenge.models import BigTechService, Household, Suggestion, utcnow
from challenge.territories.referential import place_of, search_key

MAX_PER_DAY = 5
NATIONAL = ("national", "")
STATUSES = tuple(SuggestionStatus)


@dataclass(frozen=True)
class SuggestionView:
    id: int
    name: str
    url: str
    service_slug: str
    service_name: str
    territory_level: str
    territory_code: str
    reason: str
    status: str
    decision_reason: str | None
    alternative_slug: str | None
    created_at: datetime


def _commune_of(session: Session, household_id: int) -> str:
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(_("Foyer introuvable."))
    return household.commune_code


def _view(row: Suggestion, service_name: str) -> SuggestionView:
    return SuggestionView(
        row.id,
        row.name,
        row.url,
        row.service_slug,
        service_name,
        row.territory_level,
        row.territory_code,
        row.reason,
        row.status,
        row.decision_reason,
        row.alternative_slug,
        row.created_at,
    )


def _checked(
    session: Session, household_id: int, name: str, url: str, service_slug: str, reason: str
) -> tuple[str, str, str]:
    problems = Problems()
    name = problems.text(name, _("Nom de l'alternative"))
    url = problems.url(url, _("Site web"))
    reason = problems.text(reason, _("Pourquoi la proposer"), max_length=1000)
    active = session.scalar(
        select(BigTechService.slug).where(
            BigTechService.slug == service_slug, BigTechService.retired_at.is_(None)
        )
    )
    if active is None:
        problems.add(_("Choisissez le service GAFAM que cette alternative remplace."))
    problems.raise_if_any()
    return name, url, reason


def suggest(
    db: Database,
    household_id: int,
    *,
    name: str,
    url: str,
    service_slug: str,
    territory: tuple[str, str],
    reason: str,
) -> tuple[int, bool]:
    """Record a suggestion; returns (its id, whether it is new). The same one twice gives one row."""

    def work(session: Session) -> tuple[int, bool]:
        clean_name, clean_url, clean_reason = _checked(session, household_id, name, url, service_slug, reason)
        key = f"{service_slug}:{search_key(clean_name)}"
        existing = session.scalar(
            select(Suggestion.id).where(Suggestion.household_id == household_id, Suggestion.dedupe_key == key)
        )
        if existing is not None:
            return existing, False
        allowed = [NATIONAL, *place_of(session, _commune_of(session, household_id)).territories]
        if territory not in allowed:
            raise ValidationError(_("Choisissez où cette alternative est disponible dans la liste."))
        since = utcnow() - timedelta(days=1)
        recent = session.scalar(
            select(func.count(Suggestion.id)).where(
                Suggestion.household_id == household_id, Suggestion.created_at >= since
            )
        )
        if (recent or 0) >= MAX_PER_DAY:
            raise ValidationError(
                _("Vous avez déjà envoyé {count} suggestions aujourd'hui : merci ! Revenez demain.").format(
                    count=MAX_PER_DAY
                )
            )
        row = Suggestion(
            household_id=household_id,
            dedupe_key=key,
            name=clean_name,
            url=clean_url,
            service_slug=service_slug,
            territory_level=territory[0],
            territory_code=territory[1],
            reason=clean_reason,
            status=SuggestionStatus.PENDING,
        )
        session.add(row)
        session.flush()
        return row.id, True

    return db.run_write(work, retry_conflicts=True)


def _query(status: str | None = None):  # type: ignore[no-untyped-def]
    query = (
        select(Suggestion, BigTechService.name)
        .join(BigTechService, BigTechService.slug == Suggestion.service_slug)
        .order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
    )
    return query.where(Suggestion.status == status) if status else query


def of_household(session: Session, household_id: int) -> list[SuggestionView]:
    """The household's own suggestions, newest first, with the organisers' answer."""
    rows = session.execute(_query().where(Suggestion.household_id == household_id))
    return [_view(row, service) for row, service in rows]


def for_review(
    session: Session, status: str | None = SuggestionStatus.PENDING, limit: int = 200
) -> list[SuggestionView]:
    """Suggestions for the organisers (no household detail: they do not need it to decide)."""
    return [_view(row, service) for row, service in session.execute(_query(status).limit(limit))]


def get(session: Session, suggestion_id: int) -> SuggestionView:
    row = session.execute(_query().where(Suggestion.id == suggestion_id)).first()
    if row is None:
        raise NotFound(_("Cette suggestion n'existe pas ou plus."))
    return _view(row[0], row[1])


def _pending(session: Session, suggestion_id: int) -> Suggestion:
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise NotFound(_("Cette suggestion n'existe pas ou plus."))
    if row.status != SuggestionStatus.PENDING:
        raise ValidationError(_("Cette suggestion a déjà reçu une réponse."))
    return row


def _decide(session: Session, actor: Identity, row: Suggestion, status: str, **values: str | None) -> None:
    before = {"status": row.status}
    row.status = status
    row.decided_at = utcnow()
    row.decided_by = actor.email
    for name, value in values.items():
        setattr(row, name, value)
    audit.record(
        session,
        actor,
        f"suggestion.{status}",
        "suggestion",
        row.id,
        before=before,
        after={"status": status, **values},
    )


def mark_accepted(session: Session, actor: Identity, suggestion_id: int, alternative_slug: str) -> None:
    """Accept a suggestion, inside the transaction that creates its alternative."""
    row = _pending(session, suggestion_id)
    _decide(session, actor, row, SuggestionStatus.ACCEPTED, alternative_slug=alternative_slug)


def decline(db: Database, actor: Identity, suggestion_id: int, reason: str) -> None:
    """Decline with a reason, which the household reads next to its suggestion."""
    problems = Problems()
    reason = problems.text(reason, _("Raison du refus"), max_length=500)
    problems.raise_if_any()

    def work(session: Session) -> None:
        row = session.get(Suggestion, suggestion_id)
        if row is not None and row.status == SuggestionStatus.DECLINED and row.decision_reason == reason:
            return  # the same answer twice: nothing more to do
        _decide(
            session,
            actor,
            _pending(session, suggestion_id),
            SuggestionStatus.DECLINED,
            decision_reason=reason,
        )

    db.run_write(work)
