"""One database at both sizes: serve each with `kindred serve --workers 2`, load each scenario."""

import json
import os
import random
import re
import secrets
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import bindparam, create_engine, text

from bench.scale import bare, load, plan, seed, serve
from bench.scale.texts import Pool

SIGNED_IN = "story signed in"  # by a member who has written nothing in the thread
PARTICIPANT = "story signed in, wrote in it"  # by one of its repliers: their own rendering
STORY = "story"
POSTING = "post reply"
# Not a page: one database round trip through the whole stack, the most any page that asks
# the database anything can reach (a reference for the story page's share of bare FastAPI).
FLOOR = "health check"
SCENARIOS = ["home", "circle", STORY, SIGNED_IN, PARTICIPANT, "story API", FLOOR, POSTING]
PAGES = [name for name in SCENARIOS if name != FLOOR]  # what the targets judge
POSTING_TARGETS = 2_000


@dataclass
class Options:
    duration: float  # seconds measured per scenario and server, split into rounds
    warmup: float  # seconds of load before each scenario on each server, not measured
    rounds: int  # the servers of a scenario take turns, round after round
    redis_url: str
    workdir: Path


@dataclass
class Scenario:
    name: str
    path: str
    headers: list[str] = field(default_factory=list)
    script: Path | None = None


@dataclass
class Outcome:
    measured: load.Measured  # the round with the median requests per second
    rounds: list[load.Measured]
    memory: dict[int, serve.Memory]  # per worker, right after the scenario
    command: list[str]
    load_average: float  # the machine's, over the last minute, right after the scenario


@dataclass
class SizeRun:
    database: str
    size: plan.Size
    url: str
    seeded: seed.Seeded
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    idle_memory: dict[int, serve.Memory] = field(default_factory=dict)  # before any load
    problems: list[str] = field(default_factory=list)  # anything that makes a figure suspect
    story_page: bytes = b""
    story_path: str = ""


@dataclass
class DatabaseRun:
    name: str  # SQLite or PostgreSQL
    small: SizeRun
    full: SizeRun
    bare: Outcome
    bare_idle: dict[int, serve.Memory]


