"""Creating notices, from the write paths of stories, reactions and moderation.

Kept apart from service.py (the reads) so those write paths need not import stories' reads.
Nobody is told about their own doing, and nobody about a post they cannot see yet.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account
from app.moderation.models import Decision, Report
from app.notifications.models import Notification, NotificationKind
from app.stories.models import Post, PostStatus


def _already(
    session: Session, *, account_id: int, kind: NotificationKind, post_id: int, unread: bool
) -> bool:
    query = select(Notification.id).where(
        Notification.post_id == post_id,
        Notification.account_id == account_id,
        Notification.kind == kind,
    )
    if unread:
        query = query.where(Notification.read_at.is_(None))
    return session.scalar(query.limit(1)) is not None


def _notify(
    session: Session,
    *,
    recipient_id: int | None,
    actor_id: int | None,
    kind: NotificationKind,
    post_id: int,
) -> None:
    if recipient_id is None or recipient_id == actor_id:
        return
    session.add(Notification(account_id=recipient_id, kind=kind, post_id=post_id))
    session.flush()


def notify_reply(session: Session, *, reply: Post, written_now: bool = False) -> None:
    """Tell the author of the post answered, once, when the reply is published.

    Called when a reply is written (`written_now`: no notice can point at it yet) and again
    when a moderator approves one; a reply held for review tells nobody until then.
    """
    if reply.parent_id is None or reply.status != PostStatus.published or reply.deleted_at:
        return
    parent = session.get_one(Post, reply.parent_id)
    if parent.deleted_at is not None or parent.author_id is None:
        return
    kind = NotificationKind.reply
    if not written_now and _already(
        session, account_id=parent.author_id, kind=kind, post_id=reply.id, unread=False
    ):
        return
    _notify(
        session,
        recipient_id=parent.author_id,
        actor_id=reply.author_id,
        kind=kind,
        post_id=reply.id,
    )


def notify_reaction(session: Session, *, member: Account, post: Post) -> None:
    """Reactions to one post fold into one unread notice, so a popular post is not a flood."""
    if post.author_id is None or post.author_id == member.id:
        return
    kind = NotificationKind.reaction
    if _already(session, account_id=post.author_id, kind=kind, post_id=post.id, unread=True):
        return
    _notify(session, recipient_id=post.author_id, actor_id=member.id, kind=kind, post_id=post.id)


def notify_decision(
    session: Session,
    *,
    moderator: Account,
    post: Post,
    case_id: int,
    decision: Decision,
    was_published: bool,
    appealed: bool,
) -> None:
    """After a moderator's decision: the author, the member answered, and every reporter.

    A post that was already published and is approved after a report tells its author nothing:
    they need not learn that someone reported them.
    """
    if decision == Decision.escalate:
        return
    approved = decision == Decision.approve
    kind: NotificationKind | None = None
    if appealed:
        kind = NotificationKind.appeal_overturned if approved else NotificationKind.appeal_upheld
    elif not approved:
        kind = NotificationKind.post_removed
    elif not was_published:
        kind = NotificationKind.post_approved
    if kind is not None:
        _notify(
            session, recipient_id=post.author_id, actor_id=moderator.id, kind=kind, post_id=post.id
        )
    if approved:
        notify_reply(session, reply=post)
    reporters = session.scalars(
        select(Report.reporter_id)
        .where(Report.case_id == case_id, Report.reporter_id.is_not(None))
        .distinct()
    )
    for reporter_id in list(reporters):
        _notify(
            session,
            recipient_id=reporter_id,
            actor_id=moderator.id,
            kind=NotificationKind.report_reviewed,
            post_id=post.id,
        )
