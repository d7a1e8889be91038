"""Who may call what: every /api/v1 endpoint against every kind of caller.

The table below has one row per endpoint of the OpenAPI document; a new endpoint without a row
fails `test_the_matrix_covers_every_api_endpoint`. Each cell is the status the contract asks
for when that caller sends a request that is otherwise valid.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.models import Account, Role
from app.db import utcnow
from app.main import create_app
from app.moderation import cases
from app.moderation import service as moderation
from app.moderation.models import Decision
from app.stories.models import Post
from tests.factories import (
    PASSWORD,
    assert_problem,
    bearer,
    make_account,
    make_circle,
    make_story,
)

API = "/api/v1"
ANONYMOUS, MEMBER, OTHER, SUSPENDED = "anonymous", "member", "other_member", "suspended_member"
MODERATOR, ADMIN = "moderator", "admin"
ROLES = (ANONYMOUS, MEMBER, OTHER, SUSPENDED, MODERATOR, ADMIN)
MEMBERS = (MEMBER, OTHER, SUSPENDED)
STAFF = (MODERATOR, ADMIN)


# --- what each kind of endpoint answers -----------------------------------------------------


def everyone(status: int) -> dict[str, int]:
    """Public: signed in or not, suspended or not."""
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, *, suspended: int | None = None) -> dict[str, int]:
    """Any account; a suspended member may be refused (403) where the endpoint writes."""
    return everyone(status) | {ANONYMOUS: 401, SUSPENDED: suspended or status}


def author_only(status: int, *, suspended: int) -> dict[str, int]:
    """Only the post's author: `member` and `suspended_member` act on their own posts."""
    return dict.fromkeys(ROLES, 403) | {ANONYMOUS: 401, MEMBER: status, SUSPENDED: suspended}


def staff_only(status: int) -> dict[str, int]:
    """Every moderation endpoint: 403 to members, suspended or not."""
    return dict.fromkeys(MEMBERS, 403) | dict.fromkeys(STAFF, status) | {ANONYMOUS: 401}


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # as the OpenAPI document names it
    expected: dict[str, int]
    params: dict[str, str] = field(default_factory=dict)  # path parameter -> World value
    body: dict[str, Any] | None = None  # "{name}" strings are World values
    query: dict[str, str] = field(default_factory=dict)
    why: str = ""


