"""The benchmark's community, row by row: members, circles, stories, threads, reactions, notices.

Rows are plain tuples in the column order of the app's tables, made in one pass over a
two-year timeline so that ids follow time as they do on a live forum: stories and replies
interleave, a story's replies are spread over the days after it, a member writes only after
joining. Everything the app derives from other rows is derived the same way here: a reply's
depth (capped at MAX_REPLY_DEPTH, as `reply_to_story` attaches deeper answers beside their
parent), one notice per reply to the author of the post answered (none to oneself), and one
reaction notice per post that others reacted to. Posts are published at once, as they are
with KINDRED_PREMODERATE_FIRST_POSTS=0, so no moderation case exists.
"""

import hashlib
import heapq
import random
import secrets
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from app.accounts import pseudonyms
from app.accounts.service import hash_password
from app.stories.service import MAX_REPLY_DEPTH
from bench.scale.texts import Pool

PASSWORD = "a long bench password, the same for every member"  # noqa: S105 (a test fixture)
STORY_REPLIES = 200  # the thread the story-page scenarios read
READER_ID = 1  # signs in to read the thread below, and has replies in it
POSTER_IDS = range(2, 18)  # sign in through the API to post replies
STORYTELLER_ID = 18  # wrote the 200-reply story
MODERATOR_IDS = range(19, 29)
BROWSER_ID = 29  # signs in to read that thread too, and has written nothing in it
END = datetime(2026, 11, 20, tzinfo=UTC)
SPAN = timedelta(days=730)
BATCH = 20_000  # posts per batch handed to a loader

CIRCLES = [
    ("anxiety", "Anxiety", "Worry, panic and the everyday work of feeling steadier."),
    ("depression", "Depression", "Low days, slow mornings and what helps us through them."),
    ("substance-use", "Substance use", "Recovery from alcohol and drugs, one day at a time."),
    ("residential-life", "Residential life", "Life inside a treatment programme."),
    ("recovery-wins", "Recovery wins", "Small and big steps forward, shared so others can hope."),
    ("family-and-friends", "Family and friends", "Rebuilding trust with the people around us."),
    ("sleep", "Sleep", "Nights, naps and the long road to rest."),
    ("eating", "Eating and food", "Meals, routines and making peace with food."),
    ("grief", "Grief and loss", "Missing people, and carrying on while we do."),
    ("work", "Work and study", "Jobs, exams, returning to work and asking for adjustments."),
    ("parents", "Parents and carers", "Looking after others while looking after ourselves."),
    ("bipolar", "Bipolar", "Highs, lows and the steadier days between."),
    ("trauma", "Trauma", "Living with what happened, at our own pace."),
    ("ocd", "OCD", "Intrusive thoughts, rituals and loosening their grip."),
    ("loneliness", "Loneliness", "Finding people, and being gentle when we cannot."),
    ("medication", "Medication", "Starting, changing and stopping, and talking to doctors."),
    ("lgbtq", "LGBTQ+", "A circle for queer and trans members and their questions."),
    ("young-adults", "Young adults", "Growing up, moving out and everything at once."),
    ("creative", "Creative coping", "Drawing, writing, music and making things."),
    ("newcomers", "Newcomers", "Say hello, ask anything, find your circles."),
]

ACCOUNT_COLUMNS = [
    "id", "pseudonym", "pseudonym_key", "password_hash", "role", "created_at", "suspended_until",
]  # fmt: skip
RECOVERY_COLUMNS = ["id", "account_id", "code_hash", "used_at"]
CIRCLE_COLUMNS = ["id", "slug", "name", "description", "position"]
POST_COLUMNS = [
    "id", "story_id", "parent_id", "depth", "circle_id", "author_id", "is_anonymous", "title",
    "content_warning", "body", "body_html", "excerpt", "is_coping_tip", "status", "created_at",
    "edited_at", "deleted_at", "removed_at", "removal_reason", "screening",
]  # fmt: skip
REACTION_COLUMNS = ["post_id", "account_id", "kind", "created_at"]
NOTIFICATION_COLUMNS = ["id", "account_id", "kind", "post_id", "created_at", "read_at"]
REACTION_KINDS = ("support", "me_too", "helpful", "thank_you")

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Size:
    name: str  # "small" or "large": names the database
    stories: int
    replies: int
    members: int
    circles: int = len(CIRCLES)

    @property
    def label(self) -> str:
        """10k, 1M: the number of replies, as the tables show it."""
        if self.replies >= 1_000_000 and not self.replies % 100_000:
            return f"{self.replies / 1_000_000:g}M"
        return f"{self.replies / 1000:g}k"

    def scaled(self, factor: float) -> "Size":
        return Size(
            self.name,
            max(10, round(self.stories * factor)),
            max(10 * STORY_REPLIES, round(self.replies * factor)),
            max(100, round(self.members * factor)),
        )


