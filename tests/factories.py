"""Plain factory functions: make_<thing>(session, **overrides)."""

import itertools
import re
from functools import lru_cache
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import pseudonyms
from app.accounts import service as accounts
from app.accounts.models import Account, Role
from app.circles import service as circles
from app.circles.models import Circle
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories.models import Post, PostStatus

PASSWORD = "a calm river at dawn"
_numbers = itertools.count(1)


@lru_cache
def _hash(password: str) -> str:
    # argon2 is slow on purpose; one hash per distinct password keeps the suite quick.
    return accounts.hash_password(password)


def make_account(
    session: Session,
    *,
    pseudonym: str | None = None,
    password: str = PASSWORD,
    role: Role = Role.member,
) -> Account:
    name = pseudonym or f"Member{next(_numbers):04d}x"
    account = Account(
        pseudonym=name, pseudonym_key=pseudonyms.key(name), password_hash=_hash(password), role=role
    )
    session.add(account)
    session.flush()
    return account


def make_circle(session: Session, *, slug: str | None = None, **overrides: Any) -> Circle:
    n = next(_numbers)
    slug = slug or f"circle-{n}"
    fields = {
        "name": f"Circle {n}",
        "description": "A room for testing.",
        "position": n,
    } | overrides
    return circles.ensure_circle(session, slug=slug, **fields)


def make_story(
    session: Session,
    *,
    author: Account | None = None,
    circle: Circle | None = None,
    **overrides: Any,
) -> Post:
    fields: dict[str, Any] = {
        "title": "A story",
        "body": "Something that *happened*.",
        "content_warning": None,
        "anonymous": False,
    } | overrides
    return stories.publish_story(
        session,
        author=author or make_account(session),
        circle=(circle or make_circle(session)).slug,
        **fields,
    )


def make_reply(
    session: Session,
    *,
    story: Post,
    author: Account | None = None,
    parent: Post | None = None,
    **overrides: Any,
) -> Post:
    fields: dict[str, Any] = {
        "body": "Thinking of you.",
        "coping_tip": False,
        "anonymous": False,
    } | overrides
    return stories.reply_to_story(
        session,
        author=author or make_account(session),
        story_id=story.id,
        parent_id=parent.id if parent else None,
        **fields,
    )


def bearer(session: Session, account: Account) -> dict[str, str]:
    """Bearer headers from a session started directly: no argon2 verification per test."""
    token, _auth = accounts.start_session(session, account=account, kind="api")
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: Any, status: int, *, field: str | None = None) -> dict[str, Any]:
    """RFC 9457 problem details with no internals; a 422 also names the field at fault."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    for key in ("type", "title", "detail"):
        assert isinstance(body[key], str) and body[key], key
    for leak in ("Traceback", "sqlalchemy", "SELECT ", "argon2"):
        assert leak not in response.text
    if status == 422:
        assert body["errors"], body
        assert all(e["field"] and e["message"] for e in body["errors"])
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


def sign_in(client: TestClient, account: Account, password: str = PASSWORD) -> dict[str, str]:
    """Bearer headers for the API, through a real sign-in."""
    response = client.post(
        "/api/v1/sessions", json={"pseudonym": account.pseudonym, "password": password}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def sign_in_page(client: TestClient, account: Account, password: str = PASSWORD) -> None:
    """Sign in through the HTML form, leaving the session cookie in the client."""
    token = csrf_from(client.get("/signin").text)
    response = client.post(
        "/signin",
        data={"pseudonym": account.pseudonym, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def post_form(client: TestClient, form_page: str, action: str, data: dict[str, str]) -> Any:
    """Open a form's page for its CSRF token, then submit the form without following redirects."""
    token = csrf_from(client.get(form_page).text)
    return client.post(action, data=data | {"csrf_token": token}, follow_redirects=False)


def build_thread(db: Session, *, replies: int, circle: Circle, members: list[Account]) -> Post:
    """A story with replies at mixed depths, reactions, anonymous, deleted and pending posts."""
    story = make_story(db, author=members[0], circle=circle)
    posts = [story]
    for n in range(replies):
        # Alternate between answering the story, the latest reply and an earlier reply,
        # so the tree has both width and the full depth.
        parent = [story, posts[-1], posts[len(posts) // 2]][n % 3]
        reply = make_reply(
            db,
            story=story,
            author=members[n % len(members)],
            parent=None if parent is story else parent,
            anonymous=n % 4 == 0,
            coping_tip=n % 5 == 0,
        )
        posts.append(reply)
        reactions.react(
            db, member=members[(n + 1) % len(members)], post=reply, kind=list(ReactionKind)[n % 4]
        )
        reactions.react(db, member=members[0], post=reply, kind=ReactionKind.support)
    posts[2].deleted_at = posts[2].created_at
    posts[3].status = PostStatus.pending
    posts[4].status = PostStatus.removed
    db.flush()
    return story
