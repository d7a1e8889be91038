import re

from app.stories.models import Post
from tests.factories import (
    csrf_from,
    make_account,
    make_circle,
    make_reply,
    make_story,
    post_form,
    sign_in_page,
)


def test_signed_out_readers_see_the_thread_but_no_forms(client, db):
    story = make_story(db, title="Visiting day")
    make_reply(db, story=story, body="That sounds *hopeful*.")
    page = client.get(f"/stories/{story.id}")
    assert page.status_code == 200
    assert "Visiting day" in page.text and "<em>hopeful</em>" in page.text
    assert "<textarea" not in page.text and "Sign in</a> or" in page.text


def test_a_member_shares_a_story_through_the_form(client, db):
    circle = make_circle(db)
    sign_in_page(client, make_account(db))
    response = post_form(
        client,
        "/stories/new",
        "/stories/new",
        {
            "circle": circle.slug,
            "title": "Week two",
            "body": "Still here.",
            "content_warning": "",
            "anonymous": "on",
        },
    )
    assert response.status_code == 303
    story_id = int(response.headers["location"].rsplit("/", 1)[1])
    story = db.get(Post, story_id)
    assert story is not None and story.is_anonymous and story.content_warning is None
    page = client.get(f"/stories/{story_id}")
    assert "Anonymous" in page.text


def test_a_story_form_with_mistakes_comes_back_with_the_text_kept(client, db):
    make_circle(db)
    sign_in_page(client, make_account(db))
    long_title = "t" * 201
    response = post_form(
        client,
        "/stories/new",
        "/stories/new",
        {
            "circle": "",
            "title": long_title,
            "body": "My words <kept> exactly",
            "content_warning": "",
        },
    )
    assert response.status_code == 422
    assert "My words &lt;kept&gt; exactly</textarea>" in response.text
    assert 'id="title-error"' in response.text and 'id="circle-error"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_composing_needs_a_signed_in_member(client):
    response = client.get("/stories/new", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/signin?next=%2Fstories%2Fnew")


def test_a_content_warning_keeps_the_story_folded_until_opened(client, db):
    story = make_story(db, body="the hard part", content_warning="relapse")
    page = client.get(f"/stories/{story.id}").text
    details = re.search(r'<details class="content-warning">(.*?)</details>', page, re.S)
    assert details and "Content warning: relapse" in details.group(1)
    assert "the hard part" in details.group(1)
    assert '<details class="content-warning" open' not in page


def test_a_reply_with_a_coping_tip_is_highlighted_and_linkable(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    response = post_form(
        client,
        f"/stories/{story.id}",
        f"/stories/{story.id}/replies",
        {"body": "Cold water on the wrists.", "coping_tip": "on"},
    )
    assert response.status_code == 303
    anchor = response.headers["location"].rsplit("#", 1)[1]
    assert re.fullmatch(r"reply-\d+", anchor)
    page = client.get(f"/stories/{story.id}").text
    assert f'id="{anchor}" class="reply tip"' in page
    assert "Coping tip" in page


def test_replies_nest_under_the_post_they_answer(client, db):
    story = make_story(db)
    first = make_reply(db, story=story, body="first answer")
    make_reply(db, story=story, parent=first, body="answer to the answer")
    page = client.get(f"/stories/{story.id}").text
    outer = page.index(f'id="reply-{first.id}"')
    nested_list = page.index('<ol class="replies">', outer)
    assert outer < nested_list < page.index("answer to the answer")


def test_the_reply_page_answers_a_particular_reply(client, db):
    story = make_story(db)
    parent = make_reply(db, story=story, body="the one to answer")
    sign_in_page(client, make_account(db))
    form_page = f"/stories/{story.id}/reply?parent_id={parent.id}"
    page = client.get(form_page)
    assert "the one to answer" in page.text
    assert f'name="parent_id" value="{parent.id}"' in page.text
    response = post_form(
        client,
        form_page,
        f"/stories/{story.id}/replies",
        {"body": "here is my answer", "parent_id": str(parent.id)},
    )
    assert response.status_code == 303
    reply_id = int(response.headers["location"].rsplit("-", 1)[1])
    assert db.get(Post, reply_id).parent_id == parent.id


def test_an_empty_reply_comes_back_with_a_message(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    response = post_form(
        client, f"/stories/{story.id}", f"/stories/{story.id}/replies", {"body": "   "}
    )
    assert response.status_code == 422
    assert "Please write something before posting." in response.text


def test_an_author_edits_and_deletes_their_story(client, db):
    author = make_account(db)
    story = make_story(db, author=author, title="Before", body="old words")
    make_reply(db, story=story, body="a reply that stays")
    sign_in_page(client, author)
    response = post_form(
        client,
        f"/posts/{story.id}/edit",
        f"/posts/{story.id}/edit",
        {"title": "After", "body": "new words", "content_warning": ""},
    )
    assert response.status_code == 303
    page = client.get(f"/stories/{story.id}").text
    assert "After" in page and "new words" in page and "old words" not in page

    response = post_form(client, f"/posts/{story.id}/delete", f"/posts/{story.id}/delete", {})
    assert response.status_code == 303
    page = client.get(f"/stories/{story.id}").text
    assert "This post was deleted by its author." in page
    assert "new words" not in page and "a reply that stays" in page


def test_only_the_author_may_open_the_edit_page(client, db):
    story = make_story(db)
    sign_in_page(client, make_account(db))
    assert client.get(f"/posts/{story.id}/edit").status_code == 403
    token = csrf_from(client.get("/").text)
    response = client.post(f"/posts/{story.id}/delete", data={"csrf_token": token})
    assert response.status_code == 403
    assert "Only the author" in response.text
