"""A member sees where they are signed in and can end any session: API and page."""

from datetime import timedelta

from app.accounts import service
from app.db import utcnow
from tests.factories import assert_problem, bearer, csrf_from


def test_the_api_lists_live_sessions_and_marks_the_current_one(client, db, member):
    auth = bearer(db, member)
    service.start_session(db, account=member, kind="web")
    ended, _ = service.start_session(db, account=member, kind="web")
    service.end_session(db, token=ended)
    expired = service.start_session(db, account=member, kind="api")[1]
    expired.expires_at = utcnow() - timedelta(minutes=1)
    db.flush()
    items = client.get("/api/v1/me/sessions", headers=auth).json()["items"]
    assert len(items) == 2
    assert [i["current"] for i in items].count(True) == 1
    assert {i["kind"] for i in items} == {"api", "web"}
    assert set(items[0]) == {"id", "kind", "created_at", "last_seen_at", "expires_at", "current"}


def test_ending_another_session_signs_that_device_out(client, db, member):
    auth = bearer(db, member)
    phone, phone_auth = service.start_session(db, account=member, kind="api")
    response = client.delete(f"/api/v1/me/sessions/{phone_auth.id}", headers=auth)
    assert response.status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {phone}"}).status_code == 401
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    assert_problem(client.delete(f"/api/v1/me/sessions/{phone_auth.id}", headers=auth), 404)


def test_no_one_can_end_or_see_another_members_sessions(client, db, member, other):
    theirs = service.start_session(db, account=other, kind="web")[1]
    auth = bearer(db, member)
    assert_problem(client.delete(f"/api/v1/me/sessions/{theirs.id}", headers=auth), 404)
    assert service.list_sessions(db, account=other) == [theirs]
    listed = client.get("/api/v1/me/sessions", headers=auth).json()["items"]
    assert theirs.id not in [i["id"] for i in listed]
    assert_problem(client.delete("/api/v1/me/sessions/0", headers=auth), 404)
    assert_problem(client.get("/api/v1/me/sessions"), 401)


def test_the_sessions_page_lists_them_and_ends_one_with_the_form(client, db, member):
    token, _ = service.start_session(db, account=member, kind="web")
    client.cookies.set("kindred_session", token)
    other_token, other_auth = service.start_session(db, account=member, kind="api")
    page = client.get("/me/sessions")
    assert page.status_code == 200
    assert "this browser" in page.text and "An app or script" in page.text
    response = client.post(
        f"/me/sessions/{other_auth.id}/end",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and "notice=ended" in response.headers["location"]
    assert service.authenticate(db, token=other_token, kind="api") is None
    assert service.authenticate(db, token=token, kind="web") is not None


def test_ending_this_browsers_own_session_signs_it_out(client, db, member):
    token, auth = service.start_session(db, account=member, kind="web")
    client.cookies.set("kindred_session", token)
    page = client.get("/me/sessions")
    response = client.post(
        f"/me/sessions/{auth.id}/end",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert service.authenticate(db, token=token, kind="web") is None


def test_ending_a_session_from_the_page_needs_the_forms_token(client, db, member):
    token, auth = service.start_session(db, account=member, kind="web")
    client.cookies.set("kindred_session", token)
    client.get("/me/sessions")
    refused = client.post(f"/me/sessions/{auth.id}/end", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert service.authenticate(db, token=token, kind="web") is not None
