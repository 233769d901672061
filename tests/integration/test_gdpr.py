"""The households' rights: complete export, rectification, consent withdrawal, total erasure."""

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from challenge.core.errors import ValidationError
from challenge.editions.calendar import EditionView
from challenge.households import members, rights
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.households.progress import public_counters
from challenge.infra.db import Database
from challenge.models import Base, Household, HouseholdMember, MemberAnswer, MemberService
from challenge.teams import membership, requests
from tests.conftest import Member, make_member


@pytest.fixture
def active(db: Database, member: Member, today: date) -> Member:
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"], "blablacar": ["mobicoop"]})
    record_checkin(
        db,
        member.household_id,
        3,
        [CheckinEntry("gmail", "switched"), CheckinEntry("blablacar", "mostly", km=80.0)],
        today,
    )
    return member


def test_export_holds_everything_about_the_household_and_no_secret(db: Database, active: Member) -> None:
    with db.read() as session:
        records = rights.export_account(session, active.account_id)
    assert records["compte"][0]["email"] == active.email
    assert records["foyer"][0]["name"] == "Les Colibris"
    assert {r["service_slug"] for r in records["services_declares"]} == {"gmail", "blablacar"}
    assert {(r["service"], r["alternative"]) for r in records["alternatives_choisies"]} == {
        ("gmail", "proton-mail"),
        ("blablacar", "mobicoop"),
    }
    assert {(r["week"], r["status"], r["km"]) for r in records["bilans"]} == {
        (3, "switched", None),
        (3, "mostly", 80.0),
    }
    assert records["participations"][0]["edition"] == "Défi test"
    assert len(records["historique_connexions"]) == 1
    text = rights.to_json(records).decode()
    assert "password_hash" not in text
    assert "argon2" not in text
    assert "token_hash" not in text
    assert json.loads(text)["bilans"][0]["week"] == 3


