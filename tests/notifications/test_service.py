from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import personal_data
from app.accounts.models import Account
from app.errors import NotFound
from app.moderation import cases
from app.moderation import service as moderation
from app.moderation.models import Decision, ModerationCase, ReportReason
from app.notifications import service
from app.notifications.models import Notification, NotificationKind
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from app.stories.models import Post, PostStatus
from tests.factories import make_account, make_reply, make_story

SECRET = "Tidewater-lantern words nobody else should read in a notice"


def notices(db: Session, account: Account) -> list[service.Notice]:
    return service.list_notifications(db, member=account, limit=100)[0]


def kinds(db: Session, account: Account) -> list[NotificationKind]:
    return [n.notification.kind for n in notices(db, account)]


def decide(db: Session, moderator: Account, post: Post, action: Decision, **kw: Any) -> None:
    case = db.scalar(
        select(ModerationCase).where(
            ModerationCase.post_id == post.id, ModerationCase.status == "open"
        )
    )
    if case is None:
        case = cases.open_case(db, post=post, reasons=["report:other"])
    moderation.decide_case(
        db, moderator=moderator, case_id=case.id, action=action, reason=kw.get("reason", "Ok.")
    )


# --- replies ---------------------------------------------------------------------------------


def test_a_reply_to_a_story_tells_the_storys_author_who_replied_and_where(db, member, other):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=other)

    [notice] = notices(db, member)
    assert notice.notification.kind == NotificationKind.reply
    assert notice.text == f"{other.pseudonym} replied to your story."
    assert notice.url == f"/stories/{story.id}#reply-{reply.id}"
    assert not notice.is_read


def test_a_reply_to_a_reply_tells_that_replys_author_only(db, member, other):
    story = make_story(db, author=member)
    first = make_reply(db, story=story, author=other)
    third = make_account(db)
    answer = make_reply(db, story=story, parent=first, author=third)

    [notice] = notices(db, other)
    assert notice.text == f"{third.pseudonym} replied to your reply."
    assert notice.url == f"/stories/{story.id}#reply-{answer.id}"
    assert kinds(db, member) == [NotificationKind.reply]  # only for the first reply


def test_nobody_is_told_about_their_own_reply_or_reaction(db, member):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=member)
    make_reply(db, story=story, parent=reply, author=member)
    reactions.react(db, member=member, post=story, kind=ReactionKind.support)

    assert notices(db, member) == []


def test_an_anonymous_reply_does_not_name_the_replier(db, member, other):
    story = make_story(db, author=member)
    make_reply(db, story=story, author=other, anonymous=True)

    [notice] = notices(db, member)
    assert notice.text == "Someone replied to your story."
    assert other.pseudonym not in notice.text


def test_a_moderator_reading_their_notices_does_not_learn_an_anonymous_repliers_name(
    db, moderator, other
):
    story = make_story(db, author=moderator)
    make_reply(db, story=story, author=other, anonymous=True)

    assert [n.text for n in notices(db, moderator)] == ["Someone replied to your story."]


def test_a_held_reply_tells_nobody_until_a_moderator_approves_it(db, member, moderator, settings):
    story = make_story(db, author=member)
    settings.premoderate_first_posts = 1
    newcomer = make_account(db)
    reply = make_reply(db, story=story, author=newcomer, body=SECRET)
    assert reply.status == PostStatus.pending
    assert notices(db, member) == []

    decide(db, moderator, reply, Decision.approve)

    [notice] = notices(db, member)
    assert notice.text == f"{newcomer.pseudonym} replied to your story."
    assert [n.text for n in notices(db, newcomer)] == [
        "A moderator approved your reply. Others can see it now."
    ]


def test_a_held_reply_that_is_removed_never_tells_the_story_author(db, member, moderator, settings):
    story = make_story(db, author=member)
    settings.premoderate_first_posts = 1
    reply = make_reply(db, story=story, author=make_account(db))

    decide(db, moderator, reply, Decision.remove, reason="Off topic.")

    assert notices(db, member) == []


def test_a_reply_hidden_by_reports_and_approved_again_is_not_announced_twice(
    db, member, other, moderator, settings
):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=other)
    settings.report_hide_threshold = 1
    moderation.file_report(
        db, reporter=make_account(db), post_id=reply.id, reason=ReportReason.spam, details=None
    )
    assert reply.status == PostStatus.pending

    decide(db, moderator, reply, Decision.approve)

    assert kinds(db, member) == [NotificationKind.reply]


