"""Households suggest alternatives; organisers accept them into the catalogue or decline with a reason."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ValidationError
from challenge.curation import suggestions
from challenge.curation.entries import save_alternative, suggestion_form
from challenge.households import rights
from challenge.infra.db import Database
from challenge.models import Alternative, Suggestion
from tests.conftest import Member
from tests.support.catalogue import organiser_identity, pristine_catalogue  # noqa: F401 - fixture
from tests.support.concurrency import at_once

MEL = ("epci", "200093201")


def _suggest(db: Database, member: Member, **changes: object) -> tuple[int, bool]:
    values: dict[str, object] = {
        "name": "La Coop du Coin",
        "url": "https://coop-du-coin.exemple.fr",
        "service_slug": "amazon",
        "territory": MEL,
        "reason": "Une coopérative de livraison locale à Lille.",
    }
    values.update(changes)
    return suggestions.suggest(db, member.household_id, **values)  # type: ignore[arg-type]


def _count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Suggestion.id))) or 0


def test_the_same_suggestion_twice_gives_one_row(db: Database, member: Member) -> None:
    first, created = _suggest(db, member)
    again, created_again = _suggest(db, member, name="la coop du coin ")
    assert (created, created_again) == (True, False)
    assert first == again
    assert _count(db) == 1


def test_a_double_submit_at_the_same_time_gives_one_row(db: Database, member: Member) -> None:
    results = at_once(lambda: _suggest(db, member))
    assert len({suggestion_id for suggestion_id, _created in results}) == 1
    assert _count(db) == 1


def test_a_household_may_send_a_few_a_day(db: Database, member: Member) -> None:
    for number in range(suggestions.MAX_PER_DAY):
        _suggest(db, member, name=f"Coop {number}")
    with pytest.raises(ValidationError, match="Revenez demain"):
        _suggest(db, member, name="Une de trop")
    assert _count(db) == suggestions.MAX_PER_DAY


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": "pas une adresse"}, "adresse web"),
        ({"name": " "}, "obligatoire"),
        ({"service_slug": "unknown"}, "service GAFAM"),
        ({"territory": ("epci", "200033579")}, "où cette alternative est disponible"),
    ],
)
def test_a_bad_suggestion_writes_nothing(
    db: Database, member: Member, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _suggest(db, member, **changes)
    assert _count(db) == 0


def test_a_declined_suggestion_shows_the_reason_to_the_household(db: Database, member: Member) -> None:
    suggestion_id, _created = _suggest(db, member)
    with pytest.raises(ValidationError, match="obligatoire"):
        suggestions.decline(db, organiser_identity(), suggestion_id, "  ")
    suggestions.decline(db, organiser_identity(), suggestion_id, "Déjà au catalogue sous un autre nom.")
    suggestions.decline(db, organiser_identity(), suggestion_id, "Déjà au catalogue sous un autre nom.")
    with db.read() as session:
        [mine] = suggestions.of_household(session, member.household_id)
        assert suggestions.for_review(session) == []
    assert (mine.status, mine.decision_reason) == ("declined", "Déjà au catalogue sous un autre nom.")


@pytest.mark.usefixtures("pristine_catalogue")
def test_accepting_prefills_the_form_and_adds_the_alternative(db: Database, member: Member) -> None:
    suggestion_id, _created = _suggest(db, member)
    with db.read() as session:
        form = suggestion_form(session, suggestion_id, date.today())
    assert (form.name, form.url, form.replaces, form.territories) == (
        "La Coop du Coin",
        "https://coop-du-coin.exemple.fr",
        ["amazon"],
        "epci:200093201",
    )
    completed = replace(form, description="Coopérative de livraison locale.", kind="cooperative")
    save_alternative(
        db, organiser_identity(), completed, creating=True, today=date.today(), suggestion_id=suggestion_id
    )
    with db.read() as session:
        assert session.get_one(Alternative, form.slug).name == "La Coop du Coin"
        [mine] = suggestions.of_household(session, member.household_id)
    assert (mine.status, mine.alternative_slug) == ("accepted", form.slug)
    with pytest.raises(ValidationError, match="déjà reçu une réponse"):
        suggestions.decline(db, organiser_identity(), suggestion_id, "Trop tard")


def test_suggestions_are_in_the_households_data_and_leave_with_it(db: Database, member: Member) -> None:
    _suggest(db, member)
    with db.read() as session:
        records = rights.export_account(session, member.account_id)
    assert [r["name"] for r in records["suggestions"]] == ["La Coop du Coin"]
    rights.delete_account(db, member.account_id, "SUPPRIMER")
    assert _count(db) == 0


PHISHING_URL = "https://ok.example/)![x](http://evil.example/s.png)[Connexion](http://evil.example/p"


@pytest.mark.parametrize(
    "url", [PHISHING_URL, "http://coop.exemple.fr", "javascript:alert(1)", "https://coop.exemple.fr/a b"]
)
def test_an_address_that_is_not_a_plain_https_address_is_refused(
    db: Database, member: Member, url: str
) -> None:
    with pytest.raises(ValidationError, match="Site web"):
        _suggest(db, member, url=url)
    assert _count(db) == 0