def test_export_holds_the_household_s_requests_to_join_a_collective(
    db: Database, active: Member, edition: EditionView
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Les Hérons")
    team = membership.create_team(db, captain.household_id, "Les Voisins du Nord", "Ouvert à tous")
    requests.ask_to_join(db, active.household_id, team.id)
    with db.read() as session:
        records = rights.export_account(session, active.account_id)
    assert [(r["team_id"], r["equipe"]) for r in records["demandes_collectif"]] == [
        (team.id, "Les Voisins du Nord")
    ]
    assert records["demandes_collectif"][0]["created_at"] is not None
    archive = zipfile.ZipFile(io.BytesIO(rights.to_csv_zip(records)))
    assert "Les Voisins du Nord" in archive.read("demandes_collectif.csv").decode("utf-8-sig")
    assert json.loads(rights.to_json(records))["demandes_collectif"][0]["equipe"] == "Les Voisins du Nord"


# Each table that holds rows of an account or a household, and the part of the export that gives
# them back (a new table must be added here, and to the export, before this test passes).
EXPORTED = {
    "account": "compte",
    "account_token": "liens_envoyes",
    "login_failure": "tentatives_echouees",
    "login_session": "historique_connexions",
    "oidc_identity": "fournisseurs_identite",
    "role_grant": "roles",
    "notification_preference": "rappels",
    "outbox_message": "mails",
    "household": "foyer",
    "enrolment": "participations",
    "declared_service": "services_declares",
    "checkin": "bilans",
    "suggestion": "suggestions",
    "followup_answer": "suivis",
    "team_join_request": "demandes_collectif",
    "carryover_offer": "propositions_reconduction",
    "team_pledge": "engagements",
    "help_request": "demandes_aide",
    "help_rsvp": "venues_aide",
    "household_member": "membres",
}


def test_every_table_about_an_account_or_a_household_is_in_the_export(db: Database, active: Member) -> None:
    personal = {
        table.name
        for table in Base.metadata.sorted_tables
        if {"account_id", "household_id"} & set(table.c.keys())
    } | {"account"}
    assert personal == set(EXPORTED), "add the new table to the export (rights.export_account) and here"
    with db.read() as session:
        records = rights.export_account(session, active.account_id)
    assert set(EXPORTED.values()) <= set(records)


def test_csv_export_has_one_readable_file_per_table(db: Database, active: Member) -> None:
    with db.read() as session:
        archive = zipfile.ZipFile(
            io.BytesIO(rights.to_csv_zip(rights.export_account(session, active.account_id)))
        )
    assert {"compte.csv", "foyer.csv", "bilans.csv", "services_declares.csv"} <= set(archive.namelist())
    assert "Les Colibris" in archive.read("foyer.csv").decode("utf-8-sig")


def test_household_corrects_its_details(db: Database, active: Member) -> None:
    rights.correct_household(db, active.household_id, "Les Hiboux", "80021", 4)
    with db.read() as session:
        household = session.get_one(Household, active.household_id)
    assert (household.name, household.commune_code, household.size) == ("Les Hiboux", "80021", 4)
    with pytest.raises(ValidationError, match="Commune inconnue"):
        rights.correct_household(db, active.household_id, "Les Hiboux", "00000", 4)


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("N" * 1_000_000, 4, "ne peut dépasser 60 caractères"),  # refused, never cut to 60
        ("Les Hiboux", 500, "taille du foyer"),  # refused, never replaced by a default
        ("Les Hiboux", 2.5, "taille du foyer"),  # refused, never rounded
        ("Les Hiboux", None, "taille du foyer"),
    ],
)
def test_a_correction_the_rules_refuse_changes_nothing(
    db: Database, active: Member, name: str, size: int, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as refused:
        rights.correct_household(db, active.household_id, name, "80021", size)
    assert refused.value.field in {"name", "size"}
    with db.read() as session:
        household = session.get_one(Household, active.household_id)
    assert (household.name, household.commune_code, household.size) == ("Les Colibris", "59350", 3)


def test_withdrawn_consent_stops_use_and_counting_until_given_again(
    db: Database, active: Member, today: date
) -> None:
    rights.set_consent(db, active.household_id, given=False)
    with db.read() as session:
        assert public_counters(session).households == 0
    with pytest.raises(ValidationError, match="retiré votre consentement"):
        record_checkin(db, active.household_id, 3, [CheckinEntry("gmail", "tried")], today)
    rights.set_consent(db, active.household_id, given=True)
    record_checkin(db, active.household_id, 3, [CheckinEntry("gmail", "tried")], today)
    with db.read() as session:
        assert public_counters(session).households == 1


def test_deleting_the_account_erases_every_row_of_the_household(db: Database, active: Member) -> None:
    other = make_member(db, "autre@exemple.fr")
    for typed in ("oui", "supprimer", "Supprimer"):  # exactly SUPPRIMER, in capitals
        with pytest.raises(ValidationError, match="SUPPRIMER"):
            rights.delete_account(db, active.account_id, typed)
    rights.delete_account(db, active.account_id, " SUPPRIMER ")
    rights.delete_account(db, active.account_id, "SUPPRIMER")  # a retried request changes nothing
    with db.read() as session:
        for table in Base.metadata.sorted_tables:
            for column, value in (("account_id", active.account_id), ("household_id", active.household_id)):
                if column in table.c:
                    rows = session.execute(select(table).where(table.c[column] == value)).all()
                    assert rows == [], f"{table.name} still holds {rows}"
            if table.name == "account":
                assert session.execute(select(table).where(table.c.id == active.account_id)).all() == []
        assert session.get(Household, other.household_id) is not None


def _family(db: Database, household_id: int, today: date) -> None:
    """Léa and Tom of the household, both on WhatsApp, each with an answer in week 3."""
    lea = members.add_member(db, household_id, "Léa")
    tom = members.add_member(db, household_id, "Tom")
    save_service_plan(db, household_id, {"whatsapp": ["signal"]}, users={"whatsapp": [lea, tom]})
    entry = CheckinEntry("whatsapp", None, members={lea: "switched", tom: "still"})
    record_checkin(db, household_id, 3, [entry], today)


def test_export_holds_the_members_the_services_each_uses_and_their_answers(
    db: Database, active: Member, today: date
) -> None:
    _family(db, active.household_id, today)
    with db.read() as session:
        records = rights.export_account(session, active.account_id)
    assert [m["name"] for m in records["membres"]] == ["Léa", "Tom"]
    assert {(r["service"], r["membre"]) for r in records["membres_services"]} == {
        ("whatsapp", "Léa"),
        ("whatsapp", "Tom"),
    }
    assert {
        (r["week"], r["service"], r["membre"], r["status"], r["alternative"])
        for r in records["reponses_membres"]
    } == {
        (3, "whatsapp", "Léa", "switched", "signal"),
        (3, "whatsapp", "Tom", "still", None),
    }
    archive = zipfile.ZipFile(io.BytesIO(rights.to_csv_zip(records)))
    assert "Léa" in archive.read("reponses_membres.csv").decode("utf-8-sig")
    assert json.loads(rights.to_json(records))["membres"][1]["name"] == "Tom"


def test_deleting_the_account_erases_its_members_and_their_answers_only(
    db: Database, active: Member, today: date
) -> None:
    other = make_member(db, "autre@exemple.fr", name="Les Autres")
    _family(db, active.household_id, today)
    _family(db, other.household_id, today)
    rights.delete_account(db, active.account_id, "SUPPRIMER")
    with db.read() as session:
        assert set(session.scalars(select(HouseholdMember.household_id))) == {other.household_id}
        assert len(session.scalars(select(MemberService.member_id)).all()) == 2
        assert len(session.scalars(select(MemberAnswer.member_id)).all()) == 2
