from sqlalchemy import func, select

from app.moderation import service as moderation
from app.moderation.models import ReportReason
from app.notifications.models import Notification
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from tests.factories import PASSWORD, assert_problem, bearer, make_account, make_reply, make_story

API = "/api/v1/notifications"


def test_a_member_reads_their_notices_newest_first(client, db, member, auth, other):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=other)
    reactions.react(db, member=other, post=story, kind=ReactionKind.support)

    response = client.get(API, headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert body["next_cursor"] is None
    reacted, replied = body["items"]
    assert set(replied) == {"id", "kind", "text", "url", "created_at", "read"}
    assert reacted["kind"] == "reaction" and reacted["url"] == f"/stories/{story.id}"
    assert replied == replied | {
        "kind": "reply",
        "text": f"{other.pseudonym} replied to your story.",
        "url": f"/stories/{story.id}#reply-{reply.id}",
        "read": False,
    }


def test_the_list_is_keyset_paginated(client, db, member, auth):
    story = make_story(db, author=member)
    for _ in range(3):
        make_reply(db, story=story)

    first = client.get(API, params={"limit": 2}, headers=auth).json()
    rest = client.get(API, params={"limit": 2, "cursor": first["next_cursor"]}, headers=auth)

    ids = [n["id"] for n in first["items"] + rest.json()["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 3
    assert rest.json()["next_cursor"] is None


def test_a_cursor_we_never_gave_out_is_refused(client, auth):
    assert_problem(client.get(API, params={"cursor": "bm9wZQ"}, headers=auth), 422, field="cursor")


def test_unread_count_and_marking_some_or_all_read(client, db, member, auth):
    story = make_story(db, author=member)
    for _ in range(3):
        make_reply(db, story=story)
    count = f"{API}/unread-count"
    assert client.get(count, headers=auth).json() == {"unread": 3}
    newest = client.get(API, headers=auth).json()["items"][0]["id"]

    one = client.post(f"{API}/read", json={"ids": [newest]}, headers=auth)
    assert one.status_code == 200 and one.json() == {"unread": 2}
    assert client.get(API, headers=auth).json()["items"][0]["read"] is True

    everything = client.post(f"{API}/read", json={"all": True}, headers=auth)
    assert everything.json() == {"unread": 0}
    assert client.get(count, headers=auth).json() == {"unread": 0}


def test_marking_another_members_notices_changes_nothing(client, db, auth, other):
    make_reply(db, story=make_story(db, author=other))
    theirs = bearer(db, other)
    their_id = client.get(API, headers=theirs).json()["items"][0]["id"]

    response = client.post(f"{API}/read", json={"ids": [their_id]}, headers=auth)

    assert response.status_code == 200 and response.json() == {"unread": 0}
    assert client.get(f"{API}/unread-count", headers=theirs).json() == {"unread": 1}
    assert client.get(API, headers=auth).json()["items"] == []


def test_a_read_request_names_either_ids_or_all(client, auth):
    for body in ({}, {"ids": [1], "all": True}, {"all": False}, {"ids": [0]}):
        assert_problem(client.post(f"{API}/read", json=body, headers=auth), 422)
    assert_problem(client.post(f"{API}/read", json={"ids": list(range(1, 102))}, headers=auth), 422)


def test_notices_need_a_signed_in_member(client):
    for response in (
        client.get(API),
        client.get(f"{API}/unread-count"),
        client.post(f"{API}/read", json={"all": True}),
    ):
        assert_problem(response, 401)


def test_a_reporter_is_told_of_the_review_through_the_api_and_the_author_never_of_them(
    client, db, member, auth, mod_auth
):
    story = make_story(db, author=make_account(db))
    moderation.file_report(
        db, reporter=member, post_id=story.id, reason=ReportReason.spam, details=None
    )
    queue = client.get("/api/v1/moderation/queue", headers=mod_auth).json()["items"]
    [item] = [i for i in queue if i["post"]["id"] == story.id]
    client.post(
        f"/api/v1/moderation/queue/{item['id']}/decision",
        json={"action": "remove", "reason": "Spam."},
        headers=mod_auth,
    )

    [notice] = client.get(API, headers=auth).json()["items"]
    assert notice["kind"] == "report_reviewed" and notice["url"] is None
    assert "removed" not in notice["text"]


def test_a_deleted_account_leaves_no_notifications(client, db, member, auth):
    make_reply(db, story=make_story(db, author=member))
    assert client.get(f"{API}/unread-count", headers=auth).json() == {"unread": 1}

    response = client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD, "content": "erase"}, headers=auth
    )

    assert response.status_code == 204
    assert db.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_export_lists_the_members_notices(client, db, member, auth):
    story = make_story(db, author=member)
    make_reply(db, story=story)

    exported = client.get("/api/v1/me/export", headers=auth).json()

    [notice] = exported["notifications"]
    assert notice["kind"] == "reply" and notice["read_at"] is None
