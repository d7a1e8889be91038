"""Two real `kindred serve` processes sharing one database and one Redis, as two workers do."""

import re
from pathlib import Path

import httpx2 as httpx
import redis

from app import ratelimit
from tests.factories import PASSWORD
from tests.live import serve

PREFIX = ratelimit.KEY_PREFIX


def test_two_workers_share_limits_through_redis_and_keep_no_trace_of_who_is_who(
    tmp_path: Path, redis_url: str
) -> None:
    store = redis.Redis.from_url(redis_url)
    for key in store.scan_iter(f"{PREFIX}*"):
        store.delete(key)
    shared = {
        "KINDRED_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.db'}",
        "KINDRED_RATE_LIMITS": "on",
        "KINDRED_REDIS_URL": redis_url,
    }
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    words = "Walked to the allotment today and it helped more than I expected."
    with serve(tmp_path / "a", **shared) as a, serve(tmp_path / "b", **shared) as b:
        joined = httpx.post(f"{a.url}/api/v1/accounts", json={"password": PASSWORD})
        assert joined.status_code == 201
        name = joined.json()["account"]["pseudonym"]
        signed_in = httpx.post(
            f"{b.url}/api/v1/sessions", json={"pseudonym": name, "password": PASSWORD}
        )
        token = signed_in.json()["token"]
        story = {"circle": "anxiety", "title": "Small wins", "body": words}
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.post(f"{a.url}/api/v1/stories", json=story, headers=headers).status_code == 201

        # Ten failed guesses, spread over both workers, reach the one shared limit.
        wrong = {"pseudonym": name, "password": "not the password"}
        for worker in [a, b] * 5:
            assert httpx.post(f"{worker.url}/api/v1/sessions", json=wrong).status_code == 401
        right = {"pseudonym": name, "password": PASSWORD}
        for worker in (a, b):
            refused = httpx.post(f"{worker.url}/api/v1/sessions", json=right)
            assert refused.status_code == 429, refused.text
            assert int(refused.headers["retry-after"]) >= 1

    # The shared store counts hashes: no pseudonym, address or words in any key or value.
    stored = b" ".join(
        key + b" " + b" ".join(store.lrange(key, 0, -1)) for key in store.scan_iter(f"{PREFIX}*")
    )
    assert stored, "nothing was counted in Redis"
    for secret in (name, "127.0.0.1", token, words):
        assert secret.encode() not in stored

    # Neither worker logged an address with a request, a name, a token or a post's words.
    logs = (tmp_path / "a" / "server.log").read_text() + (tmp_path / "b" / "server.log").read_text()
    assert not re.search(r"\d+\.\d+\.\d+\.\d+:\d+ - \"", logs), logs
    for secret in (name, token, PASSWORD, words):
        assert secret not in logs


def test_behind_a_trusted_proxy_each_visitor_is_counted_on_their_own(tmp_path: Path) -> None:
    settings = {"KINDRED_RATE_LIMITS": "on", "KINDRED_TRUSTED_PROXIES": "127.0.0.1"}
    with serve(tmp_path, **settings) as server:

        def join(address: str) -> int:
            response = httpx.post(
                f"{server.url}/api/v1/accounts",
                json={"password": PASSWORD},
                headers={"X-Forwarded-For": address},
            )
            return response.status_code

        assert [join("203.0.113.5") for _ in range(10)] == [201] * 10
        assert join("203.0.113.5") == 429
        assert join("198.51.100.23") == 201
