from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from app.accounts import pseudonyms, service
from app.accounts.models import Account, AuthSession, RecoveryCode, Role
from app.accounts.schemas import MSG_KEY_TOO_LONG
from app.config import get_settings
from app.db import utcnow
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories.models import Post
from tests.factories import PASSWORD, assert_problem, bearer, make_account, make_reply, make_story

API = "/api/v1"
NEW_PASSWORD = "slow tide, steady lamp"


# --- helpers --------------------------------------------------------------------------------


def token_row(db: Session, headers: dict[str, str]) -> AuthSession:
    token = headers["Authorization"].removeprefix("Bearer ")
    row = db.scalar(select(AuthSession).where(AuthSession.token_hash == service.hash_token(token)))
    assert row is not None
    return row


def account_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Account)) or 0


def delete_me(client: Any, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.request("DELETE", f"{API}/me", json=body, headers=headers)


def table_text(db: Session, table: str) -> str:
    rows = db.execute(text(f"SELECT * FROM {table}")).all()
    return "\n".join(repr(tuple(row)) for row in rows)


# --- pseudonym suggestions ------------------------------------------------------------------


def test_suggestions_are_valid_friendly_names_that_do_not_look_alike(client):
    response = client.get(f"{API}/pseudonyms/suggestions")
    assert response.status_code == 200
    items = response.json()["items"]
    assert 1 <= len(items) <= 5
    assert all(isinstance(name, str) and pseudonyms.validate(name) is None for name in items)
    assert len({pseudonyms.key(name) for name in items}) == len(items)


def test_suggestions_never_offer_a_taken_name_nor_a_look_alike_of_one(client, db, monkeypatch):
    make_account(db, pseudonym="QuietHarbor01")
    make_account(db, pseudonym="BrightFern07")
    db.commit()
    offered = [
        "QuietHarbor01",
        "CalmRiver12",
        "brightfern07",
        "GentleMeadow33",
        "SoftCedar45",
        "KindWillow18",
        "WarmLantern22",
        "StillPond90",
        "OpenSky11",
        "NewDawn64",
    ]
    monkeypatch.setattr(pseudonyms, "suggest", lambda count: offered[:count])
    items = client.get(f"{API}/pseudonyms/suggestions").json()["items"]
    assert items == [
        "CalmRiver12",
        "GentleMeadow33",
        "SoftCedar45",
        "KindWillow18",
        "WarmLantern22",
    ]


# --- signing up -----------------------------------------------------------------------------


def test_signing_up_with_a_pseudonym_returns_the_account_and_eight_recovery_codes(client, db):
    response = client.post(
        f"{API}/accounts", json={"pseudonym": "  Quiet   Harbor ", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    account = body["account"]
    assert {"id", "pseudonym", "role", "created_at"} <= account.keys()
    assert account["pseudonym"] == "Quiet Harbor"
    assert account["role"] == "member"
    assert datetime.fromisoformat(account["created_at"]) <= utcnow()
    codes = body["recovery_codes"]
    assert len(codes) == 8 and len(set(codes)) == 8
    assert all(isinstance(code, str) and len(code) >= 16 for code in codes)
    assert "password" not in response.text and PASSWORD not in response.text
    stored = db.get(Account, account["id"])
    assert stored is not None and stored.pseudonym == "Quiet Harbor"


@pytest.mark.parametrize(
    "body",
    [
        {"password": PASSWORD},
        {"pseudonym": None, "password": PASSWORD},
        {"pseudonym": "   ", "password": PASSWORD},
    ],
    ids=["absent", "null", "blank"],
)
def test_signing_up_without_a_pseudonym_gets_a_free_generated_one(client, db, body):
    taken = make_account(db)
    db.commit()
    response = client.post(f"{API}/accounts", json=body)
    assert response.status_code == 201, response.text
    name = response.json()["account"]["pseudonym"]
    assert pseudonyms.validate(name) is None
    assert pseudonyms.key(name) != pseudonyms.key(taken.pseudonym)
    assert len(response.json()["recovery_codes"]) == 8


def test_a_generated_pseudonym_keeps_looking_when_the_first_picks_are_taken(
    client, db, monkeypatch
):
    # On a busy forum a random batch can be wholly taken; the next batch must be tried.
    for name in ("CalmRiver12", "SoftCedar45"):
        make_account(db, pseudonym=name)
    db.commit()
    batches = iter([["CalmRiver12", "softcedar45"]] * 3 + [["KindWillow18"]])
    monkeypatch.setattr(pseudonyms, "suggest", lambda count: next(batches))
    response = client.post(f"{API}/accounts", json={"password": PASSWORD})
    assert response.status_code == 201, response.text
    assert response.json()["account"]["pseudonym"] == "KindWillow18"


def test_when_no_free_pseudonym_can_be_found_the_member_is_asked_to_choose_one(
    client, db, monkeypatch
):
    make_account(db, pseudonym="CalmRiver12")
    db.commit()
    monkeypatch.setattr(pseudonyms, "suggest", lambda count: ["CalmRiver12"])
    before = account_count(db)
    body = assert_problem(client.post(f"{API}/accounts", json={"password": PASSWORD}), 409)
    assert "choose" in body["detail"]
    assert account_count(db) == before


@pytest.mark.parametrize(
    "variant",
    [
        "QuietHarbor",
        "quietharbor",
        "QUIET HARBOR",
        "Quiet_Harbor",
        "quiet.harbor",
        "QuietHarb0r",
        "QuietHàrbor",
    ],
)
def test_a_taken_pseudonym_or_a_look_alike_of_it_is_refused_with_409(client, db, variant):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    before = account_count(db)
    response = client.post(f"{API}/accounts", json={"pseudonym": variant, "password": PASSWORD})
    body = assert_problem(response, 409)
    assert "taken" in body["detail"]
    assert account_count(db) == before


def test_a_name_written_wholly_in_cyrillic_look_alikes_of_a_taken_name_is_refused_with_409(
    client, db
):
    make_account(db, pseudonym="Cape")
    db.commit()
    cyrillic = "\u0421\u0430\u0440\u0435"  # Cyrillic Es, a, er, ie: reads as "Cape"
    response = client.post(f"{API}/accounts", json={"pseudonym": cyrillic, "password": PASSWORD})
    assert_problem(response, 409)


def test_a_single_cyrillic_look_alike_letter_in_a_taken_name_is_refused(client, db):
    # One Cyrillic "a" (U+0430) in a Latin name breaks the one-alphabet rule, checked first.
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = client.post(
        f"{API}/accounts", json={"pseudonym": "QuietH\u0430rbor", "password": PASSWORD}
    )
    body = assert_problem(response, 422, field="pseudonym")
    assert pseudonyms.MSG_MIXED in [e["message"] for e in body["errors"]]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"pseudonym": "sam@example.com", "password": PASSWORD}, "pseudonym", pseudonyms.MSG_EMAIL),
        (
            {"pseudonym": "Sam 07700 900123", "password": PASSWORD},
            "pseudonym",
            pseudonyms.MSG_PHONE,
        ),
        ({"pseudonym": "ab", "password": PASSWORD}, "pseudonym", pseudonyms.MSG_TOO_SHORT),
        ({"pseudonym": "Willow" * 6, "password": PASSWORD}, "pseudonym", pseudonyms.MSG_TOO_LONG),
        ({"pseudonym": "w" * 201, "password": PASSWORD}, "pseudonym", None),
        (
            {"pseudonym": "Site Moderator", "password": PASSWORD},
            "pseudonym",
            pseudonyms.MSG_RESERVED,
        ),
        ({"pseudonym": 42, "password": PASSWORD}, "pseudonym", None),
        ({"pseudonym": "QuietHarbor", "password": "short"}, "password", None),
        ({"pseudonym": "QuietHarbor", "password": "x" * 257}, "password", None),
        (
            {"pseudonym": "QuietHarbor", "password": "quiet harbor"},
            "password",
            "Please choose a password that is different from your pseudonym.",
        ),
        ({"pseudonym": "QuietHarbor"}, "password", None),
        ({"pseudonym": "QuietHarbor", "password": 123}, "password", None),
        ({"pseudonym": "QuietHarbor", "password": None}, "password", None),
        ({"password": ["a calm river at dawn"]}, "password", None),
    ],
    ids=[
        "email",
        "phone",
        "too-short-name",
        "too-long-name",
        "far-too-long-name",
        "staff-name",
        "name-not-text",
        "short-password",
        "too-long-password",
        "password-is-pseudonym",
        "missing-password",
        "password-number",
        "password-null",
        "password-list",
    ],
)
def test_sign_up_details_that_break_the_rules_are_refused_with_422(
    client, db, body, field, message
):
    before = account_count(db)
    response = client.post(f"{API}/accounts", json=body)
    problem = assert_problem(response, 422, field=field)
    if message is not None:
        assert message in [e["message"] for e in problem["errors"] if e["field"] == field]
    assert account_count(db) == before


