import json
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.accounts import pseudonyms, service
from app.accounts.models import Account, AuthSession, RecoveryCode
from app.accounts.schemas import MSG_KEY_TOO_LONG
from app.web import CSRF_COOKIE, SESSION_COOKIE
from tests.factories import PASSWORD, make_account, make_reply, make_story

NEW_PASSWORD = "slow tide, steady lamp"
CODE = re.compile(r"<code>([0-9a-f]{5}(?:-[0-9a-f]{5}){3})</code>")
SUGGESTED = [
    "CalmRiver12",
    "GentleMeadow33",
    "SoftCedar45",
    "KindWillow18",
    "WarmLantern22",
    "StillPond90",
    "OpenSky11",
    "NewDawn64",
    "BrightFern07",
    "QuietHarbor01",
]


class _Form(HTMLParser):
    """The named inputs of a page, as a browser would send them (first value wins)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "input" and fields.get("name"):
            self.inputs.setdefault(str(fields["name"]), fields.get("value") or "")


def inputs_of(html: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(html)
    return parser.inputs


def csrf_of(html: str) -> str:
    token = inputs_of(html).get("csrf_token")
    assert token, "the page has no CSRF field"
    return token


def submit(client: Any, page: str, action: str, data: dict[str, str]) -> Any:
    """Open the form's page for its CSRF token, then send the form as a browser would."""
    token = csrf_of(client.get(page).text)
    return client.post(action, data=data | {"csrf_token": token}, follow_redirects=False)


def signed_in(client: Any, db: Session, account: Account) -> str:
    """A live page session in the client's cookie jar, without paying for argon2."""
    token, _auth = service.start_session(db, account=account, kind="web")
    db.commit()
    client.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    return token


def path_of(response: Any) -> str:
    location = urlsplit(response.headers["location"])
    return location.path + (f"?{location.query}" if location.query else "")


def set_cookie_header(response: Any, name: str) -> str:
    [header] = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    return header


