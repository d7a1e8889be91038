from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.accounts.deps import page_viewer
from app.web import render

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)


@router.get("/help", name="help.page")
def help_now(request: Request) -> Response:
    return render(request, "help/help.html")
