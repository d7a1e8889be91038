from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.db import SessionDep
from app.pagination import Cursor, Limit, Page
from app.search import service
from app.stories.schemas import StorySummary, summary_read

router = APIRouter(tags=["search"])

SearchText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=service.QUERY_MAX,
        description='words to find; "a phrase", either or other, -without',
    ),
]


@router.get("/search", response_model=Page[StorySummary])
def search(session: SessionDep, q: SearchText, limit: Limit = 20, cursor: Cursor = None) -> Any:
    """Published stories whose title, text or replies match, most relevant first."""
    found, next_cursor = service.search_stories(session, q=q, limit=limit, cursor=cursor)
    return {"items": [summary_read(item) for item, _rank in found], "next_cursor": next_cursor}
