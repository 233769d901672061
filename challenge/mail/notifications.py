"""What mail an account agreed to receive, and the signed one-click links that stop it."""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import Session

from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.infra.db import Database
from challenge.infra.mail_settings import MailSettings
from challenge.models import NotificationPreference, utcnow

REMINDER, DIGEST, FOLLOWUP = "reminder", "digest", "followup"
KINDS = (REMINDER, DIGEST, FOLLOWUP)
_FIELDS = {REMINDER: "reminders", DIGEST: "captain_digest", FOLLOWUP: "followups"}
_SALT = "dzg-unsubscribe"


@dataclass(frozen=True)
class Preferences:
    reminders: bool = False
    weekday: int = 0  # Monday = 0
    hour: int = 18
    captain_digest: bool = False
    followups: bool = False  # consent to be asked months later: opted into, never assumed


def preferences_of(session: Session, account_id: int) -> Preferences:
    """The account's choices; the defaults (no reminder, no digest) when it never chose."""
    row = session.get(NotificationPreference, account_id)
    if row is None:
        return Preferences()
    return Preferences(
        row.reminders, row.reminder_weekday, row.reminder_hour, row.captain_digest, row.followups
    )


def preference_row(session: Session, account_id: int) -> NotificationPreference:
    """The account's row, created with the defaults if missing (in the caller's transaction)."""
    row = session.get(NotificationPreference, account_id)
    if row is None:
        row = NotificationPreference(account_id=account_id, **_defaults())
        session.add(row)
        session.flush()
    return row


def _defaults() -> dict[str, object]:
    base = Preferences()
    return {
        "reminders": base.reminders,
        "reminder_weekday": base.weekday,
        "reminder_hour": base.hour,
        "captain_digest": base.captain_digest,
        "followups": base.followups,
    }


def check_preferences(choice: Preferences) -> Preferences:
    if not 0 <= choice.weekday <= 6:
        raise ValidationError(_("Choisissez un jour de la semaine."), field="weekday")
    if not 0 <= choice.hour <= 23:
        raise ValidationError(_("Choisissez une heure entre 0 h et 23 h."), field="hour")
    return choice


def save_preferences(db: Database, account_id: int, choice: Preferences) -> Preferences:
    """Record the account's choices; saving the same choices again changes nothing."""
    check_preferences(choice)

    def work(session: Session) -> Preferences:
        row = preference_row(session, account_id)
        row.reminders, row.reminder_weekday, row.reminder_hour = choice.reminders, choice.weekday, choice.hour
        row.captain_digest, row.followups, row.updated_at = choice.captain_digest, choice.followups, utcnow()
        return choice

    return db.run_write(work, retry_conflicts=True)


def set_captain_digest(db: Database, account_id: int, on: bool) -> None:
    """Turn the captain's weekly digest on or off (from the team page); other choices stay."""

    def work(session: Session) -> None:
        row = preference_row(session, account_id)
        if row.captain_digest != on:
            row.captain_digest, row.updated_at = on, utcnow()

    db.run_write(work)


def unsubscribe(db: Database, account_id: int, kind: str) -> bool:
    """Stop one kind of mail for the account; False if it was already off."""
    if kind not in KINDS:
        raise ValidationError(_("Ce lien de désabonnement n'est pas valide."))

    def work(session: Session) -> bool:
        row = preference_row(session, account_id)
        if not getattr(row, _FIELDS[kind]):
            return False
        setattr(row, _FIELDS[kind], False)
        row.updated_at = utcnow()
        return True

    return db.run_write(work, retry_conflicts=True)


def _serializer(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=_SALT)


def unsubscribe_token(secret: str, account_id: int, kind: str) -> str:
    """A signed (account, kind) pair: whoever holds the mail may stop that kind of mail, nothing else."""
    return str(_serializer(secret).dumps([account_id, kind]))


def read_unsubscribe_token(secret: str, token: str) -> tuple[int, str] | None:
    try:
        account_id, kind = _serializer(secret).loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(account_id, int) or kind not in KINDS:
        return None
    return account_id, kind


def unsubscribe_url(mail: MailSettings, secret: str, account_id: int, kind: str) -> str:
    return mail.link(f"/desabonnement/{unsubscribe_token(secret, account_id, kind)}")
