from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, delete, func, select
from sqlalchemy.orm import Session, aliased, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app import ratelimit
from app.accounts.models import Account
from app.circles import service as circles
from app.circles.models import Circle
from app.db import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.moderation import cases as moderation
from app.notifications import notify as notifications
from app.pagination import decode_cursor, encode_cursor
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.safety import sanitize
from app.safety.screen import screen
from app.stories.models import Post, PostRevision, PostStatus, ThreadVersion
from app.stories.schemas import REPLY_BODY_MAX

# Deeper replies are attached beside their parent, so threads stay readable on a phone.
MAX_REPLY_DEPTH = 5
# Post ids are 64-bit (BigInteger, SQLite INTEGER); anything larger names no post.


@dataclass
class Node:
    post: Post
    visible: bool  # False: shown as a placeholder without body
    reactions: dict[ReactionKind, int]
    my_reactions: set[ReactionKind]
    children: list["Node"] = field(default_factory=list)


@dataclass
class Thread:
    story: Node
    circle: Circle
    replies: list[Node]  # top-level replies, each with its children


@dataclass
class StoryListing:
    story: Post
    circle_slug: str
    reply_count: int


def is_author(post: Post, viewer: Account | None) -> bool:
    return viewer is not None and post.author_id == viewer.id


def can_see(post: Post, viewer: Account | None) -> bool:
    """Whether the viewer may read the post's content (else: placeholder, or hidden)."""
    if post.deleted_at is not None:
        return False
    if post.status == PostStatus.published:
        return True
    # Pending and removed posts: their author, and the moderators who decide on them.
    return is_author(post, viewer) or moderation.is_staff(viewer)


def is_gone(post: Post) -> bool:
    """Deleted by its author or removed by a moderator: no new replies, reactions or reports."""
    return post.deleted_at is not None or post.status == PostStatus.removed


def _exists_for(post: Post, viewer: Account | None) -> bool:
    # Removed and deleted posts keep their place; someone else's pending post does not exist yet.
    return post.status != PostStatus.pending or can_see(post, viewer)


def _render(body: str) -> tuple[str, str]:
    return sanitize.render_markdown(body), sanitize.plain_text(body)


@dataclass
class Screened:
    """Fields as they will be stored (personal details redacted) and what screening found."""

    fields: dict[str, str | None]
    stigma: list[dict[str, Any]]
    crisis: bool
    redactions: list[str]

    def report(self, *, held: bool) -> dict[str, Any]:
        return {
            "stigma": self.stigma,
            "crisis": self.crisis,
            "pii_redacted": len(self.redactions),
            "redactions": self.redactions,
            "held_for_review": held,
        }


def screen_fields(**fields: str | None) -> Screened:
    """Screen every text field; stigma offsets point into the field's text as it was sent."""
    result = Screened({}, [], False, [])
    for name, text in fields.items():
        if text is None:
            result.fields[name] = None
            continue
        found = screen(text)
        result.fields[name] = found.redacted_text
        result.crisis = result.crisis or found.is_crisis
        result.redactions += [r.kind for r in found.redactions]
        result.stigma += [
            {
                "field": name,
                "term": m.term,
                "start": m.start,
                "end": m.end,
                "suggestion": m.suggestion,
                "explanation": m.explanation,
            }
            for m in found.stigma
        ]
    return result


def _hold_if_needed(
    session: Session, *, post: Post, author: Account, screened: Screened, new_post: bool
) -> None:
    """Crisis, stigmatising wording and a new member's first posts go to the moderators.

    The queue item is locked before the post row is written: the same order a moderator's
    decision takes, so the two cannot deadlock.
    """
    reasons, held = moderation.hold_reasons(
        session,
        author=author,
        crisis=screened.crisis,
        stigma=bool(screened.stigma),
        first_posts=new_post,
    )
    if reasons:
        moderation.open_case(session, post=post, reasons=reasons)
    if held and post.status == PostStatus.published:
        post.status = PostStatus.pending
    report = screened.report(held=post.status == PostStatus.pending)
    if post.screening != report:  # a new post was written with it already, when not held
        post.screening = report
    session.flush()


