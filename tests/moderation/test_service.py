"""Moderation's verbs and the case bookkeeping every write path shares, below the API."""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy import delete as sa_delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts import personal_data
from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.db import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.moderation import cases
from app.moderation import service as moderation
from app.moderation.models import (
    Appeal,
    AuditEntry,
    CaseReason,
    CaseStatus,
    Decision,
    ModerationCase,
    Report,
    ReportReason,
    Sanction,
)
from app.stories import service as stories
from app.stories.models import Post, PostStatus
from tests.factories import make_account, make_circle, make_reply, make_story


@pytest.fixture
def author(db: Session) -> Account:
    return make_account(db)


@pytest.fixture
def story(db: Session, author: Account, circle: Circle) -> Post:
    return make_story(db, author=author, circle=circle, body="Words to keep.")


@pytest.fixture
def other_moderator(db: Session) -> Account:
    return make_account(db, role=Role.admin)


def reasons_of(db: Session, case: ModerationCase) -> set[str]:
    return set(db.scalars(select(CaseReason.reason).where(CaseReason.case_id == case.id)))


def file(db: Session, post: Post, reason: ReportReason = ReportReason.spam) -> Report:
    return moderation.file_report(
        db, reporter=make_account(db), post_id=post.id, reason=reason, details=None
    )


def removed(db: Session, post: Post, moderator: Account) -> ModerationCase:
    case = cases.open_case(db, post=post, reasons=["report:harassment"])
    moderation.decide_case(
        db, moderator=moderator, case_id=case.id, action=Decision.remove, reason="Unkind."
    )
    return case


def audit(db: Session) -> list[AuditEntry]:
    return list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# --- opening cases --------------------------------------------------------------------------


def test_new_reasons_fold_into_the_open_case_and_the_priority_only_rises(
    db: Session, story: Post
) -> None:
    first = cases.open_case(db, post=story, reasons=["first_post"])
    second = cases.open_case(db, post=story, reasons=["crisis", "first_post"])
    third = cases.open_case(db, post=story, reasons=["report:spam"])

    assert first.id == second.id == third.id
    assert reasons_of(db, first) == {"first_post", "crisis", "report:spam"}
    assert first.priority == cases.PRIORITY["crisis"]


def test_a_closed_case_is_not_reopened_a_new_one_starts(
    db: Session, story: Post, moderator: Account
) -> None:
    old = cases.open_case(db, post=story, reasons=["stigma"])
    moderation.decide_case(
        db, moderator=moderator, case_id=old.id, action=Decision.approve, reason="Fine"
    )

    new = cases.open_case(db, post=story, reasons=["report:spam"])

    assert new.id != old.id
    assert (old.status, new.status) == (CaseStatus.closed, CaseStatus.open)
    assert reasons_of(db, new) == {"report:spam"}


def test_the_database_refuses_a_second_open_case_for_one_post(db: Session, story: Post) -> None:
    cases.open_case(db, post=story, reasons=["stigma"])

    with pytest.raises(IntegrityError), db.begin_nested():
        db.execute(insert(ModerationCase).values(post_id=story.id, status="open", priority=0))


@pytest.mark.parametrize(
    ("reason", "higher_than"),
    [
        ("crisis", "report:harassment"),
        ("report:crisis", "escalated"),
        ("escalated", "report:harassment"),
        ("report:personal_info", "stigma"),
        ("stigma", "report:spam"),
        ("report:other", "appeal"),
        ("appeal", "first_post"),
    ],
)
def test_priorities_put_crisis_first_and_routine_checks_last(reason: str, higher_than: str) -> None:
    assert cases.PRIORITY[reason] > cases.PRIORITY[higher_than]


def test_every_report_reason_has_a_priority() -> None:
    assert {f"report:{r.value}" for r in ReportReason} <= set(cases.PRIORITY)