def server_env(database_url: str, options: Options) -> dict[str, str]:
    """Production settings, but for load tests: rate limits off, no pre-moderation."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDRED_")}
    return env | {
        "KINDRED_DATABASE_URL": database_url,
        "KINDRED_REDIS_URL": options.redis_url,
        "KINDRED_SECRET_KEY": secrets.token_urlsafe(48),
        "KINDRED_RATE_LIMITS": "off",
        "KINDRED_PREMODERATE_FIRST_POSTS": "0",
    }


def measure(turns: list[tuple[serve.Server, Scenario]], options: Options) -> list[Outcome]:
    """Load each (server, scenario) in turn, round after round, so all see the same machine.

    Each is warmed up first; then the rounds alternate between them, and each keeps the round
    with its median requests per second, which one burst of other work cannot move much.
    """
    commands = []
    for server, scenario in turns:
        url = f"http://127.0.0.1:{server.port}{scenario.path}"
        if options.warmup:
            load.run(
                load.wrk_command(
                    url, duration=options.warmup, headers=scenario.headers, script=scenario.script
                )
            )
        commands.append(
            load.wrk_command(
                url,
                duration=options.duration / options.rounds,
                headers=scenario.headers,
                script=scenario.script,
            )
        )
    rounds: list[list[load.Measured]] = [[] for _ in turns]
    for _ in range(options.rounds):
        for n, command in enumerate(commands):
            rounds[n].append(load.run(command))
    outcomes = []
    for (server, _scenario), command, measured in zip(turns, commands, rounds, strict=True):
        median = sorted(measured, key=lambda m: m.rps)[len(measured) // 2]
        load_average = os.getloadavg()[0]
        outcomes.append(Outcome(median, measured, server.memory(), command, load_average))
    return outcomes


def _sign_in_page(port: int, pseudonym: str) -> str:
    """The Cookie header of a browser that signed in with the form (session and CSRF cookie)."""
    form = serve.request(port, "GET", "/signin")
    csrf_cookie = _cookie(form.header("set-cookie"), "kindred_csrf")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', form.body)
    if form.status != 200 or token is None:
        raise RuntimeError(f"sign-in form: {form.status}")
    body = urlencode(
        {"csrf_token": token.group(1).decode(), "pseudonym": pseudonym,
         "password": plan.PASSWORD, "next": "/"}
    ).encode()  # fmt: skip
    done = serve.request(
        port, "POST", "/signin", body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Cookie": f"kindred_csrf={csrf_cookie}"},
    )  # fmt: skip
    session = _cookie(done.header("set-cookie"), "kindred_session")
    if done.status != 303 or not session:
        raise RuntimeError(f"signing in with the form answered {done.status}")
    return f"Cookie: kindred_session={session}; kindred_csrf={csrf_cookie}"


def _cookie(set_cookies: list[str], name: str) -> str:
    for value in set_cookies:
        if value.startswith(f"{name}="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return ""


def _api_token(port: int, pseudonym: str) -> str:
    body = f'{{"pseudonym": "{pseudonym}", "password": "{plan.PASSWORD}"}}'.encode()
    done = serve.request(
        port, "POST", "/api/v1/sessions", body=body, headers={"Content-Type": "application/json"}
    )
    if done.status != 201:
        raise RuntimeError(f"API sign-in answered {done.status}")
    return str(json.loads(done.body)["token"])


def _facts(database_url: str, story_id: int) -> tuple[dict[int, str], list[tuple[int, int | None]]]:
    """Pseudonyms of the reader and the posters, and stories (or replies) to answer."""
    engine = create_engine(database_url)
    wanted = [plan.READER_ID, plan.BROWSER_ID, *plan.POSTER_IDS]
    with engine.connect() as conn:
        names: dict[int, str] = dict(
            conn.execute(
                text("SELECT id, pseudonym FROM account WHERE id IN :ids").bindparams(
                    bindparam("ids", expanding=True)
                ),
                {"ids": wanted},
            ).all()
        )
        top = conn.execute(text("SELECT max(id) FROM post")).scalar_one()
        rng = random.Random(3)  # noqa: S311 (a repeatable sample, not a secret)
        picks = [rng.randint(1, top) for _ in range(POSTING_TARGETS)]
        rows = conn.execute(
            text("SELECT id, story_id, parent_id FROM post WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": picks},
        ).all()
    engine.dispose()
    targets: list[tuple[int, int | None]] = []
    for post_id, story, parent in rows:
        if story == story_id:
            continue  # the read scenarios' thread keeps its 200 replies
        # Mostly answers to the story, some to a reply in it, as in the seeded threads.
        answer_reply = parent is not None and rng.random() < 0.4
        targets.append((story, post_id if answer_reply else None))
    return names, targets


def _check(
    port: int, scenarios: list[Scenario], tokens: list[str], target: tuple[int, int | None]
) -> bytes:
    """Each scenario answers as it should before it is loaded; returns the story page's bytes."""
    page = b""
    for scenario in scenarios:
        if scenario.script is not None:
            continue
        headers = dict(h.split(": ", 1) for h in scenario.headers)
        got = serve.request(port, "GET", scenario.path, headers=headers)
        if got.status != 200:
            raise RuntimeError(f"{scenario.name}: GET {scenario.path} answered {got.status}")
        if scenario.name in (STORY, SIGNED_IN, PARTICIPANT):
            replies = got.body.count(b'<article id="reply-')
            if replies != plan.STORY_REPLIES:
                raise RuntimeError(f"{scenario.name}: {replies} replies on the page")
            if (b'id="reply-heading"' in got.body) != (scenario.name != STORY):
                raise RuntimeError(f"{scenario.name}: not seen as the right viewer")
            if (b'/edit"' in got.body) != (scenario.name == PARTICIPANT):  # own replies
                raise RuntimeError(f"{scenario.name}: not seen as the right member")
        if scenario.name == STORY:
            page = got.body
        if scenario.path.startswith("/api/"):
            replies = _count_tree(json.loads(got.body)["replies"])
            if replies != plan.STORY_REPLIES:
                raise RuntimeError(f"{scenario.name}: {replies} replies in the JSON")
    story, parent = target
    body = json.dumps(
        {"body": "Thank you for writing this. One day at a time.", "parent_id": parent}
    )
    got = serve.request(
        port, "POST", f"/api/v1/stories/{story}/replies", body=body.encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {tokens[0]}"},
    )  # fmt: skip
    if got.status != 201 or json.loads(got.body)["status"] != "published":
        raise RuntimeError(f"posting a reply answered {got.status}: {got.body[:300]!r}")
    return page


