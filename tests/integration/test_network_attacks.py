"""Attacks sent over the network to the real app (`streamlit run app.py`), each one refused.

The server runs with an audit hook that records any connection it tries to open outside the
machine (tests/support/outgoing.py): the app must not call any third party, even when provoked.
"""

from __future__ import annotations

import csv
import io
import re
import select
import socket
import time
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import websockets
from sqlalchemy import select as select_
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.streamlit_client import PageRun, StreamlitTab
from challenge.accounts import sessions
from challenge.accounts.budgets import LOGIN_PER_CLIENT
from challenge.infra.config import Settings
from challenge.infra.db import Database
from challenge.models import OutboxMessage
from challenge.teams import membership
from devtools.forms import csrf_token
from devtools.servers import RunningServer, serve_app
from tests.conftest import PASSWORD, Member, make_member
from tests.support.autolinks import autolinks_in
from tests.support.concurrency import run_coroutine
from tests.support.outgoing import outgoing_attempts, watch_outgoing
from web.identity import SESSION_COOKIE, session_signer

COOKIE_SECRET = "network-attacks-test-only-secret-0123456789abcdef"
TIMEOUT_S = 30


@pytest.fixture(scope="module")
def watched(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    return watch_outgoing(tmp_path_factory.mktemp("outgoing"))


@pytest.fixture(scope="module")
def server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, watched: tuple[dict[str, str], Path]
) -> Iterator[RunningServer]:
    log = tmp_path_factory.mktemp("network-attacks") / "server.log"
    environment, _record = watched
    with serve_app(
        database_url, log, COOKIE_SECRET, STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", **environment
    ) as up:
        yield up


def _cookie(db: Database, account_id: int) -> str:
    token = sessions.open_session(db, account_id, timedelta(hours=1))
    signer = session_signer(Settings(database_url=db.url, cookie_secret=COOKIE_SECRET))
    return f"{SESSION_COOKIE}={signer.sign(token).decode()}"


def _stream(base: str) -> str:
    return "ws" + base.removeprefix("http") + "/_stcore/stream"


async def _upgrade_status(base: str, headers: dict[str, str]) -> int:
    """101 when the WebSocket opens, else the HTTP status the server answered."""
    try:
        async with websockets.connect(
            _stream(base),
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers=headers,
            open_timeout=TIMEOUT_S,
        ):
            return 101
    except websockets.InvalidStatus as refused:
        return int(refused.response.status_code)


def _other_port(base: str) -> str:
    host, port = base.rsplit(":", 1)
    return f"{host}:{int(port) + 1}"


# ---- 2. cross-site WebSocket hijacking, and no call to a third party -----------------------------


def test_websocket_from_another_port_of_the_same_host_is_refused(
    server: RunningServer, db: Database, member: Member
) -> None:
    cookie = _cookie(db, member.account_id)
    assert run_coroutine(_upgrade_status(server.base, {"Cookie": cookie, "Origin": server.base})) == 101
    for foreign in (_other_port(server.base), "http://127.0.0.1:1", "null", "http://evil.example"):
        status = run_coroutine(_upgrade_status(server.base, {"Cookie": cookie, "Origin": foreign}))
        assert status == 403, foreign


def test_a_foreign_origin_makes_the_server_call_no_one(
    server: RunningServer, watched: tuple[dict[str, str], Path]
) -> None:
    _environment, record = watched
    for foreign in ("http://evil.example", "http://10.1.2.3:8501", "http://localhost.evil.example"):
        assert run_coroutine(_upgrade_status(server.base, {"Origin": foreign})) == 403
    assert outgoing_attempts(record) == []  # nor at start-up


# ---- 3. log-in CSRF: a POST from another site is refused, whatever token it carries -------------


def _login_form(client: httpx.Client) -> dict[str, str]:
    return {
        "csrf": csrf_token(client.get("/connexion").text),
        "email": "colibri@exemple.fr",
        "password": PASSWORD,
    }


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling origin, the one that could set our cookies
        {"Origin": "{base}", "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_login_post_from_another_site_is_refused_even_with_a_valid_token(
    server: RunningServer, member: Member, headers: dict[str, str]
) -> None:
    sent = {name: value.format(base=_other_port(server.base)) for name, value in headers.items()}
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as client:
        answer = client.post("/connexion", data=_login_form(client), headers=sent, follow_redirects=False)
        assert answer.status_code == 403
        assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_a_login_post_from_our_own_page_still_logs_in(server: RunningServer, member: Member) -> None:
    own = {"Origin": server.base, "Sec-Fetch-Site": "same-origin"}
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as client:
        answer = client.post("/connexion", data=_login_form(client), headers=own, follow_redirects=False)
        assert answer.status_code == 303
        assert SESSION_COOKIE in answer.headers.get("set-cookie", "")


# ---- 1. a flood of log-ins does not freeze the server ---------------------------------------------

FLOOD = 12


