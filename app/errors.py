import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("kindred.errors")

PROBLEM_JSON = "application/problem+json"


class AppError(Exception):
    status = 400
    slug = "bad-request"
    title = "Something is not right with this request"

    def __init__(self, message: str | None = None, *, headers: dict[str, str] | None = None):
        self.message = message or self.title
        self.headers = headers or {}
        super().__init__(self.message)


class NotSignedIn(AppError):
    status, slug, title = 401, "not-signed-in", "Please sign in first"


class Forbidden(AppError):
    status, slug, title = 403, "forbidden", "This isn't something your account can do"


class NotFound(AppError):
    status, slug, title = 404, "not-found", "We couldn't find that"


class Conflict(AppError):
    status, slug, title = 409, "conflict", "That clashes with something that already exists"


class PayloadTooLarge(AppError):
    status, slug, title = 413, "payload-too-large", "That is more than we can accept at once"


class Invalid(AppError):
    """A field breaks its documented limits; `errors` says which, like pydantic's 422."""

    status, slug, title = 422, "validation-error", "Some details need another look"

    def __init__(self, errors: list[dict[str, str]], message: str | None = None):
        self.errors = errors
        super().__init__(message or "; ".join(e["message"] for e in errors))


class RateLimited(AppError):
    status, slug, title = 429, "rate-limited", "That was a lot in a short time"

    def __init__(self, retry_after: int, message: str | None = None):
        super().__init__(
            message or f"Please wait {retry_after} seconds and try again.",
            headers={"Retry-After": str(retry_after)},
        )


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body = {"type": f"urn:kindred:problem:{slug}", "title": title, "status": status}
    body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    if loc and loc[0] in ("body", "query", "path", "header", "cookie"):
        loc = loc[1:]
    parts = [str(p) for p in loc]
    # An error about the request as a whole (missing body, cross-field rule) has no field.
    return ".".join(parts) or "request"


def validation_errors(raw: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    errors = []
    for err in raw:
        message = str(err.get("msg", "Invalid value"))
        message = message.removeprefix("Value error, ")
        errors.append({"field": _field_name(tuple(err.get("loc", ()))), "message": message})
    return errors


def _render(
    request: Request, status: int, title: str, detail: str, headers: dict[str, str]
) -> Response:
    from app import web  # late import: web imports templates, which need the app's filters

    return web.render_error(request, status=status, title=title, detail=detail, headers=headers)


async def handle_app_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    if wants_json(request):
        extra: dict[str, Any] = {}
        if isinstance(exc, Invalid):
            extra["errors"] = exc.errors
        return problem(exc.status, exc.slug, exc.title, exc.message, headers=exc.headers, **extra)
    return _render(request, exc.status, exc.title, exc.message, exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in raw):
        return problem(
            400,
            "malformed-json",
            "The request body is not valid JSON",
            "Send a JSON object with Content-Type: application/json.",
        )
    if raw and all(tuple(e.get("loc", ()))[:1] == ("path",) for e in raw):
        # /stories/abc names nothing that could exist: the same answer as an unknown id.
        return await handle_app_error(request, NotFound())
    errors = validation_errors(raw)
    if not wants_json(request):
        return _render(request, 422, Invalid.title, "; ".join(e["message"] for e in errors), {})
    return problem(
        422,
        Invalid.slug,
        Invalid.title,
        "; ".join(f"{e['field']}: {e['message']}" for e in errors),
        errors=errors,
    )


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    titles = {404: NotFound.title, 405: "That action isn't available here"}
    title = titles.get(status, phrase)
    detail = exc.detail if isinstance(exc.detail, str) and status != 404 else title
    headers = dict(exc.headers or {})
    if wants_json(request):
        return problem(status, phrase.lower().replace(" ", "-"), title, detail, headers=headers)
    return _render(request, status, title, detail, headers)


async def _on_database_busy(request: Request, exc: Exception) -> Response:
    # A lock or serialisation conflict (SQLite "database is locked", PostgreSQL deadlock) is
    # transient: nothing was written, and the same request can simply be sent again.
    if not isinstance(exc, OperationalError) or not _is_transient(exc):
        return await _on_unexpected(request, exc)
    log.warning("database busy on %s %s", request.method, request.url.path)
    title = "Kindred is busy for a moment"
    detail = "Nothing was saved. Please send that again in a second."
    headers = {"Retry-After": "1"}
    if wants_json(request):
        return problem(503, "busy", title, detail, headers=headers)
    return _render(request, 503, title, detail, headers)


def _is_transient(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in {"40001", "40P01", "55P03"} or "database is locked" in str(exc.orig)


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    # The traceback goes to the log only; the client gets a calm page with no internals.
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    title = "Something went wrong on our side"
    detail = "Nothing you did caused this. Please try again in a moment."
    if wants_json(request):
        return problem(500, "internal-error", title, detail)
    return _render(request, 500, title, detail, {})


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(OperationalError, _on_database_busy)
    app.add_exception_handler(Exception, _on_unexpected)
