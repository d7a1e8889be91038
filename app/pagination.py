"""Keyset pagination: opaque cursors over the sort key of the last item, never OFFSET."""

import base64
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from app.db import MAX_ID
from app.errors import Invalid

T = TypeVar("T")

DEFAULT_LIMIT, MAX_LIMIT = 20, 100


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_key(*values: int) -> str:
    raw = "k1:" + ":".join(str(v) for v in values)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_key(cursor: str | None, size: int) -> tuple[int, ...] | None:
    """The key a cursor carries, checked to be one this server could have given out."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, *parts = raw.split(":")
        if prefix != "k1" or len(parts) != size or not all(p.isdigit() for p in parts):
            raise ValueError(raw)
        values = tuple(int(p) for p in parts)
        if not 0 < values[-1] <= MAX_ID or any(v > MAX_ID for v in values):
            raise ValueError(raw)
        return values
    except ValueError:
        raise Invalid(
            [{"field": "cursor", "message": "This cursor is not one we gave out."}]
        ) from None


def encode_cursor(last_id: int) -> str:
    return encode_key(last_id)


def decode_cursor(cursor: str | None) -> int | None:
    key = decode_key(cursor, 1)
    return key[0] if key else None


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=64, description="next_cursor of the previous page")]