def _raw_post(base: str, path: str, cookie: str, body: str) -> bytes:
    netloc = base.split("://", 1)[1]
    return (
        f"POST {path} HTTP/1.1\r\nHost: {netloc}\r\nCookie: {cookie}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body.encode())}\r\nConnection: close\r\n\r\n{body}"
    ).encode()


def _open(base: str) -> socket.socket:
    host, port = base.split("://", 1)[1].rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=TIMEOUT_S)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    sock.close()
    return b"".join(chunks)


def test_health_answers_while_a_flood_of_logins_is_still_being_hashed(
    server: RunningServer,
    db: Database,  # its failures are wiped afterwards
) -> None:
    """Every log-in request is in the server's hands before /healthz is asked; health must come
    back while most of them are still waiting for their hash (ordering, not timing)."""
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as client:
        token = csrf_token(client.get("/connexion").text)
    cookie = f"dzg_csrf={token}"
    logins = []
    for number in range(FLOOD):
        body = urlencode({"csrf": token, "email": f"nobody{number}@exemple.fr", "password": "wrong " * 3})
        sock = _open(server.base)
        sock.sendall(_raw_post(server.base, "/connexion", cookie, body))
        logins.append(sock)
    health = _open(server.base)
    health.sendall(
        f"GET /healthz HTTP/1.1\r\nHost: {server.base.split('://')[1]}\r\nConnection: close\r\n\r\n".encode()
    )
    assert _read_all(health).startswith(b"HTTP/1.1 200")
    answered, _, _ = select.select(logins, [], [], 0)
    statuses = [_read_all(sock).split(b" ", 2)[1] for sock in logins]
    assert statuses == [b"401"] * FLOOD  # real log-ins, each verified
    assert len(answered) <= FLOOD // 2, f"health waited for {len(answered)} of {FLOOD} log-ins"


# ---- 5. links injected for other users ------------------------------------------------------------

PHISHING_URL = "https://ok.example/)![x](http://evil.example/s.png)[Connexion](http://evil.example/p"
LINKY_NAME = "Voir https://evil.example/p www.evil.example a@evil.example"


def test_a_team_name_with_addresses_shows_no_link_on_the_leaderboard_and_team_pages(
    server: RunningServer, db: Database, member: Member
) -> None:
    membership.create_team(db, member.household_id, LINKY_NAME)

    async def pages() -> list[str]:
        async with StreamlitTab(server.base, _cookie(db, member.account_id), TIMEOUT_S) as tab:
            await tab.open("")
            return [text for path in ("classement", "collectif") for text in (await tab.open(path)).texts]

    texts = run_coroutine(pages())
    assert any("evil" in text for text in texts)  # the name is shown...
    assert [link for text in texts for link in autolinks_in(text)] == []  # ...as inert text


# ---- 9 (and 6). the data export: our own route, for the session's account, never cached -----------

FORMULA = '=HYPERLINK("http://evil.example","clic")'


def test_the_data_export_is_served_only_to_its_session_and_never_cached(
    server: RunningServer, db: Database, member: Member
) -> None:
    membership.create_team(db, member.household_id, FORMULA)
    cookie = _cookie(db, member.account_id)

    async def my_data_page() -> list[str]:
        async with StreamlitTab(server.base, cookie, TIMEOUT_S) as tab:
            await tab.open("")
            return (await tab.open("mes-donnees")).texts

    assert any("Mes données" in text for text in run_coroutine(my_data_page()))
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as client:
        for path in ("/mes-donnees/export.zip", "/mes-donnees/export.json"):
            assert client.get(path).status_code == 404  # no session, nothing
            assert client.get(path, headers={"Cookie": "dzg_session=forged"}).status_code == 404
            answer = client.get(path, headers={"Cookie": cookie})
            assert answer.status_code == 200
            assert answer.headers["cache-control"] == "no-store"
            assert answer.headers["content-disposition"].startswith("attachment;")
        exported = client.get("/mes-donnees/export.zip", headers={"Cookie": cookie}).content
    archive = zipfile.ZipFile(io.BytesIO(exported))
    cells = [
        cell
        for name in archive.namelist()
        for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")))
        for cell in row
    ]
    assert "'" + FORMULA in cells  # 6: the team name is text in a spreadsheet, not a formula
    assert FORMULA not in cells


# ---- 10. team codes cannot be guessed without limit --------------------------------------------------


