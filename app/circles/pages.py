from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.accounts.deps import page_viewer
from app.circles import service
from app.db import SessionDep
from app.pagination import Cursor
from app.stories import service as stories
from app.web import render

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)

PAGE_SIZE = 20


@router.get("/", name="circles.home")
def home(request: Request, session: SessionDep) -> Response:
    circles = service.list_circles(session)
    recent, _next = stories.list_stories(session, limit=10)
    return render(request, "circles/home.html", {"circles": circles, "stories": recent})


@router.get("/circles/{slug}", name="circles.detail")
def detail(request: Request, slug: str, session: SessionDep, cursor: Cursor = None) -> Response:
    circle = service.get_circle(session, slug)
    items, next_cursor = stories.list_stories(
        session, circle=circle, limit=PAGE_SIZE, cursor=cursor
    )
    return render(
        request,
        "circles/detail.html",
        {"circle": circle, "stories": items, "next_cursor": next_cursor, "cursor": cursor},
    )
