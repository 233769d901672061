"""Editions of the challenge: creating one, finding the one a household takes part in."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge import weeks as week_rules
from challenge.db import Database
from challenge.errors import ValidationError
from challenge.i18n import _
from challenge.models import Edition, EditionTerritory, Enrolment
from challenge.territories import Place

STATUSES = ("draft", "open", "running", "closed")
LIVE_STATUSES = ("open", "running")


@dataclass(frozen=True)
class EditionView:
    """What pages need to know of an edition, detached from the database session."""

    id: int
    name: str
    start_date: date
    weeks: int
    status: str
    is_demo: bool
    signup_opens: date | None = None
    signup_closes: date | None = None

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(days=7 * self.weeks - 1)

    def current_week(self, today: date) -> int | None:
        return week_rules.week_of(self.start_date, self.weeks, today)

    def open_weeks(self, today: date) -> list[int]:
        if self.status != "running":  # open for sign-up only, or closed: no check-in
            return []
        return week_rules.open_weeks(self.start_date, self.weeks, today)

    def last_started_week(self, today: date) -> int:
        return week_rules.last_started_week(self.start_date, self.weeks, today)

    def last_reported_week(self, today: date) -> int:
        """The last week results cover: the last started one, week 1 before the start."""
        return max(1, self.last_started_week(today))

    @classmethod
    def of(cls, edition: Edition) -> EditionView:
        return cls(
            edition.id,
            edition.name,
            edition.start_date,
            edition.weeks,
            edition.status,
            edition.is_demo,
            edition.signup_opens,
            edition.signup_closes,
        )

    def is_signup_open(self, today: date) -> bool:
        """Households may join: the edition is live and `today` lies in its sign-up window."""
        if self.status not in LIVE_STATUSES:
            return False
        opens, closes = self.signup_opens or self.start_date, self.signup_closes or self.end_date
        return opens <= today <= closes


def _slugify(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:64] or "edition"


def create_edition(
    db: Database,
    name: str,
    start_date: date,
    weeks: int,
    territories: list[tuple[str, str]],
    status: str = "running",
    is_demo: bool = False,
) -> EditionView:
    """Create an edition covering `territories` ((level, code) pairs); sign-up opens 3 weeks before."""
    if not name.strip():
        raise ValidationError(_("Donnez un nom à l'édition."), field="name")
    if not 1 <= weeks <= 52:
        raise ValidationError(_("Une édition dure de 1 à 52 semaines."), field="weeks")
    if status not in STATUSES:
        raise ValidationError(f"Statut inconnu : {status}", field="status")
    with db.write() as session:
        edition = Edition(
            slug=_slugify(name),
            name=name.strip(),
            start_date=start_date,
            weeks=weeks,
            signup_opens=start_date - timedelta(weeks=3),
            signup_closes=start_date + timedelta(days=7 * weeks - 1),
            status=status,
            is_demo=is_demo,
        )
        session.add(edition)
        session.flush()
        session.add_all(
            EditionTerritory(edition_id=edition.id, level=lvl, code=code) for lvl, code in territories
        )
        return EditionView.of(edition)


def live_edition_for(session: Session, place: Place | None = None) -> EditionView | None:
    """The running (else open) edition covering `place`, or any live edition when no place."""
    query = (
        select(Edition)
        .where(Edition.status.in_(LIVE_STATUSES))
        .order_by(Edition.status.desc(), Edition.start_date.desc())
    )
    for edition in session.scalars(query):
        if place is None or _covers(session, edition.id, place):
            return EditionView.of(edition)
    return None


def _covers(session: Session, edition_id: int, place: Place) -> bool:
    areas = set(
        session.execute(
            select(EditionTerritory.level, EditionTerritory.code).where(
                EditionTerritory.edition_id == edition_id
            )
        ).all()
    )
    return not areas or bool(areas & set(place.territories))


def enrolment_of(session: Session, household_id: int) -> tuple[EditionView, Enrolment] | None:
    """The household's enrolment in its latest live edition."""
    row = session.execute(
        select(Edition, Enrolment)
        .join(Enrolment, Enrolment.edition_id == Edition.id)
        .where(Enrolment.household_id == household_id, Edition.status.in_(LIVE_STATUSES))
        .order_by(Edition.start_date.desc())
    ).first()
    return (EditionView.of(row[0]), row[1]) if row else None


def first_week_of(edition: EditionView, enrolment: Enrolment) -> int:
    """The first week a household takes part in: week 1, or the week it joined a running edition."""
    return max(
        1, week_rules.last_started_week(edition.start_date, edition.weeks, enrolment.enrolled_at.date())
    )


def ensure_enrolment(
    session: Session, household_id: int, place: Place, today: date | None = None
) -> EditionView | None:
    """Enrol the household in the live edition of its commune during its sign-up window; idempotent."""
    edition = live_edition_for(session, place)
    if edition is None:
        return None
    found = session.scalar(
        select(Enrolment).where(Enrolment.edition_id == edition.id, Enrolment.household_id == household_id)
    )
    if found is None:
        if not edition.is_signup_open(today or date.today()):
            return None
        session.add(Enrolment(edition_id=edition.id, household_id=household_id))
        session.flush()
    return edition


def closed_edition_of(session: Session, household_id: int) -> EditionView | None:
    """The closed edition a household last took part in, when it takes part in no live one."""
    if enrolment_of(session, household_id) is not None:
        return None
    edition = session.scalar(
        select(Edition)
        .join(Enrolment, Enrolment.edition_id == Edition.id)
        .where(Enrolment.household_id == household_id, Edition.status == "closed")
        .order_by(Edition.start_date.desc())
    )
    return EditionView.of(edition) if edition else None


def closed_message(edition: EditionView) -> str:
    return _(
        "L'édition « {name} » est close : ses résultats restent consultables, "
        "mais les bilans et les collectifs ne peuvent plus changer."
    ).format(name=edition.name)


def refuse_if_closed(session: Session, edition_id: int) -> None:
    """A ValidationError when the edition is closed: a closed edition is read-only."""
    edition = session.get(Edition, edition_id)
    if edition is not None and edition.status == "closed":
        raise ValidationError(closed_message(EditionView.of(edition)))


def published_editions(session: Session) -> list[EditionView]:
    """Every edition whose results may be shown (all but drafts): the live ones first (running,
    then open), then the closed ones; newest first within each."""
    query = (
        select(Edition)
        .where(Edition.status != "draft")
        .order_by(Edition.start_date.desc(), Edition.id.desc())
    )
    rank = {"running": 0, "open": 1, "closed": 2}
    editions = [EditionView.of(e) for e in session.scalars(query)]
    return sorted(editions, key=lambda e: rank.get(e.status, 3))  # stable: newest first stays


def shown_edition(session: Session) -> EditionView | None:
    """The edition whose results the public pages show: the live one, else the last closed one."""
    return next(iter(published_editions(session)), None)