# --- reactions -------------------------------------------------------------------------------


def test_reactions_to_one_post_fold_into_one_unread_notice(db, member):
    story = make_story(db, author=member)
    for reactor in (make_account(db), make_account(db)):
        for kind in (ReactionKind.support, ReactionKind.me_too):
            reactions.react(db, member=reactor, post=story, kind=kind)

    [notice] = notices(db, member)
    assert notice.text == "Someone reacted to your story."
    assert notice.url == f"/stories/{story.id}"


def test_a_reaction_after_the_notice_was_read_is_a_new_notice(db, member, other):
    story = make_story(db, author=member)
    reactions.react(db, member=other, post=story, kind=ReactionKind.support)
    service.mark_read(db, member=member, ids=None)

    reactions.react(db, member=other, post=story, kind=ReactionKind.helpful)

    assert [n.is_read for n in notices(db, member)] == [False, True]


def test_a_reaction_never_names_who_reacted(db, member, other):
    reply = make_reply(db, story=make_story(db), author=member)
    reactions.react(db, member=other, post=reply, kind=ReactionKind.thank_you)

    [notice] = notices(db, member)
    assert notice.text == "Someone reacted to your reply."
    assert other.pseudonym not in notice.text


# --- moderators' decisions -------------------------------------------------------------------


def test_a_removal_tells_the_author_with_the_moderators_reason(db, member, moderator):
    story = make_story(db, author=member, body=SECRET)

    decide(db, moderator, story, Decision.remove, reason="Please keep names out.")

    [notice] = notices(db, member)
    assert notice.text == "A moderator removed your story. Their reason: Please keep names out."
    assert notice.url == f"/stories/{story.id}"  # the author can still read it, and appeal


def test_approving_a_published_post_after_a_report_tells_its_author_nothing(db, member, moderator):
    story = make_story(db, author=member)

    decide(db, moderator, story, Decision.approve)

    assert notices(db, member) == []


def test_escalating_tells_nobody(db, member, other, moderator):
    story = make_story(db, author=member)
    moderation.file_report(
        db, reporter=other, post_id=story.id, reason=ReportReason.spam, details=None
    )

    decide(db, moderator, story, Decision.escalate)

    assert notices(db, member) == [] and notices(db, other) == []


@pytest.mark.parametrize(
    ("second", "text"),
    [
        (Decision.remove, "A moderator considered your appeal. The removal of your reply stands."),
        (Decision.approve, "Your appeal was accepted: your reply is shown again."),
    ],
)
def test_an_appeal_decision_tells_the_author(db, member, moderator, second, text):
    story_author = make_account(db)
    reply = make_reply(db, story=make_story(db, author=story_author), author=member)
    decide(db, moderator, reply, Decision.remove, reason="Spam.")
    moderation.appeal_removal(db, author=member, post_id=reply.id, text="Please look again.")

    decide(db, make_account(db, role=moderator.role), reply, second)

    assert notices(db, member)[0].text == text  # newest first, after "removed"
    # The story's author was told of the reply when it was written, and not again.
    assert kinds(db, story_author) == [NotificationKind.reply]


def test_a_moderator_deciding_on_their_own_post_is_not_told(db, moderator):
    story = make_story(db, author=moderator)

    decide(db, moderator, story, Decision.remove)

    assert notices(db, moderator) == []


# --- reports ---------------------------------------------------------------------------------


@pytest.mark.parametrize("action", [Decision.remove, Decision.approve])
def test_reporters_learn_their_report_was_reviewed_but_not_the_decision(
    db, member, other, moderator, action
):
    story = make_story(db, author=member)
    reporters = [other, make_account(db)]
    for reporter in reporters:
        moderation.file_report(
            db, reporter=reporter, post_id=story.id, reason=ReportReason.spam, details=None
        )

    decide(db, moderator, story, action)

    for reporter in reporters:
        [notice] = notices(db, reporter)
        assert notice.notification.kind == NotificationKind.report_reviewed
        assert notice.text == (
            "A moderator reviewed a post you reported. Thank you for looking out for others."
        )
    # The author learns nothing of who reported, nor that anyone did when it stays up.
    for notice in notices(db, member):
        assert all(r.pseudonym not in notice.text for r in reporters)
        assert "report" not in notice.text


# --- nothing hidden leaks --------------------------------------------------------------------