def publish_story(
    session: Session,
    *,
    author: Account,
    circle: str,
    title: str,
    body: str,
    content_warning: str | None,
    anonymous: bool,
    premoderate: bool = True,
) -> Post:
    """Share a story; `premoderate=False` is for content an operator seeds (demo data)."""
    moderation.require_active(author)
    ratelimit.hit("story", author.id)
    found = circles.find_circle(session, circle)
    if found is None:
        raise Invalid([{"field": "circle", "message": "Please choose one of the circles."}])
    screened = screen_fields(title=title, content_warning=content_warning, body=body)
    body = screened.fields["body"] or ""
    body_html, excerpt = _render(body)
    story = Post(
        circle_id=found.id,
        author_id=author.id,
        is_anonymous=anonymous,
        title=screened.fields["title"],
        content_warning=screened.fields["content_warning"],
        body=body,
        body_html=body_html,
        excerpt=excerpt,
        status=PostStatus.published,
    )
    session.add(story)
    session.flush()
    story.story_id = story.id
    _hold_if_needed(session, post=story, author=author, screened=screened, new_post=premoderate)
    return story


def _load_post(session: Session, post_id: int) -> Post | None:
    return session.scalar(select(Post).options(joinedload(Post.author)).where(Post.id == post_id))


def get_post(session: Session, *, post_id: int, viewer: Account | None) -> Post:
    post = _load_post(session, post_id)
    if post is None or not _exists_for(post, viewer):
        raise NotFound("There is no post with this id, or it isn't visible to you.")
    return post


def get_story_post(session: Session, *, story_id: int, viewer: Account | None) -> Post:
    post = get_post(session, post_id=story_id, viewer=viewer)
    if not post.is_story:
        raise NotFound("There is no story with this id.")
    return post


def reply_to_story(
    session: Session,
    *,
    author: Account,
    story_id: int,
    body: str,
    parent_id: int | None,
    coping_tip: bool,
    anonymous: bool,
    premoderate: bool = True,
) -> Post:
    moderation.require_active(author)
    ratelimit.hit("reply", author.id)
    story = get_story_post(session, story_id=story_id, viewer=author)
    if is_gone(story):
        # A story its author deleted, or a moderator removed, takes no new replies.
        raise Conflict("This story is no longer open for replies.")
    parent = story
    if parent_id is not None and parent_id != story.id:
        parent = get_post(session, post_id=parent_id, viewer=author)
        if parent.story_id != story.id:
            raise Invalid(
                [{"field": "parent_id", "message": "That post is not part of this story."}]
            )
    if is_gone(parent):
        raise Conflict("That post is no longer available, so it can't be answered.")
    if parent.depth >= MAX_REPLY_DEPTH:
        # The level above may be a post this member can't read (someone's pending reply, shown
        # to them as a placeholder); the answer still goes beside the post it answers.
        parent = session.get_one(Post, parent.parent_id or story.id)
    screened = screen_fields(body=body)
    body = screened.fields["body"] or ""
    body_html, excerpt = _render(body)
    reply = Post(
        story_id=story.id,
        parent_id=parent.id,
        depth=parent.depth + 1,
        circle_id=story.circle_id,
        author_id=author.id,
        is_anonymous=anonymous,
        body=body,
        body_html=body_html,
        excerpt=excerpt,
        is_coping_tip=coping_tip,
        status=PostStatus.published,
        screening=screened.report(held=False),
    )
    session.add(reply)
    session.flush()
    set_committed_value(reply, "author", author)  # known already: answering needs no query
    _hold_if_needed(session, post=reply, author=author, screened=screened, new_post=premoderate)
    # A held reply waits for its approval.
    notifications.notify_reply(session, reply=reply, written_now=True)
    return reply


def get_own_removed_post(session: Session, *, post_id: int, author: Account) -> Post:
    post = get_post(session, post_id=post_id, viewer=author)
    if not is_author(post, author):
        raise Forbidden("Only the author of a post can appeal its removal.")
    if post.status != PostStatus.removed:
        raise Conflict("Only a post a moderator removed can be appealed.")
    return post


def get_own_post(session: Session, *, post_id: int, actor: Account) -> Post:
    post = get_post(session, post_id=post_id, viewer=actor)
    if not is_author(post, actor):
        raise Forbidden("Only the author of a post can change or delete it.")
    if post.deleted_at is not None:
        raise Conflict("This post has been deleted.")
    if post.status == PostStatus.removed:
        raise Conflict("A moderator removed this post, so it can't be changed.")
    return post


