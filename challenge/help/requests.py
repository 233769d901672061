"""« J'ai besoin d'aide » on a declared service: the household asks, its team's captains (or, for
a household without a team, the organisers, and the territory's volunteers if the household
shared it: challenge.help.volunteers) answer in the app and by mail, and mark it helped.

A captain reads and answers only requests of households that are members of its own team now;
anyone else gets NotFound, as if the request did not exist. Asking again on the same service
keeps one request (a retry or a flood changes nothing but its message). Each change of who asked
or was helped tells the cached dashboards (counts.upkeep.figures_changed): the councils' figures
(challenge.statistics.dashboards, protected) are computed again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from challenge.accounts.organisers import scope_of
from challenge.core.errors import ChallengeError, NotFound, ValidationError
from challenge.core.i18n import _, lazy_gettext, use_locale
from challenge.core.vocabulary import HelpResponder
from challenge.counts.upkeep import figures_changed
from challenge.editions.lookup import enrolment_of
from challenge.help.forms import MAX_MESSAGE, clean_text
from challenge.infra.db import Database
from challenge.infra.outbox import Mail, enqueue
from challenge.infra.upsert import insert_once
from challenge.models import (
    Account,
    BigTechService,
    Commune,
    DeclaredService,
    Enrolment,
    HelpRequest,
    Household,
    utcnow,
)
from challenge.teams.members import account_of, as_captain

NO_SUCH_REQUEST = lazy_gettext("Cette demande d'aide n'existe pas.")
HELP_REPLY = "help_reply"


@dataclass(frozen=True)
class RequestCard:
    id: int
    service_slug: str
    service: str
    message: str
    reply: str | None
    replied_at: datetime | None
    helped_at: datetime | None
    household: str = ""  # for those who answer: the household's name
    commune: str = ""  # for organisers and volunteers: the household's commune
    replied_as: str | None = None  # HelpResponder: who answered, as the household is told
    shared: bool = False  # the household shows it to its territory's volunteers


def ask_help(
    db: Database, household_id: int, service_slug: str, message: object = "", now: datetime | None = None,
    *, shared: bool = False,
) -> int:  # fmt: skip
    """Ask for help on one of the household's declared services, `shared` with the territory's
    volunteers or not; the request's id. Asking again updates the message (an empty one keeps the
    previous) and the choice to share, and reopens a request marked helped."""
    text = clean_text(message, field="message", label=_("Message"), most=MAX_MESSAGE)
    moment = now or utcnow()

    def work(session: Session) -> int:
        found = enrolment_of(session, household_id)
        if found is None:
            raise ValidationError(_("Votre foyer ne participe à aucune édition en cours du défi."))
        edition_id = found[0].id
        declared = session.scalar(
            select(DeclaredService.id).where(
                DeclaredService.household_id == household_id, DeclaredService.service_slug == service_slug
            )
        )
        if declared is None:
            raise ValidationError(_("Déclarez d'abord ce service dans « Mes services »."), field="service")
        key = {"edition_id": edition_id, "household_id": household_id, "service_slug": service_slug}
        insert_once(session, HelpRequest, {**key, "message": text, "created_at": moment}, tuple(key))
        request = session.scalars(select(HelpRequest).filter_by(**key)).one()
        if text:
            request.message = text
        request.shared = shared is True
        if request.helped_at is not None:
            request.helped_at = None
        figures_changed(session, [edition_id])
        return request.id

    return db.run_write(work, retry_conflicts=True)


def withdraw_request(db: Database, household_id: int, request_id: int) -> bool:
    """The household no longer needs help; False if the request was already gone."""

    def work(session: Session) -> bool:
        request = session.get(HelpRequest, request_id)
        if request is None:
            return False
        if request.household_id != household_id:
            raise NotFound(NO_SUCH_REQUEST)
        figures_changed(session, [request.edition_id])
        session.delete(request)
        return True

    return db.run_write(work)


def share_request(db: Database, household_id: int, request_id: int, shared: bool) -> None:
    """The household shows its request to its territory's volunteers, or hides it from them again."""

    def work(session: Session) -> None:
        request = session.get(HelpRequest, request_id)
        if request is None or request.household_id != household_id:
            raise NotFound(NO_SUCH_REQUEST)
        request.shared = shared is True

    db.run_write(work)


def requests_of_household(session: Session, household_id: int) -> list[RequestCard]:
    """The household's own requests, with the answers it got."""
    return cards_where(session, HelpRequest.household_id == household_id)


def team_requests(session: Session, household_id: int, team_id: int) -> list[RequestCard]:
    """For a captain: the requests of the team's current members (NotFound outside the team)."""
    as_captain(session, household_id, team_id)
    return cards_where(session, _of_team(team_id), with_names=True)


