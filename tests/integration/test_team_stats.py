"""What a collective sees of itself and of the other collectives, computed from real rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, insert

from challenge.charts import teams as team_charts
from challenge.core.errors import ValidationError
from challenge.editions.calendar import EditionView
from challenge.households.badges import badges_of, team_goals_of
from challenge.households.progress import household_progress
from challenge.households.rights import set_consent
from challenge.infra.db import Database
from challenge.models import Enrolment, TeamGoal
from challenge.teams import captains, membership
from challenge.teams.captains import captain_view
from challenge.teams.leaderboard import leaderboard, leaderboard_areas
from challenge.teams.places import territory_choices
from challenge.teams.stats import TeamBoard, team_board
from tests.conftest import AMIENS, LILLE
from tests.integration.team_helpers import check_in, household, plan

ARRAS, ARRAS_EPCI, MEL = "62041", "200033579", "200093201"


@pytest.fixture
def crew(db: Database, edition: EditionView, today: date) -> dict[str, int]:
    """Rue des Lilas: a captain well on the way, a member who tried, a newcomer with no plan yet."""
    people = {name: household(db, name) for name in ("Capitaine", "Membre", "Nouveau")}
    team = membership.create_team(db, people["Capitaine"], "Rue des Lilas")
    for name in ("Membre", "Nouveau"):
        membership.join_team(db, people[name], team.invite_code)
    plan(db, people["Capitaine"], {"gmail": ["proton-mail"], "whatsapp": ["signal"]})
    plan(db, people["Membre"], {"whatsapp": ["signal"]})
    check_in(db, people["Capitaine"], 2, today, gmail="switched")
    check_in(db, people["Capitaine"], 3, today, gmail="switched", whatsapp="mostly")
    check_in(db, people["Membre"], 2, today, whatsapp="tried")
    return {**people, "team": team.id}


def _board(db: Database, viewer: int, team: int, today: date) -> TeamBoard:
    with db.read() as session:
        return team_board(session, viewer, team, today)


def test_team_board_shows_participation_average_score_and_streak(
    db: Database, crew: dict[str, int], today: date
) -> None:
    board = _board(db, crew["Membre"], crew["team"], today)
    assert board.week == 3
    assert [(m.name, m.is_captain, m.checked_in, m.is_you) for m in board.members] == [
        ("Capitaine", True, True, False),
        ("Membre", False, False, True),
        ("Nouveau", False, False, False),
    ]
    assert (board.checked_in, board.participation) == (1, 33.3)
    assert board.score == 37.5  # (87.5 + 25 + 0) / 3: each household counts the same
    assert board.switched == 1
    assert board.streak == 1  # week 2 had 2 of 3 members at the check-in, week 3 only 1 so far
    assert [(w.week, w.score, w.checked_in) for w in board.weekly] == [
        (1, 0.0, 0),
        (2, 25.0, 2),
        (3, 37.5, 1),
    ]
    assert board.by_category == [("Messagerie électronique", 1)]
    assert board.top_alternatives == [("Signal", 2, 0), ("Proton Mail", 1, 1)]
    assert not board.you_are_captain
    assert board.has_captain


def test_the_chart_sentence_says_what_the_chart_shows(
    db: Database, crew: dict[str, int], today: date
) -> None:
    board = _board(db, crew["Capitaine"], crew["team"], today)
    sentence = team_charts.describe(board)
    assert "de 0 % à 38 %" in sentence
    assert "1 foyer sur 3 a fait le bilan" in sentence
    assert "messagerie électronique" in sentence
    assert list(team_charts.weekly_table(board)["Foyers au bilan"]) == [0, 2, 1]
    assert team_charts.score_by_week(board).to_dict()["mark"]["type"] == "line"
    layers = team_charts.switches_by_category(board).to_dict()["layer"]  # name above each bar
    assert "bar" in {layer["mark"]["type"] for layer in layers}


def test_a_shared_goal_counts_users_switchers_and_who_uses_its_alternative(
    db: Database, crew: dict[str, int], today: date
) -> None:
    captains.set_goal(db, crew["Capitaine"], crew["team"], "whatsapp", "signal")
    captains.set_goal(db, crew["Capitaine"], crew["team"], "gmail", "proton-mail")
    with db.write() as session:  # a goal set before goals had to name their alternative
        session.execute(insert(TeamGoal).values(team_id=crew["team"], service_slug="uber"))
    check_in(db, crew["Membre"], 3, today, whatsapp="switched")
    goals = _board(db, crew["Nouveau"], crew["team"], today).goals
    assert [
        (g.service_name, g.alternative_name, g.declared, g.switched, g.on_alternative) for g in goals
    ] == [
        ("WhatsApp", "Signal", 2, 1, ["Capitaine", "Membre"]),
        ("Gmail", "Proton Mail", 1, 1, ["Capitaine"]),
        ("Uber", None, 0, 0, []),
    ]


def test_a_members_badges_read_the_same_goal_counts_as_the_team_page(
    db: Database, crew: dict[str, int], today: date
) -> None:
    captains.set_goal(db, crew["Capitaine"], crew["team"], "whatsapp", "signal")
    captains.set_goal(db, crew["Capitaine"], crew["team"], "gmail", "proton-mail")
    alone = household(db, "Sans collectif")
    with db.read() as session:
        assert [(g.service_slug, g.declared, g.switched) for g in team_goals_of(session, crew["Membre"])] == [
            ("whatsapp", 2, 0),
            ("gmail", 1, 1),  # the captain left Gmail: the goal is reached
        ]
        assert team_goals_of(session, alone) == []
    check_in(db, crew["Membre"], 3, today, whatsapp="switched")
    check_in(db, crew["Capitaine"], 3, today, gmail="switched", whatsapp="switched")
    board = _board(db, crew["Membre"], crew["team"], today)
    with db.read() as session:
        counts = team_goals_of(session, crew["Membre"])
    assert [(g.service_slug, g.declared, g.switched) for g in counts] == [
        (g.service_slug, g.declared, g.switched) for g in board.goals
    ]
    with db.read() as session:
        progress = household_progress(session, crew["Membre"], today)
    [badge] = [b for b in badges_of(progress, counts) if b.key == "team_goal"]
    assert (badge.earned, badge.progress) == (True, "2 / 2")


def test_a_member_who_withdrew_consent_is_paused_and_not_counted(
    db: Database, crew: dict[str, int], today: date
) -> None:
    set_consent(db, crew["Capitaine"], given=False)
    board = _board(db, crew["Membre"], crew["team"], today)
    assert [m.name for m in board.members] == ["Membre", "Nouveau"]
    assert (board.paused, board.score, board.checked_in) == (1, 12.5, 0)


def test_the_captain_sees_who_has_not_checked_in_and_a_reminder_naming_nobody(
    db: Database, crew: dict[str, int], today: date
) -> None:
    with db.read() as session:
        board = team_board(session, crew["Capitaine"], crew["team"], today)
        tools = captain_view(session, crew["Capitaine"], board, "https://defi.example.fr/")
    assert tools.missing == ["Membre", "Nouveau"]
    assert "« Rue des Lilas »" in tools.reminder
    assert "semaine 3" in tools.reminder
    assert "https://defi.example.fr/bilan" in tools.reminder
    assert "Déjà 1 foyer sur 3 l'a fait." in tools.reminder
    assert "Membre" not in tools.reminder
    assert [m.name for m in tools.others] == ["Membre", "Nouveau"]
    assert tools.invite_active


def test_territory_choices_are_the_households_own(db: Database, edition: EditionView) -> None:
    with db.read() as session:
        choices = territory_choices(session, household(db, "Les Colibris"))
    assert choices == [
        ("commune", "Commune : Lille"),
        ("epci", "Intercommunalité : Métropole Européenne de Lille"),
        ("departement", "Département : Nord (59)"),
    ]


# --- the leaderboard -------------------------------------------------------------------------


def _team(db: Database, name: str, commune: str, level: str, size: int) -> list[int]:
    people = [household(db, f"{name} {i}", commune) for i in range(size)]
    team = membership.create_team(db, people[0], name, territory_level=level)
    for person in people[1:]:
        membership.join_team(db, person, team.invite_code)
    for person in people:
        plan(db, person, {"gmail": []})
    return people


@pytest.fixture
def league(db: Database, edition: EditionView, today: date) -> dict[str, list[int]]:
    """Three teams in three départements; two tie on score, the third is too small to rank."""
    lilas = _team(db, "Rue des Lilas", LILLE, "commune", 3)
    gare = _team(db, "Quartier Gare", AMIENS, "departement", 3)
    beffroi = _team(db, "Beffroi", ARRAS, "epci", 2)
    check_in(db, lilas[0], 3, today, gmail="switched")  # 33.3 %, 1 of 3 this week
    check_in(db, gare[0], 2, today, gmail="switched")  # 33.3 %, 2 of 3 this week
    check_in(db, gare[1], 3, today, gmail="still")
    check_in(db, gare[2], 3, today, gmail="still")
    check_in(db, beffroi[0], 3, today, gmail="switched")
    return {"lilas": lilas, "gare": gare, "beffroi": beffroi}


def test_leaderboard_ranks_by_services_replaced_per_household_then_participation_then_name(
    db: Database, league: dict[str, list[int]], today: date
) -> None:
    with db.read() as session:
        board = leaderboard(session, league["lilas"][1], today)
    rows = [(s.rank, s.name, s.members, s.switches, s.participation, s.is_yours) for s in board.standings]
    # 3 switches over 8 households: each team blended with 8 households at 0.375 → (1 + 3) / 11
    assert rows == [
        (1, "Quartier Gare", 3, 0.36, 66.7, False),
        (2, "Rue des Lilas", 3, 0.36, 33.3, True),
        (None, "Beffroi", 2, None, None, False),  # listed, flagged, no figure about its 2 households
    ]
    assert board.standings[2].is_small
    assert "Beffroi 0" not in repr(board)  # aggregates only: no member anywhere


def test_leaderboard_breaks_full_ties_alphabetically(db: Database, edition: EditionView, today: date) -> None:
    for name in ("Zèbres", "Écureuils", "Abeilles"):
        _team(db, name, LILLE, "commune", 3)
    with db.read() as session:
        viewer = household(db, "Curieux")
        names = [s.name for s in leaderboard(session, viewer, today).standings]
    assert names == ["Abeilles", "Écureuils", "Zèbres"]


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (("departement", "59"), ["Rue des Lilas"]),
        (("epci", MEL), ["Rue des Lilas"]),
        (("departement", "80"), ["Quartier Gare"]),
        (("departement", "62"), ["Beffroi"]),
        (("epci", ARRAS_EPCI), ["Beffroi"]),
        (("epci", "248000531"), []),  # Amiens' EPCI: the Gare team plays in the whole Somme
    ],
)
def test_leaderboard_within_a_departement_or_an_epci(
    db: Database, league: dict[str, list[int]], today: date, area: tuple[str, str], expected: list[str]
) -> None:
    with db.read() as session:
        board = leaderboard(session, league["gare"][0], today, area)
    assert [s.name for s in board.standings] == expected


def test_leaderboard_areas_are_where_the_teams_are(db: Database, league: dict[str, list[int]]) -> None:
    with db.read() as session:
        areas = leaderboard_areas(session, league["beffroi"][1])
    assert [(level, code) for level, code, _ in areas] == [
        ("departement", "59"),
        ("departement", "62"),
        ("departement", "80"),
        ("epci", ARRAS_EPCI),
        ("epci", MEL),
    ]
    assert areas[0][2] == "Nord (59)"


def test_leaderboard_needs_an_enrolled_household(
    db: Database, league: dict[str, list[int]], today: date
) -> None:
    with db.write() as session:
        session.execute(delete(Enrolment).where(Enrolment.household_id == league["lilas"][2]))
    with db.read() as session, pytest.raises(ValidationError, match="aucune édition en cours"):
        leaderboard(session, league["lilas"][2], today)


def test_the_first_week_sentence_compares_nothing(db: Database, crew: dict[str, int], today: date) -> None:
    from dataclasses import replace

    board = _board(db, crew["Capitaine"], crew["team"], today)
    first_week = replace(board, weekly=board.weekly[-1:])
    sentence = team_charts.describe(first_week)
    assert sentence.startswith("Semaine 3 : le score moyen des membres actuels est de 38 %")
    assert "De la semaine 3 à la semaine 3" not in sentence
