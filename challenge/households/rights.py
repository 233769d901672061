"""The households' rights (GDPR): access and portability, rectification, erasure, consent."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.core.spreadsheets import inert_cell
from challenge.counts import upkeep
from challenge.households.engagement_export import engagement_records
from challenge.households.mail_traces import redact_names
from challenge.households.member_export import member_records, own_member_records
from challenge.households.profile import check_profile
from challenge.infra.db import Database
from challenge.models import (
    Account,
    AccountToken,
    CarryoverOffer,
    Checkin,
    ChosenAlternative,
    DeclaredService,
    Edition,
    Enrolment,
    HelpRequest,
    HelpRsvp,
    Household,
    LoginFailure,
    LoginSession,
    OidcIdentity,
    RoleGrant,
    Suggestion,
    Team,
    TeamJoinRequest,
    utcnow,
)
from challenge.teams.pledge_board import pledges_of_household
from challenge.teams.pledges import erase_pledges
from challenge.territories.referential import place_of

Records = dict[str, list[dict[str, Any]]]


def _row(obj: Any, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in leave_out}


def export_account(session: Session, account_id: int) -> Records:
    """Everything the app holds about an account and its household, table by table.

    Secrets are left out (the password hash, the hashes of session tokens): they are not data
    about the person and would only weaken the account if the file leaked.
    """
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(_("Compte introuvable."))
    household = session.scalar(select(Household).where(Household.account_id == account_id))
    records: Records = {
        "compte": [_row(account, leave_out=("password_hash",))],
        "historique_connexions": [
            _row(s, leave_out=("token_hash", "account_id"))
            for s in session.scalars(select(LoginSession).where(LoginSession.account_id == account_id))
        ],
        "tentatives_echouees": [
            {"at": at}
            for at in session.scalars(select(LoginFailure.at).where(LoginFailure.account_id == account_id))
        ],
        "fournisseurs_identite": [
            _row(i, leave_out=("account_id",))
            for i in session.scalars(select(OidcIdentity).where(OidcIdentity.account_id == account_id))
        ],
        "roles": [
            _row(r, leave_out=("account_id",))
            for r in session.scalars(select(RoleGrant).where(RoleGrant.account_id == account_id))
        ],
        "liens_envoyes": [  # reset, confirmation and log-in links: when and where, never the token
            _row(t, leave_out=("account_id", "token_hash"))
            for t in session.scalars(select(AccountToken).where(AccountToken.account_id == account_id))
        ],
    }
    if household is not None:
        records.update(_household_records(session, household))
    else:  # a member's account: the member it is and its own answers
        records.update(own_member_records(session, account_id))
    records.update(engagement_records(session, account_id, household.id if household else None))
    return records


def _household_records(session: Session, household: Household) -> Records:
    enrolments = session.execute(
        select(Enrolment, Edition.name, Team.name)
        .join(Edition, Edition.id == Enrolment.edition_id)
        .outerjoin(Team, Team.id == Enrolment.team_id)
        .where(Enrolment.household_id == household.id)
    ).all()
    declared = list(
        session.scalars(select(DeclaredService).where(DeclaredService.household_id == household.id))
    )
    chosen = session.execute(
        select(DeclaredService.service_slug, ChosenAlternative.alternative_slug, ChosenAlternative.chosen_at)
        .join(ChosenAlternative, ChosenAlternative.declared_service_id == DeclaredService.id)
        .where(DeclaredService.household_id == household.id)
    ).all()
    return {
        "foyer": [_row(household, leave_out=("account_id",))],
        "participations": [
            {**_row(e, leave_out=("household_id",)), "edition": edition, "equipe": team}
            for e, edition, team in enrolments
        ],
        "services_declares": [_row(d, leave_out=("household_id",)) for d in declared],
        "alternatives_choisies": [
            {"service": service, "alternative": alternative, "chosen_at": at}
            for service, alternative, at in chosen
        ],
        "bilans": [
            _row(c, leave_out=("household_id",))
            for c in session.scalars(
                select(Checkin).where(Checkin.household_id == household.id).order_by(Checkin.week)
            )
        ],
        **member_records(session, household.id),  # who is in it, what each uses and answered
        "engagements": pledges_of_household(session, household.id),
        "demandes_aide": [
            _row(r, leave_out=("household_id", "replied_by"))
            for r in session.scalars(select(HelpRequest).where(HelpRequest.household_id == household.id))
        ],
        "venues_aide": [
            _row(r, leave_out=("household_id",))
            for r in session.scalars(select(HelpRsvp).where(HelpRsvp.household_id == household.id))
        ],
        "suggestions": [
            _row(x, leave_out=("household_id", "dedupe_key", "decided_by"))
            for x in session.scalars(select(Suggestion).where(Suggestion.household_id == household.id))
        ],
        **_team_records(session, household),
    }


def _team_records(session: Session, household: Household) -> Records:
    """Requests to join a collective (until its captain answers) and offers to go on with a new edition."""
    asked = session.execute(
        select(TeamJoinRequest, Team.name)
        .join(Team, Team.id == TeamJoinRequest.team_id)
        .where(TeamJoinRequest.household_id == household.id)
        .order_by(TeamJoinRequest.created_at)
    ).all()
    offers = session.scalars(
        select(CarryoverOffer)
        .where(CarryoverOffer.household_id == household.id)
        .order_by(CarryoverOffer.offered_at)
    )
    return {
        "demandes_collectif": [
            {"team_id": r.team_id, "equipe": team, "created_at": r.created_at} for r, team in asked
        ],
        "propositions_reconduction": [_row(o, leave_out=("household_id",)) for o in offers],
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def to_json(records: Records) -> bytes:
    plain = {name: [{k: _plain(v) for k, v in row.items()} for row in rows] for name, rows in records.items()}
    return json.dumps(plain, ensure_ascii=False, indent=2).encode()


def to_csv_zip(records: Records) -> bytes:
    """One CSV file per table, in a zip (UTF-8 with BOM, so that spreadsheets read accents)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in records.items():
            text = io.StringIO()
            columns = list(dict.fromkeys(key for row in rows for key in row)) or ["(vide)"]
            writer = csv.DictWriter(text, fieldnames=columns)
            writer.writeheader()
            writer.writerows({k: inert_cell(_plain(v)) for k, v in row.items()} for row in rows)
            archive.writestr(f"{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def correct_household(
    db: Database, household_id: int, name: str, commune_code: str, size: int | None
) -> None:
    """Rectification: the household fixes its name, commune or size."""
    name, size = check_profile(name, size, consent=True)
    with db.write() as session:
        household = session.get(Household, household_id)
        if household is None:
            raise NotFound(_("Foyer introuvable."))
        with upkeep.tracking(session, [household_id]):  # a new commune moves its counts
            household.name, household.size = name, size
            household.commune_code = place_of(session, commune_code).insee_code


