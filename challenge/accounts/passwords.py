"""Password rules and argon2id hashing."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from challenge.core.errors import ValidationError
from challenge.core.i18n import _

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 2  # zxcvbn: at least "somewhat guessable" (about 10^8 guesses), not "very guessable"

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the account does not exist, so that timing does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash("not a real password, only here to spend the same time")


def check_password_rules(password: str, user_inputs: Sequence[str] = ()) -> None:
    """NIST SP 800-63B: a minimum length, no composition rules, and no common or breached password.

    The blocklist is local (zxcvbn's list of 30,000 passwords most seen in breaches, plus its
    estimate of how guessable the password is from sequences, repeats, keyboard patterns,
    dictionary words and the user's own e-mail): nothing leaves the server.
    """
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            _(
                "Le mot de passe doit compter au moins {count} caractères "
                "(une phrase de plusieurs mots fait très bien l'affaire)."
            ).format(count=MIN_LENGTH),
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(
            _("Le mot de passe ne peut pas dépasser {count} caractères.").format(count=MAX_LENGTH),
            field="password",
        )
    if password.lower() in _breached_passwords() or _guessability(password, user_inputs) < MIN_SCORE:
        raise ValidationError(
            _(
                "Ce mot de passe est trop facile à deviner (mot de passe courant ou déjà divulgué, "
                "suite de caractères, ou proche de votre adresse). Essayez une phrase de quelques mots."
            ),
            field="password",
        )


@functools.cache
def _breached_passwords() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def _guessability(password: str, user_inputs: Sequence[str]) -> int:
    """zxcvbn's score, 0 (trivial) to 4; it reads at most 72 characters."""
    inputs = [
        part
        for text in user_inputs
        for part in [text, text.split("@")[0], *text.replace("@", " ").replace(".", " ").split()]
    ]
    score: int = zxcvbn(password[:72], user_inputs=inputs)["score"]
    return score


def hash_password(password: str, user_inputs: Sequence[str] = ()) -> str:
    check_password_rules(password, user_inputs)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; always spends the time of one verification."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