def test_guessing_team_codes_is_stopped_after_ten_wrong_codes(
    server: RunningServer, db: Database, member: Member
) -> None:
    captain = make_member(db, "capitaine@exemple.fr", name="Capitaine")
    team = membership.create_team(db, captain.household_id, "Les Mésanges")
    guesses = [
        code for code in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE") * 2 if code != team.invite_code
    ]

    async def guess_all() -> list[PageRun]:
        async with StreamlitTab(server.base, _cookie(db, member.account_id), TIMEOUT_S) as tab:
            await tab.open("")
            runs = []
            for code in [*guesses, team.invite_code]:  # the right code last: too late
                shown = await tab.open("collectif")
                typed = WidgetState(id=shown.widgets["team_join_code"], string_value=code)
                pressed = WidgetState(id=shown.widgets["team_join"], trigger_value=True)
                runs.append(await tab.send("collectif", [typed, pressed]))
            return runs

    runs = run_coroutine(guess_all())
    assert all(any("invalide" in e or "inconnu" in e for e in run.alerts_of("ERROR")) for run in runs[:-1]), [
        r.alerts for r in runs
    ]
    assert any("Trop de tentatives" in error for error in runs[-1].alerts_of("ERROR")), runs[-1].alerts
    with db.read() as session:
        assert membership.live_enrolment(session, member.household_id).team_id is None


# ---- 7. spraying: a budget per client network, a known device never locked out -----------------------


def test_spraying_a_password_from_one_client_is_stopped_but_a_known_device_gets_in(
    server: RunningServer, member: Member
) -> None:
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as victim:
        assert victim.post("/connexion", data=_login_form(victim), follow_redirects=False).status_code == 303
        device = victim.cookies["dzg_device"]
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as sprayer:
        token = csrf_token(sprayer.get("/connexion").text)
        statuses = [
            sprayer.post(
                "/connexion",
                data={"csrf": token, "email": f"cible{number}@exemple.fr", "password": PASSWORD},
                follow_redirects=False,
            ).status_code
            for number in range(LOGIN_PER_CLIENT.limit + 1)
        ]
        assert statuses == [401] * LOGIN_PER_CLIENT.limit + [429]
        refused = sprayer.post("/connexion", data=_login_form(sprayer), follow_redirects=False)
        assert refused.status_code == 429  # the right password of a real account: not even checked
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S, cookies={"dzg_device": device}) as known:
        assert known.post("/connexion", data=_login_form(known), follow_redirects=False).status_code == 303


# ---- 7. enumeration: signing up with a known address answers as a new one ----------------------

_CSRF_FIELD = re.compile(r'name="csrf" value="[^"]+"')


def _sign_up_timed(base: str, email: str) -> tuple[httpx.Response, float]:
    """A fresh browser's sign-up (the form, then its post) and how long the post took."""
    with httpx.Client(base_url=base, timeout=TIMEOUT_S) as client:
        form = {"csrf": csrf_token(client.get("/inscription").text), "email": email}
        started = time.perf_counter()
        answer = client.post("/inscription", data={**form, "password": "un autre mot de passe solide"})
        return answer, time.perf_counter() - started


def _as_compared(answer: httpx.Response, email: str) -> tuple[int, list[tuple[str, str]], str]:
    """The answer less its per-browser tokens (CSRF, sign-up secret), its date and the address typed."""
    headers = [
        (name, value.split("=", 1)[0] + "=" + value.split(";", 1)[1] if name == "set-cookie" else value)
        for name, value in answer.headers.multi_items()
        if name not in {"date", "content-length"}
    ]
    return answer.status_code, headers, _CSRF_FIELD.sub("csrf", answer.text).replace(email, "<address>")


def test_signing_up_with_a_known_address_answers_as_a_new_one_and_mails_the_owner(
    server: RunningServer, db: Database, member: Member
) -> None:
    known, _ = _sign_up_timed(server.base, "colibri@exemple.fr")
    new, _ = _sign_up_timed(server.base, "mesange@exemple.fr")  # as long: the page echoes it
    assert known.status_code == 200
    assert _as_compared(known, "colibri@exemple.fr") == _as_compared(new, "mesange@exemple.fr")
    assert len(known.content) == len(new.content)
    for answer in (known, new):
        assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
        assert "dzg_device" not in answer.headers.get("set-cookie", "")
    with db.read() as session:
        mailed = session.execute(select_(OutboxMessage.to_address, OutboxMessage.kind)).all()
    assert set(mailed) == {
        ("colibri@exemple.fr", "signup_attempt"),
        ("mesange@exemple.fr", "confirm_address"),
    }


def test_behind_a_proxy_that_rewrites_host_the_public_origin_opens_the_websocket_without_calling_out(
    database_url: str, tmp_path: Path
) -> None:
    environment, record = watch_outgoing(tmp_path / "outgoing")
    public = "https://defi.example.test"
    with serve_app(
        database_url,
        tmp_path / "server.log",
        COOKIE_SECRET,
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
        DZG_PUBLIC_URL=public,
        STREAMLIT_SERVER_ALLOWED_HOSTS="localhost 127.0.0.1 defi.example.test",
        **environment,
    ) as proxied:
        assert run_coroutine(_upgrade_status(proxied.base, {"Origin": public})) == 101
        assert run_coroutine(_upgrade_status(proxied.base, {"Origin": "https://evil.example.test"})) == 403
    assert outgoing_attempts(record) == []
