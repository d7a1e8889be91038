from collections import defaultdict

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import ratelimit
from app.accounts.models import Account
from app.moderation import cases as moderation
from app.notifications import notify as notifications
from app.reactions.models import Reaction, ReactionKind
from app.stories.models import Post

Tally = dict[int, dict[ReactionKind, int]]


_KINDS = tuple(ReactionKind)  # iterating the Enum class itself is slow; a thread asks per reply


def empty_counts() -> dict[ReactionKind, int]:
    return dict.fromkeys(_KINDS, 0)


def tally_story(
    session: Session, *, story_id: int, viewer: Account | None
) -> tuple[Tally, dict[int, set[ReactionKind]]]:
    """Counts for every post of a thread, and the viewer's own reactions: two queries."""
    counts: Tally = defaultdict(empty_counts)
    rows = session.execute(
        select(Reaction.post_id, Reaction.kind, func.count())
        .join(Post, Post.id == Reaction.post_id)
        .where(Post.story_id == story_id)
        .group_by(Reaction.post_id, Reaction.kind)
    )
    for post_id, kind, n in rows:
        counts[post_id][kind] = n
    mine = mine_in_story(session, story_id=story_id, member=viewer) if viewer else {}
    return counts, mine


def mine_in_story(
    session: Session, *, story_id: int, member: Account
) -> dict[int, set[ReactionKind]]:
    """The member's own reactions in a thread, by post: one query."""
    mine: dict[int, set[ReactionKind]] = defaultdict(set)
    own = session.execute(
        select(Reaction.post_id, Reaction.kind)
        .join(Post, Post.id == Reaction.post_id)
        .where(Post.story_id == story_id, Reaction.account_id == member.id)
    )
    for post_id, kind in own:
        mine[post_id].add(kind)
    return mine


def tally_posts(session: Session, *, post_ids: list[int]) -> Tally:
    counts: Tally = defaultdict(empty_counts)
    rows = session.execute(
        select(Reaction.post_id, Reaction.kind, func.count())
        .where(Reaction.post_id.in_(post_ids))
        .group_by(Reaction.post_id, Reaction.kind)
    )
    for post_id, kind, n in rows:
        counts[post_id][kind] = n
    return counts


def counts_for(session: Session, *, post_id: int) -> dict[ReactionKind, int]:
    return tally_posts(session, post_ids=[post_id])[post_id]


def react(session: Session, *, member: Account, post: Post, kind: ReactionKind) -> None:
    """One reaction of each kind per member per post; reacting twice changes nothing."""
    moderation.require_active(member)
    ratelimit.hit("reaction", member.id)
    if has_reacted(session, member=member, post=post, kind=kind):
        return
    try:
        with session.begin_nested():
            session.add(Reaction(post_id=post.id, account_id=member.id, kind=kind))
            session.flush()
    except IntegrityError:
        pass  # a concurrent identical reaction won the race: the outcome is the same
    else:
        notifications.notify_reaction(session, member=member, post=post)


def unreact(session: Session, *, member: Account, post: Post, kind: ReactionKind) -> None:
    moderation.require_active(member)
    ratelimit.hit("reaction", member.id)
    session.execute(
        delete(Reaction).where(
            Reaction.post_id == post.id, Reaction.account_id == member.id, Reaction.kind == kind
        )
    )


def has_reacted(session: Session, *, member: Account, post: Post, kind: ReactionKind) -> bool:
    return session.get(Reaction, (post.id, member.id, kind)) is not None
