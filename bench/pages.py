"""Per-page, per-role script-run timings on a benchmark dataset, with floors measured alongside.

    python -m bench.pages --scale S --db sqlite       # generates the dataset if missing
    python -m bench.pages --scale L --db postgresql --memory

Harness: Streamlit's AppTest, in process: one timed run is one script run of the page (the frame
of streamlit_app.py and the page), server side, as a logged-in person of that role. "cold" runs
clear the data caches first (st.cache_data and the secrecy memo; the territory tree, built once
per process at start, is kept); "warm" runs are repeated runs with the caches filled. Measured in
the same run: the framework floor (a trivial Streamlit script in the same harness) and the data
floor of each page (the cheapest queries giving its figures: reading the aggregate rows, or the
household's own rows). Figures go to bench/results/<scale>-<db>.json; bench/report.py writes
them into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics as stats
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bench import dataset
from challenge.accounts import sessions as accounts
from challenge.counts import reads
from challenge.infra.db import Database
from challenge.models import Account, Edition
from challenge.statistics import participation as challenge_statistics

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = str(ROOT / "streamlit_app.py")
RESULTS = ROOT / "bench" / "results"
POSTGRES_SERVER = os.environ.get(
    "DZG_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
# label, who, page file, data floor
PAGES: list[tuple[str, str, str, str]] = [
    ("home (visitor)", "visitor", "pages/home.py", "counters"),
    ("catalogue (visitor)", "visitor", "pages/catalogue.py", "none"),
    ("results (visitor)", "visitor", "pages/results.py", "dashboard"),
    ("progress (household)", "household", "pages/progress.py", "household"),
    ("check-in (household)", "household", "pages/checkin.py", "household"),
    ("team (household)", "household", "pages/team.py", "team"),
    ("leaderboard (household)", "household", "pages/teams.py", "leaderboard"),
    ("dashboard commune (council)", "commune", "pages/dashboard.py", "dashboard"),
    ("dashboard EPCI (council)", "epci", "pages/dashboard.py", "dashboard"),
    ("dashboard département (council)", "departement", "pages/dashboard.py", "dashboard"),
    ("dashboard région (organiser)", "organiser", "pages/dashboard.py", "dashboard"),
    ("console (organiser)", "organiser", "pages/console.py", "none"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"p50": round(stats.median(ms), 1), "p95": round(percentile(ms, 0.95), 1), "n": len(ms)}


def clear_data_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    challenge_statistics._PROTECTED.clear()


def database_url(scale: str, db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{ROOT / 'var' / f'bench-{scale.lower()}.sqlite3'}"
    return POSTGRES_SERVER.rsplit("/", 1)[0] + f"/dzg_bench_{scale.lower()}"


def ensure_dataset(url: str, scale: str) -> dict[str, Any] | None:
    """Generate the dataset unless it is there already; returns the generation report."""
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
        name = url.rsplit("/", 1)[1]
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        if exists and _has_bench_edition(url):
            return None
    elif Path(url.removeprefix("sqlite:///")).exists() and _has_bench_edition(url):
        return None
    report = dataset.generate(url, dataset.SCALES[scale])
    return {
        "households": report.households,
        "checkins": report.checkins,
        "teams": report.teams,
        "seconds": report.seconds,
    }


def _has_bench_edition(url: str) -> bool:
    db = Database(url)
    try:
        with db.read() as session:
            return (
                session.scalar(select(Account.id).where(Account.email == f"organiser@{dataset.DOMAIN}"))
                is not None
            )
    except Exception:
        return False
    finally:
        db.dispose()


def sessions(db: Database) -> dict[str, str | None]:
    """A session hash for each role the pages are opened as."""
    emails = {"household": f"foyer-000000@{dataset.DOMAIN}"} | {
        name: f"{name}@{dataset.DOMAIN}" for name in dataset.STAFF
    }
    with db.read() as session:
        ids = dict(
            session.execute(select(Account.email, Account.id).where(Account.email.in_(emails.values()))).all()
        )
    hashes: dict[str, str | None] = {"visitor": None}
    for role, email in emails.items():
        hashes[role] = accounts.hash_token(accounts.open_session(db, ids[email], timedelta(hours=6)))
    return hashes


def _app(who: str | None) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(SCRIPT, default_timeout=120)
    at.user = {"session": who} if who else {}
    return at


def time_page(session_hash: str | None, page: str, runs: int, cold: bool) -> tuple[list[float], str | None]:
    """Seconds of each script run of `page` (after one untimed run that opens it)."""
    at = _app(session_hash)
    at.run()
    at.switch_page(page).run()
    if at.exception:
        return [], str(at.exception[0].value)[:200]
    timings = []
    for _ in range(runs):
        if cold:
            clear_data_caches()
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
    return timings, None


def framework_floor(runs: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string("import streamlit as st\nst.title('Plancher')\nst.write('ok')")
    at.run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - started)
    return timings


def data_floor(db: Database, kind: str, runs: int) -> list[float]:
    """The cheapest queries giving a page's figures, timed the same way."""
    with db.read() as session:
        edition = session.scalars(select(Edition).order_by(Edition.id.desc())).first()
        assert edition is not None
        team_id = 1
        week = min(edition.weeks, max(1, (date.today() - edition.start_date).days // 7 + 1))

    def query() -> None:
        with db.read() as session:
            _floor_queries(session, kind, edition.id, team_id, week)

    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        query()
        timings.append(time.perf_counter() - started)
    return timings


def _floor_queries(session: Any, kind: str, edition_id: int, team_id: int, week: int) -> None:
    from challenge.households.checkins import checkins_of

    if kind == "dashboard":
        reads.registered_by_week(session, edition_id)
        reads.active_in_span(session, edition_id, 1, week)
        reads.by_commune(session, edition_id, "switched", week)
        reads.weekly_by_commune(session, edition_id, "active", range(1, week + 1))
        reads.items_as_of(session, edition_id, week, None)
        reads.quantity_totals(session, edition_id, 1, week, None)
    elif kind == "counters":
        reads.registered_by_week(session, edition_id)
        reads.items_as_of(session, edition_id, week, None)
    elif kind == "team":
        reads.team_counts(session, edition_id, team_id)
    elif kind == "leaderboard":
        for measure in ("members", "score", "checked"):
            reads.teams_measure(session, edition_id, measure, 0)
    elif kind == "household":
        checkins_of(session, 1, edition_id)


def checkin_latency(db: Database, count: int) -> list[float]:
    """Commit latency of record_checkin (validation, upsert, aggregates) for random households."""
    import random

    from challenge.households.checkins import CheckinEntry, record_checkin
    from challenge.households.profile import service_plan

    rng = random.Random(7)
    with db.read() as session:
        households = rng.sample(range(2, 2000), k=count)
        plans = {h: list(service_plan(session, h)) for h in households}
    timings = []
    for household in households:
        entries = [
            CheckinEntry(s, rng.choice(("switched", "mostly", "tried", "still"))) for s in plans[household]
        ]
        started = time.perf_counter()
        record_checkin(db, household, _current_week(db), entries, date.today())
        timings.append(time.perf_counter() - started)
    return timings


def _current_week(db: Database) -> int:
    with db.read() as session:
        start = session.scalar(select(Edition.start_date).order_by(Edition.id.desc()))
    assert start is not None
    return (date.today() - start).days // 7 + 1


def time_opendata(db: Database, runs: int, cold: bool) -> list[float]:
    """GET /donnees-ouvertes/territoires.csv through the route (web.opendata_routes.OpenData, on
    Starlette's test client: no socket). Cold: a new route (an empty file cache, as after a
    start-up or a change of the edition's figures) and no memoised protection; warm: the same
    route again, the edition unchanged (it reads the generation, then serves the kept files)."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from challenge.infra.config import Settings
    from web.opendata_routes import OpenData

    settings = Settings(database_url=db.url, cookie_secret="b" * 40)
    route = OpenData(lambda: db, settings)
    timings = []
    for _ in range(runs):
        if cold:
            challenge_statistics._PROTECTED.clear()
            route = OpenData(lambda: db, settings)
        with TestClient(Starlette(routes=route.routes())) as client:
            started = time.perf_counter()
            response = client.get("/donnees-ouvertes/territoires.csv")
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text[:200]
    return timings


def run_pages(db: Database, runs: int, only: str | None) -> dict[str, Any]:
    hashes = sessions(db)
    results: dict[str, Any] = {}
    for label, who, page, floor in PAGES:
        if only and only not in label:
            continue
        if not (ROOT / page).exists():
            results[label] = {"error": "page absent"}
            continue
        cold, error = time_page(hashes[who], page, max(3, runs // 2), cold=True)
        warm, _ = time_page(hashes[who], page, runs, cold=False) if not error else ([], None)
        entry: dict[str, Any] = {"error": error} if error else {"cold": summary(cold), "warm": summary(warm)}
        if floor != "none":
            entry["data_floor"] = summary(data_floor(db, floor, runs))
        results[label] = entry
        print(f"{label:38} {entry}", flush=True)
    if not only or only in "open data":
        results["open data (route, territoires.csv)"] = {
            "cold": summary(time_opendata(db, max(3, runs // 2), cold=True)),
            "warm": summary(time_opendata(db, runs, cold=False)),
            "data_floor": summary(data_floor(db, "dashboard", runs)),
        }
        print("open data", results["open data (route, territoires.csv)"], flush=True)
    return results


def idle_memory(url: str, sessions_count: int) -> dict[str, Any]:
    """RSS of one app process (`streamlit run app.py`) holding `sessions_count` idle logged-in tabs."""
    import asyncio
    import contextlib
    import secrets
    import tempfile

    from bench.households import minted_cookies
    from bench.load import rss_kib
    from bench.streamlit_client import StreamlitTab
    from devtools.servers import serve_app
    from web.identity import SESSION_COOKIE

    secret = secrets.token_urlsafe(32)
    emails = [f"foyer-{i:06d}@{dataset.DOMAIN}" for i in range(1, sessions_count + 1)]
    cookies = minted_cookies(url, secret, emails)

    async def hold(base: str, pid: int) -> dict[str, Any]:
        async with contextlib.AsyncExitStack() as stack:
            first = await stack.enter_async_context(StreamlitTab(base, f"{SESSION_COOKIE}={cookies[0]}", 120))
            await first.open()
            after_one = rss_kib(pid)
            for cookie in cookies[1:]:
                tab = await stack.enter_async_context(StreamlitTab(base, f"{SESSION_COOKIE}={cookie}", 120))
                await tab.open()
            await asyncio.sleep(5)
            return {"rss_mib_one_session": round(after_one / 1024), "rss_mib": round(rss_kib(pid) / 1024)}

    with (
        tempfile.TemporaryDirectory() as folder,
        serve_app(url, Path(folder) / "server.log", secret) as server,
    ):
        measured = asyncio.run(hold(server.base, server.pid))
    return {"sessions": sessions_count, **measured}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=dataset.SCALES, default="S")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=12, help="warm runs per page (cold: half)")
    parser.add_argument("--checkins", type=int, default=100)
    parser.add_argument("--memory", action="store_true", help="also measure 100 idle sessions (slow)")
    parser.add_argument("--only", help="only the pages whose label contains this")
    args = parser.parse_args()
    url = database_url(args.scale, args.db)
    started = time.perf_counter()
    generation = ensure_dataset(url, args.scale)
    os.environ["DATABASE_URL"] = url
    db = Database(url)
    result: dict[str, Any] = {
        "scale": args.scale,
        "db": args.db,
        "households": dataset.SCALES[args.scale],
        "date": date.today().isoformat(),
        "machine": f"{os.cpu_count()} CPU, Python {platform.python_version()}",
        "generation": generation,
        "framework_floor": summary(framework_floor(args.runs * 2)),
    }
    print("framework floor", result["framework_floor"], flush=True)
    result["pages"] = run_pages(db, args.runs, args.only)
    result["checkin_commit"] = summary(checkin_latency(db, args.checkins))
    print("check-in commit", result["checkin_commit"], flush=True)
    db.dispose()
    if args.memory:
        result["memory"] = idle_memory(url, 100)
        print("memory", result["memory"], flush=True)
    result["seconds"] = round(time.perf_counter() - started)
    result["load_average"] = [round(v, 1) for v in os.getloadavg()]  # a noisy, shared machine shows here
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{args.scale}-{args.db}.json"
    if args.only and path.exists():  # a partial run updates the pages it measured
        previous = json.loads(path.read_text())
        result["pages"] = {**previous.get("pages", {}), **result["pages"]}
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    from bench.report import write_results

    write_results()


if __name__ == "__main__":
    main()
