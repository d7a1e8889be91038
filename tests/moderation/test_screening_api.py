"""Screening as a client sees it: the /screen preview, and every write path that screens."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.help import service as help_now
from app.moderation.models import AuditEntry, CaseReason, CaseStatus, ModerationCase, Report
from app.stories.models import Post, PostStatus
from app.stories.schemas import STORY_BODY_MAX
from tests.factories import assert_problem, bearer, make_account, make_story

API = "/api/v1"

STIGMA = "My neighbour is a total psycho about parking."
CRISIS = "I am going to kill myself tonight."
CALM = "Day ten without a drink. Still here."
SCREENING_KEYS = {"stigma", "crisis", "pii_redacted", "held_for_review"}


# --- helpers --------------------------------------------------------------------------------


def count(db: Session, model: type[Any]) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def case_of(db: Session, post_id: int) -> ModerationCase | None:
    return db.scalar(
        select(ModerationCase).where(
            ModerationCase.post_id == post_id, ModerationCase.status == CaseStatus.open
        )
    )


def reasons_of(db: Session, case: ModerationCase) -> set[str]:
    return set(db.scalars(select(CaseReason.reason).where(CaseReason.case_id == case.id)))


def queue(client: TestClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"{API}/moderation/queue", params=params, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def expected_help() -> list[dict[str, Any]]:
    return [{"name": r.name, "contact": r.contact, "url": r.url} for r in help_now.resources()]


def help_names(help_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in ("name", "contact", "url")} for r in help_list]


def post_story(
    client: TestClient, headers: dict[str, str], circle: Circle, **fields: Any
) -> dict[str, Any]:
    payload = {"circle": circle.slug, "title": "Day ten", "body": CALM} | fields
    response = client.post(f"{API}/stories", json=payload, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def post_reply(
    client: TestClient, headers: dict[str, str], story_id: int, body: str
) -> dict[str, Any]:
    response = client.post(
        f"{API}/stories/{story_id}/replies", json={"body": body}, headers=headers
    )
    assert response.status_code == 201, response.text
    reply: dict[str, Any] = response.json()
    return reply


def screen(client: TestClient, text: str) -> dict[str, Any]:
    response = client.post(f"{API}/screen", json={"text": text})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


# --- POST /screen ---------------------------------------------------------------------------


def test_screening_a_calm_text_finds_nothing_and_returns_it_unchanged(client: TestClient) -> None:
    result = screen(client, CALM)

    assert set(result) >= SCREENING_KEYS | {"redacted_text"}
    assert result["stigma"] == []
    assert result["crisis"] is False
    assert result["pii_redacted"] == 0
    assert result["held_for_review"] is False
    assert result["redacted_text"] == CALM
    assert result.get("help") is None


@pytest.mark.parametrize(
    ("text", "term"),
    [
        (STIGMA, "psycho"),
        ("That junkie next door kept me up.", "junkie"),
        ("He is such a schizo sometimes", "schizo"),
        ("My uncle committed suicide when I was small.", "committed suicide"),
    ],
)
def test_screening_points_at_stigmatising_wording_with_exact_offsets(
    client: TestClient, text: str, term: str
) -> None:
    result = screen(client, text)

    assert len(result["stigma"]) == 1
    item = result["stigma"][0]
    assert set(item) >= {"term", "start", "end", "suggestion", "explanation"}
    assert item["term"] == term
    assert (item["start"], item["end"]) == (text.index(term), text.index(term) + len(term))
    assert text[item["start"] : item["end"]] == term
    assert item["suggestion"] and item["explanation"]
    assert result["crisis"] is False


def test_stigma_offsets_count_characters_not_bytes(client: TestClient) -> None:
    text = "Ça va — 🌧️ mais mon voisin est un psycho."

    item = screen(client, text)["stigma"][0]

    assert text[item["start"] : item["end"]] == "psycho"


def test_stigma_offsets_point_into_the_text_as_sent_even_after_a_redaction(
    client: TestClient,
) -> None:
    text = "Mail sam@example.org if the psycho upstairs is loud."

    result = screen(client, text)

    item = result["stigma"][0]
    assert text[item["start"] : item["end"]] == "psycho"
    assert result["pii_redacted"] == 1


@pytest.mark.parametrize(
    "text",
    [CRISIS, "I want to end my life.", "I have the pills ready and will take them all tonight"],
)
def test_screening_a_crisis_text_answers_with_help_now_resources(
    client: TestClient, text: str
) -> None:
    result = screen(client, text)

    assert result["crisis"] is True
    assert result["help"], result
    assert help_names(result["help"]) == expected_help()
    assert all(r["name"] and r["contact"] for r in result["help"])


@pytest.mark.parametrize(
    ("text", "redacted", "count"),
    [
        ("Call me on 07700 900123 any time.", "Call me on [phone removed] any time.", 1),
        ("Email me at sam@example.org please", "Email me at [email removed] please", 1),
        (
            "Call me on 07700 900123 or mail jo.bloggs@example.com",
            "Call me on [phone removed] or mail [email removed]",
            2,
        ),
    ],
)
def test_screening_redacts_personal_details_and_counts_them(
    client: TestClient, text: str, redacted: str, count: int
) -> None:
    result = screen(client, text)

    assert result["pii_redacted"] == count
    assert result["redacted_text"] == redacted


def test_screening_stores_nothing(client: TestClient, db: Session) -> None:
    tables = (Post, ModerationCase, CaseReason, Report, AuditEntry)
    before = {t: count(db, t) for t in tables}

    for text in (STIGMA, CRISIS, "Call me on 07700 900123", CALM):
        screen(client, text)

    assert {t: count(db, t) for t in tables} == before


def test_screening_needs_no_sign_in(client: TestClient) -> None:
    assert client.post(f"{API}/screen", json={"text": CALM}).status_code == 200


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": None}, {"text": 12}, {"text": "x" * (STORY_BODY_MAX + 1)}],
    ids=["missing", "null", "number", "too-long"],
)
def test_screening_refuses_a_missing_or_too_long_text(
    client: TestClient, payload: dict[str, Any]
) -> None:
    assert_problem(client.post(f"{API}/screen", json=payload), 422, field="text")


def test_screening_accepts_a_text_at_the_longest_story_length(client: TestClient) -> None:
    assert screen(client, "x" * STORY_BODY_MAX)["pii_redacted"] == 0


# --- personal details in stories and replies ------------------------------------------------

MARKDOWN = (
    "# A hard week\n\n"
    "Some **bold** words, a [link](https://example.org/path) and a list:\n\n"
    "- one\n- two  \n\n"
    "> quoted *text*\n\n"
    "If anyone wants to talk, call me on 07700 900123 or write to jo.bloggs@example.com.\n\n"
    "```\ncode   stays   put\n```\n"
)
REDACTED = MARKDOWN.replace("07700 900123", "[phone removed]").replace(
    "jo.bloggs@example.com", "[email removed]"
)


def test_a_story_is_stored_with_personal_details_redacted_and_the_rest_byte_for_byte(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = post_story(client, auth, circle, body=MARKDOWN)

    assert story["body"] == REDACTED
    assert story["screening"]["pii_redacted"] == 2
    assert story["status"] == "published"
    stored = db.get_one(Post, story["id"])
    db.refresh(stored)
    assert stored.body == REDACTED
    assert "07700" not in stored.body_html and "jo.bloggs" not in stored.body_html


def test_a_reply_is_stored_with_personal_details_redacted(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, circle=circle)

    reply = post_reply(client, auth, story.id, "Text me: 07700 900123 *any* time.\n")

    assert reply["body"] == "Text me: [phone removed] *any* time.\n"
    assert reply["screening"]["pii_redacted"] == 1
    assert db.get_one(Post, reply["id"]).body == "Text me: [phone removed] *any* time.\n"


def test_personal_details_in_a_title_are_redacted_too(
    client: TestClient, auth: dict[str, str], circle: Circle
) -> None:
    story = post_story(client, auth, circle, title="Write to sam@example.org")

    assert story["title"] == "Write to [email removed]"
    assert story["screening"]["pii_redacted"] == 1


def test_a_redaction_alone_does_not_hold_the_post(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = post_story(client, auth, circle, body="Call 07700 900123.")

    assert story["status"] == "published"
    assert story["screening"]["held_for_review"] is False
    assert case_of(db, story["id"]) is None


# --- stigmatising wording -------------------------------------------------------------------


def test_a_story_with_stigmatising_wording_is_held_and_queued_as_stigma(
    client: TestClient,
    db: Session,
    auth: dict[str, str],
    mod_auth: dict[str, str],
    circle: Circle,
) -> None:
    story = post_story(client, auth, circle, body=STIGMA)

    assert story["status"] == "pending"
    assert story["screening"]["held_for_review"] is True
    assert [s["term"] for s in story["screening"]["stigma"]] == ["psycho"]
    assert story["body"] == STIGMA  # a nudge, not a rewrite
    item = next(i for i in queue(client, mod_auth) if i["post"]["id"] == story["id"])
    assert "stigma" in item["reasons"]
    case = case_of(db, story["id"])
    assert case is not None and reasons_of(db, case) == {"stigma"}


def test_a_reply_with_stigmatising_wording_is_held_and_queued(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, circle=circle)

    reply = post_reply(client, auth, story.id, "Ignore him, he's a psycho.")

    assert reply["status"] == "pending"
    assert reply["screening"]["held_for_review"] is True
    case = case_of(db, reply["id"])
    assert case is not None and "stigma" in reasons_of(db, case)


def test_a_held_story_is_hidden_from_other_members_until_approved(
    client: TestClient, db: Session, auth: dict[str, str], other: Account, circle: Circle
) -> None:
    story = post_story(client, auth, circle, body=STIGMA)

    response = client.get(f"{API}/stories/{story['id']}", headers=bearer(db, other))

    assert_problem(response, 404)
    listed = client.get(f"{API}/stories", params={"circle": circle.slug}).json()["items"]
    assert story["id"] not in [i["id"] for i in listed]


# --- crisis ---------------------------------------------------------------------------------


def test_a_crisis_story_is_held_and_its_author_sees_help_at_once(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = post_story(client, auth, circle, body=CRISIS)

    assert story["status"] == "pending"
    assert story["screening"]["crisis"] is True
    assert story["screening"]["held_for_review"] is True
    assert story["help"], story
    assert help_names(story["help"]) == expected_help()
    case = case_of(db, story["id"])
    assert case is not None and "crisis" in reasons_of(db, case)


def test_a_crisis_reply_is_held_and_its_author_sees_help(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, circle=circle)

    reply = post_reply(client, auth, story.id, CRISIS)

    assert reply["status"] == "pending"
    assert reply["help"]
    case = case_of(db, reply["id"])
    assert case is not None and "crisis" in reasons_of(db, case)


def test_a_crisis_post_tops_the_queue_before_older_items(
    client: TestClient,
    db: Session,
    auth: dict[str, str],
    mod_auth: dict[str, str],
    circle: Circle,
) -> None:
    older = post_story(client, auth, circle, body=STIGMA)
    crisis = post_story(client, bearer(db, make_account(db)), circle, body=CRISIS)

    items = queue(client, mod_auth)

    ids = [i["post"]["id"] for i in items]
    assert ids.index(crisis["id"]) < ids.index(older["id"])
    assert items[0]["post"]["id"] == crisis["id"]
    assert items[0]["priority"] == max(i["priority"] for i in items)
    assert items[0]["priority"] > items[ids.index(older["id"])]["priority"]


def test_with_crisis_holds_off_a_crisis_post_is_published_but_still_queued_first(
    client: TestClient,
    db: Session,
    auth: dict[str, str],
    mod_auth: dict[str, str],
    circle: Circle,
    settings: Any,
) -> None:
    settings.crisis_posts_held = False
    older = post_story(client, bearer(db, make_account(db)), circle, body=STIGMA)

    story = post_story(client, auth, circle, body=CRISIS)

    assert story["status"] == "published"
    assert story["screening"]["crisis"] is True
    assert story["screening"]["held_for_review"] is False
    assert story["help"]
    items = queue(client, mod_auth)
    assert items[0]["post"]["id"] == story["id"]
    assert "crisis" in items[0]["reasons"]
    assert [i["post"]["id"] for i in items].index(older["id"]) > 0


def test_a_crisis_post_with_stigma_is_held_even_when_crisis_holds_are_off(
    client: TestClient, auth: dict[str, str], circle: Circle, settings: Any
) -> None:
    settings.crisis_posts_held = False

    story = post_story(client, auth, circle, body=f"{CRISIS} My ex is a psycho.")

    assert story["status"] == "pending"
    assert story["help"]


# --- pre-moderation of first posts ----------------------------------------------------------


def test_a_new_members_first_posts_wait_for_a_moderator_then_publish_at_once(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle, settings: Any
) -> None:
    settings.premoderate_first_posts = 2

    first = post_story(client, auth, circle, title="One")
    second = post_story(client, auth, circle, title="Two")
    third = post_story(client, auth, circle, title="Three")

    assert [p["status"] for p in (first, second, third)] == ["pending", "pending", "published"]
    assert first["screening"]["held_for_review"] is True
    assert third["screening"]["held_for_review"] is False
    for held in (first, second):
        case = case_of(db, held["id"])
        assert case is not None and reasons_of(db, case) == {"first_post"}
    assert case_of(db, third["id"]) is None


def test_replies_count_towards_a_new_members_first_posts(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle, settings: Any
) -> None:
    story = make_story(db, circle=circle)
    settings.premoderate_first_posts = 1

    first = post_reply(client, auth, story.id, "Thinking of you.")
    second = post_reply(client, auth, story.id, "Still thinking of you.")

    assert (first["status"], second["status"]) == ("pending", "published")
    case = case_of(db, first["id"])
    assert case is not None and reasons_of(db, case) == {"first_post"}


@pytest.mark.parametrize("role", [Role.moderator, Role.admin])
def test_staff_posts_are_published_at_once_even_under_pre_moderation(
    client: TestClient, db: Session, circle: Circle, settings: Any, role: Role
) -> None:
    settings.premoderate_first_posts = 2
    staff = make_account(db, role=role)

    story = post_story(client, bearer(db, staff), circle)

    assert story["status"] == "published"
    assert case_of(db, story["id"]) is None


def test_staff_posts_are_still_screened(
    client: TestClient, db: Session, mod_auth: dict[str, str], circle: Circle, settings: Any
) -> None:
    settings.premoderate_first_posts = 2

    story = post_story(client, mod_auth, circle, body=STIGMA + " Call 07700 900123.")

    assert story["status"] == "pending"
    assert story["screening"]["stigma"] and story["screening"]["pii_redacted"] == 1
    case = case_of(db, story["id"])
    assert case is not None and reasons_of(db, case) == {"stigma"}


def test_with_pre_moderation_off_a_first_post_is_published(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle, settings: Any
) -> None:
    settings.premoderate_first_posts = 0

    story = post_story(client, auth, circle)

    assert story["status"] == "published"
    assert case_of(db, story["id"]) is None


# --- who sees screening ---------------------------------------------------------------------


def test_screening_help_and_removal_reason_are_private_to_the_author_and_moderators(
    client: TestClient,
    db: Session,
    auth: dict[str, str],
    mod_auth: dict[str, str],
    circle: Circle,
    settings: Any,
) -> None:
    settings.crisis_posts_held = False
    story = post_story(client, auth, circle, body=CRISIS + " Call 07700 900123.")
    other_auth = bearer(db, make_account(db))

    seen_by_other = client.get(f"{API}/stories/{story['id']}", headers=other_auth).json()
    seen_by_anyone = client.get(f"{API}/stories/{story['id']}").json()
    seen_by_author = client.get(f"{API}/stories/{story['id']}", headers=auth).json()
    seen_by_moderator = client.get(f"{API}/stories/{story['id']}", headers=mod_auth).json()

    for view in (seen_by_other, seen_by_anyone):
        assert view["body"] == CRISIS + " Call [phone removed]."
        assert view.get("screening") is None
        assert view.get("help") is None
        assert view.get("removal_reason") is None
    for view in (seen_by_author, seen_by_moderator):
        assert view["screening"]["crisis"] is True
        assert view["screening"]["pii_redacted"] == 1
        assert view["help"]


def test_a_removed_posts_reason_is_shown_to_its_author_only(
    client: TestClient, db: Session, member: Account, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, author=member, circle=circle)
    story.status, story.removal_reason = PostStatus.removed, "Shared someone's address."
    db.flush()

    own = client.get(f"{API}/stories/{story.id}", headers=auth).json()
    other = client.get(f"{API}/stories/{story.id}", headers=bearer(db, make_account(db))).json()

    assert own["removal_reason"] == "Shared someone's address."
    assert other.get("removal_reason") is None
    assert other["body"] == "" and other["status"] == "removed"


# --- edits are screened again ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [(STIGMA, "stigma"), (CRISIS, "crisis")],
)
def test_an_edit_that_adds_stigma_or_crisis_holds_the_post_again(
    client: TestClient,
    db: Session,
    member: Account,
    auth: dict[str, str],
    circle: Circle,
    text: str,
    reason: str,
) -> None:
    story = make_story(db, author=member, circle=circle)
    assert story.status == PostStatus.published

    response = client.patch(f"{API}/posts/{story.id}", json={"body": text}, headers=auth)

    assert response.status_code == 200, response.text
    edited = response.json()
    assert edited["status"] == "pending"
    assert edited["screening"]["held_for_review"] is True
    case = case_of(db, story.id)
    assert case is not None and reason in reasons_of(db, case)
    other = client.get(f"{API}/stories/{story.id}", headers=bearer(db, make_account(db)))
    assert_problem(other, 404)


def test_an_edit_of_a_reply_that_adds_stigma_holds_it_again(
    client: TestClient, db: Session, member: Account, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, circle=circle)
    reply = post_reply(client, auth, story.id, "Hang in there.")

    response = client.patch(f"{API}/posts/{reply['id']}", json={"body": STIGMA}, headers=auth)

    assert response.json()["status"] == "pending"
    case = case_of(db, reply["id"])
    assert case is not None and "stigma" in reasons_of(db, case)


def test_an_edit_that_adds_a_phone_number_is_redacted_and_stays_published(
    client: TestClient, db: Session, member: Account, auth: dict[str, str], circle: Circle
) -> None:
    story = make_story(db, author=member, circle=circle)

    response = client.patch(
        f"{API}/posts/{story.id}", json={"body": "New: 07700 900123"}, headers=auth
    )

    edited = response.json()
    assert edited["body"] == "New: [phone removed]"
    assert edited["status"] == "published"
    assert edited["screening"]["pii_redacted"] == 1


def test_a_calm_edit_of_a_held_post_keeps_it_held(
    client: TestClient, db: Session, auth: dict[str, str], circle: Circle
) -> None:
    story = post_story(client, auth, circle, body=STIGMA)

    response = client.patch(f"{API}/posts/{story['id']}", json={"body": CALM}, headers=auth)

    assert response.json()["status"] == "pending"
    assert case_of(db, story["id"]) is not None
