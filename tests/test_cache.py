"""app/cache.py: entries served only for their exact version, in Redis or in one process."""

import time

import pytest
import redis

from app import cache
from tests.live import free_port


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.redis_url = redis_url
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{cache.KEY_PREFIX}:*"):
        client.delete(key)
    yield client
    client.close()


def test_an_entry_is_served_for_its_own_version_only(settings) -> None:
    settings.redis_url = None
    cache.put("story-page:1", b"<p>version 5</p>", version=5)
    assert cache.get("story-page:1", version=5) == b"<p>version 5</p>"
    assert cache.get("story-page:1", version=6) is None
    cache.put("story-page:1", b"<p>version 6</p>", version=6)  # replaces the older one
    assert cache.get("story-page:1", version=5) is None
    assert cache.get("story-page:1", version=6) == b"<p>version 6</p>"


def test_another_release_never_serves_what_this_one_rendered(settings, monkeypatch) -> None:
    settings.redis_url = None
    cache.put("story-page:2", b"old templates", version=1)
    monkeypatch.setattr(cache, "deployment", lambda: "another-release")
    assert cache.get("story-page:2", version=1) is None


def test_the_fingerprint_follows_the_code_and_templates() -> None:
    assert cache.deployment() == cache.deployment()
    assert len(cache.deployment()) == 16


def test_the_in_process_store_keeps_within_its_size_and_forgets_the_least_used() -> None:
    store = cache.MemoryStore(capacity=10)
    store.set("a", b"12345", 60)
    store.set("b", b"12345", 60)
    assert store.get("a") == b"12345"  # "a" is now the most recently used
    store.set("c", b"12345", 60)
    assert store.get("b") is None and store.get("a") == b"12345" and store.get("c") == b"12345"
    assert store.size == 10
    store.set("huge", b"x" * 11, 60)  # larger than the whole store: not kept
    assert store.get("huge") is None and store.size == 10


def test_the_in_process_store_lets_entries_lapse(monkeypatch) -> None:
    store = cache.MemoryStore()
    store.set("a", b"words", 60)
    now = time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + 61)
    assert store.get("a") is None and store.size == 0


def test_redis_holds_entries_for_every_worker_and_lets_them_lapse(
    settings, redis_cache: redis.Redis
) -> None:
    settings.cache_seconds = 120
    cache.put("story-json:3", b'{"id":3}', version=9)
    stored = redis_cache.get(f"{cache.KEY_PREFIX}:story-json:3")
    assert stored is not None and stored.endswith(b'{"id":3}')
    assert 0 < redis_cache.ttl(f"{cache.KEY_PREFIX}:story-json:3") <= 120
    assert cache.RedisStore(settings.redis_url).get("story-json:3") == stored
    assert cache.get("story-json:3", version=9) == b'{"id":3}'


def test_pages_still_answer_when_redis_is_down(db, client, settings, circle, member) -> None:
    from tests.factories import make_story

    story = make_story(db, author=member, circle=circle, title="Still readable")
    db.commit()
    settings.redis_url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    for path in (f"/stories/{story.id}", f"/api/v1/stories/{story.id}"):
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200 and "Still readable" in response.text


def test_after_a_redis_error_a_worker_leaves_redis_alone_for_a_while(monkeypatch) -> None:
    store = cache.RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    calls = []

    def broken(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise redis.TimeoutError("no answer")

    monkeypatch.setattr(store.client, "get", broken)
    monkeypatch.setattr(store.client, "set", broken)
    assert store.get("a") is None and len(calls) == 1
    store.set("a", b"x", 60)
    assert store.get("a") is None and len(calls) == 1  # resting: Redis not asked again
    now = time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: now + store.RETRY_SECONDS + 1)
    assert store.get("a") is None and len(calls) == 2  # and asked again afterwards