# --- why a new text is held -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("crisis", "stigma", "crisis_held", "reasons", "held"),
    [
        (False, False, True, [], False),
        (True, False, True, ["crisis"], True),
        (True, False, False, ["crisis"], False),
        (False, True, True, ["stigma"], True),
        (False, True, False, ["stigma"], True),
        (True, True, False, ["crisis", "stigma"], True),
    ],
)
def test_hold_reasons_follow_screening_and_the_crisis_setting(
    db: Session,
    story: Post,
    author: Account,
    settings: Any,
    crisis: bool,
    stigma: bool,
    crisis_held: bool,
    reasons: list[str],
    held: bool,
) -> None:
    settings.crisis_posts_held = crisis_held

    found = cases.hold_reasons(db, author=author, crisis=crisis, stigma=stigma, first_posts=True)

    assert found == (reasons, held)


@pytest.mark.parametrize(
    ("limit", "posts_so_far", "held"),
    [(1, 1, True), (1, 2, False), (2, 2, True), (2, 3, False), (0, 1, False)],
)
def test_first_posts_are_held_up_to_the_setting(
    db: Session, circle: Circle, settings: Any, limit: int, posts_so_far: int, held: bool
) -> None:
    member = make_account(db)
    for _ in range(posts_so_far):
        make_story(db, author=member, circle=circle)
    settings.premoderate_first_posts = limit

    reasons, is_held = cases.hold_reasons(
        db, author=member, crisis=False, stigma=False, first_posts=True
    )

    assert (reasons == ["first_post"], is_held) == (held, held)


@pytest.mark.parametrize("role", [Role.moderator, Role.admin])
def test_staff_first_posts_are_never_held(
    db: Session, circle: Circle, settings: Any, role: Role
) -> None:
    settings.premoderate_first_posts = 5
    staff = make_account(db, role=role)
    make_story(db, author=staff, circle=circle)

    assert cases.hold_reasons(db, author=staff, crisis=False, stigma=False, first_posts=True) == (
        [],
        False,
    )


def test_an_edit_is_not_a_first_post(
    db: Session, story: Post, author: Account, settings: Any
) -> None:
    settings.premoderate_first_posts = 5

    assert cases.hold_reasons(db, author=author, crisis=False, stigma=False, first_posts=False) == (
        [],
        False,
    )


# --- who may act ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "staff"), [(Role.member, False), (Role.moderator, True), (Role.admin, True)]
)
def test_only_moderators_and_admins_are_staff(db: Session, role: Role, staff: bool) -> None:
    account = make_account(db, role=role)

    assert cases.is_staff(account) is staff
    if staff:
        assert cases.require_staff(account) is account
    else:
        with pytest.raises(Forbidden):
            cases.require_staff(account)


def test_nobody_signed_in_is_not_staff() -> None:
    assert cases.is_staff(None) is False


@pytest.mark.parametrize(
    ("offset", "blocked"),
    [(None, False), (timedelta(hours=1), True), (timedelta(seconds=-1), False)],
)
def test_only_a_running_suspension_blocks_writing(
    db: Session, offset: timedelta | None, blocked: bool
) -> None:
    member = make_account(db)
    member.suspended_until = None if offset is None else utcnow() + offset

    if blocked:
        with pytest.raises(cases.Suspended) as raised:
            cases.require_active(member)
        assert raised.value.status == 403
        assert "suspended" in raised.value.message
    else:
        assert cases.require_active(member) is member


# --- the audit log --------------------------------------------------------------------------


def test_an_automatic_action_is_recorded_as_the_system(db: Session, story: Post) -> None:
    entry = cases.record(db, moderator=None, action="hide", post=story, reason="Reported")

    assert (entry.moderator_name, entry.moderator_id) == ("system", None)
    assert entry.target == f"post:{story.id}"
    assert entry.account_id == story.author_id


def test_an_action_on_an_account_names_the_account(
    db: Session, moderator: Account, author: Account
) -> None:
    entry = cases.record(db, moderator=moderator, action="warn", account_id=author.id, reason="x")

    assert entry.target == f"account:{author.id}"
    assert entry.moderator_name == moderator.pseudonym


