"""The stories service: visibility, the reply tree, edits and the listing, without HTTP."""

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.pagination import encode_cursor
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service
from app.stories.models import Post, PostRevision, PostStatus
from app.stories.service import MAX_REPLY_DEPTH, Node
from tests.factories import build_thread, make_account, make_circle, make_reply, make_story


def tree(nodes: list[Node]) -> list[Any]:
    """(id, [children...]) pairs: the shape of a thread at a glance."""
    return [(n.post.id, tree(n.children)) for n in nodes]


def flatten(nodes: list[Node]) -> list[Node]:
    found = []
    for n in nodes:
        found.append(n)
        found.extend(flatten(n.children))
    return found


def revisions(db: Session, post: Post) -> list[PostRevision]:
    return list(
        db.scalars(
            select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id)
        )
    )


# --- visibility -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "deleted", "viewer", "visible"),
    [
        (PostStatus.published, False, "nobody", True),
        (PostStatus.published, False, "member", True),
        (PostStatus.published, False, "author", True),
        (PostStatus.pending, False, "nobody", False),
        (PostStatus.pending, False, "member", False),
        (PostStatus.pending, False, "author", True),
        (PostStatus.pending, False, "moderator", True),
        (PostStatus.pending, False, "admin", True),
        # The author reads what was removed (and why, to appeal); moderators decide on it.
        (PostStatus.removed, False, "author", True),
        (PostStatus.removed, False, "moderator", True),
        (PostStatus.removed, False, "member", False),
        (PostStatus.published, True, "author", False),
        (PostStatus.published, True, "moderator", False),
        (PostStatus.pending, True, "author", False),
    ],
)
def test_who_may_read_a_post(
    db: Session, status: PostStatus, deleted: bool, viewer: str, visible: bool
) -> None:
    author = make_account(db)
    post = make_story(db, author=author)
    post.status = status
    post.deleted_at = post.created_at if deleted else None
    viewers = {
        "nobody": None,
        "member": make_account(db),
        "author": author,
        "moderator": make_account(db, role=Role.moderator),
        "admin": make_account(db, role=Role.admin),
    }

    assert service.can_see(post, viewers[viewer]) is visible


def test_someone_elses_pending_post_does_not_exist_for_a_member(db: Session) -> None:
    author = make_account(db)
    story = make_story(db, author=author)
    story.status = PostStatus.pending
    db.flush()

    with pytest.raises(NotFound):
        service.get_post(db, post_id=story.id, viewer=make_account(db))
    with pytest.raises(NotFound):
        service.get_post(db, post_id=story.id, viewer=None)
    assert service.get_post(db, post_id=story.id, viewer=author) is story


def test_a_reply_is_not_a_story(db: Session) -> None:
    reply = make_reply(db, story=make_story(db))

    with pytest.raises(NotFound):
        service.get_story_post(db, story_id=reply.id, viewer=None)


# --- publishing and replying ----------------------------------------------------------------


def test_a_story_is_its_own_story_and_keeps_its_body_as_given(db: Session) -> None:
    body = "  *kept*  \r\n"

    story = make_story(db, body=body)

    assert story.story_id == story.id
    assert story.parent_id is None
    assert story.depth == 0
    assert story.body == body
    assert story.body_html == "<p><em>kept</em></p>\n"
    assert story.excerpt == "kept"
    assert story.status == PostStatus.published


def test_publishing_in_an_unknown_circle_names_the_circle_field(db: Session) -> None:
    with pytest.raises(Invalid) as caught:
        service.publish_story(
            db,
            author=make_account(db),
            circle="nowhere",
            title="t",
            body="b",
            content_warning=None,
            anonymous=False,
        )

    assert [e["field"] for e in caught.value.errors] == ["circle"]


def test_replies_record_their_story_parent_and_depth(db: Session) -> None:
    story = make_story(db)
    first = make_reply(db, story=story)
    second = make_reply(db, story=story, parent=first)

    assert (first.story_id, first.parent_id, first.depth) == (story.id, story.id, 1)
    assert (second.story_id, second.parent_id, second.depth) == (story.id, first.id, 2)
    assert first.circle_id == second.circle_id == story.circle_id


