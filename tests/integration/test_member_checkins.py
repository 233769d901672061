"""The weekly check-in, one answer per member: the household's row derived by the one rule, each
member's answer kept next to it, on both databases."""

from datetime import date

import pytest
from sqlalchemy import func, select

from challenge.core.errors import ValidationError
from challenge.core.vocabulary import CommuneMeasure
from challenge.counts import reads
from challenge.editions.calendar import EditionView
from challenge.households import members
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from challenge.models import Checkin, MemberAnswer
from challenge.teams import membership
from challenge.teams.stats import team_board
from tests.conftest import LILLE, Member, make_member
from tests.support.concurrency import at_once


@pytest.fixture
def family(db: Database, member: Member) -> tuple[Member, int, int]:
    """A household of Léa and Tom, both on WhatsApp (Signal or Jami chosen), Gmail for everyone."""
    lea = members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    save_service_plan(
        db,
        member.household_id,
        {"whatsapp": ["signal", "jami"], "gmail": ["proton-mail"]},
        users={"whatsapp": [lea, tom]},
    )
    return member, lea, tom


def _household_row(db: Database, week: int = 3) -> tuple[str, str | None]:
    with db.read() as session:
        row = session.execute(
            select(Checkin.status, Checkin.alternative_slug).where(
                Checkin.service_slug == "whatsapp", Checkin.week == week
            )
        ).one()
    return row.status, row.alternative_slug


def _member_rows(db: Database) -> dict[int, tuple[str, str | None]]:
    with db.read() as session:
        return {a.member_id: (a.status, a.alternative_slug) for a in session.scalars(select(MemberAnswer))}


@pytest.mark.parametrize(
    ("lea", "tom", "household"),
    [
        (("switched", "signal"), ("still", None), ("still", None)),
        (("switched", "signal"), ("tried", "jami"), ("tried", "jami")),
        (("mostly", "jami"), ("switched", "signal"), ("mostly", "jami")),
        (("switched", "signal"), ("switched", "signal"), ("switched", "signal")),
        (("dropped", None), ("switched", "signal"), ("switched", "signal")),
        (("dropped", None), ("dropped", None), ("dropped", None)),
    ],
)
def test_the_household_s_row_is_its_least_advanced_member_s_answer(
    db: Database,
    family: tuple[Member, int, int],
    today: date,
    lea: tuple[str, str | None],
    tom: tuple[str, str | None],
    household: tuple[str, str | None],
) -> None:
    member, lea_id, tom_id = family
    entry = CheckinEntry(
        "whatsapp",
        None,
        members={lea_id: lea[0], tom_id: tom[0]},
        member_alternatives={m: a for m, (_s, a) in ((lea_id, lea), (tom_id, tom)) if a},
    )
    record_checkin(db, member.household_id, 3, [entry, CheckinEntry("gmail", "switched")], today)
    assert _household_row(db) == household
    assert _member_rows(db) == {lea_id: lea, tom_id: tom}


def test_a_member_s_alternative_is_the_one_they_named_last_time(
    db: Database, family: tuple[Member, int, int], today: date
) -> None:
    member, lea, tom = family
    record_checkin(
        db,
        member.household_id,
        2,
        [
            CheckinEntry(
                "whatsapp", None, members={lea: "tried", tom: "tried"}, member_alternatives={lea: "jami"}
            )
        ],
        today,
    )
    assert _member_rows(db) == {lea: ("tried", "jami"), tom: ("tried", None)}
    record_checkin(
        db,
        member.household_id,
        3,
        [CheckinEntry("whatsapp", None, members={lea: "mostly", tom: "switched"})],
        today,
    )
    assert _household_row(db) == ("mostly", "jami")


def test_submitting_again_updates_each_member_s_answer_without_duplicating(
    db: Database, family: tuple[Member, int, int], today: date
) -> None:
    member, lea, tom = family
    sent = {"whatsapp": {lea: "switched", tom: "still"}}
    for _ in range(3):
        record_checkin(
            db, member.household_id, 3, [CheckinEntry("whatsapp", None, members=sent["whatsapp"])], today
        )
    record_checkin(
        db,
        member.household_id,
        3,
        [
            CheckinEntry(
                "whatsapp",
                None,
                members={lea: "switched", tom: "switched"},
                member_alternatives={tom: "signal", lea: "signal"},
            )
        ],
        today,
    )
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
        assert session.scalar(select(func.count()).select_from(MemberAnswer)) == 2
    assert _household_row(db) == ("switched", "signal")


def test_a_flood_of_identical_member_check_ins_keeps_one_row_each(
    db: Database, family: tuple[Member, int, int], today: date
) -> None:
    member, lea, tom = family
    entry = CheckinEntry(
        "whatsapp",
        None,
        members={lea: "switched", tom: "tried"},
        member_alternatives={lea: "signal", tom: "jami"},
    )
    at_once(lambda: record_checkin(db, member.household_id, 3, [entry], today), times=6)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 1
    assert _member_rows(db) == {lea: ("switched", "signal"), tom: ("tried", "jami")}
    assert _household_row(db) == ("tried", "jami")


