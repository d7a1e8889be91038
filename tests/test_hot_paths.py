"""The hot pages cost a fixed number of queries, whatever the size of the forum and the thread.

Each page is counted on a small forum (one circle, one story with five replies) and again after
the forum has grown (twenty circles, sixty more stories, a story with 200 replies): an N+1
anywhere (a query per story on a list, per reply or reaction in a thread, per circle in the
menu) shows as a difference. Reading never renders Markdown: the sanitised HTML is stored.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.safety import sanitize
from app.stories.models import Post
from tests.factories import (
    bearer,
    build_thread,
    make_account,
    make_circle,
    make_reply,
    make_story,
    sign_in_page,
)

API = "/api/v1"
VIEWERS = (None, Role.member, Role.moderator)
# A generous ceiling as well, so a page cannot stay "constant" at a hundred queries.
MOST_QUERIES = 12


def hot_paths(circle: Circle, story: Post) -> dict[str, str]:
    return {
        "home page": "/",
        "circle page": f"/circles/{circle.slug}",
        "story page": f"/stories/{story.id}",
        "API story tree": f"{API}/stories/{story.id}",
        "API story list": f"{API}/stories?circle={circle.slug}",
    }


def count_each(
    client: TestClient, db: Session, queries: Any, paths: dict[str, str], headers: dict[str, str]
) -> dict[str, int]:
    counts = {}
    for name, path in paths.items():
        db.expunge_all()
        before = queries.count
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text[:500])
        counts[name] = queries.count - before
        # Keyset pagination: no statement a page sends skips rows (SQLite's dialect writes
        # "LIMIT ? OFFSET ?" for every LIMIT, with an offset of 0).
        sent = zip(queries.statements[before:], queries.parameters[before:], strict=True)
        skips = [s for s, p in sent if " OFFSET " in s.upper() and list(p)[-1] != 0]
        assert not skips, (path, skips)
    return counts


def grow(db: Session, circle: Circle, members: list[Account]) -> Post:
    """Nineteen more circles, sixty more stories with replies, and a 200-reply story."""
    circles = [circle, *(make_circle(db) for _ in range(19))]
    for n in range(60):
        story = make_story(db, author=members[n % len(members)], circle=circles[n % 20])
        for m in range(n % 4):
            make_reply(db, story=story, author=members[(n + m) % len(members)])
    return build_thread(db, replies=200, circle=circle, members=members)


@pytest.mark.parametrize("role", VIEWERS, ids=lambda r: r.value if r else "signed-out")
def test_each_hot_page_costs_the_same_few_queries_on_a_small_and_a_large_forum(
    client: TestClient, db: Session, queries: Any, circle: Circle, role: Role | None
) -> None:
    members = [make_account(db) for _ in range(5)]
    viewer = make_account(db, role=role) if role else None
    small = build_thread(db, replies=5, circle=circle, members=members)
    db.commit()
    headers: dict[str, str] = {}
    if viewer:
        sign_in_page(client, viewer)  # pages: the session cookie
        headers = bearer(db, viewer)  # the API: a bearer token

    before = count_each(client, db, queries, hot_paths(circle, small), headers)
    large = grow(db, circle, members)
    db.commit()
    after = count_each(client, db, queries, hot_paths(circle, large), headers)

    assert before == after, (before, after)
    assert max(after.values()) <= MOST_QUERIES, after
    story_page = client.get(f"/stories/{large.id}").text
    assert story_page.count('<article id="reply-') >= 190  # the whole thread was on the page


def test_reading_never_renders_markdown_again(
    client: TestClient,
    db: Session,
    circle: Circle,
    member: Account,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    story = build_thread(db, replies=20, circle=circle, members=[member, make_account(db)])
    db.commit()

    def refuse(text: str) -> str:
        raise AssertionError("Markdown was rendered on a read")

    monkeypatch.setattr(sanitize, "render_markdown", refuse)
    for path in hot_paths(circle, story).values():
        assert client.get(path).status_code == 200, path


def test_posting_a_reply_costs_a_few_statements_and_reads_nothing_back(
    client: TestClient, db: Session, queries: Any, circle: Circle
) -> None:
    members = [make_account(db) for _ in range(3)]
    small = build_thread(db, replies=5, circle=circle, members=members)
    large = build_thread(db, replies=200, circle=circle, members=members)
    headers = bearer(db, members[1])
    db.commit()

    counts = []
    for story in (small, large):
        db.expunge_all()
        before = queries.count
        response = client.post(
            f"{API}/stories/{story.id}/replies", headers=headers, json={"body": "Thinking of you."}
        )
        assert response.status_code == 201, response.text
        assert response.json()["author"]["pseudonym"] == members[1].pseudonym
        counts.append(queries.count - before)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 7, queries.statements[-counts[0] :]
