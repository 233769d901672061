"""Password rules (length only) and e-mail normalisation."""

import pytest
from argon2 import PasswordHasher, Type

from challenge.accounts.passwords import check_password_rules, hash_password, needs_rehash, verify_password
from challenge.accounts.sessions import normalize_email
from challenge.core.errors import ValidationError
from tests.conftest import APP_HASHER


def test_password_of_twelve_characters_without_composition_rules_is_accepted() -> None:
    check_password_rules("maison verte")


def test_short_password_is_refused_in_french() -> None:
    with pytest.raises(ValidationError, match="au moins 12 caractères"):
        check_password_rules("court")


def test_passwords_up_to_128_characters_are_accepted() -> None:
    check_password_rules(("chemin des écoliers " * 7)[:128])
    with pytest.raises(ValidationError, match="128"):
        check_password_rules("x" * 129)


def test_hash_is_argon2id_and_verifies() -> None:
    stored = hash_password("une phrase de passe solide")
    assert stored.startswith("$argon2id$")
    assert verify_password(stored, "une phrase de passe solide")
    assert not verify_password(stored, "une autre phrase de passe")
    assert not needs_rehash(stored)


def test_verifying_against_no_hash_is_false() -> None:
    assert not verify_password(None, "une phrase de passe solide")


@pytest.mark.parametrize("raw", ["  Camille@Exemple.FR ", "camille@exemple.fr"])
def test_email_is_trimmed_and_lower_cased(raw: str) -> None:
    assert normalize_email(raw) == "camille@exemple.fr"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "camille",
        "camille@",
        "@exemple.fr",
        "a b@exemple.fr",
        "camille@exemple",
        "x" * 250 + "@exemple.fr",
        '"><script>@exemple.fr',
        "camille@exemple..fr",
    ],
)
def test_malformed_email_gets_a_french_message(raw: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_email(raw)
    assert "e-mail" in error.value.message


@pytest.mark.parametrize(
    "password",
    ["123qweasdzxc", "qwertyuiopas", "abcdefghijkl", "aaaaaaaaaaaa", "motdepasse123", "Password1234"],
)
def test_common_breached_or_trivial_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="trop facile à deviner"):
        check_password_rules(password)


def test_password_close_to_the_email_is_refused() -> None:
    with pytest.raises(ValidationError, match="trop facile à deviner"):
        check_password_rules("camille.dupont2026", user_inputs=["camille.dupont2026@exemple.fr"])


def test_the_app_hashes_with_argon2ids_recommended_parameters() -> None:
    """The suite hashes with small parameters in its own processes (tests/conftest.py): the app's
    hasher, kept aside there, is argon2-cffi's default (RFC 9106's second recommendation)."""
    recommended = PasswordHasher()
    assert APP_HASHER.type is Type.ID
    assert (APP_HASHER.time_cost, APP_HASHER.memory_cost, APP_HASHER.parallelism) == (
        recommended.time_cost,
        recommended.memory_cost,
        recommended.parallelism,
    )
    assert recommended.memory_cost >= 65536
    assert recommended.time_cost >= 3
    assert needs_rehash(APP_HASHER.hash("une phrase de passe solide"))  # the test hasher differs
