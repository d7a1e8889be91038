from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, model_validator

from app.accounts.models import Account
from app.db import MAX_ID
from app.help import service as help_now
from app.moderation import cases as moderation
from app.reactions.models import ReactionKind
from app.stories.models import Post

if TYPE_CHECKING:
    from app.stories.service import Node, StoryListing
    from app.stories.tips import Tip
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


class StigmaRead(BaseModel):
    term: str
    start: int = Field(description="character offset into the submitted text of `field`")
    end: int
    suggestion: str
    explanation: str
    field: str | None = Field(default=None, description="which field: body, title, ...")


class ScreeningRead(BaseModel):
    stigma: list[StigmaRead]
    crisis: bool
    pii_redacted: int
    held_for_review: bool
    redactions: list[str] = Field(default_factory=list, description="kinds of detail removed")


class HelpResourceRead(BaseModel):
    name: str
    contact: str
    url: str | None = None
    region: str | None = None


class ScreenRequest(BaseModel):
    text: str = Field(max_length=STORY_BODY_MAX)


class ScreenResult(ScreeningRead):
    redacted_text: str
    help: list[HelpResourceRead] | None = Field(default=None, description="when crisis is true")


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
    screening: ScreeningRead | None = Field(
        default=None, description="what screening found; shown to the author and moderators only"
    )
    help: list[HelpResourceRead] | None = Field(
        default=None, description="help-now resources, for the author of a post signalling crisis"
    )
    removal_reason: str | None = Field(
        default=None, description="a moderator's reason, shown to the author of a removed post"
    )


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


class TipRead(BaseModel):
    id: int = Field(description="the reply's post id")
    story_id: int
    story_title: str | None
    circle: str
    content_warning: str | None = Field(description="the story's content warning, if any")
    body: str
    body_html: str
    author: AuthorRead | None
    helpful: int = Field(description="members who found it helpful")
    created_at: datetime


def tip_read(tip: "Tip") -> dict[str, Any]:
    return {
        "id": tip.reply.id,
        "story_id": tip.story.id,
        "story_title": tip.story.title,
        "circle": tip.circle_slug,
        "content_warning": tip.story.content_warning,
        "body": tip.reply.body,
        "body_html": tip.reply.body_html,
        "author": _author(tip.reply),
        "helpful": tip.helpful,
        "created_at": tip.reply.created_at,
    }


# --- shaping posts for the API, as one viewer may see them --------------------------------------


def _post_fields(node: "Node", viewer: Account | None) -> dict[str, Any]:
    post, visible = node.post, node.visible
    return {
        "id": post.id,
        "story_id": post.story_id,
        "status": post.status.value,
        "body": post.body if visible else "",
        "body_html": post.body_html if visible else "",
        "author": _author(post) if visible else None,
        "anonymous": post.is_anonymous,
        "mine": _is_author(post, viewer),
        "deleted": post.deleted_at is not None,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "reactions": node.reactions,
        "my_reactions": sorted(node.my_reactions),
        **_private_fields(post, viewer),
    }


def _is_author(post: Post, viewer: Account | None) -> bool:
    return viewer is not None and post.author_id == viewer.id


def _private_fields(post: Post, viewer: Account | None) -> dict[str, Any]:
    """What only the author and moderators see: screening, help-now, a removal's reason."""
    if not (_is_author(post, viewer) or moderation.is_staff(viewer)):
        return {}
    found = post.screening
    crisis = bool(found and found.get("crisis"))
    return {
        "screening": found,
        "help": [asdict(r) for r in help_now.resources()] if crisis else None,
        "removal_reason": post.removal_reason,
    }


def _author(post: Post) -> dict[str, str] | None:
    if post.is_anonymous or post.author is None:
        return None
    return {"pseudonym": post.author.pseudonym}


def story_read(node: "Node", circle_slug: str, viewer: Account | None) -> dict[str, Any]:
    visible = node.visible
    return _post_fields(node, viewer) | {
        "title": node.post.title if visible else None,
        "circle": circle_slug,
        "content_warning": node.post.content_warning if visible else None,
    }


def reply_read(node: "Node", viewer: Account | None) -> dict[str, Any]:
    return _post_fields(node, viewer) | {
        "parent_id": node.post.parent_id,
        "depth": node.post.depth,
        "coping_tip": node.post.is_coping_tip,
        "children": [reply_read(c, viewer) for c in node.children],
    }


def summary_read(item: "StoryListing") -> dict[str, Any]:
    story = item.story
    return {
        "id": story.id,
        "title": story.title,
        "circle": item.circle_slug,
        "author": _author(story),
        "content_warning": story.content_warning,
        "excerpt": None if story.content_warning else story.excerpt,
        "reply_count": item.reply_count,
        "created_at": story.created_at,
    }


def post_read(node: "Node", circle_slug: str, viewer: Account | None) -> dict[str, Any]:
    """A story or a reply as the API's Post, as this viewer may see it."""
    if node.post.is_story:
        return story_read(node, circle_slug, viewer)
    return reply_read(node, viewer)
