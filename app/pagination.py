"""Keyset pagination: opaque cursors over descending ids, never OFFSET."""

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


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"k1:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = raw.partition(":")
        if prefix != "k1" or not value.isdigit() or not 0 < int(value) <= MAX_ID:
            raise ValueError(raw)
        return int(value)
    except ValueError:
        raise Invalid(
            [{"field": "cursor", "message": "This cursor is not one we gave out."}]
        ) from None


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=64, description="next_cursor of the previous page")]
