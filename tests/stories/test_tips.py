"""Coping tips, across circles and per circle, most helpful first: service, API and page."""

from app.db import utcnow
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import tips
from app.stories.models import PostStatus
from tests.factories import assert_problem, make_account, make_circle, make_reply, make_story


def helpful(db, post, count: int) -> None:  # type: ignore[no-untyped-def]
    for _ in range(count):
        reactions.react(db, member=make_account(db), post=post, kind=ReactionKind.helpful)


def test_tips_are_ranked_by_helpful_reactions_then_newest(db, circle):
    story = make_story(db, circle=circle)
    once = make_reply(db, story=story, body="Cold water on the wrists.", coping_tip=True)
    thrice = make_reply(db, story=story, body="Name five things you can see.", coping_tip=True)
    never = make_reply(db, story=story, body="Write it down.", coping_tip=True)
    make_reply(db, story=story, body="Not a tip, just kindness.")
    helpful(db, once, 1)
    helpful(db, thrice, 3)
    reactions.react(db, member=make_account(db), post=never, kind=ReactionKind.support)
    found, _next = tips.list_tips(db)
    assert [(t.reply.id, t.helpful) for t in found] == [(thrice.id, 3), (once.id, 1), (never.id, 0)]


def test_hidden_tips_and_tips_in_hidden_stories_are_never_listed(db, circle):
    shown = make_story(db, circle=circle)
    kept = make_reply(db, story=shown, coping_tip=True)
    for status in (PostStatus.pending, PostStatus.removed):
        make_reply(db, story=shown, coping_tip=True).status = status
    make_reply(db, story=shown, coping_tip=True).deleted_at = utcnow()
    removed_story = make_story(db, circle=circle)
    make_reply(db, story=removed_story, coping_tip=True)
    removed_story.status = PostStatus.removed
    deleted_story = make_story(db, circle=circle)
    make_reply(db, story=deleted_story, coping_tip=True)
    deleted_story.deleted_at = utcnow()
    db.flush()
    assert [t.reply.id for t in tips.list_tips(db)[0]] == [kept.id]


def test_tips_per_circle_and_pages_that_follow_on(db, circle):
    elsewhere = make_circle(db)
    here = [make_reply(db, story=make_story(db, circle=circle), coping_tip=True) for _ in range(5)]
    make_reply(db, story=make_story(db, circle=elsewhere), coping_tip=True)
    helpful(db, here[2], 2)
    seen, cursor = [], None
    while True:
        page, cursor = tips.list_tips(db, circle=circle, limit=2, cursor=cursor)
        seen += [t.reply.id for t in page]
        if cursor is None:
            break
    assert seen[0] == here[2].id
    assert sorted(seen) == sorted(p.id for p in here) and len(seen) == 5


def test_the_tips_api_answers_tips_with_their_story_and_keeps_anonymity(client, db, circle):
    story = make_story(db, circle=circle, title="Sleepless", content_warning="insomnia")
    tip = make_reply(db, story=story, body="A *warm* bath.", coping_tip=True, anonymous=True)
    helpful(db, tip, 2)
    response = client.get("/api/v1/tips", params={"circle": circle.slug})
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["id"] == tip.id and item["story_id"] == story.id
    assert item["story_title"] == "Sleepless" and item["content_warning"] == "insomnia"
    assert item["helpful"] == 2 and item["author"] is None
    assert item["body_html"].strip() == "<p>A <em>warm</em> bath.</p>"


def test_the_tips_api_refuses_an_unknown_circle_and_a_forged_cursor(client):
    assert_problem(client.get("/api/v1/tips", params={"circle": "no-such-circle"}), 404)
    assert_problem(client.get("/api/v1/tips", params={"cursor": "forged"}), 422)


def test_the_tips_page_shows_tips_marked_with_links_to_their_reply(client, db, circle):
    story = make_story(db, circle=circle, title="Panic on the bus")
    tip = make_reply(db, story=story, body="Press your feet into the floor.", coping_tip=True)
    page = client.get("/tips")
    assert page.status_code == 200
    assert "Press your feet into the floor." in page.text and "Coping tip" in page.text
    assert f'href="/stories/{story.id}#reply-{tip.id}"' in page.text
    in_circle = client.get("/tips", params={"circle": circle.slug})
    assert "Press your feet into the floor." in in_circle.text
    assert 'aria-current="page"' in in_circle.text


def test_a_tip_under_a_content_warning_stays_folded_on_the_tips_page(client, db, circle):
    story = make_story(db, circle=circle, content_warning="self-harm")
    make_reply(db, story=story, body="Hold an ice cube instead.", coping_tip=True)
    page = client.get("/tips").text
    assert '<details class="content-warning">' in page and "Content warning: self-harm" in page


def test_the_tips_page_for_an_unknown_circle_is_a_friendly_404(client):
    page = client.get("/tips", params={"circle": "no-such-circle"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
