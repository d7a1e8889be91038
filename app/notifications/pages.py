from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from app.accounts.deps import PageMember, page_viewer
from app.db import MAX_ID, SessionDep
from app.notifications import service
from app.pagination import Cursor
from app.web import CsrfChecked, path_for, redirect, render

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)

NotificationId = Annotated[int, Path(ge=1, le=MAX_ID, description="a notice's id")]


@router.get("/notifications", name="notifications.list")
def notifications(
    request: Request, member: PageMember, session: SessionDep, cursor: Cursor = None
) -> Response:
    notices, next_cursor = service.list_notifications(session, member=member, cursor=cursor)
    context = {"notices": notices, "cursor": cursor, "next_cursor": next_cursor}
    return render(request, "notifications/list.html", context)


@router.post("/notifications/read", name="notifications.read_all")
def read_all(request: Request, member: PageMember, session: SessionDep, _: CsrfChecked) -> Response:
    service.mark_read(session, member=member, ids=None)
    session.commit()
    return redirect(path_for(request, "notifications.list"))


@router.get("/notifications/{notification_id}", name="notifications.open")
def open_notice(
    request: Request, notification_id: NotificationId, member: PageMember, session: SessionDep
) -> Response:
    """Following a notice marks it read, then leads to its post: no JavaScript needed."""
    notice = service.open_notification(session, member=member, notification_id=notification_id)
    session.commit()
    return redirect(notice.url or path_for(request, "notifications.list"))
