"""Onboarding and the household's plan of services, with the catalogue's territorial rules."""

import pytest
from sqlalchemy import func, select

from challenge.accounts import credentials
from challenge.catalogue.browse import alternatives_by_service
from challenge.core.errors import ValidationError
from challenge.editions.calendar import EditionView
from challenge.editions.lookup import enrolment_of
from challenge.households.profile import save_service_plan, service_plan, set_up_household
from challenge.infra.db import Database
from challenge.models import ChosenAlternative, DeclaredService, Household
from challenge.territories.referential import place_of
from tests.conftest import AMIENS, LILLE, PASSWORD, Member, make_member


def test_onboarding_creates_the_household_and_enrols_it(db: Database, edition: EditionView) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    profile = set_up_household(db, account.id, "  Les   Colibris ", LILLE, 4, consent=True)
    assert profile.name == "Les Colibris"
    assert profile.place.epci_siren == "200093201"
    with db.read() as session:
        enrolment = enrolment_of(session, profile.household_id)
    assert enrolment is not None
    assert enrolment[0].id == edition.id


def test_retried_onboarding_updates_instead_of_duplicating(db: Database, edition: EditionView) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    first = set_up_household(db, account.id, "Colibris", LILLE, 2, consent=True)
    second = set_up_household(db, account.id, "Colibris", LILLE, 3, consent=True)
    assert first.household_id == second.household_id
    with db.read() as session:
        assert session.scalar(select(func.count(Household.id))) == 1


@pytest.mark.parametrize(
    ("name", "commune", "size", "consent", "message"),
    [
        ("", LILLE, 2, True, "Donnez un nom"),
        ("Colibris", "99999", 2, True, "Commune inconnue"),
        ("Colibris", "", 2, True, "Commune inconnue"),
        ("Colibris", LILLE, 0, True, "taille du foyer"),
        ("Colibris", LILLE, 500, True, "taille du foyer"),
        ("Colibris", LILLE, 2.5, True, "taille du foyer"),
        ("Colibris", LILLE, None, True, "taille du foyer"),
        ("Colibris", LILLE, True, True, "taille du foyer"),
        ("Colibris", LILLE, "3", True, "taille du foyer"),
        ("N" * 1_000_000, LILLE, 2, True, "ne peut dépasser 60 caractères"),
        ("N" * 61, LILLE, 2, True, "ne peut dépasser 60 caractères"),
        (None, LILLE, 2, True, "Donnez un nom"),
        ("Colibris", LILLE, 2, False, "acceptez le règlement"),
    ],
)
def test_bad_onboarding_input_writes_nothing(
    db: Database, edition: EditionView, name: object, commune: str, size: object, consent: bool, message: str
) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(ValidationError, match=message):
        set_up_household(db, account.id, name, commune, size, consent)
    with db.read() as session:
        assert session.scalar(select(func.count(Household.id))) == 0


def test_unknown_invitation_code_is_refused_and_nothing_is_written(
    db: Database, edition: EditionView
) -> None:
    account = credentials.sign_up(db, "camille@exemple.fr", PASSWORD)
    with pytest.raises(ValidationError, match="Code d'invitation inconnu"):
        set_up_household(db, account.id, "Colibris", LILLE, 2, True, invite_code="NOPE42")
    with db.read() as session:
        assert session.scalar(select(func.count(Household.id))) == 0


def test_local_alternatives_are_offered_only_in_their_territory(db: Database) -> None:
    with db.read() as session:
        in_lille = alternatives_by_service(session, place_of(session, LILLE))
        in_amiens = alternatives_by_service(session, place_of(session, AMIENS))
    lille_delivery = {a.slug for a in in_lille["uber-eats"]}
    amiens_delivery = {a.slug for a in in_amiens["uber-eats"]}
    assert "lille-bike" in lille_delivery
    assert "lille-bike" not in amiens_delivery
    assert "coopcycle" in lille_delivery - amiens_delivery  # where a CoopCycle coop delivers only
    assert "beefast" in amiens_delivery - lille_delivery  # Amiens' own bike couriers


def test_service_plan_round_trip(db: Database, member: Member) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "whatsapp": ["signal", "olvid"]})
    save_service_plan(db, member.household_id, {"gmail": ["tuta"], "amazon": []})
    with db.read() as session:
        assert service_plan(session, member.household_id) == {"gmail": ["tuta"], "amazon": []}


def test_alternative_unavailable_in_the_commune_is_refused_and_nothing_changes(
    db: Database, edition: EditionView
) -> None:
    amiens = make_member(db, "amiens@exemple.fr", commune=AMIENS)
    save_service_plan(db, amiens.household_id, {"gmail": ["proton-mail"]})
    with pytest.raises(ValidationError, match="pas disponible dans votre commune"):
        save_service_plan(db, amiens.household_id, {"whatsapp": ["signal"], "uber-eats": ["lille-bike"]})
    with db.read() as session:
        assert service_plan(session, amiens.household_id) == {"gmail": ["proton-mail"]}


def test_empty_plan_and_unknown_service_are_refused(db: Database, member: Member) -> None:
    with pytest.raises(ValidationError, match="au moins un service"):
        save_service_plan(db, member.household_id, {})
    with pytest.raises(ValidationError, match="Service inconnu"):
        save_service_plan(db, member.household_id, {"myspace": []})
    with db.read() as session:
        assert session.scalar(select(func.count(DeclaredService.id))) == 0
        assert session.scalar(select(func.count()).select_from(ChosenAlternative)) == 0
