"""The stories part of the JSON API, as a client sees it: /stories, replies and /posts/{id}."""

import base64
from html.parser import HTMLParser
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories.models import Post, PostRevision, PostStatus
from app.stories.schemas import REPLY_BODY_MAX, STORY_BODY_MAX, TITLE_MAX
from app.stories.service import MAX_REPLY_DEPTH
from tests.factories import (
    assert_problem,
    bearer,
    build_thread,
    make_account,
    make_circle,
    make_reply,
    make_story,
    sign_in,
)

API = "/api/v1"
KINDS = ["support", "me_too", "helpful", "thank_you"]
NO_REACTIONS = dict.fromkeys(KINDS, 0)


# --- helpers --------------------------------------------------------------------------------


def cursor_for(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def set_status(db: Session, post: Post, status: PostStatus) -> None:
    post.status = status
    db.flush()


def walk(replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every reply of a tree, depth first in display order."""
    found = []
    for reply in replies:
        found.append(reply)
        found.extend(walk(reply["children"]))
    return found


def by_id(story: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {reply["id"]: reply for reply in walk(story["replies"])}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


@pytest.fixture
def other_auth(db: Session, other: Account) -> dict[str, str]:
    return bearer(db, other)


def new_story(
    client: TestClient, headers: dict[str, str], circle: Circle, **fields: Any
) -> dict[str, Any]:
    payload = {"circle": circle.slug, "title": "Day ten", "body": "Still here."} | fields
    response = client.post(f"{API}/stories", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# --- GET /stories ---------------------------------------------------------------------------


def test_stories_are_listed_newest_first_with_their_summary_fields(
    client: TestClient, db: Session, member: Account, circle: Circle
) -> None:
    first = make_story(db, author=member, circle=circle, title="First", body="One *two* three")
    second = make_story(db, author=member, circle=circle, title="Second")

    response = client.get(f"{API}/stories", params={"circle": circle.slug})

    assert response.status_code == 200
    page = response.json()
    assert page["next_cursor"] is None
    assert [item["id"] for item in page["items"]] == [second.id, first.id]
    item = page["items"][1]
    assert set(item) >= {
        "id",
        "title",
        "circle",
        "author",
        "content_warning",
        "excerpt",
        "reply_count",
        "created_at",
    }
    assert item["title"] == "First"
    assert item["circle"] == circle.slug
    assert item["author"] == {"pseudonym": member.pseudonym}
    assert item["content_warning"] is None
    assert item["excerpt"] == "One two three"
    assert item["reply_count"] == 0


def test_stories_of_every_circle_are_listed_without_a_filter(
    client: TestClient, db: Session
) -> None:
    a, b = make_story(db), make_story(db)

    items = client.get(f"{API}/stories").json()["items"]

    assert [item["id"] for item in items][:2] == [b.id, a.id]
    assert {item["circle"] for item in items[:2]} == {
        db.get_one(Circle, a.circle_id).slug,
        db.get_one(Circle, b.circle_id).slug,
    }


def test_the_circle_filter_lists_only_that_circles_stories(
    client: TestClient, db: Session, circle: Circle
) -> None:
    mine = make_story(db, circle=circle)
    make_story(db, circle=make_circle(db))

    items = client.get(f"{API}/stories", params={"circle": circle.slug}).json()["items"]

    assert [item["id"] for item in items] == [mine.id]


def test_an_empty_circle_lists_no_stories(client: TestClient, circle: Circle) -> None:
    response = client.get(f"{API}/stories", params={"circle": circle.slug})

    assert response.json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize("slug", ["no-such-circle", "", "x" * 64])
def test_an_unknown_circle_filter_is_not_found(client: TestClient, slug: str) -> None:
    assert_problem(client.get(f"{API}/stories", params={"circle": slug}), 404)


def test_pages_of_stories_follow_the_cursor_without_duplicates_or_gaps(
    client: TestClient, db: Session, member: Account, circle: Circle
) -> None:
    made = [make_story(db, author=member, circle=circle, title=f"Story {n}").id for n in range(7)]

    seen: list[int] = []
    sizes = []
    cursor = None
    for _ in range(5):
        params: dict[str, Any] = {"circle": circle.slug, "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get(f"{API}/stories", params=params).json()
        seen += [item["id"] for item in page["items"]]
        sizes.append(len(page["items"]))
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sizes == [3, 3, 1]
    assert seen == sorted(made, reverse=True)


def test_a_page_exactly_full_at_the_end_has_no_next_cursor(
    client: TestClient, db: Session, circle: Circle
) -> None:
    for _ in range(4):
        make_story(db, circle=circle)

    first = client.get(f"{API}/stories", params={"circle": circle.slug, "limit": 2}).json()
    second = client.get(
        f"{API}/stories", params={"circle": circle.slug, "limit": 2, "cursor": first["next_cursor"]}
    ).json()

    assert first["next_cursor"] is not None
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None


def test_the_default_page_holds_twenty_stories(
    client: TestClient, db: Session, circle: Circle
) -> None:
    author = make_account(db)
    for _ in range(21):
        make_story(db, author=author, circle=circle)

    page = client.get(f"{API}/stories", params={"circle": circle.slug}).json()

    assert len(page["items"]) == 20
    assert page["next_cursor"] is not None


@pytest.mark.parametrize("limit", [1, 100])
def test_limits_within_bounds_are_accepted(client: TestClient, limit: int) -> None:
    assert client.get(f"{API}/stories", params={"limit": limit}).status_code == 200


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc", "1.5", ""])
def test_a_limit_outside_one_to_a_hundred_is_refused(client: TestClient, limit: str) -> None:
    assert_problem(client.get(f"{API}/stories", params={"limit": limit}), 422, field="limit")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!!",
        cursor_for("k2:5"),
        cursor_for("k1:abc"),
        cursor_for("k1:-5"),
        cursor_for("k1:"),
        cursor_for("k1:" + "9" * 20),
        cursor_for("k1:0"),
        cursor_for("k1:9223372036854775808"),
        "A" * 65,
        base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
    ],
)
def test_a_cursor_we_did_not_give_out_is_refused(client: TestClient, cursor: str) -> None:
    assert_problem(client.get(f"{API}/stories", params={"cursor": cursor}), 422, field="cursor")


def test_a_cursor_at_the_largest_possible_id_answers_a_page_not_an_error(
    client: TestClient,
) -> None:
    response = client.get(f"{API}/stories", params={"cursor": cursor_for("k1:9223372036854775807")})
    assert response.status_code == 200, response.text


def test_deleted_pending_and_removed_stories_are_not_listed(
    client: TestClient, db: Session, circle: Circle, member: Account, auth: dict[str, str]
) -> None:
    shown = make_story(db, circle=circle)
    deleted = make_story(db, author=member, circle=circle)
    pending = make_story(db, author=member, circle=circle)
    removed = make_story(db, circle=circle)
    set_status(db, pending, PostStatus.pending)
    set_status(db, removed, PostStatus.removed)
    assert client.delete(f"{API}/posts/{deleted.id}", headers=auth).status_code == 204

    for headers in ({}, auth):
        items = client.get(f"{API}/stories", params={"circle": circle.slug}, headers=headers).json()
        assert [item["id"] for item in items["items"]] == [shown.id]


def test_a_content_warning_hides_the_excerpt_in_the_list(
    client: TestClient, db: Session, circle: Circle
) -> None:
    make_story(db, circle=circle, body="Hard details here.", content_warning="self-harm")

    item = client.get(f"{API}/stories", params={"circle": circle.slug}).json()["items"][0]

    assert item["excerpt"] is None
    assert item["content_warning"] == "self-harm"


def test_the_reply_count_counts_readable_replies_at_every_depth(
    client: TestClient, db: Session, circle: Circle
) -> None:
    story = make_story(db, circle=circle)
    first = make_reply(db, story=story)
    make_reply(db, story=story, parent=first)
    make_reply(db, story=story)
    deleted = make_reply(db, story=story)
    deleted.deleted_at = deleted.created_at
    pending = make_reply(db, story=story)
    set_status(db, pending, PostStatus.pending)
    db.flush()

    item = client.get(f"{API}/stories", params={"circle": circle.slug}).json()["items"][0]

    assert item["reply_count"] == 3


def test_an_anonymous_story_is_listed_without_its_author(
    client: TestClient, db: Session, circle: Circle
) -> None:
    make_story(db, circle=circle, anonymous=True)

    item = client.get(f"{API}/stories", params={"circle": circle.slug}).json()["items"][0]

    assert item["author"] is None


# --- POST /stories --------------------------------------------------------------------------


def test_publishing_a_story_answers_201_with_the_post(
    client: TestClient, member: Account, auth: dict[str, str], circle: Circle
) -> None:
    response = client.post(
        f"{API}/stories",
        headers=auth,
        json={
            "circle": circle.slug,
            "title": "Ninety days",
            "body": "I made it to **ninety** days.",
            "content_warning": "alcohol",
        },
    )

    assert response.status_code == 201, response.text
    post = response.json()
    assert isinstance(post["id"], int)
    assert post["story_id"] == post["id"]
    assert post["status"] == "published"
    assert post["title"] == "Ninety days"
    assert post["circle"] == circle.slug
    assert post["content_warning"] == "alcohol"
    assert post["author"] == {"pseudonym": member.pseudonym}
    assert post["body"] == "I made it to **ninety** days."
    assert post["body_html"] == "<p>I made it to <strong>ninety</strong> days.</p>\n"
    assert post["anonymous"] is False
    assert post["mine"] is True
    assert post["deleted"] is False
    assert post["edited_at"] is None
    assert post["created_at"].startswith("20")
    assert post["reactions"] == NO_REACTIONS
    assert post["my_reactions"] == []


def test_a_story_published_through_a_real_sign_in_is_readable_by_everyone(
    client: TestClient, db: Session, circle: Circle
) -> None:
    account = make_account(db)
    post = new_story(client, sign_in(client, account), circle)

    fetched = client.get(f"{API}/stories/{post['id']}")

    assert fetched.status_code == 200
    assert fetched.json()["author"] == {"pseudonym": account.pseudonym}
    assert fetched.json()["mine"] is False


def test_an_anonymous_story_shows_no_author_to_anyone(
    client: TestClient,
    db: Session,
    auth: dict[str, str],
    other_auth: dict[str, str],
    circle: Circle,
) -> None:
    post = new_story(client, auth, circle, anonymous=True)

    assert post["author"] is None
    assert post["anonymous"] is True
    for headers in (auth, other_auth, {}):
        story = client.get(f"{API}/stories/{post['id']}", headers=headers).json()
        assert story["author"] is None
        listed = client.get(f"{API}/stories", params={"circle": circle.slug}, headers=headers)
        assert listed.json()["items"][0]["author"] is None
    # Only the author is told the post is theirs.
    assert client.get(f"{API}/stories/{post['id']}", headers=auth).json()["mine"] is True
    assert client.get(f"{API}/stories/{post['id']}", headers=other_auth).json()["mine"] is False


@pytest.mark.parametrize(
    "body",
    [
        "  leading and trailing spaces  ",
        "\n\nblank lines around\n\n",
        "windows\r\nline endings\r\n",
        "\ttabs\tand    runs of spaces",
        "Cafe\u0301 stays decomposed, e\u0301",
        "emoji 🫶🏽 👩‍👩‍👧 and flags 🏳️‍🌈",
        "zero\u200bwidth and \u202eright-to-left\u202c marks",
        "# not a heading\n\n* list\n* items\n\n> quote",
        "<b>typed tags</b> & ampersands &amp; entities",
        "العربية והעברית 中文 русский",
        "\u00a0non-breaking\u00a0spaces\u00a0",
    ],
)
def test_the_body_is_kept_exactly_as_sent(
    client: TestClient, auth: dict[str, str], circle: Circle, body: str
) -> None:
    post = new_story(client, auth, circle, body=body)

    assert post["body"] == body
    assert client.get(f"{API}/stories/{post['id']}").json()["body"] == body


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "![pixel](https://evil.example/p.gif)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "`<script>in code</script>`",
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("body", XSS)
def test_body_html_carries_no_script_handler_or_javascript_link(
    client: TestClient, auth: dict[str, str], circle: Circle, body: str
) -> None:
    post = new_story(client, auth, circle, body=body)

    assert post["body"] == body
    found = elements(post["body_html"])
    assert {tag for tag, _ in found} <= {"p", "a", "code", "em", "strong", "br"}
    for tag, attrs in found:
        risky = [name for name in attrs if name.startswith("on") or name == "style"]
        assert not risky, (tag, attrs)
        href = (attrs.get("href") or "").strip().lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), href
    assert "<script" not in post["body_html"].lower()


def test_links_in_the_body_are_marked_nofollow_ugc_noopener(
    client: TestClient, auth: dict[str, str], circle: Circle
) -> None:
    post = new_story(client, auth, circle, body="See [the helpline](https://example.org/help).")

    links = [attrs for tag, attrs in elements(post["body_html"]) if tag == "a"]
    assert links == [{"href": "https://example.org/help", "rel": "nofollow ugc noopener"}]


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Cafe\u0301", "Caf\u00e9"),
        ("  padded title  ", "padded title"),
        ("line\nbreaks\tand\r\ntabs", "line breaks and tabs"),
        ("many     spaces", "many spaces"),
        ("bell\x07 and null\x00 gone", "bell and null gone"),
        ("\u202eright-to-left override\u202c", "right-to-left override"),
        ("isolates \u2066x\u2069 and marks \u200e\u200f", "isolates x and marks"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("emoji 🫶🏽 stays", "emoji 🫶🏽 stays"),
    ],
)
def test_the_title_is_normalised_and_stripped_of_control_and_bidi_characters(
    client: TestClient, auth: dict[str, str], circle: Circle, sent: str, stored: str
) -> None:
    post = new_story(client, auth, circle, title=sent)

    assert post["title"] == stored
    assert client.get(f"{API}/stories/{post['id']}").json()["title"] == stored


def test_the_content_warning_is_cleaned_like_the_title_and_blank_means_none(
    client: TestClient, auth: dict[str, str], circle: Circle
) -> None:
    cleaned = new_story(client, auth, circle, content_warning="  eating\u202e\ndisorders ")
    blank = new_story(client, auth, circle, content_warning=" \u200b ")

    assert cleaned["content_warning"] == "eating disorders"
    assert blank["content_warning"] is None


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
)
def test_publishing_a_story_needs_a_signed_in_member(
    client: TestClient, circle: Circle, headers: dict[str, str]
) -> None:
    response = client.post(
        f"{API}/stories", headers=headers, json={"circle": circle.slug, "title": "t", "body": "b"}
    )

    assert_problem(response, 401)


def test_a_story_in_an_unknown_circle_is_refused_on_the_circle_field(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        f"{API}/stories", headers=auth, json={"circle": "nowhere", "title": "t", "body": "b"}
    )

    assert_problem(response, 422, field="circle")


VALID = {"title": "A title", "body": "A body"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"circle": None}, "circle"),
        ({"title": None}, "title"),
        ({"body": None}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "\n\t \u200b\u00a0\n"}, "body"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "\u202e\u200b"}, "title"),
        ({"title": "x" * (TITLE_MAX + 1)}, "title"),
        ({"body": "x" * (STORY_BODY_MAX + 1)}, "body"),
        ({"content_warning": "x" * 201}, "content_warning"),
        ({"title": 123}, "title"),
        ({"body": ["a", "list"]}, "body"),
        ({"content_warning": 7}, "content_warning"),
        ({"anonymous": "maybe"}, "anonymous"),
        ({"circle": 5}, "circle"),
        ({"circle": "x" * 65}, "circle"),
    ],
)
def test_a_story_that_breaks_a_field_limit_is_refused_on_that_field(
    client: TestClient, auth: dict[str, str], circle: Circle, change: dict[str, Any], field: str
) -> None:
    payload = {"circle": circle.slug} | VALID | change
    payload = {key: value for key, value in payload.items() if value is not None}

    response = client.post(f"{API}/stories", headers=auth, json=payload)

    assert_problem(response, 422, field=field)


def test_a_title_and_body_at_their_limits_are_accepted(
    client: TestClient, auth: dict[str, str], circle: Circle
) -> None:
    post = new_story(client, auth, circle, title="t" * TITLE_MAX, body="b" * STORY_BODY_MAX)

    assert len(post["title"]) == TITLE_MAX
    assert len(post["body"]) == STORY_BODY_MAX


def test_a_title_that_grows_past_its_limit_when_normalised_is_refused(
    client: TestClient, auth: dict[str, str], circle: Circle
) -> None:
    # U+0344 is one character that NFC turns into two: the stored title must still fit.
    response = client.post(
        f"{API}/stories",
        headers=auth,
        json={"circle": circle.slug, "title": "\u0344" * TITLE_MAX, "body": "b"},
    )

    assert_problem(response, 422, field="title")


def test_a_body_with_a_nul_character_is_refused_rather_than_failing(
    client: TestClient, auth: dict[str, str], circle: Circle
) -> None:
    response = client.post(
        f"{API}/stories",
        headers=auth,
        json={"circle": circle.slug, "title": "t", "body": "before\u0000after"},
    )

    assert_problem(response, 422, field="body")


@pytest.mark.parametrize("text", ["a\\ud800b", "\\udc00"])
def test_a_lone_surrogate_is_refused_on_its_field(
    client: TestClient, auth: dict[str, str], circle: Circle, text: str
) -> None:
    raw = '{"circle": "' + circle.slug + '", "title": "t", "body": "' + text + '"}'

    response = client.post(
        f"{API}/stories", content=raw.encode(), headers=auth | {"Content-Type": "application/json"}
    )

    assert_problem(response, 422, field="body")


def test_a_story_body_that_is_not_json_is_a_bad_request(
    client: TestClient, auth: dict[str, str]
) -> None:
    response = client.post(
        f"{API}/stories",
        headers=auth | {"Content-Type": "application/json"},
        content=b'{"circle": "x", "title": ',
    )

    assert_problem(response, 400)


def test_an_empty_request_is_refused_naming_the_missing_fields(
    client: TestClient, auth: dict[str, str]
) -> None:
    problem = assert_problem(client.post(f"{API}/stories", headers=auth, json={}), 422)

    assert {e["field"] for e in problem["errors"]} == {"circle", "title", "body"}


# --- GET /stories/{id} ----------------------------------------------------------------------


def test_a_story_comes_with_its_whole_reply_tree_oldest_first(
    client: TestClient, db: Session, circle: Circle
) -> None:
    story = make_story(db, circle=circle, title="Rough week", content_warning="grief")
    a = make_reply(db, story=story, body="First *answer*")
    b = make_reply(db, story=story, body="Second answer", coping_tip=True)
    a1 = make_reply(db, story=story, parent=a, body="Under the first")
    a2 = make_reply(db, story=story, parent=a, anonymous=True)
    a1x = make_reply(db, story=story, parent=a1)
    fan = make_account(db)
    reactions.react(db, member=fan, post=a1, kind=ReactionKind.me_too)
    reactions.react(db, member=make_account(db), post=a1, kind=ReactionKind.me_too)
    reactions.react(db, member=fan, post=story, kind=ReactionKind.support)

    response = client.get(f"{API}/stories/{story.id}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == story.id
    assert body["title"] == "Rough week"
    assert body["circle"] == circle.slug
    assert body["content_warning"] == "grief"
    assert body["reactions"] == NO_REACTIONS | {"support": 1}
    assert [r["id"] for r in body["replies"]] == [a.id, b.id]
    first, second = body["replies"]
    assert [c["id"] for c in first["children"]] == [a1.id, a2.id]
    assert [c["id"] for c in first["children"][0]["children"]] == [a1x.id]
    assert second["children"] == []
    replies = by_id(body)
    assert set(replies) == {a.id, b.id, a1.id, a2.id, a1x.id}
    assert {r["id"]: r["parent_id"] for r in replies.values()} == {
        a.id: story.id,
        b.id: story.id,
        a1.id: a.id,
        a2.id: a.id,
        a1x.id: a1.id,
    }
    assert {r["id"]: r["depth"] for r in replies.values()} == {
        a.id: 1,
        b.id: 1,
        a1.id: 2,
        a2.id: 2,
        a1x.id: 3,
    }
    assert {r["id"]: r["coping_tip"] for r in replies.values()} == {
        a.id: False,
        b.id: True,
        a1.id: False,
        a2.id: False,
        a1x.id: False,
    }
    for reply in replies.values():
        assert set(reply["reactions"]) == set(KINDS)
        assert reply["story_id"] == story.id
    assert replies[a1.id]["reactions"] == NO_REACTIONS | {"me_too": 2}
    assert replies[a.id]["body"] == "First *answer*"
    assert replies[a.id]["body_html"] == "<p>First <em>answer</em></p>\n"
    assert replies[a2.id]["author"] is None
    assert replies[b.id]["author"] == {"pseudonym": b.author.pseudonym}  # type: ignore[union-attr]


def test_a_story_without_replies_has_an_empty_tree(client: TestClient, db: Session) -> None:
    story = make_story(db)

    assert client.get(f"{API}/stories/{story.id}").json()["replies"] == []


@pytest.mark.parametrize(
    "story_id", ["999999999", "abc", "0", "-1", "1.5", str(2**63), str(2**64), "9" * 40]
)
def test_a_story_id_that_names_nothing_is_not_found(client: TestClient, story_id: str) -> None:
    assert_problem(client.get(f"{API}/stories/{story_id}"), 404)


def test_a_reply_id_is_not_a_story_id(client: TestClient, db: Session) -> None:
    reply = make_reply(db, story=make_story(db))

    assert_problem(client.get(f"{API}/stories/{reply.id}"), 404)


def test_my_reactions_lists_the_callers_own_reactions_on_each_post(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    other_auth: dict[str, str],
) -> None:
    story = make_story(db)
    reply = make_reply(db, story=story)
    reactions.react(db, member=member, post=story, kind=ReactionKind.support)
    reactions.react(db, member=member, post=reply, kind=ReactionKind.thank_you)
    reactions.react(db, member=member, post=reply, kind=ReactionKind.helpful)

    mine = client.get(f"{API}/stories/{story.id}", headers=auth).json()
    theirs = client.get(f"{API}/stories/{story.id}", headers=other_auth).json()
    nobody = client.get(f"{API}/stories/{story.id}").json()

    assert mine["my_reactions"] == ["support"]
    assert sorted(mine["replies"][0]["my_reactions"]) == ["helpful", "thank_you"]
    for view in (theirs, nobody):
        assert view["my_reactions"] == []
        assert view["replies"][0]["my_reactions"] == []
        assert view["replies"][0]["reactions"] == NO_REACTIONS | {"thank_you": 1, "helpful": 1}


def test_the_story_tree_loads_with_the_same_number_of_statements_whatever_its_size(
    client: TestClient, db: Session, queries: Any, circle: Circle
) -> None:
    members = [make_account(db) for _ in range(4)]
    small = build_thread(db, replies=5, circle=circle, members=members)
    large = build_thread(db, replies=60, circle=circle, members=members)
    headers = bearer(db, members[1])
    db.commit()

    counts = {}
    for name, story in (("small", small), ("large", large)):
        for viewer, h in (("member", headers), ("nobody", {})):
            db.expunge_all()
            before = queries.count
            response = client.get(f"{API}/stories/{story.id}", headers=h)
            assert response.status_code == 200, response.text
            counts[name, viewer] = queries.count - before

    assert len(walk(client.get(f"{API}/stories/{large.id}").json()["replies"])) >= 55
    assert counts["small", "member"] == counts["large", "member"], counts
    assert counts["small", "nobody"] == counts["large", "nobody"], counts


# --- POST /stories/{id}/replies -------------------------------------------------------------


def reply_to(
    client: TestClient, headers: dict[str, str], story_id: int, **fields: Any
) -> httpx.Response:
    return client.post(
        f"{API}/stories/{story_id}/replies",
        headers=headers,
        json={"body": "Sending strength."} | fields,
    )


def test_replying_to_a_story_answers_201_with_the_reply(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db)

    response = reply_to(client, auth, story.id, body="You are *not* alone.")

    assert response.status_code == 201, response.text
    reply = response.json()
    assert reply["story_id"] == story.id
    assert reply["parent_id"] == story.id
    assert reply["depth"] == 1
    assert reply["coping_tip"] is False
    assert reply["children"] == []
    assert reply["status"] == "published"
    assert reply["author"] == {"pseudonym": member.pseudonym}
    assert reply["body"] == "You are *not* alone."
    assert reply["body_html"] == "<p>You are <em>not</em> alone.</p>\n"
    assert reply["reactions"] == NO_REACTIONS
    assert reply["mine"] is True
    assert "title" not in reply
    tree = client.get(f"{API}/stories/{story.id}").json()
    assert [r["id"] for r in tree["replies"]] == [reply["id"]]


def test_a_reply_can_answer_another_reply(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)
    first = make_reply(db, story=story)

    reply = reply_to(client, auth, story.id, parent_id=first.id).json()

    assert reply["parent_id"] == first.id
    assert reply["depth"] == 2
    tree = client.get(f"{API}/stories/{story.id}").json()
    assert [c["id"] for c in tree["replies"][0]["children"]] == [reply["id"]]


def test_naming_the_story_itself_as_parent_answers_the_story(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)

    reply = reply_to(client, auth, story.id, parent_id=story.id).json()

    assert reply["parent_id"] == story.id
    assert reply["depth"] == 1


def test_a_parent_from_another_story_is_refused_on_the_parent_id_field(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story, elsewhere = make_story(db), make_story(db)
    stranger = make_reply(db, story=elsewhere)

    for parent in (stranger.id, elsewhere.id):
        assert_problem(reply_to(client, auth, story.id, parent_id=parent), 422, field="parent_id")


def test_an_unknown_parent_is_not_found(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)

    assert_problem(reply_to(client, auth, story.id, parent_id=999_999_999), 404)


@pytest.mark.parametrize("parent_id", [0, -3, 2**63, "abc", 1.5])
def test_a_parent_id_that_cannot_be_a_post_id_is_refused(
    client: TestClient, db: Session, auth: dict[str, str], parent_id: Any
) -> None:
    story = make_story(db)

    assert_problem(reply_to(client, auth, story.id, parent_id=parent_id), 422, field="parent_id")


def test_replying_to_an_unknown_story_or_to_a_reply_as_a_story_is_not_found(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    reply = make_reply(db, story=make_story(db))

    for story_id in (999_999_999, reply.id, "abc", 2**64):
        assert_problem(reply_to(client, auth, story_id), 404)


def test_a_reply_past_the_deepest_level_is_attached_beside_its_parent(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)
    chain = [story]
    for _ in range(MAX_REPLY_DEPTH):
        chain.append(make_reply(db, story=story, parent=None if chain[-1] is story else chain[-1]))
    deepest = chain[-1]
    assert deepest.depth == MAX_REPLY_DEPTH

    response = reply_to(client, auth, story.id, parent_id=deepest.id)

    assert response.status_code == 201, response.text
    reply = response.json()
    assert reply["parent_id"] == deepest.parent_id == chain[-2].id
    assert reply["depth"] == MAX_REPLY_DEPTH
    tree = by_id(client.get(f"{API}/stories/{story.id}").json())
    assert [c["id"] for c in tree[chain[-2].id]["children"]] == [deepest.id, reply["id"]]
    assert max(r["depth"] for r in tree.values()) == MAX_REPLY_DEPTH


@pytest.mark.parametrize("state", ["deleted", "removed"])
def test_replying_to_a_post_that_is_gone_is_a_conflict(
    client: TestClient, db: Session, auth: dict[str, str], state: str
) -> None:
    story = make_story(db)
    reply = make_reply(db, story=story)
    for post in (story, reply):
        if state == "deleted":
            post.deleted_at = post.created_at
        else:
            post.status = PostStatus.removed
    db.flush()

    assert_problem(reply_to(client, auth, story.id, parent_id=reply.id), 409)
    assert_problem(reply_to(client, auth, story.id), 409)


def test_replying_under_someone_elses_pending_post_is_not_found(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)
    pending_reply = make_reply(db, story=story)
    set_status(db, pending_reply, PostStatus.pending)
    pending_story = make_story(db)
    set_status(db, pending_story, PostStatus.pending)

    assert_problem(reply_to(client, auth, story.id, parent_id=pending_reply.id), 404)
    assert_problem(reply_to(client, auth, pending_story.id), 404)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": "x" * (REPLY_BODY_MAX + 1)}, "body"),
        ({"body": ""}, "body"),
        ({"body": " \n "}, "body"),
        ({"body": None}, "body"),
        ({"coping_tip": "sometimes"}, "coping_tip"),
        ({"anonymous": [1]}, "anonymous"),
    ],
)
def test_a_reply_that_breaks_a_field_limit_is_refused_on_that_field(
    client: TestClient, db: Session, auth: dict[str, str], change: dict[str, Any], field: str
) -> None:
    story = make_story(db)

    assert_problem(reply_to(client, auth, story.id, **change), 422, field=field)


def test_a_reply_body_at_its_limit_is_accepted_and_kept_exactly(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)
    body = "  " + "x" * (REPLY_BODY_MAX - 4) + "\n\n"

    response = reply_to(client, auth, story.id, body=body)

    assert response.status_code == 201
    assert response.json()["body"] == body


def test_a_coping_tip_reply_is_marked_as_one_in_the_tree(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)

    reply = reply_to(client, auth, story.id, body="Box breathing: 4-4-4-4.", coping_tip=True).json()

    assert reply["coping_tip"] is True
    assert client.get(f"{API}/stories/{story.id}").json()["replies"][0]["coping_tip"] is True


def test_an_anonymous_reply_shows_no_author_to_anyone(
    client: TestClient, db: Session, auth: dict[str, str], other_auth: dict[str, str]
) -> None:
    story = make_story(db)

    reply = reply_to(client, auth, story.id, anonymous=True).json()

    assert reply["author"] is None
    for headers in (auth, other_auth, {}):
        tree = client.get(f"{API}/stories/{story.id}", headers=headers).json()
        assert tree["replies"][0]["author"] is None


def test_replying_needs_a_signed_in_member(client: TestClient, db: Session) -> None:
    story = make_story(db)

    assert_problem(reply_to(client, {}, story.id), 401)


# --- PATCH /posts/{id} ----------------------------------------------------------------------


def revisions(db: Session, post_id: int) -> list[PostRevision]:
    return list(
        db.scalars(
            select(PostRevision).where(PostRevision.post_id == post_id).order_by(PostRevision.id)
        )
    )


def test_the_author_can_edit_a_story_and_the_earlier_text_is_kept(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member, title="Before", body="Old *words*")

    response = client.patch(
        f"{API}/posts/{story.id}", headers=auth, json={"body": "New **words**", "title": "After"}
    )

    assert response.status_code == 200, response.text
    post = response.json()
    assert post["id"] == story.id
    assert post["body"] == "New **words**"
    assert post["body_html"] == "<p>New <strong>words</strong></p>\n"
    assert post["title"] == "After"
    assert post["circle"] == db.get_one(Circle, story.circle_id).slug
    assert post["edited_at"] is not None
    assert post["edited_at"] >= post["created_at"]
    [revision] = revisions(db, story.id)
    assert (revision.title, revision.body) == ("Before", "Old *words*")
    assert revision.body_html == "<p>Old <em>words</em></p>\n"
    fetched = client.get(f"{API}/stories/{story.id}").json()
    assert (fetched["title"], fetched["body"]) == ("After", "New **words**")
    listed = client.get(f"{API}/stories").json()["items"][0]
    assert listed["excerpt"] == "New words"


def test_each_edit_keeps_the_version_it_replaces(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    reply = make_reply(db, story=make_story(db), author=member, body="one")

    for body in ("two", "three"):
        assert (
            client.patch(f"{API}/posts/{reply.id}", headers=auth, json={"body": body}).status_code
            == 200
        )

    assert [r.body for r in revisions(db, reply.id)] == ["one", "two"]


def test_the_author_can_edit_a_reply_and_it_keeps_its_place(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db)
    parent = make_reply(db, story=story)
    reply = make_reply(db, story=story, parent=parent, author=member, coping_tip=True)

    post = client.patch(f"{API}/posts/{reply.id}", headers=auth, json={"body": "  edited\n"}).json()

    assert post["body"] == "  edited\n"
    assert post["parent_id"] == parent.id
    assert post["coping_tip"] is True
    assert post["edited_at"] is not None
    assert "title" not in post


def test_a_content_warning_can_be_added_and_cleared_with_null(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member)

    added = client.patch(
        f"{API}/posts/{story.id}", headers=auth, json={"content_warning": " relapse\u202e "}
    ).json()
    hidden = client.get(f"{API}/stories").json()["items"][0]
    cleared = client.patch(
        f"{API}/posts/{story.id}", headers=auth, json={"content_warning": None}
    ).json()
    shown = client.get(f"{API}/stories").json()["items"][0]

    assert added["content_warning"] == "relapse"
    assert hidden["excerpt"] is None
    assert cleared["content_warning"] is None
    assert shown["excerpt"] == "Something that happened."
    assert [r.content_warning for r in revisions(db, story.id)] == [None, "relapse"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "A title"}, "title"),
        ({"content_warning": "grief"}, "content_warning"),
        ({"content_warning": None}, "content_warning"),
    ],
)
def test_a_reply_has_no_title_or_content_warning_to_edit(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    change: dict[str, Any],
    field: str,
) -> None:
    reply = make_reply(db, story=make_story(db), author=member)

    assert_problem(
        client.patch(f"{API}/posts/{reply.id}", headers=auth, json=change), 422, field=field
    )
    assert revisions(db, reply.id) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": None}, "body"),
        ({"body": "x" * (STORY_BODY_MAX + 1)}, "body"),
        ({"title": ""}, "title"),
        ({"title": " \u200b "}, "title"),
        ({"title": None}, "title"),
        ({"title": "x" * (TITLE_MAX + 1)}, "title"),
        ({"content_warning": "x" * 201}, "content_warning"),
        ({"body": 5}, "body"),
        ({}, None),
    ],
)
def test_an_edit_that_breaks_a_field_limit_is_refused(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    change: dict[str, Any],
    field: str | None,
) -> None:
    story = make_story(db, author=member)

    assert_problem(
        client.patch(f"{API}/posts/{story.id}", headers=auth, json=change), 422, field=field
    )
    assert revisions(db, story.id) == []
    assert story.edited_at is None


def test_a_reply_cannot_be_edited_past_the_reply_length_limit(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    reply = make_reply(db, story=make_story(db), author=member)

    response = client.patch(
        f"{API}/posts/{reply.id}", headers=auth, json={"body": "x" * (REPLY_BODY_MAX + 1)}
    )

    assert_problem(response, 422, field="body")


def test_a_no_op_edit_changes_nothing_and_keeps_no_revision(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member, title="Same", body="Same body", content_warning="cw")

    response = client.patch(
        f"{API}/posts/{story.id}",
        headers=auth,
        json={"title": " Same ", "body": "Same body", "content_warning": "cw"},
    )

    assert response.status_code == 200
    assert response.json()["edited_at"] is None
    assert revisions(db, story.id) == []


def test_only_the_author_may_edit_a_post(
    client: TestClient, db: Session, member: Account, other_auth: dict[str, str]
) -> None:
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=member)
    anonymous = make_story(db, author=member, anonymous=True)

    for post in (story, reply, anonymous):
        assert_problem(
            client.patch(f"{API}/posts/{post.id}", headers=other_auth, json={"body": "hijacked"}),
            403,
        )
        assert_problem(client.patch(f"{API}/posts/{post.id}", json={"body": "hijacked"}), 401)
    assert client.get(f"{API}/stories/{story.id}").json()["body"] == "Something that *happened*."
    assert revisions(db, story.id) == []


def test_a_moderator_cannot_edit_a_members_post_through_the_author_route(
    client: TestClient, db: Session
) -> None:
    story = make_story(db)
    moderator = make_account(db, role=Role.moderator)

    assert_problem(
        client.patch(f"{API}/posts/{story.id}", headers=bearer(db, moderator), json={"body": "x"}),
        403,
    )


@pytest.mark.parametrize("post_id", ["999999999", "abc", "0", str(2**64)])
def test_editing_an_unknown_post_is_not_found(
    client: TestClient, auth: dict[str, str], post_id: str
) -> None:
    assert_problem(client.patch(f"{API}/posts/{post_id}", headers=auth, json={"body": "x"}), 404)


def test_editing_someone_elses_pending_post_is_not_found(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    story = make_story(db)
    set_status(db, story, PostStatus.pending)

    assert_problem(client.patch(f"{API}/posts/{story.id}", headers=auth, json={"body": "x"}), 404)


def test_editing_a_deleted_or_removed_post_is_a_conflict(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    deleted = make_story(db, author=member)
    removed = make_story(db, author=member)
    set_status(db, removed, PostStatus.removed)
    assert client.delete(f"{API}/posts/{deleted.id}", headers=auth).status_code == 204

    for post in (deleted, removed):
        assert_problem(
            client.patch(f"{API}/posts/{post.id}", headers=auth, json={"body": "back again"}), 409
        )


# --- DELETE /posts/{id} ---------------------------------------------------------------------


def test_deleting_a_reply_leaves_a_placeholder_with_its_replies_under_it(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db)
    reply = make_reply(db, story=story, author=member, body="Words to erase")
    child = make_reply(db, story=story, parent=reply, body="An answer that stays")
    grandchild = make_reply(db, story=story, parent=child)

    response = client.delete(f"{API}/posts/{reply.id}", headers=auth)

    assert response.status_code == 204
    assert response.content == b""
    for headers in (auth, {}):
        tree = client.get(f"{API}/stories/{story.id}", headers=headers).json()
        [placeholder] = tree["replies"]
        assert placeholder["id"] == reply.id
        assert placeholder["deleted"] is True
        assert (placeholder["body"], placeholder["body_html"]) == ("", "")
        assert placeholder["author"] is None
        assert [c["id"] for c in placeholder["children"]] == [child.id]
        assert placeholder["children"][0]["body"] == "An answer that stays"
        assert [c["id"] for c in placeholder["children"][0]["children"]] == [grandchild.id]


def test_deleting_a_story_leaves_a_placeholder_story_that_is_no_longer_listed(
    client: TestClient, db: Session, member: Account, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, author=member, circle=circle, content_warning="cw")
    reply = make_reply(db, story=story)

    assert client.delete(f"{API}/posts/{story.id}", headers=auth).status_code == 204

    fetched = client.get(f"{API}/stories/{story.id}").json()
    assert fetched["deleted"] is True
    assert (fetched["title"], fetched["content_warning"]) == (None, None)
    assert (fetched["body"], fetched["body_html"], fetched["author"]) == ("", "", None)
    assert [r["id"] for r in fetched["replies"]] == [reply.id]
    assert client.get(f"{API}/stories", params={"circle": circle.slug}).json()["items"] == []


def test_deleting_a_post_erases_its_words_and_earlier_versions(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member, title="Private", body="first words")
    client.patch(f"{API}/posts/{story.id}", headers=auth, json={"body": "second words"})
    assert len(revisions(db, story.id)) == 1

    assert client.delete(f"{API}/posts/{story.id}", headers=auth).status_code == 204

    assert revisions(db, story.id) == []
    db.expire_all()
    stored = db.get_one(Post, story.id)
    assert (stored.title, stored.body, stored.body_html, stored.excerpt) == (None, "", "", "")
    assert stored.deleted_at is not None


def test_deleting_a_post_twice_is_a_conflict(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    # The placeholder still holds the id (GET shows it), so the post exists but is already gone.
    story = make_story(db, author=member)
    assert client.delete(f"{API}/posts/{story.id}", headers=auth).status_code == 204

    assert_problem(client.delete(f"{API}/posts/{story.id}", headers=auth), 409)


def test_only_the_author_may_delete_a_post(
    client: TestClient, db: Session, member: Account, other_auth: dict[str, str]
) -> None:
    story = make_story(db, author=member, body="kept")
    reply = make_reply(db, story=story, author=member, body="kept too")

    for post in (story, reply):
        assert_problem(client.delete(f"{API}/posts/{post.id}", headers=other_auth), 403)
        assert_problem(client.delete(f"{API}/posts/{post.id}"), 401)
    tree = client.get(f"{API}/stories/{story.id}").json()
    assert (tree["body"], tree["replies"][0]["body"]) == ("kept", "kept too")


@pytest.mark.parametrize("post_id", ["999999999", "abc", "-1", str(2**64)])
def test_deleting_an_unknown_post_is_not_found(
    client: TestClient, auth: dict[str, str], post_id: str
) -> None:
    assert_problem(client.delete(f"{API}/posts/{post_id}", headers=auth), 404)


def test_deleting_a_removed_post_is_a_conflict(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member)
    set_status(db, story, PostStatus.removed)

    assert_problem(client.delete(f"{API}/posts/{story.id}", headers=auth), 409)


# --- visibility -----------------------------------------------------------------------------


def test_a_pending_story_is_shown_to_its_author_and_hidden_from_everyone_else(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    other_auth: dict[str, str],
) -> None:
    story = make_story(db, author=member, title="Waiting", body="Waiting for review")
    set_status(db, story, PostStatus.pending)

    own = client.get(f"{API}/stories/{story.id}", headers=auth)

    assert own.status_code == 200
    assert (own.json()["status"], own.json()["body"]) == ("pending", "Waiting for review")
    assert own.json()["title"] == "Waiting"
    assert_problem(client.get(f"{API}/stories/{story.id}", headers=other_auth), 404)
    assert_problem(client.get(f"{API}/stories/{story.id}"), 404)


def test_a_moderator_can_read_a_pending_story(client: TestClient, db: Session) -> None:
    story = make_story(db, body="Waiting")
    set_status(db, story, PostStatus.pending)
    moderator = make_account(db, role=Role.moderator)

    response = client.get(f"{API}/stories/{story.id}", headers=bearer(db, moderator))

    assert response.status_code == 200
    assert response.json()["body"] == "Waiting"


def test_a_pending_reply_is_in_its_authors_tree_only(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    other_auth: dict[str, str],
) -> None:
    story = make_story(db)
    shown = make_reply(db, story=story)
    pending = make_reply(db, story=story, author=member, body="not yet")
    set_status(db, pending, PostStatus.pending)

    own = client.get(f"{API}/stories/{story.id}", headers=auth).json()
    theirs = client.get(f"{API}/stories/{story.id}", headers=other_auth).json()
    nobody = client.get(f"{API}/stories/{story.id}").json()

    assert [r["id"] for r in own["replies"]] == [shown.id, pending.id]
    assert own["replies"][1]["body"] == "not yet"
    assert own["replies"][1]["status"] == "pending"
    assert [r["id"] for r in theirs["replies"]] == [shown.id]
    assert [r["id"] for r in nobody["replies"]] == [shown.id]


def test_a_pending_reply_with_visible_answers_is_a_placeholder_for_others(
    client: TestClient, db: Session, member: Account, other_auth: dict[str, str]
) -> None:
    story = make_story(db)
    pending = make_reply(db, story=story, author=member, body="secret")
    answer = make_reply(db, story=story, parent=pending, body="visible answer")
    set_status(db, pending, PostStatus.pending)

    for headers in (other_auth, {}):
        [placeholder] = client.get(f"{API}/stories/{story.id}", headers=headers).json()["replies"]
        assert placeholder["id"] == pending.id
        assert (placeholder["body"], placeholder["body_html"]) == ("", "")
        assert placeholder["author"] is None
        assert [c["id"] for c in placeholder["children"]] == [answer.id]
        assert placeholder["children"][0]["body"] == "visible answer"


def test_a_removed_post_is_a_placeholder_for_other_members_and_readers(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    other_auth: dict[str, str],
) -> None:
    story = make_story(db)
    removed = make_reply(db, story=story, author=member, body="hurtful words")
    set_status(db, removed, PostStatus.removed)
    removed_story = make_story(db, author=member, title="Gone", body="gone words")
    set_status(db, removed_story, PostStatus.removed)

    for headers in (other_auth, {}):
        [placeholder] = client.get(f"{API}/stories/{story.id}", headers=headers).json()["replies"]
        assert placeholder["id"] == removed.id
        assert placeholder["status"] == "removed"
        assert (placeholder["body"], placeholder["body_html"]) == ("", "")
        assert placeholder["author"] is None
        assert "removal_reason" not in placeholder or placeholder["removal_reason"] is None
        gone = client.get(f"{API}/stories/{removed_story.id}", headers=headers).json()
        assert (gone["title"], gone["body"], gone["body_html"]) == (None, "", "")
        assert gone["status"] == "removed"


def test_the_author_and_moderators_still_read_a_removed_post(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db)
    removed = make_reply(db, story=story, author=member, body="hurtful words")
    set_status(db, removed, PostStatus.removed)
    removed.removal_reason = "Please keep it kind."
    db.flush()
    moderator = make_account(db, role=Role.moderator)

    for headers in (auth, bearer(db, moderator)):
        [reply] = client.get(f"{API}/stories/{story.id}", headers=headers).json()["replies"]
        assert reply["status"] == "removed"
        assert reply["body"] == "hurtful words"
        assert reply["removal_reason"] == "Please keep it kind."


# --- contract -------------------------------------------------------------------------------


def test_the_openapi_document_describes_every_stories_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert {"get", "post"} <= set(paths[f"{API}/stories"])
    assert "get" in paths[f"{API}/stories/{{story_id}}"]
    assert "post" in paths[f"{API}/stories/{{story_id}}/replies"]
    assert {"patch", "delete"} <= set(paths[f"{API}/posts/{{post_id}}"])