def assert_html(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert not response.text.lstrip().startswith("{")


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert match, f"no error shown beside {field}"
    return match.group(1)


@pytest.fixture
def fixed_suggestions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(pseudonyms, "suggest", lambda count: SUGGESTED[:count])
    return SUGGESTED


# --- signing up -----------------------------------------------------------------------------


def test_the_signup_page_offers_free_names_and_a_form_protected_by_a_csrf_token(
    client, db, fixed_suggestions
):
    make_account(db, pseudonym="GentleMeadow33")
    db.commit()
    page = client.get("/signup")
    assert_html(page, 200)
    assert "<code>CalmRiver12</code>" in page.text
    assert "GentleMeadow33" not in page.text
    fields = inputs_of(page.text)
    assert {"pseudonym", "password", "password_again", "csrf_token"} <= fields.keys()
    assert len(fields["csrf_token"]) >= 32
    assert CSRF_COOKIE in client.cookies
    assert page.text.count("<script") == page.text.count('<script src="/static/kindred.js" defer>')


def test_signing_up_through_the_form_shows_eight_recovery_codes_exactly_once(client, db):
    response = submit(
        client,
        "/signup",
        "/signup",
        {"pseudonym": "Quiet Harbor", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 303, response.text
    assert path_of(response) == "/me/recovery-codes"
    assert "HttpOnly" in set_cookie_header(response, SESSION_COOKIE)
    account = db.scalar(select(Account).where(Account.pseudonym == "Quiet Harbor"))
    assert account is not None

    first = client.get("/me/recovery-codes")
    assert_html(first, 200)
    assert first.headers["cache-control"] == "no-store"
    codes = CODE.findall(first.text)
    assert len(codes) == 8 and len(set(codes)) == 8
    stored = set(
        db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.account_id == account.id))
    )
    assert {service.hash_token(code.replace("-", "")) for code in codes} == stored

    second = client.get("/me/recovery-codes")
    assert_html(second, 200)
    assert second.headers["cache-control"] == "no-store"
    assert CODE.findall(second.text) == []
    assert not any(code in second.text for code in codes)
    assert "can't be shown again" in second.text


def test_asking_for_new_recovery_codes_replaces_the_old_set(client, db):
    account = make_account(db)
    old = service.issue_recovery_codes(db, account=account)
    signed_in(client, db, account)
    response = submit(client, "/me/recovery-codes", "/me/recovery-codes", {})
    assert response.status_code == 303 and path_of(response) == "/me/recovery-codes"
    new = CODE.findall(client.get("/me/recovery-codes").text)
    assert len(new) == 8 and not set(new) & set(old)


def test_leaving_the_pseudonym_empty_on_the_form_chooses_one(client, db, fixed_suggestions):
    response = submit(
        client,
        "/signup",
        "/signup",
        {"pseudonym": "", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert response.status_code == 303
    assert db.scalar(select(Account).where(Account.pseudonym == "CalmRiver12")) is not None


def test_a_taken_name_on_the_signup_form_comes_back_with_the_name_kept_and_the_error_beside_it(
    client, db
):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = submit(
        client,
        "/signup",
        "/signup",
        {"pseudonym": "quiet harbor", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
    )
    assert_html(response, 422)
    assert inputs_of(response.text)["pseudonym"] == "quiet harbor"
    assert "taken" in field_error(response.text, "pseudonym")
    assert 'aria-invalid="true"' in response.text
    assert NEW_PASSWORD not in response.text
    assert db.scalar(select(func.count()).select_from(Account)) == 1


def test_different_passwords_on_the_signup_form_come_back_with_the_error_beside_the_field(
    client, db
):
    response = submit(
        client,
        "/signup",
        "/signup",
        {
            "pseudonym": "Quiet Harbor",
            "password": NEW_PASSWORD,
            "password_again": "slow tide steady",
        },
    )
    assert_html(response, 422)
    assert inputs_of(response.text)["pseudonym"] == "Quiet Harbor"
    assert "different" in field_error(response.text, "password_again")
    assert NEW_PASSWORD not in response.text and "slow tide steady" not in response.text
    assert db.scalar(select(func.count()).select_from(Account)) == 0


@pytest.mark.parametrize(
    ("pseudonym", "password", "field", "message"),
    [
        ("sam@example.com", NEW_PASSWORD, "pseudonym", pseudonyms.MSG_EMAIL),
        ("Sam 07700 900123", NEW_PASSWORD, "pseudonym", pseudonyms.MSG_PHONE),
        ("QuietHarbor", "short", "password", "at least 8 characters"),
        ("QuietHarbor", "Quiet Harbor", "password", "different from your pseudonym"),
        ("\ufdfa" * 9, NEW_PASSWORD, "pseudonym", MSG_KEY_TOO_LONG),
        ('<b onmouseover="x()">Sam</b>', NEW_PASSWORD, "pseudonym", pseudonyms.MSG_CHARACTERS),
    ],
    ids=["email", "phone", "short-password", "password-is-pseudonym", "key-too-long", "markup"],
)
def test_signup_form_mistakes_are_shown_beside_their_field(
    client, db, pseudonym, password, field, message
):
    response = submit(
        client,
        "/signup",
        "/signup",
        {"pseudonym": pseudonym, "password": password, "password_again": password},
    )
    assert_html(response, 422)
    assert message in field_error(response.text, field).replace("&#39;", "'")
    assert inputs_of(response.text)["pseudonym"] == pseudonym
    assert "<b onmouseover" not in response.text
    assert db.scalar(select(func.count()).select_from(Account)) == 0


# --- every accounts page ----------------------------------------------------------------------


class _Forms(HTMLParser):
    """Each <form>'s method and the names of its inputs; and whether any script is present."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fields = dict(attrs)
        if tag == "form":
            self.forms.append((str(fields.get("method", "get")).lower(), set()))
        elif tag in ("input", "textarea", "button") and fields.get("name") and self.forms:
            self.forms[-1][1].add(str(fields["name"]))
        elif tag == "script" and fields.get("src") == "/static/kindred.js" and "defer" in fields:
            pass  # the site's one script file, which only enhances; the page works without it
        elif tag == "script" or any(name.startswith("on") for name in fields):
            self.scripts += 1


@pytest.mark.parametrize(
    "page",
    [
        "/signup",
        "/signin",
        "/recover",
        "/goodbye",
        "/me",
        "/me/delete",
        "/me/recovery-codes",
    ],
)
def test_accounts_pages_need_no_javascript_and_every_form_carries_a_csrf_token(client, db, page):
    signed_in(client, db, make_account(db))
    response = client.get(page)
    assert_html(response, 200)
    parsed = _Forms()
    parsed.feed(response.text)
    assert parsed.scripts == 0
    assert parsed.forms, "every accounts page has at least the sign-out or a main form"
    for method, names in parsed.forms:
        assert method == "post" and "csrf_token" in names


# --- CSRF -----------------------------------------------------------------------------------


FORMS = [
    ("/signup", {"pseudonym": "Quiet Harbor", "password": PASSWORD, "password_again": PASSWORD}),
    ("/signin", {"pseudonym": "QuietHarbor", "password": PASSWORD}),
    ("/signout", {}),
    ("/recover", {"pseudonym": "QuietHarbor", "recovery_code": "x", "new_password": NEW_PASSWORD}),
    ("/me/delete", {"password": PASSWORD, "content": "erase"}),
    ("/me/recovery-codes", {}),
]


@pytest.mark.parametrize(("action", "data"), FORMS, ids=[action for action, _ in FORMS])
@pytest.mark.parametrize("token", [None, "", "0" * 64], ids=["missing", "empty", "wrong"])
def test_a_form_without_its_csrf_token_gets_a_friendly_403_page_and_changes_nothing(
    client, db, action, data, token
):
    account = make_account(db, pseudonym="QuietHarbor")
    session_token = signed_in(client, db, account)
    client.get("/signin")  # the visitor has a CSRF cookie; only the form's token is wrong
    assert CSRF_COOKIE in client.cookies
    sent = data if token is None else data | {"csrf_token": token}
    response = client.post(action, data=sent, follow_redirects=False)
    assert_html(response, 403)
    assert "This form has expired" in response.text
    assert "reload the page" in response.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Account)) == 1
    assert service.authenticate(db, token=session_token, kind="web") is not None


def test_a_csrf_token_from_another_visitor_is_refused(client, db):
    token = csrf_of(client.get("/signup").text)
    client.cookies.clear()
    client.get("/signin")  # a fresh visitor, with a CSRF cookie of their own
    response = client.post(
        "/signup",
        data={
            "pseudonym": "Quiet Harbor",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert_html(response, 403)


def test_a_form_sent_with_no_csrf_cookie_at_all_is_refused(client, db):
    token = csrf_of(client.get("/signup").text)
    client.cookies.clear()
    response = client.post(
        "/signup",
        data={
            "pseudonym": "Quiet Harbor",
            "password": PASSWORD,
            "password_again": PASSWORD,
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert_html(response, 403)


# --- signing in and out ---------------------------------------------------------------------


def test_signing_in_sets_an_http_only_same_site_session_cookie(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = submit(
        client, "/signin", "/signin", {"pseudonym": "QuietHarbor", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert path_of(response) == "/"
    cookie = set_cookie_header(response, SESSION_COOKIE)
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=Lax", cookie, re.I)
    assert "Path=/" in cookie
    me = client.get("/me")
    assert_html(me, 200)
    assert "QuietHarbor" in me.text
    token = client.cookies[SESSION_COOKIE]
    assert service.authenticate(db, token=token, kind="web") is not None
    assert db.scalar(select(AuthSession.kind).where(AuthSession.account_id == account.id)) == "web"


def test_a_wrong_password_on_the_signin_form_shows_the_message_and_keeps_the_name(client, db):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = submit(
        client, "/signin", "/signin", {"pseudonym": "QuietHarbor", "password": "not my password"}
    )
    assert_html(response, 422)
    assert "That pseudonym and password don&#39;t match" in response.text
    assert inputs_of(response.text)["pseudonym"] == "QuietHarbor"
    assert "not my password" not in response.text
    assert SESSION_COOKIE not in client.cookies


def test_an_empty_signin_form_asks_for_the_missing_fields(client):
    response = submit(client, "/signin", "/signin", {"pseudonym": "", "password": ""})
    assert_html(response, 422)
    field_error(response.text, "pseudonym")
    field_error(response.text, "password")


@pytest.mark.parametrize(
    ("target", "lands_on"),
    [
        ("/me", "/me"),
        ("/stories/new?circle=first-steps", "/stories/new?circle=first-steps"),
        ("//evil.example", "/"),
        ("//evil.example/me", "/"),
        ("https://evil.example", "/"),
        ("https://evil.example/me", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_signing_in_returns_only_to_a_same_site_next_page(client, db, target, lands_on):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    form = client.get("/signin", params={"next": target})
    assert inputs_of(form.text)["next"] == lands_on
    response = client.post(
        "/signin",
        data={
            "pseudonym": "QuietHarbor",
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == lands_on


def as_a_browser_reads(location: str) -> str:
    # WHATWG URL parsing drops tabs and newlines anywhere and reads "\\" as "/" in http URLs.
    cleaned = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    return urlsplit(urljoin("http://testserver/signin", cleaned)).netloc


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        " //evil.example",
        "/%2F/evil.example",
        "/%5Cevil.example",
        "/\\/evil.example",
        "\\\\evil.example",
        "/.//evil.example",
    ],
)
def test_a_next_page_with_hidden_characters_still_cannot_leave_the_site(client, db, target):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = submit(
        client,
        "/signin",
        "/signin",
        {"pseudonym": "QuietHarbor", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 303
    assert as_a_browser_reads(response.headers["location"]) == "testserver"


def test_signing_in_again_ends_the_session_the_browser_had_before(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    old = signed_in(client, db, account)
    response = submit(
        client, "/signin", "/signin", {"pseudonym": "QuietHarbor", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert client.cookies[SESSION_COOKIE] != old
    assert service.authenticate(db, token=old, kind="web") is None


def test_signing_out_ends_the_session_so_the_old_cookie_no_longer_works(client, db):
    account = make_account(db)
    old = signed_in(client, db, account)
    response = submit(client, "/me", "/signout", {})
    assert response.status_code == 303 and path_of(response) == "/"
    assert SESSION_COOKIE not in client.cookies
    client.cookies.set(SESSION_COOKIE, old, domain="testserver.local")
    again = client.get("/me", follow_redirects=False)
    assert again.status_code == 303
    assert path_of(again) == "/signin?next=%2Fme"


@pytest.mark.parametrize("page", ["/me", "/me/export", "/me/delete", "/me/recovery-codes"])
def test_member_pages_send_signed_out_visitors_to_sign_in_and_back(client, page):
    response = client.get(page, follow_redirects=False)
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/signin"
    assert parse_qs(location.query) == {"next": [page]}


def test_my_page_shows_my_pseudonym_and_my_posts(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    make_story(db, author=account, title="Week one at the house")
    make_story(db, title="Somebody else's week")
    signed_in(client, db, account)
    page = client.get("/me")
    assert_html(page, 200)
    assert "QuietHarbor" in page.text
    assert "Week one at the house" in page.text
    assert "Somebody else&#39;s week" not in page.text


# --- recovering -----------------------------------------------------------------------------


def test_recovering_through_the_form_sets_the_new_password_and_signs_in(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    codes = service.issue_recovery_codes(db, account=account)
    other_device, _auth = service.start_session(db, account=account, kind="web")
    db.commit()
    assert_html(client.get("/recover"), 200)
    response = submit(
        client,
        "/recover",
        "/recover",
        {
            "pseudonym": "QuietHarbor",
            "recovery_code": codes[0].upper(),
            "new_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 303, response.text
    assert path_of(response) == "/me"
    assert "QuietHarbor" in client.get("/me").text
    assert service.authenticate(db, token=other_device, kind="web") is None
    db.refresh(account)
    service.check_password(account, NEW_PASSWORD)


def test_a_wrong_recovery_code_on_the_form_shows_the_message(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    service.issue_recovery_codes(db, account=account)
    db.commit()
    response = submit(
        client,
        "/recover",
        "/recover",
        {
            "pseudonym": "QuietHarbor",
            "recovery_code": "00000-00000-00000-00000",
            "new_password": NEW_PASSWORD,
        },
    )
    assert_html(response, 422)
    assert "don&#39;t match an unused code" in field_error(response.text, "recovery_code")
    assert inputs_of(response.text)["pseudonym"] == "QuietHarbor"
    assert NEW_PASSWORD not in response.text
    assert SESSION_COOKIE not in client.cookies


# --- export and deletion --------------------------------------------------------------------


def test_the_export_page_downloads_my_data_as_json(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    make_story(db, author=account, body="Words I wrote.")
    signed_in(client, db, account)
    response = client.get("/me/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(
        r'attachment; filename="kindred-export-\d{4}-\d{2}-\d{2}\.json"', disposition
    )
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.text)
    assert data["account"]["pseudonym"] == "QuietHarbor"
    assert [p["body"] for p in data["posts"]] == ["Words I wrote."]
    assert account.password_hash not in response.text


def test_the_delete_form_with_a_wrong_password_comes_back_with_the_message(client, db):
    account = make_account(db)
    signed_in(client, db, account)
    response = submit(
        client, "/me/delete", "/me/delete", {"password": "not my password", "content": "anonymise"}
    )
    assert_html(response, 422)
    assert "isn&#39;t right" in field_error(response.text, "password")
    assert "not my password" not in response.text
    assert 'value="anonymise" checked' in response.text
    db.expire_all()
    assert db.get(Account, account.id) is not None
    assert client.get("/me").status_code == 200


def test_the_delete_form_needs_a_content_choice(client, db):
    account = make_account(db)
    signed_in(client, db, account)
    response = submit(client, "/me/delete", "/me/delete", {"password": PASSWORD, "content": "burn"})
    assert_html(response, 422)
    field_error(response.text, "content")
    db.expire_all()
    assert db.get(Account, account.id) is not None


@pytest.mark.parametrize("content", ["erase", "anonymise"])
def test_deleting_through_the_form_says_goodbye_and_the_account_is_gone(client, db, content):
    account = make_account(db, pseudonym="QuietHarbor")
    account_id = account.id
    story = make_story(db, author=account, title="Harbor lights", body="My own words.")
    make_reply(db, story=story, body="A kind reply from a friend.")
    token = signed_in(client, db, account)
    assert_html(client.get("/me/delete"), 200)
    response = submit(
        client, "/me/delete", "/me/delete", {"password": PASSWORD, "content": content}
    )
    assert response.status_code == 303, response.text
    assert path_of(response) == "/goodbye"
    assert SESSION_COOKIE not in client.cookies
    goodbye = client.get("/goodbye")
    assert_html(goodbye, 200)
    assert "Your account is deleted" in goodbye.text
    assert "QuietHarbor" not in goodbye.text
    db.expire_all()
    assert db.get(Account, account_id) is None
    assert service.authenticate(db, token=token, kind="web") is None
    client.cookies.set(SESSION_COOKIE, token, domain="testserver.local")
    assert client.get("/me", follow_redirects=False).status_code == 303
    thread = client.get(f"/stories/{story.id}")
    assert thread.status_code == 200
    assert "QuietHarbor" not in thread.text
    assert "A kind reply from a friend." in thread.text
    assert ("My own words." in thread.text) is (content == "anonymise")
