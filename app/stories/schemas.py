from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, model_validator

from app.db import MAX_ID
from app.reactions.models import ReactionKind
from app.text import clean_line, has_text

STORY_BODY_MAX = 20_000
REPLY_BODY_MAX = 10_000
TITLE_MAX = 200
WARNING_MAX = 200


def _title(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("Please give your story a title.")
    # NFC can turn one character into two, so the limit is checked again on the stored form.
    if len(value) > TITLE_MAX:
        raise ValueError(f"Please keep the title to {TITLE_MAX} characters.")
    return value


def _warning(value: str | None) -> str | None:
    if value is None:
        return None
    value = clean_line(value)
    if len(value) > WARNING_MAX:
        raise ValueError(f"Please keep the content warning to {WARNING_MAX} characters.")
    return value or None


def _body(value: str) -> str:
    # The Markdown is kept exactly as sent; only text that is all blank is refused, and the
    # NUL character, which PostgreSQL cannot store in text at all.
    if not has_text(value):
        raise ValueError("Please write something before posting.")
    if "\x00" in value:
        raise ValueError(
            "Your text contains an invisible character (U+0000) we can't store; please remove it."
        )
    return value


Title = Annotated[str, Field(min_length=1, max_length=TITLE_MAX), AfterValidator(_title)]
Warning = Annotated[str | None, Field(max_length=WARNING_MAX), AfterValidator(_warning)]
StoryBody = Annotated[str, Field(min_length=1, max_length=STORY_BODY_MAX), AfterValidator(_body)]
ReplyBody = Annotated[str, Field(min_length=1, max_length=REPLY_BODY_MAX), AfterValidator(_body)]


class StoryCreate(BaseModel):
    circle: str = Field(min_length=1, max_length=64)
    title: Title
    body: StoryBody
    content_warning: Warning = None
    anonymous: bool = False


class ReplyCreate(BaseModel):
    body: ReplyBody
    parent_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    coping_tip: bool = False
    anonymous: bool = False


class PostUpdate(BaseModel):
    body: Annotated[
        str | None,
        Field(min_length=1, max_length=STORY_BODY_MAX),
        AfterValidator(lambda v: _body(v) if v is not None else None),
    ] = None
    title: Annotated[
        str | None,
        Field(min_length=1, max_length=TITLE_MAX),
        AfterValidator(lambda v: _title(v) if v is not None else None),
    ] = None
    content_warning: Warning = None

    @model_validator(mode="after")
    def _something_to_change(self) -> "PostUpdate":
        if not self.model_fields_set:
            raise ValueError("Send at least one of body, title or content_warning.")
        return self


class AuthorRead(BaseModel):
    pseudonym: str


Reactions = dict[ReactionKind, int]


class PostRead(BaseModel):
    id: int
    story_id: int
    status: str
    body: str
    body_html: str
    author: AuthorRead | None = Field(description="null when the post is anonymous")
    anonymous: bool
    mine: bool = Field(description="true when the caller wrote this post")
    deleted: bool
    created_at: datetime
    edited_at: datetime | None
    reactions: Reactions
    my_reactions: list[ReactionKind] = Field(default_factory=list)


class StoryPostRead(PostRead):
    title: str | None
    circle: str
    content_warning: str | None


class ReplyRead(PostRead):
    parent_id: int
    depth: int
    coping_tip: bool
    children: list["ReplyRead"] = Field(default_factory=list)


class StoryRead(StoryPostRead):
    replies: list[ReplyRead]


class StorySummary(BaseModel):
    id: int
    title: str | None
    circle: str
    author: AuthorRead | None
    content_warning: str | None
    excerpt: str | None = Field(description="null when a content warning covers the story")
    reply_count: int
    created_at: datetime
