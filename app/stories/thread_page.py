"""A story's page for a signed-in member, from the thread rendered once for every member.

The thread (kept in the shared cache, app/cache.py, by its database version) is rendered for
a member who has written nothing in it, with a stand-in for the form token. Each member then
gets it with three things put in: their own articles as they see them (edit links, redaction
notes, their removed posts with the reason), their pressed reactions and their own token.
The page around it (header, reply form, help-now) is rendered for them as usual.
"""

import re
from types import SimpleNamespace

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from app import cache
from app.accounts.models import Account
from app.errors import NotFound
from app.reactions import service as reactions
from app.stories import service
from app.stories.models import Post, PostStatus
from app.web import csrf_slot, csrf_token, render, templates

# What the thread's forms and links need to know of "a signed-in member", and no more.
READER = SimpleNamespace(id=0)
# Where the thread goes in the page around it (no text a member writes can contain "<!--").
THREAD_SLOT = Markup("<!-- the thread -->")
# One post's article as its author sees it, to put in place of the shared rendering's.
OWN_ARTICLE = templates.env.from_string(
    '{% from "stories/_post.html" import story_article, reply_article with context %}'
    "{% if circle %}{{ story_article(node, circle) }}{% else %}{{ reply_article(node, story_id) }}"
    "{% endif %}"
)


def _article(html: bytes, post: Post) -> tuple[int, int] | None:
    """Where a post's own article stands in a rendered thread (None: not there)."""
    opening = '<article class="story"' if post.is_story else f'<article id="reply-{post.id}" '
    start = html.find(opening.encode())
    end = html.find(b"</article>", start)
    return None if start < 0 or end < 0 else (start, end + len(b"</article>"))


def for_member(
    request: Request, session: Session, viewer: Account, story_id: int, version: int
) -> Response | None:
    """The page from the thread rendered once for every member (kept in the shared cache),
    with this member's own posts, reactions and form token put in. None when the member can
    see a post that the shared rendering leaves out (their own, waiting for a moderator)."""
    story = service.get_story_post(session, story_id=story_id, viewer=viewer)

    def thread_for_readers() -> bytes:
        thread = service.get_thread(session, story_id=story_id, viewer=None)
        context = {
            "request": request,
            "thread": thread,
            "viewer": READER,
            "csrf_token": csrf_slot(),
            "max_depth": service.MAX_REPLY_DEPTH,
        }
        return templates.get_template("stories/_thread.html").render(context).encode()

    mine = reactions.mine_in_story(session, story_id=story_id, member=viewer)
    own = service.own_nodes(session, story_id=story_id, member=viewer, mine=mine)
    if any(n.post.status == PostStatus.pending and n.post.deleted_at is None for n in own):
        return None  # only its author sees it in place: the shared rendering has no room for it
    try:
        thread = cache.fetch(f"story-reader:{story_id}", version=version, make=thread_for_readers)
    except NotFound:  # hidden from others since `own` was read: only its author sees it now
        return None
    for node in own:
        found = _article(thread, node.post)
        if found is None:
            return None
        context = {
            "request": request,
            "viewer": viewer,
            "csrf_token": csrf_token(request),
            "node": node,
            "story_id": story_id,
            "circle": service.circle_of(session, story=story) if node.post.is_story else None,
        }
        article = OWN_ARTICLE.render(context).encode()
        article = article[article.index(b"<article") :]
        thread = thread[: found[0]] + article + thread[found[1] :]
    # The member's token and pressed reactions go in, in one pass over the bytes.
    swaps = {csrf_slot().encode(): csrf_token(request).encode()}
    for post_id, kinds in mine.items():
        for kind in kinds:
            button = f'" id="react-{post_id}-{kind.value}"'
            swaps[f'aria-pressed="false{button}'.encode()] = f'aria-pressed="true{button}'.encode()
    pattern = re.compile(b"|".join(re.escape(mark) for mark in swaps))
    personal = pattern.sub(lambda found: swaps[found.group(0)], thread)
    context = {
        "thread_html": THREAD_SLOT,
        "story": story,
        "story_visible": service.can_see(story, viewer),
        "form": {},
        "errors": {},
        # An author whose words here signalled crisis sees help-now first, every visit.
        "show_help": service.signals_crisis((n.post for n in own), viewer),
    }
    # The page around the thread is rendered for the member; the thread joins it as bytes.
    response = render(request, "stories/detail.html", context)
    before, after = bytes(response.body).split(THREAD_SLOT.encode(), 1)
    response.body = before + personal + after
    response.headers["content-length"] = str(len(response.body))
    return response