def consent_withdrawn(session: Session, household_id: int) -> bool:
    """Whether the household withdrew its consent (its answers are neither used nor counted)."""
    withdrawn = session.scalar(select(Household.consent_withdrawn_at).where(Household.id == household_id))
    return withdrawn is not None


def set_consent(db: Database, household_id: int, given: bool) -> None:
    """Withdraw consent (answers are no longer used nor counted) or give it again; idempotent."""
    with db.write() as session:
        household = session.get(Household, household_id)
        if household is None:
            raise NotFound(_("Foyer introuvable."))
        with upkeep.tracking(session, [household_id]):  # withdrawn: no longer counted
            if given:
                household.consent_withdrawn_at = None
                household.consent_at = utcnow()
            elif household.consent_withdrawn_at is None:
                household.consent_withdrawn_at = utcnow()


def delete_account(db: Database, account_id: int, confirmation: str) -> None:
    """Erase the account and every row about its household, in one transaction.

    Published aggregates only ever showed counts above the secrecy threshold, so nothing there
    identifies the household once its rows are gone.
    """
    if confirmation.strip() != "SUPPRIMER":  # exactly, in capitals: a deliberate act
        raise ValidationError(_("Pour confirmer, tapez SUPPRIMER en majuscules."), field="confirmation")
    with db.write() as session:
        account = session.get(Account, account_id)
        if account is None:
            return  # already deleted: a retried request changes nothing
        households = session.scalars(select(Household.id).where(Household.account_id == account_id)).all()
        names = session.scalars(select(Household.name).where(Household.account_id == account_id)).all()
        redact_names(session, list(names))  # other accounts' mails (a captain's digest) named it
        with upkeep.tracking(session, households):  # its counts leave the aggregates too
            for household_id in households:
                erase_pledges(session, household_id)  # the foreign key cascades too; said here
                session.execute(delete(HelpRequest).where(HelpRequest.household_id == household_id))
                session.execute(delete(HelpRsvp).where(HelpRsvp.household_id == household_id))
            session.delete(account)  # foreign keys cascade to the household and all its rows
