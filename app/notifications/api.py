from typing import Any

from fastapi import APIRouter

from app.accounts.deps import CurrentMember
from app.db import SessionDep
from app.notifications import service
from app.notifications.schemas import NotificationRead, NotificationsRead, UnreadCount
from app.pagination import Cursor, Limit, Page

router = APIRouter(tags=["notifications"])


def _read(notice: service.Notice) -> dict[str, Any]:
    n = notice.notification
    return {
        "id": n.id,
        "kind": n.kind,
        "text": notice.text,
        "url": notice.url,
        "created_at": n.created_at,
        "read": notice.is_read,
    }


@router.get("/notifications", response_model=Page[NotificationRead])
def list_notifications(
    member: CurrentMember, session: SessionDep, limit: Limit = 20, cursor: Cursor = None
) -> dict[str, Any]:
    """Your notices, newest first."""
    notices, next_cursor = service.list_notifications(
        session, member=member, limit=limit, cursor=cursor
    )
    return {"items": [_read(n) for n in notices], "next_cursor": next_cursor}


@router.get("/notifications/unread-count", response_model=UnreadCount)
def unread_count(member: CurrentMember, session: SessionDep) -> dict[str, int]:
    """How many of your notices are unread."""
    return {"unread": service.unread_count(session, member=member)}


@router.post("/notifications/read", response_model=UnreadCount)
def mark_read(
    body: NotificationsRead, member: CurrentMember, session: SessionDep
) -> dict[str, int]:
    """Mark notices read (ids that are not your notices are ignored); answers the unread count."""
    unread = service.mark_read(session, member=member, ids=None if body.all else body.ids)
    session.commit()
    return {"unread": unread}
