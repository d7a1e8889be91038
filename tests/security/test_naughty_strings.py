"""Every line of the Big List of Naughty Strings through every text field of the API.

Never a 5xx. A text is either kept (Markdown bodies exactly as sent, short single-line fields
as the app documents it normalises them, both with personal details redacted exactly as
app.safety would redact the same text) or refused with a 422 problem+json naming the field,
and only for the documented reasons. Every accepted story's page renders. Runs on SQLite and
PostgreSQL (the usual `database_url` fixtures).
"""

from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.accounts import pseudonyms
from app.accounts import service as accounts
from app.accounts.models import Account
from app.circles.models import Circle
from app.safety.pii import redact
from app.stories.models import PostStatus
from app.stories.schemas import REPLY_BODY_MAX, STORY_BODY_MAX, TITLE_MAX, WARNING_MAX
from app.text import clean_line, has_text
from app.web import SESSION_COOKIE
from tests.factories import PASSWORD, assert_problem, bearer, make_story

CORPUS = Path(__file__).parent / "data" / "naughty_strings.txt"
# Split on "\n" only: several strings hold U+2028, U+0085 or other characters splitlines() splits.
STRINGS = [s for s in CORPUS.read_text(encoding="utf-8").split("\n") if s and not s.startswith("#")]


def test_the_corpus_copy_is_whole() -> None:
    assert len(STRINGS) == 516


def line_as_stored(text: str) -> str:
    return redact(clean_line(text))[0]


def body_as_stored(text: str) -> str:
    return redact(text)[0]


def line_is_valid(text: str, limit: int) -> bool:
    return len(text) <= limit and bool(clean_line(text)) and len(clean_line(text)) <= limit


def body_is_valid(text: str, limit: int) -> bool:
    return len(text) <= limit and has_text(text) and "\x00" not in text


def answer(response: Any, created: bool, field: str) -> Any:
    """The expected 201 (or 200), or a clean 422 naming the field; never anything else."""
    if created:
        assert response.status_code in (200, 201), response.text
        return response.json()
    assert_problem(response, 422, field=field)
    return None


def test_naughty_story_fields_are_kept_as_documented_or_refused_cleanly(
    client: TestClient, db: Session, member: Account, auth: dict[str, str], circle: Circle
) -> None:
    web_token, _ = accounts.start_session(db, account=member, kind="web")
    client.cookies.set(SESSION_COOKIE, web_token)
    safe = {"title": "A title", "body": "A body.", "content_warning": None}
    for text in STRINGS:
        valid = {
            "title": line_is_valid(text, TITLE_MAX),
            "body": body_is_valid(text, STORY_BODY_MAX),
            "content_warning": len(text) <= WARNING_MAX,
        }
        # All three fields at once when that can succeed; else each alone, beside safe ones.
        tries = [valid] if all(valid.values()) else [{f: v} for f, v in valid.items()]
        for fields in tries:
            sent = safe | dict.fromkeys(fields, text)
            response = client.post(
                "/api/v1/stories", json=sent | {"circle": circle.slug}, headers=auth
            )
            field = next(iter(fields))
            story = answer(response, all(fields.values()), field)
            if story is None:
                continue
            assert story["title"] == line_as_stored(sent["title"])
            assert story["body"] == body_as_stored(sent["body"])
            warning = sent["content_warning"]
            assert story["content_warning"] == (line_as_stored(warning) if warning else None) or (
                warning is not None and not clean_line(warning) and story["content_warning"] is None
            )
            if body_as_stored(text) == text:
                assert story["body"] == sent["body"]  # exactly as sent
            assert client.get(f"/api/v1/stories/{story['id']}", headers=auth).status_code == 200
            page = client.get(f"/stories/{story['id']}")
            assert page.status_code == 200, (text, page.status_code)


def test_naughty_replies_reports_and_appeals_are_kept_or_refused_cleanly(
    client: TestClient,
    db: Session,
    member: Account,
    other: Account,
    auth: dict[str, str],
    circle: Circle,
) -> None:
    other_auth = bearer(db, other)
    story = make_story(db, author=other, circle=circle)
    for text in STRINGS:
        reply = client.post(
            f"/api/v1/stories/{story.id}/replies", json={"body": text}, headers=auth
        )
        created = answer(reply, body_is_valid(text, REPLY_BODY_MAX), "body")
        if created is not None:
            assert created["body"] == body_as_stored(text)

        target = make_story(db, author=other, circle=circle, body="Something that happened.")
        report = {"post_id": target.id, "reason": "other", "details": text}
        response = client.post("/api/v1/reports", json=report, headers=auth)
        answer(response, len(text) <= 1000, "details")

        target.status = PostStatus.removed
        db.flush()
        response = client.post(
            f"/api/v1/posts/{target.id}/appeal", json={"text": text}, headers=other_auth
        )
        appeal = answer(response, has_text(text) and len(text) <= 2000, "text")
        if appeal is not None:
            assert appeal["text"] == text


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    # Hundreds of sign-ups: argon2 at its cheapest, the routes otherwise untouched.
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def test_naughty_pseudonyms_sign_up_or_are_refused_cleanly_and_can_sign_in(
    client: TestClient, quick_passwords: None
) -> None:
    for text in STRINGS:
        account = {"pseudonym": text, "password": PASSWORD}
        signed_up = client.post("/api/v1/accounts", json=account)
        assert signed_up.status_code in (201, 409, 422), (text, signed_up.text)
        if signed_up.status_code != 201:
            assert_problem(signed_up, signed_up.status_code)
        if signed_up.status_code == 201 and not text.strip():  # blank: a name is made up
            account["pseudonym"] = signed_up.json()["account"]["pseudonym"]
        signed_in = client.post("/api/v1/sessions", json=account)
        if signed_up.status_code == 201:
            assert signed_in.status_code == 201, (text, signed_in.text)
            name = signed_up.json()["account"]["pseudonym"]
            assert signed_in.json()["account"]["pseudonym"] == name
        elif signed_up.status_code == 409 and signed_in.status_code == 201:
            # Taken by a look-alike ("NULL" after "null"), made here with the same password.
            taken = signed_in.json()["account"]["pseudonym"]
            assert pseudonyms.key(taken) == pseudonyms.key(pseudonyms.clean(text))
        else:
            assert signed_in.status_code in (401, 422), (text, signed_in.text)
            assert_problem(signed_in, signed_in.status_code)


def test_naughty_search_and_screening_never_fail(
    client: TestClient, app: Any, auth: dict[str, str]
) -> None:
    # Search is optional in the contract's first version: tested wherever it exists.
    api_search = "/api/v1/search" in app.openapi()["paths"]
    page_search = client.get("/search", params={"q": "x"}).status_code != 404
    for text in STRINGS:
        screened = client.post("/api/v1/screen", json={"text": text}, headers=auth)
        assert screened.status_code == 200, (text, screened.text)
        assert screened.json()["redacted_text"] == body_as_stored(text)
        if api_search:
            found = client.get("/api/v1/search", params={"q": text})
            assert found.status_code in (200, 422), (text, found.text)
        if page_search:
            page = client.get("/search", params={"q": text})
            assert page.status_code in (200, 422), (text, page.status_code)
