import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from pydantic import BaseModel, ValidationError
from starlette.datastructures import URL

from app.config import get_settings
from app.errors import AppError, Invalid, validation_errors

ROOT = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=ROOT / "templates")

CSRF_COOKIE = "kindred_csrf"
SESSION_COOKIE = "kindred_session"


class CsrfFailed(AppError):
    status, slug, title = 403, "csrf-failed", "This form has expired"


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%-d %b %Y, %H:%M UTC")


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


@pass_context
def _path_for(context: dict[str, Any], name: str, /, **params: Any) -> URL:
    return path_for(context["request"], name, **params)


def path_for(request: Request, name: str, /, **params: Any) -> URL:
    """A site-relative address: links never depend on the Host header a client sent.

    Speed: Starlette's app.url_path_for tries every route in turn (an exception per miss);
    a story page asks for hundreds of addresses, so each name's route is looked up once."""
    app = request.app
    index: dict[str, Any] | None = getattr(app.state, "route_index", None)
    if index is None:
        index = {}
        for route in app.router.routes:
            # An included router (FastAPI >= 0.160) holds its routes as contexts.
            contexts = getattr(route, "effective_route_contexts", None)
            for entry in contexts() if contexts is not None else (route,):
                if name_of := getattr(entry, "name", None):
                    index.setdefault(name_of, entry)
        app.state.route_index = index
    route = index.get(name)
    if route is None:
        return URL(str(app.url_path_for(name, **params)))
    return URL(str(route.url_path_for(name, **params)))


def _sentence(value: str) -> str:
    """Text shown after a colon, ending with exactly one full stop (or its own ! or ?)."""
    value = value.rstrip()
    return value if value.endswith((".", "!", "?", "…")) else value + "."


templates.env.filters["when"] = _when
templates.env.filters["sentence"] = _sentence
templates.env.filters["iso"] = _iso
templates.env.globals["url_for"] = _path_for


def _csrf_seed(request: Request) -> str:
    seed = getattr(request.state, "csrf_seed", None) or request.cookies.get(CSRF_COOKIE)
    if not seed or len(seed) > 64:
        seed = secrets.token_urlsafe(24)
        request.state.csrf_seed_new = True
    request.state.csrf_seed = seed
    return seed


def csrf_token(request: Request) -> str:
    """Signed double-submit token, bound to the visitor's cookie and their sign-in session."""
    message = f"{_csrf_seed(request)}|{request.cookies.get(SESSION_COOKIE, '')}"
    key = get_settings().secret_key.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def csrf_slot() -> str:
    """Stands for the reader's token in HTML rendered once for every reader; it looks like a
    token and, being keyed by the secret, cannot be typed into a post to be replaced."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"csrf-slot", hashlib.sha256).hexdigest()


def verify_csrf(
    request: Request, csrf_token_: Annotated[str, Form(alias="csrf_token")] = ""
) -> None:
    seed = request.cookies.get(CSRF_COOKIE)
    if not seed or not hmac.compare_digest(csrf_token(request), csrf_token_):
        raise CsrfFailed(
            "For your safety, forms expire. Please go back, reload the page and send it again."
        )


CsrfChecked = Annotated[None, Depends(verify_csrf)]
# A form field as sent; its real limits come from the pydantic schema the page validates with.
FormText = Annotated[str, Form(max_length=100_000)]


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        path="/",
        secure=get_settings().cookie_secure,
    )


def _finish(request: Request, response: Response) -> Response:
    if getattr(request.state, "csrf_seed_new", False):
        set_cookie(response, CSRF_COOKIE, request.state.csrf_seed)
    return response


# Confirmations after a redirect: the address names one of these, never free text.
NOTICES = {
    "reported": "Thank you. A moderator will look at that post.",
    "appealed": "Your appeal is with the moderators. A different moderator will decide it.",
    "held": "Your post is waiting for a moderator before others can see it.",
    "decided": "Decision saved.",
    "claimed": "You have claimed this item for the next few minutes.",
    "sanctioned": "Saved to the member's record.",
    "ended": "That session has ended: the device it was on is signed out.",
    "password": "Your password is changed. Every other device has been signed out.",
}


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    ctx = {
        "viewer": getattr(request.state, "viewer", None),
        "unread_notifications": getattr(request.state, "unread_notifications", None),
        "csrf_token": csrf_token(request),
        "notice": NOTICES.get(request.query_params.get("notice", "")),
    }
    ctx.update(context or {})
    errors = ctx.get("errors")
    if isinstance(errors, FormErrors) and errors and status == 422:
        status, headers = errors.status, (headers or {}) | errors.headers
    response = templates.TemplateResponse(request, name, ctx, status_code=status, headers=headers)
    return _finish(request, response)


def render_error(
    request: Request, *, status: int, title: str, detail: str, headers: dict[str, str]
) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return redirect(path_for(request, "accounts.signin_form").include_query_params(next=target))
    context = {"status": status, "title": title, "detail": detail}
    return render(request, "errors/error.html", context, status=status, headers=headers)


def redirect(url: Any) -> RedirectResponse:
    """Post/redirect/get: every HTML form answers 303."""
    return RedirectResponse(str(url), status_code=303)


M = TypeVar("M", bound=BaseModel)


def validate_form(schema: type[M], data: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    """The API's pydantic schema, applied to a form: errors come back keyed by field."""
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in validation_errors(list(exc.errors())):
            field = "form" if err["field"] == "request" else err["field"]
            errors.setdefault(field, err["message"])
        return None, errors


class FormErrors(dict[str, str]):
    """Messages by field, with the status and headers of the refusal behind them."""

    def __init__(
        self, errors: dict[str, str], *, status: int = 422, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(errors)
        self.status = status
        self.headers = headers or {}


def form_errors(exc: AppError, default_field: str = "form") -> FormErrors:
    """A service's refusal, shown beside the field it concerns, with the person's text kept.

    Not allowed or not found is nothing the person can fix in this form: that goes to the
    error page instead (a suspended member, a post that has gone). Too many attempts stays
    on the form (429 with Retry-After), so nothing typed is lost while they wait.
    """
    if exc.status in (403, 404):
        raise exc
    if isinstance(exc, Invalid):
        return FormErrors({e["field"]: e["message"] for e in exc.errors})
    if exc.status == 429:
        return FormErrors({default_field: exc.message}, status=429, headers=exc.headers)
    return FormErrors({default_field: exc.message})
