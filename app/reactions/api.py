from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from app.accounts.deps import CurrentMember
from app.db import SessionDep
from app.reactions import service
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories.deps import PostId

router = APIRouter(tags=["reactions"])


class ReactionCounts(BaseModel):
    reactions: dict[ReactionKind, int]


@router.put("/posts/{post_id}/reactions/{kind}", response_model=ReactionCounts)
def react(
    post_id: PostId, kind: ReactionKind, member: CurrentMember, session: SessionDep
) -> dict[str, Any]:
    """Add your reaction of this kind (once per kind)."""
    post = stories.get_reactable(session, post_id=post_id, viewer=member)
    service.react(session, member=member, post=post, kind=kind)
    session.commit()
    return {"reactions": service.counts_for(session, post_id=post.id)}


@router.delete("/posts/{post_id}/reactions/{kind}", response_model=ReactionCounts)
def unreact(
    post_id: PostId, kind: ReactionKind, member: CurrentMember, session: SessionDep
) -> dict[str, Any]:
    """Take your reaction of this kind back."""
    post = stories.get_post(session, post_id=post_id, viewer=member)
    service.unreact(session, member=member, post=post, kind=kind)
    session.commit()
    return {"reactions": service.counts_for(session, post_id=post.id)}