def unteamed_requests(session: Session, account_id: int) -> list[RequestCard]:
    """For organisers: the requests of households without a team in the request's edition."""
    _require_organiser(session, account_id)
    no_team = select(Enrolment.id).where(
        Enrolment.household_id == HelpRequest.household_id,
        Enrolment.edition_id == HelpRequest.edition_id,
        Enrolment.team_id.is_not(None),
    )
    return cards_where(session, ~no_team.exists(), with_names=True, with_commune=True)


def _of_team(team_id: int) -> object:
    return (
        select(Enrolment.id)
        .where(
            Enrolment.household_id == HelpRequest.household_id,
            Enrolment.edition_id == HelpRequest.edition_id,
            Enrolment.team_id == team_id,
        )
        .exists()
    )


def cards_where(
    session: Session, condition: object, *, with_names: bool = False, with_commune: bool = False
) -> list[RequestCard]:
    """The requests meeting an SQL `condition`, open ones first; `with_names` for those who answer,
    `with_commune` for those who may not know where the household lives (organisers, volunteers)."""
    rows = session.execute(
        select(HelpRequest, BigTechService.name, Household.name, Commune.name)
        .join(BigTechService, BigTechService.slug == HelpRequest.service_slug)
        .join(Household, Household.id == HelpRequest.household_id)
        .join(Commune, Commune.insee_code == Household.commune_code)
        .where(condition)  # type: ignore[arg-type]
        .order_by(HelpRequest.helped_at.is_not(None), HelpRequest.created_at, HelpRequest.id)
    ).all()
    return [
        RequestCard(
            r.id,
            r.service_slug,
            service,
            r.message,
            r.reply,
            r.replied_at,
            r.helped_at,
            household if with_names else "",
            commune if with_commune else "",
            r.replied_as,
            r.shared,
        )
        for r, service, household, commune in rows
    ]


def answer_as_captain(
    db: Database, household_id: int, team_id: int, request_id: int, reply: object, helped: bool,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """A captain answers a member's request (shown in the app, mailed to a confirmed address)
    and may mark it helped. Another team's request is NotFound."""

    def work(session: Session) -> None:
        as_captain(session, household_id, team_id)
        request = session.scalar(select(HelpRequest).where(HelpRequest.id == request_id, _of_team(team_id)))  # type: ignore[arg-type]
        if request is None:
            raise NotFound(NO_SUCH_REQUEST)
        by = account_of(session, household_id)
        record_answer(session, request, by, HelpResponder.CAPTAIN, reply, helped, now or utcnow())

    db.run_write(work)


def answer_as_organiser(
    db: Database, account_id: int, request_id: int, reply: object, helped: bool, now: datetime | None = None
) -> None:
    """An organiser answers a request (those of households without a team, in the console)."""

    def work(session: Session) -> None:
        _require_organiser(session, account_id)
        request = session.get(HelpRequest, request_id)
        if request is None:
            raise NotFound(NO_SUCH_REQUEST)
        record_answer(session, request, account_id, HelpResponder.ORGANISER, reply, helped, now or utcnow())

    db.run_write(work)


def _require_organiser(session: Session, account_id: int) -> None:
    if not scope_of(session, account_id).is_organiser:
        raise ChallengeError(_("Cette action est réservée aux organisateurs du défi."))


def record_answer(
    session: Session, request: HelpRequest, by: int, as_: HelpResponder, reply: object, helped: bool,
    now: datetime,
) -> None:  # fmt: skip
    """Keep a new answer (mailed once per distinct text) and mark the request helped if `helped`."""
    text = clean_text(reply, field="reply", label=_("Réponse"), most=MAX_MESSAGE)
    if not text and not helped:
        raise ValidationError(_("Écrivez une réponse, ou indiquez que le foyer a été aidé."), field="reply")
    if text and text != request.reply:
        request.reply, request.replied_at, request.replied_by, request.replied_as = text, now, by, as_
        _queue_reply(session, request, text, now)
    if helped and request.helped_at is None:
        session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == request.id, HelpRequest.helped_at.is_(None))
            .values(helped_at=now)
            .execution_options(synchronize_session=False)
        )
        figures_changed(session, [request.edition_id])


def _queue_reply(session: Session, request: HelpRequest, text: str, now: datetime) -> bool:
    """Mail the answer to the household's confirmed address, once per distinct answer."""
    account = session.get(Account, account_of(session, request.household_id))
    if account is None or account.email_confirmed_at is None or not account.is_active:
        return False
    service = session.get_one(BigTechService, request.service_slug).name
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    with use_locale(account.locale):
        subject = _("Réponse à votre demande d'aide pour {service}").format(service=service)
        body = _(
            "Bonjour,\n\nVous avez demandé de l'aide pour quitter {service}. Voici la réponse :\n\n"
            "{reply}\n\nRetrouvez-la sur la page « Mes services » du Défi Zéro Gafam.\n"
        ).format(service=service, reply=text)
    mail = Mail(f"help:{request.id}:{digest}", HELP_REPLY, account.email, subject, body, account.id)
    return enqueue(session, mail, now)
