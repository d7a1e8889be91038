from dataclasses import dataclass

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, joinedload

from app.accounts.models import Account
from app.db import utcnow
from app.errors import NotFound
from app.notifications.models import Notification, NotificationKind
from app.pagination import decode_key, encode_key
from app.stories import service as stories
from app.stories.models import Post, PostStatus

GONE = "A post this notice was about is no longer available."


@dataclass
class Notice:
    notification: Notification
    text: str
    url: str | None  # None when the post is no longer visible to the recipient

    @property
    def is_read(self) -> bool:
        return self.notification.read_at is not None


def _noun(post: Post) -> str:
    return "story" if post.is_story else "reply"


def _describe(kind: NotificationKind, post: Post) -> str:
    """A short, safe sentence: never a word of any post, never an anonymous writer's name."""
    match kind:
        case NotificationKind.reply:
            who = "Someone" if post.is_anonymous or not post.author else post.author.pseudonym
            answered = "story" if post.parent_id == post.story_id else "reply"
            return f"{who} replied to your {answered}."
        case NotificationKind.reaction:
            return f"Someone reacted to your {_noun(post)}."
        case NotificationKind.post_removed:
            reason = post.removal_reason if post.status == PostStatus.removed else None
            said = f" Their reason: {reason}" if reason else ""
            return f"A moderator removed your {_noun(post)}.{said}"
        case NotificationKind.post_approved:
            return f"A moderator approved your {_noun(post)}. Others can see it now."
        case NotificationKind.appeal_upheld:
            return f"A moderator considered your appeal. The removal of your {_noun(post)} stands."
        case NotificationKind.appeal_overturned:
            return f"Your appeal was accepted: your {_noun(post)} is shown again."
        case NotificationKind.report_reviewed:
            return "A moderator reviewed a post you reported. Thank you for looking out for others."


def _notice(notification: Notification, post: Post, member: Account) -> Notice:
    if not stories.can_see(post, member):
        # What a reviewed report says is about the moderators, not the post: it stays.
        keep = notification.kind == NotificationKind.report_reviewed
        return Notice(notification, _describe(notification.kind, post) if keep else GONE, None)
    story_id = post.story_id or post.id
    url = f"/stories/{story_id}" + ("" if post.is_story else f"#reply-{post.id}")
    return Notice(notification, _describe(notification.kind, post), url)


def _with_posts(member: Account) -> Select[Notification, Post]:
    return (
        select(Notification, Post)
        .join(Post, Post.id == Notification.post_id)
        .options(joinedload(Post.author))
        .where(Notification.account_id == member.id)
    )


def list_notifications(
    session: Session, *, member: Account, limit: int = 20, cursor: str | None = None
) -> tuple[list[Notice], str | None]:
    """Newest first, keyset-paginated on id: one query per page."""
    query = _with_posts(member)
    if (key := decode_key(cursor, 1)) is not None:
        query = query.where(Notification.id < key[0])
    rows = session.execute(query.order_by(Notification.id.desc()).limit(limit + 1)).all()
    notices = [_notice(n, post, member) for n, post in rows[:limit]]
    next_cursor = encode_key(rows[limit - 1][0].id) if len(rows) > limit else None
    return notices, next_cursor


def unread_count(session: Session, *, member: Account) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.account_id == member.id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, *, member: Account, ids: list[int] | None) -> int:
    """Mark these notices (None: all of them) read; ids of other members' notices are ignored.

    Returns how many are still unread.
    """
    query = update(Notification).where(
        Notification.account_id == member.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        query = query.where(Notification.id.in_(ids))
    session.execute(query.values(read_at=utcnow()))
    return unread_count(session, member=member)


def open_notification(session: Session, *, member: Account, notification_id: int) -> Notice:
    """The notice a member follows: marked read, with where it leads."""
    row = session.execute(
        _with_posts(member).where(Notification.id == notification_id)
    ).one_or_none()
    if row is None:  # someone else's notice is as absent as one that never was
        raise NotFound("There is no notice with this id.")
    notification, post = row
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.flush()
    return _notice(notification, post, member)