FULL = Size("large", stories=100_000, replies=1_000_000, members=50_000)
SMALL = Size("small", stories=1_000, replies=10_000, members=500)


@dataclass
class Batch:
    posts: list[Row] = field(default_factory=list)
    reactions: list[Row] = field(default_factory=list)
    notifications: list[Row] = field(default_factory=list)


@dataclass
class Summary:
    """What the scenarios need to know about the data they run on."""

    story_id: int = 0  # the story with exactly STORY_REPLIES replies
    circle_slug: str = ""  # that story's circle
    posts: int = 0
    reactions: int = 0
    notifications: int = 0


def accounts(size: Size) -> tuple[list[Row], list[Row]]:
    """Members with one real argon2 hash (hashed once) and eight recovery codes each."""
    password_hash = hash_password(PASSWORD)
    adjectives, nouns = pseudonyms.ADJECTIVES, pseudonyms.NOUNS
    rows: list[Row] = []
    codes: list[Row] = []
    seen: set[str] = set()
    i = 0
    while len(rows) < size.members:
        combo, suffix = i % (len(adjectives) * len(nouns)), i // (len(adjectives) * len(nouns))
        name = f"{adjectives[combo % len(adjectives)]}{nouns[combo // len(adjectives)]}{suffix:02d}"
        i += 1
        key = pseudonyms.key(name)
        if key in seen or pseudonyms.validate(name) is not None:
            continue
        seen.add(key)
        account_id = len(rows) + 1
        role = "moderator" if account_id in MODERATOR_IDS else "member"
        rows.append((account_id, name, key, password_hash, role, joined(size, account_id), None))
        for _ in range(8):
            code = hashlib.sha256(secrets.token_hex(10).encode()).hexdigest()
            codes.append((len(codes) + 1, account_id, code, None))
    return rows, codes


def joined(size: Size, account_id: int) -> datetime:
    """Members join over the first 80% of the timeline, in id order; the first few at once."""
    return END - SPAN + SPAN * 0.8 * max(0, account_id - MODERATOR_IDS.stop) / size.members


def circles() -> list[Row]:
    return [(n + 1, slug, name, text, n) for n, (slug, name, text) in enumerate(CIRCLES)]


class _Thread:
    __slots__ = ("posts", "remaining", "story")

    def __init__(self, story: tuple[int, int, int | None, Any], remaining: int) -> None:
        self.story = story  # (id, depth, author_id, parent)
        self.posts: list[tuple[int, int, int | None, Any]] = []
        self.remaining = remaining