def _count_tree(nodes: list[dict[str, Any]]) -> int:
    return sum(1 + _count_tree(n["children"]) for n in nodes)


def _scenarios(port: int, result: SizeRun, pool: Pool, options: Options) -> list[Scenario]:
    """Sign the reader in (form) and the posters (API); the scenarios for this server."""
    story_id = result.seeded.summary.story_id
    names, targets = _facts(result.url, story_id)
    cookie = _sign_in_page(port, names[plan.BROWSER_ID])
    replier = _sign_in_page(port, names[plan.READER_ID])
    tokens = [_api_token(port, names[i]) for i in plan.POSTER_IDS]
    bodies = [t.body for t in pool.replies[:100]]
    script = load.posting_script(options.workdir, tokens=tokens, targets=targets, bodies=bodies)
    result.story_path = f"/stories/{story_id}"
    scenarios = [
        Scenario("home", "/"),
        Scenario("circle", f"/circles/{result.seeded.summary.circle_slug}"),
        Scenario(STORY, result.story_path),
        Scenario(SIGNED_IN, result.story_path, [cookie]),
        Scenario(PARTICIPANT, result.story_path, [replier]),
        Scenario("story API", f"/api/v1{result.story_path}"),
        Scenario(FLOOR, "/healthz"),
        Scenario(POSTING, "/", script=script),
    ]
    result.story_page = _check(port, scenarios, tokens, targets[0])
    return scenarios


def bench_database(
    database: str, urls: dict[plan.Size, str], pool: Pool, options: Options
) -> DatabaseRun:
    """Seed both sizes, serve both, and load each scenario on one size right after the other.

    Pairing the sizes scenario by scenario (and the bare baseline right after the story page)
    keeps each ratio's two figures close in time, so other work on the machine moves both.
    """
    results = []
    for size, url in urls.items():
        print(f"{database} {size.label}: seeding ...", flush=True)
        results.append(SizeRun(database, size, url, seed.seed(url, size, pool)))
    with ExitStack() as stack:
        servers, scenarios = [], []
        for result in results:
            port = serve.free_port()
            env = server_env(result.url, options) | {"PORT": str(port)}
            server = stack.enter_context(
                serve.serving(serve.kindred_command(port), env, port, "/healthz")
            )
            servers.append(server)
            scenarios.append(_scenarios(port, result, pool, options))
            result.idle_memory = server.memory()
        bare_server, bare_scenario = _bare(stack, results[-1], options)
        bare_idle = bare_server.memory()
        for n, name in enumerate(SCENARIOS):
            print(f"  {database}: {name} ...", flush=True)
            turns = [(server, ready[n]) for server, ready in zip(servers, scenarios, strict=True)]
            if name == STORY:
                turns.append((bare_server, bare_scenario))
            outcomes = measure(turns, options)
            for result, outcome in zip(results, outcomes, strict=False):
                result.outcomes[name] = outcome
            if name == STORY:
                bare_outcome = outcomes[-1]
        for result, server in zip(results, servers, strict=True):
            if server.restarted():
                result.problems.append(f"{result.size.label}: a worker was replaced")
            if tracebacks := server.log_text().count("Traceback"):
                result.problems.append(f"{result.size.label}: {tracebacks} tracebacks in the log")
    for result in results:
        for name, outcome in result.outcomes.items():
            if failed := sum(m.errors for m in outcome.rounds):
                requests = sum(m.requests for m in outcome.rounds)
                result.problems.append(
                    f"{result.size.label} {name}: {failed} of {requests} requests failed"
                )
    return DatabaseRun(database, results[0], results[-1], bare_outcome, bare_idle)


def _bare(stack: ExitStack, result: SizeRun, options: Options) -> tuple[serve.Server, Scenario]:
    """The bare FastAPI app serving `result`'s story page bytes, running until `stack` closes."""
    body_file = options.workdir / "story-page.html"
    body_file.write_bytes(result.story_page)
    port = serve.free_port()
    env = dict(os.environ) | {bare.BODY_FILE: str(body_file)}
    server = stack.enter_context(serve.serving(serve.bare_command(port), env, port, "/healthz"))
    got = serve.request(port, "GET", result.story_path)
    if got.status != 200 or got.body != result.story_page:
        raise RuntimeError("the bare app does not serve the story page's bytes")
    return server, Scenario("bare", result.story_path)


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="kindred-bench-"))
