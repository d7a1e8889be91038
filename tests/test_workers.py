"""`kindred serve --workers 2` on PostgreSQL and Redis: two processes, one truth.

Every request goes out on a new connection, so the kernel hands it to either worker; which
worker answered is read from /proc (the worker holding the connection's socket), so the
tests can insist that both took part instead of hoping they did.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import redis
from sqlalchemy import create_engine, text

from app import cache, ratelimit
from bench.scale.serve import uvicorn_workers
from tests.conftest import ROOT, _fresh_postgres, skip_unless_available
from tests.factories import PASSWORD
from tests.live import free_port

TIMEOUT = 60  # seconds for one request: the machine may be busy
CRISIS = "Some nights I want to end my life, and tonight is one of them."


@dataclass
class Workers:
    url: str
    port: int
    supervisor: subprocess.Popen[bytes]
    database_url: str
    env: dict[str, str]
    workdir: Path

    def pids(self) -> set[int]:
        """The uvicorn worker processes the supervisor runs now."""
        return uvicorn_workers(self.supervisor.pid)

    def holder(self, client: httpx.Client) -> int | None:
        """The worker holding this client's open connection (None if it was closed)."""
        established = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with suppress(OSError):
                for line in Path(table).read_text().splitlines()[1:]:
                    fields = line.split()
                    local_port = int(fields[1].rsplit(":", 1)[1], 16)
                    if local_port == self.port and fields[3] == "01":
                        established.add(f"socket:[{fields[9]}]")
        holders = set()
        for pid in self.pids():
            with suppress(OSError):
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with suppress(OSError):
                        if os.readlink(fd) in established:
                            holders.add(pid)
        # Requests are made one at a time: only one worker holds a client connection.
        return holders.pop() if len(holders) == 1 else None

    def request(self, method: str, path: str, **kwargs: Any) -> tuple[httpx.Response, int | None]:
        """One request on a new connection, and the worker that answered it."""
        with httpx.Client(base_url=self.url, timeout=TIMEOUT) as client:
            response = client.request(method, path, **kwargs)
            return response, self.holder(client)

    def cli(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "app", *args], cwd=self.workdir, env=self.env,
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def _wait_until_serving(workers: Workers, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if workers.supervisor.poll() is not None:
            break
        with suppress(httpx.TransportError):
            if (
                len(workers.pids()) == 2
                and httpx.get(f"{workers.url}/healthz", timeout=5).is_success
            ):
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not start:\n{log.read_text()}")


@pytest.fixture(scope="module")
def workers(
    postgres_server_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workers]:
    redis_url = os.environ.get("KINDRED_TEST_REDIS_URL")
    if not redis_url:
        skip_unless_available("the workers tests need KINDRED_TEST_REDIS_URL as well")
    store = redis.Redis.from_url(str(redis_url))
    for key in store.scan_iter(f"{ratelimit.KEY_PREFIX}*"):
        store.delete(key)
    workdir = tmp_path_factory.mktemp("workers")
    for database_url in _fresh_postgres(postgres_server_url):
        port = free_port()
        env = os.environ | {
            "KINDRED_DATABASE_URL": database_url,
            "KINDRED_REDIS_URL": str(redis_url),
            "KINDRED_RATE_LIMITS": "on",
            "KINDRED_PREMODERATE_FIRST_POSTS": "0",
            # The test stands in for a reverse proxy, so each member can come from a place of
            # their own (sign-ups are limited per place).
            "KINDRED_TRUSTED_PROXIES": "127.0.0.1",
            "PORT": str(port),
            "PYTHONPATH": str(ROOT),
        }
        kindred = [sys.executable, "-m", "app"]
        for args in (["db", "upgrade"], ["demo-data"]):
            subprocess.run(
                [*kindred, *args], cwd=workdir, env=env, check=True, capture_output=True,
                timeout=300,
            )  # fmt: skip
        log_path = workdir / "server.log"
        with log_path.open("w") as log:
            supervisor = subprocess.Popen(
                [*kindred, "serve", "--workers", "2"], cwd=workdir, env=env, stdout=log, stderr=log
            )
            running = Workers(
                f"http://127.0.0.1:{port}", port, supervisor, database_url, env, workdir
            )
            try:
                _wait_until_serving(running, log_path)
                yield running
            finally:
                supervisor.send_signal(signal.SIGINT)
                try:
                    supervisor.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    supervisor.kill()
                    supervisor.wait(timeout=30)


def _place(n: int) -> dict[str, str]:
    return {"X-Forwarded-For": f"10.0.{n // 250}.{n % 250 + 1}"}


def _member(workers: Workers, n: int) -> tuple[str, dict[str, str]]:
    """A new member signed up and in from place `n`: pseudonym and bearer headers."""
    joined, _ = workers.request(
        "POST", "/api/v1/accounts", json={"password": PASSWORD}, headers=_place(n)
    )
    assert joined.status_code == 201, joined.text
    name = joined.json()["account"]["pseudonym"]
    signed_in, _ = workers.request(
        "POST",
        "/api/v1/sessions",
        json={"pseudonym": name, "password": PASSWORD},
        headers=_place(n),
    )
    assert signed_in.status_code == 201, signed_in.text
    return name, {"Authorization": f"Bearer {signed_in.json()['token']}"} | _place(n)


def _both(
    workers: Workers, method: str, path: str, **kwargs: Any
) -> list[tuple[httpx.Response, int | None]]:
    """The same request, each time on a new connection, until each worker has answered it."""
    answers: list[tuple[httpx.Response, int | None]] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(answers) < 1000:
        answers.append(workers.request(method, path, **kwargs))
        if len({pid for _, pid in answers if pid is not None}) == 2:
            return answers
    pytest.fail(f"one worker answered every {method} {path}: {answers}")


def _until_both_answer(
    workers: Workers, method: str, path: str, **kwargs: Any
) -> list[tuple[int, int | None]]:
    """Each answer's status and worker, until both workers have answered."""
    return [(r.status_code, pid) for r, pid in _both(workers, method, path, **kwargs)]


def test_both_workers_run_and_share_the_requests(workers: Workers) -> None:
    assert len(workers.pids()) == 2
    answers = _until_both_answer(workers, "GET", "/healthz")
    assert {status for status, _ in answers} == {200}


def test_a_sign_in_limit_reached_through_either_worker_holds_on_both(workers: Workers) -> None:
    name, _ = _member(workers, 1)
    wrong = {"pseudonym": name, "password": "not the password"}
    answered_by = set()
    for _ in range(10):
        response, pid = workers.request("POST", "/api/v1/sessions", json=wrong, headers=_place(2))
        assert response.status_code == 401, response.text
        answered_by.add(pid)
    # The right password from the same place is now refused, whichever worker answers, even
    # one that counted none of the ten failures itself.
    right = {"pseudonym": name, "password": PASSWORD}
    answers = _until_both_answer(workers, "POST", "/api/v1/sessions", json=right, headers=_place(2))
    assert {status for status, _ in answers} == {429}, answers
    # From another place, the member still gets in: the count was per place, not global.
    elsewhere, _ = workers.request("POST", "/api/v1/sessions", json=right, headers=_place(3))
    assert elsewhere.status_code == 201, elsewhere.text


def test_a_claim_made_through_one_worker_is_seen_by_the_other(workers: Workers) -> None:
    first, first_auth = _member(workers, 4)
    second, second_auth = _member(workers, 5)
    for name in (first, second):
        workers.cli("moderator", "add", name)
    _, author = _member(workers, 6)
    story = {"circle": "anxiety", "title": "Tonight", "body": CRISIS}
    posted, _ = workers.request("POST", "/api/v1/stories", json=story, headers=author)
    assert posted.status_code == 201, posted.text
    queue, _ = workers.request("GET", "/api/v1/moderation/queue", headers=first_auth)
    assert queue.status_code == 200, queue.text
    items = queue.json()["items"]
    [case] = [i for i in items if i["post"]["id"] == posted.json()["id"]]

    claimed, _ = workers.request(
        "POST", f"/api/v1/moderation/queue/{case['id']}/claim", headers=first_auth
    )
    assert claimed.status_code == 200, claimed.text
    answers = _until_both_answer(
        workers, "POST", f"/api/v1/moderation/queue/{case['id']}/claim", headers=second_auth
    )
    assert {status for status, _ in answers} == {409}, answers


def test_a_change_made_through_one_worker_is_never_served_stale_by_the_other(
    workers: Workers,
) -> None:
    """Signed-out story pages and trees come from the cache both workers share in Redis: every
    read after a write sees it, on both workers, and on pages that are never cached too."""
    _, author = _member(workers, 7)
    story = {"circle": "anxiety", "title": "Before the change", "body": "First words."}
    posted, _ = workers.request("POST", "/api/v1/stories", json=story, headers=author)
    assert posted.status_code == 201, posted.text
    story_id = posted.json()["id"]
    reads = (f"/api/v1/stories/{story_id}", f"/stories/{story_id}", "/circles/anxiety")
    for path in reads:  # both workers have now served the old version
        _from_both(workers, path)
    shared = redis.Redis.from_url(workers.env["KINDRED_REDIS_URL"])
    for kind in ("story-page", "story-json"):  # kept once, in Redis, for both workers
        assert shared.exists(f"{cache.KEY_PREFIX}:{kind}:{story_id}")
    shared.close()

    edit = {"title": "After the change", "body": "Second words."}
    edited, _ = workers.request("PATCH", f"/api/v1/posts/{story_id}", json=edit, headers=author)
    assert edited.status_code == 200, edited.text
    replied, _ = workers.request(
        "POST", f"/api/v1/stories/{story_id}/replies", json={"body": "A new reply."}, headers=author
    )
    assert replied.status_code == 201, replied.text
    for path in reads:
        for response in _from_both(workers, path):
            assert "After the change" in response.text and "Before the change" not in response.text
            if not path.startswith("/circles"):
                assert "Second words." in response.text and "A new reply." in response.text

    deleted, _ = workers.request("DELETE", f"/api/v1/posts/{story_id}", headers=author)
    assert deleted.status_code == 204, deleted.text
    for path in reads:  # the words are gone everywhere; the circle no longer lists the story
        for response in _from_both(workers, path):
            assert "Second words." not in response.text, path
            if path.startswith("/circles"):
                assert "After the change" not in response.text


def _from_both(workers: Workers, path: str) -> list[httpx.Response]:
    """GET `path` until each worker has answered (every answer a 200): one answer of each."""
    answers = _both(workers, "GET", path)
    assert all(r.status_code == 200 for r, _ in answers), [r.text for r, _ in answers]
    return list({pid: r for r, pid in answers if pid is not None}.values())


def _post_stories(workers: Workers, auth: dict[str, str], tag: str, count: int) -> list[Any]:
    """Post `count` stories one after another: each result a (status, id or None, title)."""
    results: list[Any] = []
    for n in range(count):
        title = f"Burst {tag} {n}"
        body = CRISIS if n % 4 == 0 else f"An ordinary day, number {n}, and it was fine."
        story = {"circle": "anxiety", "title": title, "body": body}
        try:
            response, _ = workers.request("POST", "/api/v1/stories", json=story, headers=auth)
        except httpx.TransportError:
            results.append((None, None, title))  # the worker died mid-request: no answer
            continue
        posted = response.json().get("id") if response.status_code == 201 else None
        results.append((response.status_code, posted, title))
    return results


def test_killing_a_worker_mid_burst_loses_no_answered_post_and_leaves_nothing_half_written(
    workers: Workers,
) -> None:
    authors = [_member(workers, 10 + n)[1] for n in range(6)]
    victim = min(workers.pids())
    with ThreadPoolExecutor(max_workers=len(authors)) as pool:
        burst = [
            pool.submit(_post_stories, workers, auth, str(i), 8) for i, auth in enumerate(authors)
        ]
        # Kill as soon as the burst is under way, while requests are in flight on both.
        engine = create_engine(workers.database_url)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with engine.connect() as connection:
                    written = connection.scalar(
                        text("SELECT count(*) FROM post WHERE title LIKE 'Burst %'")
                    )
                if written and written >= 6:
                    break
                time.sleep(0.05)
            os.kill(victim, signal.SIGKILL)
            results = [row for future in burst for row in future.result(timeout=600)]
        finally:
            engine.dispose()

    statuses = [status for status, _, _ in results]
    assert statuses.count(201) >= 6, statuses
    # A request in flight on the killed worker gets no answer (None); every other one a 201.
    assert set(statuses) <= {201, None}, statuses

    engine = create_engine(workers.database_url)
    try:
        with engine.connect() as connection:
            posts = connection.execute(
                text(
                    "SELECT id, title, story_id, body, body_html, excerpt, status, screening"
                    " FROM post WHERE title LIKE 'Burst %'"
                )
            ).all()
            open_cases = dict(
                connection.execute(
                    text("SELECT post_id, id FROM moderation_case WHERE status = 'open'")
                ).all()
            )
            reasonless = connection.scalar(
                text(
                    "SELECT count(*) FROM moderation_case c WHERE NOT EXISTS"
                    " (SELECT 1 FROM moderation_case_reason r WHERE r.case_id = c.id)"
                )
            )
    finally:
        engine.dispose()

    stored = {row.id: row for row in posts}
    answered = {post_id: title for status, post_id, title in results if status == 201}
    # Every post answered 201 is there, as it was sent.
    assert set(answered) <= set(stored)
    assert all(stored[post_id].title == title for post_id, title in answered.items())
    # Nothing is half-written: every stored post is whole, and each crisis post is in the queue.
    sent = {title for _, _, title in results}
    for row in posts:
        assert row.title in sent
        assert row.story_id == row.id
        assert row.body and row.body_html and row.excerpt
        assert row.screening is not None
        if row.screening["crisis"]:
            assert row.id in open_cases, row.title
    assert reasonless == 0

    # The service keeps answering: the other worker, and soon a new one in place of the dead.
    healthy, _ = workers.request("GET", "/healthz")
    assert healthy.status_code == 200
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (len(workers.pids()) < 2 or victim in workers.pids()):
        time.sleep(0.2)
    assert victim not in workers.pids() and len(workers.pids()) == 2, "no worker replaced it"
    _, newcomer = _member(workers, 30)
    after = {"circle": "anxiety", "title": "After", "body": "Still here, still writing."}
    answers = _until_both_answer(workers, "GET", "/api/v1/stories")
    assert {status for status, _ in answers} == {200}, answers
    for _ in range(3):
        response, _ = workers.request("POST", "/api/v1/stories", json=after, headers=newcomer)
        assert response.status_code == 201, response.text
