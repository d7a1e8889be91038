"""Sample circles, members, stories and replies for a first run; safe to load twice."""

import json
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.models import Account
from app.circles import service as circles
from app.circles.models import Circle
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories.models import Post

DATA = Path(__file__).with_name("demo.json")


def load(session: Session, *, only_if_empty: bool = False) -> int:
    if only_if_empty and session.scalar(select(func.count()).select_from(Circle)):
        return 0
    data = json.loads(DATA.read_text())
    added = 0
    for position, spec in enumerate(data["circles"]):
        if circles.find_circle(session, spec["slug"]) is None:
            added += 1
        circles.ensure_circle(session, position=position, **spec)
    members: dict[str, Account] = {}
    for name in data["members"]:
        account = accounts.find_account(session, name)
        if account is None:
            # Demo members get random passwords nobody knows: a demo must not open a door.
            account = accounts.create_account(
                session, pseudonym=name, password=secrets.token_urlsafe(24)
            )
            added += 1
        members[name] = account
    for spec in data["stories"]:
        author = members[spec["author"]]
        exists = session.scalar(
            select(Post.id).where(
                Post.author_id == author.id, Post.title == spec["title"], Post.parent_id.is_(None)
            )
        )
        if exists is not None:
            continue
        story = stories.publish_story(
            session,
            author=author,
            circle=spec["circle"],
            title=spec["title"],
            body=spec["body"],
            content_warning=spec.get("content_warning"),
            anonymous=False,
            # Seeded by the operator, so not a new member's first post to pre-moderate.
            premoderate=False,
        )
        added += 1 + _replies(session, members, story, story, spec.get("replies", []))
    session.flush()
    return added


def _replies(
    session: Session,
    members: dict[str, Account],
    story: Post,
    parent: Post,
    specs: list[dict[str, Any]],
) -> int:
    added = 0
    for spec in specs:
        reply = stories.reply_to_story(
            session,
            author=members[spec["author"]],
            story_id=story.id,
            body=spec["body"],
            parent_id=parent.id,
            coping_tip=spec.get("tip", False),
            anonymous=False,
            premoderate=False,
        )
        for i, kind in enumerate(spec.get("reactions", [])):
            reactor = list(members.values())[i % len(members)]
            reactions.react(session, member=reactor, post=reply, kind=ReactionKind(kind))
        added += 1 + _replies(session, members, story, reply, spec.get("replies", []))
    return added
