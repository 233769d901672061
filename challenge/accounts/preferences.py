"""Personal preferences of an account: the language of the interface."""

from __future__ import annotations

from challenge.core import i18n
from challenge.core.errors import ValidationError
from challenge.core.i18n import _
from challenge.infra.db import Database
from challenge.models import Account


def choose_language(db: Database, account_id: int, locale: str) -> str:
    """Remember the account's interface language; choosing the same one again changes nothing."""
    chosen = (locale or "").strip().lower()
    if chosen not in i18n.LOCALES:
        raise ValidationError(_("Cette langue n'est pas proposée."), field="locale")
    with db.write() as session:
        account = session.get_one(Account, account_id)
        account.locale = chosen
    return chosen


def language_of(db: Database, account_id: int) -> str:
    """The interface language the account chose (French until it chooses another one)."""
    with db.read() as session:
        return i18n.normalise(session.get_one(Account, account_id).locale)
