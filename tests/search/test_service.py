import pytest

from app.db import utcnow
from app.search import service
from app.stories import service as stories
from app.stories.models import PostStatus
from tests.factories import make_reply, make_story


def found(db, q: str, **kwargs) -> list[int]:  # type: ignore[no-untyped-def]
    items, _next = service.search_stories(db, q=q, **kwargs)
    return [item.story.id for item, _rank in items]


@pytest.mark.parametrize(
    ("text", "expression"),
    [
        ("lavender tea", '"lavender" AND "tea"'),
        ('"box breathing" helps', '"box breathing" AND "helps"'),
        ("walk or swim", '("walk" OR "swim")'),
        ("sleep -pills", '"sleep" NOT "pills"'),
        ('NEAR( "unclosed * ^col:', '"NEAR" AND "unclosed col"'),
        ("AND OR NOT", '("AND" OR "NOT")'),
        ("-only -excluded", None),
        ("*** ))) :::", None),
    ],
)
def test_a_members_words_become_an_fts5_expression_that_cannot_be_malformed(text, expression):
    assert service.fts5_query(text) == expression


def test_stories_are_found_by_their_title_their_words_and_their_replies(db, circle):
    by_title = make_story(db, circle=circle, title="Lavender and patience", body="A slow week.")
    by_body = make_story(db, circle=circle, title="Evenings", body="I keep lavender by my bed.")
    by_reply = make_story(db, circle=circle, title="Nights", body="I can't settle.")
    make_reply(db, story=by_reply, body="Try a lavender pillow spray.")
    make_story(db, circle=circle, title="Unrelated", body="Nothing about that herb.")
    assert found(db, "lavender") == [by_title.id, by_body.id, by_reply.id] or set(
        found(db, "lavender")
    ) == {by_title.id, by_body.id, by_reply.id}
    # A title match outranks a match in the text.
    assert found(db, "lavender")[0] == by_title.id


def test_word_forms_match_each_other(db, circle):
    story = make_story(db, circle=circle, title="Walking again", body="I walked to the shop.")
    assert found(db, "walks") == [story.id]


def test_phrases_either_and_excluded_words(db, circle):
    box = make_story(db, circle=circle, title="Breath", body="Box breathing before group.")
    other = make_story(db, circle=circle, title="Breath", body="Breathing in a box of tissues.")
    swim = make_story(db, circle=circle, title="Water", body="Swimming helps me.")
    assert found(db, '"box breathing"') == [box.id]
    assert set(found(db, "swimming or tissues")) == {swim.id, other.id}
    assert set(found(db, "breathing -tissues")) == {box.id}


def test_nothing_hidden_is_ever_found(db, circle, member, other):
    word = "Marigoldish"
    shown = make_story(db, circle=circle, title=f"{word} shown", author=member)
    pending = make_story(db, circle=circle, title=f"{word} pending", author=member)
    pending.status = PostStatus.pending
    removed = make_story(db, circle=circle, title=f"{word} removed", author=member)
    reply_in_hidden = make_reply(db, story=removed, author=other, body=f"{word} under removed")
    removed.status = PostStatus.removed
    deleted = make_story(db, circle=circle, title=f"{word} deleted", author=member)
    deleted.deleted_at = utcnow()
    quiet = make_story(db, circle=circle, title="Quiet", body="No match in here.")
    for status in (PostStatus.pending, PostStatus.removed):
        reply = make_reply(db, story=quiet, author=other, body=f"{word} in a reply")
        reply.status = status
    gone = make_reply(db, story=quiet, author=other, body=f"{word} in a deleted reply")
    gone.deleted_at = utcnow()
    assert reply_in_hidden.status == PostStatus.published
    db.flush()
    assert found(db, word) == [shown.id]


def test_edited_and_erased_words_are_no_longer_found(db, circle, member):
    story = make_story(db, circle=circle, author=member, title="A day", body="Bluebells today.")
    assert found(db, "bluebells") == [story.id]
    stories.edit_post(db, actor=member, post_id=story.id, changes={"body": "Snowdrops today."})
    assert found(db, "bluebells") == [] and found(db, "snowdrops") == [story.id]
    stories.erase_post(db, post=story)
    assert found(db, "snowdrops") == [] and found(db, "day") == []


def test_pages_follow_one_another_without_gaps_or_repeats(db, circle):
    made = {
        make_story(db, circle=circle, title=f"Kestrel {n}", body="kestrel " * n).id
        for n in range(1, 26)
    }
    seen: list[int] = []
    cursor = None
    for _ in range(10):
        items, cursor = service.search_stories(db, q="kestrel", limit=7, cursor=cursor)
        seen += [item.story.id for item, _rank in items]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 25 and set(seen) == made
    ranks = [rank for _item, rank in service.search_stories(db, q="kestrel", limit=100)[0]]
    assert ranks == sorted(ranks, reverse=True)


def test_queries_with_nothing_to_search_find_nothing_without_error(db, circle):
    make_story(db, circle=circle, title="Anything", body="at all")
    for q in ("", "   ", "-anything", '"', "***", "😀", "\u202e\u0000"):
        assert found(db, q) == []
