"""Rate limits: 429 with Retry-After, per member for writes, per place for signing up and in."""

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from limits import parse
from sqlalchemy.orm import Session

from app import ratelimit
from app.accounts.models import Account
from app.circles.models import Circle
from app.stories.models import PostStatus
from tests.factories import (
    PASSWORD,
    assert_problem,
    bearer,
    make_account,
    make_reply,
    make_story,
    post_form,
    sign_in_page,
)

ELSEWHERE = ("198.51.100.7", 40000)


@pytest.fixture
def tight(monkeypatch: pytest.MonkeyPatch, rate_limits: object) -> None:
    """Every rule at 2 an hour, so each limit is reached in a few requests."""
    for rule, (_item, what) in list(ratelimit.RULES.items()):
        monkeypatch.setitem(ratelimit.RULES, rule, (parse("2/hour"), what))


def assert_limited(response: Any) -> int:
    body = assert_problem(response, 429)
    wait = int(response.headers["retry-after"])
    assert 1 <= wait <= 3600
    assert "try again in" in body["detail"]
    return wait


def later(monkeypatch: pytest.MonkeyPatch, seconds: int) -> None:
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def signup(client: TestClient) -> Any:
    return client.post("/api/v1/accounts", json={"password": PASSWORD})


def signin(client: TestClient, account: Account, password: str) -> Any:
    return client.post(
        "/api/v1/sessions", json={"pseudonym": account.pseudonym, "password": password}
    )


# --- signing up and signing in ---------------------------------------------------------------


def test_signing_up_again_and_again_from_one_place_is_refused_for_a_while(app, client, tight):
    assert signup(client).status_code == 201
    assert signup(client).status_code == 201
    assert_limited(signup(client))
    with TestClient(app, client=ELSEWHERE) as elsewhere:
        assert signup(elsewhere).status_code == 201


def test_signup_page_when_limited_keeps_the_chosen_name_and_says_when_to_come_back(client, tight):
    for _ in range(2):
        assert signup(client).status_code == 201
    form = {"pseudonym": "PatientHeron", "password": PASSWORD, "password_again": PASSWORD}
    response = post_form(client, "/signup", "/signup", form)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1
    assert 'value="PatientHeron"' in response.text and "try again in" in response.text


def test_guessing_one_members_password_is_stopped_and_they_can_still_get_in(
    app, client, member, rate_limits, monkeypatch
):
    for _ in range(10):
        assert signin(client, member, "wrong guess!").status_code == 401
    # Even the right password waits now, so the answer tells a guesser nothing.
    wait = assert_limited(signin(client, member, PASSWORD))
    assert wait <= 15 * 60
    # From anywhere else the member signs in as usual: one guesser cannot lock them out.
    with TestClient(app, client=ELSEWHERE) as elsewhere:
        assert signin(elsewhere, member, PASSWORD).status_code == 201
    # And the refusal lapses on its own.
    later(monkeypatch, 15 * 60 + 1)
    assert signin(client, member, PASSWORD).status_code == 201


def test_guessing_across_many_names_from_one_place_is_stopped(client, db, tight):
    names = [make_account(db) for _ in range(3)]
    for account in names[:2]:
        assert signin(client, account, "wrong guess!").status_code == 401
    assert_limited(signin(client, names[2], "wrong guess!"))


def test_successful_sign_ins_do_not_count_toward_the_limit(client, member, tight):
    for _ in range(4):
        assert signin(client, member, PASSWORD).status_code == 201


def test_signin_page_when_limited_keeps_the_pseudonym(client, member, tight, monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "signin_name", (parse("1/hour"), "failed sign-ins"))
    assert signin(client, member, "wrong guess!").status_code == 401
    form = {"pseudonym": member.pseudonym, "password": PASSWORD}
    response = post_form(client, "/signin", "/signin", form)
    assert response.status_code == 429 and "retry-after" in response.headers
    assert f'value="{member.pseudonym}"' in response.text


def test_recovery_attempts_from_one_place_are_limited(client, member, tight):
    attempt = {
        "pseudonym": member.pseudonym,
        "recovery_code": "aaaaa-bbbbb",
        "new_password": "x" * 12,
    }
    for _ in range(2):
        assert client.post("/api/v1/accounts/recover", json=attempt).status_code == 401
    assert_limited(client.post("/api/v1/accounts/recover", json=attempt))


