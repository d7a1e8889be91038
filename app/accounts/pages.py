import json
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from app.accounts import personal_data, service
from app.accounts.deps import PageMember, PageViewer, page_viewer
from app.accounts.schemas import (
    AccountCreate,
    AccountDelete,
    AccountRecover,
    PasswordChange,
    SessionCreate,
)
from app.config import get_settings
from app.db import MAX_ID, SessionDep, utcnow
from app.errors import AppError
from app.moderation import service as moderation
from app.ratelimit import ClientKey
from app.stories import service as stories
from app.web import (
    SESSION_COOKIE,
    CsrfChecked,
    FormText,
    form_errors,
    path_for,
    redirect,
    render,
    set_cookie,
    validate_form,
)

MSG_PASSWORDS_DIFFER = "The two passwords are different. Please type them again."

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths, so a crafted link cannot send someone elsewhere after signing in.
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _sign_in_response(token: str, target: str) -> Response:
    response = redirect(target)
    max_age = get_settings().session_lifetime_days * 86400
    set_cookie(response, SESSION_COOKIE, token, max_age=max_age)
    return response


@router.get("/signup", name="accounts.signup_form")
def signup_form(request: Request, session: SessionDep) -> Response:
    suggestions = service.suggest_pseudonyms(session, count=5)
    context = {"suggestions": suggestions, "form": {}, "errors": {}}
    return render(request, "accounts/signup.html", context)


@router.post("/signup", name="accounts.signup")
def signup(
    request: Request,
    session: SessionDep,
    _: CsrfChecked,
    client: ClientKey,
    pseudonym: FormText = "",
    password: FormText = "",
    password_again: FormText = "",
) -> Response:
    form = {"pseudonym": pseudonym}
    data, errors = validate_form(AccountCreate, {"pseudonym": pseudonym, "password": password})
    if password != password_again:
        errors["password_again"] = MSG_PASSWORDS_DIFFER
    if data is not None and not errors:
        try:
            account = service.sign_up(
                session, pseudonym=data.pseudonym, password=password, client=client
            )
            token, _auth = service.start_session(session, account=account, kind="web")
            if old := request.cookies.get(SESSION_COOKIE):
                service.end_session(session, token=old)
            session.commit()
            return _sign_in_response(token, str(path_for(request, "accounts.recovery_codes")))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "pseudonym")
    suggestions = service.suggest_pseudonyms(session, count=5)
    return render(
        request,
        "accounts/signup.html",
        {"suggestions": suggestions, "form": form, "errors": errors},
        status=422,
    )


@router.get("/me/recovery-codes", name="accounts.recovery_codes")
def recovery_codes(request: Request, member: PageMember, session: SessionDep) -> Response:
    """Codes are made the first time this page is seen, and never shown again."""
    codes: list[str] = []
    if not service.has_recovery_codes(session, account=member):
        codes = service.issue_recovery_codes(session, account=member)
        session.commit()
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes},
        headers={"Cache-Control": "no-store"},
    )


@router.post("/me/recovery-codes", name="accounts.new_recovery_codes")
def new_recovery_codes(
    request: Request,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
) -> Response:
    service.clear_recovery_codes(session, account=member)
    session.commit()
    return redirect(path_for(request, "accounts.recovery_codes"))


@router.get("/signin", name="accounts.signin_form")
def signin_form(request: Request, viewer: PageViewer, next: str | None = None) -> Response:
    return render(
        request, "accounts/signin.html", {"form": {"next": _safe_next(next)}, "errors": {}}
    )


@router.post("/signin", name="accounts.signin")
def signin(
    request: Request,
    session: SessionDep,
    _: CsrfChecked,
    client: ClientKey,
    pseudonym: FormText = "",
    password: FormText = "",
    next: FormText = "/",
) -> Response:
    form = {"pseudonym": pseudonym, "next": _safe_next(next)}
    data, errors = validate_form(SessionCreate, {"pseudonym": pseudonym, "password": password})
    if data is not None:
        try:
            token, _auth, _account = service.sign_in(
                session,
                pseudonym=data.pseudonym,
                password=data.password,
                kind="web",
                client=client,
            )
            if old := request.cookies.get(SESSION_COOKIE):
                service.end_session(session, token=old)
            session.commit()
            return _sign_in_response(token, form["next"])
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "form")
    return render(request, "accounts/signin.html", {"form": form, "errors": errors}, status=422)


