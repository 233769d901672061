"""Write the scale benchmark's figures (bench/results/*.json) into bench/RESULTS.md, with targets.

Targets (issue #9), checked at scale L on each database:
- every page's warm script run p95 ≤ framework floor p95 + 100 ms;
- every page's cold script run p95 ≤ 500 ms;
- territory dashboard (cold p50) at L within 1.5× its time at S;
- check-in commit p95 ≤ 30 ms;
- the app process with 100 idle sessions under 600 MB.
The section between the two markers is replaced; the rest of RESULTS.md is kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- scale-benchmark:start -->", "<!-- scale-benchmark:end -->"
WARM_MARGIN_MS, COLD_MS, RATIO, CHECKIN_MS, MEMORY_MIB = 100, 500, 1.5, 30, 600


def load() -> dict[tuple[str, str], dict[str, Any]]:
    runs = {}
    for path in sorted((ROOT / "bench" / "results").glob("*.json")):
        data = json.loads(path.read_text())
        runs[(data["scale"], data["db"])] = data
    return runs


def _table(run: dict[str, Any]) -> list[str]:
    floor = run["framework_floor"]["p95"]
    lines = [
        f"### {run['scale']} ({run['households']:,} households) on {run['db']} — "
        f"{run['date']}, {run['machine']}, load average at the end {run.get('load_average', '?')}",
        "",
        f"Framework floor (trivial script, same harness): p50 {run['framework_floor']['p50']} ms, "
        f"p95 {floor} ms. Check-in commit: p50 {run['checkin_commit']['p50']} ms, "
        f"p95 {run['checkin_commit']['p95']} ms (n = {run['checkin_commit']['n']}).",
        "",
        "| page (role) | cold p50 | cold p95 | warm p50 | warm p95 | data floor p50 "
        "| warm p95 − framework floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, page in run["pages"].items():
        if "error" in page:
            lines.append(f"| {label} | {page['error']} | | | | | |")
            continue
        data = page.get("data_floor", {}).get("p50", "–")
        lines.append(
            f"| {label} | {page['cold']['p50']} | {page['cold']['p95']} | {page['warm']['p50']} | "
            f"{page['warm']['p95']} | {data} | {round(page['warm']['p95'] - floor, 1)} |"
        )
    if run.get("generation"):
        gen = run["generation"]
        steps = ", ".join(
            f"{k} {v}" + ("" if isinstance(v, str) else " s") for k, v in gen["seconds"].items()
        )
        lines += [
            "",
            f"Dataset: {gen['checkins']:,} check-ins, {gen['teams']:,} teams; generated in: {steps}.",
        ]
    if run.get("memory"):
        mem = run["memory"]
        lines += [
            "",
            f"Memory: {mem['rss_mib']} MiB RSS with {mem['sessions']} idle sessions "
            f"({mem['rss_mib_one_session']} MiB after one).",
        ]
    return [*lines, ""]


def targets(runs: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    """One line per target and database: pass, miss (by how much) or not measured."""
    lines = []
    for db in ("sqlite", "postgresql"):
        large, small = runs.get(("L", db)), runs.get(("S", db))
        if large is None:
            lines.append(f"- {db}: scale L not measured — targets not checked.")
            continue
        lines += [f"- {db}: {text}" for text in _checks(large, small)]
    return lines


def _checks(large: dict[str, Any], small: dict[str, Any] | None) -> list[str]:
    floor = large["framework_floor"]["p95"]
    pages = {k: v for k, v in large["pages"].items() if "error" not in v}
    warm_miss = {k: round(v["warm"]["p95"] - floor - WARM_MARGIN_MS, 1) for k, v in pages.items()}
    cold_miss = {k: round(v["cold"]["p95"] - COLD_MS, 1) for k, v in pages.items()}
    checks = [
        _verdict("warm p95 ≤ floor + 100 ms", {k: m for k, m in warm_miss.items() if m > 0}),
        _verdict("cold p95 ≤ 500 ms", {k: m for k, m in cold_miss.items() if m > 0}),
    ]
    if small:
        ratios = {
            k: round(v["cold"]["p50"] / small["pages"][k]["cold"]["p50"], 2)
            for k, v in pages.items()
            if k.startswith("dashboard") and "cold" in small["pages"].get(k, {})
        }
        checks.append(
            _verdict("dashboard L/S ≤ 1.5×", {k: r for k, r in ratios.items() if r > RATIO}, ratios)
        )
    checkin = large["checkin_commit"]["p95"]
    checks.append(f"check-in commit p95 {checkin} ms — {'PASS' if checkin <= CHECKIN_MS else 'MISS'}")
    if large.get("memory"):
        rss = large["memory"]["rss_mib"]
        checks.append(f"memory {rss} MiB with 100 idle sessions — {'PASS' if rss < MEMORY_MIB else 'MISS'}")
    else:
        checks.append("memory with 100 idle sessions — not measured")
    return checks


def _verdict(name: str, misses: dict[str, float], values: dict[str, float] | None = None) -> str:
    """PASS, or MISS with each page's excess (ms), or with each ratio when `values` are ratios."""
    if not misses:
        shown = f" ({', '.join(f'{k}: {v}×' for k, v in values.items())})" if values else ""
        return f"{name} — PASS{shown}"
    if values is not None:
        return f"{name} — MISS: " + "; ".join(f"{k} at {v}×" for k, v in misses.items())
    return f"{name} — MISS: " + "; ".join(f"{k} by {v} ms" for k, v in misses.items())