def test_no_reply_is_ever_deeper_than_the_deepest_level(db: Session) -> None:
    story = make_story(db)
    latest = make_reply(db, story=story)
    for _ in range(MAX_REPLY_DEPTH * 2):
        latest = make_reply(db, story=story, parent=latest)

    depths = [p.depth for p in db.scalars(select(Post).where(Post.story_id == story.id))]

    assert max(depths) == MAX_REPLY_DEPTH
    assert latest.depth == MAX_REPLY_DEPTH


def test_a_reply_past_the_deepest_level_goes_beside_its_parent(db: Session) -> None:
    story = make_story(db)
    chain = [make_reply(db, story=story)]
    while chain[-1].depth < MAX_REPLY_DEPTH:
        chain.append(make_reply(db, story=story, parent=chain[-1]))

    extra = make_reply(db, story=story, parent=chain[-1])

    assert extra.parent_id == chain[-2].id
    assert extra.depth == MAX_REPLY_DEPTH


def test_a_reply_at_the_deepest_level_under_someone_elses_pending_post_still_goes_beside(
    db: Session,
) -> None:
    # The pending post's author answered it themselves, so others see that answer (and the
    # pending post as a placeholder above it); answering that answer must not fail.
    story = make_story(db)
    writer = make_account(db)
    chain = [make_reply(db, story=story)]
    while chain[-1].depth < MAX_REPLY_DEPTH - 2:
        chain.append(make_reply(db, story=story, parent=chain[-1]))
    pending = make_reply(db, story=story, parent=chain[-1], author=writer)
    pending.status = PostStatus.pending
    db.flush()
    deepest = make_reply(db, story=story, parent=pending, author=writer)
    assert deepest.depth == MAX_REPLY_DEPTH

    extra = make_reply(db, story=story, parent=deepest, author=make_account(db))

    assert (extra.parent_id, extra.depth) == (pending.id, MAX_REPLY_DEPTH)


def test_replying_to_a_post_that_is_gone_is_a_conflict(db: Session) -> None:
    story = make_story(db)
    reply = make_reply(db, story=story)
    service.erase_post(db, post=reply)

    with pytest.raises(Conflict):
        make_reply(db, story=story, parent=reply)


def test_a_parent_from_another_story_names_the_parent_id_field(db: Session) -> None:
    story = make_story(db)
    stranger = make_reply(db, story=make_story(db))

    with pytest.raises(Invalid) as caught:
        make_reply(db, story=story, parent=stranger)

    assert [e["field"] for e in caught.value.errors] == ["parent_id"]


# --- the thread -----------------------------------------------------------------------------


def test_the_thread_nests_replies_oldest_first(db: Session) -> None:
    story = make_story(db)
    a = make_reply(db, story=story)
    b = make_reply(db, story=story)
    a1 = make_reply(db, story=story, parent=a)
    b1 = make_reply(db, story=story, parent=b)
    a2 = make_reply(db, story=story, parent=a)
    a1x = make_reply(db, story=story, parent=a1)

    thread = service.get_thread(db, story_id=story.id, viewer=None)

    assert thread.story.post is story
    assert thread.circle.id == story.circle_id
    assert tree(thread.replies) == [
        (a.id, [(a1.id, [(a1x.id, [])]), (a2.id, [])]),
        (b.id, [(b1.id, [])]),
    ]


def test_the_thread_hides_pending_replies_from_others_unless_they_have_answers(
    db: Session,
) -> None:
    author = make_account(db)
    story = make_story(db)
    lonely = make_reply(db, story=story, author=author)
    answered = make_reply(db, story=story, author=author)
    answer = make_reply(db, story=story, parent=answered)
    hidden_chain = make_reply(db, story=story, author=author)
    make_reply(db, story=story, parent=hidden_chain, author=author)
    for post in db.scalars(select(Post).where(Post.author_id == author.id)):
        post.status = PostStatus.pending
    db.flush()

    others = service.get_thread(db, story_id=story.id, viewer=make_account(db))
    own = service.get_thread(db, story_id=story.id, viewer=author)

    assert tree(others.replies) == [(answered.id, [(answer.id, [])])]
    assert [n.visible for n in flatten(others.replies)] == [False, True]
    assert [n.post.id for n in own.replies] == [lonely.id, answered.id, hidden_chain.id]
    assert all(n.visible for n in flatten(own.replies))


