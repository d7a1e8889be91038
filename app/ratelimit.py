"""Rate limits on sign-up, sign-in and every kind of write, shared through Redis when set.

Members are counted by account id. Visitors who are not signed in yet are counted by a keyed
hash of their network address that changes every day (`client_key`): the address itself is
never stored, and yesterday's hash cannot be matched to today's.
"""

import hashlib
import hmac
import logging
import math
import time
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from app.config import get_settings
from app.errors import RateLimited

log = logging.getLogger("kindred.ratelimit")

# Generous for a person, tight for a script. Sign-in counts failures only (see accounts).
RULES: dict[str, tuple[RateLimitItem, str]] = {
    "signup": (parse("10/hour"), "new accounts from one place"),
    "signin_client": (parse("30/15 minutes"), "failed sign-ins from one place"),
    "signin_name": (parse("10/15 minutes"), "failed sign-ins to one account from one place"),
    "signin_account": (parse("100/hour"), "failed sign-ins to one account from anywhere"),
    "recover": (parse("10/hour"), "recovery attempts from one place"),
    "story": (parse("10/hour"), "new stories"),
    "reply": (parse("60/hour"), "replies"),
    "edit": (parse("60/hour"), "edits"),
    "reaction": (parse("120/10 minutes"), "reactions"),
    "report": (parse("20/hour"), "reports"),
    "appeal": (parse("10/hour"), "appeals"),
}

# Every counter's key in Redis starts with this (and holds only rule names and hashes).
KEY_PREFIX = "kindred-limits"
_limiters: dict[str, MovingWindowRateLimiter] = {}


def _limiter() -> MovingWindowRateLimiter:
    url = get_settings().redis_url or "memory://"
    if url not in _limiters:
        storage: Storage = (
            MemoryStorage()
            if url == "memory://"
            else RedisStorage(url, key_prefix=KEY_PREFIX, wrap_exceptions=True)
        )
        _limiters[url] = MovingWindowRateLimiter(storage)
    return _limiters[url]


def _enabled() -> bool:
    return get_settings().rate_limits == "on"


def _refusal(rule: str, identifier: str) -> RateLimited:
    item, what = RULES[rule]
    stats = _limiter().get_window_stats(item, rule, identifier)
    wait = max(1, math.ceil(stats.reset_time - time.time()))
    minutes = math.ceil(wait / 60)
    when = f"{wait} seconds" if wait < 90 else f"about {minutes} minutes"
    return RateLimited(
        wait, f"That is a lot of {what} in a short time. Please try again in {when}."
    )


def _apply(rule: str, identifier: str | int, *, counts: bool, refuses: bool) -> None:
    if not _enabled():
        return
    key = str(identifier)
    item = RULES[rule][0]
    limiter = _limiter()
    try:
        allowed = limiter.hit(item, rule, key) if counts else limiter.test(item, rule, key)
        if refuses and not allowed:
            raise _refusal(rule, key)
    except StorageError:
        log.warning("rate-limit storage unavailable; %s not applied", rule)


def check(rule: str, identifier: str | int) -> None:
    """Refuse (429) if the limit is already reached, without counting this attempt."""
    _apply(rule, identifier, counts=False, refuses=True)


def hit(rule: str, identifier: str | int) -> None:
    """Count one attempt, refusing (429) once the limit is reached."""
    _apply(rule, identifier, counts=True, refuses=True)


def count(rule: str, identifier: str | int) -> None:
    """Count one attempt without refusing it (failed sign-ins: the next one is refused)."""
    _apply(rule, identifier, counts=True, refuses=False)


def reset() -> None:
    """Forget every count (tests, and operators after a false alarm)."""
    for limiter in _limiters.values():
        try:
            limiter.storage.reset()
        except StorageError:
            log.warning("rate-limit storage unavailable; counts not reset")


def _client_hash(address: str, day: date) -> str:
    secret = get_settings().secret_key.encode()
    message = f"{day.isoformat()}|{address}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def client_key(request: Request) -> str:
    """A keyed hash of the client's address and today's date: counts, never identifies."""
    address = request.client.host if request.client else "unknown"
    return _client_hash(address, datetime.now(UTC).date())


ClientKey = Annotated[str, Depends(client_key)]