MATRIX = [
    # accounts and sessions
    Row("GET", "/pseudonyms/suggestions", everyone(200)),
    Row("POST", "/accounts", everyone(201), body={"password": "a long new passphrase"}),
    Row(
        "POST",
        "/sessions",
        everyone(201),
        body={"pseudonym": "{pseudonym}", "password": "{password}"},
    ),
    Row("DELETE", "/sessions/current", signed_in(204)),
    Row("GET", "/me", signed_in(200), why="a suspended member can still see their account"),
    Row(
        "DELETE",
        "/me",
        signed_in(204),
        body={"password": "{password}", "content": "anonymise"},
        why="leaving is never blocked by a suspension",
    ),
    Row(
        "POST",
        "/accounts/recover",
        everyone(200),
        body={
            "pseudonym": "{pseudonym}",
            "recovery_code": "{recovery_code}",
            "new_password": "another long passphrase",
        },
    ),
    Row("GET", "/me/export", signed_in(200)),
    Row("GET", "/me/sessions", signed_in(200)),
    Row(
        "DELETE",
        "/me/sessions/{session_id}",
        signed_in(204),
        params={"session_id": "own_session"},
        why="ending a session is never blocked by a suspension",
    ),
    Row(
        "PUT",
        "/me/password",
        signed_in(200),
        body={"current_password": "{password}", "new_password": "another long passphrase"},
        why="a suspended member can still secure their account",
    ),
    # reading
    Row("GET", "/circles", everyone(200)),
    Row("GET", "/stories", everyone(200)),
    Row("GET", "/stories/{story_id}", everyone(200), params={"story_id": "story"}),
    Row("POST", "/screen", everyone(200), body={"text": "Just checking my words."}),
    Row("GET", "/search", everyone(200), query={"q": "story"}),
    Row("GET", "/tips", everyone(200)),
    # writing
    Row(
        "POST",
        "/stories",
        signed_in(201, suspended=403),
        body={"circle": "{circle}", "title": "Hello", "body": "A first story."},
    ),
    Row(
        "POST",
        "/stories/{story_id}/replies",
        signed_in(201, suspended=403),
        params={"story_id": "story"},
        body={"body": "Thinking of you."},
    ),
    Row(
        "PATCH",
        "/posts/{post_id}",
        author_only(200, suspended=403),
        params={"post_id": "own_post"},
        body={"body": "Edited."},
    ),
    Row(
        "DELETE",
        "/posts/{post_id}",
        author_only(204, suspended=204),
        params={"post_id": "own_post"},
        why="a suspended member can still take their own words down",
    ),
    Row(
        "PUT",
        "/posts/{post_id}/reactions/{kind}",
        signed_in(200, suspended=403),
        params={"post_id": "story", "kind": "kind"},
    ),
    Row(
        "DELETE",
        "/posts/{post_id}/reactions/{kind}",
        signed_in(200, suspended=403),
        params={"post_id": "story", "kind": "kind"},
    ),
    # reports and appeals
    Row(
        "POST",
        "/reports",
        signed_in(201, suspended=403),
        body={"post_id": "{stranger_post}", "reason": "spam"},
    ),
    Row(
        "POST",
        "/posts/{post_id}/appeal",
        author_only(201, suspended=201),
        params={"post_id": "own_removed"},
        body={"text": "Please look again."},
        why="contesting a moderator's decision stays open during a suspension",
    ),
    # notifications: a member's own notices; reading them is never blocked by a suspension
    Row("GET", "/notifications", signed_in(200)),
    Row("GET", "/notifications/unread-count", signed_in(200)),
    Row("POST", "/notifications/read", signed_in(200), body={"all": True}),
    # moderation
    Row("GET", "/moderation/queue", staff_only(200)),
    Row("GET", "/moderation/queue/{item_id}", staff_only(200), params={"item_id": "item"}),
    Row("POST", "/moderation/queue/{item_id}/claim", staff_only(200), params={"item_id": "item"}),
    Row(
        "POST",
        "/moderation/queue/{item_id}/decision",
        staff_only(200),
        params={"item_id": "item"},
        body={"action": "approve", "reason": "Fine."},
    ),
    Row(
        "POST",
        "/moderation/accounts/{account_id}/suspension",
        staff_only(201),
        params={"account_id": "target"},
        body={"until": "{tomorrow}", "reason": "Cooling off."},
    ),
    Row(
        "DELETE",
        "/moderation/accounts/{account_id}/suspension",
        staff_only(204),
        params={"account_id": "suspended_account"},
        why="members get 403 even when lifting their own suspension",
    ),
    Row(
        "POST",
        "/moderation/accounts/{account_id}/warnings",
        staff_only(201),
        params={"account_id": "target"},
        body={"reason": "Please keep it kind."},
    ),
    Row(
        "GET",
        "/moderation/accounts/{account_id}",
        staff_only(200),
        params={"account_id": "target"},
    ),
    Row("GET", "/moderation/log", staff_only(200)),
]


# --- the world each request is made in ------------------------------------------------------


@dataclass
class World:
    callers: dict[str, Account]
    values: dict[str, Any]
    own_posts: dict[str, Post]
    own_removed: dict[str, Post]

    def for_caller(self, db: Session, role: str) -> dict[str, Any]:
        """The values a request needs, from the caller's side (anonymous acts as `member`)."""
        acting = self.callers[role if role != ANONYMOUS else MEMBER]
        own = role if role in self.own_posts else MEMBER
        return self.values | {
            "pseudonym": acting.pseudonym,
            "password": PASSWORD,
            "recovery_code": accounts.issue_recovery_codes(db, account=acting)[0],
            "own_post": self.own_posts[own].id,
            "own_removed": self.own_removed[own].id,
            "own_session": accounts.start_session(db, account=acting, kind="api")[1].id,
        }