def edit_post(
    session: Session, *, actor: Account, post_id: int, changes: dict[str, str | None]
) -> Post:
    """Apply an author's edit; the version it replaces is kept as a revision."""
    moderation.require_active(actor)
    ratelimit.hit("edit", actor.id)
    post = get_own_post(session, post_id=post_id, actor=actor)
    story_fields = {"title", "content_warning"} & changes.keys()
    if story_fields and not post.is_story:
        raise Invalid(
            [{"field": f, "message": "Only a story has this field."} for f in sorted(story_fields)]
        )
    if "title" in changes and changes["title"] is None:
        raise Invalid([{"field": "title", "message": "A story needs a title."}])
    if "body" in changes and changes["body"] is None:
        raise Invalid([{"field": "body", "message": "Please write something before saving."}])
    # PostUpdate allows a story's length; a reply keeps the shorter limit it was written under.
    if not post.is_story and len(changes.get("body") or "") > REPLY_BODY_MAX:
        raise Invalid(
            [{"field": "body", "message": f"A reply can be at most {REPLY_BODY_MAX} characters."}]
        )
    wanted = {
        name: changes[name] for name in ("title", "content_warning", "body") if name in changes
    }
    changed = screen_fields(**wanted)
    new = {
        "title": changed.fields.get("title", post.title),
        "content_warning": changed.fields.get("content_warning", post.content_warning),
        "body": changed.fields.get("body") or post.body,
    }
    if new == {"title": post.title, "content_warning": post.content_warning, "body": post.body}:
        return post
    # Screen the post as it will read, so a title-only edit keeps what the body showed.
    whole = screen_fields(**new) if post.is_story else screen_fields(body=new["body"])
    whole.redactions = changed.redactions
    _hold_if_needed(session, post=post, author=actor, screened=whole, new_post=False)
    session.add(
        PostRevision(
            post_id=post.id,
            title=post.title,
            content_warning=post.content_warning,
            body=post.body,
            body_html=post.body_html,
            created_at=post.edited_at or post.created_at,
        )
    )
    if new["body"] != post.body:
        post.body = new["body"] or ""
        post.body_html, post.excerpt = _render(post.body)
    post.title, post.content_warning = new["title"], new["content_warning"]
    post.edited_at = utcnow()
    session.flush()
    return post


def delete_post(session: Session, *, actor: Account, post_id: int) -> None:
    """The author's own delete erases the words; a placeholder keeps the replies in place."""
    post = get_own_post(session, post_id=post_id, actor=actor)
    erase_post(session, post=post)


def erase_post(session: Session, *, post: Post) -> None:
    session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
    post.title = post.content_warning = None
    post.body = post.body_html = post.excerpt = ""
    post.screening = None  # it quotes the words it flagged
    post.deleted_at = utcnow()
    session.flush()


def find_node(thread: Thread, post_id: int) -> Node:
    """A reply of this thread with its branch below it; NotFound if it is not in the thread."""
    pending = list(thread.replies)
    while pending:
        node = pending.pop()
        if node.post.id == post_id:
            return node
        pending.extend(node.children)
    raise NotFound("That reply is not part of this story.")


def list_revisions(session: Session, *, post: Post) -> list[PostRevision]:
    return list(
        session.scalars(
            select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id)
        )
    )


def thread_version(session: Session, *, story_id: int) -> int | None:
    """The stamp of the latest change to anything the story's page shows (None: no story).

    Read it before the thread itself: what is read after it is then at least this new."""
    # Through the session's connection, not the ORM: this is most of a cached page's cost.
    query = select(ThreadVersion.version).where(ThreadVersion.story_id == story_id)
    return session.connection().execute(query).scalar()


def own_nodes(
    session: Session, *, story_id: int, member: Account, mine: dict[int, set[ReactionKind]]
) -> list[Node]:
    """The member's own posts in a thread (the story too), each as the member sees it."""
    posts = session.scalars(
        select(Post)
        .options(joinedload(Post.author))
        .where(Post.story_id == story_id, Post.author_id == member.id)
        .order_by(Post.id)
    ).all()
    counts = reactions.tally_posts(session, post_ids=[p.id for p in posts]) if posts else {}
    return [
        Node(
            p,
            can_see(p, member),
            counts.get(p.id) or reactions.empty_counts(),
            mine.get(p.id, set()),
        )
        for p in posts
    ]


