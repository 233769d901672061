"""Invitation codes of collectives: short, unambiguous when read aloud, unguessable, revocable."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.errors import ChallengeError, ValidationError
from challenge.core.i18n import _, lazy_gettext
from challenge.models import Team

# No 0/O, 1/I/L: a code read aloud or copied from paper cannot be misread.
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
INVITE_LENGTH = 6
INVALID_CODE = lazy_gettext(
    "Code d'invitation inconnu ou expiré : le capitaine l'a peut-être désactivé ou remplacé. "
    "Demandez-lui le code à jour."
)


def normalize_invite_code(raw: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(char for char in (raw or "").upper() if char.isalnum())


def invite_code_in_link(raw: object) -> str:
    """The code carried by an invitation link (`?code=`), or "" for anything that cannot be one."""
    code = normalize_invite_code(raw) if isinstance(raw, str) and len(raw) <= 32 else ""
    return code if len(code) == INVITE_LENGTH and all(c in INVITE_ALPHABET for c in code) else ""


def invitation_path(code: str) -> str:
    """The link a captain shares: sign-up (or log-in) with the code filled in, then the onboarding
    or the team page joins the collective."""
    return f"/inscription?code={code}"


def new_invite_code() -> str:
    return "".join(secrets.choice(INVITE_ALPHABET) for _ in range(INVITE_LENGTH))


def unused_invite_code(session: Session) -> str:
    for _attempt in range(20):
        code = new_invite_code()
        if session.scalar(select(Team.id).where(Team.invite_code == code)) is None:
            return code
    raise ChallengeError(_("Impossible de créer un code d'invitation pour l'instant : réessayez."))


def team_by_invite_code(session: Session, code: str, edition_id: int) -> Team:
    """The team this code lets one join in the edition, or ValidationError (unknown or revoked)."""
    code = normalize_invite_code(code)
    if not code:
        raise ValidationError(_("Saisissez le code d'invitation du collectif."), field="invite_code")
    team = session.scalar(select(Team).where(Team.invite_code == code))
    if team is None or not team.invite_active or team.edition_id != edition_id:
        raise ValidationError(INVALID_CODE, field="invite_code")
    return team
