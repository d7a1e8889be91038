"""The scale section of bench/RESULTS.md: figures, targets met or missed, machine and commands."""

import os
import platform
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.scale import run
from bench.scale.load import Measured

RESULTS = Path(__file__).resolve().parents[1] / "RESULTS.md"
MARK_START, MARK_END = "<!-- scale:start -->", "<!-- scale:end -->"

STORY_SHARE = 0.5  # of the bare app's requests per second
P99_MS = 100.0
GROWTH = 0.20  # slowest allowed slowdown from 10k to 1M replies
POSTING_RPS = 200.0  # on PostgreSQL
WORKER_MB = 150.0

DESCRIPTIONS = {
    "home": "home page `GET /`",
    "circle": "circle page `GET /circles/{slug}`",
    run.STORY: "story page, 200 replies, signed out",
    run.SIGNED_IN: "story page, 200 replies, signed in",
    run.PARTICIPANT: "the same, signed in as one of its repliers",
    "story API": "the same story `GET /api/v1/stories/{id}`",
    run.FLOOR: "reference, not judged: `GET /healthz`, one `SELECT 1` through the whole stack",
    run.POSTING: "posting a reply `POST /api/v1/stories/{id}/replies`",
}


@dataclass
class Report:
    started: datetime
    minutes: float
    argv: list[str]
    databases: list[run.DatabaseRun]
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    versions: dict[str, str] = field(default_factory=dict)
    code: str = ""
    options: run.Options | None = None


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs ({model}), {kb / 1024 / 1024:.1f} GiB RAM, "
        f"Linux {platform.release()}, Python {platform.python_version()}"
    )


def code_version() -> str:
    """The commit measured, and whether the app's code differed from it."""

    git_path = shutil.which("git")

    def git(*args: str) -> str:
        if git_path is None:
            return ""
        done = subprocess.run(  # noqa: S603 (git with our own arguments)
            [git_path, *args], cwd=RESULTS.parent.parent, capture_output=True, text=True
        )
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "app", "migrations", "templates")
    return f"commit {commit}" + (" with uncommitted changes to the app" if dirty else "")


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _slowdown(small: Measured, full: Measured) -> float:
    """How much longer a request takes at 1M than at 10k, from requests per second."""
    return small.rps / full.rps - 1 if full.rps else float("inf")


