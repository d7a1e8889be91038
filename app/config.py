import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE = Path(".kindred-secret")


def _local_secret() -> str:
    """A per-installation secret kept beside the database, made on first use."""
    if SECRET_FILE.exists():
        return SECRET_FILE.read_text().strip()
    value = secrets.token_urlsafe(48)
    SECRET_FILE.touch(mode=0o600)
    SECRET_FILE.write_text(value)
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KINDRED_", extra="ignore")

    database_url: str = "sqlite:///./kindred.db"
    secret_key: str = Field(default_factory=_local_secret, min_length=32)
    redis_url: str | None = None
    rate_limits: Literal["on", "off"] = "on"
    premoderate_first_posts: int = Field(default=1, ge=0)
    cookie_secure: bool = False
    # Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated, or
    # "*"): without it every visitor behind the proxy would share one rate-limit counter.
    trusted_proxies: str | None = None
    # A session ends after this long without use, and in any case after the absolute lifetime.
    session_idle_minutes: int = Field(default=60 * 24 * 7, ge=1)
    session_lifetime_days: int = Field(default=30, ge=1)
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # A post that signals crisis waits for a moderator unless this is turned off; either way
    # its author sees help-now resources and the post tops the queue.
    crisis_posts_held: bool = True
    # Distinct members reporting one post before it is hidden pending review.
    report_hide_threshold: int = Field(default=3, ge=1)
    # A moderator's claim on a queue item lapses after this long.
    claim_minutes: int = Field(default=15, ge=1)
    # Rendered threads shared by the workers (app/cache.py) lapse after this many seconds,
    # which bounds how long erased words stay in the cache's memory; 0 turns the cache off.
    cache_seconds: int = Field(default=600, ge=0, le=86_400)
    # A TOML file of help-now resources for this deployment (default: an international list).
    help_resources_file: Path | None = None

    @field_validator("secret_key")
    @classmethod
    def _not_a_placeholder(cls, value: str) -> str:
        if (
            value.lower() in {"changeme", "change-me", "secret", "please-change-me"}
            or len(set(value)) < 8
        ):
            raise ValueError("KINDRED_SECRET_KEY must be a long random value")
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
