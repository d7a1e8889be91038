"""Rendered pages shared by every worker (Redis when set, else a small in-process store).

An entry is only ever served for the exact version it was made from: each holds a tag, the
database's version of what it shows (a story's thread_version, which database triggers move
on as any transaction that writes to the thread commits) and this deployment's code,
templates and secret key.
A reader reads the version first, then asks for the entry with that tag; an older entry is a
miss and is overwritten. So there is no invalidation to forget, and a change made through one
worker is never served stale by another. Entries also lapse after `cache_seconds`, which
bounds how long words that were erased or removed stay in the store's memory. Losing the
store, or Redis failing, costs speed only: the page is rendered as if nothing were cached.
"""

import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from threading import Lock

import redis
from starlette.responses import Response

from app.config import get_settings

log = logging.getLogger("kindred.cache")

ROOT = Path(__file__).resolve().parent.parent
# Every key in Redis starts with this; values are the tag, a newline, then the bytes.
KEY_PREFIX = "kindred-cache"
# The in-process store (no Redis): about this many bytes of entries per worker at most.
MEMORY_BYTES = 16 * 1024 * 1024


@lru_cache
def deployment() -> str:
    """A fingerprint of the code and templates that render entries, and of the secret key
    (entries hold a stand-in derived from it): a new release, or a new key, never serves
    what an older one rendered, even through a Redis both have used."""
    digest = hashlib.sha256(get_settings().secret_key.encode())
    for folder, pattern in ((ROOT / "app", "*.py"), (ROOT / "templates", "*.html")):
        for path in sorted(folder.rglob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class MemoryStore:
    """Least recently used entries, up to a size in bytes; one per worker process."""

    def __init__(self, capacity: int = MEMORY_BYTES) -> None:
        self.capacity = capacity
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if len(value) > self.capacity:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + seconds, value)
            self.size += len(value)
            while self.size > self.capacity:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key)[1])


class RedisStore:
    """Entries in Redis, shared by every worker and machine; an error is a miss, and after
    one this worker leaves Redis alone for a while, so that a Redis that hangs costs one
    timeout every RETRY_SECONDS instead of one (or two) on every page."""

    RETRY_SECONDS = 30.0

    def __init__(self, url: str) -> None:
        # Short timeouts: a slow Redis must not make pages slower than not caching at all.
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.resting_until = 0.0

    def get(self, key: str) -> bytes | None:
        if time.monotonic() < self.resting_until:
            return None
        try:
            value = self.client.get(f"{KEY_PREFIX}:{key}")
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes, seconds: int) -> None:
        if time.monotonic() < self.resting_until:
            return
        try:
            self.client.set(f"{KEY_PREFIX}:{key}", value, ex=seconds)
        except redis.RedisError as exc:
            self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        self.resting_until = time.monotonic() + self.RETRY_SECONDS
        log.warning(
            "page cache unavailable, rendering pages for %.0f s: %s", self.RETRY_SECONDS, exc
        )


_stores: dict[str, MemoryStore | RedisStore] = {}


def _store() -> MemoryStore | RedisStore:
    url = get_settings().redis_url or "memory://"
    if url not in _stores:
        _stores[url] = MemoryStore() if url == "memory://" else RedisStore(url)
    return _stores[url]


def _tag(version: int) -> bytes:
    return f"{deployment()}:{version}\n".encode()


def get(key: str, *, version: int) -> bytes | None:
    """The bytes stored under `key` for exactly this version, or None."""
    if get_settings().cache_seconds == 0:
        return None
    value = _store().get(key)
    tag = _tag(version)
    if value is None or not value.startswith(tag):
        return None
    return value[len(tag) :]


def put(key: str, value: bytes, *, version: int) -> None:
    """Keep `value` for readers of this version (replacing whatever the key held)."""
    seconds = get_settings().cache_seconds
    if seconds:
        _store().set(key, _tag(version) + value, seconds)


def fetch(key: str, *, version: int, make: Callable[[], bytes]) -> bytes:
    """The bytes stored for this version, or `make()`'s, kept for the next reader."""
    value = get(key, version=version)
    if value is None:
        value = make()
        put(key, value, version=version)
    return value


def serve(key: str, *, version: int, render: Callable[[], Response]) -> Response:
    """The response stored for this version, or `render()`'s, kept when it is a 200 (with
    its media type, so a kept answer is served exactly as it was made)."""
    if (kept := get(key, version=version)) is not None:
        media_type, _, body = kept.partition(b"\n")
        return Response(body, media_type=media_type.decode())
    response = render()
    if response.status_code == 200:
        media_type = response.headers["content-type"].encode()
        put(key, media_type + b"\n" + bytes(response.body), version=version)
    return response
