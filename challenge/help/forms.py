"""The rules of help forms: short plain texts, a territory that exists, a date ahead."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import HelpKind, Level, values
from challenge.models import BigTechService, Commune, Epci

MAX_MESSAGE = 500
MAX_SERVICES = 10
HORIZON = timedelta(days=366)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: object, *, field: str, label: str, most: int, least: int = 0) -> str:
    """The text stripped, without control characters; refused (never cut) when too long or short."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ValidationError(_("{label} : texte attendu.").format(label=label), field=field)
    cleaned = _CONTROL.sub("", text).strip()
    if len(cleaned) > most:
        raise ValidationError(
            _("{label} : {most} caractères au plus.").format(label=label, most=most), field=field
        )
    if len(cleaned) < least:
        raise ValidationError(_("{label} : à remplir.").format(label=label), field=field)
    return cleaned


@dataclass(frozen=True)
class SessionDraft:
    """What an organiser or a captain fills in to publish a help session."""

    kind: str
    level: str
    code: str
    starts_at: datetime | None
    duration_minutes: int
    place: str
    topic: str
    services: Sequence[str]


def check_draft(session: Session, draft: SessionDraft, now: datetime) -> SessionDraft:
    """The draft as it will be stored, or a ValidationError naming the first field to correct."""
    if draft.kind not in values(HelpKind):
        raise ValidationError(_("Choisissez le type de rendez-vous."), field="kind")
    if draft.level not in (Level.COMMUNE, Level.EPCI) or not _territory_exists(
        session, draft.level, draft.code
    ):
        raise ValidationError(_("Choisissez une commune ou une intercommunalité."), field="territory")
    if draft.starts_at is None or draft.starts_at.tzinfo is None:
        raise ValidationError(_("Indiquez la date et l'heure du rendez-vous."), field="starts_at")
    if draft.starts_at <= now:
        raise ValidationError(_("La date du rendez-vous est déjà passée."), field="starts_at")
    if draft.starts_at > now + HORIZON:
        raise ValidationError(_("Publiez un rendez-vous dans l'année qui vient."), field="starts_at")
    minutes = draft.duration_minutes
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 15 <= minutes <= 720:
        raise ValidationError(_("La durée va de 15 minutes à 12 heures."), field="duration")
    place = clean_text(draft.place, field="place", label=_("Lieu"), most=200, least=3)
    topic = clean_text(draft.topic, field="topic", label=_("Thème"), most=200, least=3)
    services = list(dict.fromkeys(draft.services))
    if not services:
        raise ValidationError(_("Choisissez au moins un service concerné."), field="services")
    if len(services) > MAX_SERVICES:
        raise ValidationError(
            _("Choisissez {most} services au plus.").format(most=MAX_SERVICES), field="services"
        )
    known = set(session.scalars(select(BigTechService.slug).where(BigTechService.slug.in_(services))))
    if known != set(services):
        raise ValidationError(_("Choisissez des services du catalogue."), field="services")
    return SessionDraft(draft.kind, draft.level, draft.code, draft.starts_at, minutes, place, topic, services)


def _territory_exists(session: Session, level: str, code: str) -> bool:
    column = Commune.insee_code if level == Level.COMMUNE else Epci.siren
    return session.scalar(select(column).where(column == code)) is not None
