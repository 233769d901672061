"""The rules an edition must satisfy: its form, its territories, one live edition per territory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from challenge.core import weeks as calendar
from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.core.vocabulary import LIVE_STATUSES, EditionStatus
from challenge.models import Commune, Edition, EditionTerritory
from challenge.territories.areas import area_key, communes_of, territory_exists

MIN_WEEKS, MAX_WEEKS = calendar.MIN_WEEKS, calendar.MAX_WEEKS
MAX_NAME = 120
# draft → open for sign-up → running → closed; an edition open by mistake may go back to draft.
TRANSITIONS: dict[str, tuple[EditionStatus, ...]] = {
    EditionStatus.DRAFT: (EditionStatus.OPEN,),
    EditionStatus.OPEN: (EditionStatus.DRAFT, EditionStatus.RUNNING),
    EditionStatus.RUNNING: (EditionStatus.CLOSED,),
    EditionStatus.CLOSED: (),
}
_LIVE_LOCK = 4_204_001  # PostgreSQL advisory lock: two organisers cannot open overlapping editions


@dataclass(frozen=True)
class EditionForm:
    """What an organiser types to create or change an edition."""

    name: str
    territories: tuple[tuple[str, str], ...]
    start_date: date
    weeks: int
    signup_opens: date
    signup_closes: date

    @classmethod
    def standard(
        cls, name: str, territories: Sequence[tuple[str, str]], start: date, weeks: int
    ) -> EditionForm:
        """A form with the usual sign-up window: from three weeks before the start to the end."""
        return cls(
            name,
            tuple(territories),
            start,
            weeks,
            start - calendar.SIGNUP_LEAD,
            calendar.last_day(start, weeks),
        )

    def starting(self, start: date) -> EditionForm:
        """The same edition (name, territories, length) moved to `start`, with the usual window."""
        return EditionForm.standard(self.name, self.territories, start, self.weeks)

    @property
    def end_date(self) -> date:
        return calendar.last_day(self.start_date, self.weeks)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "territories": [area_key(level, code) for level, code in self.territories],
            "start_date": self.start_date,
            "weeks": self.weeks,
            "signup_opens": self.signup_opens,
            "signup_closes": self.signup_closes,
        }


def check_form(session: Session, form: EditionForm) -> EditionForm:
    """The form cleaned up, or a ValidationError naming the first problem (nothing is written)."""
    name = " ".join((form.name or "").split())
    if not name:
        raise ValidationError(_("Donnez un nom à l'édition."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(_("Le nom ne peut dépasser {n} caractères.").format(n=MAX_NAME), field="name")
    territories = tuple(dict.fromkeys(form.territories))
    if not territories:
        raise ValidationError(_("Choisissez au moins un territoire."), field="territories")
    for level, code in territories:
        if not territory_exists(session, level, code):
            raise ValidationError(
                _("Territoire inconnu du référentiel : {key}.").format(key=area_key(level, code)),
                field="territories",
            )
    if not MIN_WEEKS <= form.weeks <= MAX_WEEKS:
        raise ValidationError(
            _("Une édition dure de {low} à {high} semaines.").format(low=MIN_WEEKS, high=MAX_WEEKS),
            field="weeks",
        )
    cleaned = EditionForm(
        name, territories, form.start_date, form.weeks, form.signup_opens, form.signup_closes
    )
    _check_signup_window(cleaned)
    return cleaned


def _check_signup_window(form: EditionForm) -> None:
    if form.signup_closes < form.signup_opens:
        raise ValidationError(
            _("La fin des inscriptions précède leur ouverture : corrigez les dates."), field="signup"
        )
    if form.signup_closes > form.end_date:
        raise ValidationError(
            _("Les inscriptions ne peuvent se clore après la fin de l'édition (le {end}).").format(
                end=form.end_date.strftime("%d/%m/%Y")
            ),
            field="signup",
        )


def check_unique_name(session: Session, name: str, edition_id: int | None = None) -> None:
    """Two editions never share a name: a retried "create" is refused instead of doubling it."""
    others = session.scalars(select(Edition.name).where(Edition.id != (edition_id or -1)))
    if name.casefold() in {other.casefold() for other in others}:
        raise ValidationError(_("Une édition porte déjà ce nom : choisissez-en un autre."), field="name")


def territories_of(session: Session, edition_id: int) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(EditionTerritory.level, EditionTerritory.code)
        .where(EditionTerritory.edition_id == edition_id)
        .order_by(EditionTerritory.level, EditionTerritory.code)
    )
    return tuple((level, code) for level, code in rows)


def lock_live_editions(session: Session) -> None:
    """Serialise changes to live editions (SQLite write transactions are serial already)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LIVE_LOCK})


def check_no_overlap(
    session: Session, edition_id: int | None, territories: Sequence[tuple[str, str]]
) -> None:
    """A ValidationError if another open or running edition covers one of these communes."""
    mine = communes_of(session, territories)
    others = session.scalars(
        select(Edition).where(Edition.status.in_(LIVE_STATUSES), Edition.id != (edition_id or -1))
    )
    for other in others:
        shared = mine & communes_of(session, territories_of(session, other.id))
        if shared:
            example = session.scalar(select(Commune.name).where(Commune.insee_code == min(shared)))
            raise ValidationError(
                _(
                    "Cette édition recouvre l'édition « {other} », déjà ouverte ou en cours sur une "
                    "partie du même territoire ({n} communes, dont {example}) : une seule édition à "
                    "la fois par territoire."
                ).format(other=other.name, n=len(shared), example=example),
                field="territories",
            )


def check_transition(edition: Edition, target: str, today: date) -> None:
    """A ValidationError unless `edition` may move to `target` on `today`: one step along the
    path, launched on or after its first day, opened for sign-up only before its last day."""
    if target not in TRANSITIONS.get(edition.status, ()):
        raise ValidationError(
            _("Une édition « {current} » ne peut pas passer à « {target} ».").format(
                current=status_label(edition.status), target=status_label(target)
            ),
            field="status",
        )
    if target == EditionStatus.RUNNING and today < edition.start_date:
        raise ValidationError(
            _("Cette édition commence le {day} : elle ne peut être lancée qu'à partir de ce jour-là.").format(
                day=edition.start_date.strftime("%d/%m/%Y")
            ),
            field="status",
        )
    end = calendar.last_day(edition.start_date, edition.weeks)
    if target == EditionStatus.OPEN and today > end:
        raise ValidationError(
            _("Cette édition s'est terminée le {day} : elle ne peut plus ouvrir ses inscriptions.").format(
                day=end.strftime("%d/%m/%Y")
            ),
            field="status",
        )


def status_label(status: str) -> str:
    labels: dict[str, str] = {
        EditionStatus.DRAFT: _("brouillon"),
        EditionStatus.OPEN: _("inscriptions ouvertes"),
        EditionStatus.RUNNING: _("en cours"),
        EditionStatus.CLOSED: _("close"),
    }
    return labels.get(status, status)
