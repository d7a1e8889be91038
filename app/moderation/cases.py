"""Case bookkeeping every write path needs: holds, opening cases, suspensions, the audit log.

Kept apart from service.py so stories can open cases without importing moderation's reads.
"""

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role
from app.config import get_settings
from app.db import utcnow
from app.errors import AppError, Forbidden
from app.moderation.models import AuditEntry, CaseReason, CaseStatus, ModerationCase
from app.stories.models import Post

# Crisis first; then people being hurt or exposed; then wording; then routine checks.
PRIORITY = {
    "crisis": 100,
    "report:crisis": 100,
    "escalated": 80,
    "report:harassment": 60,
    "report:personal_info": 60,
    "stigma": 50,
    "report:stigmatising": 50,
    "report:spam": 40,
    "report:other": 40,
    "appeal": 30,
    "first_post": 20,
}


class Suspended(AppError):
    status, slug, title = 403, "suspended", "Your account is suspended for now"


# --- who may do what -------------------------------------------------------------------------


def is_staff(account: Account | None) -> bool:
    return account is not None and account.role in (Role.moderator, Role.admin)


def require_staff(account: Account) -> Account:
    if not is_staff(account):
        raise Forbidden("Only moderators can do this.")
    return account


def require_active(account: Account) -> Account:
    """Suspended members can read but not post, reply, react or report."""
    until = account.suspended_until
    if until is not None and until > utcnow():
        raise Suspended(
            f"A moderator has suspended your account until {until:%-d %B %Y, %H:%M} UTC. "
            "You can still read, and your account page says why."
        )
    return account


# --- the audit log ---------------------------------------------------------------------------


def record(
    session: Session,
    *,
    moderator: Account | None,
    action: str,
    post: Post | None = None,
    account_id: int | None = None,
    reason: str = "",
    note: str | None = None,
) -> AuditEntry:
    """Append to the audit log; nothing ever updates or deletes these rows."""
    target = f"post:{post.id}" if post is not None else f"account:{account_id}"
    entry = AuditEntry(
        moderator_id=moderator.id if moderator else None,
        moderator_name=moderator.pseudonym if moderator else "system",
        action=action,
        target=target,
        post_id=post.id if post is not None else None,
        account_id=account_id if account_id is not None else (post.author_id if post else None),
        reason=reason,
        note=note,
    )
    session.add(entry)
    session.flush()
    return entry


def _open_case_of(session: Session, post: Post) -> ModerationCase | None:
    # Locked until commit: requests folding into one case (reports sent at once, a decision)
    # take turns, so each sees the reasons and reports the one before it committed.
    return session.scalar(
        select(ModerationCase)
        .where(ModerationCase.post_id == post.id, ModerationCase.status == CaseStatus.open)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def open_case(session: Session, *, post: Post, reasons: Iterable[str]) -> ModerationCase:
    """Open a case for the post, or fold the new reasons into the one already open."""
    wanted = set(reasons)
    case = _open_case_of(session, post)
    if case is None:
        case = ModerationCase(post_id=post.id, priority=0)
        try:
            with session.begin_nested():
                session.add(case)
                session.flush()
        except IntegrityError:  # another request opened it a moment ago
            found = _open_case_of(session, post)
            if found is None:  # opened and already closed again: start a new one
                raise
            case = found
    known = set(session.scalars(select(CaseReason.reason).where(CaseReason.case_id == case.id)))
    session.add_all(CaseReason(case_id=case.id, reason=r) for r in sorted(wanted - known))
    case.priority = max([case.priority, *(PRIORITY.get(r, 0) for r in wanted)])
    session.flush()
    return case


def hold_reasons(
    session: Session, *, author: Account, crisis: bool, stigma: bool, first_posts: bool
) -> tuple[list[str], bool]:
    """Why a new text goes to the queue, and whether it waits there before anyone sees it."""
    settings = get_settings()
    reasons = []
    held = False
    if crisis:
        reasons.append("crisis")
        held = held or settings.crisis_posts_held
    if stigma:
        reasons.append("stigma")
        held = True
    limit = settings.premoderate_first_posts
    if first_posts and limit and not is_staff(author):
        earlier = session.scalar(
            select(func.count()).select_from(Post).where(Post.author_id == author.id)
        )
        if (earlier or 0) <= limit:  # the post being written is already flushed
            reasons.append("first_post")
            held = True
    return reasons, held