def circle_of(session: Session, *, story: Post) -> Circle:
    return session.get_one(Circle, story.circle_id)


def get_thread(session: Session, *, story_id: int, viewer: Account | None) -> Thread:
    """A story and its whole reply tree in a fixed number of queries, whatever its size."""
    story = get_story_post(session, story_id=story_id, viewer=viewer)
    circle = circle_of(session, story=story)
    replies = list(
        session.scalars(
            select(Post)
            .options(joinedload(Post.author))
            .where(Post.story_id == story.id, Post.id != story.id)
            .order_by(Post.id)
        )
    )
    counts, mine = reactions.tally_story(session, story_id=story.id, viewer=viewer)

    def node(post: Post) -> Node:
        return Node(
            post,
            can_see(post, viewer),
            counts.get(post.id) or reactions.empty_counts(),
            mine.get(post.id, set()),
        )

    nodes = {r.id: node(r) for r in replies}
    children: dict[int, list[Node]] = defaultdict(list)
    for reply in replies:
        children[reply.parent_id or story.id].append(nodes[reply.id])

    def attach(n: Node) -> bool:
        """Attach children; drop subtrees with nothing this viewer may know about."""
        n.children = [c for c in children.get(n.post.id, []) if attach(c)]
        return _exists_for(n.post, viewer) or bool(n.children)

    root = node(story)
    attach(root)
    return Thread(story=root, circle=circle, replies=root.children)


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def signals_crisis(posts: Iterable[Post], viewer: Account | None) -> bool:
    """Whether something the viewer wrote among these posts of a thread signalled crisis."""
    return any(
        is_author(p, viewer) and p.deleted_at is None and (p.screening or {}).get("crisis")
        for p in posts
    )


def listing_query() -> Select[Post, str, int]:
    reply = aliased(Post)
    reply_count = (
        select(func.count())
        .where(
            reply.story_id == Post.id,
            reply.id != Post.id,
            reply.status == PostStatus.published,
            reply.deleted_at.is_(None),
        )
        .correlate(Post)
        .scalar_subquery()
    )
    return (
        select(Post, Circle.slug, reply_count)
        .join(Circle, Circle.id == Post.circle_id)
        .options(joinedload(Post.author))
        .where(
            and_(
                Post.parent_id.is_(None),
                Post.status == PostStatus.published,
                Post.deleted_at.is_(None),
            )
        )
    )


def list_stories(
    session: Session,
    *,
    circle: Circle | None = None,
    limit: int = 20,
    cursor: str | None = None,
) -> tuple[list[StoryListing], str | None]:
    """Newest first, keyset-paginated on id."""
    query = listing_query()
    if circle is not None:
        query = query.where(Post.circle_id == circle.id)
    if (before := decode_cursor(cursor)) is not None:
        query = query.where(Post.id < before)
    rows = session.execute(query.order_by(Post.id.desc()).limit(limit + 1)).all()
    items = [StoryListing(post, slug, count) for post, slug, count in rows[:limit]]
    next_cursor = encode_cursor(items[-1].story.id) if len(rows) > limit else None
    return items, next_cursor


def nodes_for(
    session: Session, *, posts: list[Post], viewer: Account | None
) -> list[tuple[Node, str]]:
    """Posts outside a thread (one story, a queue page) with their counts: two queries."""
    counts = reactions.tally_posts(session, post_ids=[p.id for p in posts])
    slugs = circles.slugs_of(session, circle_ids={p.circle_id for p in posts})
    return [
        (
            Node(p, can_see(p, viewer), counts.get(p.id) or reactions.empty_counts(), set()),
            slugs[p.circle_id],
        )
        for p in posts
    ]


def get_reactable(session: Session, *, post_id: int, viewer: Account) -> Post:
    post = get_post(session, post_id=post_id, viewer=viewer)
    if is_gone(post):
        raise Conflict("This post is no longer available for reactions.")
    return post


def list_own_posts(session: Session, *, author: Account, limit: int = 50) -> list[Post]:
    return list(
        session.scalars(
            select(Post)
            .where(Post.author_id == author.id, Post.deleted_at.is_(None))
            .order_by(Post.id.desc())
            .limit(limit)
        )
    )