def test_the_thread_keeps_deleted_and_removed_posts_as_placeholders(db: Session) -> None:
    story = make_story(db)
    deleted = make_reply(db, story=story)
    removed = make_reply(db, story=story)
    service.erase_post(db, post=deleted)
    removed.status = PostStatus.removed
    db.flush()

    thread = service.get_thread(db, story_id=story.id, viewer=None)

    assert [(n.post.id, n.visible) for n in thread.replies] == [
        (deleted.id, False),
        (removed.id, False),
    ]


def test_the_thread_counts_reactions_and_the_viewers_own(db: Session) -> None:
    story = make_story(db)
    reply = make_reply(db, story=story)
    viewer, other = make_account(db), make_account(db)
    reactions.react(db, member=viewer, post=reply, kind=ReactionKind.helpful)
    reactions.react(db, member=other, post=reply, kind=ReactionKind.helpful)
    reactions.react(db, member=other, post=story, kind=ReactionKind.thank_you)

    thread = service.get_thread(db, story_id=story.id, viewer=viewer)

    zero = dict.fromkeys(ReactionKind, 0)
    assert thread.story.reactions == zero | {ReactionKind.thank_you: 1}
    assert thread.story.my_reactions == set()
    assert thread.replies[0].reactions == zero | {ReactionKind.helpful: 2}
    assert thread.replies[0].my_reactions == {ReactionKind.helpful}


@pytest.mark.parametrize("viewer_role", [None, Role.member, Role.moderator])
def test_the_thread_loads_in_the_same_number_of_statements_for_5_or_60_replies(
    db: Session, queries: Any, viewer_role: Role | None
) -> None:
    members = [make_account(db) for _ in range(4)]
    circle = make_circle(db)
    small = build_thread(db, replies=5, circle=circle, members=members)
    large = build_thread(db, replies=60, circle=circle, members=members)
    viewer = make_account(db, role=viewer_role) if viewer_role else None

    counts = []
    sizes = []
    for story in (small, large):
        db.expunge_all()  # nothing answered from the identity map: every row is loaded afresh
        before = queries.count
        thread = service.get_thread(db, story_id=story.id, viewer=viewer)
        # Touch what a page or the API reads, so a lazy load would be counted (or raise).
        for node in flatten([thread.story, *thread.replies]):
            _ = (node.post.body, node.post.author if not node.post.is_anonymous else None)
        counts.append(queries.count - before)
        sizes.append(len(flatten(thread.replies)))

    assert sizes[0] <= 5 < 55 <= sizes[1]
    assert counts[0] == counts[1], counts
    assert counts[0] <= 6


# --- edits and deletes ----------------------------------------------------------------------


def test_an_edit_keeps_the_replaced_version_with_its_time(db: Session) -> None:
    author = make_account(db)
    story = make_story(db, author=author, title="One", body="first", content_warning="cw")

    service.edit_post(db, actor=author, post_id=story.id, changes={"body": "second"})
    first_edit = story.edited_at
    service.edit_post(db, actor=author, post_id=story.id, changes={"title": "Two"})

    kept = revisions(db, story)
    assert [(r.title, r.body, r.content_warning) for r in kept] == [
        ("One", "first", "cw"),
        ("One", "second", "cw"),
    ]
    assert kept[0].created_at == story.created_at
    assert kept[1].created_at == first_edit
    assert (story.title, story.body) == ("Two", "second")
    assert story.edited_at is not None and first_edit is not None
    assert story.edited_at >= first_edit


def test_an_edit_renders_the_new_body_and_excerpt(db: Session) -> None:
    author = make_account(db)
    reply = make_reply(db, story=make_story(db), author=author, body="old")

    service.edit_post(db, actor=author, post_id=reply.id, changes={"body": "**new** text"})

    assert reply.body_html == "<p><strong>new</strong> text</p>\n"
    assert reply.excerpt == "new text"


