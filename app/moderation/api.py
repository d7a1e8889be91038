from typing import Any, Literal

from fastapi import APIRouter, Query, Response

from app.accounts.deps import CurrentMember
from app.accounts.models import Account
from app.db import SessionDep
from app.moderation import service
from app.moderation.deps import AccountId, CaseId, CurrentModerator
from app.moderation.models import AuditEntry, CaseStatus
from app.moderation.schemas import (
    AppealCreate,
    AppealRead,
    AuditEntryRead,
    DecisionCreate,
    MemberHistory,
    QueueItem,
    ReportCreate,
    ReportRead,
    SanctionRead,
    SuspensionCreate,
    WarningCreate,
)
from app.pagination import Cursor, Limit, Page
from app.stories import service as stories
from app.stories.deps import PostId
from app.stories.schemas import post_read

router = APIRouter(tags=["moderation"])

QueueReason = Literal[
    "crisis", "stigma", "first_post", "appeal", "report", "escalated",
    "report:stigmatising", "report:harassment", "report:crisis", "report:personal_info",
    "report:spam", "report:other",
]  # fmt: skip


def _items(session: SessionDep, entries: list[service.QueueEntry], viewer: Account) -> list[Any]:
    nodes = stories.nodes_for(session, posts=[e.post for e in entries], viewer=viewer)
    return [
        {
            "id": e.case.id,
            "post": post_read(node, slug, viewer),
            "reasons": e.reasons,
            "priority": e.case.priority,
            "status": e.case.status,
            "claimed_by": e.claimed_by,
            "created_at": e.case.created_at,
            "reports": e.reports,
            "escalated": e.case.is_escalated,
            "decision": e.case.decision,
        }
        for e, (node, slug) in zip(entries, nodes, strict=True)
    ]


def _entry(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "at": entry.at,
        "moderator": entry.moderator_name,
        "action": entry.action,
        "target": entry.target,
        "reason": entry.reason,
        "note": entry.note,
    }


@router.post("/reports", status_code=201, response_model=ReportRead)
def report(body: ReportCreate, member: CurrentMember, session: SessionDep) -> Any:
    """Ask the moderators to look at a post."""
    filed = service.file_report(
        session, reporter=member, post_id=body.post_id, reason=body.reason, details=body.details
    )
    session.commit()
    return filed


@router.post("/posts/{post_id}/appeal", status_code=201, response_model=AppealRead)
def appeal(post_id: PostId, body: AppealCreate, member: CurrentMember, session: SessionDep) -> Any:
    """Appeal, once, against the removal of your post; another moderator decides."""
    filed = service.appeal_removal(session, author=member, post_id=post_id, text=body.text)
    session.commit()
    return filed


@router.get("/moderation/queue", response_model=Page[QueueItem])
def queue(
    moderator: CurrentModerator,
    session: SessionDep,
    status: CaseStatus = CaseStatus.open,
    reason: QueueReason | None = Query(default=None),
    limit: Limit = 20,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """The moderation queue: crisis first, then by priority, then oldest first."""
    entries, next_cursor = service.list_queue(
        session, status=status, reason=reason, limit=limit, cursor=cursor
    )
    return {"items": _items(session, entries, moderator), "next_cursor": next_cursor}


@router.get("/moderation/queue/{item_id}", response_model=QueueItem)
def queue_item(item_id: CaseId, moderator: CurrentModerator, session: SessionDep) -> Any:
    """One queue item."""
    return _items(session, [service.get_entry(session, case_id=item_id)], moderator)[0]


@router.post("/moderation/queue/{item_id}/claim", response_model=QueueItem)
def claim(item_id: CaseId, moderator: CurrentModerator, session: SessionDep) -> Any:
    """Claim an item; 409 while another moderator's claim is live."""
    service.claim_case(session, moderator=moderator, case_id=item_id)
    session.commit()
    return _items(session, [service.get_entry(session, case_id=item_id)], moderator)[0]


@router.post("/moderation/queue/{item_id}/decision", response_model=QueueItem)
def decide(
    item_id: CaseId, body: DecisionCreate, moderator: CurrentModerator, session: SessionDep
) -> Any:
    """Approve, remove (the reason is shown to the author) or escalate."""
    service.decide_case(
        session,
        moderator=moderator,
        case_id=item_id,
        action=body.action,
        reason=body.reason,
        note=body.note,
    )
    session.commit()
    return _items(session, [service.get_entry(session, case_id=item_id)], moderator)[0]


@router.post(
    "/moderation/accounts/{account_id}/suspension", status_code=201, response_model=SanctionRead
)
def suspend(
    account_id: AccountId, body: SuspensionCreate, moderator: CurrentModerator, session: SessionDep
) -> Any:
    """Suspend a member until a time: they can read but not post, reply, react or report."""
    suspension = service.suspend_member(
        session, moderator=moderator, account_id=account_id, until=body.until, reason=body.reason
    )
    session.commit()
    return suspension


@router.delete("/moderation/accounts/{account_id}/suspension", status_code=204)
def lift(account_id: AccountId, moderator: CurrentModerator, session: SessionDep) -> Response:
    """Lift a member's suspension."""
    service.lift_suspension(session, moderator=moderator, account_id=account_id)
    session.commit()
    return Response(status_code=204)


@router.post(
    "/moderation/accounts/{account_id}/warnings", status_code=201, response_model=SanctionRead
)
def warn(
    account_id: AccountId, body: WarningCreate, moderator: CurrentModerator, session: SessionDep
) -> Any:
    """Warn a member; they see the warning on their account page."""
    warning = service.warn_member(
        session, moderator=moderator, account_id=account_id, reason=body.reason
    )
    session.commit()
    return warning


@router.get("/moderation/accounts/{account_id}", response_model=MemberHistory)
def member_history(
    account_id: AccountId, moderator: CurrentModerator, session: SessionDep
) -> dict[str, Any]:
    """A member's sanctions and the moderation log about them."""
    history = service.member_history(session, account_id=account_id)
    return {
        "account": {
            "id": history.account.id,
            "pseudonym": history.account.pseudonym,
            "role": history.account.role.value,
            "created_at": history.account.created_at,
        },
        "suspended_until": history.account.suspended_until,
        "sanctions": history.sanctions,
        "log": [_entry(e) for e in history.log],
    }


@router.get("/moderation/log", response_model=Page[AuditEntryRead])
def log(
    moderator: CurrentModerator, session: SessionDep, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    """The audit log, newest first."""
    entries, next_cursor = service.list_log(session, limit=limit, cursor=cursor)
    return {"items": [_entry(e) for e in entries], "next_cursor": next_cursor}
