from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from app import errors
from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.circles import api as circles_api
from app.circles import pages as circles_pages
from app.config import get_settings
from app.db import SessionDep
from app.help import pages as help_pages
from app.help import service as help_now
from app.middleware import BodyLimit, SecurityHeaders, WriteIntent
from app.moderation import api as moderation_api
from app.moderation import pages as moderation_pages
from app.notifications import api as notifications_api
from app.notifications import pages as notifications_pages
from app.reactions import api as reactions_api
from app.reactions import pages as reactions_pages
from app.search import api as search_api
from app.search import pages as search_pages
from app.stories import api as stories_api
from app.stories import pages as stories_pages
from app.web import ROOT, templates

PROBLEM = {
    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
}
API_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": text_, **PROBLEM}
    for status, text_ in [
        (400, "Malformed request"),
        (401, "Not signed in"),
        (403, "Not allowed"),
        (404, "Not found"),
        (409, "Conflict"),
        (413, "Body too large"),
        (422, "Validation error"),
        (429, "Rate limited"),
    ]
}


def _health(session: SessionDep) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}


def create_app() -> FastAPI:
    settings = get_settings()
    # Read now: a broken help-now file must stop start-up, not fail on someone's crisis post.
    help_now.resources()
    templates.env.globals["help_resources"] = help_now.resources
    app = FastAPI(
        title="Kindred",
        version="1",
        summary="Anonymous peer support for people in mental-health recovery.",
        # The interactive docs pull scripts from a CDN; /openapi.json is served instead.
        docs_url=None,
        redoc_url=None,
    )
    api = APIRouter(prefix="/api/v1", responses=API_ERRORS)
    for module in (
        accounts_api,
        circles_api,
        stories_api,
        reactions_api,
        moderation_api,
        notifications_api,
        search_api,
    ):
        api.include_router(module.router)
    app.include_router(api)
    for pages in (
        circles_pages,
        stories_pages,
        reactions_pages,
        accounts_pages,
        help_pages,
        moderation_pages,
        notifications_pages,
        search_pages,
    ):
        app.include_router(pages.router)
    app.add_api_route("/healthz", _health, methods=["GET"], include_in_schema=True, tags=["ops"])
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    errors.install(app)
    app.add_middleware(WriteIntent)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    _describe_problems(app)
    return app


def _describe_problems(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = {
            "type": "object",
            "required": ["type", "title", "status", "detail"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
