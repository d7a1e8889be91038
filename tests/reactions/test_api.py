"""PUT/DELETE /posts/{id}/reactions/{kind}, and how reactions show in a story."""

from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.models import Account
from app.reactions.models import Reaction
from app.stories.models import Post, PostStatus
from tests.factories import assert_problem, bearer, make_account, make_reply, make_story

API = "/api/v1"
KINDS = ["support", "me_too", "helpful", "thank_you"]
NO_REACTIONS = dict.fromkeys(KINDS, 0)


def react(client: TestClient, headers: dict[str, str], post_id: Any, kind: str) -> httpx.Response:
    return client.put(f"{API}/posts/{post_id}/reactions/{kind}", headers=headers)


def unreact(client: TestClient, headers: dict[str, str], post_id: Any, kind: str) -> httpx.Response:
    return client.delete(f"{API}/posts/{post_id}/reactions/{kind}", headers=headers)


def stored(db: Session, post: Post) -> int:
    return db.scalar(select(func.count()).select_from(Reaction).where(Reaction.post_id == post.id))


@pytest.fixture
def story(db: Session) -> Post:
    return make_story(db)


@pytest.mark.parametrize("kind", KINDS)
def test_reacting_answers_the_counts_of_every_kind(
    client: TestClient, auth: dict[str, str], story: Post, kind: str
) -> None:
    response = react(client, auth, story.id, kind)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"reactions": NO_REACTIONS | {kind: 1}}


@pytest.mark.parametrize("kind", KINDS)
def test_reacting_twice_with_the_same_kind_counts_once(
    client: TestClient, db: Session, auth: dict[str, str], story: Post, kind: str
) -> None:
    react(client, auth, story.id, kind)

    response = react(client, auth, story.id, kind)

    assert response.status_code == 200
    assert response.json() == {"reactions": NO_REACTIONS | {kind: 1}}
    assert stored(db, story) == 1


def test_one_member_may_give_every_kind_once(
    client: TestClient, auth: dict[str, str], story: Post
) -> None:
    for kind in KINDS:
        last = react(client, auth, story.id, kind)

    assert last.json() == {"reactions": dict.fromkeys(KINDS, 1)}


def test_two_members_reacting_count_two(
    client: TestClient, db: Session, auth: dict[str, str], story: Post
) -> None:
    react(client, auth, story.id, "me_too")

    response = react(client, bearer(db, make_account(db)), story.id, "me_too")

    assert response.json() == {"reactions": NO_REACTIONS | {"me_too": 2}}


@pytest.mark.parametrize("kind", KINDS)
def test_taking_a_reaction_back_removes_only_the_callers(
    client: TestClient, db: Session, auth: dict[str, str], story: Post, kind: str
) -> None:
    other = bearer(db, make_account(db))
    react(client, auth, story.id, kind)
    react(client, other, story.id, kind)
    react(client, auth, story.id, "support" if kind != "support" else "helpful")

    response = unreact(client, auth, story.id, kind)

    assert response.status_code == 200, response.text
    expected = NO_REACTIONS | {kind: 1, ("support" if kind != "support" else "helpful"): 1}
    assert response.json() == {"reactions": expected}
    theirs = client.get(f"{API}/stories/{story.id}", headers=other).json()
    assert theirs["my_reactions"] == [kind]


def test_taking_back_a_reaction_never_given_changes_nothing(
    client: TestClient, db: Session, auth: dict[str, str], story: Post
) -> None:
    react(client, bearer(db, make_account(db)), story.id, "support")

    response = unreact(client, auth, story.id, "support")

    assert response.status_code == 200
    assert response.json() == {"reactions": NO_REACTIONS | {"support": 1}}


def test_a_reaction_taken_back_can_be_given_again(
    client: TestClient, db: Session, auth: dict[str, str], story: Post
) -> None:
    react(client, auth, story.id, "helpful")
    unreact(client, auth, story.id, "helpful")

    response = react(client, auth, story.id, "helpful")

    assert response.json() == {"reactions": NO_REACTIONS | {"helpful": 1}}
    assert stored(db, story) == 1


def test_reactions_on_a_reply_are_counted_on_that_reply_only(
    client: TestClient, db: Session, auth: dict[str, str], story: Post
) -> None:
    reply = make_reply(db, story=story)
    nested = make_reply(db, story=story, parent=reply)

    assert react(client, auth, nested.id, "thank_you").status_code == 200

    tree = client.get(f"{API}/stories/{story.id}", headers=auth).json()
    assert tree["reactions"] == NO_REACTIONS
    assert tree["replies"][0]["reactions"] == NO_REACTIONS
    shown = tree["replies"][0]["children"][0]
    assert shown["reactions"] == NO_REACTIONS | {"thank_you": 1}
    assert shown["my_reactions"] == ["thank_you"]


