"""Curating the catalogue: validated forms, retire instead of delete, checks, every change audited."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from challenge.accounts import audit
from challenge.catalogue.browse import alternatives_by_service
from challenge.catalogue.retired_choices import retired_choices
from challenge.catalogue.snapshot import from_database
from challenge.cli.reference import load_reference
from challenge.core.errors import ValidationError
from challenge.curation.entries import AlternativeForm, form_of, save_alternative, save_category, save_service
from challenge.curation.lifecycle import mark_checked, months_ago, set_retired, stale_alternatives
from challenge.households.profile import save_service_plan, service_plan
from challenge.infra.db import Database
from challenge.models import Alternative, AuditEntry, Category
from challenge.territories.referential import place_of
from tests.conftest import AMIENS, LILLE, Member
from tests.support.catalogue import organiser_identity, pristine_catalogue  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("pristine_catalogue")
MEL = "200093201"
TODAY = date.today()


def _form(**changes: object) -> AlternativeForm:
    form = AlternativeForm(
        slug="velo-coop-lille",
        name="Vélo Coop Lille",
        url="https://velo-coop.exemple.fr/",
        description="Coopérative de vélos partagés de la métropole lilloise.",
        kind="cooperative",
        ethics=["ess-governance"],
        effort="easy",
        cost="paid",
        replaces=["uber"],
        territories=MEL,
        sources="https://velo-coop.exemple.fr/statuts statuts Statuts de la SCIC",
        last_checked=TODAY,
    )
    return replace(form, **changes)  # type: ignore[arg-type]


def _audit_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(AuditEntry.id))) or 0


def test_an_alternative_of_one_epci_is_offered_there_only(db: Database) -> None:
    save_alternative(db, organiser_identity(), _form(), creating=True, today=TODAY)
    with db.read() as session:
        in_lille = alternatives_by_service(session, place_of(session, LILLE), ["uber"])
        in_amiens = alternatives_by_service(session, place_of(session, AMIENS), ["uber"])
    assert "velo-coop-lille" in {a.slug for a in in_lille["uber"]}
    assert "velo-coop-lille" not in {a.slug for a in in_amiens.get("uber", [])}
    entries, _total = audit.list_entries(db, audit.AuditFilter(action_prefix="catalogue"))
    assert entries[0].action == "catalogue.create"
    assert entries[0].before is None
    assert entries[0].after is not None
    assert entries[0].after["availability"] == {"epci": [MEL]}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"url": "velo-coop.fr"}, "adresse web"),
        ({"territories": "999999999"}, "Territoire inconnu : « 999999999 »"),
        ({"replaces": ["not-a-service"]}, "valeur inconnue"),
        ({"sources": ""}, "au moins une source"),
        ({"slug": "Vélo Coop"}, "Identifiant invalide"),
        (
            {"url": "https://ok.example/)![x](http://evil.example/s.png)[Connexion](http://evil.example/p"},
            "Site web",
        ),
        ({"sources": "https://ok.example/)![x](http://evil.example/s.png) officiel"}, "Source"),
        ({"last_checked": TODAY + timedelta(days=3)}, "dans le futur"),
    ],
)
def test_a_bad_alternative_form_writes_nothing(
    db: Database, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        save_alternative(db, organiser_identity(), _form(**changes), creating=True, today=TODAY)
    with db.read() as session:
        assert session.get(Alternative, "velo-coop-lille") is None
    assert _audit_count(db) == 0


def test_a_taken_identifier_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError, match="déjà pris"):
        save_alternative(db, organiser_identity(), _form(slug="tuta"), creating=True, today=TODAY)


def test_editing_records_before_and_after(db: Database) -> None:
    with db.read() as session:
        form = form_of("tuta", from_database(session).alternative["tuta"])
    save_alternative(db, organiser_identity(), replace(form, name="Tuta Mail"), creating=False, today=TODAY)
    entries, _total = audit.list_entries(db)
    assert (entries[0].before or {})["name"] == "Tuta"
    assert (entries[0].after or {})["name"] == "Tuta Mail"
    with db.read() as session:
        assert session.get_one(Alternative, "tuta").name == "Tuta Mail"


def test_retiring_keeps_the_households_choice_and_tells_them(db: Database, member: Member) -> None:
    save_service_plan(db, member.household_id, {"gmail": ["tuta", "proton-mail"]})
    set_retired(db, organiser_identity(), "alternative", "tuta", True)
    set_retired(db, organiser_identity(), "alternative", "tuta", True)  # a second click: nothing more
    with db.read() as session:
        assert session.get_one(Alternative, "tuta").retired_at is not None
        assert sorted(service_plan(session, member.household_id)["gmail"]) == ["proton-mail", "tuta"]
        told = retired_choices(session, member.household_id)
        offered = alternatives_by_service(session, place_of(session, LILLE), ["gmail"])["gmail"]
    assert [(c.service_name, c.alternative_name) for c in told] == [("Gmail", "Tuta")]
    assert "tuta" not in {a.slug for a in offered}
    entries, total = audit.list_entries(db, audit.AuditFilter(action_prefix="catalogue.retire"))
    assert total == 1
    assert entries[0].before is not None
    assert entries[0].before["retired"] is False


def test_a_category_still_used_cannot_be_retired(db: Database) -> None:
    with pytest.raises(ValidationError, match="Impossible de la retirer"):
        set_retired(db, organiser_identity(), "category", "email", True)
    with db.read() as session:
        assert session.get_one(Category, "email").retired_at is None
    assert _audit_count(db) == 0


def test_new_category_and_service_go_to_the_end(db: Database) -> None:
    actor = organiser_identity()
    save_category(db, actor, "games", "Jeux vidéo", "Video games", [], creating=True)
    save_service(db, actor, "steam", "Steam", "Valve", "games", creating=True)
    with pytest.raises(ValidationError, match="Catégorie inconnue"):
        save_service(db, actor, "xbox", "Xbox", "Microsoft", "no-such-category", creating=True)
    with db.read() as session:
        snapshot = from_database(session)
    assert snapshot.active("category")[-1][0] == "games"
    assert snapshot.active("service")[-1][0] == "steam"
    assert "xbox" not in snapshot.service
    set_retired(db, actor, "service", "steam", True)
    set_retired(db, actor, "category", "games", True)
    with pytest.raises(ValidationError, match="Remettez d'abord"):
        set_retired(db, actor, "service", "steam", False)


def test_stale_alternatives_are_listed_until_checked(db: Database) -> None:
    old = months_ago(TODAY, 13)
    save_alternative(db, organiser_identity(), _form(last_checked=old), creating=True, today=TODAY)
    with db.read() as session:
        stale = stale_alternatives(session, TODAY)
    assert [(s.slug, s.last_checked) for s in stale] == [("velo-coop-lille", old)]
    mark_checked(db, organiser_identity(), "velo-coop-lille", TODAY)
    with db.read() as session:
        assert stale_alternatives(session, TODAY) == []
        assert session.get_one(Alternative, "velo-coop-lille").last_checked == TODAY
    entries, _total = audit.list_entries(db, audit.AuditFilter(action_prefix="catalogue.check"))
    assert (entries[0].after or {})["last_checked"] == TODAY.isoformat()


def test_months_ago_handles_short_months() -> None:
    assert months_ago(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_ago(date(2028, 2, 29), 12) == date(2027, 2, 28)


def test_loading_data_again_keeps_a_curated_catalogue(db: Database) -> None:
    set_retired(db, organiser_identity(), "alternative", "tuta", True)
    reports = load_reference(db)
    assert "catalogue" not in reports
    with db.read() as session:
        assert session.get_one(Alternative, "tuta").retired_at is not None


def test_the_same_form_sent_twice_creates_one_alternative(db: Database) -> None:
    save_alternative(db, organiser_identity(), _form(), creating=True, today=TODAY)
    save_alternative(db, organiser_identity(), _form(), creating=True, today=TODAY)  # a double tap
    assert _audit_count(db) == 1
    with pytest.raises(ValidationError, match="déjà pris"):
        save_alternative(db, organiser_identity(), _form(name="Autre nom"), creating=True, today=TODAY)


def test_an_alternative_of_the_region_keeps_its_availability_when_edited(db: Database) -> None:
    save_alternative(
        db, organiser_identity(), _form(territories="region:32 62041"), creating=True, today=TODAY
    )
    with db.read() as session:
        form = form_of("velo-coop-lille", from_database(session).alternative["velo-coop-lille"])
    assert form.territories == "commune:62041 region:32"
    save_alternative(db, organiser_identity(), replace(form, name="Vélo Coop"), creating=False, today=TODAY)
    with db.read() as session:
        entry = from_database(session).alternative["velo-coop-lille"]
    assert entry["availability"] == {"communes": ["62041"], "regions": ["32"]}