@pytest.fixture
def world(db: Session) -> World:
    circle = make_circle(db)
    callers = {
        MEMBER: make_account(db),
        OTHER: make_account(db),
        SUSPENDED: make_account(db),
        MODERATOR: make_account(db, role=Role.moderator),
        ADMIN: make_account(db, role=Role.admin),
    }
    remover = make_account(db, role=Role.moderator)
    stranger = make_account(db)
    own_posts, own_removed = {}, {}
    for role in (MEMBER, SUSPENDED):
        own_posts[role] = make_story(db, author=callers[role], circle=circle)
        gone = make_story(db, author=callers[role], circle=circle)
        case = cases.open_case(db, post=gone, reasons=["report:spam"])
        moderation.decide_case(
            db, moderator=remover, case_id=case.id, action=Decision.remove, reason="Spam."
        )
        own_removed[role] = gone
    callers[SUSPENDED].suspended_until = utcnow() + timedelta(days=2)
    stranger_story = make_story(db, author=stranger, circle=circle)
    item = cases.open_case(db, post=stranger_story, reasons=["stigma"])
    db.flush()
    values = {
        "story": own_posts[MEMBER].id,
        "stranger_post": stranger_story.id,
        "item": item.id,
        "target": make_account(db).id,
        "suspended_account": callers[SUSPENDED].id,
        "circle": circle.slug,
        "kind": "support",
        "tomorrow": (utcnow() + timedelta(days=1)).isoformat(),
    }
    return World(callers, values, own_posts, own_removed)


def _fill(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return values[template[1:-1]]
    return template


# --- the matrix -----------------------------------------------------------------------------


def test_the_matrix_covers_every_api_endpoint() -> None:
    documented = {
        (method.upper(), path.removeprefix(API))
        for path, operations in create_app().openapi()["paths"].items()
        if path.startswith(f"{API}/")
        for method in operations
    }
    in_matrix = [(row.method, row.path) for row in MATRIX]

    assert len(in_matrix) == len(set(in_matrix)), "an endpoint has two rows"
    assert set(in_matrix) - documented == set(), "rows for endpoints that no longer exist"
    assert documented - set(in_matrix) == set(), "endpoints without a row in the matrix"


def test_every_row_says_what_each_kind_of_caller_gets() -> None:
    for row in MATRIX:
        assert set(row.expected) == set(ROLES), row


def test_every_moderation_endpoint_refuses_members() -> None:
    moderation_rows = [row for row in MATRIX if row.path.startswith("/moderation/")]

    assert moderation_rows
    for row in moderation_rows:
        assert [row.expected[role] for role in MEMBERS] == [403, 403, 403], row
        assert row.expected[ANONYMOUS] == 401, row
        assert all(200 <= row.expected[role] < 300 for role in STAFF), row


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", MATRIX, ids=lambda row: f"{row.method} {row.path}")
def test_each_caller_gets_what_the_contract_says(
    client: TestClient, db: Session, world: World, row: Row, role: str
) -> None:
    values = world.for_caller(db, role)
    path = API + row.path.format(**{name: values[key] for name, key in row.params.items()})
    headers = bearer(db, world.callers[role]) if role != ANONYMOUS else {}

    response = client.request(
        row.method, path, json=_fill(row.body, values), params=row.query, headers=headers
    )

    expected = row.expected[role]
    if expected >= 400:
        problem = assert_problem(response, expected)
        if expected == 401:
            assert response.headers["WWW-Authenticate"] == "Bearer"
        if role == SUSPENDED and expected == 403 and not row.path.startswith("/moderation/"):
            assert "suspended" in problem["detail"], problem
    else:
        assert response.status_code == expected, response.text
