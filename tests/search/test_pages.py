from app.stories.models import PostStatus
from tests.factories import make_story


def test_the_search_page_finds_stories_and_keeps_the_words_in_the_box(client, db, circle):
    story = make_story(db, circle=circle, title="Puffin days", body="Saw puffins.")
    page = client.get("/search", params={"q": "puffin"})
    assert page.status_code == 200
    assert f'href="/stories/{story.id}"' in page.text and 'value="puffin"' in page.text
    assert "Stories matching" in page.text


def test_the_search_page_says_when_nothing_matches_and_hides_what_is_hidden(client, db, circle):
    hidden = make_story(db, circle=circle, title="Secret puffin", body="pending")
    hidden.status = PostStatus.pending
    db.flush()
    page = client.get("/search", params={"q": "puffin"})
    assert page.status_code == 200 and "Nothing found" in page.text
    assert "Secret puffin" not in page.text


def test_an_empty_search_page_shows_the_form_and_every_page_links_to_it(client):
    page = client.get("/search")
    assert page.status_code == 200 and 'role="search"' in page.text
    assert 'href="/search"' in client.get("/").text


def test_an_overlong_search_comes_back_with_a_clear_message(client):
    page = client.get("/search", params={"q": "word " * 60})
    assert page.status_code == 422 and "at most 200 characters" in page.text


def test_search_words_are_escaped_on_the_page(client):
    page = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert page.status_code == 200 and "<script>alert(1)" not in page.text