def test_a_name_whose_look_alike_key_outgrows_its_column_is_refused_with_422(client, db):
    # Nine letters, but U+FDFA folds to an 18-letter phrase: the key would not fit its column.
    before = account_count(db)
    response = client.post(
        f"{API}/accounts", json={"pseudonym": "\ufdfa" * 9, "password": PASSWORD}
    )
    problem = assert_problem(response, 422, field="pseudonym")
    assert problem["errors"][0]["message"] == MSG_KEY_TOO_LONG
    assert account_count(db) == before


def test_a_sign_up_cannot_choose_its_own_role(client, db):
    response = client.post(
        f"{API}/accounts", json={"pseudonym": "QuietHarbor", "password": PASSWORD, "role": "admin"}
    )
    assert response.status_code == 201
    assert response.json()["account"]["role"] == "member"
    stored = db.get(Account, response.json()["account"]["id"])
    assert stored is not None and stored.role == Role.member


def test_a_sign_up_body_over_the_size_limit_is_a_413_problem(client):
    response = client.post(
        f"{API}/accounts",
        json={"pseudonym": "QuietHarbor", "password": "x" * (get_settings().max_body_bytes + 1)},
    )
    assert_problem(response, 413)


def test_a_body_that_is_not_json_is_a_400_problem(client):
    response = client.post(
        f"{API}/accounts", content=b"pseudonym=Sam", headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400)