def test_the_log_can_be_read_for_one_account(
    db: Session, moderator: Account, author: Account
) -> None:
    other = make_account(db)
    moderation.warn_member(db, moderator=moderator, account_id=author.id, reason="One")
    moderation.warn_member(db, moderator=moderator, account_id=other.id, reason="Two")

    entries, next_cursor = moderation.list_log(db, limit=10, cursor=None, account_id=author.id)

    assert [e.reason for e in entries] == ["One"]
    assert next_cursor is None


def test_the_moderators_name_survives_their_account(db: Session, moderator: Account) -> None:
    member = make_account(db)
    moderation.warn_member(db, moderator=moderator, account_id=member.id, reason="Be kind")
    name = moderator.pseudonym

    db.delete(moderator)
    db.flush()

    [entry] = audit(db)
    db.refresh(entry)
    assert (entry.moderator_id, entry.moderator_name) == (None, name)


def test_no_moderation_verb_updates_or_deletes_an_audit_row(
    db: Session,
    story: Post,
    author: Account,
    moderator: Account,
    other_moderator: Account,
    settings: Any,
) -> None:
    settings.report_hide_threshold = 1
    changed: list[str] = []

    def watch(session: Session, _context: Any, _instances: Any) -> None:
        changed.extend(
            f"{kind}:{o.id}"
            for kind, objects in (("update", session.dirty), ("delete", session.deleted))
            for o in objects
            if isinstance(o, AuditEntry)
        )

    event.listen(db, "before_flush", watch)
    try:
        report = file(db, story)
        moderation.claim_case(db, moderator=moderator, case_id=report.case_id)
        moderation.decide_case(
            db, moderator=moderator, case_id=report.case_id, action=Decision.remove, reason="x"
        )
        appeal = moderation.appeal_removal(db, author=author, post_id=story.id, text="Please")
        moderation.decide_case(
            db,
            moderator=other_moderator,
            case_id=appeal.case_id,
            action=Decision.escalate,
            reason="y",
        )
        moderation.decide_case(
            db,
            moderator=other_moderator,
            case_id=appeal.case_id,
            action=Decision.approve,
            reason="z",
        )
        member = make_account(db)
        moderation.warn_member(db, moderator=moderator, account_id=member.id, reason="w")
        moderation.suspend_member(
            db,
            moderator=moderator,
            account_id=member.id,
            until=utcnow() + timedelta(days=1),
            reason="s",
        )
        moderation.lift_suspension(db, moderator=moderator, account_id=member.id)
        db.flush()
    finally:
        event.remove(db, "before_flush", watch)

    assert changed == []
    assert [e.action for e in audit(db)] == [
        "hide",
        "claim",
        "remove",
        "escalate",
        "approve",
        "warn",
        "suspend",
        "lift_suspension",
    ]


# --- reports --------------------------------------------------------------------------------


def test_reports_count_distinct_reporters_and_hide_at_the_threshold(
    db: Session, story: Post, settings: Any
) -> None:
    settings.report_hide_threshold = 3

    file(db, story)
    file(db, story, ReportReason.harassment)
    assert story.status == PostStatus.published
    third = file(db, story)

    assert story.status == PostStatus.pending
    assert len(db.scalars(select(Report).where(Report.case_id == third.case_id)).all()) == 3
    [hide] = [e for e in audit(db) if e.action == "hide"]
    assert hide.moderator_name == "system" and "3" in hide.reason


def test_a_report_still_counts_after_its_reporter_deleted_their_account(
    db: Session, story: Post, settings: Any
) -> None:
    settings.report_hide_threshold = 2
    leaving = make_account(db)
    moderation.file_report(
        db, reporter=leaving, post_id=story.id, reason=ReportReason.harassment, details=None
    )
    personal_data.delete_account(db, account=leaving, content="anonymise")

    file(db, story)

    assert story.status == PostStatus.pending
    assert [e.action for e in audit(db)] == ["hide"]


