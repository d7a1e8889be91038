"""Export gives a member everything held about them; deletion leaves nothing that names them."""

from typing import Any

import pytest
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.accounts import service
from app.accounts.models import Account
from app.db import Base
from app.moderation import service as moderation
from app.moderation.models import Decision, ReportReason
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from tests.factories import PASSWORD, make_account, make_reply, make_story

STORY = "Lanternmoss story about the long walk home"
EDITED = "Lanternmoss story, told again more gently"
REPLY = "Lanternmoss reply: the breathing exercise helped"
REPORT = "Lanternmoss report details about that reply"
APPEAL = "Lanternmoss appeal: I was quoting someone"


@pytest.fixture
def life(db: Session, circle: Any, moderator: Account) -> dict[str, Any]:
    """A member who has done one of everything, and been moderated once."""
    leaving = make_account(db, pseudonym="Quillfeather")
    other = make_account(db)
    story = make_story(db, author=leaving, circle=circle, title="Lanternmoss title", body=STORY)
    stories.edit_post(db, actor=leaving, post_id=story.id, changes={"body": EDITED})
    reply = make_reply(db, story=story, author=leaving, body=REPLY)
    others_story = make_story(db, author=other, circle=circle)
    removed = make_reply(db, story=others_story, author=leaving, body="Lanternmoss removed reply")
    make_reply(db, story=story, author=other, body="A reply from someone else")
    reactions.react(db, member=leaving, post=others_story, kind=ReactionKind.helpful)
    moderation.file_report(
        db, reporter=leaving, post_id=others_story.id, reason=ReportReason.other, details=REPORT
    )
    case = moderation.open_case(db, post=removed, reasons=["report:other"])
    moderation.decide_case(
        db, moderator=moderator, case_id=case.id, action=Decision.remove, reason="Off topic"
    )
    moderation.appeal_removal(db, author=leaving, post_id=removed.id, text=APPEAL)
    moderation.warn_member(db, moderator=moderator, account_id=leaving.id, reason="Be kind")
    service.issue_recovery_codes(db, account=leaving)
    service.start_session(db, account=leaving, kind="api")
    service.start_session(db, account=leaving, kind="web")
    db.flush()
    return {"account": leaving, "id": leaving.id, "story": story, "reply": reply}


def signed_in(db: Session, account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {service.start_session(db, account=account, kind='api')[0]}"}


def everything_stored(db: Session) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for table in Base.metadata.sorted_tables:
        for row in db.execute(select(table)).mappings():
            rows.append((table.name, dict(row)))
    return rows


def account_columns(table: Table) -> list[str]:
    return [
        c.name
        for c in table.columns
        if any(fk.column.table.name == "account" for fk in c.foreign_keys)
    ]


def test_export_holds_everything_the_member_wrote_and_everything_about_them(client, db, life):
    headers = signed_in(db, life["account"])
    exported = client.get("/api/v1/me/export", headers=headers)
    assert exported.status_code == 200
    data = exported.json()
    text = exported.text
    for words in (STORY, EDITED, REPLY, REPORT, APPEAL, "Lanternmoss title", "Be kind"):
        assert words in text, words
    assert data["account"]["pseudonym"] == "Quillfeather"
    assert [r["kind"] for r in data["reactions"]] == ["helpful"]
    assert len(data["sessions"]) == 3 and data["recovery_codes"]["unused"] == 8
    assert [m["kind"] for m in data["moderation"]] == ["warning"]
    # Every row that points at the account is accounted for in the export.
    for table in Base.metadata.sorted_tables:
        for column in account_columns(table):
            owned = db.execute(select(table).where(table.c[column] == life["id"])).all()
            if owned and table.name not in {"audit_entry"}:
                assert table.name in EXPORTED_AS, (table.name, column)
                assert len(data[EXPORTED_AS[table.name]]) >= 1


EXPORTED_AS = {
    "post": "posts",
    "reaction": "reactions",
    "report": "reports",
    "auth_session": "sessions",
    "recovery_code": "recovery_codes",
    "sanction": "moderation",
    "notification": "notifications",
}


@pytest.mark.parametrize("content", ["erase", "anonymise"])
def test_deleting_leaves_no_row_that_names_or_points_to_the_member(client, db, life, content):
    headers = signed_in(db, life["account"])
    response = client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD, "content": content}, headers=headers
    )
    assert response.status_code == 204
    db.expire_all()
    assert db.get(Account, life["id"]) is None
    gone = ["Quillfeather".lower()]
    if content == "erase":
        gone += [STORY.lower(), EDITED.lower(), REPLY.lower(), REPORT.lower(), APPEAL.lower()]
    for table_name, row in everything_stored(db):
        values = " ".join(str(v) for v in row.values() if v is not None).lower()
        for words in gone:
            assert words not in values, (table_name, row)
    for table in Base.metadata.sorted_tables:
        for column in account_columns(table):
            left = db.execute(select(table).where(table.c[column] == life["id"])).all()
            assert not left, (table.name, column)
    # Others' replies stay; the member's own posts read as deleted or as nobody's.
    story = stories.get_post(db, post_id=life["story"].id, viewer=None)
    assert story.author_id is None
    if content == "anonymise":
        assert story.body == EDITED and story.is_anonymous
    else:
        assert story.body == "" and story.deleted_at is not None


def test_deleted_members_old_token_and_sign_in_no_longer_work(client, db, life):
    token, _ = service.start_session(db, account=life["account"], kind="api")
    headers = {"Authorization": f"Bearer {token}"}
    client.request(
        "DELETE", "/api/v1/me", json={"password": PASSWORD, "content": "erase"}, headers=headers
    )
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    again = client.post(
        "/api/v1/sessions", json={"pseudonym": "Quillfeather", "password": PASSWORD}
    )
    assert again.status_code == 401


def test_the_audit_log_keeps_what_moderators_did_but_not_who_it_was_done_to(
    client, db, life, moderator
):
    token, _ = service.start_session(db, account=life["account"], kind="api")
    client.request(
        "DELETE",
        "/api/v1/me",
        json={"password": PASSWORD, "content": "erase"},
        headers={"Authorization": f"Bearer {token}"},
    )
    entries, _next = moderation.list_log(db, limit=50, cursor=None)
    done = {(e.action, e.moderator_name, e.reason) for e in entries}
    assert ("remove", moderator.pseudonym, "Off topic") in done
    assert ("warn", moderator.pseudonym, "Be kind") in done
    assert all(e.account_id != life["id"] for e in entries)