def test_my_reactions_in_a_story_are_the_callers_own(
    client: TestClient, db: Session, auth: dict[str, str], story: Post
) -> None:
    other = bearer(db, make_account(db))
    for kind in ("support", "me_too"):
        react(client, auth, story.id, kind)
    react(client, other, story.id, "helpful")

    mine = client.get(f"{API}/stories/{story.id}", headers=auth).json()
    theirs = client.get(f"{API}/stories/{story.id}", headers=other).json()
    nobody = client.get(f"{API}/stories/{story.id}").json()

    assert sorted(mine["my_reactions"]) == ["me_too", "support"]
    assert theirs["my_reactions"] == ["helpful"]
    assert nobody["my_reactions"] == []
    expected = NO_REACTIONS | {"support": 1, "me_too": 1, "helpful": 1}
    assert mine["reactions"] == theirs["reactions"] == nobody["reactions"] == expected


@pytest.mark.parametrize("kind", ["love", "SUPPORT", "me-too", "downvote", "%20", "1"])
@pytest.mark.parametrize("verb", ["put", "delete"])
def test_an_unknown_kind_is_a_problem_not_a_reaction(
    client: TestClient, db: Session, auth: dict[str, str], story: Post, kind: str, verb: str
) -> None:
    response = client.request(
        verb.upper(), f"{API}/posts/{story.id}/reactions/{kind}", headers=auth
    )

    # The contract allows either: the path names no reaction (404) or a bad kind (422).
    assert response.status_code in (404, 422)
    assert_problem(response, response.status_code)
    assert stored(db, story) == 0


@pytest.mark.parametrize("post_id", ["999999999", "abc", "0", str(2**64)])
@pytest.mark.parametrize("verb", ["put", "delete"])
def test_reacting_to_an_unknown_post_is_not_found(
    client: TestClient, auth: dict[str, str], post_id: str, verb: str
) -> None:
    response = client.request(
        verb.upper(), f"{API}/posts/{post_id}/reactions/support", headers=auth
    )

    assert_problem(response, 404)


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer expired-or-made-up"}])
@pytest.mark.parametrize("verb", ["put", "delete"])
def test_reacting_needs_a_signed_in_member(
    client: TestClient, db: Session, story: Post, headers: dict[str, str], verb: str
) -> None:
    response = client.request(
        verb.upper(), f"{API}/posts/{story.id}/reactions/support", headers=headers
    )

    assert_problem(response, 401)
    assert stored(db, story) == 0


def test_a_token_that_was_signed_out_no_longer_reacts(
    client: TestClient, db: Session, member: Account, story: Post
) -> None:
    token, _ = accounts.start_session(db, account=member, kind="api")
    accounts.end_session(db, token=token)

    assert_problem(react(client, {"Authorization": f"Bearer {token}"}, story.id, "support"), 401)


@pytest.mark.parametrize("state", ["deleted", "removed"])
def test_reacting_to_a_post_that_is_gone_is_a_conflict(
    client: TestClient, db: Session, auth: dict[str, str], story: Post, state: str
) -> None:
    reply = make_reply(db, story=story)
    if state == "deleted":
        reply.deleted_at = reply.created_at
    else:
        reply.status = PostStatus.removed
    db.flush()

    assert_problem(react(client, auth, reply.id, "support"), 409)
    assert stored(db, reply) == 0


def test_reacting_to_a_post_deleted_through_the_api_is_a_conflict(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member)
    assert client.delete(f"{API}/posts/{story.id}", headers=auth).status_code == 204

    assert_problem(react(client, bearer(db, make_account(db)), story.id, "support"), 409)


def test_a_reaction_can_still_be_taken_back_after_the_post_is_deleted(
    client: TestClient, db: Session, auth: dict[str, str]
) -> None:
    author = make_account(db)
    story = make_story(db, author=author)
    react(client, auth, story.id, "support")
    assert client.delete(f"{API}/posts/{story.id}", headers=bearer(db, author)).status_code == 204

    response = unreact(client, auth, story.id, "support")

    assert response.json() == {"reactions": NO_REACTIONS}


def test_someone_elses_pending_post_cannot_be_reacted_to(
    client: TestClient, db: Session, auth: dict[str, str], story: Post
) -> None:
    story.status = PostStatus.pending
    db.flush()

    assert_problem(react(client, auth, story.id, "support"), 404)
    assert_problem(unreact(client, auth, story.id, "support"), 404)


def test_the_author_may_react_to_their_own_pending_post(
    client: TestClient, db: Session, member: Account, auth: dict[str, str]
) -> None:
    story = make_story(db, author=member)
    story.status = PostStatus.pending
    db.flush()

    assert react(client, auth, story.id, "support").json() == {
        "reactions": NO_REACTIONS | {"support": 1}
    }


def test_the_openapi_document_describes_both_reaction_verbs(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    path = paths[f"{API}/posts/{{post_id}}/reactions/{{kind}}"]

    assert {"put", "delete"} <= set(path)
