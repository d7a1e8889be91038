"""Thread versions on PostgreSQL with real commits: set as a write commits, never a deadlock.

The rest of the suite runs inside one transaction that is rolled back, where PostgreSQL's
deferred triggers are made immediate (conftest); these tests commit for real.
"""

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.db import make_engine
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.stories import service as stories
from tests.conftest import _fresh_postgres, migrate
from tests.factories import make_account, make_circle, make_reply, make_story

VERSION = text("SELECT version FROM thread_version WHERE story_id = :story")


@pytest.fixture
def pg(postgres_server_url: str) -> Iterator[Engine]:
    for url in _fresh_postgres(postgres_server_url):
        engine = make_engine(url)
        migrate(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def thread(pg: Engine) -> tuple[int, int, int]:
    """A committed story and a reply in it by the same member: (story, reply, member)."""
    with Session(pg) as session:
        author = make_account(session)
        story = make_story(session, author=author, circle=make_circle(session))
        reply = make_reply(session, story=story, author=author)
        session.commit()
        return story.id, reply.id, author.id


def _version(pg: Engine, story: int) -> int:
    with pg.connect() as connection:
        return int(connection.execute(VERSION, {"story": story}).scalar_one())


def test_a_write_moves_the_version_when_it_commits_and_not_before(pg, thread) -> None:
    story, reply, _member = thread
    before = _version(pg, story)
    with Session(pg) as session:
        post = stories.get_post(session, post_id=reply, viewer=None)
        reactor = make_account(session)
        reactions.react(session, member=reactor, post=post, kind=ReactionKind.support)
        session.flush()
        assert _version(pg, story) == before  # another connection sees nothing yet
        session.commit()
    after = _version(pg, story)
    assert after != before
    with Session(pg) as session:
        make_reply(session, story=stories.get_post(session, post_id=story, viewer=None))
        session.commit()
    assert _version(pg, story) not in (before, after)


def test_writers_taking_a_thread_s_rows_in_opposite_orders_do_not_deadlock(pg, thread) -> None:
    """An account being anonymised (its story, then its reply) while a moderator decides on
    that reply (the reply; the thread's version follows). With the version on the story's
    row, stamped at once (revision 0006), the second writer waited for the story row while
    holding the reply, and PostgreSQL killed one of them as a deadlock."""
    story, reply, _ = thread
    story_locked, reply_locked = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def anonymise() -> None:
        try:
            with pg.connect() as connection:
                update = text("UPDATE post SET is_anonymous = true WHERE id = :id")
                connection.execute(update, {"id": story})
                story_locked.set()
                reply_locked.wait(10)
                connection.execute(update, {"id": reply})  # waits for the moderator
                connection.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    def decide() -> None:
        try:
            story_locked.wait(10)
            with pg.connect() as connection:
                connection.execute(
                    text("UPDATE post SET removal_reason = 'Not kind.' WHERE id = :id"),
                    {"id": reply},
                )
                reply_locked.set()
                _until_someone_waits_for_a_lock(pg)
                connection.commit()
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=anonymise), threading.Thread(target=decide)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    with pg.connect() as connection:
        row = connection.execute(
            text("SELECT is_anonymous, removal_reason FROM post WHERE id = :id"), {"id": reply}
        ).one()
    assert tuple(row) == (True, "Not kind.")


def _until_someone_waits_for_a_lock(pg: Engine) -> None:
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    with pg.connect() as connection:
        for _ in range(200):
            if connection.execute(waiting).scalar_one():
                return
            connection.rollback()
            time.sleep(0.05)
    raise AssertionError("the first writer never waited for the reply's row")