def test_no_notice_carries_a_word_of_any_post(db, member, other, moderator):
    story = make_story(db, author=member, title=SECRET, body=SECRET)
    reply = make_reply(db, story=story, author=other, body=SECRET)
    make_reply(db, story=story, parent=reply, author=member, body=SECRET)
    reactions.react(db, member=other, post=story, kind=ReactionKind.support)
    decide(db, moderator, story, Decision.remove)

    for account in (member, other):
        for notice in notices(db, account):
            assert "Tidewater" not in notice.text


@pytest.mark.parametrize("how", ["removed", "deleted"])
def test_a_notice_about_a_reply_that_is_gone_shows_no_longer_available(
    db, member, other, moderator, how
):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story, author=other)
    if how == "removed":
        decide(db, moderator, reply, Decision.remove)
    else:
        stories.delete_post(db, actor=other, post_id=reply.id)

    [notice] = notices(db, member)
    assert notice.text == service.GONE
    assert notice.url is None


def test_a_reviewed_report_about_a_removed_post_keeps_its_words_but_loses_its_link(
    db, member, other, moderator
):
    story = make_story(db, author=member)
    moderation.file_report(
        db, reporter=other, post_id=story.id, reason=ReportReason.spam, details=None
    )
    decide(db, moderator, story, Decision.remove)

    [notice] = notices(db, other)
    assert notice.text.startswith("A moderator reviewed a post you reported.")
    assert notice.url is None


def test_a_replier_who_leaves_and_keeps_their_words_is_no_longer_named(db, member, other):
    story = make_story(db, author=member)
    make_reply(db, story=story, author=other)

    personal_data.delete_account(db, account=other, content="anonymise")

    assert [n.text for n in notices(db, member)] == ["Someone replied to your story."]


def test_deleting_an_account_deletes_its_notifications(db, member, other):
    make_reply(db, story=make_story(db, author=member), author=other)
    member_id = member.id

    personal_data.delete_account(db, account=member, content="erase")

    left = db.scalars(select(Notification).where(Notification.account_id == member_id)).all()
    assert left == []


# --- reading and marking ---------------------------------------------------------------------


def test_notices_come_newest_first_a_page_at_a_time(db, member):
    story = make_story(db, author=member)
    replies = [make_reply(db, story=story) for _ in range(5)]

    first, cursor = service.list_notifications(db, member=member, limit=2)
    second, cursor2 = service.list_notifications(db, member=member, limit=2, cursor=cursor)
    third, end = service.list_notifications(db, member=member, limit=2, cursor=cursor2)

    urls = [n.url for n in first + second + third]
    assert urls == [f"/stories/{story.id}#reply-{r.id}" for r in reversed(replies)]
    assert end is None


def test_marking_one_read_leaves_the_others_unread(db, member):
    story = make_story(db, author=member)
    make_reply(db, story=story)
    make_reply(db, story=story)
    newest, older = notices(db, member)

    unread = service.mark_read(db, member=member, ids=[older.notification.id])

    assert unread == 1 == service.unread_count(db, member=member)
    assert [n.is_read for n in notices(db, member)] == [False, True]
    assert newest.notification.read_at is None


def test_marking_all_read_and_the_unread_count(db, member):
    story = make_story(db, author=member)
    for _ in range(3):
        make_reply(db, story=story)
    assert service.unread_count(db, member=member) == 3

    assert service.mark_read(db, member=member, ids=None) == 0
    assert all(n.is_read for n in notices(db, member))


def test_another_members_notices_can_be_neither_marked_nor_opened(db, member, other):
    make_reply(db, story=make_story(db, author=other))
    [theirs] = notices(db, other)

    assert service.mark_read(db, member=member, ids=[theirs.notification.id]) == 0
    service.mark_read(db, member=member, ids=None)
    with pytest.raises(NotFound):
        service.open_notification(db, member=member, notification_id=theirs.notification.id)

    db.expire_all()
    assert service.unread_count(db, member=other) == 1


def test_opening_a_notice_marks_it_read(db, member):
    story = make_story(db, author=member)
    reply = make_reply(db, story=story)
    [notice] = notices(db, member)

    opened = service.open_notification(db, member=member, notification_id=notice.notification.id)

    assert opened.is_read and opened.url == f"/stories/{story.id}#reply-{reply.id}"
    assert service.unread_count(db, member=member) == 0


def test_listing_a_page_is_one_query(db, member, queries):
    story = make_story(db, author=member)
    for _ in range(5):
        make_reply(db, story=story, anonymous=False)
    db.expire_all()
    db.refresh(member)
    queries.statements.clear()

    notices(db, member)

    assert queries.count == 1, queries.statements
