"""Coping tips: replies their authors marked as a tip, ranked by how many found them helpful."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from app.circles.models import Circle
from app.pagination import decode_key, encode_key
from app.reactions.models import Reaction, ReactionKind
from app.stories.models import Post, PostStatus


@dataclass
class Tip:
    reply: Post
    story: Post
    circle_slug: str
    helpful: int


def list_tips(
    session: Session, *, circle: Circle | None = None, limit: int = 20, cursor: str | None = None
) -> tuple[list[Tip], str | None]:
    """Published tips in shown stories, most helpful first, then newest; keyset-paginated."""
    story = aliased(Post)
    helpful = (
        select(func.count())
        .where(Reaction.post_id == Post.id, Reaction.kind == ReactionKind.helpful)
        .correlate(Post)
        .scalar_subquery()
        .label("helpful")
    )
    query = (
        select(Post, story, Circle.slug, helpful)
        .join(story, story.id == Post.story_id)
        .join(Circle, Circle.id == Post.circle_id)
        .options(joinedload(Post.author), joinedload(story.author))
        .where(
            Post.is_coping_tip.is_(True),
            Post.parent_id.is_not(None),
            Post.status == PostStatus.published,
            Post.deleted_at.is_(None),
            story.status == PostStatus.published,
            story.deleted_at.is_(None),
        )
    )
    if circle is not None:
        query = query.where(Post.circle_id == circle.id)
    if (key := decode_key(cursor, 2)) is not None:
        query = query.where(_after(helpful, key))
    rows = session.execute(query.order_by(helpful.desc(), Post.id.desc()).limit(limit + 1)).all()
    tips = [Tip(reply, parent, slug, count) for reply, parent, slug, count in rows[:limit]]
    next_cursor = encode_key(tips[-1].helpful, tips[-1].reply.id) if len(rows) > limit else None
    return tips, next_cursor


def _after(helpful: ColumnElement[int], key: tuple[int, ...]) -> ColumnElement[bool]:
    count, last_id = key
    return or_(helpful < count, and_(helpful == count, Post.id < last_id))
