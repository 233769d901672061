"""The weekly journey of one household, timed, and what a run of sessions measured."""

from __future__ import annotations

import asyncio
import re
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.streamlit_client import PageRun, StreamlitTab
from web.identity import SESSION_COOKIE

INTERACTION_TIMEOUT_MS = 120_000
SAME_ANSWERS = "Mêmes réponses que la dernière fois"
SUBMIT_LABELS = ("Enregistrer mon bilan", "Mettre à jour mon bilan")
SAVED = re.compile(r"Bilan de la semaine \d+ enregistré")
PROGRESS_SHOWN = "Où en est chaque service ?"  # the last section of "Mon défi"
STATUS_KEY = "checkin_status_"  # the key of each service's answer: checkin_status_<service>_<week>
T = TypeVar("T")


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    sessions_held: int = 0
    rss_kib: list[int] = field(default_factory=list)
    rss_at_s: list[float] = field(default_factory=list)  # when each RSS sample was taken, from the start
    load_average: tuple[float, float] = (0.0, 0.0)
    server_cpu_s: float = 0.0  # CPU time the server spent during the measured run
    started_at: float = 0.0  # time.monotonic() when the sessions started arriving
    done_at: list[float] = field(default_factory=list)  # time.monotonic() at the end of each interaction

    def record(self, name: str, seconds: float) -> None:
        self.latencies[name].append(seconds)
        self.done_at.append(time.monotonic())

    def steady_rate(self, ramp_up_s: float, until: float) -> float:
        """Interactions per second once every session has arrived (first loads included)."""
        start = self.started_at + ramp_up_s
        return sum(start <= done <= until for done in self.done_at) / max(until - start, 1e-9)


async def timed(stats: Stats, name: str, step: Awaitable[T]) -> T:
    started = time.perf_counter()
    result = await step
    stats.record(name, time.perf_counter() - started)
    return result


@dataclass(frozen=True)
class Plan:
    """When a session starts, until when it lives, and whether it loops over the journey."""

    delay: float
    until: float
    active: bool
    think: float
    limit: int

    async def pause(self) -> bool:
        """Think, then tell whether to go on with the journey."""
        await asyncio.sleep(self.think)
        return time.monotonic() < self.until

    async def idle(self) -> None:
        while time.monotonic() < self.until:
            await asyncio.sleep(min(5.0, self.until - time.monotonic()))


def _expect(run: PageRun, text: str | re.Pattern[str]) -> PageRun:
    if run.errors:
        raise RuntimeError(f"the page shows an exception: {run.errors[0][:160]!r}")
    found = any(text.search(t) for t in run.texts) if isinstance(text, re.Pattern) else run.shows(text)
    if not found:
        raise RuntimeError(f"{text!r} not shown; shown: {[t[:60] for t in run.texts][:8]}")
    return run


def _check_in_button(run: PageRun) -> str:
    """The one-tap button if offered, else the form's submit button."""
    for label in (SAME_ANSWERS, *SUBMIT_LABELS):
        if label in run.buttons:
            return run.buttons[label]
    raise RuntimeError(
        f"no check-in button; buttons {list(run.buttons)}; shown {[t[:60] for t in run.texts]}"
    )


def first_answers(run: PageRun, shown: dict[str, WidgetState]) -> list[WidgetState]:
    """A household's first check-in starts unanswered (the page refuses it so): answer each service
    still without an answer with the first one offered ("Passé à …"), as a tap on it would."""
    return [
        WidgetState(id=widget_id, string_value=run.options[widget_id][0])
        for key, widget_id in run.widgets.items()
        if key.startswith(STATUS_KEY) and widget_id not in shown and run.options.get(widget_id)
    ]


def describe(error: Exception) -> str:
    first_line = (str(error).splitlines() or [""])[0]
    return f"{type(error).__name__}: {first_line[:300]}"


async def protocol_session(base: str, cookie: str, stats: Stats, plan: Plan) -> None:
    """One household through Streamlit's WebSocket protocol."""
    await asyncio.sleep(plan.delay)
    step = "first load (/)"
    try:
        async with StreamlitTab(base, f"{SESSION_COOKIE}={cookie}", INTERACTION_TIMEOUT_MS / 1000) as tab:
            _expect(await timed(stats, step, tab.open("")), "Mon défi")
            stats.sessions_held += 1
            for _ in range(plan.limit if plan.active else 0):
                if not await plan.pause():
                    break
                step = "open /bilan"
                shown = _expect(await timed(stats, step, tab.open("bilan")), "Bilan de la semaine")
                button = _check_in_button(shown)
                answers = first_answers(shown, tab.values)
                await plan.pause()
                step = "check-in"
                press = [*answers, WidgetState(id=button, trigger_value=True)]
                _expect(_expect(await timed(stats, step, tab.send("bilan", press)), SAVED), PROGRESS_SHOWN)
                await plan.pause()
                step = "open progress"
                _expect(await timed(stats, step, tab.open("")), PROGRESS_SHOWN)
            await plan.idle()
    except Exception as error:  # a timeout or a failed expectation is an error of the run
        stats.errors.append(f"{step}: {describe(error)}")


def page_loop(marker: str) -> Callable[[str, str, Stats, Plan], Awaitable[None]]:
    """A session that opens its home page again and again, checking that it shows `marker`: the
    floors of bench/capacity.py (the same client and think time as the journey)."""

    async def session(base: str, cookie: str, stats: Stats, plan: Plan) -> None:
        await asyncio.sleep(plan.delay)
        step = "first load (/)"
        try:
            async with StreamlitTab(base, f"{SESSION_COOKIE}={cookie}", INTERACTION_TIMEOUT_MS / 1000) as tab:
                _expect(await timed(stats, step, tab.open("")), marker)
                stats.sessions_held += 1
                step = "open the page"
                for _ in range(plan.limit * 3 if plan.active else 0):  # 3 interactions a journey
                    if not await plan.pause():
                        break
                    _expect(await timed(stats, step, tab.open("")), marker)
                await plan.idle()
        except Exception as error:
            stats.errors.append(f"{step}: {describe(error)}")

    return session
