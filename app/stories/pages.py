from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from app.accounts.deps import PageMember, PageViewer, page_viewer
from app.accounts.models import Account
from app.circles import service as circles
from app.db import MAX_ID, SessionDep
from app.errors import AppError
from app.stories import service
from app.stories.deps import PostId
from app.stories.schemas import PostUpdate, ReplyCreate, StoryCreate
from app.web import CsrfChecked, form_errors, path_for, redirect, render, validate_form

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)

FormText = Annotated[str, Form(max_length=100_000)]


def _checked(value: str) -> bool:
    return value in {"on", "true", "1", "yes"}


def _story_url(request: Request, story_id: int, post_id: int | None = None) -> str:
    url = str(path_for(request, "stories.detail", story_id=story_id))
    return f"{url}#reply-{post_id}" if post_id and post_id != story_id else url


@router.get("/stories/new", name="stories.new")
def new_story(
    request: Request, member: PageMember, session: SessionDep, circle: str | None = None
) -> Response:
    return _compose(request, session, {"circle": circle or ""}, {})


def _compose(
    request: Request, session: SessionDep, form: dict[str, Any], errors: dict[str, str]
) -> Response:
    context = {"circles": circles.list_circles(session), "form": form, "errors": errors}
    return render(request, "stories/new.html", context, status=422 if errors else 200)


@router.post("/stories/new", name="stories.create")
def create_story(
    request: Request,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    circle: FormText = "",
    title: FormText = "",
    body: FormText = "",
    content_warning: FormText = "",
    anonymous: FormText = "",
) -> Response:
    form = {
        "circle": circle,
        "title": title,
        "body": body,
        "content_warning": content_warning,
        "anonymous": _checked(anonymous),
    }
    data, errors = validate_form(StoryCreate, form | {"content_warning": content_warning or None})
    if data is not None:
        try:
            story = service.publish_story(
                session,
                author=member,
                circle=data.circle,
                title=data.title,
                body=data.body,
                content_warning=data.content_warning,
                anonymous=data.anonymous,
            )
            session.commit()
            return redirect(_story_url(request, story.id))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc)
    return _compose(request, session, form, errors)


@router.get("/stories/{story_id}", name="stories.detail")
def detail(request: Request, story_id: PostId, session: SessionDep, viewer: PageViewer) -> Response:
    thread = service.get_thread(session, story_id=story_id, viewer=viewer)
    return render(
        request,
        "stories/detail.html",
        {"thread": thread, "form": {}, "errors": {}, "max_depth": service.MAX_REPLY_DEPTH},
    )


@router.get("/stories/{story_id}/reply", name="stories.reply_form")
def reply_form(
    request: Request,
    story_id: PostId,
    member: PageMember,
    session: SessionDep,
    parent_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    return _reply_page(request, session, member, story_id, {"parent_id": parent_id}, {})


def _reply_page(
    request: Request,
    session: SessionDep,
    member: Account,
    story_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    story = service.get_story_post(session, story_id=story_id, viewer=member)
    parent = story
    if form.get("parent_id") not in (None, "", story.id):
        parent = service.get_post(session, post_id=int(form["parent_id"]), viewer=member)
    context = {
        "story": story,
        "parent": parent,
        "parent_visible": service.can_see(parent, member),
        "form": form,
        "errors": errors,
    }
    return render(request, "stories/reply.html", context, status=422 if errors else 200)


@router.post("/stories/{story_id}/replies", name="stories.reply")
def reply(
    request: Request,
    story_id: PostId,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    body: FormText = "",
    parent_id: FormText = "",
    coping_tip: FormText = "",
    anonymous: FormText = "",
) -> Response:
    form = {
        "body": body,
        "parent_id": parent_id or None,
        "coping_tip": _checked(coping_tip),
        "anonymous": _checked(anonymous),
    }
    data, errors = validate_form(ReplyCreate, form)
    if data is not None:
        try:
            post = service.reply_to_story(
                session,
                author=member,
                story_id=story_id,
                body=data.body,
                parent_id=data.parent_id,
                coping_tip=data.coping_tip,
                anonymous=data.anonymous,
            )
            session.commit()
            return redirect(_story_url(request, story_id, post.id))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "body")
    if "parent_id" in errors:
        form["parent_id"] = None
    return _reply_page(request, session, member, story_id, form, errors)


@router.get("/posts/{post_id}/edit", name="stories.edit_form")
def edit_form(
    request: Request, post_id: PostId, member: PageMember, session: SessionDep
) -> Response:
    post = service.get_own_post(session, post_id=post_id, actor=member)
    form = {"title": post.title, "body": post.body, "content_warning": post.content_warning or ""}
    return render(request, "stories/edit.html", {"post": post, "form": form, "errors": {}})


@router.post("/posts/{post_id}/edit", name="stories.edit")
def edit(
    request: Request,
    post_id: PostId,
    member: PageMember,
    session: SessionDep,
    _: CsrfChecked,
    body: FormText = "",
    title: FormText = "",
    content_warning: FormText = "",
) -> Response:
    post = service.get_own_post(session, post_id=post_id, actor=member)
    form = {"body": body, "title": title, "content_warning": content_warning}
    fields: dict[str, Any] = {"body": body}
    if post.is_story:
        fields |= {"title": title, "content_warning": content_warning or None}
    data, errors = validate_form(PostUpdate, fields)
    if data is not None:
        try:
            service.edit_post(
                session, actor=member, post_id=post_id, changes=data.model_dump(exclude_unset=True)
            )
            session.commit()
            return redirect(_story_url(request, post.story_id or post.id, post.id))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "body")
    return render(
        request, "stories/edit.html", {"post": post, "form": form, "errors": errors}, status=422
    )


@router.get("/posts/{post_id}/delete", name="stories.delete_form")
def delete_form(
    request: Request, post_id: PostId, member: PageMember, session: SessionDep
) -> Response:
    post = service.get_own_post(session, post_id=post_id, actor=member)
    return render(request, "stories/delete.html", {"post": post})


@router.post("/posts/{post_id}/delete", name="stories.delete")
def delete(
    request: Request, post_id: PostId, member: PageMember, session: SessionDep, _: CsrfChecked
) -> Response:
    post = service.get_own_post(session, post_id=post_id, actor=member)
    story_id = post.story_id or post.id
    service.delete_post(session, actor=member, post_id=post_id)
    session.commit()
    return redirect(_story_url(request, story_id, post_id))
