"""The weekly check-in: how each declared service went this week."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.labels import QUANTITY
from challenge.core.scoring import STATUSES
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import closed_edition_of, closed_message, enrolment_of, first_week_of
from challenge.infra.db import Database
from challenge.infra.upsert import upsert
from challenge.models import BigTechService, Category, Checkin, DeclaredService, Enrolment, Household, utcnow

QUANTITY_LIMITS: dict[str, float] = {"km": 20_000, "euros": 50_000, "objects": 500}
QUANTITY_LABELS = QUANTITY  # shown in error messages, in the language of the run


@dataclass(frozen=True)
class CheckinEntry:
    service_slug: str
    status: str
    km: float | None = None
    euros: float | None = None
    objects: int | None = None

    def quantities(self) -> dict[str, float | int | None]:
        return {"km": self.km, "euros": self.euros, "objects": self.objects}


def open_weeks_for(edition: EditionView, enrolment: Enrolment, today: date) -> list[int]:
    """Weeks this household may check in now: the open ones since it joined."""
    first = first_week_of(edition, enrolment)
    return [week for week in edition.open_weeks(today) if week >= first]


def _check_week(enrolment: tuple[EditionView, Enrolment] | None, week: int, today: date) -> EditionView:
    if enrolment is None:
        raise ValidationError(_("Votre foyer ne participe à aucune édition en cours du défi."))
    edition = enrolment[0]
    allowed = open_weeks_for(edition, enrolment[1], today)
    if week not in allowed:
        if not allowed:
            raise ValidationError(
                _("Le bilan n'est pas ouvert en ce moment : l'édition n'a pas commencé ou est terminée.")
            )
        listed = _(" ou ").join(_("la semaine {week}").format(week=w) for w in allowed)
        raise ValidationError(
            _("La semaine {week} n'est pas ouverte au bilan : vous pouvez renseigner {listed}.").format(
                week=week, listed=listed
            ),
            field="week",
        )
    return edition


def _check_entries(session: Session, household_id: int, entries: Sequence[CheckinEntry]) -> None:
    if session.scalar(select(Household.consent_withdrawn_at).where(Household.id == household_id)):
        raise ValidationError(
            _(
                "Vous avez retiré votre consentement : vos réponses ne sont plus enregistrées. "
                "Vous pouvez le donner à nouveau depuis « Mes données »."
            )
        )
    if not entries:
        raise ValidationError(_("Renseignez au moins un service pour enregistrer votre bilan."))
    declared = dict(
        session.execute(
            select(DeclaredService.service_slug, Category.quantities)
            .join(BigTechService, BigTechService.slug == DeclaredService.service_slug)
            .join(Category, Category.slug == BigTechService.category_slug)
            .where(DeclaredService.household_id == household_id)
        ).all()
    )
    for entry in entries:
        if entry.service_slug not in declared:
            raise ValidationError(_("Ce service ne fait pas partie de ceux que votre foyer a déclarés."))
        if entry.status not in STATUSES:
            raise ValidationError(_("Réponse inconnue : {status}.").format(status=entry.status))
        for name, value in entry.quantities().items():
            if value is None:
                continue
            if name not in declared[entry.service_slug]:
                raise ValidationError(
                    _("La quantité « {quantity} » ne s'applique pas à ce service.").format(
                        quantity=QUANTITY_LABELS[name]
                    )
                )
            if not 0 <= value <= QUANTITY_LIMITS[name]:
                raise ValidationError(
                    _("Indiquez un nombre de {quantity} entre 0 et {limit}.").format(
                        quantity=QUANTITY_LABELS[name],
                        limit=f"{QUANTITY_LIMITS[name]:,.0f}".replace(",", "\u202f"),
                    )
                )


def _upsert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert or update on the (edition, household, week, service) key, atomically."""
    keys = ("edition_id", "household_id", "week", "service_slug")
    upsert(session, Checkin, rows, keys, replace=("status", "km", "euros", "objects", "updated_at"))


def record_checkin(
    db: Database, household_id: int, week: int, entries: Sequence[CheckinEntry], today: date
) -> int:
    """Record (or correct) a household's check-in for `week`; re-submitting never duplicates."""

    def work(session: Session) -> int:
        enrolment = enrolment_of(session, household_id)
        closed = closed_edition_of(session, household_id) if enrolment is None else None
        if closed is not None:
            raise ValidationError(closed_message(closed))
        edition = _check_week(enrolment, week, today)
        _check_entries(session, household_id, entries)
        now = utcnow()
        with upkeep.tracking(session, [household_id]):  # dashboards' counts, same transaction
            _upsert(
                session,
                [
                    {
                        "edition_id": edition.id,
                        "household_id": household_id,
                        "week": week,
                        "service_slug": e.service_slug,
                        "status": e.status,
                        **e.quantities(),
                        "created_at": now,
                        "updated_at": now,
                    }
                    # Sorted: concurrent check-ins of one household lock rows in the same order.
                    for e in sorted(
                        {e.service_slug: e for e in entries}.values(), key=lambda e: e.service_slug
                    )
                ],
            )
        return len(entries)

    return db.run_write(work)


def checkins_of(session: Session, household_id: int, edition_id: int) -> list[Checkin]:
    return list(
        session.scalars(
            select(Checkin)
            .where(Checkin.household_id == household_id, Checkin.edition_id == edition_id)
            .order_by(Checkin.week, Checkin.service_slug)
        )
    )