def _scenario_table(db: run.DatabaseRun) -> list[str]:
    small_label, full_label = db.small.size.label, db.full.size.label
    lines = [
        f"| scenario | {small_label}: req/s | p50 | p99 | failed | {full_label}: req/s | p50 | p99 "
        f"| failed | {full_label} vs {small_label} |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in run.SCENARIOS:
        small, full = db.small.outcomes[name], db.full.outcomes[name]
        lines.append(
            f"| {DESCRIPTIONS[name]} | {_rps(small)} | {_ms(small.measured.p50_ms)} | "
            f"{_ms(small.measured.p99_ms)} | {_failed(small)} | {_rps(full)} | "
            f"{_ms(full.measured.p50_ms)} | {_ms(full.measured.p99_ms)} | {_failed(full)} | "
            f"{_slowdown(small.measured, full.measured):+.0%} |"
        )
    bare = db.bare
    lines.append(
        f"| bare FastAPI, the story page's bytes from memory | | | | | {_rps(bare)} | "
        f"{_ms(bare.measured.p50_ms)} | {_ms(bare.measured.p99_ms)} | {_failed(bare)} | |"
    )
    return lines


def _rps(outcome: run.Outcome) -> str:
    """The median round, and the range of all rounds when there were several."""
    low = min(m.rps for m in outcome.rounds)
    high = max(m.rps for m in outcome.rounds)
    spread = f" ({_number(low)}-{_number(high)})" if len(outcome.rounds) > 1 else ""
    return _number(outcome.measured.rps) + spread


def _number(rps: float) -> str:
    return f"{rps:,.0f}" if rps >= 100 else f"{rps:.1f}"


def _failed(outcome: run.Outcome) -> str:
    return str(sum(m.errors for m in outcome.rounds))


def _memory_lines(db: run.DatabaseRun) -> list[str]:
    bare_idle = ", ".join(f"{m.rss_mb:.0f} MB" for m in db.bare_idle.values())
    bare_after = ", ".join(f"{m.rss_mb:.0f} MB" for m in db.bare.memory.values())
    lines = [f"- bare FastAPI: resident {bare_idle} at start, {bare_after} after its load."]
    for size_run in (db.small, db.full):
        last = size_run.outcomes[run.SCENARIOS[-1]].memory
        peak = {pid: max(o.memory[pid].peak_mb for o in size_run.outcomes.values()
                         if pid in o.memory) for pid in last}  # fmt: skip
        idle = ", ".join(f"{m.rss_mb:.0f} MB" for m in size_run.idle_memory.values())
        after = ", ".join(f"{m.rss_mb:.0f} MB" for m in last.values())
        peaks = ", ".join(f"{mb:.0f} MB" for mb in peak.values())
        steps = ", ".join(
            f"{name} {max(m.rss_mb for m in o.memory.values()):.0f}"
            for name, o in size_run.outcomes.items()
        )
        lines.append(
            f"- {size_run.size.label}: resident {idle} before the load (started, one request "
            f"of each kind served), {after} after it; peak (VmHWM) {peaks}. The larger worker "
            f"after each scenario, in MB: {steps}."
        )
    return lines


def _worst_p99(db: run.DatabaseRun) -> tuple[float, str]:
    return max(
        (r.outcomes[n].measured.p99_ms, f"{DESCRIPTIONS[n]}, {r.size.label}")
        for r in (db.small, db.full)
        for n in run.PAGES
    )


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _targets(report: Report) -> list[str]:
    lines = ["| target | " + " | ".join(d.name for d in report.databases) + " |"]
    lines.append("|---|" + "---|" * len(report.databases))
    rows: dict[str, list[str]] = {k: [] for k in ("share", "p99", "growth", "posting", "memory")}
    for db in report.databases:
        story, bare = db.full.outcomes[run.STORY].measured, db.bare.measured
        share = story.rps / bare.rps
        rows["share"].append(
            f"{share:.1%} ({story.rps:,.0f} of {bare.rps:,.0f} req/s): "
            + _verdict(share >= STORY_SHARE)
            + ("" if share >= STORY_SHARE else f", {STORY_SHARE / share:.0f}x short")
        )
        p99, where = _worst_p99(db)
        rows["p99"].append(
            f"worst {_ms(p99)} ({where}): {_verdict(p99 < P99_MS)}"
            + ("" if p99 < P99_MS else f", {p99 / P99_MS:.1f}x the limit")
        )
        growth = max(
            (
                _slowdown(db.small.outcomes[n].measured, db.full.outcomes[n].measured),
                DESCRIPTIONS[n],
            )
            for n in run.PAGES
        )
        rows["growth"].append(
            f"worst {growth[0]:+.0%} ({growth[1]}): {_verdict(growth[0] <= GROWTH)}"
        )
        posting = db.full.outcomes[run.POSTING].measured.rps
        judged = db.name == "PostgreSQL"
        rows["posting"].append(
            f"{posting:,.0f} replies/s at {db.full.size.label}"
            + (f": {_verdict(posting >= POSTING_RPS)}" if judged else " (not judged on SQLite)")
            + (f", {POSTING_RPS / posting:.1f}x short" if judged and posting < POSTING_RPS else "")
        )
        rss = max(
            m.rss_mb
            for r in (db.small, db.full)
            for m in r.outcomes[run.SCENARIOS[-1]].memory.values()
        )
        rows["memory"].append(
            f"largest {rss:.0f} MB: {_verdict(rss < WORKER_MB)}"
            + ("" if rss < WORKER_MB else f", {rss - WORKER_MB:.0f} MB over")
        )
    small, full = report.databases[0].small.size.label, report.databases[0].full.size.label
    names = {
        "share": f"story page (200 replies, {full}) ≥ 50% of bare FastAPI's req/s",
        "p99": "p99 < 100 ms at 16 connections, every scenario",
        "growth": f"{small} → {full} replies slows no scenario by more than 20%",
        "posting": "posting replies ≥ 200/s with 2 workers (PostgreSQL)",
        "memory": "each worker < 150 MB resident after the load",
    }
    for key, cells in rows.items():
        lines.append(f"| {names[key]} | " + " | ".join(cells) + " |")
    return lines


def _seeding(report: Report) -> list[str]:
    lines = [
        "| database | size | members | stories | replies | reactions | notices | seed time "
        "| of which |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for db in report.databases:
        for r in (db.small, db.full):
            s = r.seeded.summary
            steps = ", ".join(f"{k} {v:.0f} s" for k, v in r.seeded.steps.items())
            lines.append(
                f"| {db.name} | {r.size.label} | {r.size.members:,} | {r.size.stories:,} | "
                f"{s.posts - r.size.stories:,} | {s.reactions:,} | {s.notifications:,} | "
                f"{r.seeded.seconds:.0f} s | {steps} |"
            )
    return lines


def _commands(report: Report) -> list[str]:
    db = report.databases[0]
    lines = [
        f"- `make bench` runs `{shlex.join(['python', '-m', 'bench.scale', *report.argv])}`.",
        "- Each database: `kindred db upgrade` with `KINDRED_DATABASE_URL` set, then the bulk "
        "load of `bench/scale/seed.py`.",
        "- Server: `python -m app serve --workers 2 --port PORT` with `KINDRED_RATE_LIMITS=off "
        "KINDRED_PREMODERATE_FIRST_POSTS=0 KINDRED_REDIS_URL=redis://127.0.0.1:6379/13` and a "
        "random `KINDRED_SECRET_KEY`; bare baseline: `python -m uvicorn "
        "bench.scale.bare:create_app --factory --workers 2 --no-access-log --no-server-header`.",
        f"- Load, for each scenario ({db.name}, {db.full.size.label} shown; the others differ "
        "only in port and "
        "ids; the signed-in cookie is elided):",
    ]
    for name in run.SCENARIOS:
        command = [
            "wrk",
            *_elide(db.full.outcomes[name].command[1:]),
        ]
        lines.append(f"  - {name}: `{shlex.join(command)}`")
    bare = ["wrk", *db.bare.command[1:]]
    lines.append(f"  - bare: `{shlex.join(bare)}`")
    return lines


def _elide(args: list[str]) -> list[str]:
    return [
        re.sub(r"=[^;]+", "=…", a) if a.startswith("Cookie:") else
        ("posting.lua (bench/scale/load.py POSTING)" if a.endswith(".lua") else a)
        for a in args
    ]  # fmt: skip


def render(report: Report) -> str:
    options = report.options
    assert options is not None
    size, small = report.databases[0].full.size, report.databases[0].small.size
    lines = [
        MARK_START,
        f"## Scale: {size.circles} circles, {size.stories:,} stories, {size.replies:,} replies, "
        f"{size.members:,} members",
        "",
        f"Measured {report.started:%Y-%m-%d %H:%M} UTC on {machine()}; "
        + ", ".join(f"{k} {v}" for k, v in report.versions.items())
        + f". Load average {_load(report.load_before)} before the run and "
        f"{_load(report.load_after)} after it, on a machine other people's work shares. "
        f"Code: {report.code}. The whole run took {report.minutes:.1f} minutes.",
        "",
        f"Both sizes are served side by side, each by `kindred serve --workers 2` (rate "
        "limits off), and loaded one at a time from a separate process on 127.0.0.1 with "
        f"`wrk -t2 -c16 --latency`. Each scenario: {options.warmup:g} s of warm-up on each "
        f"server, then {options.rounds} rounds of {options.duration / options.rounds:g} s in "
        f"which the servers take turns ({small.label}, {size.label}, and for the signed-out "
        "story page the bare baseline too), so every ratio compares figures taken moments "
        "apart on a machine that other work shares. The round with the median requests per "
        "second is shown with its latency percentiles, the range of all rounds in brackets; "
        "*failed* counts non-2xx/3xx answers and socket errors over all rounds (a scenario "
        f"with failures is reported, not trusted); *{size.label} vs {small.label}* is how "
        f"much longer a request takes (from req/s) on the {size.replies:,}-reply database "
        f"than on the {small.replies:,}-reply one.",
        "",
    ]
    for db in report.databases:
        lines += [f"### {db.name}", "", *_scenario_table(db), "", "Worker memory:", ""]
        lines += _memory_lines(db)
        load = ", ".join(f"{n} {o.load_average:.1f}" for n, o in db.full.outcomes.items())
        lines += [
            "",
            f"Load average (1 min, the benchmark's own load included) after each scenario: {load}.",
        ]
        problems = db.small.problems + db.full.problems
        if problems:
            lines += [
                "",
                "Problems during the run (figures not trusted): " + "; ".join(problems) + ".",
            ]
        lines.append("")
    lines += ["### Targets", "", *_targets(report), "", "### Data and seeding", ""]
    lines += _seeding(report)
    lines += ["", "### Commands", "", *_commands(report), MARK_END]
    return "\n".join(lines) + "\n"


def _load(values: tuple[float, float, float]) -> str:
    return " / ".join(f"{v:.2f}" for v in values) + " (1/5/15 min)"


def write(section: str) -> None:
    """Replace the scale section of RESULTS.md, or add it at the end; nothing else changes."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    if MARK_START in current and MARK_END in current:
        before, rest = current.split(MARK_START, 1)
        after = rest.split(MARK_END, 1)[1]
        updated = before + section.rstrip("\n") + after
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(updated, encoding="utf-8")


def now() -> datetime:
    return datetime.now(UTC)
