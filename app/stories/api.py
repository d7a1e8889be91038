from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from app import cache
from app.accounts.deps import CurrentMember, OptionalMember
from app.accounts.models import Account
from app.circles import service as circles
from app.db import SessionDep
from app.help import service as help_now
from app.pagination import Cursor, Limit, Page
from app.stories import service, tips
from app.stories.deps import PostId
from app.stories.models import Post
from app.stories.schemas import (
    PostUpdate,
    ReplyCreate,
    ReplyRead,
    ScreenRequest,
    ScreenResult,
    StoryCreate,
    StoryPostRead,
    StoryRead,
    StorySummary,
    TipRead,
    post_read,
    reply_read,
    story_read,
    summary_read,
    tip_read,
)

router = APIRouter(tags=["stories"])


def _single(session: SessionDep, post: Post, viewer: Account) -> dict[str, Any]:
    node, slug = service.nodes_for(session, posts=[post], viewer=viewer)[0]
    return post_read(node, slug, viewer)


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
    return {"items": [summary_read(i) for i in items], "next_cursor": next_cursor}


@router.get("/tips", response_model=Page[TipRead])
def list_tips(
    session: SessionDep,
    circle: str | None = Query(default=None, max_length=64, description="a circle's slug"),
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Coping tips from replies, most found helpful first, across circles or in one."""
    found = circles.get_circle(session, circle) if circle is not None else None
    items, next_cursor = tips.list_tips(session, circle=found, limit=limit, cursor=cursor)
    return {"items": [tip_read(t) for t in items], "next_cursor": next_cursor}


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
def get_story(story_id: PostId, session: SessionDep, viewer: OptionalMember) -> Any:
    """A story with its whole reply tree, oldest reply first."""

    def tree() -> dict[str, Any]:
        thread = service.get_thread(session, story_id=story_id, viewer=viewer)
        return story_read(thread.story, thread.circle.slug, viewer) | {
            "replies": [reply_read(r, viewer) for r in thread.replies]
        }

    # Everyone signed out gets the same tree: the workers share it, once per thread version.
    version = service.thread_version(session, story_id=story_id) if viewer is None else None
    if version is None:
        return tree()
    return cache.serve(
        f"story-json:{story_id}",
        version=version,
        render=lambda: JSONResponse(StoryRead.model_validate(tree()).model_dump(mode="json")),
    )


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
    # Built from the rows just written, before the commit: no second transaction to read back.
    answer = _single(session, post, member)
    session.commit()
    return answer


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


@router.post("/screen", response_model=ScreenResult)
def screen_text(body: ScreenRequest) -> dict[str, Any]:
    """Preview what screening finds in a draft: stigma, crisis, personal details. Stores nothing."""
    screened = service.screen_fields(text=body.text)
    result = screened.report(held=False) | {"redacted_text": screened.fields["text"] or ""}
    if screened.crisis:
        result["help"] = [asdict(r) for r in help_now.resources()]
    return result
