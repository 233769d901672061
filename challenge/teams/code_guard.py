"""Team codes cannot be guessed: every wrong code is charged to the account and to the client.

A code is 6 characters of 31 (about 887 million); without a limit a script tried ~1.3 codes per
second per connection. Past the budgets of challenge.accounts.budgets (10 wrong codes per account
and 30 per client network within 15 minutes), attempts are refused before being checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from challenge.accounts.budgets import (
    TEAM_CODE_PER_ACCOUNT,
    TEAM_CODE_PER_CLIENT,
    Budget,
    charge,
    check_budgets,
)
from challenge.core.errors import ValidationError
from challenge.infra.db import Database
from challenge.models import utcnow
from challenge.teams.codes import normalize_invite_code

T = TypeVar("T")


def code_charges(account_id: int, client: str | None) -> list[tuple[Budget, str | None]]:
    return [(TEAM_CODE_PER_ACCOUNT, f"account:{account_id}"), (TEAM_CODE_PER_CLIENT, client)]


def guarded_code_attempt(
    db: Database, account_id: int, client: str | None, code: str, work: Callable[[], T]
) -> T:
    """Run `work` (which checks `code`) within the budgets; a refused code is charged to them."""
    if not normalize_invite_code(code):
        return work()
    charges = code_charges(account_id, client)
    with db.read() as session:
        check_budgets(session, charges, utcnow())
    try:
        return work()
    except ValidationError as error:
        if error.field == "invite_code":
            db.run_write(lambda session: charge(session, charges, utcnow()))
        raise
