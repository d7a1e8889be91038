"""Screening on the compose pages: the nudge before posting, help-now, redaction, holds."""

import html
import re

from sqlalchemy import func, select

from app.help import service as help_now
from app.moderation.models import CaseReason, ModerationCase
from app.stories.models import Post, PostStatus
from tests.factories import (
    make_account,
    make_circle,
    make_reply,
    make_story,
    post_form,
    sign_in_page,
)

STIGMA = "he's such a psycho"
CRISIS = "I've been saving my pills and I'm going to take them all tonight"
PHONE = "Text me on 07700 900123 if you want to talk."
HELD = "Your post is waiting for a moderator before others can see it."


def text_of(markup: str) -> str:
    """What a person reads: tags dropped, entities decoded, whitespace collapsed."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    markup = re.sub(r"</?(?:a|mark|strong|em|span|time|code)\b[^>]*>", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def nudge(page: str) -> str | None:
    found = re.search(r'<section class="card nudge".*?</section>', page, re.S)
    return text_of(found.group(0)) if found else None


def help_panel(page: str) -> str | None:
    found = re.search(r'<section class="card help-now" id="help-now".*?</section>', page, re.S)
    return text_of(found.group(0)) if found else None


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea named {name}"
    return html.unescape(found.group(1))


def buttons(page: str) -> list[str]:
    return [text_of(b) for b in re.findall(r"<button\b[^>]*>(.*?)</button>", page, re.S)]


def posts(db) -> int:
    return db.scalar(select(func.count()).select_from(Post))


def story_form(circle, body: str, **extra: str) -> dict[str, str]:
    return {
        "circle": circle.slug,
        "title": "This week",
        "body": body,
        "content_warning": "",
    } | extra


def share(client, circle, body: str, **extra: str):
    return post_form(client, "/stories/new", "/stories/new", story_form(circle, body, **extra))


def story_id_from(response) -> int:
    assert response.status_code == 303, response.text
    return int(re.search(r"/stories/(\d+)", response.headers["location"]).group(1))


def resource_names() -> list[str]:
    return [r.name for r in help_now.resources()]


# --- stories ---------------------------------------------------------------------------------


def test_stigmatising_wording_gets_a_gentle_nudge_before_anything_is_posted(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    before = posts(db)

    page = share(client, circle, STIGMA, intent="post")

    assert page.status_code == 200
    shown = nudge(page.text)
    assert shown is not None and "Before you post" in shown
    assert "“psycho”" in shown
    assert 'describe what the person did (e.g. "cruel", "frightening", "out of line")' in shown
    assert '"Psycho" turns psychosis into an insult' in shown
    assert "a moderator will look at it before others see it" in shown
    assert textarea(page.text, "body") == STIGMA
    assert re.search(r'<input type="hidden" name="acknowledged" value="yes">', page.text)
    assert "Post anyway" in buttons(page.text)
    assert "Check my wording" in buttons(page.text)
    assert posts(db) == before


def test_stigmatising_wording_in_a_title_says_where_it_is(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    page = share(client, circle, "A quiet day.", title="My psycho neighbour")
    assert page.status_code == 200
    assert "“psycho” (in the title)" in nudge(page.text)


# Wordings no rule knows; the learned models (app/safety/learned.py) catch them.
LEARNED_STIGMA = "PTSD veterans are ticking time bombs"
LEARNED_CRISIS = "finding the strength to go through with it tonight"


def test_wording_only_the_learned_model_catches_gets_the_same_nudge_without_javascript(client, db):
    from app.safety.stigma import detect as stigma

    assert stigma.find_stigma_by_rules(LEARNED_STIGMA) == []
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    before = posts(db)

    page = share(client, circle, LEARNED_STIGMA, intent="post")

    assert page.status_code == 200
    shown = nudge(page.text)
    assert shown is not None and "Before you post" in shown
    assert stigma.LEARNED_SUGGESTION in shown
    assert stigma.LEARNED_EXPLANATION in shown
    assert textarea(page.text, "body") == LEARNED_STIGMA
    assert posts(db) == before


def test_a_crisis_only_the_learned_model_catches_shows_help_and_waits_for_a_moderator(client, db):
    from app.safety.crisis import detect as crisis

    assert crisis.detect_crisis_by_rules(LEARNED_CRISIS) == []
    circle = make_circle(db)
    sign_in_page(client, make_account(db))

    response = share(client, circle, LEARNED_CRISIS, intent="post")

    story = db.get(Post, story_id_from(response))
    assert story.status == PostStatus.pending
    page = client.get(response.headers["location"])
    assert all(name in help_panel(page.text) for name in resource_names())


def test_check_my_wording_on_clean_text_says_nothing_to_change(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    before = posts(db)

    page = share(client, circle, "A calm walk by the river today.", intent="preview")

    assert page.status_code == 200
    assert "Nothing to change" in nudge(page.text)
    assert textarea(page.text, "body") == "A calm walk by the river today."
    assert 'name="acknowledged"' not in page.text
    assert "Share story" in buttons(page.text) and "Post anyway" not in buttons(page.text)
    assert posts(db) == before


def test_clean_text_posts_straight_away_without_a_nudge(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    response = share(client, circle, "A calm walk by the river today.", intent="post")
    story = db.get(Post, story_id_from(response))
    assert story.status == PostStatus.published
    assert "notice=held" not in response.headers["location"]


def test_posting_anyway_holds_the_story_until_a_moderator_looks(client, db):
    circle = make_circle(db)
    author, other = make_account(db), make_account(db)
    sign_in_page(client, author)

    response = share(client, circle, STIGMA, intent="post", acknowledged="yes")

    story_id = story_id_from(response)
    assert response.headers["location"].endswith(f"/stories/{story_id}?notice=held")
    story = db.get(Post, story_id)
    assert story.status == PostStatus.pending
    case = db.scalar(select(ModerationCase).where(ModerationCase.post_id == story_id))
    reasons = db.scalars(select(CaseReason.reason).where(CaseReason.case_id == case.id)).all()
    assert "stigma" in reasons

    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert HELD in text_of(page.text)
    assert "Awaiting review" in text_of(page.text)
    assert "psycho" in page.text  # the author still reads their own words

    sign_in_page(client, other)
    assert client.get(f"/stories/{story_id}").status_code == 404
    assert f"/stories/{story_id}" not in client.get(f"/circles/{circle.slug}").text


def test_a_changed_draft_after_the_nudge_posts_without_a_hold(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    first = share(client, circle, STIGMA)
    assert nudge(first.text)
    response = share(client, circle, "he was cruel to me", acknowledged="yes", intent="post")
    story = db.get(Post, story_id_from(response))
    assert story.status == PostStatus.published and "notice=" not in response.headers["location"]


def test_a_crisis_story_shows_help_now_before_posting(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    before = posts(db)

    page = share(client, circle, CRISIS, intent="preview")

    assert page.status_code == 200
    shown = nudge(page.text)
    assert "It sounds like things may be very hard right now." in shown
    for name in resource_names():
        assert name in shown
    assert "a moderator will see it first" in shown
    assert textarea(page.text, "body") == CRISIS
    assert posts(db) == before


def test_after_a_crisis_story_its_author_sees_help_now_on_every_visit(client, db):
    circle = make_circle(db)
    author, other = make_account(db), make_account(db)
    sign_in_page(client, author)

    response = share(client, circle, CRISIS, intent="post")

    story_id = story_id_from(response)
    assert "notice=held" in response.headers["location"]
    assert db.get(Post, story_id).status == PostStatus.pending
    for _ in range(2):
        page = client.get(f"/stories/{story_id}").text
        panel = help_panel(page)
        assert panel is not None and "Help, right now" in panel
        assert all(name in panel for name in resource_names())
        assert page.index('id="help-now"') < page.index('id="story-title"')

    sign_in_page(client, other)
    assert client.get(f"/stories/{story_id}").status_code == 404


def test_others_reading_a_published_crisis_story_see_no_help_panel_meant_for_its_author(
    client, db, settings
):
    settings.crisis_posts_held = False
    circle = make_circle(db)
    author, other = make_account(db), make_account(db)
    sign_in_page(client, author)
    story_id = story_id_from(share(client, circle, CRISIS))
    assert help_panel(client.get(f"/stories/{story_id}").text)

    sign_in_page(client, other)
    page = client.get(f"/stories/{story_id}")
    assert page.status_code == 200 and CRISIS in text_of(page.text)
    assert help_panel(page.text) is None
    client.cookies.delete("kindred_session")
    assert help_panel(client.get(f"/stories/{story_id}").text) is None


def test_a_phone_number_is_removed_and_its_author_is_told(client, db):
    circle = make_circle(db)
    author, other = make_account(db), make_account(db)
    sign_in_page(client, author)

    preview = share(client, circle, PHONE, intent="preview")
    assert "we will remove 1 personal detail (phone) when you post" in nudge(preview.text)
    assert textarea(preview.text, "body") == PHONE  # the author's own draft, unchanged

    response = share(client, circle, PHONE, intent="post")
    story_id = story_id_from(response)
    story = db.get(Post, story_id)
    assert "07700" not in story.body and "[phone removed]" in story.body
    page = client.get(f"/stories/{story_id}").text
    assert "we removed 1 personal detail (phone)" in text_of(page)
    assert "07700" not in page

    sign_in_page(client, other)
    page = client.get(f"/stories/{story_id}").text
    assert "personal detail" not in page and "07700" not in page


# --- replies ---------------------------------------------------------------------------------


def reply_to(client, story, body: str, **extra: str):
    return post_form(
        client, f"/stories/{story.id}", f"/stories/{story.id}/replies", {"body": body} | extra
    )


def reply_id_from(response) -> int:
    assert response.status_code == 303, response.text
    return int(re.search(r"#reply-(\d+)$", response.headers["location"]).group(1))


def test_a_stigmatising_reply_is_nudged_then_held_when_posted_anyway(client, db):
    story = make_story(db)
    parent = make_reply(db, story=story)
    author, other = make_account(db), make_account(db)
    sign_in_page(client, author)
    before = posts(db)

    page = reply_to(client, story, STIGMA, parent_id=str(parent.id), coping_tip="on")

    assert page.status_code == 200
    assert "“psycho”" in nudge(page.text) and "(in the" not in nudge(page.text)
    assert textarea(page.text, "body") == STIGMA
    assert f'name="parent_id" value="{parent.id}"' in page.text
    assert re.search(r'id="reply-tip" name="coping_tip" value="on" checked', page.text)
    assert 'name="acknowledged" value="yes"' in page.text and "Post anyway" in buttons(page.text)
    assert posts(db) == before

    response = reply_to(
        client, story, STIGMA, parent_id=str(parent.id), acknowledged="yes", intent="post"
    )

    reply_id = reply_id_from(response)
    assert response.headers["location"].endswith(
        f"/stories/{story.id}?notice=held#reply-{reply_id}"
    )
    assert db.get(Post, reply_id).status == PostStatus.pending
    page = client.get(f"/stories/{story.id}?notice=held").text
    assert HELD in text_of(page)
    mine = re.search(rf'<article id="reply-{reply_id}".*?</article>', page, re.S).group(0)
    assert "Awaiting review" in text_of(mine) and "psycho" in mine

    sign_in_page(client, other)
    page = client.get(f"/stories/{story.id}").text
    assert "psycho" not in page and f'id="reply-{reply_id}"' not in page


def test_check_my_wording_on_a_clean_reply_says_nothing_to_change(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    before = posts(db)
    page = reply_to(client, story, "Sending you strength.", intent="preview")
    assert page.status_code == 200
    assert "Nothing to change" in nudge(page.text)
    assert textarea(page.text, "body") == "Sending you strength."
    assert "Post reply" in buttons(page.text)
    assert posts(db) == before


def test_a_crisis_reply_shows_help_now_before_and_after_posting_to_its_author_only(client, db):
    story_author = make_account(db)
    story = make_story(db, author=story_author)
    author = make_account(db)
    sign_in_page(client, author)

    preview = reply_to(client, story, CRISIS, intent="preview")
    assert "It sounds like things may be very hard right now." in nudge(preview.text)
    assert all(name in nudge(preview.text) for name in resource_names())

    response = reply_to(client, story, CRISIS, intent="post")
    reply_id = reply_id_from(response)
    assert "notice=held" in response.headers["location"]
    panel = help_panel(client.get(f"/stories/{story.id}").text)
    assert panel is not None and all(name in panel for name in resource_names())

    sign_in_page(client, story_author)
    page = client.get(f"/stories/{story.id}").text
    assert help_panel(page) is None and f'id="reply-{reply_id}"' not in page


def test_a_phone_number_in_a_reply_is_removed_and_its_author_is_told(client, db):
    story = make_story(db)
    author = make_account(db)
    sign_in_page(client, author)

    preview = reply_to(client, story, PHONE, intent="preview")
    assert "we will remove 1 personal detail (phone) when you post" in nudge(preview.text)

    reply_id = reply_id_from(reply_to(client, story, PHONE, intent="post"))
    assert "07700" not in db.get(Post, reply_id).body
    page = client.get(f"/stories/{story.id}").text
    mine = re.search(rf'<article id="reply-{reply_id}".*?</article>', page, re.S).group(0)
    assert "we removed 1 personal detail (phone)" in text_of(mine)
    assert "07700" not in page

    sign_in_page(client, make_account(db))
    page = client.get(f"/stories/{story.id}").text
    assert "personal detail" not in page and "[phone removed]" in page


# --- help now --------------------------------------------------------------------------------


def test_the_help_page_lists_every_resource(client):
    page = client.get("/help")
    assert page.status_code == 200
    shown = text_of(page.text)
    assert "Help, right now" in shown
    for resource in help_now.resources():
        assert resource.name in shown and resource.contact in shown
        if resource.url:
            assert f'href="{resource.url}"' in page.text


def test_every_page_has_a_help_now_link(client, db):
    circle = make_circle(db)
    story = make_story(db, circle=circle)
    signed_out = [
        "/",
        f"/circles/{circle.slug}",
        "/help",
        "/signin",
        "/signup",
        f"/stories/{story.id}",
    ]
    signed_out.append("/stories/999999999")  # a 404 page too
    sign_in_needed = ["/me", "/stories/new", f"/stories/{story.id}/reply"]

    def has_help_link(path: str) -> None:
        page = client.get(path)
        assert page.headers["content-type"].startswith("text/html"), path
        assert re.search(r'<a href="/help"[^>]*>Help now</a>', page.text), path

    for path in signed_out:
        has_help_link(path)
    sign_in_page(client, make_account(db))
    for path in sign_in_needed + signed_out:
        has_help_link(path)


# --- edits -----------------------------------------------------------------------------------


def edit(client, post: Post, body: str, **extra: str):
    path = f"/posts/{post.id}/edit"
    fields = {"title": post.title or "", "content_warning": ""} if post.is_story else {}
    return post_form(client, path, path, fields | {"body": body} | extra)


def test_an_edit_that_signals_crisis_shows_its_author_help_now(client, db):
    author = make_account(db)
    story = make_story(db, author=author, body="An ordinary week.")
    sign_in_page(client, author)
    assert help_panel(client.get(f"/stories/{story.id}").text) is None

    assert edit(client, story, CRISIS).status_code == 303

    assert help_panel(client.get(f"/stories/{story.id}").text) is not None


def test_an_edit_that_adds_a_phone_number_is_redacted_and_the_author_told(client, db):
    author = make_account(db)
    story = make_story(db, author=author, body="An ordinary week.")
    sign_in_page(client, author)
    assert edit(client, story, PHONE).status_code == 303
    page = client.get(f"/stories/{story.id}").text
    assert "07700" not in page and "we removed 1 personal detail (phone)" in text_of(page)


def test_an_edit_into_stigmatising_wording_is_nudged_then_held_and_the_author_told(client, db):
    author = make_account(db)
    story = make_story(db, author=author, body="An ordinary week.")
    sign_in_page(client, author)

    nudged = edit(client, story, STIGMA)
    assert nudged.status_code == 200
    assert "Before you post" in nudged.text and "Post anyway" in nudged.text
    assert db.get(Post, story.id).body == "An ordinary week."

    response = edit(client, story, STIGMA, acknowledged="yes", intent="post")

    assert db.get(Post, story.id).status == PostStatus.pending
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/stories/{story.id}?notice=held")
