from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.accounts.deps import page_viewer
from app.db import SessionDep
from app.pagination import Cursor
from app.search import service
from app.stories.service import StoryListing
from app.web import render

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)
PAGE_SIZE = 20


@router.get("/search", name="search.results")
def results(
    request: Request,
    session: SessionDep,
    q: Annotated[str, Query(max_length=1000)] = "",
    cursor: Cursor = None,
) -> Response:
    words = q.strip()
    too_long = len(words) > service.QUERY_MAX
    found: list[tuple[StoryListing, int]] = []
    next_cursor = None
    if words and not too_long:
        found, next_cursor = service.search_stories(
            session, q=words, limit=PAGE_SIZE, cursor=cursor
        )
    context = {
        "q": words,
        "too_long": too_long,
        "query_max": service.QUERY_MAX,
        "stories": [item for item, _rank in found],
        "next_cursor": next_cursor,
        "cursor": cursor,
    }
    return render(request, "search/results.html", context, status=422 if too_long else 200)
