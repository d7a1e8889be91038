"""What a member can take with them (export) and what leaves with them (deletion)."""

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.accounts.models import Account, AuthSession, RecoveryCode
from app.db import utcnow
from app.moderation.models import Appeal, Report, Sanction
from app.notifications.models import Notification
from app.reactions.models import Reaction
from app.stories import service as stories
from app.stories.models import Post, PostRevision


def export_account(session: Session, *, account: Account) -> dict[str, Any]:
    """Everything stored about one account, for the member to keep."""
    posts = session.scalars(
        select(Post).where(Post.author_id == account.id).order_by(Post.id)
    ).all()
    revisions = session.scalars(
        select(PostRevision)
        .join(Post, Post.id == PostRevision.post_id)
        .where(Post.author_id == account.id)
        .order_by(PostRevision.id)
    ).all()
    by_post: dict[int, list[dict[str, Any]]] = {}
    for rev in revisions:
        by_post.setdefault(rev.post_id, []).append(
            {
                "title": rev.title,
                "content_warning": rev.content_warning,
                "body": rev.body,
                "saved_at": rev.created_at.isoformat(),
            }
        )
    sessions = session.scalars(
        select(AuthSession).where(AuthSession.account_id == account.id).order_by(AuthSession.id)
    ).all()
    reactions = session.execute(
        select(Reaction.post_id, Reaction.kind, Reaction.created_at)
        .where(Reaction.account_id == account.id)
        .order_by(Reaction.created_at)
    ).all()
    codes = session.scalars(select(RecoveryCode).where(RecoveryCode.account_id == account.id)).all()
    notices = session.scalars(
        select(Notification).where(Notification.account_id == account.id).order_by(Notification.id)
    ).all()
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": account.id,
            "pseudonym": account.pseudonym,
            "role": account.role.value,
            "created_at": account.created_at.isoformat(),
        },
        "posts": [
            {
                "id": p.id,
                "story_id": p.story_id,
                "parent_id": p.parent_id,
                "title": p.title,
                "content_warning": p.content_warning,
                "body": p.body,
                "anonymous": p.is_anonymous,
                "coping_tip": p.is_coping_tip,
                "status": p.status.value,
                "created_at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
                "deleted_at": p.deleted_at.isoformat() if p.deleted_at else None,
                "revisions": by_post.get(p.id, []),
            }
            for p in posts
        ],
        "reactions": [
            {"post_id": post_id, "kind": kind.value, "at": at.isoformat()}
            for post_id, kind, at in reactions
        ],
        "sessions": [
            {
                "kind": s.kind,
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
                "expires_at": s.expires_at.isoformat(),
                "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
            }
            for s in sessions
        ],
        "recovery_codes": {"total": len(codes), "unused": sum(c.used_at is None for c in codes)},
        "notifications": [
            {
                "kind": n.kind.value,
                "post_id": n.post_id,
                "at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
            }
            for n in notices
        ],
        **_moderation_record(session, account=account),
    }


def _moderation_record(session: Session, *, account: Account) -> dict[str, Any]:
    """Reports the member filed, their appeals, and warnings or suspensions they received."""
    reports = session.scalars(
        select(Report).where(Report.reporter_id == account.id).order_by(Report.id)
    ).all()
    appeals = session.scalars(
        select(Appeal)
        .join(Post, Post.id == Appeal.post_id)
        .where(Post.author_id == account.id)
        .order_by(Appeal.id)
    ).all()
    sanctions = session.scalars(
        select(Sanction).where(Sanction.account_id == account.id).order_by(Sanction.id)
    ).all()
    return {
        "reports": [
            {
                "post_id": r.post_id,
                "reason": r.reason.value,
                "details": r.details,
                "at": r.created_at.isoformat(),
            }
            for r in reports
        ],
        "appeals": [
            {
                "post_id": a.post_id,
                "text": a.text,
                "outcome": a.outcome,
                "at": a.created_at.isoformat(),
            }
            for a in appeals
        ],
        "moderation": [
            {
                "kind": x.kind,
                "reason": x.reason,
                "until": x.until.isoformat() if x.until else None,
                "at": x.created_at.isoformat(),
            }
            for x in sanctions
        ],
        "suspended_until": account.suspended_until.isoformat() if account.suspended_until else None,
    }


def delete_account(session: Session, *, account: Account, content: str) -> None:
    """Remove the account for good; posts are erased, or kept with no name attached."""
    posts = session.scalars(select(Post).where(Post.author_id == account.id)).all()
    for post in posts:
        if content == "erase":
            stories.erase_post(session, post=post)
            # The appeal's words were the member's too; its outcome stays for the audit.
            session.execute(update(Appeal).where(Appeal.post_id == post.id).values(text=""))
        else:
            session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
            post.is_anonymous = True
        post.author_id = None
    session.execute(delete(Reaction).where(Reaction.account_id == account.id))
    # Reports still count toward their case, but no longer say who filed them; erasing
    # takes the reporter's own words with it too.
    filed = update(Report).where(Report.reporter_id == account.id)
    if content == "erase":
        filed = filed.values(details=None)
    session.execute(filed.values(reporter_id=None))
    session.execute(delete(AuthSession).where(AuthSession.account_id == account.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    session.execute(delete(Notification).where(Notification.account_id == account.id))
    session.flush()
    session.delete(account)
    session.flush()
