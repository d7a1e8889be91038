from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app.accounts.deps import PageMember, page_viewer
from app.db import SessionDep
from app.errors import Invalid
from app.reactions import service
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories.deps import PostId
from app.web import CsrfChecked, path_for, redirect

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)


@router.post("/posts/{post_id}/reactions", name="reactions.toggle")
def toggle(
    request: Request,
    post_id: PostId,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    kind: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """One button per kind: pressing it again takes the reaction back."""
    if kind not in ReactionKind.__members__:
        raise Invalid([{"field": "kind", "message": "Please choose one of the reactions."}])
    chosen = ReactionKind(kind)
    post = stories.get_reactable(session, post_id=post_id, viewer=member)
    if service.has_reacted(session, member=member, post=post, kind=chosen):
        service.unreact(session, member=member, post=post, kind=chosen)
    else:
        service.react(session, member=member, post=post, kind=chosen)
    session.commit()
    url = str(path_for(request, "stories.detail", story_id=post.story_id or post.id))
    return redirect(url if post.is_story else f"{url}#reply-{post.id}")
