from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app import cache
from app.accounts.deps import PageMember, PageViewer, page_viewer
from app.accounts.models import Account
from app.circles import service as circles
from app.db import MAX_ID, SessionDep
from app.errors import AppError
from app.moderation import cases as moderation
from app.pagination import Cursor
from app.stories import service, thread_page, tips
from app.stories.deps import PostId
from app.stories.models import Post, PostStatus
from app.stories.schemas import PostUpdate, ReplyCreate, StoryCreate
from app.web import (
    CsrfChecked,
    FormText,
    form_errors,
    path_for,
    redirect,
    render,
    validate_form,
)

router = APIRouter(dependencies=[Depends(page_viewer)], include_in_schema=False)


def _checked(value: str) -> bool:
    return value in {"on", "true", "1", "yes"}


def _needs_a_look(screened: service.Screened, intent: str, acknowledged: str) -> bool:
    """Show the draft back first when asked to, or when its wording may hurt and the author
    has not yet seen why: the nudge before posting, without JavaScript."""
    return intent == "preview" or (bool(screened.stigma) and acknowledged != "yes")


def _after_post(request: Request, post: Post) -> str:
    notice = "held" if post.status == PostStatus.pending else None
    return _story_url(request, post.story_id or post.id, post.id, notice=notice)


def _story_url(
    request: Request, story_id: int, post_id: int | None = None, *, notice: str | None = None
) -> str:
    url = path_for(request, "stories.detail", story_id=story_id)
    if notice:
        url = url.include_query_params(notice=notice)
    return f"{url}#reply-{post_id}" if post_id and post_id != story_id else str(url)


@router.get("/stories/new", name="stories.new")
def new_story(
    request: Request, member: PageMember, session: SessionDep, circle: str | None = None
) -> Response:
    moderation.require_active(member)
    return _compose(request, session, {"circle": circle or ""}, {})


def _compose(
    request: Request,
    session: SessionDep,
    form: dict[str, Any],
    errors: dict[str, str],
    screened: service.Screened | None = None,
) -> Response:
    context = {
        "circles": circles.list_circles(session),
        "form": form,
        "errors": errors,
        "screened": screened,
    }
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
    intent: FormText = "",
    acknowledged: FormText = "",
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
        screened = service.screen_fields(
            title=data.title, content_warning=data.content_warning, body=data.body
        )
        if _needs_a_look(screened, intent, acknowledged):
            return _compose(request, session, form, {}, screened)
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
            return redirect(_after_post(request, story))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc)
    return _compose(request, session, form, errors)


@router.get("/tips", name="stories.tips")
def tips_page(
    request: Request,
    session: SessionDep,
    circle: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Cursor = None,
) -> Response:
    found = circles.get_circle(session, circle) if circle else None
    items, next_cursor = tips.list_tips(session, circle=found, limit=20, cursor=cursor)
    context = {
        "circles": circles.list_circles(session),
        "circle": found,
        "tips": items,
        "next_cursor": next_cursor,
        "cursor": cursor,
    }
    return render(request, "stories/tips.html", context)


@router.get("/stories/{story_id}", name="stories.detail")
def detail(request: Request, story_id: PostId, session: SessionDep, viewer: PageViewer) -> Response:
    def page() -> Response:
        thread = service.get_thread(session, story_id=story_id, viewer=viewer)
        context = {
            "thread": thread,
            "story": thread.story.post,
            "story_visible": thread.story.visible,
            "form": {},
            "errors": {},
            "max_depth": service.MAX_REPLY_DEPTH,
            # An author whose words here signalled crisis sees help-now first, every visit.
            "show_help": service.signals_crisis(
                (n.post for n in service.walk([thread.story])), viewer
            ),
        }
        return render(request, "stories/detail.html", context)

    # Everyone signed out sees the same page: the workers share it, once per thread version.
    if viewer is None and not request.url.query:
        version = service.thread_version(session, story_id=story_id)
        if version is not None:
            return cache.serve(f"story-page:{story_id}", version=version, render=page)
    # Members see the thread as rendered once for every member (thread_page), with their
    # own posts, reactions and form token put in. Moderators, who see what waits for them in
    # place, get a rendering of their own.
    if viewer is not None and not moderation.is_staff(viewer):
        version = service.thread_version(session, story_id=story_id)
        if version is not None:
            shared = thread_page.for_member(request, session, viewer, story_id, version)
            if shared is not None:
                return shared
    return page()


@router.get("/stories/{story_id}/replies/{reply_id}", name="stories.subthread")
def subthread(
    request: Request, story_id: PostId, reply_id: PostId, session: SessionDep, viewer: PageViewer
) -> Response:
    """One deep branch of a thread on a page of its own, at full width."""
    thread = service.get_thread(session, story_id=story_id, viewer=viewer)
    branch = service.find_node(thread, reply_id)
    context = {"thread": thread, "branch": branch, "max_depth": service.MAX_REPLY_DEPTH}
    return render(request, "stories/subthread.html", context)


@router.get("/stories/{story_id}/reply", name="stories.reply_form")
def reply_form(
    request: Request,
    story_id: PostId,
    member: PageMember,
    session: SessionDep,
    parent_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    moderation.require_active(member)
    return _reply_page(request, session, member, story_id, {"parent_id": parent_id}, {})


def _reply_page(
    request: Request,
    session: SessionDep,
    member: Account,
    story_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    screened: service.Screened | None = None,
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
        "screened": screened,
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
    intent: FormText = "",
    acknowledged: FormText = "",
) -> Response:
    form = {
        "body": body,
        "parent_id": parent_id or None,
        "coping_tip": _checked(coping_tip),
        "anonymous": _checked(anonymous),
    }
    data, errors = validate_form(ReplyCreate, form)
    if data is not None:
        screened = service.screen_fields(body=data.body)
        if _needs_a_look(screened, intent, acknowledged):
            return _reply_page(request, session, member, story_id, form, {}, screened)
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
            return redirect(_after_post(request, post))
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
    moderation.require_active(member)
    post = service.get_own_post(session, post_id=post_id, actor=member)
    form = {"title": post.title, "body": post.body, "content_warning": post.content_warning or ""}
    return _edit_page(request, post, form, {})


def _edit_page(
    request: Request,
    post: Post,
    form: dict[str, Any],
    errors: dict[str, str],
    screened: service.Screened | None = None,
) -> Response:
    context = {
        "post": post,
        "form": form,
        "errors": errors,
        "screened": screened,
    }
    return render(request, "stories/edit.html", context, status=422 if errors else 200)


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
    intent: FormText = "",
    acknowledged: FormText = "",
) -> Response:
    post = service.get_own_post(session, post_id=post_id, actor=member)
    form = {"body": body, "title": title, "content_warning": content_warning}
    fields: dict[str, Any] = {"body": body}
    if post.is_story:
        fields |= {"title": title, "content_warning": content_warning or None}
    data, errors = validate_form(PostUpdate, fields)
    if data is not None:
        changes = data.model_dump(exclude_unset=True)
        screened = service.screen_fields(**changes)
        if _needs_a_look(screened, intent, acknowledged):
            return _edit_page(request, post, form, {}, screened)
        try:
            edited = service.edit_post(session, actor=member, post_id=post_id, changes=changes)
            session.commit()
            return redirect(_after_post(request, edited))
        except AppError as exc:
            session.rollback()
            errors = form_errors(exc, "body")
    return _edit_page(request, post, form, errors)


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
