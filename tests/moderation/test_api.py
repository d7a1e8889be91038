"""Reports, the queue, decisions, appeals, sanctions and the audit log, as API clients see them."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.db import utcnow
from app.moderation import cases
from app.moderation.models import (
    Appeal,
    AuditEntry,
    CaseStatus,
    ModerationCase,
    Report,
    Sanction,
)
from app.stories import service as stories
from app.stories.models import Post, PostStatus
from tests.factories import (
    assert_problem,
    bearer,
    make_account,
    make_reply,
    make_story,
)

API = "/api/v1"
REASONS = ["stigmatising", "harassment", "crisis", "personal_info", "spam", "other"]
QUEUE_ITEM_KEYS = {"id", "post", "reasons", "priority", "status", "claimed_by", "created_at"}
QUEUE_ITEM_KEYS |= {"reports"}
AUDIT_KEYS = {"id", "at", "moderator", "action", "target", "reason"}
Headers = dict[str, str]


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture
def author(db: Session) -> Account:
    return make_account(db)


@pytest.fixture
def author_auth(db: Session, author: Account) -> Headers:
    return bearer(db, author)


@pytest.fixture
def member_auth(db: Session, member: Account) -> Headers:
    return bearer(db, member)


@pytest.fixture
def second_moderator(db: Session) -> Account:
    return make_account(db, role=Role.moderator)


@pytest.fixture
def second_auth(db: Session, second_moderator: Account) -> Headers:
    return bearer(db, second_moderator)


@pytest.fixture
def story(db: Session, author: Account, circle: Circle) -> Post:
    return make_story(db, author=author, circle=circle, body="Day ten. *Still* here.")


def report(
    client: TestClient, headers: Headers, post_id: int, reason: str = "spam", **extra: Any
) -> Any:
    payload = {"post_id": post_id, "reason": reason} | extra
    return client.post(f"{API}/reports", json=payload, headers=headers)


def reported_by_new_member(
    client: TestClient, db: Session, post: Post, reason: str = "spam"
) -> None:
    response = report(client, bearer(db, make_account(db)), post.id, reason)
    assert response.status_code == 201, response.text


def queue_page(client: TestClient, headers: Headers, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/moderation/queue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def queue(client: TestClient, headers: Headers, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = queue_page(client, headers, **params)["items"]
    return items


def claim(client: TestClient, headers: Headers, item_id: int) -> Any:
    return client.post(f"{API}/moderation/queue/{item_id}/claim", headers=headers)


def decide(
    client: TestClient, headers: Headers, item_id: int, action: str, reason: str = "Checked."
) -> Any:
    return client.post(
        f"{API}/moderation/queue/{item_id}/decision",
        json={"action": action, "reason": reason},
        headers=headers,
    )


def open_item(db: Session, post: Post, *reasons: str, held: bool = False) -> ModerationCase:
    if held:
        post.status = PostStatus.pending
    return cases.open_case(db, post=post, reasons=reasons or ("stigma",))


def log(client: TestClient, headers: Headers, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/moderation/log", params=params, headers=headers)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def story_ids(client: TestClient, headers: Headers | None = None) -> list[int]:
    items = client.get(f"{API}/stories", params={"limit": 100}, headers=headers or {}).json()
    return [i["id"] for i in items["items"]]


def suspend(
    client: TestClient, headers: Headers, account_id: int, until: Any, reason: str = "Cooling off"
) -> Any:
    return client.post(
        f"{API}/moderation/accounts/{account_id}/suspension",
        json={"until": until, "reason": reason},
        headers=headers,
    )


def in_days(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def removed_by(
    client: TestClient, db: Session, headers: Headers, post: Post, reason: str = "Name-calling"
) -> ModerationCase:
    """Report the post and have the moderator with `headers` remove it through the API."""
    item = open_item(db, post, "report:harassment")
    response = decide(client, headers, item.id, "remove", reason)
    assert response.status_code == 200, response.text
    return item


def appeal(
    client: TestClient, headers: Headers, post_id: int, text: str = "Please look again."
) -> Any:
    return client.post(f"{API}/posts/{post_id}/appeal", json={"text": text}, headers=headers)


def appeal_item(db: Session, post: Post) -> ModerationCase:
    found = db.scalar(select(Appeal).where(Appeal.post_id == post.id))
    assert found is not None
    return db.get_one(ModerationCase, found.case_id)


def audit_rows(db: Session) -> list[tuple[Any, ...]]:
    return [
        (e.id, e.at, e.moderator_id, e.moderator_name, e.action, e.target, e.reason, e.note)
        for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    ]


# --- POST /reports --------------------------------------------------------------------------


def test_a_member_reports_a_post_and_it_enters_the_queue(
    client: TestClient, member_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    response = report(client, member_auth, story.id, "harassment", details="Targets a member.")

    assert response.status_code == 201, response.text
    filed = response.json()
    assert filed["post_id"] == story.id
    assert filed["reason"] == "harassment"
    [item] = queue(client, mod_auth)
    assert set(item) >= QUEUE_ITEM_KEYS
    assert item["post"]["id"] == story.id
    assert item["reasons"] == ["report:harassment"]
    assert item["reports"] == 1
    assert item["status"] == "open"
    assert item["claimed_by"] is None
    assert item["post"]["body"] == "Day ten. *Still* here."


@pytest.mark.parametrize("reason", REASONS)
def test_every_report_reason_of_the_contract_is_accepted(
    client: TestClient, db: Session, member_auth: Headers, story: Post, reason: str
) -> None:
    response = report(client, member_auth, story.id, reason)

    assert response.status_code == 201, response.text
    assert response.json()["reason"] == reason
    stored = db.scalars(select(Report).where(Report.post_id == story.id)).one()
    assert stored.reason == reason


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reason": "rude"}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": None}, "reason"),
        ({"reason": "spam", "post_id": None}, "post_id"),
        ({"reason": "spam", "post_id": 0}, "post_id"),
        ({"reason": "spam", "details": "x" * 1001}, "details"),
    ],
)
def test_a_report_with_a_bad_field_is_refused(
    client: TestClient, member_auth: Headers, story: Post, payload: dict[str, Any], field: str
) -> None:
    body = {"post_id": story.id} | payload
    response = client.post(f"{API}/reports", json=body, headers=member_auth)

    assert_problem(response, 422, field=field)


def test_a_report_without_a_post_id_is_refused(client: TestClient, member_auth: Headers) -> None:
    response = client.post(f"{API}/reports", json={"reason": "spam"}, headers=member_auth)

    assert_problem(response, 422, field="post_id")


def test_reporting_your_own_post_is_a_conflict(
    client: TestClient, author_auth: Headers, story: Post
) -> None:
    assert_problem(report(client, author_auth, story.id), 409)


def test_reporting_the_same_post_twice_is_a_conflict(
    client: TestClient, db: Session, member_auth: Headers, story: Post
) -> None:
    assert report(client, member_auth, story.id, "spam").status_code == 201

    assert_problem(report(client, member_auth, story.id, "harassment"), 409)
    assert len(db.scalars(select(Report).where(Report.post_id == story.id)).all()) == 1


def test_reporting_a_post_that_does_not_exist_is_not_found(
    client: TestClient, member_auth: Headers
) -> None:
    assert_problem(report(client, member_auth, 987_654_321), 404)


def test_reporting_someone_elses_pending_post_is_not_found(
    client: TestClient, db: Session, member_auth: Headers, story: Post
) -> None:
    story.status = PostStatus.pending
    db.flush()

    assert_problem(report(client, member_auth, story.id), 404)


@pytest.mark.parametrize("gone", ["removed", "deleted"])
def test_reporting_a_removed_or_deleted_post_is_a_conflict(
    client: TestClient, db: Session, member_auth: Headers, story: Post, gone: str
) -> None:
    if gone == "removed":
        story.status = PostStatus.removed
        db.flush()
    else:
        stories.erase_post(db, post=story)

    assert_problem(report(client, member_auth, story.id), 409)


def test_a_reply_can_be_reported(
    client: TestClient, db: Session, member_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    reply = make_reply(db, story=story, body="Stop whining.")

    assert report(client, member_auth, reply.id, "harassment").status_code == 201

    [item] = queue(client, mod_auth)
    assert item["post"]["id"] == reply.id
    assert item["post"]["parent_id"] == story.id


def test_reports_of_one_post_fold_into_one_queue_item_with_a_count(
    client: TestClient, db: Session, mod_auth: Headers, story: Post
) -> None:
    for reason in ("spam", "harassment", "spam"):
        reported_by_new_member(client, db, story, reason)

    items = queue(client, mod_auth)

    assert len(items) == 1
    assert items[0]["reports"] == 3
    assert items[0]["reasons"] == ["report:harassment", "report:spam"]
    assert items[0]["priority"] == cases.PRIORITY["report:harassment"]
    open_cases = db.scalars(select(ModerationCase).where(ModerationCase.post_id == story.id))
    assert len(open_cases.all()) == 1


def test_a_report_folds_into_a_screening_hold_already_in_the_queue(
    client: TestClient, db: Session, member_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    open_item(db, story, "stigma")

    assert report(client, member_auth, story.id, "stigmatising").status_code == 201

    [item] = queue(client, mod_auth)
    assert item["reasons"] == ["report:stigmatising", "stigma"]
    assert item["reports"] == 1


def test_reports_below_the_threshold_leave_the_post_visible(
    client: TestClient, db: Session, story: Post, settings: Any
) -> None:
    settings.report_hide_threshold = 2
    reported_by_new_member(client, db, story)

    assert client.get(f"{API}/stories/{story.id}").status_code == 200
    assert story.id in story_ids(client)


def test_enough_distinct_reporters_hide_a_story_pending_review(
    client: TestClient,
    db: Session,
    author_auth: Headers,
    mod_auth: Headers,
    story: Post,
    settings: Any,
) -> None:
    settings.report_hide_threshold = 2

    reported_by_new_member(client, db, story)
    reported_by_new_member(client, db, story)

    bystander = bearer(db, make_account(db))
    assert_problem(client.get(f"{API}/stories/{story.id}", headers=bystander), 404)
    assert_problem(client.get(f"{API}/stories/{story.id}"), 404)
    assert story.id not in story_ids(client, bystander)
    assert client.get(f"{API}/stories/{story.id}", headers=author_auth).json()["status"] == (
        "pending"
    )
    assert client.get(f"{API}/stories/{story.id}", headers=mod_auth).status_code == 200
    hide = next(e for e in log(client, mod_auth)["items"] if e["action"] == "hide")
    assert hide["moderator"] == "system"
    assert hide["target"] == f"post:{story.id}"
    assert hide["reason"]
    assert db.get_one(Post, story.id).body == "Day ten. *Still* here."  # hidden, not destroyed


def test_enough_reporters_hide_a_reply_from_the_tree(
    client: TestClient, db: Session, story: Post, settings: Any
) -> None:
    settings.report_hide_threshold = 2
    reply = make_reply(db, story=story, body="Nasty words.")

    reported_by_new_member(client, db, reply, "harassment")
    reported_by_new_member(client, db, reply, "harassment")

    tree = client.get(f"{API}/stories/{story.id}", headers=bearer(db, make_account(db))).json()
    assert reply.id not in [r["id"] for r in tree["replies"]]


def test_approving_a_hidden_post_shows_it_again(
    client: TestClient, db: Session, mod_auth: Headers, story: Post, settings: Any
) -> None:
    settings.report_hide_threshold = 1
    reported_by_new_member(client, db, story)
    [item] = queue(client, mod_auth)

    assert (
        decide(client, mod_auth, item["id"], "approve", "Within the guidelines.").status_code == 200
    )

    assert client.get(f"{API}/stories/{story.id}").json()["status"] == "published"
    assert story.id in story_ids(client)


# --- GET /moderation/queue ------------------------------------------------------------------


@pytest.fixture
def mixed_queue(db: Session, circle: Circle) -> dict[str, ModerationCase]:
    """Five open items made oldest first: two share a priority, so age breaks the tie."""
    made = {}
    for name, reasons in [
        ("first_post", ["first_post"]),
        ("stigma_old", ["stigma"]),
        ("harassment", ["report:harassment"]),
        ("stigma_new", ["stigma"]),
        ("crisis", ["crisis"]),
    ]:
        made[name] = open_item(db, make_story(db, circle=circle), *reasons)
    return made


def test_the_queue_lists_highest_priority_first_then_oldest(
    client: TestClient, mod_auth: Headers, mixed_queue: dict[str, ModerationCase]
) -> None:
    items = queue(client, mod_auth)

    expected = ["crisis", "harassment", "stigma_old", "stigma_new", "first_post"]
    assert [i["id"] for i in items] == [mixed_queue[n].id for n in expected]
    priorities = [i["priority"] for i in items]
    assert priorities == sorted(priorities, reverse=True)
    assert items[0]["reasons"] == ["crisis"]


def test_a_queue_item_carries_the_post_with_its_screening_for_moderators(
    client: TestClient, mod_auth: Headers, author_auth: Headers, circle: Circle
) -> None:
    response = client.post(
        f"{API}/stories",
        json={"circle": circle.slug, "title": "Hm", "body": "My boss is a psycho."},
        headers=author_auth,
    )
    assert response.status_code == 201, response.text

    [item] = queue(client, mod_auth)

    assert item["post"]["status"] == "pending"
    assert item["post"]["screening"]["stigma"][0]["term"] == "psycho"
    assert item["post"]["title"] == "Hm" and item["post"]["circle"] == circle.slug
    created = datetime.fromisoformat(item["created_at"])
    assert abs(created - datetime.now(UTC)) < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("crisis", ["crisis"]),
        ("stigma", ["stigma_old", "stigma_new"]),
        ("first_post", ["first_post"]),
        ("report", ["harassment"]),
        ("report:harassment", ["harassment"]),
        ("report:spam", []),
        ("appeal", []),
    ],
)
def test_the_queue_can_be_filtered_by_reason(
    client: TestClient,
    mod_auth: Headers,
    mixed_queue: dict[str, ModerationCase],
    reason: str,
    expected: list[str],
) -> None:
    items = queue(client, mod_auth, reason=reason)

    assert [i["id"] for i in items] == [mixed_queue[n].id for n in expected]


def test_the_queue_can_be_filtered_to_escalated_items(
    client: TestClient, mod_auth: Headers, mixed_queue: dict[str, ModerationCase]
) -> None:
    assert decide(client, mod_auth, mixed_queue["stigma_new"].id, "escalate").status_code == 200

    items = queue(client, mod_auth, reason="escalated")

    assert [i["id"] for i in items] == [mixed_queue["stigma_new"].id]


def test_decided_items_leave_the_open_queue_and_are_listed_as_closed(
    client: TestClient, mod_auth: Headers, mixed_queue: dict[str, ModerationCase]
) -> None:
    done = mixed_queue["stigma_old"].id
    assert decide(client, mod_auth, done, "approve").status_code == 200

    open_ids = [i["id"] for i in queue(client, mod_auth)]
    closed = queue(client, mod_auth, status="closed")

    assert done not in open_ids
    assert [i["id"] for i in closed] == [done]
    assert closed[0]["status"] == "closed"
    assert queue(client, mod_auth, status="open") == queue(client, mod_auth)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "pending"},
        {"reason": "nonsense"},
        {"limit": 0},
        {"limit": 101},
        {"cursor": "not-a-cursor"},
    ],
)
def test_the_queue_refuses_bad_parameters(
    client: TestClient, mod_auth: Headers, params: dict[str, Any]
) -> None:
    response = client.get(f"{API}/moderation/queue", params=params, headers=mod_auth)

    assert_problem(response, 422, field=next(iter(params)))


def test_the_queue_pages_follow_the_cursor_without_duplicates_or_gaps(
    client: TestClient, db: Session, mod_auth: Headers, circle: Circle
) -> None:
    reasons = ["stigma", "first_post", "crisis", "stigma", "report:spam", "stigma", "crisis"]
    for reason in reasons:
        open_item(db, make_story(db, circle=circle), reason)
    everything = [i["id"] for i in queue(client, mod_auth, limit=100)]

    seen: list[int] = []
    sizes = []
    cursor = None
    for _ in range(10):
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = queue_page(client, mod_auth, **params)
        seen += [i["id"] for i in page["items"]]
        sizes.append(len(page["items"]))
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert sizes == [2, 2, 2, 1]
    assert seen == everything
    assert len(set(seen)) == len(reasons)


def test_closed_queue_pages_follow_the_cursor_without_duplicates(
    client: TestClient, db: Session, mod_auth: Headers, circle: Circle
) -> None:
    items = [open_item(db, make_story(db, circle=circle), "stigma") for _ in range(5)]
    for item in items:
        assert decide(client, mod_auth, item.id, "approve").status_code == 200

    first = queue_page(client, mod_auth, status="closed", limit=3)
    second = queue_page(client, mod_auth, status="closed", limit=3, cursor=first["next_cursor"])

    ids = [i["id"] for i in first["items"] + second["items"]]
    assert sorted(ids) == sorted(i.id for i in items)
    assert second["next_cursor"] is None


def test_one_queue_item_can_be_read_and_an_unknown_one_is_not_found(
    client: TestClient, mod_auth: Headers, mixed_queue: dict[str, ModerationCase]
) -> None:
    item = mixed_queue["crisis"]

    response = client.get(f"{API}/moderation/queue/{item.id}", headers=mod_auth)

    assert response.status_code == 200
    assert response.json()["id"] == item.id and response.json()["reasons"] == ["crisis"]
    assert_problem(client.get(f"{API}/moderation/queue/987654321", headers=mod_auth), 404)


# --- claims ---------------------------------------------------------------------------------


def test_a_moderator_claims_an_item_and_others_see_who_holds_it(
    client: TestClient,
    db: Session,
    moderator: Account,
    mod_auth: Headers,
    second_auth: Headers,
    story: Post,
    settings: Any,
) -> None:
    settings.claim_minutes = 1
    item = open_item(db, story)

    response = claim(client, mod_auth, item.id)

    assert response.status_code == 200, response.text
    assert response.json()["claimed_by"] == moderator.pseudonym
    assert queue(client, second_auth)[0]["claimed_by"] == moderator.pseudonym
    db.refresh(item)
    assert item.claimed_until is not None
    left = item.claimed_until - utcnow()
    assert timedelta(seconds=50) < left <= timedelta(minutes=1)


def test_a_second_moderator_cannot_claim_a_held_item(
    client: TestClient, db: Session, mod_auth: Headers, second_auth: Headers, story: Post
) -> None:
    item = open_item(db, story)
    assert claim(client, mod_auth, item.id).status_code == 200

    assert_problem(claim(client, second_auth, item.id), 409)


def test_the_holder_can_renew_their_own_claim(
    client: TestClient, db: Session, mod_auth: Headers, story: Post
) -> None:
    item = open_item(db, story)
    assert claim(client, mod_auth, item.id).status_code == 200

    assert claim(client, mod_auth, item.id).status_code == 200


def test_a_lapsed_claim_can_be_taken_by_another_moderator(
    client: TestClient,
    db: Session,
    mod_auth: Headers,
    second_moderator: Account,
    second_auth: Headers,
    story: Post,
) -> None:
    item = open_item(db, story)
    assert claim(client, mod_auth, item.id).status_code == 200
    item.claimed_until = utcnow() - timedelta(seconds=1)
    db.flush()

    assert queue(client, mod_auth)[0]["claimed_by"] is None
    response = claim(client, second_auth, item.id)

    assert response.status_code == 200, response.text
    assert response.json()["claimed_by"] == second_moderator.pseudonym


def test_a_decided_item_cannot_be_claimed(
    client: TestClient, db: Session, mod_auth: Headers, story: Post
) -> None:
    item = open_item(db, story)
    assert decide(client, mod_auth, item.id, "approve").status_code == 200

    assert_problem(claim(client, mod_auth, item.id), 409)


def test_claiming_an_unknown_item_is_not_found(client: TestClient, mod_auth: Headers) -> None:
    assert_problem(claim(client, mod_auth, 987_654_321), 404)


# --- decisions ------------------------------------------------------------------------------


def test_approving_a_held_post_publishes_it(
    client: TestClient, db: Session, mod_auth: Headers, story: Post
) -> None:
    item = open_item(db, story, "first_post", held=True)
    assert story.id not in story_ids(client)

    response = decide(client, mod_auth, item.id, "approve", "Welcome!")

    assert response.status_code == 200, response.text
    decided = response.json()
    assert decided["status"] == "closed"
    assert decided["post"]["status"] == "published"
    assert client.get(f"{API}/stories/{story.id}").json()["status"] == "published"
    assert story.id in story_ids(client)
    assert queue(client, mod_auth) == []


def test_removing_a_post_shows_its_author_the_reason_and_others_a_placeholder(
    client: TestClient,
    db: Session,
    author_auth: Headers,
    member_auth: Headers,
    mod_auth: Headers,
    story: Post,
) -> None:
    item = open_item(db, story, "report:harassment")

    response = decide(client, mod_auth, item.id, "remove", "It names another member.")

    assert response.status_code == 200, response.text
    assert response.json()["post"]["status"] == "removed"
    own = client.get(f"{API}/stories/{story.id}", headers=author_auth).json()
    assert own["status"] == "removed"
    assert own["removal_reason"] == "It names another member."
    seen = client.get(f"{API}/stories/{story.id}", headers=member_auth).json()
    assert seen["status"] == "removed"
    assert seen["body"] == "" and seen["body_html"] == "" and seen["title"] is None
    assert seen.get("removal_reason") is None
    assert story.id not in story_ids(client)
    stored = db.get_one(Post, story.id)
    db.refresh(stored)
    assert stored.body == "Day ten. *Still* here."  # hidden, never destroyed
    assert stored.removed_at is not None


def test_a_removed_reply_stays_in_the_tree_as_a_placeholder(
    client: TestClient, db: Session, member_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    reply = make_reply(db, story=story, body="Something hurtful.")
    item = open_item(db, reply, "report:harassment")

    assert decide(client, mod_auth, item.id, "remove", "Hurtful.").status_code == 200

    tree = client.get(f"{API}/stories/{story.id}", headers=member_auth).json()
    [placeholder] = tree["replies"]
    assert (placeholder["id"], placeholder["status"], placeholder["body"]) == (
        reply.id,
        "removed",
        "",
    )


def test_escalating_keeps_the_item_open_raises_it_and_releases_the_claim(
    client: TestClient, db: Session, mod_auth: Headers, story: Post
) -> None:
    item = open_item(db, story, "first_post", held=True)
    assert claim(client, mod_auth, item.id).status_code == 200
    before = item.priority

    response = decide(client, mod_auth, item.id, "escalate", "Needs a second pair of eyes.")

    assert response.status_code == 200, response.text
    escalated = response.json()
    assert escalated["status"] == "open"
    assert "escalated" in escalated["reasons"] and "first_post" in escalated["reasons"]
    assert escalated["priority"] > before
    assert escalated["priority"] == cases.PRIORITY["escalated"]
    assert escalated["claimed_by"] is None
    assert escalated["post"]["status"] == "pending"


def test_escalating_never_lowers_a_crisis_items_priority(
    client: TestClient, db: Session, mod_auth: Headers, story: Post
) -> None:
    item = open_item(db, story, "crisis")

    response = decide(client, mod_auth, item.id, "escalate")

    assert response.json()["priority"] == cases.PRIORITY["crisis"]


def test_a_decided_item_cannot_be_decided_again(
    client: TestClient, db: Session, mod_auth: Headers, second_auth: Headers, story: Post
) -> None:
    item = open_item(db, story)
    assert decide(client, mod_auth, item.id, "approve").status_code == 200

    for action in ("approve", "remove", "escalate"):
        assert_problem(decide(client, second_auth, item.id, action), 409)
    assert db.get_one(Post, story.id).status == PostStatus.published


def test_a_decision_on_an_item_another_moderator_holds_is_a_conflict(
    client: TestClient, db: Session, mod_auth: Headers, second_auth: Headers, story: Post
) -> None:
    item = open_item(db, story, held=True)
    assert claim(client, mod_auth, item.id).status_code == 200

    assert_problem(decide(client, second_auth, item.id, "approve"), 409)
    assert decide(client, mod_auth, item.id, "approve").status_code == 200


def test_a_decision_after_anothers_claim_lapsed_is_accepted(
    client: TestClient, db: Session, mod_auth: Headers, second_auth: Headers, story: Post
) -> None:
    item = open_item(db, story, held=True)
    assert claim(client, mod_auth, item.id).status_code == 200
    item.claimed_until = utcnow() - timedelta(seconds=1)
    db.flush()

    assert decide(client, second_auth, item.id, "approve").status_code == 200


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "delete", "reason": "x"}, "action"),
        ({"action": "", "reason": "x"}, "action"),
        ({"reason": "x"}, "action"),
        ({"action": "remove", "reason": ""}, "reason"),
        ({"action": "remove", "reason": "   "}, "reason"),
        ({"action": "remove"}, "reason"),
        ({"action": "remove", "reason": "x" * 501}, "reason"),
        ({"action": "remove", "reason": "x", "note": "n" * 2001}, "note"),
    ],
)
def test_a_decision_with_a_bad_field_is_refused(
    client: TestClient,
    db: Session,
    mod_auth: Headers,
    story: Post,
    payload: dict[str, Any],
    field: str,
) -> None:
    item = open_item(db, story)

    response = client.post(
        f"{API}/moderation/queue/{item.id}/decision", json=payload, headers=mod_auth
    )

    assert_problem(response, 422, field=field)
    db.refresh(item)
    assert item.status == CaseStatus.open


def test_a_decision_on_an_unknown_item_is_not_found(client: TestClient, mod_auth: Headers) -> None:
    assert_problem(decide(client, mod_auth, 987_654_321, "approve"), 404)


# --- appeals --------------------------------------------------------------------------------


def test_the_author_of_a_removed_post_appeals_and_it_joins_the_queue(
    client: TestClient, db: Session, author_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    removed_by(client, db, mod_auth, story)

    response = appeal(client, author_auth, story.id, "I was quoting someone, not calling names.")

    assert response.status_code == 201, response.text
    filed = response.json()
    assert filed["post_id"] == story.id
    assert filed["text"] == "I was quoting someone, not calling names."
    assert filed["outcome"] is None
    [item] = queue(client, mod_auth, reason="appeal")
    assert item["post"]["id"] == story.id
    assert item["reasons"] == ["appeal"]
    assert item["post"]["status"] == "removed"


def test_only_the_author_can_appeal(
    client: TestClient, db: Session, member_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    removed_by(client, db, mod_auth, story)

    assert_problem(appeal(client, member_auth, story.id), 403)
    assert_problem(appeal(client, mod_auth, story.id), 403)


def test_a_post_that_was_not_removed_cannot_be_appealed(
    client: TestClient, author_auth: Headers, story: Post
) -> None:
    assert_problem(appeal(client, author_auth, story.id), 409)


def test_a_removal_can_be_appealed_once(
    client: TestClient, db: Session, author_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    removed_by(client, db, mod_auth, story)
    assert appeal(client, author_auth, story.id).status_code == 201

    assert_problem(appeal(client, author_auth, story.id, "Again, please."), 409)
    assert len(queue(client, mod_auth, reason="appeal")) == 1


@pytest.mark.parametrize("text", ["", "   \n", "x" * 2001])
def test_an_appeal_needs_some_text_within_the_limit(
    client: TestClient, db: Session, author_auth: Headers, mod_auth: Headers, story: Post, text: str
) -> None:
    removed_by(client, db, mod_auth, story)

    assert_problem(appeal(client, author_auth, story.id, text), 422, field="text")


def test_appealing_an_unknown_post_is_not_found(client: TestClient, author_auth: Headers) -> None:
    assert_problem(appeal(client, author_auth, 987_654_321), 404)


def test_the_moderator_who_removed_a_post_cannot_decide_its_appeal(
    client: TestClient, db: Session, author_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    removed_by(client, db, mod_auth, story)
    assert appeal(client, author_auth, story.id).status_code == 201
    item = appeal_item(db, story)

    for action in ("approve", "remove"):
        assert_problem(decide(client, mod_auth, item.id, action), 403)
    assert db.get_one(Post, story.id).status == PostStatus.removed


def test_the_moderator_who_removed_a_post_cannot_claim_its_appeal(
    client: TestClient, db: Session, author_auth: Headers, mod_auth: Headers, story: Post
) -> None:
    removed_by(client, db, mod_auth, story)
    assert appeal(client, author_auth, story.id).status_code == 201

    assert_problem(claim(client, mod_auth, appeal_item(db, story).id), 403)


def test_another_moderator_upholding_an_appeal_restores_the_post(
    client: TestClient,
    db: Session,
    author_auth: Headers,
    member_auth: Headers,
    mod_auth: Headers,
    second_auth: Headers,
    story: Post,
) -> None:
    removed_by(client, db, mod_auth, story)
    assert appeal(client, author_auth, story.id).status_code == 201
    item = appeal_item(db, story)

    response = decide(client, second_auth, item.id, "approve", "Quoting is fine.")

    assert response.status_code == 200, response.text
    restored = client.get(f"{API}/stories/{story.id}", headers=author_auth).json()
    assert restored["status"] == "published"
    assert restored["removal_reason"] is None
    seen = client.get(f"{API}/stories/{story.id}", headers=member_auth).json()
    assert seen["body"] == "Day ten. *Still* here."
    stored = db.scalars(select(Appeal).where(Appeal.post_id == story.id)).one()
    assert stored.outcome == "overturned" and stored.decided_at is not None


def test_another_moderator_can_uphold_the_removal(
    client: TestClient,
    db: Session,
    author_auth: Headers,
    mod_auth: Headers,
    second_auth: Headers,
    story: Post,
) -> None:
    removed_by(client, db, mod_auth, story, "Name-calling")
    assert appeal(client, author_auth, story.id).status_code == 201
    item = appeal_item(db, story)

    response = decide(client, second_auth, item.id, "remove", "Still name-calling, sorry.")

    assert response.status_code == 200, response.text
    own = client.get(f"{API}/stories/{story.id}", headers=author_auth).json()
    assert own["status"] == "removed"
    assert own["removal_reason"] == "Still name-calling, sorry."
    assert db.scalars(select(Appeal).where(Appeal.post_id == story.id)).one().outcome == "upheld"
    assert_problem(appeal(client, author_auth, story.id), 409)


# --- suspensions ----------------------------------------------------------------------------


def test_a_moderator_suspends_a_member(
    client: TestClient, db: Session, member: Account, mod_auth: Headers
) -> None:
    until = datetime.now(UTC) + timedelta(days=3)

    response = suspend(client, mod_auth, member.id, until.isoformat(), "Repeated name-calling")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account_id"] == member.id
    assert body["kind"] == "suspension"
    assert body["reason"] == "Repeated name-calling"
    assert datetime.fromisoformat(body["until"]) == until
    db.refresh(member)
    assert member.suspended_until == until


def test_a_suspension_given_in_another_time_zone_ends_at_the_same_instant(
    client: TestClient, db: Session, member: Account, mod_auth: Headers
) -> None:
    local = datetime.now(timezone(timedelta(hours=2))).replace(microsecond=0) + timedelta(days=2)

    assert suspend(client, mod_auth, member.id, local.isoformat()).status_code == 201

    db.refresh(member)
    assert member.suspended_until == local
    assert member.suspended_until is not None
    assert member.suspended_until.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("until", "reason"),
    [
        ((datetime.now(UTC) - timedelta(minutes=1)).isoformat(), "x"),
        ("2030-01-01T12:00:00", "x"),  # no time zone: ambiguous
        ("tomorrow", "x"),
        (None, "x"),
        ((datetime.now(UTC) + timedelta(days=6 * 365)).isoformat(), "x"),
    ],
    ids=["in-the-past", "naive", "not-a-time", "missing", "too-long"],
)
def test_a_suspension_needs_a_future_time_with_a_zone(
    client: TestClient, db: Session, member: Account, mod_auth: Headers, until: Any, reason: str
) -> None:
    assert_problem(suspend(client, mod_auth, member.id, until, reason), 422, field="until")
    db.refresh(member)
    assert member.suspended_until is None


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_suspension_needs_a_reason(
    client: TestClient, member: Account, mod_auth: Headers, reason: str
) -> None:
    assert_problem(suspend(client, mod_auth, member.id, in_days(1), reason), 422, field="reason")


@pytest.mark.parametrize("role", [Role.moderator, Role.admin])
def test_moderators_and_admins_cannot_be_suspended(
    client: TestClient, db: Session, mod_auth: Headers, role: Role
) -> None:
    staff = make_account(db, role=role)

    assert_problem(suspend(client, mod_auth, staff.id, in_days(1)), 403)


def test_suspending_an_unknown_account_is_not_found(client: TestClient, mod_auth: Headers) -> None:
    assert_problem(suspend(client, mod_auth, 987_654_321, in_days(1)), 404)


@pytest.fixture
def own_story(db: Session, member: Account, circle: Circle) -> Post:
    return make_story(db, author=member, circle=circle)


@pytest.fixture
def suspended(
    client: TestClient, db: Session, member: Account, mod_auth: Headers, own_story: Post
) -> Account:
    assert suspend(client, mod_auth, member.id, in_days(2), "Cooling off").status_code == 201
    return member


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/stories", {"circle": "{circle}", "title": "Hi", "body": "Hello"}),
        ("POST", "/stories/{story}/replies", {"body": "Hello"}),
        ("PATCH", "/posts/{own}", {"body": "Changed"}),
        ("PUT", "/posts/{story}/reactions/support", None),
        ("DELETE", "/posts/{story}/reactions/support", None),
        ("POST", "/reports", {"post_id": "{story}", "reason": "spam"}),
    ],
    ids=["story", "reply", "edit", "react", "unreact", "report"],
)
def test_a_suspended_member_cannot_post_reply_edit_react_or_report(
    client: TestClient,
    suspended: Account,
    member_auth: Headers,
    story: Post,
    own_story: Post,
    circle: Circle,
    method: str,
    path: str,
    payload: dict[str, Any] | None,
) -> None:
    names: dict[str, Any] = {"{story}": story.id, "{own}": own_story.id, "{circle}": circle.slug}
    body = {k: names.get(v, v) for k, v in payload.items()} if payload else None
    for name, value in names.items():
        path = path.replace(name, str(value))

    response = client.request(method, f"{API}{path}", json=body, headers=member_auth)

    problem = assert_problem(response, 403)
    assert "suspended" in problem["detail"]
    assert "until" in problem["detail"]


def test_a_suspended_member_can_still_read(
    client: TestClient, db: Session, suspended: Account, member_auth: Headers, story: Post
) -> None:
    assert client.get(f"{API}/stories/{story.id}", headers=member_auth).status_code == 200
    assert client.get(f"{API}/stories", headers=member_auth).status_code == 200
    me = client.get(f"{API}/me", headers=member_auth)
    assert me.status_code == 200 and me.json()["id"] == suspended.id


def test_lifting_a_suspension_lets_the_member_post_again(
    client: TestClient,
    db: Session,
    suspended: Account,
    member_auth: Headers,
    mod_auth: Headers,
    circle: Circle,
) -> None:
    response = client.delete(
        f"{API}/moderation/accounts/{suspended.id}/suspension", headers=mod_auth
    )

    assert response.status_code == 204
    posted = client.post(
        f"{API}/stories",
        json={"circle": circle.slug, "title": "Back", "body": "Hello again."},
        headers=member_auth,
    )
    assert posted.status_code == 201, posted.text
    sanction = db.scalars(select(Sanction).where(Sanction.account_id == suspended.id)).one()
    assert sanction.lifted_at is not None


def test_a_suspension_that_has_ended_no_longer_blocks(
    client: TestClient, db: Session, suspended: Account, member_auth: Headers, story: Post
) -> None:
    suspended.suspended_until = utcnow() - timedelta(seconds=1)
    db.flush()

    response = client.post(
        f"{API}/stories/{story.id}/replies", json={"body": "Hello"}, headers=member_auth
    )

    assert response.status_code == 201, response.text


def test_lifting_a_suspension_that_is_not_there_is_not_found(
    client: TestClient, member: Account, mod_auth: Headers
) -> None:
    response = client.delete(f"{API}/moderation/accounts/{member.id}/suspension", headers=mod_auth)

    assert_problem(response, 404)


# --- warnings and member history ------------------------------------------------------------


def test_a_warning_is_kept_in_the_members_history(
    client: TestClient, member: Account, moderator: Account, mod_auth: Headers
) -> None:
    response = client.post(
        f"{API}/moderation/accounts/{member.id}/warnings",
        json={"reason": "Please keep it kind."},
        headers=mod_auth,
    )

    assert response.status_code == 201, response.text
    assert response.json()["kind"] == "warning"
    history = client.get(f"{API}/moderation/accounts/{member.id}", headers=mod_auth).json()
    assert history["account"]["id"] == member.id
    assert history["suspended_until"] is None
    assert [(s["kind"], s["reason"]) for s in history["sanctions"]] == [
        ("warning", "Please keep it kind.")
    ]
    [entry] = history["log"]
    assert (entry["action"], entry["moderator"], entry["target"]) == (
        "warn",
        moderator.pseudonym,
        f"account:{member.id}",
    )


@pytest.mark.parametrize("reason", ["", " "])
def test_a_warning_needs_a_reason(
    client: TestClient, member: Account, mod_auth: Headers, reason: str
) -> None:
    response = client.post(
        f"{API}/moderation/accounts/{member.id}/warnings", json={"reason": reason}, headers=mod_auth
    )

    assert_problem(response, 422, field="reason")


def test_the_history_of_an_unknown_account_is_not_found(
    client: TestClient, mod_auth: Headers
) -> None:
    assert_problem(client.get(f"{API}/moderation/accounts/987654321", headers=mod_auth), 404)


# --- the audit log --------------------------------------------------------------------------


def test_every_moderator_action_is_in_the_log_newest_first(
    client: TestClient,
    db: Session,
    member: Account,
    moderator: Account,
    mod_auth: Headers,
    circle: Circle,
) -> None:
    approved = open_item(db, make_story(db, circle=circle), "first_post", held=True)
    removed = open_item(db, make_story(db, circle=circle), "report:spam")
    escalated = open_item(db, make_story(db, circle=circle), "stigma")
    sanctions = f"{API}/moderation/accounts/{member.id}"
    responses = [
        claim(client, mod_auth, approved.id),
        decide(client, mod_auth, approved.id, "approve", "Fine."),
        decide(client, mod_auth, removed.id, "remove", "Spam."),
        decide(client, mod_auth, escalated.id, "escalate", "Unsure."),
        client.post(f"{sanctions}/warnings", json={"reason": "Be kind."}, headers=mod_auth),
        suspend(client, mod_auth, member.id, in_days(1), "Cool off."),
        client.delete(f"{sanctions}/suspension", headers=mod_auth),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 201, 201, 204]

    entries = log(client, mod_auth, limit=100)["items"]

    assert set(entries[0]) >= AUDIT_KEYS
    assert [(e["action"], e["target"], e["reason"]) for e in entries] == [
        ("lift_suspension", f"account:{member.id}", ""),
        ("suspend", f"account:{member.id}", "Cool off."),
        ("warn", f"account:{member.id}", "Be kind."),
        ("escalate", f"post:{escalated.post_id}", "Unsure."),
        ("remove", f"post:{removed.post_id}", "Spam."),
        ("approve", f"post:{approved.post_id}", "Fine."),
        ("claim", f"post:{approved.post_id}", ""),
    ]
    assert {e["moderator"] for e in entries} == {moderator.pseudonym}
    times = [datetime.fromisoformat(e["at"]) for e in entries]
    assert times == sorted(times, reverse=True)


def test_the_log_pages_follow_the_cursor(
    client: TestClient, db: Session, member: Account, mod_auth: Headers
) -> None:
    for n in range(5):
        response = client.post(
            f"{API}/moderation/accounts/{member.id}/warnings",
            json={"reason": f"Warning {n}"},
            headers=mod_auth,
        )
        assert response.status_code == 201

    first = log(client, mod_auth, limit=2)
    second = log(client, mod_auth, limit=2, cursor=first["next_cursor"])
    third = log(client, mod_auth, limit=2, cursor=second["next_cursor"])

    reasons = [e["reason"] for page in (first, second, third) for e in page["items"]]
    assert reasons == [f"Warning {n}" for n in (4, 3, 2, 1, 0)]
    assert third["next_cursor"] is None


def test_a_decision_appends_to_the_log_and_changes_no_earlier_entry(
    client: TestClient, db: Session, member: Account, mod_auth: Headers, story: Post
) -> None:
    client.post(
        f"{API}/moderation/accounts/{member.id}/warnings", json={"reason": "One"}, headers=mod_auth
    )
    item = open_item(db, story, "report:spam")
    assert claim(client, mod_auth, item.id).status_code == 200
    before = audit_rows(db)

    assert decide(client, mod_auth, item.id, "remove", "Spam.").status_code == 200

    after = audit_rows(db)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1
    assert after[-1][4:7] == ("remove", f"post:{story.id}", "Spam.")


def test_no_moderation_request_updates_or_deletes_audit_rows(
    client: TestClient,
    db: Session,
    member: Account,
    author_auth: Headers,
    mod_auth: Headers,
    second_auth: Headers,
    story: Post,
    settings: Any,
    queries: Any,
) -> None:
    settings.report_hide_threshold = 1
    reported_by_new_member(client, db, story)
    [item] = queue(client, mod_auth)
    claim(client, mod_auth, item["id"])
    decide(client, mod_auth, item["id"], "remove", "Spam.")
    appeal(client, author_auth, story.id)
    decide(client, second_auth, appeal_item(db, story).id, "approve", "Fair.")
    suspend(client, mod_auth, member.id, in_days(1))
    client.delete(f"{API}/moderation/accounts/{member.id}/suspension", headers=mod_auth)

    touched = [
        s
        for s in queries.statements
        if "audit_entry" in s and s.lstrip().upper().startswith(("UPDATE", "DELETE"))
    ]
    assert touched == []
    actions = [row[4] for row in audit_rows(db)]
    assert actions == ["hide", "claim", "remove", "approve", "suspend", "lift_suspension"]
