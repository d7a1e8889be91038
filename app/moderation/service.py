from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app import ratelimit
from app.accounts.models import Account, Role
from app.config import get_settings
from app.db import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.moderation.cases import (
    PRIORITY,
    open_case,
    record,
    require_active,
)
from app.moderation.models import (
    Appeal,
    AuditEntry,
    CaseReason,
    CaseStatus,
    Decision,
    ModerationCase,
    Report,
    ReportReason,
    Sanction,
)
from app.notifications import notify as notifications
from app.pagination import decode_key, encode_key
from app.stories import service as stories
from app.stories.models import Post, PostStatus

MAX_SUSPENSION = timedelta(days=5 * 365)


@dataclass
class QueueEntry:
    case: ModerationCase
    post: Post
    reasons: list[str]
    reports: int
    claimed_by: str | None


def list_log(
    session: Session, *, limit: int, cursor: str | None, account_id: int | None = None
) -> tuple[list[AuditEntry], str | None]:
    query = select(AuditEntry)
    if account_id is not None:
        query = query.where(AuditEntry.account_id == account_id)
    if (key := decode_key(cursor, 1)) is not None:
        query = query.where(AuditEntry.id < key[0])
    rows = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    next_cursor = encode_key(rows[limit - 1].id) if len(rows) > limit else None
    return rows[:limit], next_cursor


# --- cases -----------------------------------------------------------------------------------


def get_case(session: Session, *, case_id: int, lock: bool = False) -> ModerationCase:
    """`lock`: hold the row until commit, so a concurrent decision waits and then sees ours."""
    if lock:
        case = session.get(ModerationCase, case_id, with_for_update=True, populate_existing=True)
    else:
        case = session.get(ModerationCase, case_id)
    if case is None:
        raise NotFound("There is no queue item with this id.")
    return case


def _live_claim(case: ModerationCase) -> int | None:
    if case.claimed_by_id and case.claimed_until and case.claimed_until > utcnow():
        return case.claimed_by_id
    return None