@router.post("/signout", name="accounts.signout")
def signout(request: Request, session: SessionDep, _: CsrfChecked) -> Response:
    if token := request.cookies.get(SESSION_COOKIE):
        service.end_session(session, token=token)
        session.commit()
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/recover", name="accounts.recover_form")
def recover_form(request: Request) -> Response:
    return render(request, "accounts/recover.html", {"form": {}, "errors": {}})


@router.post("/recover", name="accounts.recover")
def recover(
    request: Request,
    session: SessionDep,
    _: CsrfChecked,
    client: ClientKey,
    pseudonym: FormText = "",
    recovery_code: FormText = "",
    new_password: FormText = "",
) -> Response:
    form = {"pseudonym": pseudonym}
    data, errors = validate_form(
        AccountRecover,
        {"pseudonym": pseudonym, "recovery_code": recovery_code, "new_password": new_password},
    )
    if data is not None:
        try:
            account, _left = service.recover_account(
                session,
                pseudonym=data.pseudonym,
                recovery_code=data.recovery_code,
                new_password=data.new_password,
                client=client,
            )
            token, _auth = service.start_session(session, account=account, kind="web")
            session.commit()
            return _sign_in_response(token, str(path_for(request, "accounts.me")))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "recovery_code")
    return render(request, "accounts/recover.html", {"form": form, "errors": errors}, status=422)


@router.get("/me", name="accounts.me")
def me(request: Request, member: PageMember, session: SessionDep) -> Response:
    context = {
        "posts": stories.list_own_posts(session, author=member),
        "appeals": moderation.appeals_of(session, author=member),
        "sanctions": moderation.sanctions_of(session, account_id=member.id),
        "now": utcnow(),
    }
    return render(request, "accounts/me.html", context)


@router.get("/me/sessions", name="accounts.sessions")
def sessions_page(request: Request, member: PageMember, session: SessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    rows = [
        (auth, service.is_current(auth, token))
        for auth in service.list_sessions(session, account=member)
    ]
    return render(request, "accounts/sessions.html", {"sessions": rows})


@router.post("/me/sessions/{session_id}/end", name="accounts.end_session")
def end_session(
    request: Request,
    session_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
) -> Response:
    ended = service.revoke_session(session, account=member, session_id=session_id)
    session.commit()
    if not service.is_current(ended, request.cookies.get(SESSION_COOKIE)):
        return redirect(path_for(request, "accounts.sessions").include_query_params(notice="ended"))
    response = redirect("/")  # that was this browser's own session
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me/password", name="accounts.password_form")
def password_form(request: Request, member: PageMember) -> Response:
    return render(request, "accounts/password.html", {"errors": {}})


@router.post("/me/password", name="accounts.password")
def change_password(
    request: Request,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    current_password: FormText = "",
    new_password: FormText = "",
    new_password_again: FormText = "",
) -> Response:
    data, errors = validate_form(
        PasswordChange, {"current_password": current_password, "new_password": new_password}
    )
    if new_password != new_password_again:
        errors["new_password_again"] = MSG_PASSWORDS_DIFFER
    if data is not None and not errors:
        try:
            token, _auth = service.change_password(
                session,
                account=member,
                current_password=data.current_password,
                new_password=data.new_password,
                kind="web",
            )
            session.commit()
            target = path_for(request, "accounts.me").include_query_params(notice="password")
            return _sign_in_response(token, str(target))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "current_password")
    return render(request, "accounts/password.html", {"errors": errors}, status=422)


@router.get("/me/export", name="accounts.export")
def export(member: PageMember, session: SessionDep) -> Response:
    data = personal_data.export_account(session, account=member)
    stamp = data["exported_at"][:10]
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="kindred-export-{stamp}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/me/delete", name="accounts.delete_form")
def delete_form(request: Request, member: PageMember) -> Response:
    return render(request, "accounts/delete.html", {"form": {"content": "erase"}, "errors": {}})


@router.post("/me/delete", name="accounts.delete")
def delete(
    request: Request,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    password: FormText = "",
    content: FormText = "",
) -> Response:
    form = {"content": content}
    data, errors = validate_form(AccountDelete, {"password": password, "content": content})
    if data is not None:
        try:
            service.check_password(member, data.password)
            personal_data.delete_account(session, account=member, content=data.content)
            session.commit()
            response = redirect(path_for(request, "accounts.deleted"))
            response.delete_cookie(SESSION_COOKIE, path="/")
            return response
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "password")
    return render(request, "accounts/delete.html", {"form": form, "errors": errors}, status=422)


@router.get("/goodbye", name="accounts.deleted")
def deleted(request: Request) -> Response:
    return render(request, "accounts/deleted.html")
