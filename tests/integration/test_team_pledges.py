"""Team goals on a named alternative and threshold pledges, counted from check-ins (not choices)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select, update

from challenge.core.errors import NotFound, ValidationError
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.infra.db import Database
from challenge.models import Account, Checkin, Household, OutboxMessage, TeamPledge
from challenge.teams import captains, membership, pledges
from challenge.teams.stats import TeamBoard, team_board
from tests.integration.team_helpers import check_in, household, plan
from tests.support.concurrency import at_once


@pytest.fixture
def crew(db: Database, edition: EditionView) -> dict[str, int]:
    """Rue des Lilas (captain Alix, Bao, Chloé, Dara, all on WhatsApp), goal WhatsApp → Signal."""
    people = {name: household(db, name) for name in ("Alix", "Bao", "Chloé", "Dara")}
    team = membership.create_team(db, people["Alix"], "Rue des Lilas")
    for name in ("Bao", "Chloé", "Dara"):
        membership.join_team(db, people[name], team.invite_code)
    for member in people.values():
        plan(db, member, {"whatsapp": ["jami", "signal"]})
    captains.set_goal(db, people["Alix"], team.id, "whatsapp", "signal")
    _confirm_addresses(db)
    return {**people, "team": team.id}


def _confirm_addresses(db: Database) -> None:
    with db.write() as session:
        session.execute(update(Account).values(email_confirmed_at=func.now()))


def _use(db: Database, member: int, today: date, alternative: str | None, status: str = "switched") -> None:
    record_checkin(db, member, 3, [CheckinEntry("whatsapp", status, alternative=alternative)], today)


def _board(db: Database, viewer: int, team: int, today: date) -> TeamBoard:
    with db.read() as session:
        return team_board(session, viewer, team, today)


def _notices(db: Database) -> list[tuple[str, str]]:
    with db.read() as session:
        return [
            (key, to)
            for key, to in session.execute(
                select(OutboxMessage.dedupe_key, OutboxMessage.to_address).where(
                    OutboxMessage.kind == "pledge_triggered"
                )
            )
        ]


def _pledge_rows(db: Database) -> list[tuple[int, int, datetime | None]]:
    with db.read() as session:
        return [
            (row.household_id, row.threshold, row.triggered_at)
            for row in session.scalars(select(TeamPledge).order_by(TeamPledge.id))
        ]


# --- goals count use, by name ----------------------------------------------------------------


def test_a_goal_counts_members_whose_check_ins_use_its_alternative_not_their_choices(
    db: Database, crew: dict[str, int], today: date
) -> None:
    _use(db, crew["Bao"], today, "signal")
    _use(db, crew["Chloé"], today, "jami")  # Jami does not count toward Signal
    _use(db, crew["Dara"], today, "signal", status="tried")  # tried is not using it yet
    [goal] = _board(db, crew["Alix"], crew["team"], today).goals
    assert (goal.alternative_name, goal.switched, goal.on_alternative) == ("Signal", 2, ["Bao"])


def test_a_later_answer_still_on_whatsapp_takes_the_member_off_the_alternative(
    db: Database, crew: dict[str, int], today: date
) -> None:
    record_checkin(db, crew["Bao"], 2, [CheckinEntry("whatsapp", "switched", alternative="signal")], today)
    assert _board(db, crew["Alix"], crew["team"], today).goals[0].on_alternative == ["Bao"]
    check_in(db, crew["Bao"], 3, today, whatsapp="still")
    assert _board(db, crew["Alix"], crew["team"], today).goals[0].on_alternative == []


def test_an_answer_without_a_named_alternative_keeps_the_one_named_last_time(
    db: Database, crew: dict[str, int], today: date
) -> None:
    record_checkin(db, crew["Bao"], 2, [CheckinEntry("whatsapp", "mostly", alternative="signal")], today)
    check_in(db, crew["Bao"], 3, today, whatsapp="switched")  # "same answers as last time"
    with db.read() as session:
        assert session.scalar(select(Checkin.alternative_slug).where(Checkin.week == 3)) == "signal"


def test_an_answer_naming_an_alternative_the_household_did_not_choose_is_refused(
    db: Database, crew: dict[str, int], today: date
) -> None:
    with pytest.raises(ValidationError, match="retenues"):
        _use(db, crew["Bao"], today, "olvid")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Checkin)) == 0


def test_a_single_chosen_alternative_is_named_without_asking(
    db: Database, crew: dict[str, int], today: date
) -> None:
    plan(db, crew["Bao"], {"whatsapp": ["signal"]})
    check_in(db, crew["Bao"], 3, today, whatsapp="mostly")
    assert _board(db, crew["Alix"], crew["team"], today).goals[0].on_alternative == ["Bao"]


# --- threshold pledges ------------------------------------------------------------------------


def test_a_pledge_triggers_once_enough_other_members_use_the_alternative_and_notifies_once(
    db: Database, crew: dict[str, int], today: date
) -> None:
    pledge_id = pledges.make_pledge(db, crew["Alix"], crew["team"], "whatsapp", "signal", 2)
    _use(db, crew["Alix"], today, "signal")  # the pledger itself does not count
    _use(db, crew["Bao"], today, "signal")
    [progress] = _board(db, crew["Dara"], crew["team"], today).pledges
    assert (progress.name, progress.others_on, progress.needed, progress.triggered_at) == ("Alix", 1, 1, None)
    assert _notices(db) == []
    _use(db, crew["Chloé"], today, "signal")
    [(_who, _threshold, triggered)] = _pledge_rows(db)
    assert triggered is not None
    assert _notices(db) == [(f"pledge:{pledge_id}", "alix@exemple.fr")]
    _use(db, crew["Dara"], today, "signal")  # a recompute: nothing triggers or leaves twice
    _use(db, crew["Chloé"], today, "signal")
    with db.write() as session:
        assert pledges.trigger_due(session, crew["team"], datetime.now()) == []
    assert _pledge_rows(db) == [(crew["Alix"], 2, triggered)]
    assert len(_notices(db)) == 1
    [progress] = _board(db, crew["Alix"], crew["team"], today).pledges
    assert (progress.needed, progress.acknowledged) == (0, False)


def test_a_pledge_already_reached_triggers_when_made(db: Database, crew: dict[str, int], today: date) -> None:
    _use(db, crew["Bao"], today, "signal")
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    assert _pledge_rows(db)[0][2] is not None
    assert len(_notices(db)) == 1


def test_a_triggered_pledge_stays_triggered_when_members_go_back(
    db: Database, crew: dict[str, int], today: date
) -> None:
    _use(db, crew["Bao"], today, "signal")
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    check_in(db, crew["Bao"], 3, today, whatsapp="still")
    [(_who, _threshold, triggered)] = _pledge_rows(db)
    assert triggered is not None


def test_jami_users_do_not_trigger_a_signal_pledge(db: Database, crew: dict[str, int], today: date) -> None:
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    _use(db, crew["Bao"], today, "jami")
    assert _pledge_rows(db)[0][2] is None


def test_pledging_again_changes_the_threshold_until_it_triggers(
    db: Database, crew: dict[str, int], today: date
) -> None:
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 3)
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 2)
    assert _pledge_rows(db) == [(crew["Dara"], 2, None)]
    _use(db, crew["Bao"], today, "signal")
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 3)  # too late: kept
    [(_who, threshold, triggered)] = _pledge_rows(db)
    assert (threshold, triggered is not None) == (1, True)


def test_the_notice_goes_to_confirmed_addresses_only_but_the_pledge_triggers(
    db: Database, crew: dict[str, int], today: date
) -> None:
    with db.write() as session:
        session.execute(update(Account).values(email_confirmed_at=None))
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    _use(db, crew["Bao"], today, "signal")
    assert _pledge_rows(db)[0][2] is not None
    assert _notices(db) == []


def test_closing_the_notice_and_withdrawing_a_pledge(db: Database, crew: dict[str, int], today: date) -> None:
    triggered = pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    waiting = pledges.make_pledge(db, crew["Chloé"], crew["team"], "whatsapp", "signal", 3)
    _use(db, crew["Bao"], today, "signal")
    pledges.acknowledge_pledge(db, crew["Chloé"], triggered)  # not hers: nothing changes
    assert not _board(db, crew["Dara"], crew["team"], today).pledges[0].acknowledged
    pledges.acknowledge_pledge(db, crew["Dara"], triggered)
    assert _board(db, crew["Dara"], crew["team"], today).pledges[0].acknowledged
    assert pledges.withdraw_pledge(db, crew["Chloé"], waiting)
    assert not pledges.withdraw_pledge(db, crew["Chloé"], waiting)
    assert [p.household_id for p in _board(db, crew["Alix"], crew["team"], today).pledges] == [crew["Dara"]]


@pytest.mark.parametrize("threshold", [0, -1, 51, "3", 2.5, True, None])
def test_a_threshold_outside_one_to_fifty_is_refused(
    db: Database, crew: dict[str, int], threshold: object
) -> None:
    with pytest.raises(ValidationError, match="entre 1 et 50"):
        pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", threshold)
    assert _pledge_rows(db) == []


def test_a_pledge_on_an_alternative_that_does_not_replace_the_service_is_refused(
    db: Database, crew: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="ne remplace pas"):
        pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "proton-mail", 1)
    assert _pledge_rows(db) == []


# --- attacks ----------------------------------------------------------------------------------


@pytest.fixture
def rivals(db: Database, crew: dict[str, int], today: date) -> dict[str, int]:
    """Another team, Quartier Gare (Éli, Fanny), both on Signal, Fanny pledged."""
    people = {name: household(db, name) for name in ("Éli", "Fanny")}
    team = membership.create_team(db, people["Éli"], "Quartier Gare")
    membership.join_team(db, people["Fanny"], team.invite_code)
    for member in people.values():
        plan(db, member, {"whatsapp": ["signal"]})
        check_in(db, member, 3, today, whatsapp="switched")
    captains.set_goal(db, people["Éli"], team.id, "whatsapp", "signal")
    pledges.make_pledge(db, people["Fanny"], team.id, "whatsapp", "signal", 5)
    return {**people, "team": team.id}


def test_a_household_cannot_pledge_in_another_team(
    db: Database, crew: dict[str, int], rivals: dict[str, int]
) -> None:
    before = _pledge_rows(db)
    with pytest.raises(NotFound):
        pledges.make_pledge(db, crew["Bao"], rivals["team"], "whatsapp", "signal", 1)
    with pytest.raises(NotFound):
        pledges.make_pledge(db, rivals["Fanny"], crew["team"], "whatsapp", "signal", 1)
    assert _pledge_rows(db) == before


def test_a_household_cannot_withdraw_or_close_another_households_pledge(
    db: Database, crew: dict[str, int], rivals: dict[str, int]
) -> None:
    with db.read() as session:
        fannys = session.scalar(select(TeamPledge.id).where(TeamPledge.household_id == rivals["Fanny"]))
    assert fannys is not None
    with pytest.raises(NotFound):
        pledges.withdraw_pledge(db, crew["Bao"], fannys)
    pledges.acknowledge_pledge(db, crew["Bao"], fannys)
    assert len(_pledge_rows(db)) == 1


def test_a_team_page_names_nobody_of_another_team(
    db: Database, crew: dict[str, int], rivals: dict[str, int], today: date
) -> None:
    _use(db, crew["Bao"], today, "signal")
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 2)
    board = _board(db, crew["Alix"], crew["team"], today)
    assert board.goals[0].on_alternative == ["Bao"]
    assert [(p.name, p.others_on) for p in board.pledges] == [("Dara", 1)]
    shown = repr(board)
    assert "Éli" not in shown
    assert "Fanny" not in shown
    with pytest.raises(NotFound), db.read() as session:
        team_board(session, crew["Bao"], rivals["team"], today)


def test_a_member_who_left_neither_counts_nor_keeps_a_live_pledge(
    db: Database, crew: dict[str, int], today: date
) -> None:
    _use(db, crew["Bao"], today, "signal")
    pledges.make_pledge(db, crew["Chloé"], crew["team"], "whatsapp", "signal", 2)
    membership.leave_team(db, crew["Bao"])
    board = _board(db, crew["Alix"], crew["team"], today)
    assert board.goals[0].on_alternative == []
    assert [p.others_on for p in board.pledges] == [0]


def test_a_flood_of_the_same_pledge_keeps_one_row_and_one_notice(
    db: Database, crew: dict[str, int], today: date
) -> None:
    _use(db, crew["Bao"], today, "signal")
    for _ in range(20):
        pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    at_once(lambda: pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1), times=6)
    assert len(_pledge_rows(db)) == 1
    assert len(_notices(db)) == 1


@pytest.mark.parametrize("threshold", [1, 3])
def test_concurrent_check_ins_trigger_a_pledge_once(
    db: Database, crew: dict[str, int], today: date, threshold: int
) -> None:
    """Threshold 1: each check-in alone reaches it; 3: only all three together (none may miss)."""
    pledges.make_pledge(db, crew["Alix"], crew["team"], "whatsapp", "signal", threshold)
    members = iter([crew["Bao"], crew["Chloé"], crew["Dara"]])
    at_once(lambda: _use(db, next(members), today, "signal"), times=3)
    assert len(_notices(db)) == 1
    assert _pledge_rows(db)[0][2] is not None


# --- GDPR -------------------------------------------------------------------------------------


def test_the_export_holds_the_households_pledges_and_erasure_removes_them(
    db: Database, crew: dict[str, int], today: date
) -> None:
    from challenge.households.rights import delete_account, export_account

    _use(db, crew["Bao"], today, "signal")
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    with db.read() as session:
        account_id = session.scalar(select(Household.account_id).where(Household.id == crew["Dara"]))
        assert account_id is not None
        [record] = export_account(session, account_id)["engagements"]
    assert (record["team"], record["service"], record["alternative"], record["threshold"]) == (
        "Rue des Lilas",
        "whatsapp",
        "signal",
        1,
    )
    assert record["triggered_at"] is not None
    delete_account(db, account_id, "SUPPRIMER")
    assert _pledge_rows(db) == []


def test_a_paused_household_neither_counts_nor_sees_its_pledge_trigger_until_it_consents_again(
    db: Database, crew: dict[str, int], today: date
) -> None:
    from challenge.households.rights import set_consent

    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    set_consent(db, crew["Dara"], given=False)
    _use(db, crew["Bao"], today, "signal")
    assert _pledge_rows(db)[0][2] is None
    set_consent(db, crew["Bao"], given=False)
    set_consent(db, crew["Dara"], given=True)
    _use(db, crew["Chloé"], today, "jami")
    assert _pledge_rows(db)[0][2] is None  # Bao paused: nobody on Signal counts
    set_consent(db, crew["Bao"], given=True)
    _use(db, crew["Chloé"], today, "jami")
    assert _pledge_rows(db)[0][2] is not None


@pytest.mark.parametrize(
    ("locale", "subject", "sentence"),
    [
        ("fr", "Votre engagement est déclenché : à vous de passer à Signal", "dès qu'un autre membre"),
        ("en", "Your pledge has triggered: your turn to switch to Signal", "as soon as one other member"),
    ],
)
def test_the_notice_is_written_in_the_pledgers_language(
    db: Database, crew: dict[str, int], today: date, locale: str, subject: str, sentence: str
) -> None:
    with db.write() as session:
        session.execute(update(Account).values(locale=locale))
    pledges.make_pledge(db, crew["Dara"], crew["team"], "whatsapp", "signal", 1)
    _use(db, crew["Bao"], today, "signal")
    with db.read() as session:
        [(title, body)] = session.execute(
            select(OutboxMessage.subject, OutboxMessage.body).where(OutboxMessage.kind == "pledge_triggered")
        ).all()
    assert title == subject
    assert sentence in body
    assert "WhatsApp" in body