def claim_case(session: Session, *, moderator: Account, case_id: int) -> ModerationCase:
    """Claim an item so two moderators do not work it at once; the claim lapses by itself."""
    case = get_case(session, case_id=case_id)
    if case.status != CaseStatus.open:
        raise Conflict("This item has already been decided.")
    _refuse_own_removal(appeal_of(session, case_id=case.id), moderator)
    now = utcnow()
    claimed = session.execute(
        update(ModerationCase)
        .where(
            ModerationCase.id == case.id,
            ModerationCase.status == CaseStatus.open,
            or_(
                ModerationCase.claimed_by_id.is_(None),
                ModerationCase.claimed_until <= now,
                ModerationCase.claimed_by_id == moderator.id,
            ),
        )
        .values(
            claimed_by_id=moderator.id,
            claimed_until=now + timedelta(minutes=get_settings().claim_minutes),
        )
        .returning(ModerationCase.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    session.refresh(case)
    if claimed is None:
        raise Conflict("Another moderator is working on this item. Their claim lapses soon.")
    record(session, moderator=moderator, action="claim", post=_post(session, case))
    return case


def _refuse_own_removal(appeal: Appeal | None, moderator: Account) -> None:
    """Whoever removed a post may neither decide nor hold (claim) the appeal against it."""
    if appeal is not None and appeal.removed_by_id == moderator.id:
        raise Forbidden(
            "A different moderator from the one who removed the post decides its appeal."
        )


def _post(session: Session, case: ModerationCase) -> Post:
    return session.get_one(Post, case.post_id)


def appeal_of(session: Session, *, case_id: int) -> Appeal | None:
    return session.scalar(select(Appeal).where(Appeal.case_id == case_id))


def reports_of(session: Session, *, case_id: int) -> list[Report]:
    return list(
        session.scalars(select(Report).where(Report.case_id == case_id).order_by(Report.id))
    )


def decide_case(
    session: Session,
    *,
    moderator: Account,
    case_id: int,
    action: Decision,
    reason: str,
    note: str | None = None,
) -> ModerationCase:
    case = get_case(session, case_id=case_id, lock=True)
    if case.status != CaseStatus.open:
        raise Conflict("This item has already been decided.")
    holder = _live_claim(case)
    if holder is not None and holder != moderator.id:
        raise Conflict("Another moderator has claimed this item.")
    post = _post(session, case)
    appeal = appeal_of(session, case_id=case.id)
    if action != Decision.escalate:
        _refuse_own_removal(appeal, moderator)
    now = utcnow()
    was_published = post.status == PostStatus.published
    if action == Decision.escalate:
        case.is_escalated = True
        case.priority = max(case.priority, PRIORITY["escalated"])
        case.claimed_by_id = case.claimed_until = None
    else:
        if action == Decision.approve:
            post.status = PostStatus.published
            post.removed_at = post.removal_reason = None
        else:
            post.status = PostStatus.removed
            post.removed_at, post.removal_reason = now, reason
        if appeal is not None:
            appeal.outcome = "overturned" if action == Decision.approve else "upheld"
            appeal.decided_at = now
        case.status, case.decision, case.decided_by_id, case.closed_at = (
            CaseStatus.closed,
            action,
            moderator.id,
            now,
        )
        case.claimed_until = None
    record(session, moderator=moderator, action=action.value, post=post, reason=reason, note=note)
    notifications.notify_decision(
        session,
        moderator=moderator,
        post=post,
        case_id=case.id,
        decision=action,
        was_published=was_published,
        appealed=appeal is not None,
    )
    return case


def list_queue(
    session: Session,
    *,
    status: CaseStatus,
    reason: str | None = None,
    limit: int,
    cursor: str | None,
) -> tuple[list[QueueEntry], str | None]:
    """Open items: highest priority first, then oldest. Closed items: most recent first.

    Closed items are ordered by when their case was opened (the id), not by when it was
    decided: the queue index covers the id, and a decision's own time is in the audit log.
    """
    query = select(ModerationCase).where(ModerationCase.status == status)
    if reason == "escalated":
        # Escalation is a flag on the case, not a stored reason (the API adds it to `reasons`).
        query = query.where(ModerationCase.is_escalated.is_(True))
    elif reason:
        match = (
            CaseReason.reason.like("report:%")
            if reason == "report"
            else CaseReason.reason == reason
        )
        query = query.where(exists().where(CaseReason.case_id == ModerationCase.id, match))
    key = decode_key(cursor, 2)
    if status == CaseStatus.open:
        if key is not None:
            priority, last = key
            query = query.where(
                or_(
                    ModerationCase.priority < priority,
                    and_(ModerationCase.priority == priority, ModerationCase.id > last),
                )
            )
        query = query.order_by(ModerationCase.priority.desc(), ModerationCase.id)
    else:
        if key is not None:
            query = query.where(ModerationCase.id < key[1])
        query = query.order_by(ModerationCase.id.desc())
    cases = list(session.scalars(query.limit(limit + 1)))
    next_cursor = None
    if len(cases) > limit:
        last_case = cases[limit - 1]
        next_cursor = encode_key(last_case.priority, last_case.id)
    return _entries(session, cases[:limit]), next_cursor


def _entries(session: Session, cases: list[ModerationCase]) -> list[QueueEntry]:
    """Reasons, report counts, posts and claimers for a page of cases: four queries in all."""
    ids = [c.id for c in cases]
    reasons: dict[int, list[str]] = defaultdict(list)
    for case_id, reason in session.execute(
        select(CaseReason.case_id, CaseReason.reason)
        .where(CaseReason.case_id.in_(ids))
        .order_by(CaseReason.reason)
    ):
        reasons[case_id].append(reason)
    counts = dict(
        session.execute(
            select(Report.case_id, func.count())
            .where(Report.case_id.in_(ids))
            .group_by(Report.case_id)
        ).all()
    )
    posts = {
        p.id: p
        for p in session.scalars(
            select(Post)
            .options(joinedload(Post.author))
            .where(Post.id.in_({c.post_id for c in cases}))
        )
    }
    claimers = {holder for c in cases if (holder := _live_claim(c)) is not None}
    names = dict(
        session.execute(select(Account.id, Account.pseudonym).where(Account.id.in_(claimers))).all()
    )
    return [
        QueueEntry(
            case=c,
            post=posts[c.post_id],
            reasons=reasons[c.id] + (["escalated"] if c.is_escalated else []),
            reports=counts.get(c.id, 0),
            claimed_by=names.get(holder) if (holder := _live_claim(c)) is not None else None,
        )
        for c in cases
    ]


def get_entry(session: Session, *, case_id: int) -> QueueEntry:
    return _entries(session, [get_case(session, case_id=case_id)])[0]


# --- reports and appeals ---------------------------------------------------------------------


def file_report(
    session: Session, *, reporter: Account, post_id: int, reason: ReportReason, details: str | None
) -> Report:
    require_active(reporter)
    ratelimit.hit("report", reporter.id)
    post = stories.get_post(session, post_id=post_id, viewer=reporter)
    if stories.is_gone(post):
        raise Conflict("This post is no longer shown, so there is nothing to report.")
    if post.author_id == reporter.id:
        raise Conflict("This is your own post: you can edit or delete it instead.")
    already = session.scalar(
        select(Report.id).where(Report.post_id == post.id, Report.reporter_id == reporter.id)
    )
    if already is not None:
        raise Conflict(
            "You have already reported this post. Thank you: a moderator will look at it."
        )
    case = open_case(session, post=post, reasons=[f"report:{reason.value}"])
    report = Report(
        post_id=post.id, reporter_id=reporter.id, case_id=case.id, reason=reason, details=details
    )
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError:
        raise Conflict("You have already reported this post.") from None
    # One report per member per post (uq_report_post_reporter), so rows are distinct reporters;
    # a report whose reporter has since left keeps counting (reporter_id is then NULL).
    reporters = session.scalar(
        select(func.count()).select_from(Report).where(Report.case_id == case.id)
    )
    threshold = get_settings().report_hide_threshold
    if post.status == PostStatus.published and (reporters or 0) >= threshold:
        post.status = PostStatus.pending
        record(
            session,
            moderator=None,
            action="hide",
            post=post,
            reason=f"{reporters} members reported it; hidden until a moderator decides",
        )
    return report


def appeal_removal(session: Session, *, author: Account, post_id: int, text: str) -> Appeal:
    ratelimit.hit("appeal", author.id)
    post = stories.get_post(session, post_id=post_id, viewer=author)
    if post.author_id != author.id:
        raise Forbidden("Only the author of a post can appeal its removal.")
    if post.status != PostStatus.removed:
        raise Conflict("Only a post a moderator removed can be appealed.")
    if session.scalar(select(Appeal.id).where(Appeal.post_id == post.id)) is not None:
        raise Conflict("You have already appealed this removal; each removal can be appealed once.")
    remover = session.scalar(
        select(ModerationCase.decided_by_id)
        .where(ModerationCase.post_id == post.id, ModerationCase.decision == Decision.remove)
        .order_by(ModerationCase.id.desc())
        .limit(1)
    )
    case = open_case(session, post=post, reasons=["appeal"])
    appeal = Appeal(post_id=post.id, case_id=case.id, text=text, removed_by_id=remover)
    try:
        with session.begin_nested():
            session.add(appeal)
            session.flush()
    except IntegrityError:  # the same appeal, sent twice at once (uq_appeal_post_id)
        raise Conflict("You have already appealed this removal.") from None
    return appeal


# --- warnings and suspensions ----------------------------------------------------------------


def _sanctionable(session: Session, *, moderator: Account, account_id: int) -> Account:
    member = session.get(Account, account_id)
    if member is None:
        raise NotFound("There is no such account.")
    if member.role != Role.member:
        raise Forbidden("Moderators and admins are not warned or suspended here.")
    if member.id == moderator.id:
        raise Forbidden("You can't sanction your own account.")
    return member


def warn_member(session: Session, *, moderator: Account, account_id: int, reason: str) -> Sanction:
    member = _sanctionable(session, moderator=moderator, account_id=account_id)
    warning = Sanction(
        account_id=member.id, kind="warning", reason=reason, moderator_id=moderator.id
    )
    session.add(warning)
    record(session, moderator=moderator, action="warn", account_id=member.id, reason=reason)
    return warning


def suspend_member(
    session: Session, *, moderator: Account, account_id: int, until: datetime, reason: str
) -> Sanction:
    member = _sanctionable(session, moderator=moderator, account_id=account_id)
    now = utcnow()
    if until <= now:
        raise Invalid([{"field": "until", "message": "A suspension has to end in the future."}])
    if until > now + MAX_SUSPENSION:
        raise Invalid([{"field": "until", "message": "A suspension can last five years at most."}])
    member.suspended_until = until
    suspension = Sanction(
        account_id=member.id,
        kind="suspension",
        reason=reason,
        until=until,
        moderator_id=moderator.id,
    )
    session.add(suspension)
    record(
        session,
        moderator=moderator,
        action="suspend",
        account_id=member.id,
        reason=reason,
        note=f"until {until.isoformat()}",
    )
    return suspension


def lift_suspension(session: Session, *, moderator: Account, account_id: int) -> None:
    member = _sanctionable(session, moderator=moderator, account_id=account_id)
    if member.suspended_until is None or member.suspended_until <= utcnow():
        raise NotFound("This member is not suspended.")
    now = utcnow()
    member.suspended_until = None
    session.execute(
        update(Sanction)
        .where(
            Sanction.account_id == member.id,
            Sanction.kind == "suspension",
            Sanction.lifted_at.is_(None),
        )
        .values(lifted_at=now)
    )
    record(session, moderator=moderator, action="lift_suspension", account_id=member.id)


def sanctions_of(session: Session, *, account_id: int) -> list[Sanction]:
    return list(
        session.scalars(
            select(Sanction).where(Sanction.account_id == account_id).order_by(Sanction.id.desc())
        )
    )


def appeals_of(session: Session, *, author: Account) -> dict[int, Appeal]:
    rows = session.scalars(
        select(Appeal).join(Post, Post.id == Appeal.post_id).where(Post.author_id == author.id)
    )
    return {a.post_id: a for a in rows}


@dataclass
class MemberRecord:
    account: Account
    sanctions: list[Sanction]
    log: list[AuditEntry]
    posts: list[Post]


def member_history(session: Session, *, account_id: int, limit: int = 50) -> MemberRecord:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("There is no such account.")
    log, _next = list_log(session, limit=limit, cursor=None, account_id=account_id)
    posts = list(
        session.scalars(
            select(Post).where(Post.author_id == account_id).order_by(Post.id.desc()).limit(limit)
        )
    )
    return MemberRecord(account, sanctions_of(session, account_id=account_id), log, posts)
