import re
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel

from app.accounts.deps import PageMember, page_viewer
from app.accounts.models import Account
from app.db import SessionDep
from app.errors import AppError
from app.moderation import cases, service
from app.moderation.deps import AccountId, CaseId, PageModerator
from app.moderation.models import CaseStatus
from app.moderation.schemas import (
    AppealCreate,
    DecisionCreate,
    ReportCreate,
    WarningCreate,
)
from app.pagination import Cursor
from app.stories import service as stories
from app.stories.deps import PostId
from app.web import CsrfChecked, FormText, form_errors, path_for, redirect, render, validate_form

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)

MAX_DAYS = 5 * 365
GIVE_A_REASON = "Please give a reason."
REASON_FILTERS = {
    "": "All reasons",
    "crisis": "Crisis",
    "report": "Reports",
    "stigma": "Stigmatising wording",
    "first_post": "First posts",
    "appeal": "Appeals",
    "escalated": "Escalated",
}
REPORT_REASONS = {
    "crisis": "Someone may be in danger",
    "harassment": "Harassment or bullying",
    "stigmatising": "Stigmatising language",
    "personal_info": "Personal details that could identify someone",
    "spam": "Spam or advertising",
    "other": "Something else",
}


M = TypeVar("M", bound=BaseModel)


def _validated(
    schema: type[M], data: dict[str, Any], blank: dict[str, str]
) -> tuple[M | None, dict[str, str]]:
    """The API's schema, but a field left empty gets a plain request, not pydantic's wording."""
    parsed, errors = validate_form(schema, data)
    for field, message in blank.items():
        if field in errors and not str(data.get(field) or "").strip():
            errors[field] = message
    return parsed, errors


def _story_anchor(request: Request, post_id: int, story_id: int, notice: str) -> str:
    url = path_for(request, "stories.detail", story_id=story_id).include_query_params(notice=notice)
    return f"{url}#reply-{post_id}" if post_id != story_id else str(url)


# --- members: reports and appeals ------------------------------------------------------------


@router.get("/posts/{post_id}/report", name="moderation.report_form")
def report_form(
    request: Request, post_id: PostId, member: PageMember, session: SessionDep
) -> Response:
    cases.require_active(member)
    post = stories.get_post(session, post_id=post_id, viewer=member)
    return _report_page(request, post, {}, {})


def _report_page(
    request: Request, post: Any, form: dict[str, Any], errors: dict[str, str]
) -> Response:
    context = {"post": post, "reasons": REPORT_REASONS, "form": form, "errors": errors}
    return render(request, "moderation/report.html", context, status=422 if errors else 200)


@router.post("/posts/{post_id}/report", name="moderation.report")
def report(
    request: Request,
    post_id: PostId,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    reason: FormText = "",
    details: FormText = "",
) -> Response:
    # A suspended member gets the calm 403 page that says why, not a form to fix.
    cases.require_active(member)
    post = stories.get_post(session, post_id=post_id, viewer=member)
    form = {"reason": reason, "details": details}
    data, errors = _validated(
        ReportCreate,
        {"post_id": post_id, "reason": reason, "details": details or None},
        {"reason": "Please choose what is wrong."},
    )
    if data is not None:
        try:
            service.file_report(
                session, reporter=member, post_id=post_id, reason=data.reason, details=data.details
            )
            session.commit()
            return redirect(_story_anchor(request, post.id, post.story_id or post.id, "reported"))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "reason")
    return _report_page(request, post, form, errors)


@router.get("/posts/{post_id}/appeal", name="moderation.appeal_form")
def appeal_form(
    request: Request, post_id: PostId, member: PageMember, session: SessionDep
) -> Response:
    post = stories.get_own_removed_post(session, post_id=post_id, author=member)
    return render(request, "moderation/appeal.html", {"post": post, "form": {}, "errors": {}})


@router.post("/posts/{post_id}/appeal", name="moderation.appeal")
def appeal(
    request: Request,
    post_id: PostId,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    text: FormText = "",
) -> Response:
    post = stories.get_own_removed_post(session, post_id=post_id, author=member)
    data, errors = _validated(AppealCreate, {"text": text}, {"text": "Please write a few words."})
    if data is not None:
        try:
            service.appeal_removal(session, author=member, post_id=post_id, text=data.text)
            session.commit()
            return redirect(
                path_for(request, "accounts.me").include_query_params(notice="appealed")
            )
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "text")
    context = {"post": post, "form": {"text": text}, "errors": errors}
    return render(request, "moderation/appeal.html", context, status=422)


# --- moderators: the queue, one item, the log, a member ----------------------------------------


@router.get("/moderation", name="moderation.queue")
def queue(
    request: Request,
    moderator: PageModerator,
    session: SessionDep,
    status: str = "open",
    reason: str = "",
    cursor: Cursor = None,
) -> Response:
    chosen = CaseStatus.closed if status == "closed" else CaseStatus.open
    reason = reason if reason in REASON_FILTERS else ""
    entries, next_cursor = service.list_queue(
        session, status=chosen, reason=reason or None, limit=25, cursor=cursor
    )
    context = {
        "entries": entries,
        "status": chosen.value,
        "reason": reason,
        "reasons": REASON_FILTERS,
        "next_cursor": next_cursor,
        "cursor": cursor,
    }
    return render(request, "moderation/queue.html", context)


