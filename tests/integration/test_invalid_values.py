"""Whatever a client sends for a widget, the household's value is stored exactly or refused in French.

A modified client (or a widget bug) can send any value of any type over Streamlit's WebSocket:
a negative amount, NaN, infinity, a fraction of an object, a status that is not one, a megabyte
of text, a number where a radio button expects a label. Each is sent here to the real app
(`streamlit run app.py`) by a protocol-level client, as the submit of the page's form; the page
must answer with a French error naming the field, never a confirmation, and the database must
be exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.streamlit_client import PageRun, StreamlitTab
from challenge.accounts import credentials, sessions
from challenge.editions.calendar import EditionView
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import Checkin, Household
from devtools.servers import RunningServer, serve_app
from tests.conftest import PASSWORD, Member
from tests.support.concurrency import run_coroutine
from web.identity import SESSION_COOKIE, session_signer

COOKIE_SECRET = "invalid-values-test-only-secret-0123456789abcdef"
TIMEOUT_S = 60  # only against a hang: every run here takes well under a second
MEGABYTE = "x" * 1_000_000
NAN, INF = float("nan"), float("inf")
TRIED = "Essayé Label Emmaüs ou Tipimi"  # the answer as the page words it, naming the choice


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The real app on this backend's test database, for the whole module."""
    log = tmp_path_factory.mktemp("invalid-values") / "server.log"
    with serve_app(database_url, log, COOKIE_SECRET, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none") as running:
        yield running


def _cookie(db: Database, account_id: int) -> str:
    token = sessions.open_session(db, account_id, timedelta(hours=1))
    signer = session_signer(Settings(database_url=db.url, cookie_secret=COOKIE_SECRET))
    return f"{SESSION_COOKIE}={signer.sign(token).decode()}"


def _state(widget_id: str, **value: Any) -> WidgetState:
    state = WidgetState(id=widget_id)
    for field, content in value.items():
        setattr(state, field, content)
    return state


async def _submit(base: str, cookie: str, path: str, button: str, sent: dict[str, dict[str, Any]]) -> PageRun:
    """Open the page as a browser tab does, then submit its form with `sent` (widget key → value)
    in place of what the widgets show."""
    async with StreamlitTab(base, cookie, TIMEOUT_S) as tab:
        await tab.open("")
        shown = await tab.open(path)
        states = [_state(shown.widgets[key], **value) for key, value in sent.items()]
        return await tab.send(path, [*states, _state(shown.buttons[button], trigger_value=True)])


def _refused_in_french(run: PageRun, names: str) -> None:
    errors = run.alerts_of("ERROR")
    assert any(names in error for error in errors), (run.alerts, run.errors)
    assert not run.alerts_of("SUCCESS"), run.alerts  # no confirmation of anything
    assert not run.errors  # no traceback
    assert all(len(error) < 300 for error in errors)  # what was sent is not echoed back


# ---- the weekly check-in ---------------------------------------------------------------------


@pytest.fixture
def checked_in(db: Database, member: Member, edition: EditionView, today: date) -> Member:
    """A household of Lille that declared Amazon and already checked in this week (week 3)."""
    save_service_plan(db, member.household_id, {"amazon": ["label-emmaus", "tipimi"]})
    record_checkin(
        db, member.household_id, 3, [CheckinEntry("amazon", "tried", euros=12.5, objects=1)], today
    )
    return member


def _checkins(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        rows = session.execute(
            select(Checkin.week, Checkin.status, Checkin.km, Checkin.euros, Checkin.objects)
        )
        return [tuple(row) for row in rows]


EUROS, OBJECTS = "Euros dépensés localement pour Amazon", "Objets empruntés pour Amazon"


@pytest.mark.parametrize(
    ("key", "value", "names"),
    [
        ("checkin_euros_amazon_3", {"string_value": "-5"}, EUROS),
        ("checkin_euros_amazon_3", {"string_value": "NaN"}, EUROS),
        ("checkin_euros_amazon_3", {"double_value": NAN}, EUROS),
        ("checkin_euros_amazon_3", {"string_value": "inf"}, EUROS),
        ("checkin_euros_amazon_3", {"double_value": INF}, EUROS),
        ("checkin_euros_amazon_3", {"string_value": "50 000,01"}, EUROS),
        ("checkin_objects_amazon_3", {"string_value": "2,7"}, OBJECTS),
        ("checkin_objects_amazon_3", {"double_value": 2.7}, OBJECTS),
        ("checkin_objects_amazon_3", {"string_value": "NaN"}, OBJECTS),
        ("checkin_objects_amazon_3", {"double_value": INF}, OBJECTS),
        ("checkin_status_amazon_3", {"string_value": "bogus"}, "Amazon"),
        ("checkin_status_amazon_3", {"string_value": MEGABYTE}, "Amazon"),
        ("checkin_status_amazon_3", {"int_value": 2}, "Amazon"),  # not even a label
        ("checkin_week", {"int_value": 3}, "« Semaine »"),  # a radio button sent a number
        ("checkin_week", {"bool_value": True}, "« Semaine »"),
    ],
)
def test_an_invalid_check_in_value_is_refused_and_nothing_changes(
    server: RunningServer, db: Database, checked_in: Member, key: str, value: dict[str, Any], names: str
) -> None:
    before = _checkins(db)
    run = run_coroutine(
        _submit(
            server.base, _cookie(db, checked_in.account_id), "bilan", "Mettre à jour mon bilan", {key: value}
        )
    )
    _refused_in_french(run, names)
    assert _checkins(db) == before


def test_a_check_in_is_stored_exactly_as_sent(
    server: RunningServer, db: Database, checked_in: Member
) -> None:
    sent = {
        "checkin_status_amazon_3": {"string_value": TRIED},
        "checkin_euros_amazon_3": {"string_value": "35,50"},
        "checkin_objects_amazon_3": {"string_value": "3"},
    }
    cookie = _cookie(db, checked_in.account_id)
    run = run_coroutine(_submit(server.base, cookie, "bilan", "Mettre à jour mon bilan", sent))
    assert any("Bilan de la semaine 3 enregistré" in shown for shown in run.alerts_of("SUCCESS")), run.alerts
    assert _checkins(db) == [(3, "tried", None, 35.5, 3)]


# ---- onboarding and the household's corrections ------------------------------------------------


def _household(db: Database) -> list[tuple[Any, ...]]:
    with db.read() as session:
        return [
            tuple(row)
            for row in session.execute(select(Household.name, Household.size, Household.commune_code))
        ]


@pytest.mark.parametrize(
    ("sent", "names"),
    [
        ({"onboarding_name": {"string_value": "N" * 1_000_000}}, "ne peut dépasser 60 caractères"),
        ({"onboarding_name": {"string_value": "N" * 61}}, "ne peut dépasser 60 caractères"),
        ({"onboarding_size": {"string_value": "500"}}, "taille du foyer"),
        ({"onboarding_size": {"int_value": 500}}, "taille du foyer"),
        ({"onboarding_size": {"double_value": 2.5}}, "taille du foyer"),
    ],
)
def test_an_invalid_onboarding_value_is_refused_and_nothing_is_written(
    server: RunningServer, db: Database, edition: EditionView, sent: dict[str, dict[str, Any]], names: str
) -> None:
    account = credentials.sign_up(db, "nouveau@exemple.fr", PASSWORD)
    valid = {
        "onboarding_name": {"string_value": "Les Colibris"},
        "onboarding_commune_query": {"string_value": "lille"},  # the best match is chosen
        "onboarding_consent": {"bool_value": True},
    }
    run = run_coroutine(
        _submit(server.base, _cookie(db, account.id), "", "Rejoindre le défi", {**valid, **sent})
    )
    _refused_in_french(run, names)
    assert _household(db) == []


@pytest.mark.parametrize(
    ("sent", "names"),
    [
        ({"my_data_name": {"string_value": MEGABYTE}}, "ne peut dépasser 60 caractères"),
        ({"my_data_size": {"string_value": "500"}}, "taille du foyer"),
        ({"my_data_size": {"double_value": 2.5}}, "taille du foyer"),
        ({"my_data_size": {"double_value": NAN}}, "taille du foyer"),
    ],
)
def test_an_invalid_correction_is_refused_and_nothing_changes(
    server: RunningServer, db: Database, member: Member, sent: dict[str, dict[str, Any]], names: str
) -> None:
    before = _household(db)
    cookie = _cookie(db, member.account_id)
    run = run_coroutine(_submit(server.base, cookie, "mes-donnees", "Enregistrer les corrections", sent))
    _refused_in_french(run, names)
    assert _household(db) == before
