from typing import Any

from fastapi import APIRouter

from app.circles import service
from app.circles.schemas import CircleList
from app.db import SessionDep

router = APIRouter(tags=["circles"])


@router.get("/circles", response_model=CircleList)
def list_circles(session: SessionDep) -> dict[str, Any]:
    """All circles, in their display order."""
    return {"items": service.list_circles(session)}