def test_a_post_already_held_is_not_hidden_twice(db: Session, story: Post, settings: Any) -> None:
    settings.report_hide_threshold = 1
    story.status = PostStatus.pending
    cases.open_case(db, post=story, reasons=["first_post"])
    db.flush()
    moderator = make_account(db, role=Role.moderator)

    moderation.file_report(
        db, reporter=moderator, post_id=story.id, reason=ReportReason.other, details="hm"
    )

    assert [e.action for e in audit(db)] == []


@pytest.mark.parametrize(
    ("setup", "error"),
    [("own", Conflict), ("twice", Conflict), ("removed", Conflict), ("missing", NotFound)],
)
def test_reports_that_make_no_sense_are_refused(
    db: Session, story: Post, author: Account, setup: str, error: type[Exception]
) -> None:
    reporter = make_account(db)
    post_id = story.id
    if setup == "own":
        reporter = author
    elif setup == "twice":
        moderation.file_report(
            db, reporter=reporter, post_id=story.id, reason=ReportReason.spam, details=None
        )
    elif setup == "removed":
        story.status = PostStatus.removed
    else:
        post_id = 987_654_321

    with pytest.raises(error):
        moderation.file_report(
            db, reporter=reporter, post_id=post_id, reason=ReportReason.spam, details=None
        )


def test_a_suspended_member_cannot_report(db: Session, story: Post) -> None:
    reporter = make_account(db)
    reporter.suspended_until = utcnow() + timedelta(days=1)

    with pytest.raises(cases.Suspended):
        moderation.file_report(
            db, reporter=reporter, post_id=story.id, reason=ReportReason.spam, details=None
        )


# --- claims ---------------------------------------------------------------------------------