def test_the_counter_key_is_a_keyed_hash_of_the_address_that_changes_daily():
    today = ratelimit._client_hash("203.0.113.9", date(2026, 11, 21))
    assert "203.0.113.9" not in today and len(today) == 32
    assert today == ratelimit._client_hash("203.0.113.9", date(2026, 11, 21))
    assert today != ratelimit._client_hash("203.0.113.9", date(2026, 11, 22))
    assert today != ratelimit._client_hash("203.0.113.10", date(2026, 11, 21))


# --- writing ---------------------------------------------------------------------------------


Write = Callable[[TestClient, dict[str, str], Session, Circle], Any]


def _story(client, auth, db, circle):  # type: ignore[no-untyped-def]
    body = {"circle": circle.slug, "title": "A long week", "body": "Getting through it."}
    return client.post("/api/v1/stories", json=body, headers=auth)


def _reply(client, auth, db, circle):  # type: ignore[no-untyped-def]
    story = make_story(db, circle=circle)
    return client.post(f"/api/v1/stories/{story.id}/replies", json={"body": "Same."}, headers=auth)


def _react(client, auth, db, circle):  # type: ignore[no-untyped-def]
    story = make_story(db, circle=circle)
    return client.put(f"/api/v1/posts/{story.id}/reactions/support", headers=auth)


def _report(client, auth, db, circle):  # type: ignore[no-untyped-def]
    story = make_story(db, circle=circle)
    return client.post(
        "/api/v1/reports", json={"post_id": story.id, "reason": "spam"}, headers=auth
    )


WRITES: dict[str, Write] = {"story": _story, "reply": _reply, "reaction": _react, "report": _report}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_each_kind_of_write_is_limited_per_member(client, db, circle, tight, write):
    auth = bearer(db, make_account(db))
    for _ in range(2):
        assert write(client, auth, db, circle).status_code in (200, 201)
    assert_limited(write(client, auth, db, circle))
    someone_else = bearer(db, make_account(db))
    assert write(client, someone_else, db, circle).status_code in (200, 201)


def test_edits_and_appeals_are_limited_too(client, db, circle, member, auth, settings, tight):
    settings.rate_limits = "off"  # the posts to work on are made without counting
    story = make_story(db, circle=circle, author=member)
    removed = [make_reply(db, story=story, author=member) for _ in range(3)]
    for post in removed:
        post.status = PostStatus.removed
    db.flush()
    settings.rate_limits = "on"
    for _ in range(2):
        response = client.patch(f"/api/v1/posts/{story.id}", json={"body": "Edited."}, headers=auth)
        assert response.status_code == 200
    assert_limited(client.patch(f"/api/v1/posts/{story.id}", json={"body": "Again."}, headers=auth))
    answers = [
        client.post(
            f"/api/v1/posts/{p.id}/appeal", json={"text": "Please look again."}, headers=auth
        )
        for p in removed
    ]
    assert [a.status_code for a in answers[:2]] == [201, 201]
    assert_limited(answers[2])


def test_a_limited_story_form_comes_back_with_every_word_kept(client, circle, member, tight):
    sign_in_page(client, member)
    form = {
        "circle": circle.slug,
        "title": "Tonight",
        "body": "Words I want to keep.",
        "acknowledged": "yes",
    }
    for _ in range(2):
        assert post_form(client, "/stories/new", "/stories/new", form).status_code == 303
    response = post_form(client, "/stories/new", "/stories/new", form)
    assert response.status_code == 429 and int(response.headers["retry-after"]) >= 1
    assert "Words I want to keep." in response.text and 'value="Tonight"' in response.text


def test_with_rate_limits_off_nothing_is_limited(client, db, circle, settings, tight):
    settings.rate_limits = "off"
    auth = bearer(db, make_account(db))
    for _ in range(5):
        assert _story(client, auth, db, circle).status_code == 201


def test_if_the_shared_counter_store_is_down_members_can_still_post(
    client, db, circle, settings, rate_limits, caplog
):
    settings.redis_url = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    auth = bearer(db, make_account(db))
    assert _story(client, auth, db, circle).status_code == 201
    assert "rate-limit storage unavailable" in caplog.text
