"""Deep threads stay readable: folding sub-threads, a link per reply, branches on their own page."""

from app.stories.models import PostStatus
from tests.factories import make_reply, make_story


def chain(db, story, depth: int):  # type: ignore[no-untyped-def]
    """A reply to a reply to a reply…, `depth` levels deep."""
    posts, parent = [], None
    for level in range(1, depth + 1):
        parent = make_reply(db, story=story, parent=parent, body=f"Level {level} words.")
        posts.append(parent)
    return posts


def test_every_reply_has_its_own_link_and_sub_threads_fold_without_javascript(client, db, circle):
    story = make_story(db, circle=circle)
    first, second = chain(db, story, 2)
    tip = make_reply(db, story=story, parent=first, body="Try this.", coping_tip=True)
    page = client.get(f"/stories/{story.id}").text
    for reply in (first, second, tip):
        assert f'id="reply-{reply.id}"' in page and f'href="#reply-{reply.id}"' in page
    assert '<details class="subthread" open>' in page and "2 replies to this" in page
    assert 'class="reply tip"' in page and "Coping tip" in page


def test_a_deep_branch_offers_its_own_page_and_still_shows_in_full_on_the_story(client, db, circle):
    story = make_story(db, circle=circle)
    levels = chain(db, story, 5)
    page = client.get(f"/stories/{story.id}").text
    third = levels[2]
    link = f"/stories/{story.id}/replies/{third.id}"
    assert f'href="{link}"' in page and "Continue this thread" in page
    # Every reply is still on the story page, so /stories/{id}#reply-{id} always works.
    assert all(f'id="reply-{r.id}"' in page for r in levels)
    assert "replies-flat" in page
    branch = client.get(link)
    assert branch.status_code == 200
    assert "Level 1 words." not in branch.text and "Level 2 words." not in branch.text
    assert all(f"Level {n} words." in branch.text for n in (3, 4, 5))
    assert f'href="/stories/{story.id}#reply-{third.id}"' in branch.text


def test_a_branch_page_hides_what_the_story_page_hides(client, db, circle):
    story = make_story(db, circle=circle)
    top, removed = chain(db, story, 2)
    removed.status = PostStatus.removed
    db.flush()
    page = client.get(f"/stories/{story.id}/replies/{top.id}").text
    assert "Level 2 words." not in page and "removed by a moderator" in page


def test_a_branch_page_for_a_reply_of_another_story_or_no_reply_is_a_404(client, db, circle):
    story, elsewhere = make_story(db, circle=circle), make_story(db, circle=circle)
    reply = make_reply(db, story=elsewhere)
    assert client.get(f"/stories/{story.id}/replies/{reply.id}").status_code == 404
    assert client.get(f"/stories/{story.id}/replies/999999").status_code == 404
    assert client.get(f"/stories/{story.id}/replies/{story.id}").status_code == 404
