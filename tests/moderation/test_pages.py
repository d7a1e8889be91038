"""Moderation as people meet it in HTML: the queue, one item, decisions, appeals, sanctions."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.db import utcnow
from app.moderation import cases
from app.moderation import service as moderation
from app.moderation.models import (
    Appeal,
    AuditEntry,
    CaseStatus,
    Decision,
    ModerationCase,
    Report,
    ReportReason,
    Sanction,
)
from app.stories.models import Post, PostStatus
from tests.factories import (
    csrf_from,
    make_account,
    make_circle,
    make_reply,
    make_story,
    post_form,
    sign_in_page,
)

ONLY_MODERATORS = "Only moderators can do this."


def text_of(markup: str) -> str:
    """What a person reads: tags dropped, entities decoded, whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    markup = re.sub(r"</?(?:a|mark|strong|em|span|time|code)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def field_value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found, f"no input named {name}"
    return html.unescape(found.group(1))


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea named {name}"
    return html.unescape(found.group(1))


def queue_ids(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/moderation/cases/(\d+)">', page)]


def a_moderator(db, name: str | None = None) -> Account:
    return make_account(db, role=Role.moderator, pseudonym=name)


def open_case(db, post: Post, *reasons: str) -> ModerationCase:
    return cases.open_case(db, post=post, reasons=reasons or ["report:other"])


def report(db, post: Post, reason=ReportReason.harassment, details: str | None = None) -> Report:
    return moderation.file_report(
        db, reporter=make_account(db), post_id=post.id, reason=reason, details=details
    )


def decide(client, case_id: int, **data: str):
    page = f"/moderation/cases/{case_id}"
    return post_form(client, page, f"{page}/decision", data)


def claim(client, case_id: int):
    page = f"/moderation/cases/{case_id}"
    return post_form(client, page, f"{page}/claim", {})


def sanction(client, account: Account, **data: str):
    page = f"/moderation/members/{account.id}"
    return post_form(client, page, f"{page}/sanctions", data)


def assert_friendly_page(response, status: int, message: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert message in text_of(response.text)


# --- who may see moderation ------------------------------------------------------------------


@pytest.fixture
def a_case(db) -> ModerationCase:
    return open_case(db, make_story(db))


def moderator_pages(case: ModerationCase, account: Account) -> list[str]:
    return [
        "/moderation",
        "/moderation?status=closed",
        f"/moderation/cases/{case.id}",
        "/moderation/log",
        f"/moderation/members/{account.id}",
    ]


def moderator_forms(case: ModerationCase, account: Account) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/moderation/cases/{case.id}/claim", {}),
        (f"/moderation/cases/{case.id}/decision", {"action": "remove", "reason": "no"}),
        (f"/moderation/members/{account.id}/sanctions", {"kind": "warning", "reason": "no"}),
        (f"/moderation/members/{account.id}/sanctions", {"kind": "suspend", "reason": "x"}),
        (f"/moderation/members/{account.id}/sanctions", {"kind": "lift"}),
    ]


def test_members_are_turned_away_from_every_moderation_page(client, db, a_case):
    member, other = make_account(db), make_account(db)
    sign_in_page(client, member)
    for path in moderator_pages(a_case, other):
        assert_friendly_page(client.get(path), 403, ONLY_MODERATORS)
    assert 'href="/moderation"' not in client.get("/").text


def test_members_cannot_send_any_moderation_form(client, db, a_case):
    member, other = make_account(db), make_account(db)
    sign_in_page(client, member)
    token = csrf_from(client.get("/").text)
    for action, data in moderator_forms(a_case, other):
        response = client.post(action, data=data | {"csrf_token": token})
        assert_friendly_page(response, 403, ONLY_MODERATORS)
    assert db.get(ModerationCase, a_case.id).status == CaseStatus.open
    assert db.get(ModerationCase, a_case.id).claimed_by_id is None
    assert not db.scalars(select(Sanction).where(Sanction.account_id == other.id)).all()


def test_signed_out_visitors_are_sent_to_sign_in(client, db, a_case):
    other = make_account(db)
    for path in moderator_pages(a_case, other):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/signin?next=%2Fmoderation"), path
    token = csrf_from(client.get("/signin").text)
    for action, data in moderator_forms(a_case, other):
        response = client.post(action, data=data | {"csrf_token": token}, follow_redirects=False)
        assert response.status_code == 303, action
        assert response.headers["location"].startswith("/signin?next="), action


def test_moderators_find_the_queue_in_the_menu(client, db):
    sign_in_page(client, a_moderator(db))
    assert '<a href="/moderation">Moderation</a>' in client.get("/").text


# --- the queue -------------------------------------------------------------------------------


def test_the_queue_puts_crisis_first(client, db):
    first_post = open_case(db, make_story(db, title="A first post"), "first_post")
    reported = open_case(db, make_story(db, title="A reported story"), "report:spam")
    crisis = open_case(db, make_story(db, title="A hard night"), "crisis")
    sign_in_page(client, a_moderator(db))

    page = client.get("/moderation")

    assert page.status_code == 200
    assert queue_ids(page.text) == [crisis.id, reported.id, first_post.id]
    item = re.search(r'<article class="card queue-item".*?</article>', page.text, re.S).group(0)
    assert "Story: A hard night" in text_of(item)
    assert '<li class="badge badge-crisis">crisis</li>' in item


def test_the_queue_filters_by_reason_and_status(client, db):
    moderator = a_moderator(db)
    crisis = open_case(db, make_story(db), "crisis")
    stigma = open_case(db, make_story(db), "stigma")
    reported = report(db, make_story(db)).case_id
    first = open_case(db, make_story(db), "first_post")
    decided = open_case(db, make_story(db), "stigma")
    moderation.decide_case(
        db, moderator=moderator, case_id=decided.id, action=Decision.approve, reason="fine"
    )
    sign_in_page(client, moderator)

    def shown(query: str) -> set[int]:
        page = client.get(f"/moderation?{query}")
        assert page.status_code == 200
        return set(queue_ids(page.text))

    assert shown("") == {crisis.id, stigma.id, reported, first.id}
    assert shown("reason=crisis") == {crisis.id}
    assert shown("reason=stigma") == {stigma.id}
    assert shown("reason=report") == {reported}
    assert shown("reason=first_post") == {first.id}
    assert shown("status=closed") == {decided.id}
    assert shown("status=closed&reason=crisis") == set()
    page = client.get("/moderation?status=closed&reason=stigma").text
    assert "decided: approve" in text_of(page)
    assert re.search(r'<option value="closed" selected>', page)
    assert re.search(r'<option value="stigma" selected>', page)


def test_the_escalated_filter_shows_escalated_items(client, db):
    moderator = a_moderator(db)
    case = open_case(db, make_story(db), "report:spam")
    moderation.decide_case(
        db, moderator=moderator, case_id=case.id, action=Decision.escalate, reason="unsure"
    )
    sign_in_page(client, a_moderator(db))
    assert queue_ids(client.get("/moderation?reason=escalated").text) == [case.id]


def test_the_queue_pages_through_many_items_with_next_page(client, db):
    circle = make_circle(db)
    author = make_account(db)
    made = [
        open_case(db, make_story(db, author=author, circle=circle), reason)
        for reason in ["report:spam"] * 20 + ["crisis"] * 5 + ["first_post"] * 6
    ]
    sign_in_page(client, a_moderator(db))

    first = client.get("/moderation").text
    first_ids = queue_ids(first)
    assert len(first_ids) == 25
    assert first_ids[:5] == [c.id for c in made[20:25]]  # crisis first
    link = re.search(r'<a rel="next" href="([^"]+)">Next page</a>', first)
    assert link, "the first page links to the next"
    second = client.get(html.unescape(link.group(1))).text
    second_ids = queue_ids(second)
    assert set(first_ids).isdisjoint(second_ids)
    assert set(first_ids) | set(second_ids) == {c.id for c in made}
    assert "Next page" not in second and ">First page</a>" in second


def test_a_cursor_that_was_never_given_out_gets_a_calm_page(client, db):
    sign_in_page(client, a_moderator(db))
    response = client.get("/moderation?cursor=nonsense")
    assert_friendly_page(response, 422, "This cursor is not one we gave out.")


# --- one item --------------------------------------------------------------------------------


def test_the_case_page_shows_reasons_reports_the_post_and_its_thread(client, db):
    story = make_story(db, title="Leaving the programme", body="My last week here.")
    make_reply(db, story=story, body="You did so well.")
    reply = make_reply(db, story=story, body="Nobody cares about you.")
    filed = report(db, reply, ReportReason.harassment, details="This was cruel to the author")
    sign_in_page(client, a_moderator(db))

    page = client.get(f"/moderation/cases/{filed.case_id}")

    assert page.status_code == 200
    shown = text_of(page.text)
    assert "report: harassment" in shown
    assert "harassment: “This was cruel to the author”" in shown
    post_section = re.search(r'aria-labelledby="post-heading">.*?</section>', page.text, re.S)
    assert "Nobody cares about you." in text_of(post_section.group(0))
    thread = text_of(page.text.split('id="thread-heading"', 1)[1])
    for words in ("Leaving the programme", "My last week here.", "You did so well."):
        assert words in thread
    assert f'href="/moderation/members/{reply.author_id}"' in page.text
    assert "Claim this item" in shown and "Save decision" in shown


def test_claiming_an_item_redirects_with_a_notice(client, db, a_case):
    moderator = a_moderator(db, "Willow Claims")
    sign_in_page(client, moderator)

    response = claim(client, a_case.id)

    assert response.status_code == 303
    assert response.headers["location"] == f"/moderation/cases/{a_case.id}?notice=claimed"
    shown = text_of(client.get(response.headers["location"]).text)
    assert "You have claimed this item" in shown and "claimed by Willow Claims" in shown
    assert db.get(ModerationCase, a_case.id).claimed_by_id == moderator.id


def test_a_second_moderator_sees_the_claim_and_cannot_take_or_decide_the_item(client, db, a_case):
    sign_in_page(client, a_moderator(db, "Willow First"))
    assert claim(client, a_case.id).status_code == 303
    sign_in_page(client, a_moderator(db))

    assert "claimed by Willow First" in text_of(client.get("/moderation").text)
    assert "claimed by Willow First" in text_of(client.get(f"/moderation/cases/{a_case.id}").text)

    response = claim(client, a_case.id)
    assert_friendly_page(response, 409, "Another moderator is working on this item.")

    response = decide(client, a_case.id, action="remove", reason="Off topic", note="my note")
    assert response.status_code in (409, 422)
    assert "Another moderator has claimed this item." in text_of(response.text)
    assert field_value(response.text, "reason") == "Off topic"
    assert textarea(response.text, "note") == "my note"
    assert db.get(ModerationCase, a_case.id).status == CaseStatus.open


def test_a_decision_without_an_action_or_reason_comes_back_with_the_text_kept(client, db, a_case):
    sign_in_page(client, a_moderator(db))

    response = decide(client, a_case.id, reason="", note="Looked at the <whole> thread")

    assert response.status_code == 422
    assert "Please choose a decision." in text_of(response.text)
    assert "Please give a reason." in text_of(response.text)
    assert "Input should be" not in response.text
    assert textarea(response.text, "note") == "Looked at the <whole> thread"
    assert 'id="reason" name="reason"' in response.text and 'aria-invalid="true"' in response.text

    response = decide(client, a_case.id, action="remove", reason="   ", note="kept")
    assert response.status_code == 422
    assert "Please give a reason." in text_of(response.text)
    assert re.search(r'value="remove" checked', response.text)
    assert db.get(ModerationCase, a_case.id).status == CaseStatus.open


def test_deciding_an_item_already_decided_says_so(client, db, a_case):
    sign_in_page(client, a_moderator(db))
    assert decide(client, a_case.id, action="approve", reason="Fine").status_code == 303

    again = decide(client, a_case.id, action="remove", reason="Changed my mind")
    assert again.status_code in (409, 422)
    assert "This item has already been decided." in text_of(again.text)
    late_claim = claim(client, a_case.id)
    assert late_claim.status_code == 409
    assert "This item has already been decided." in text_of(late_claim.text)
    assert db.get(ModerationCase, a_case.id).decision == Decision.approve


def test_an_approved_held_post_is_published(client, db):
    story = make_story(db, body="he's such a psycho")
    case = db.scalar(select(ModerationCase).where(ModerationCase.post_id == story.id))
    assert story.status == PostStatus.pending
    sign_in_page(client, a_moderator(db))
    assert "Wording flagged: “psycho”" in text_of(client.get(f"/moderation/cases/{case.id}").text)

    response = decide(client, case.id, action="approve", reason="Quoting what was said to them")

    assert response.status_code == 303
    assert db.get(Post, story.id).status == PostStatus.published


def test_escalating_keeps_the_item_open_for_another_moderator(client, db, a_case):
    sign_in_page(client, a_moderator(db))
    response = decide(client, a_case.id, action="escalate", reason="Need a second view")
    assert response.status_code == 303
    case = db.get(ModerationCase, a_case.id)
    assert case.status == CaseStatus.open and case.is_escalated
    assert "escalated" in text_of(client.get(f"/moderation/cases/{a_case.id}").text)


# --- removal and appeal ----------------------------------------------------------------------


def remove_reported_reply(client, db, moderator: Account, reason: str) -> tuple[Post, Account]:
    story = make_story(db, title="A long day")
    author = make_account(db)
    reply = make_reply(db, story=story, author=author, body="Words that hurt someone.")
    case_id = report(db, reply).case_id
    sign_in_page(client, moderator)
    assert claim(client, case_id).status_code == 303
    response = decide(client, case_id, action="remove", reason=reason)
    assert response.status_code == 303
    assert response.headers["location"] == "/moderation?notice=decided"
    return reply, author


def test_removing_a_post_returns_to_the_queue_and_is_logged(client, db):
    moderator = a_moderator(db, "Willow Removes")
    reply, _author = remove_reported_reply(client, db, moderator, "It was unkind to a member.")

    queue = client.get("/moderation?notice=decided")
    assert "Decision saved." in text_of(queue.text)
    open_posts = db.scalars(
        select(ModerationCase.post_id).where(ModerationCase.status == CaseStatus.open)
    ).all()
    assert reply.id not in open_posts and f"Reply #{reply.id}" not in queue.text
    assert db.get(Post, reply.id).status == PostStatus.removed
    log = text_of(client.get("/moderation/log").text)
    assert "Willow Removes remove" in log and "It was unkind to a member." in log
    story = client.get(f"/stories/{reply.story_id}").text
    assert "Words that hurt someone." in story  # moderators still see it, marked removed

    sign_in_page(client, make_account(db))
    story = client.get(f"/stories/{reply.story_id}").text
    assert "Words that hurt someone." not in story
    assert "This post was removed by a moderator." in story


def test_the_author_sees_the_reason_and_appeals_once(client, db):
    reply, author = remove_reported_reply(client, db, a_moderator(db), "It named another member.")
    sign_in_page(client, author)

    me = client.get("/me").text
    assert "Removed by a moderator: It named another member." in text_of(me)
    assert f'<a href="/posts/{reply.id}/appeal">Appeal</a>' in me
    story = text_of(client.get(f"/stories/{reply.story_id}").text)
    assert "A moderator removed this: It named another member." in story

    form = client.get(f"/posts/{reply.id}/appeal")
    assert form.status_code == 200 and "It named another member." in text_of(form.text)
    empty = post_form(client, f"/posts/{reply.id}/appeal", f"/posts/{reply.id}/appeal", {})
    assert empty.status_code == 422 and "Please write a few words." in text_of(empty.text)

    text = "I didn't name anyone: it was a character in a film."
    response = post_form(
        client, f"/posts/{reply.id}/appeal", f"/posts/{reply.id}/appeal", {"text": text}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/me?notice=appealed"
    me = text_of(client.get(response.headers["location"]).text)
    assert "Your appeal is with the moderators. A different moderator will decide it." in me
    assert "Your appeal is with the moderators." in me.split("My posts", 1)[1]
    assert f'href="/posts/{reply.id}/appeal"' not in client.get("/me").text

    again = post_form(
        client, f"/posts/{reply.id}/appeal", f"/posts/{reply.id}/appeal", {"text": "please"}
    )
    assert again.status_code in (409, 422)
    assert "each removal can be appealed once" in text_of(again.text)
    assert textarea(again.text, "text") == "please"
    assert db.scalar(select(func.count()).select_from(Appeal)) == 1


def test_only_the_author_can_appeal_and_only_a_removed_post(client, db):
    reply, _author = remove_reported_reply(client, db, a_moderator(db), "Unkind.")
    published = make_story(db)
    sign_in_page(client, make_account(db))
    assert_friendly_page(client.get(f"/posts/{reply.id}/appeal"), 403, "Only the author")
    sign_in_page(client, db.get(Account, published.author_id))
    response = client.get(f"/posts/{published.id}/appeal")
    assert_friendly_page(response, 409, "Only a post a moderator removed can be appealed.")


def appeal_case(client, db, author: Account, reply: Post) -> int:
    sign_in_page(client, author)
    response = post_form(
        client, f"/posts/{reply.id}/appeal", f"/posts/{reply.id}/appeal", {"text": "It was kind."}
    )
    assert response.status_code == 303
    return db.scalar(select(Appeal.case_id).where(Appeal.post_id == reply.id))


def test_the_moderator_who_removed_a_post_cannot_decide_its_appeal(client, db):
    remover = a_moderator(db)
    reply, author = remove_reported_reply(client, db, remover, "Unkind.")
    case_id = appeal_case(client, db, author, reply)
    sign_in_page(client, remover)

    page = text_of(client.get(f"/moderation/cases/{case_id}").text)
    assert "The author's appeal" in page and "It was kind." in page
    assert "Removed because: Unkind." in page

    response = decide(client, case_id, action="approve", reason="On reflection it was fine")
    assert response.status_code in (403, 422)
    assert "A different moderator from the one who removed the post decides its appeal." in (
        text_of(response.text)
    )
    assert field_value(response.text, "reason") == "On reflection it was fine"
    assert db.get(Post, reply.id).status == PostStatus.removed
    assert db.get(ModerationCase, case_id).status == CaseStatus.open


def test_a_second_moderator_restores_an_appealed_post(client, db):
    reply, author = remove_reported_reply(client, db, a_moderator(db), "Unkind.")
    case_id = appeal_case(client, db, author, reply)
    sign_in_page(client, a_moderator(db))

    assert case_id in queue_ids(client.get("/moderation?reason=appeal").text)
    response = decide(client, case_id, action="approve", reason="It was a film quote.")

    assert response.status_code == 303
    assert db.get(Post, reply.id).status == PostStatus.published
    sign_in_page(client, author)
    me = text_of(client.get("/me").text)
    assert "Restored after your appeal." in me and "Removed by a moderator" not in me
    sign_in_page(client, make_account(db))
    assert "Words that hurt someone." in client.get(f"/stories/{reply.story_id}").text


def test_an_upheld_appeal_tells_the_author_the_removal_stands(client, db):
    reply, author = remove_reported_reply(client, db, a_moderator(db), "Unkind.")
    case_id = appeal_case(client, db, author, reply)
    sign_in_page(client, a_moderator(db))
    assert decide(client, case_id, action="remove", reason="Still unkind.").status_code == 303
    sign_in_page(client, author)
    me = text_of(client.get("/me").text)
    assert "Your appeal was considered; the removal stands." in me


def test_a_post_removed_again_after_a_successful_appeal_says_so_on_the_account_page(client, db):
    reply, author = remove_reported_reply(client, db, a_moderator(db), "Unkind.")
    case_id = appeal_case(client, db, author, reply)
    sign_in_page(client, a_moderator(db))
    assert decide(client, case_id, action="approve", reason="A film quote.").status_code == 303
    later = report(db, db.get(Post, reply.id), ReportReason.spam)
    assert (
        decide(client, later.case_id, action="remove", reason="Now a link to a shop.").status_code
        == 303
    )

    sign_in_page(client, author)
    me = text_of(client.get("/me").text)
    assert "Removed by a moderator: Now a link to a shop." in me
    assert "Your appeal is with the moderators." not in me
    assert "restored after your appeal" in me.lower()


# --- a member's history: warnings and suspensions --------------------------------------------


def test_a_warning_needs_a_reason(client, db):
    member = make_account(db)
    sign_in_page(client, a_moderator(db))
    response = sanction(client, member, kind="warning", reason=" ")
    assert response.status_code == 422
    assert "Please give a reason." in text_of(response.text)
    assert not db.scalars(select(Sanction).where(Sanction.account_id == member.id)).all()


def test_a_warned_member_reads_the_warning_on_their_account(client, db):
    member = make_account(db)
    make_story(db, author=member, title="My first week")
    sign_in_page(client, a_moderator(db, "Willow Warns"))

    history = client.get(f"/moderation/members/{member.id}").text
    assert member.pseudonym in text_of(history) and "My first week" in text_of(history)
    response = sanction(client, member, kind="warning", reason="Please keep names out of posts.")

    assert response.status_code == 303
    assert response.headers["location"] == f"/moderation/members/{member.id}?notice=sanctioned"
    history = text_of(client.get(response.headers["location"]).text)
    assert "Saved to the member's record." in history
    assert "Warning on" in history and "Please keep names out of posts." in history
    assert "Willow Warns — warn" in history
    sign_in_page(client, member)
    me = text_of(client.get("/me").text)
    assert "Messages from the moderators" in me and "Please keep names out of posts." in me


@pytest.mark.parametrize("days", ["", "0", "1826", "-3", "two", "1.5", "²", "٣٣٣٣٣"])
def test_a_suspension_needs_a_number_of_days_from_1_to_1825(client, db, days):
    member = make_account(db)
    sign_in_page(client, a_moderator(db))
    response = sanction(client, member, kind="suspend", reason="Repeated insults", days=days)
    assert response.status_code == 422
    assert "Please give a number of days from 1 to 1825." in text_of(response.text)
    assert field_value(response.text, "reason") == "Repeated insults"
    assert db.get(Account, member.id).suspended_until is None


def test_a_suspension_also_needs_a_reason(client, db):
    member = make_account(db)
    sign_in_page(client, a_moderator(db))
    response = sanction(client, member, kind="suspend", reason="", days="7")
    assert response.status_code == 422
    assert "Please give a reason." in text_of(response.text)
    assert field_value(response.text, "days") == "7"
    assert db.get(Account, member.id).suspended_until is None


def suspend(client, db, member: Account, days: str = "7") -> None:
    sign_in_page(client, a_moderator(db))
    response = sanction(client, member, kind="suspend", reason="Repeated insults", days=days)
    assert response.status_code == 303, response.text


def test_a_suspension_lasts_the_days_given_and_shows_on_both_pages(client, db):
    member = make_account(db)
    suspend(client, db, member, days="1825")
    until = db.get(Account, member.id).suspended_until
    assert timedelta(days=1824) < until - utcnow() <= timedelta(days=1825)
    history = text_of(client.get(f"/moderation/members/{member.id}").text)
    assert "suspended until" in history and "Suspension on" in history
    sign_in_page(client, member)
    me = text_of(client.get("/me").text)
    assert "Your account is suspended until" in me
    assert "You can read, but not post, reply, react or report until then." in me
    assert "Repeated insults" in me


def test_lifting_a_suspension_lets_the_member_take_part_again(client, db):
    member = make_account(db)
    story = make_story(db)
    suspend(client, db, member)
    assert "Lift suspension" in client.get(f"/moderation/members/{member.id}").text

    response = sanction(client, member, kind="lift")

    assert response.status_code == 303
    assert db.get(Account, member.id).suspended_until is None
    page = client.get(f"/moderation/members/{member.id}").text
    assert "Lift suspension" not in page and "(lifted" in text_of(page)
    again = sanction(client, member, kind="lift")
    assert again.status_code in (404, 422) and "This member is not suspended." in text_of(
        again.text
    )
    sign_in_page(client, member)
    assert "suspended until" not in client.get("/me").text
    reply = post_form(
        client, f"/stories/{story.id}", f"/stories/{story.id}/replies", {"body": "Hi"}
    )
    assert reply.status_code == 303


def test_moderators_are_not_warned_or_suspended_on_the_member_page(client, db):
    other = a_moderator(db)
    sign_in_page(client, a_moderator(db))
    assert "Warn or suspend" not in client.get(f"/moderation/members/{other.id}").text
    response = sanction(client, other, kind="warning", reason="no")
    assert "Moderators and admins are not warned or suspended here." in text_of(response.text)


def suspended_member(client, db) -> tuple[Post, Circle]:
    circle = make_circle(db)
    story = make_story(db, circle=circle, title="Open to all")
    member = make_account(db)
    suspend(client, db, member)
    sign_in_page(client, member)
    assert client.get(f"/stories/{story.id}").status_code == 200
    assert client.get(f"/circles/{circle.slug}").status_code == 200
    return story, circle


def assert_suspension_page(response) -> None:
    assert response.status_code == 403, response.status_code
    assert response.headers["content-type"].startswith("text/html")
    assert "A moderator has suspended your account until" in text_of(response.text)
    assert "You can still read" in text_of(response.text)


def test_a_suspended_member_reads_but_gets_a_calm_page_when_reacting_or_reporting(client, db):
    story, _circle = suspended_member(client, db)
    page = f"/stories/{story.id}"
    assert_suspension_page(
        post_form(client, page, f"/posts/{story.id}/reactions", {"kind": "me_too"})
    )
    assert_suspension_page(client.get(f"/posts/{story.id}/report"))
    report_page = f"/posts/{story.id}/report"
    assert_suspension_page(post_form(client, page, report_page, {"reason": "spam"}))
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_a_suspended_member_gets_a_calm_403_page_when_posting_or_replying(client, db):
    story, circle = suspended_member(client, db)
    story_form = {"circle": circle.slug, "title": "t", "body": "words"}
    assert_suspension_page(post_form(client, "/stories/new", "/stories/new", story_form))
    page = f"/stories/{story.id}"
    assert_suspension_page(post_form(client, page, f"{page}/replies", {"body": "words"}))


def test_a_suspended_members_words_are_kept_when_posting_is_refused(client, db):
    story, _circle = suspended_member(client, db)
    page = f"/stories/{story.id}"
    response = post_form(client, page, f"{page}/replies", {"body": "words I <typed>"})
    assert "A moderator has suspended your account until" in text_of(response.text)
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text


# --- reports ---------------------------------------------------------------------------------


def test_a_report_link_appears_on_other_peoples_posts_only(client, db):
    member = make_account(db)
    story = make_story(db)
    theirs = make_reply(db, story=story)
    mine = make_reply(db, story=story, author=member)
    sign_in_page(client, member)
    page = client.get(f"/stories/{story.id}").text
    assert f'href="/posts/{story.id}/report"' in page
    assert f'href="/posts/{theirs.id}/report"' in page
    assert f'href="/posts/{mine.id}/report"' not in page
    client.cookies.delete("kindred_session")
    assert "/report" not in client.get(f"/stories/{story.id}").text


def test_a_report_needs_a_reason_and_keeps_the_details(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    form = client.get(f"/posts/{story.id}/report")
    assert form.status_code == 200
    for label in ("Harassment or bullying", "Someone may be in danger", "Spam or advertising"):
        assert label in text_of(form.text)

    response = post_form(
        client, f"/posts/{story.id}/report", f"/posts/{story.id}/report", {"details": "It's <b>"}
    )

    assert response.status_code == 422
    assert "Please choose what is wrong." in text_of(response.text)
    assert "Input should be" not in response.text
    assert textarea(response.text, "details") == "It's <b>"
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_a_report_thanks_the_member_and_reaches_the_queue(client, db):
    story = make_story(db)
    reply = make_reply(db, story=story, body="Words to look at.")
    sign_in_page(client, make_account(db))

    response = post_form(
        client,
        f"/posts/{reply.id}/report",
        f"/posts/{reply.id}/report",
        {"reason": "harassment", "details": "Aimed at the author"},
    )

    assert response.status_code == 303
    assert response.headers["location"] == f"/stories/{story.id}?notice=reported#reply-{reply.id}"
    page = client.get(response.headers["location"])
    assert "Thank you. A moderator will look at that post." in text_of(page.text)
    filed = db.scalar(select(Report).where(Report.post_id == reply.id))
    assert filed.reason == ReportReason.harassment and filed.details == "Aimed at the author"

    sign_in_page(client, a_moderator(db))
    assert filed.case_id in queue_ids(client.get("/moderation?reason=report").text)


def test_reporting_the_same_post_twice_gets_a_clear_message(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    path = f"/posts/{story.id}/report"
    assert post_form(client, path, path, {"reason": "spam"}).status_code == 303

    again = post_form(client, path, path, {"reason": "other", "details": "still there"})

    assert again.status_code in (409, 422)
    assert "You have already reported this post." in text_of(again.text)
    assert textarea(again.text, "details") == "still there"
    assert db.scalar(select(func.count()).select_from(Report)) == 1


def test_a_member_cannot_report_their_own_post(client, db):
    member = make_account(db)
    story = make_story(db, author=member)
    sign_in_page(client, member)
    path = f"/posts/{story.id}/report"
    response = post_form(client, path, path, {"reason": "spam"})
    assert "This is your own post" in text_of(response.text)


def test_the_audit_log_lists_every_action_newest_first(client, db):
    moderator = a_moderator(db, "Willow Logs")
    member = make_account(db)
    sign_in_page(client, moderator)
    assert sanction(client, member, kind="warning", reason="First note").status_code == 303
    assert sanction(client, member, kind="warning", reason="Second note").status_code == 303
    log = text_of(client.get("/moderation/log").text)
    assert log.index("Second note") < log.index("First note")
    assert f"account:{member.id}" in log
    assert db.scalar(select(func.count()).select_from(AuditEntry)) >= 2