@pytest.mark.parametrize(
    "changes",
    [
        {"body": "same"},
        {"title": "Same"},
        {"content_warning": None},
        {"body": "same", "title": "Same", "content_warning": None},
    ],
)
def test_an_edit_that_changes_nothing_keeps_no_revision(
    db: Session, changes: dict[str, str | None]
) -> None:
    author = make_account(db)
    story = make_story(db, author=author, title="Same", body="same")

    service.edit_post(db, actor=author, post_id=story.id, changes=changes)

    assert revisions(db, story) == []
    assert story.edited_at is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": None}, "title"),
        ({"body": None}, "body"),
    ],
)
def test_an_edit_cannot_blank_out_a_required_field(
    db: Session, changes: dict[str, str | None], field: str
) -> None:
    author = make_account(db)
    story = make_story(db, author=author)

    with pytest.raises(Invalid) as caught:
        service.edit_post(db, actor=author, post_id=story.id, changes=changes)

    assert [e["field"] for e in caught.value.errors] == [field]


def test_only_the_author_may_edit_or_delete(db: Session) -> None:
    story = make_story(db)
    stranger = make_account(db)

    with pytest.raises(Forbidden):
        service.edit_post(db, actor=stranger, post_id=story.id, changes={"body": "x"})
    with pytest.raises(Forbidden):
        service.delete_post(db, actor=stranger, post_id=story.id)


def test_erasing_a_post_clears_its_words_and_its_revisions(db: Session) -> None:
    author = make_account(db)
    story = make_story(db, author=author, title="T", body="secret", content_warning="cw")
    service.edit_post(db, actor=author, post_id=story.id, changes={"body": "still secret"})

    service.delete_post(db, actor=author, post_id=story.id)

    assert revisions(db, story) == []
    assert (story.title, story.content_warning, story.body, story.body_html, story.excerpt) == (
        None,
        None,
        "",
        "",
        "",
    )
    assert story.deleted_at is not None
    with pytest.raises(Conflict):
        service.delete_post(db, actor=author, post_id=story.id)


# --- listing --------------------------------------------------------------------------------


def test_the_listing_pages_newest_first_across_circles_or_within_one(db: Session) -> None:
    circle, elsewhere = make_circle(db), make_circle(db)
    here = [make_story(db, circle=circle).id for _ in range(5)]
    there = make_story(db, circle=elsewhere)

    first, cursor = service.list_stories(db, circle=circle, limit=2)
    second, cursor2 = service.list_stories(db, circle=circle, limit=2, cursor=cursor)
    third, cursor3 = service.list_stories(db, circle=circle, limit=2, cursor=cursor2)
    everything, _ = service.list_stories(db, limit=100)

    assert [i.story.id for i in first + second + third] == here[::-1]
    assert cursor3 is None
    assert everything[0].story.id == there.id
    assert {i.circle_slug for i in first} == {circle.slug}


def test_a_cursor_past_the_id_range_is_refused_as_not_ours(db: Session) -> None:
    with pytest.raises(Invalid):
        service.list_stories(db, cursor=encode_cursor(10**19 - 1))


def test_the_listing_counts_only_readable_replies(db: Session) -> None:
    story = make_story(db)
    make_reply(db, story=story)
    nested = make_reply(db, story=story, parent=make_reply(db, story=story))
    service.erase_post(db, post=make_reply(db, story=story))
    nested.status = PostStatus.removed
    db.flush()

    [item] = [i for i in service.list_stories(db)[0] if i.story.id == story.id]

    assert item.reply_count == 2


def test_own_posts_leave_out_deleted_ones(db: Session) -> None:
    author = make_account(db)
    kept = make_story(db, author=author)
    gone = make_reply(db, story=kept, author=author)
    service.erase_post(db, post=gone)

    assert [p.id for p in service.list_own_posts(db, author=author)] == [kept.id]


def test_reacting_needs_a_post_the_member_can_read(db: Session) -> None:
    story = make_story(db)
    member = make_account(db)
    service.erase_post(db, post=story)

    with pytest.raises(Conflict):
        service.get_reactable(db, post_id=story.id, viewer=member)


@pytest.mark.parametrize("how", ["deleted", "removed"])
def test_a_story_that_is_gone_takes_no_new_replies_even_under_a_visible_reply(db, how):
    story = make_story(db)
    earlier = make_reply(db, story=story)
    if how == "deleted":
        service.erase_post(db, post=story)
    else:
        story.status = PostStatus.removed
        db.flush()
    with pytest.raises(Conflict):
        make_reply(db, story=story, parent=earlier)
