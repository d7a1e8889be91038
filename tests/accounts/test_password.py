"""Changing a password ends every session, through the API and the page."""

from app.accounts import service
from tests.factories import PASSWORD, assert_problem, bearer, post_form, sign_in_page

NEW_PASSWORD = "a calmer sea at dawn"


def test_changing_the_password_ends_every_session_and_hands_back_a_fresh_token(client, db, member):
    other_device, _ = service.start_session(db, account=member, kind="web")
    auth = bearer(db, member)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    response = client.put("/api/v1/me/password", json=body, headers=auth)
    assert response.status_code == 200, response.text
    fresh = {"Authorization": f"Bearer {response.json()['token']}"}
    assert response.json()["account"]["pseudonym"] == member.pseudonym
    assert client.get("/api/v1/me", headers=auth).status_code == 401
    assert service.authenticate(db, token=other_device, kind="web") is None
    assert client.get("/api/v1/me", headers=fresh).status_code == 200
    signed_in = client.post(
        "/api/v1/sessions", json={"pseudonym": member.pseudonym, "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 201


def test_a_wrong_current_password_changes_nothing(client, db, member, auth):
    body = {"current_password": "not my password", "new_password": NEW_PASSWORD}
    assert_problem(client.put("/api/v1/me/password", json=body, headers=auth), 401)
    assert client.get("/api/v1/me", headers=auth).status_code == 200
    service.check_password(member, PASSWORD)


def test_a_too_short_new_password_is_a_clear_422(client, auth):
    body = {"current_password": PASSWORD, "new_password": "short"}
    assert_problem(
        client.put("/api/v1/me/password", json=body, headers=auth), 422, field="new_password"
    )


def test_changing_the_password_needs_a_signed_in_member(client):
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert_problem(client.put("/api/v1/me/password", json=body), 401)


def test_the_password_page_changes_it_keeps_this_browser_signed_in_and_says_so(client, db, member):
    other_device, _ = service.start_session(db, account=member, kind="api")
    sign_in_page(client, member)
    form = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    }
    response = post_form(client, "/me/password", "/me/password", form)
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "Every other device has been signed out" in page.text
    assert service.authenticate(db, token=other_device, kind="api") is None
    service.check_password(member, NEW_PASSWORD)


def test_the_password_page_explains_each_mistake(client, db, member):
    sign_in_page(client, member)
    form = {
        "current_password": "not my password",
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    }
    wrong = post_form(client, "/me/password", "/me/password", form)
    assert wrong.status_code == 422 and "That isn&#39;t your current password." in wrong.text
    form |= {"current_password": PASSWORD, "new_password_again": "something else"}
    differ = post_form(client, "/me/password", "/me/password", form)
    assert differ.status_code == 422 and "The two passwords are different" in differ.text
    service.check_password(member, PASSWORD)


def test_the_password_page_needs_signing_in(client):
    response = client.get("/me/password", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/signin")