def test_a_claim_lapses_after_the_configured_minutes(
    db: Session,
    story: Post,
    moderator: Account,
    other_moderator: Account,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.claim_minutes = 1
    case = cases.open_case(db, post=story, reasons=["stigma"])
    moderation.claim_case(db, moderator=moderator, case_id=case.id)
    with pytest.raises(Conflict):
        moderation.claim_case(db, moderator=other_moderator, case_id=case.id)

    later = utcnow() + timedelta(minutes=1, seconds=1)
    monkeypatch.setattr(moderation, "utcnow", lambda: later)
    moderation.claim_case(db, moderator=other_moderator, case_id=case.id)

    assert case.claimed_by_id == other_moderator.id
    assert case.claimed_until == later + timedelta(minutes=1)


def test_a_live_claim_blocks_other_moderators_decisions_until_it_lapses(
    db: Session,
    story: Post,
    moderator: Account,
    other_moderator: Account,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.claim_minutes = 2
    case = cases.open_case(db, post=story, reasons=["stigma"])
    moderation.claim_case(db, moderator=moderator, case_id=case.id)

    with pytest.raises(Conflict):
        moderation.decide_case(
            db, moderator=other_moderator, case_id=case.id, action=Decision.approve, reason="x"
        )
    monkeypatch.setattr(moderation, "utcnow", lambda: utcnow() + timedelta(minutes=3))
    moderation.decide_case(
        db, moderator=other_moderator, case_id=case.id, action=Decision.approve, reason="x"
    )

    assert case.status == CaseStatus.closed
    assert case.decided_by_id == other_moderator.id


def test_a_decision_ends_the_claim(db: Session, story: Post, moderator: Account) -> None:
    case = cases.open_case(db, post=story, reasons=["stigma"])
    moderation.claim_case(db, moderator=moderator, case_id=case.id)

    moderation.decide_case(
        db, moderator=moderator, case_id=case.id, action=Decision.approve, reason="ok"
    )

    assert moderation.get_entry(db, case_id=case.id).claimed_by is None


# --- decisions ------------------------------------------------------------------------------


def test_removing_hides_the_post_but_keeps_its_words(
    db: Session, story: Post, author: Account, moderator: Account
) -> None:
    case = removed(db, story, moderator)

    assert story.status == PostStatus.removed
    assert story.removal_reason == "Unkind."
    assert story.removed_at is not None
    assert story.body == "Words to keep." and story.title == "A story"
    assert (case.status, case.decision, case.decided_by_id) == (
        CaseStatus.closed,
        Decision.remove,
        moderator.id,
    )
    assert stories.can_see(story, make_account(db)) is False
    assert stories.can_see(story, author) is True


def test_removing_a_reply_keeps_its_answers_in_place(
    db: Session, story: Post, moderator: Account
) -> None:
    reply = make_reply(db, story=story, body="Harsh words.")
    answer = make_reply(db, story=story, parent=reply, body="That was unkind.")

    removed(db, reply, moderator)

    thread = stories.get_thread(db, story_id=story.id, viewer=make_account(db))
    [placeholder] = thread.replies
    assert (placeholder.post.id, placeholder.visible) == (reply.id, False)
    assert [c.post.id for c in placeholder.children] == [answer.id]


# --- appeals --------------------------------------------------------------------------------


def test_an_appeal_remembers_who_removed_the_post(
    db: Session, story: Post, author: Account, moderator: Account
) -> None:
    removed(db, story, moderator)

    appeal = moderation.appeal_removal(db, author=author, post_id=story.id, text="Please")

    assert appeal.removed_by_id == moderator.id
    case = db.get_one(ModerationCase, appeal.case_id)
    assert reasons_of(db, case) == {"appeal"}
    assert case.priority == cases.PRIORITY["appeal"]


def test_the_remover_may_escalate_but_not_decide_or_claim_the_appeal(
    db: Session, story: Post, author: Account, moderator: Account
) -> None:
    removed(db, story, moderator)
    appeal = moderation.appeal_removal(db, author=author, post_id=story.id, text="Please")

    for action in (Decision.approve, Decision.remove):
        with pytest.raises(Forbidden):
            moderation.decide_case(
                db, moderator=moderator, case_id=appeal.case_id, action=action, reason="x"
            )
    with pytest.raises(Forbidden):
        moderation.claim_case(db, moderator=moderator, case_id=appeal.case_id)
    moderation.decide_case(
        db, moderator=moderator, case_id=appeal.case_id, action=Decision.escalate, reason="x"
    )

    assert db.get_one(ModerationCase, appeal.case_id).is_escalated is True
    assert story.status == PostStatus.removed


@pytest.mark.parametrize(
    ("action", "status", "outcome", "removal_reason"),
    [
        (Decision.approve, PostStatus.published, "overturned", None),
        (Decision.remove, PostStatus.removed, "upheld", "Still unkind."),
    ],
)
def test_another_moderator_decides_the_appeal(
    db: Session,
    story: Post,
    author: Account,
    moderator: Account,
    other_moderator: Account,
    action: Decision,
    status: PostStatus,
    outcome: str,
    removal_reason: str | None,
) -> None:
    removed(db, story, moderator)
    appeal = moderation.appeal_removal(db, author=author, post_id=story.id, text="Please")

    moderation.decide_case(
        db, moderator=other_moderator, case_id=appeal.case_id, action=action, reason="Still unkind."
    )

    assert (story.status, story.removal_reason) == (status, removal_reason)
    assert (appeal.outcome, appeal.decided_at is not None) == (outcome, True)
    assert moderation.appeals_of(db, author=author) == {story.id: appeal}


def test_an_appeal_against_a_deleted_post_is_refused(
    db: Session, story: Post, author: Account
) -> None:
    stories.erase_post(db, post=story)

    with pytest.raises(Conflict):
        moderation.appeal_removal(db, author=author, post_id=story.id, text="Please")
    assert db.scalar(select(Appeal.id)) is None


# --- the queue ------------------------------------------------------------------------------


def test_queue_pages_with_equal_priorities_keep_their_age_order(
    db: Session, circle: Circle
) -> None:
    made = [
        cases.open_case(db, post=make_story(db, circle=circle), reasons=["stigma"]).id
        for _ in range(5)
    ]

    seen: list[int] = []
    cursor = None
    while True:
        entries, cursor = moderation.list_queue(db, status=CaseStatus.open, limit=2, cursor=cursor)
        seen += [e.case.id for e in entries]
        if cursor is None:
            break

    assert seen == made


def test_a_queue_page_costs_a_fixed_number_of_queries(
    db: Session, circle: Circle, queries: Any
) -> None:
    def page_cost(n: int) -> int:
        for _ in range(n):
            story = make_story(db, circle=circle)
            cases.open_case(db, post=story, reasons=["stigma"])
            file(db, story)
        db.expire_all()
        before = queries.count
        moderation.list_queue(db, status=CaseStatus.open, limit=100, cursor=None)
        return queries.count - before

    assert page_cost(2) == page_cost(6)


# --- sanctions ------------------------------------------------------------------------------


def test_a_suspension_is_kept_as_history_when_lifted(db: Session, moderator: Account) -> None:
    member = make_account(db)
    until = utcnow() + timedelta(days=1)
    suspension = moderation.suspend_member(
        db, moderator=moderator, account_id=member.id, until=until, reason="Cool off"
    )
    assert member.suspended_until == until

    moderation.lift_suspension(db, moderator=moderator, account_id=member.id)
    db.refresh(suspension)

    assert member.suspended_until is None
    assert suspension.lifted_at is not None
    assert [s.kind for s in moderation.sanctions_of(db, account_id=member.id)] == ["suspension"]


@pytest.mark.parametrize(
    "until",
    [timedelta(seconds=-1), timedelta(0), timedelta(days=5 * 365 + 1)],
    ids=["past", "now", "too-long"],
)
def test_a_suspension_must_end_in_the_future_within_five_years(
    db: Session, moderator: Account, until: timedelta
) -> None:
    member = make_account(db)

    with pytest.raises(Invalid):
        moderation.suspend_member(
            db, moderator=moderator, account_id=member.id, until=utcnow() + until, reason="x"
        )
    assert db.scalar(select(Sanction.id)) is None


def test_an_ended_suspension_cannot_be_lifted(db: Session, moderator: Account) -> None:
    member = make_account(db)
    member.suspended_until = utcnow() - timedelta(minutes=1)

    with pytest.raises(NotFound):
        moderation.lift_suspension(db, moderator=moderator, account_id=member.id)


@pytest.mark.parametrize("target", [Role.moderator, Role.admin, "self"])
def test_staff_are_not_warned_or_suspended_here(
    db: Session, moderator: Account, target: Role | str
) -> None:
    account = moderator if target == "self" else make_account(db, role=Role(target))

    with pytest.raises(Forbidden):
        moderation.warn_member(db, moderator=moderator, account_id=account.id, reason="x")
    with pytest.raises(Forbidden):
        moderation.suspend_member(
            db,
            moderator=moderator,
            account_id=account.id,
            until=utcnow() + timedelta(days=1),
            reason="x",
        )


def test_a_members_history_gathers_sanctions_log_and_posts(
    db: Session, story: Post, author: Account, moderator: Account
) -> None:
    moderation.warn_member(db, moderator=moderator, account_id=author.id, reason="Be kind")
    removed(db, story, moderator)

    history = moderation.member_history(db, account_id=author.id)

    assert history.account is author
    assert [s.kind for s in history.sanctions] == ["warning"]
    assert [e.action for e in history.log] == ["remove", "warn"]
    assert [p.id for p in history.posts] == [story.id]


# --- two requests at once (PostgreSQL: real concurrent transactions) -------------------------

Verb = Callable[[Session], object]


@dataclass
class Committed:
    """Rows committed for real, so two connections can race on them; removed afterwards."""

    case_id: int
    post_id: int
    author_id: int
    moderators: tuple[int, int]
    members: tuple[int, int]


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    with Session(engine) as setup:
        first = make_account(setup, role=Role.moderator)
        second = make_account(setup, role=Role.moderator)
        author, one, two = make_account(setup), make_account(setup), make_account(setup)
        story = make_story(setup, author=author, circle=make_circle(setup))
        case = cases.open_case(setup, post=story, reasons=["stigma"])
        made = Committed(case.id, story.id, author.id, (first.id, second.id), (one.id, two.id))
        circle_id = story.circle_id
        setup.commit()
    try:
        yield made
    finally:
        with engine.begin() as conn:
            conn.execute(sa_delete(AuditEntry).where(AuditEntry.post_id == made.post_id))
            conn.execute(sa_delete(Post).where(Post.id == made.post_id))
            conn.execute(sa_delete(Circle).where(Circle.id == circle_id))
            conn.execute(
                sa_delete(Account).where(
                    Account.id.in_([*made.moderators, *made.members, made.author_id])
                )
            )


def race(engine: Engine, first: Verb, second: Verb) -> list[str]:
    """`first` flushes and holds its transaction open while `second` runs, then both commit."""
    outcomes: list[str] = []

    def run(verb: Verb, flushed: threading.Event | None) -> None:
        with Session(engine) as session:
            session.execute(text("SET lock_timeout = '5s'"))
            try:
                verb(session)
                session.flush()
            except Conflict:
                outcomes.append("conflict")
                return
            finally:
                if flushed is not None:
                    flushed.set()
            if flushed is not None:
                time.sleep(0.5)  # the other request arrives meanwhile
            session.commit()
            outcomes.append("done")

    flushed = threading.Event()
    thread = threading.Thread(target=run, args=(first, flushed))
    thread.start()
    assert flushed.wait(5)
    run(second, None)
    thread.join(10)
    return sorted(outcomes)


def test_two_moderators_deciding_at_once_cannot_both_succeed(
    engine: Engine, committed: Committed
) -> None:
    def decide(moderator_id: int, action: Decision) -> Verb:
        return lambda session: moderation.decide_case(
            session,
            moderator=session.get_one(Account, moderator_id),
            case_id=committed.case_id,
            action=action,
            reason=action.value,
        )

    first, second = committed.moderators
    outcomes = race(engine, decide(first, Decision.approve), decide(second, Decision.remove))

    assert outcomes == ["conflict", "done"]
    with Session(engine) as check:
        assert check.get_one(ModerationCase, committed.case_id).decision == Decision.approve
        assert check.get_one(Post, committed.post_id).status == PostStatus.published


def test_a_claim_made_while_another_moderator_decides_waits_and_is_refused(
    engine: Engine, committed: Committed
) -> None:
    first, second = committed.moderators
    outcomes = race(
        engine,
        lambda session: moderation.claim_case(
            session, moderator=session.get_one(Account, first), case_id=committed.case_id
        ),
        lambda session: moderation.decide_case(
            session,
            moderator=session.get_one(Account, second),
            case_id=committed.case_id,
            action=Decision.remove,
            reason="x",
        ),
    )

    assert outcomes == ["conflict", "done"]


def test_an_appeal_sent_twice_at_once_is_filed_once(engine: Engine, committed: Committed) -> None:
    with Session(engine) as setup:
        moderation.decide_case(
            setup,
            moderator=setup.get_one(Account, committed.moderators[0]),
            case_id=committed.case_id,
            action=Decision.remove,
            reason="Unkind.",
        )
        setup.commit()

    def appeal(session: Session) -> None:
        author = session.get_one(Account, committed.author_id)
        moderation.appeal_removal(session, author=author, post_id=committed.post_id, text="Hm")

    assert race(engine, appeal, appeal) == ["conflict", "done"]
    with Session(engine) as check:
        assert (
            len(check.scalars(select(Appeal).where(Appeal.post_id == committed.post_id)).all()) == 1
        )


def test_reports_sent_at_once_still_reach_the_hide_threshold(
    engine: Engine, committed: Committed, settings: Any
) -> None:
    settings.report_hide_threshold = 2

    def report(member_id: int) -> Verb:
        return lambda session: moderation.file_report(
            session,
            reporter=session.get_one(Account, member_id),
            post_id=committed.post_id,
            reason=ReportReason.harassment,
            details=None,
        )

    one, two = committed.members
    assert race(engine, report(one), report(two)) == ["done", "done"]

    with Session(engine) as check:
        assert check.get_one(Post, committed.post_id).status == PostStatus.pending