def _case_page(
    request: Request,
    session: SessionDep,
    moderator: Account,
    case_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    entry = service.get_entry(session, case_id=case_id)
    story_id = entry.post.story_id or entry.post.id
    context = {
        "entry": entry,
        "thread": stories.get_thread(session, story_id=story_id, viewer=moderator),
        "reports": service.reports_of(session, case_id=case_id),
        "appeal": service.appeal_of(session, case_id=case_id),
        "form": form,
        "errors": errors,
        "max_depth": stories.MAX_REPLY_DEPTH,
    }
    return render(request, "moderation/case.html", context, status=status)


@router.get("/moderation/cases/{case_id}", name="moderation.case")
def case(
    request: Request, case_id: CaseId, moderator: PageModerator, session: SessionDep
) -> Response:
    return _case_page(request, session, moderator, case_id, {}, {})


@router.post("/moderation/cases/{case_id}/claim", name="moderation.claim")
def claim(
    request: Request,
    case_id: CaseId,
    moderator: PageModerator,
    session: SessionDep,
    _: CsrfChecked,
) -> Response:
    try:
        service.claim_case(session, moderator=moderator, case_id=case_id)
        session.commit()
    except AppError as exc:
        session.rollback()
        return _case_page(request, session, moderator, case_id, {}, form_errors(exc), exc.status)
    url = path_for(request, "moderation.case", case_id=case_id)
    return redirect(url.include_query_params(notice="claimed"))


@router.post("/moderation/cases/{case_id}/decision", name="moderation.decide")
def decide(
    request: Request,
    case_id: CaseId,
    moderator: PageModerator,
    session: SessionDep,
    _: CsrfChecked,
    action: FormText = "",
    reason: FormText = "",
    note: FormText = "",
) -> Response:
    form = {"action": action, "reason": reason, "note": note}
    data, errors = _validated(
        DecisionCreate,
        {"action": action, "reason": reason, "note": note or None},
        {"action": "Please choose a decision.", "reason": GIVE_A_REASON},
    )
    if data is not None:
        try:
            service.decide_case(
                session,
                moderator=moderator,
                case_id=case_id,
                action=data.action,
                reason=data.reason,
                note=data.note,
            )
            session.commit()
            url = path_for(request, "moderation.queue").include_query_params(notice="decided")
            return redirect(url)
        except AppError as exc:
            session.rollback()
            if exc.status not in (403, 409):
                errors = form_errors(exc)
            else:
                # Another moderator's claim, or an appeal this moderator may not decide: the
                # case page says so, with what they typed still there.
                errors = {"form": exc.message}
                return _case_page(request, session, moderator, case_id, form, errors, exc.status)
    return _case_page(request, session, moderator, case_id, form, errors, 422)


@router.get("/moderation/log", name="moderation.log")
def log(
    request: Request, moderator: PageModerator, session: SessionDep, cursor: Cursor = None
) -> Response:
    entries, next_cursor = service.list_log(session, limit=50, cursor=cursor)
    context = {"entries": entries, "next_cursor": next_cursor, "cursor": cursor}
    return render(request, "moderation/log.html", context)


def _member_page(
    request: Request,
    session: SessionDep,
    account_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    record = service.member_history(session, account_id=account_id)
    now = datetime.now(UTC)
    context = {"record": record, "form": form, "errors": errors, "now": now}
    return render(request, "moderation/member.html", context, status=status)


@router.get("/moderation/members/{account_id}", name="moderation.member")
def member(
    request: Request, account_id: AccountId, moderator: PageModerator, session: SessionDep
) -> Response:
    return _member_page(request, session, account_id, {}, {})


@router.post("/moderation/members/{account_id}/sanctions", name="moderation.sanction")
def sanction(
    request: Request,
    account_id: AccountId,
    moderator: PageModerator,
    session: SessionDep,
    _: CsrfChecked,
    kind: FormText = "",
    reason: FormText = "",
    days: FormText = "",
) -> Response:
    """Warn, suspend for a number of days, or lift a suspension: one form, three buttons."""
    form = {"reason": reason, "days": days}
    errors: dict[str, str] = {}
    try:
        if kind == "lift":
            service.lift_suspension(session, moderator=moderator, account_id=account_id)
        elif kind == "suspend":
            data, errors = _validated(WarningCreate, {"reason": reason}, {"reason": GIVE_A_REASON})
            # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
            if not (re.fullmatch(r"[0-9]{1,4}", days.strip()) and 0 < int(days) <= MAX_DAYS):
                errors["days"] = f"Please give a number of days from 1 to {MAX_DAYS}."
            if data is not None and not errors:
                until = datetime.now(UTC) + timedelta(days=int(days))
                service.suspend_member(
                    session, moderator=moderator, account_id=account_id,
                    until=until, reason=data.reason,
                )  # fmt: skip
        else:
            warning, errors = _validated(
                WarningCreate, {"reason": reason}, {"reason": GIVE_A_REASON}
            )
            if warning is not None:
                service.warn_member(
                    session, moderator=moderator, account_id=account_id, reason=warning.reason
                )
        if not errors:
            session.commit()
            url = path_for(request, "moderation.member", account_id=account_id)
            return redirect(url.include_query_params(notice="sanctioned"))
    except AppError as exc:
        session.rollback()
        errors = form_errors(exc)
    return _member_page(request, session, account_id, form, errors, 422)