NOTES = """**How to read these figures.** The machine has 2 virtual cores shared with other work (other
test suites ran during every run: see the load average of each run); absolute times are inflated
several-fold and noisy, which is why each run measures its own floors. *cold* = the first run
after a process start (page cache and secrecy memo empty): a dashboard then protects 28 series of
the whole territory tree (~5,500 territories: 4 measures, then the active and registered counts
of each week for the trend), which is most of its cold time; the memo is keyed by the counts
themselves, so after a check-in only the series that changed are protected again. *warm* = the
same page again (the dashboard's cache key includes the edition's data generation, bumped after
every write). The data floor reads the aggregate rows a page needs and nothing else.
Why the misses (2026-11-23 runs):
- *Cold dashboards, results, open data (cold ≤ 500 ms, L/S ≤ 1.5×)*: no raw check-in is read
  (the data floor stays at 30-200 ms); the time is the secrecy protection of the whole tree,
  CPU-bound, which grows with the number of communes that have households (846 at S, 2,697 at M,
  3,605 at L, out of 3,782), not with households: hence 2.1-2.8× from S to L, where households
  grew 50×. Ways forward: keep the protected series per (edition, week, data generation) across
  processes, or a faster fixed point for `protect_tree` (same result, proved equal).
- *Warm dashboards* (20-65 ms over floor + 100 ms): the page itself (charts, tables, the two
  export files), the figures come from the cache.
- *Leaderboard*: the page lists every team of the edition (2,869 at L) in one table; its data
  floor is 20 ms. Paging or a default territory filter would fix it (page work, not done here).
- *Catalogue*: the public catalogue page renders every alternative; it does not depend on the
  number of households (same time at S).
- *Open data route*: builds the three CSV files of every territory on each request; caching them
  per data generation would make the warm case free.
- *Check-in commit* (PostgreSQL p95 68.9 ms, p50 34 ms; SQLite passes): besides the upsert, the
  household's aggregates are recomputed in the same transaction (about 15 statements, each a
  round trip to the server, and ~100 relative upserts), then the commit waits for the WAL flush.
  Outliers: when the household holding a commune's largest quantity total lowers it, that
  commune's quantity rows are read again (dominance rule). Ways forward: fewer round trips (one
  statement reading the household's rows before and after), or that recomputation in a job.
- *Dataset generation at L*: 8 min on PostgreSQL (COPY); 22 min on SQLite, measured while the
  machine's load average was 10-15 (the same rebuild alone took 5 min later).
"""


def section(runs: dict[tuple[str, str], dict[str, Any]]) -> str:
    lines = [START, "## Scale benchmark (`make bench-pages`, bench/pages.py)", ""]
    lines += ["**Targets at scale L** (summary line per database):", "", *targets(runs), "", NOTES]
    order = {"S": 0, "M": 1, "L": 2}
    for key in sorted(runs, key=lambda k: (order[k[0]], k[1])):
        lines += _table(runs[key])
    return "\n".join([*lines, END])


def write_results() -> None:
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n"
    new = section(load())
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + new + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    RESULTS_MD.write_text(text)


if __name__ == "__main__":
    write_results()
