from datetime import datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, model_validator

from app.db import MAX_ID
from app.notifications.models import NotificationKind

NotificationId = Annotated[int, Field(ge=1, le=MAX_ID)]


class NotificationRead(BaseModel):
    id: int
    kind: NotificationKind
    text: str
    url: str | None = Field(description="Where it leads; null once the post is no longer shown")
    created_at: datetime
    read: bool


class NotificationsRead(BaseModel):
    """Either `ids` (your own notices; others' are ignored) or `all: true`."""

    ids: list[NotificationId] | None = Field(default=None, max_length=100)
    all: Literal[True] | None = None

    @model_validator(mode="after")
    def one_of_the_two(self) -> Self:
        if (self.ids is None) == (self.all is None):
            raise ValueError('Send either "ids" or "all": true.')
        return self


class UnreadCount(BaseModel):
    unread: int
