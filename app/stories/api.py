from typing import Any

from fastapi import APIRouter, Query, Response

from app.accounts.deps import CurrentMember, OptionalMember
from app.accounts.models import Account
from app.circles import service as circles
from app.db import SessionDep
from app.pagination import Cursor, Limit, Page
from app.reactions import service as reactions
from app.stories import service
from app.stories.deps import PostId
from app.stories.models import Post
from app.stories.schemas import (
    PostUpdate,
    ReplyCreate,
    ReplyRead,
    StoryCreate,
    StoryPostRead,
    StoryRead,
    StorySummary,
)
from app.stories.service import Node, StoryListing

router = APIRouter(tags=["stories"])

# An id past the 64-bit range names no post: 404 like any unknown id, not a driver error.


def _post_fields(node: Node, viewer: Account | None) -> dict[str, Any]:
    post, visible = node.post, node.visible
    return {
        "id": post.id,
        "story_id": post.story_id,
        "status": post.status.value,
        "body": post.body if visible else "",
        "body_html": post.body_html if visible else "",
        "author": _author(post) if visible else None,
        "anonymous": post.is_anonymous,
        "mine": service.is_author(post, viewer),
        "deleted": post.deleted_at is not None,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "reactions": node.reactions,
        "my_reactions": sorted(node.my_reactions),
    }


def _author(post: Post) -> dict[str, str] | None:
    if post.is_anonymous or post.author is None:
        return None
    return {"pseudonym": post.author.pseudonym}


def story_fields(node: Node, circle_slug: str, viewer: Account | None) -> dict[str, Any]:
    visible = node.visible
    return _post_fields(node, viewer) | {
        "title": node.post.title if visible else None,
        "circle": circle_slug,
        "content_warning": node.post.content_warning if visible else None,
    }


def reply_fields(node: Node, viewer: Account | None) -> dict[str, Any]:
    return _post_fields(node, viewer) | {
        "parent_id": node.post.parent_id,
        "depth": node.post.depth,
        "coping_tip": node.post.is_coping_tip,
        "children": [reply_fields(c, viewer) for c in node.children],
    }


def _single(session: SessionDep, post: Post, viewer: Account) -> dict[str, Any]:
    node = Node(
        post, service.can_see(post, viewer), reactions.counts_for(session, post_id=post.id), set()
    )
    if post.is_story:
        slug = circles.slug_of(session, circle_id=post.circle_id)
        return story_fields(node, slug, viewer)
    return reply_fields(node, viewer)


def summary(item: StoryListing) -> dict[str, Any]:
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


@router.get("/stories", response_model=Page[StorySummary])
def list_stories(
    session: SessionDep,
    circle: str | None = Query(default=None, max_length=64, description="a circle's slug"),
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Published stories, newest first."""
    found = circles.get_circle(session, circle) if circle is not None else None
    items, next_cursor = service.list_stories(session, circle=found, limit=limit, cursor=cursor)
    return {"items": [summary(i) for i in items], "next_cursor": next_cursor}


@router.post("/stories", status_code=201, response_model=StoryPostRead)
def publish_story(body: StoryCreate, member: CurrentMember, session: SessionDep) -> dict[str, Any]:
    """Share a story in a circle."""
    story = service.publish_story(
        session,
        author=member,
        circle=body.circle,
        title=body.title,
        body=body.body,
        content_warning=body.content_warning,
        anonymous=body.anonymous,
    )
    session.commit()
    return _single(session, service.get_post(session, post_id=story.id, viewer=member), member)


@router.get("/stories/{story_id}", response_model=StoryRead)
def get_story(story_id: PostId, session: SessionDep, viewer: OptionalMember) -> dict[str, Any]:
    """A story with its whole reply tree, oldest reply first."""
    thread = service.get_thread(session, story_id=story_id, viewer=viewer)
    return story_fields(thread.story, thread.circle.slug, viewer) | {
        "replies": [reply_fields(r, viewer) for r in thread.replies]
    }


@router.post("/stories/{story_id}/replies", status_code=201, response_model=ReplyRead)
def reply(
    story_id: PostId, body: ReplyCreate, member: CurrentMember, session: SessionDep
) -> dict[str, Any]:
    """Answer the story, or a reply in it (parent_id)."""
    post = service.reply_to_story(
        session,
        author=member,
        story_id=story_id,
        body=body.body,
        parent_id=body.parent_id,
        coping_tip=body.coping_tip,
        anonymous=body.anonymous,
    )
    session.commit()
    return _single(session, service.get_post(session, post_id=post.id, viewer=member), member)


@router.patch("/posts/{post_id}", response_model=StoryPostRead | ReplyRead)
def edit_post(
    post_id: PostId, body: PostUpdate, member: CurrentMember, session: SessionDep
) -> dict[str, Any]:
    """Edit your own post; the earlier version is kept."""
    post = service.edit_post(
        session, actor=member, post_id=post_id, changes=body.model_dump(exclude_unset=True)
    )
    session.commit()
    return _single(session, service.get_post(session, post_id=post.id, viewer=member), member)


@router.delete("/posts/{post_id}", status_code=204)
def delete_post(post_id: PostId, member: CurrentMember, session: SessionDep) -> Response:
    """Delete your own post; a placeholder keeps replies in place."""
    service.delete_post(session, actor=member, post_id=post_id)
    session.commit()
    return Response(status_code=204)