@pytest.mark.parametrize(
    ("sent", "alternatives", "message"),
    [
        ({"lea": "switched"}, {}, "Choisissez une réponse de Tom pour WhatsApp"),
        ({"lea": "switched", "tom": "partly"}, {}, "Choisissez une réponse de Tom pour WhatsApp"),
        ({"lea": "switched", "tom": None}, {}, "Choisissez une réponse de Tom pour WhatsApp"),
        ({"lea": "switched", "tom": "still", "max": "still"}, {}, "ont changé : rechargez la page"),
        ({"lea": "switched", "tom": "still"}, {"lea": "olvid"}, "celles que votre foyer a retenues"),
        ({"lea": "switched", "tom": "still"}, {"max": "signal"}, "ont changé : rechargez la page"),
    ],
)
def test_member_answers_the_rules_refuse_record_nothing(
    db: Database,
    family: tuple[Member, int, int],
    today: date,
    sent: dict[str, str | None],
    alternatives: dict[str, str],
    message: str,
) -> None:
    member, lea, tom = family
    other = make_member(db, "voisin@exemple.fr", name="Les Voisins")
    ids = {"lea": lea, "tom": tom, "max": members.add_member(db, other.household_id, "Max")}
    entry = CheckinEntry(
        "whatsapp",
        "switched",  # a status sent for the household is not what counts
        members={ids[k]: v for k, v in sent.items()},  # type: ignore[misc]
        member_alternatives={ids[k]: v for k, v in alternatives.items()},
    )
    with pytest.raises(ValidationError, match=message):
        record_checkin(db, member.household_id, 3, [entry], today)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0
        assert session.scalar(select(func.count()).select_from(MemberAnswer)) == 0


def test_members_answers_for_a_service_of_one_member_or_of_everyone_are_refused(
    db: Database, family: tuple[Member, int, int], today: date
) -> None:
    member, lea, _tom = family
    members.set_service_users(db, member.household_id, "gmail", [lea])
    with pytest.raises(ValidationError, match="Gmail ont changé"):
        record_checkin(
            db, member.household_id, 3, [CheckinEntry("gmail", None, members={lea: "tried"})], today
        )
    record_checkin(db, member.household_id, 3, [CheckinEntry("gmail", "tried")], today)  # as before


def test_a_household_answer_for_a_members_service_replaces_its_member_answers(
    db: Database, family: tuple[Member, int, int], today: date
) -> None:
    """The household may still answer for everyone ("same as last time" from an older page)."""
    member, lea, tom = family
    record_checkin(
        db,
        member.household_id,
        3,
        [CheckinEntry("whatsapp", None, members={lea: "switched", tom: "still"})],
        today,
    )
    record_checkin(db, member.household_id, 3, [CheckinEntry("whatsapp", "tried")], today)
    assert _member_rows(db) == {}
    assert _household_row(db) == ("tried", None)


def test_a_household_without_members_checks_in_exactly_as_before(
    db: Database, member: Member, today: date
) -> None:
    save_service_plan(db, member.household_id, {"whatsapp": ["signal"], "blablacar": ["mobicoop"]})
    entries = [CheckinEntry("whatsapp", "switched"), CheckinEntry("blablacar", "mostly", km=12.5)]
    assert record_checkin(db, member.household_id, 3, entries, today) == 2
    record_checkin(db, member.household_id, 3, entries, today)
    with db.read() as session:
        rows = set(
            session.execute(
                select(Checkin.service_slug, Checkin.status, Checkin.alternative_slug, Checkin.km)
            )
        )
        assert session.scalar(select(func.count()).select_from(MemberAnswer)) == 0
    assert rows == {("whatsapp", "switched", "signal", None), ("blablacar", "mostly", "mobicoop", 12.5)}


def test_removing_a_member_removes_their_answers_and_keeps_the_household_s(
    db: Database, family: tuple[Member, int, int], today: date
) -> None:
    member, lea, tom = family
    record_checkin(
        db,
        member.household_id,
        3,
        [CheckinEntry("whatsapp", None, members={lea: "switched", tom: "still"})],
        today,
    )
    members.remove_member(db, member.household_id, tom)
    assert _member_rows(db) == {lea: ("switched", None)}
    assert _household_row(db) == ("still", None)  # history is never rewritten


def test_counts_and_team_figures_see_the_household_switched_only_once_everyone_has(
    db: Database, family: tuple[Member, int, int], edition: EditionView, today: date
) -> None:
    member, lea, tom = family
    team = membership.create_team(db, member.household_id, "Rue des Lilas")

    def figures() -> tuple[int, int, int, float]:
        with db.read() as session:
            services = reads.items_as_of(session, edition.id, 3, None)["service"]
            switched = reads.by_commune(session, edition.id, CommuneMeasure.SWITCHED, 3)
            teams = reads.teams_item_totals(session, edition.id, "service_switched", 0)  # 0: now
            board = team_board(session, member.household_id, team.id, today)
        return services["whatsapp"], switched[LILLE], teams[team.id], board.score

    one_still = CheckinEntry(
        "whatsapp", None, members={lea: "switched", tom: "still"}, member_alternatives={lea: "signal"}
    )
    record_checkin(db, member.household_id, 3, [one_still], today)
    assert figures() == (0, 0, 0, 0.0)  # Tom is still on WhatsApp: the household has not left it
    both = CheckinEntry(
        "whatsapp",
        None,
        members={lea: "switched", tom: "switched"},
        member_alternatives={lea: "signal", tom: "signal"},
    )
    record_checkin(db, member.household_id, 3, [both], today)
    assert figures() == (1, 1, 1, 50.0)  # one household, WhatsApp of its two services left