class _Generator:
    def __init__(self, size: Size, pool: Pool, rng: random.Random) -> None:
        self.size, self.pool, self.rng = size, pool, rng
        self.start = END - SPAN
        self.next_post_id = 1
        self.next_notification_id = 1
        self.summary = Summary()
        self.screening = pool.stories[0].screening
        self.circle_weights = [1 / (n + 1) ** 0.6 for n in range(size.circles)]

    def author(self, when: datetime) -> int:
        """Anyone who had joined by then (the reader, posters and moderators from the start)."""
        joined_by = 1 + int((when - self.start) / (SPAN * 0.8) * self.size.members)
        return self.rng.randint(1, max(MODERATOR_IDS.stop - 1, min(self.size.members, joined_by)))

    def read_at(self, when: datetime) -> datetime | None:
        """Notices older than a week have been read; the last week's wait."""
        if when > END - timedelta(days=7):
            return None
        return when + timedelta(hours=self.rng.uniform(0.1, 72))

    def notify(
        self, batch: Batch, recipient: int | None, kind: str, post_id: int, when: datetime
    ) -> None:
        batch.notifications.append(
            (self.next_notification_id, recipient, kind, post_id, when, self.read_at(when))
        )
        self.next_notification_id += 1

    def react(self, batch: Batch, post_id: int, author: int, when: datetime, count: int) -> None:
        chosen: set[tuple[int, str]] = set()
        for _ in range(count):
            reactor = self.author(when)
            if reactor != author:
                chosen.add((reactor, self.rng.choice(REACTION_KINDS)))
        if not chosen:
            return
        times = sorted(
            min(END, when + timedelta(minutes=self.rng.uniform(1, 3000))) for _ in chosen
        )
        for (reactor, kind), at in zip(sorted(chosen), times, strict=True):
            batch.reactions.append((post_id, reactor, kind, at))
        self.notify(batch, author, "reaction", post_id, times[0])

    def story(self, batch: Batch, when: datetime, special: bool) -> tuple[int, int]:
        rng, pool = self.rng, self.pool
        post_id, self.next_post_id = self.next_post_id, self.next_post_id + 1
        author = STORYTELLER_ID if special else self.author(when)
        circle = rng.choices(range(1, self.size.circles + 1), self.circle_weights)[0]
        text = rng.choice(pool.stories)
        warning = rng.choice(pool.warnings) if rng.random() < 0.15 else None
        batch.posts.append(
            (post_id, post_id, None, 0, circle, author, rng.random() < 0.08,
             rng.choice(pool.titles), warning, text.body, text.body_html, text.excerpt, False,
             "published", when, None, None, None, None, self.screening)
        )  # fmt: skip
        self.react(batch, post_id, author, when, rng.choice((0, 0, 1, 2, 3, 4, 6, 8)))
        if special:
            self.summary.story_id = post_id
            self.summary.circle_slug = CIRCLES[circle - 1][0]
        return post_id, circle

    def reply(self, batch: Batch, thread: _Thread, circle: int, when: datetime, n: int) -> None:
        rng = self.rng
        parent = thread.story
        if thread.posts and rng.random() < 0.45:
            parent = rng.choice(thread.posts[-6:])  # people answer what they have just read
        if parent[1] >= MAX_REPLY_DEPTH:
            parent = parent[3]
        post_id, self.next_post_id = self.next_post_id, self.next_post_id + 1
        special = thread.story[0] == self.summary.story_id
        author = READER_ID if special and n % 40 == 7 else self.author(when)
        if special and author == BROWSER_ID:
            author = STORYTELLER_ID
        text = rng.choice(self.pool.replies)
        reply = (post_id, parent[1] + 1, author, parent)
        thread.posts.append(reply)
        batch.posts.append(
            (post_id, thread.story[0], parent[0], parent[1] + 1, circle, author,
             rng.random() < 0.08, None, None, text.body, text.body_html, text.excerpt,
             rng.random() < 0.06, "published", when, None, None, None, None, self.screening)
        )  # fmt: skip
        if parent[2] != author:
            self.notify(batch, parent[2], "reply", post_id, when)
        self.react(batch, post_id, author, when, 0 if rng.random() < 0.7 else rng.randint(1, 3))

    def reply_times(self, when: datetime, count: int) -> list[datetime]:
        rng = self.rng
        delays = (
            rng.expovariate(1 / (30 * 86400)) if rng.random() < 0.1 else rng.expovariate(1 / 86400)
            for _ in range(count)
        )
        return sorted(min(END - timedelta(minutes=1), when + timedelta(seconds=d)) for d in delays)

    def run(self) -> Iterator[Batch]:
        size, rng = self.size, self.rng
        usable = SPAN.total_seconds() * 0.98
        times = sorted(rng.uniform(0, usable) for _ in range(size.stories))
        special = size.stories // 2
        weights = [min(rng.paretovariate(1.6), 12.0) for _ in range(size.stories)]
        weights[special] = 0
        counts = Counter(rng.choices(range(size.stories), weights, k=size.replies - STORY_REPLIES))
        counts[special] = STORY_REPLIES
        pending: list[tuple[datetime, int, int]] = []  # (time, story index, reply number)
        threads: dict[int, tuple[_Thread, int]] = {}
        batch = Batch()
        for index, offset in enumerate(times):
            when = self.start + timedelta(seconds=offset)
            while pending and pending[0][0] <= when:
                self._pop_reply(batch, pending, threads)
            post_id, circle = self.story(batch, when, index == special)
            story = (post_id, 0, batch.posts[-1][5], None)
            if counts[index]:
                threads[index] = (_Thread(story, counts[index]), circle)
                for n, at in enumerate(self.reply_times(when, counts[index])):
                    heapq.heappush(pending, (at, index, n))
            if len(batch.posts) >= BATCH:
                yield self._count(batch)
                batch = Batch()
        while pending:
            self._pop_reply(batch, pending, threads)
            if len(batch.posts) >= BATCH:
                yield self._count(batch)
                batch = Batch()
        yield self._count(batch)

    def _pop_reply(
        self,
        batch: Batch,
        pending: list[tuple[datetime, int, int]],
        threads: dict[int, tuple[_Thread, int]],
    ) -> None:
        when, index, n = heapq.heappop(pending)
        thread, circle = threads[index]
        self.reply(batch, thread, circle, when, n)
        thread.remaining -= 1
        if not thread.remaining:
            del threads[index]

    def _count(self, batch: Batch) -> Batch:
        self.summary.posts += len(batch.posts)
        self.summary.reactions += len(batch.reactions)
        self.summary.notifications += len(batch.notifications)
        return batch


def posts(size: Size, pool: Pool, rng: random.Random, summary: Summary) -> Iterator[Batch]:
    """Stories, replies, reactions and notices in batches, in id order; fills `summary`."""
    generator = _Generator(size, pool, rng)
    generator.summary = summary
    yield from generator.run()
