"""Password rules and argon2id hashing."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from challenge.errors import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the account does not exist, so that timing does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash("not a real password, only here to spend the same time")


def check_password_rules(password: str) -> None:
    """Length is the only rule (NIST SP 800-63B): no composition rules, long passphrases welcome."""
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            f"Le mot de passe doit compter au moins {MIN_LENGTH} caractères "
            "(une phrase de plusieurs mots fait très bien l'affaire).",
            field="password",
        )
    if len(password) > MAX_LENGTH:
        raise ValidationError(
            f"Le mot de passe ne peut pas dépasser {MAX_LENGTH} caractères.", field="password"
        )


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; always spends the time of one verification."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