# --- sessions -------------------------------------------------------------------------------


def test_signing_in_returns_a_token_its_expiry_and_the_account(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = client.post(
        f"{API}/sessions", json={"pseudonym": "QuietHarbor", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account"] == {
        "id": account.id,
        "pseudonym": "QuietHarbor",
        "role": "member",
        "created_at": body["account"]["created_at"],
    }
    lifetime = timedelta(days=get_settings().session_lifetime_days)
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert abs(expires_at - (utcnow() + lifetime)) < timedelta(minutes=1)
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json()["id"] == account.id


def test_signing_in_finds_the_account_whatever_the_capitals_and_spaces(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = client.post(
        f"{API}/sessions", json={"pseudonym": " quiet harbor", "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    assert response.json()["account"]["id"] == account.id


def test_signing_in_with_a_wrong_password_is_refused(client, db):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    response = client.post(
        f"{API}/sessions", json={"pseudonym": "QuietHarbor", "password": "not it at all"}
    )
    assert_problem(response, 401)
    assert "token" not in response.json()
    assert db.scalar(select(func.count()).select_from(AuthSession)) == 0


def test_an_unknown_pseudonym_gets_the_same_answer_as_a_wrong_password(client, db):
    make_account(db, pseudonym="QuietHarbor")
    db.commit()
    wrong_password = client.post(
        f"{API}/sessions", json={"pseudonym": "QuietHarbor", "password": "not it at all"}
    )
    unknown_name = client.post(
        f"{API}/sessions", json={"pseudonym": "NobodyHere", "password": "not it at all"}
    )
    assert_problem(unknown_name, 401)
    assert unknown_name.json() == wrong_password.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD}, "pseudonym"),
        ({"pseudonym": "QuietHarbor"}, "password"),
        ({"pseudonym": "", "password": PASSWORD}, "pseudonym"),
        ({"pseudonym": "QuietHarbor", "password": ""}, "password"),
        ({"pseudonym": "QuietHarbor", "password": 12345678}, "password"),
        ({"pseudonym": "q" * 201, "password": PASSWORD}, "pseudonym"),
    ],
)
def test_sign_in_requests_with_missing_or_malformed_fields_are_refused_with_422(
    client, body, field
):
    assert_problem(client.post(f"{API}/sessions", json=body), 422, field=field)


def test_signing_out_ends_the_session_behind_the_token(client, db):
    headers = bearer(db, make_account(db))
    response = client.delete(f"{API}/sessions/current", headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(f"{API}/me", headers=headers), 401)
    assert_problem(client.delete(f"{API}/sessions/current", headers=headers), 401)


def test_signing_out_leaves_the_members_other_sessions_alive(client, db):
    account = make_account(db)
    phone, laptop = bearer(db, account), bearer(db, account)
    assert client.delete(f"{API}/sessions/current", headers=phone).status_code == 204
    assert client.get(f"{API}/me", headers=laptop).status_code == 200


def test_signing_out_without_a_token_is_refused(client):
    assert_problem(client.delete(f"{API}/sessions/current"), 401)


# --- /me ------------------------------------------------------------------------------------


def test_me_describes_the_signed_in_account(client, db):
    account = make_account(db, pseudonym="QuietHarbor")
    response = client.get(f"{API}/me", headers=bearer(db, account))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == account.id
    assert body["pseudonym"] == "QuietHarbor"
    assert body["role"] == "member"
    assert datetime.fromisoformat(body["created_at"]) == account.created_at
    assert "password_hash" not in body


def _revoke(db: Session, row: AuthSession) -> None:
    db.execute(update(AuthSession).where(AuthSession.id == row.id).values(revoked_at=utcnow()))


def _expire(db: Session, row: AuthSession) -> None:
    db.execute(
        update(AuthSession)
        .where(AuthSession.id == row.id)
        .values(expires_at=utcnow() - timedelta(seconds=1))
    )


def _idle(db: Session, row: AuthSession) -> None:
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    db.execute(
        update(AuthSession)
        .where(AuthSession.id == row.id)
        .values(last_seen_at=utcnow() - idle - timedelta(minutes=1))
    )


@pytest.mark.parametrize("spoil", [_revoke, _expire, _idle], ids=["revoked", "expired", "idle"])
def test_me_refuses_a_token_whose_session_has_ended(client, db, spoil):
    headers = bearer(db, make_account(db))
    spoil(db, token_row(db, headers))
    db.commit()
    body = assert_problem(client.get(f"{API}/me", headers=headers), 401)
    assert "Sign in" in body["detail"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-a-real-token"},
        {"Authorization": "Bearer " + "x" * 500},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic UXVpZXRIYXJib3I6YSBjYWxtIHJpdmVy"},
    ],
    ids=["no-header", "garbage", "huge", "empty", "basic-auth"],
)
def test_me_refuses_callers_without_a_live_token(client, db, headers):
    make_account(db)
    response = client.get(f"{API}/me", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_page_session_cookie_token_is_not_accepted_as_a_bearer_token(client, db):
    token, _auth = service.start_session(db, account=make_account(db), kind="web")
    db.commit()
    assert_problem(client.get(f"{API}/me", headers={"Authorization": f"Bearer {token}"}), 401)


def test_a_session_used_within_the_idle_limit_stays_alive_and_is_refreshed(client, db):
    headers = bearer(db, make_account(db))
    row = token_row(db, headers)
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    almost = utcnow() - idle + timedelta(minutes=5)
    db.execute(update(AuthSession).where(AuthSession.id == row.id).values(last_seen_at=almost))
    db.commit()
    assert client.get(f"{API}/me", headers=headers).status_code == 200
    db.refresh(row)
    assert row.last_seen_at > utcnow() - timedelta(minutes=1)


# --- recovery -------------------------------------------------------------------------------


def _recovery_setup(db: Session) -> tuple[Account, list[str], dict[str, str]]:
    account = make_account(db, pseudonym="QuietHarbor")
    codes = service.issue_recovery_codes(db, account=account)
    return account, codes, bearer(db, account)


def test_a_recovery_code_sets_a_new_password_and_ends_every_old_session(client, db):
    account, codes, old_headers = _recovery_setup(db)
    response = client.post(
        f"{API}/accounts/recover",
        json={"pseudonym": "QuietHarbor", "recovery_code": codes[3], "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["account"]["id"] == account.id
    assert body["recovery_codes_left"] == 7
    assert_problem(client.get(f"{API}/me", headers=old_headers), 401)
    new = client.post(
        f"{API}/sessions", json={"pseudonym": "QuietHarbor", "password": NEW_PASSWORD}
    )
    assert new.status_code == 201
    old = client.post(f"{API}/sessions", json={"pseudonym": "QuietHarbor", "password": PASSWORD})
    assert_problem(old, 401)


def test_a_recovery_code_works_only_once(client, db):
    _account, codes, _headers = _recovery_setup(db)
    first = client.post(
        f"{API}/accounts/recover",
        json={"pseudonym": "QuietHarbor", "recovery_code": codes[0], "new_password": NEW_PASSWORD},
    )
    assert first.status_code == 200
    again = client.post(
        f"{API}/accounts/recover",
        json={
            "pseudonym": "QuietHarbor",
            "recovery_code": codes[0],
            "new_password": "another one entirely",
        },
    )
    assert_problem(again, 401)
    unused = db.scalar(select(func.count()).where(RecoveryCode.used_at.is_(None)))
    assert unused == 7


@pytest.mark.parametrize(
    "retype",
    [
        str.upper,
        lambda code: code.replace("-", ""),
        lambda code: code.replace("-", " "),
        lambda code: f"  {code.upper().replace('-', ' - ')}  ",
    ],
    ids=["capitals", "no-dashes", "spaces", "spaced-capitals"],
)
def test_a_recovery_code_is_accepted_however_it_is_typed(client, db, retype):
    _account, codes, _headers = _recovery_setup(db)
    response = client.post(
        f"{API}/accounts/recover",
        json={
            "pseudonym": "QuietHarbor",
            "recovery_code": retype(codes[1]),
            "new_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 200, response.text


def test_a_wrong_code_and_an_unknown_pseudonym_get_the_same_refusal(client, db):
    _account, codes, headers = _recovery_setup(db)
    wrong_code = client.post(
        f"{API}/accounts/recover",
        json={
            "pseudonym": "QuietHarbor",
            "recovery_code": "00000-00000-00000-00000",
            "new_password": NEW_PASSWORD,
        },
    )
    unknown = client.post(
        f"{API}/accounts/recover",
        json={"pseudonym": "NobodyHere", "recovery_code": codes[0], "new_password": NEW_PASSWORD},
    )
    assert_problem(wrong_code, 401)
    assert unknown.json() == wrong_code.json()
    assert client.get(f"{API}/me", headers=headers).status_code == 200


def test_another_members_recovery_code_does_not_recover_this_account(client, db):
    _account, _codes, _headers = _recovery_setup(db)
    other = make_account(db)
    other_codes = service.issue_recovery_codes(db, account=other)
    db.commit()
    response = client.post(
        f"{API}/accounts/recover",
        json={
            "pseudonym": "QuietHarbor",
            "recovery_code": other_codes[0],
            "new_password": NEW_PASSWORD,
        },
    )
    assert_problem(response, 401)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pseudonym": "QuietHarbor", "new_password": NEW_PASSWORD}, "recovery_code"),
        ({"recovery_code": "abc", "new_password": NEW_PASSWORD}, "pseudonym"),
        ({"pseudonym": "QuietHarbor", "recovery_code": "CODE"}, "new_password"),
        (
            {"pseudonym": "QuietHarbor", "recovery_code": "CODE", "new_password": "short"},
            "new_password",
        ),
        (
            {"pseudonym": "QuietHarbor", "recovery_code": "CODE", "new_password": "Quiet Harbor"},
            "new_password",
        ),
        (
            {"pseudonym": "QuietHarbor", "recovery_code": "c" * 101, "new_password": NEW_PASSWORD},
            "recovery_code",
        ),
    ],
)
def test_recovery_requests_that_break_the_rules_are_refused_and_use_up_no_code(
    client, db, body, field
):
    _account, codes, headers = _recovery_setup(db)
    body = {k: (codes[0] if v == "CODE" else v) for k, v in body.items()}
    assert_problem(client.post(f"{API}/accounts/recover", json=body), 422, field=field)
    assert db.scalar(select(func.count()).where(RecoveryCode.used_at.is_(None))) == 8
    assert client.get(f"{API}/me", headers=headers).status_code == 200


# --- export ---------------------------------------------------------------------------------


def test_the_export_holds_the_pseudonym_posts_with_their_revisions_and_reactions(client, db):
    member = make_account(db, pseudonym="QuietHarbor")
    other = make_account(db)
    story = make_story(db, author=member, title="Day one", body="The *first* version.")
    stories.edit_post(db, actor=member, post_id=story.id, changes={"body": "The second version."})
    others_story = make_story(db, author=other, body="Somebody else's words.")
    reply = make_reply(db, story=others_story, author=member, body="Me too, honestly.")
    make_reply(db, story=story, author=other, body="A reply by someone else.")
    reactions.react(db, member=member, post=others_story, kind=ReactionKind.me_too)
    headers = bearer(db, member)

    response = client.get(f"{API}/me/export", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["account"]["pseudonym"] == "QuietHarbor"
    assert data["account"]["id"] == member.id
    posts = {p["id"]: p for p in data["posts"]}
    assert set(posts) == {story.id, reply.id}
    assert posts[story.id]["title"] == "Day one"
    assert posts[story.id]["body"] == "The second version."
    assert [r["body"] for r in posts[story.id]["revisions"]] == ["The *first* version."]
    assert posts[reply.id]["body"] == "Me too, honestly."
    assert data["reactions"] == [
        {"post_id": others_story.id, "kind": "me_too", "at": data["reactions"][0]["at"]}
    ]
    assert "Somebody else's words." not in response.text
    assert "A reply by someone else." not in response.text


def test_the_export_holds_no_password_token_or_recovery_code_secrets(client, db):
    member = make_account(db)
    codes = service.issue_recovery_codes(db, account=member)
    token, _auth = service.start_session(db, account=member, kind="web")
    headers = bearer(db, member)
    raw = client.get(f"{API}/me/export", headers=headers).text

    secrets = [
        member.password_hash,
        "$argon2",
        PASSWORD,
        token,
        service.hash_token(token),
        headers["Authorization"].removeprefix("Bearer "),
    ]
    secrets += [row.token_hash for row in db.scalars(select(AuthSession))]
    secrets += [row.code_hash for row in db.scalars(select(RecoveryCode))]
    secrets += codes + [code.replace("-", "") for code in codes]
    assert [s for s in secrets if s in raw] == []
    assert len(db.scalars(select(RecoveryCode)).all()) == 8


def test_the_export_needs_a_signed_in_member(client):
    assert_problem(client.get(f"{API}/me/export"), 401)


# --- deleting an account --------------------------------------------------------------------


@pytest.mark.parametrize("content", ["erase", "anonymise"])
def test_deleting_the_account_answers_204_and_the_account_is_gone(client, db, content):
    member = make_account(db)
    member_id = member.id
    make_story(db, author=member)
    service.issue_recovery_codes(db, account=member)
    headers = bearer(db, member)
    response = delete_me(client, headers, {"password": PASSWORD, "content": content})
    assert response.status_code == 204
    assert response.content == b""
    db.expire_all()
    assert db.get(Account, member_id) is None
    assert db.scalar(select(func.count()).where(RecoveryCode.account_id == member_id)) == 0
    assert db.scalar(select(func.count()).where(AuthSession.account_id == member_id)) == 0
    assert_problem(client.get(f"{API}/me", headers=headers), 401)


def test_deleting_with_a_wrong_password_is_refused_and_nothing_is_deleted(client, db):
    member = make_account(db)
    story = make_story(db, author=member, body="Still mine.")
    headers = bearer(db, member)
    response = delete_me(client, headers, {"password": "not my password", "content": "erase"})
    assert_problem(response, 401)
    db.expire_all()
    assert db.get(Account, member.id) is not None
    kept = client.get(f"{API}/stories/{story.id}").json()
    assert kept["body"] == "Still mine." and kept["deleted"] is False
    assert client.get(f"{API}/me", headers=headers).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": PASSWORD, "content": "burn"}, "content"),
        ({"password": PASSWORD, "content": "anonymize"}, "content"),
        ({"password": PASSWORD}, "content"),
        ({"password": PASSWORD, "content": None}, "content"),
        ({"content": "erase"}, "password"),
        ({"password": "", "content": "erase"}, "password"),
    ],
)
def test_deleting_needs_a_password_and_a_valid_content_choice(client, db, body, field):
    member = make_account(db)
    headers = bearer(db, member)
    assert_problem(delete_me(client, headers, body), 422, field=field)
    db.expire_all()
    assert db.get(Account, member.id) is not None


def test_deleting_needs_a_signed_in_member(client):
    assert_problem(
        client.request("DELETE", f"{API}/me", json={"password": PASSWORD, "content": "erase"}), 401
    )


def test_erasing_leaves_a_placeholder_keeps_others_replies_and_forgets_the_pseudonym(client, db):
    member = make_account(db, pseudonym="QuietHarbor")
    other = make_account(db, pseudonym="BrightFern")
    story = make_story(
        db,
        author=member,
        title="QuietHarbor's first week",
        body="I am QuietHarbor and this is hard.",
        content_warning="QuietHarbor cw",
    )
    stories.edit_post(
        db, actor=member, post_id=story.id, changes={"body": "I am QuietHarbor, edited."}
    )
    others_reply = make_reply(db, story=story, author=other, body="Glad you wrote this.")
    own_reply = make_reply(
        db, story=story, author=member, parent=others_reply, body="Thanks, from QuietHarbor."
    )
    answer_to_own = make_reply(db, story=story, author=other, parent=own_reply, body="Any time.")
    others_story = make_story(db, author=other, body="Another story.")
    make_reply(db, story=others_story, author=member, body="QuietHarbor agrees.")
    reactions.react(db, member=member, post=others_story, kind=ReactionKind.support)
    reactions.react(db, member=other, post=story, kind=ReactionKind.support)
    headers = bearer(db, member)
    other_headers = bearer(db, other)

    assert delete_me(client, headers, {"password": PASSWORD, "content": "erase"}).status_code == 204

    for viewer in ({}, other_headers):
        response = client.get(f"{API}/stories/{story.id}", headers=viewer)
        assert response.status_code == 200
        thread = response.json()
        assert thread["deleted"] is True
        assert thread["body"] == "" and thread["body_html"] == ""
        assert thread["title"] is None and thread["author"] is None
        [reply] = thread["replies"]
        assert reply["id"] == others_reply.id and reply["body"] == "Glad you wrote this."
        assert reply["author"] == {"pseudonym": "BrightFern"}
        [placeholder] = reply["children"]
        assert placeholder["id"] == own_reply.id and placeholder["deleted"] is True
        assert placeholder["body"] == "" and placeholder["author"] is None
        assert [c["id"] for c in placeholder["children"]] == [answer_to_own.id]
        assert "QuietHarbor" not in response.text
        elsewhere = client.get(f"{API}/stories/{others_story.id}", headers=viewer)
        assert elsewhere.status_code == 200 and "QuietHarbor" not in elsewhere.text
        listing = client.get(f"{API}/stories", headers=viewer)
        assert listing.status_code == 200 and "QuietHarbor" not in listing.text
        assert story.id not in [item["id"] for item in listing.json()["items"]]
    db.expire_all()
    for table in ("post", "post_revision", "reaction", "auth_session", "recovery_code"):
        assert "quietharbor" not in table_text(db, table).lower(), table


def test_anonymising_keeps_the_words_but_not_the_name(client, db):
    member = make_account(db, pseudonym="QuietHarbor")
    story = make_story(db, author=member, title="Week three", body="Words worth keeping.")
    stories.edit_post(
        db, actor=member, post_id=story.id, changes={"body": "Words still worth keeping."}
    )
    reply = make_reply(db, story=story, body="Thank you for this.")
    headers = bearer(db, member)

    assert (
        delete_me(client, headers, {"password": PASSWORD, "content": "anonymise"}).status_code
        == 204
    )

    response = client.get(f"{API}/stories/{story.id}")
    assert response.status_code == 200
    thread = response.json()
    assert thread["body"] == "Words still worth keeping." and thread["title"] == "Week three"
    assert thread["author"] is None and thread["anonymous"] is True and thread["deleted"] is False
    assert [r["id"] for r in thread["replies"]] == [reply.id]
    assert "QuietHarbor" not in response.text
    db.expire_all()
    for table in ("post", "post_revision", "reaction", "auth_session"):
        assert "quietharbor" not in table_text(db, table).lower(), table
    kept = db.get(Post, story.id)
    assert kept is not None and kept.author_id is None and kept.body == "Words still worth keeping."


# --- contract -------------------------------------------------------------------------------


def test_the_openapi_document_describes_every_accounts_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        "/api/v1/pseudonyms/suggestions": {"get"},
        "/api/v1/accounts": {"post"},
        "/api/v1/sessions": {"post"},
        "/api/v1/sessions/current": {"delete"},
        "/api/v1/me": {"get", "delete"},
        "/api/v1/accounts/recover": {"post"},
        "/api/v1/me/export": {"get"},
    }
    for path, verbs in expected.items():
        assert verbs <= paths[path].keys(), path
