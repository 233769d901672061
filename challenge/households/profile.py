"""Use cases of a household: onboarding and its plan of services to replace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.catalogue.browse import alternatives_by_service
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.counts import upkeep
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import ensure_enrolment
from challenge.households import members
from challenge.households.member_access import refuse_a_member
from challenge.infra.db import Database
from challenge.models import (
    BigTechService,
    ChosenAlternative,
    DeclaredService,
    Enrolment,
    Household,
    utcnow,
)
from challenge.teams.code_guard import guarded_code_attempt
from challenge.teams.codes import INVALID_CODE, normalize_invite_code
from challenge.teams.membership import join_with_code
from challenge.territories.referential import Place, place_of

CONSENT_VERSION = "2026-11"
MAX_HOUSEHOLD_SIZE = 20
HOUSEHOLD_SIZES = tuple(range(1, MAX_HOUSEHOLD_SIZE + 1))
MAX_NAME_LENGTH = 60


@dataclass(frozen=True)
class Profile:
    household_id: int
    name: str
    size: int
    place: Place


def check_profile(name: object, size: object, consent: bool) -> tuple[str, int]:
    """The household's name (spaces tidied) and size as they will be stored, or a ValidationError
    naming the field: never cut to length, rounded or replaced by a default."""
    name = " ".join(name.split()) if isinstance(name, str) else ""
    if not name:
        raise ValidationError(_("Donnez un nom ou un pseudonyme à votre foyer."), field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            _("Le nom du foyer ne peut dépasser {max} caractères.").format(max=MAX_NAME_LENGTH), field="name"
        )
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_HOUSEHOLD_SIZE:
        raise ValidationError(
            _("La taille du foyer doit être comprise entre 1 et {max}.").format(max=MAX_HOUSEHOLD_SIZE),
            field="size",
        )
    if not consent:
        raise ValidationError(
            _("Pour participer, acceptez le règlement du défi et la politique de confidentialité."),
            field="consent",
        )
    return name, size


def _join_team_by_code(session: Session, household_id: int, code: str, edition: EditionView | None) -> None:
    """Join the team of the code typed at onboarding: active codes only, joining time recorded."""
    if not normalize_invite_code(code):
        return
    enrolment = None
    if edition is not None:
        enrolment = session.scalar(
            select(Enrolment).where(
                Enrolment.edition_id == edition.id, Enrolment.household_id == household_id
            )
        )
    if enrolment is None:
        raise ValidationError(INVALID_CODE, field="invite_code")
    join_with_code(session, enrolment, code)


def set_up_household(
    db: Database,
    account_id: int,
    name: str,
    commune_code: str,
    size: int | None,
    consent: bool,
    invite_code: str = "",
    client: str | None = None,
) -> Profile:
    """Create (or update, on a retried submit) the household of an account and enrol it.

    Idempotent: a double-submitted form, even two at the same time, leaves one household.
    """
    name, size = check_profile(name, size, consent)

    def work(session: Session) -> Profile:
        place = place_of(session, commune_code)
        household = session.scalar(select(Household).where(Household.account_id == account_id))
        if household is None:
            refuse_a_member(session, account_id)
            household = Household(
                account_id=account_id,
                name=name,
                commune_code=place.insee_code,
                size=size,
                consent_version=CONSENT_VERSION,
                consent_at=utcnow(),
            )
            session.add(household)
            session.flush()
        with upkeep.tracking(session, [household.id]):  # commune, enrolment, team
            household.name, household.commune_code, household.size = name, place.insee_code, size
            session.flush()
            edition = ensure_enrolment(session, household.id, place)
            _join_team_by_code(session, household.id, invite_code, edition)
        return Profile(household.id, name, size, place)

    # A wrong code is charged to the account and the client network (teams.code_guard).
    return guarded_code_attempt(
        db, account_id, client, invite_code, lambda: db.run_write(work, retry_conflicts=True)
    )


def profile_of(session: Session, household_id: int) -> Profile:
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(_("Foyer introuvable."))
    return Profile(household.id, household.name, household.size, place_of(session, household.commune_code))


def service_plan(session: Session, household_id: int) -> dict[str, list[str]]:
    """Declared services of the household and the alternatives chosen for each."""
    rows = session.execute(
        select(DeclaredService.service_slug, ChosenAlternative.alternative_slug)
        .outerjoin(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .where(DeclaredService.household_id == household_id)
        .order_by(DeclaredService.id)
    )
    plan: dict[str, list[str]] = {}
    for service, alternative in rows:
        plan.setdefault(service, [])
        if alternative:
            plan[service].append(alternative)
    return plan


def save_service_plan(
    db: Database,
    household_id: int,
    plan: Mapping[str, list[str]],
    users: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Replace the household's declared services and chosen alternatives in one transaction,
    and, for the services named in `users`, which of its members use each (none: everyone).

    Alternatives must replace the service and be available in the household's commune.
    Services removed from the plan keep their past check-ins (history is never rewritten).
    Idempotent: saving the same plan twice, even at the same time, gives the same rows.
    """
    if not plan:
        raise ValidationError(_("Choisissez au moins un service GAFAM que votre foyer utilise."))

    def work(session: Session) -> None:
        place = profile_of(session, household_id).place
        known = set(session.scalars(select(BigTechService.slug)))
        unknown = set(plan) - known
        if unknown:
            raise ValidationError(
                _("Service inconnu : {services}.").format(services=", ".join(sorted(unknown)))
            )
        allowed = alternatives_by_service(session, place, list(plan))
        for service, alternatives in plan.items():
            valid = {a.slug for a in allowed.get(service, [])}
            if set(alternatives) - valid:
                raise ValidationError(
                    _(
                        "Une alternative choisie n'est pas disponible dans votre commune "
                        "pour ce service ; rechargez la page et choisissez-en une autre."
                    )
                )
        with upkeep.tracking(session, [household_id]):
            _write_plan(session, household_id, plan)
        if users:
            members.write_service_users(session, household_id, users)

    db.run_write(work, retry_conflicts=True)


def _write_plan(session: Session, household_id: int, plan: Mapping[str, list[str]]) -> None:
    declared = {
        d.service_slug: d
        for d in session.scalars(select(DeclaredService).where(DeclaredService.household_id == household_id))
    }
    for service, row in declared.items():
        if service not in plan:
            session.delete(row)
    for service, alternatives in plan.items():
        if service not in declared:
            declared[service] = DeclaredService(household_id=household_id, service_slug=service)
            session.add(declared[service])
            session.flush()
        row = declared[service]
        session.execute(delete(ChosenAlternative).where(ChosenAlternative.declared_service_id == row.id))
        session.add_all(
            ChosenAlternative(declared_service_id=row.id, alternative_slug=slug)
            for slug in dict.fromkeys(alternatives)
        )
    session.flush()
