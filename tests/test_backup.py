"""The backup and restore docs/DEPLOY.md describes, done once: pg_dump -Fc, then pg_restore."""

import shutil
import subprocess
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app.db import make_engine
from app.search import service as search
from app.stories import service as stories
from tests.conftest import _fresh_postgres, migrate, skip_unless_available
from tests.factories import make_account, make_circle, make_reply, make_story

TABLES = [
    "account",
    "auth_session",
    "circle",
    "post",
    "post_revision",
    "reaction",
    "notification",
    "moderation_case",
    "moderation_case_reason",
    "audit_entry",
    "alembic_version",
]


def _libpq(engine: Engine) -> str:
    """The engine's database as pg_dump and pg_restore name it."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        skip_unless_available(f"the backup test needs {name} (apt-get install postgresql-client)")
    return str(path)


@pytest.fixture
def two_databases(postgres_server_url: str) -> Iterator[tuple[Engine, Engine]]:
    for source_url in _fresh_postgres(postgres_server_url):
        for target_url in _fresh_postgres(postgres_server_url):
            source, target = make_engine(source_url), make_engine(target_url)
            try:
                yield source, target
            finally:
                source.dispose()
                target.dispose()


def _snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {
            table: [
                tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            ]
            for table in TABLES
        }


def test_a_dump_restored_into_an_empty_database_holds_every_row_and_keeps_working(
    two_databases: tuple[Engine, Engine], tmp_path
) -> None:
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    source, target = two_databases
    migrate(source)
    with Session(source) as session:
        circle = make_circle(session)
        author = make_account(session)
        story = make_story(session, author=author, circle=circle, body="Lanterns by the river.")
        make_reply(session, story=story, body="Thank you for writing this.")
        make_story(session, circle=circle, body="I want to end my life tonight.")  # a held post
        stories.edit_post(session, actor=author, post_id=story.id, changes={"body": "Lanterns."})
        session.commit()
        story_id = story.id
    before = _snapshot(source)
    assert all(before[table] for table in ("post", "notification", "moderation_case"))

    dump = tmp_path / "kindred.dump"
    subprocess.run(
        [pg_dump, "--format=custom", f"--file={dump}", _libpq(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    subprocess.run(
        [pg_restore, "--no-owner", "--exit-on-error",
         f"--dbname={_libpq(target)}", str(dump)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip

    assert _snapshot(target) == before
    # The restored database is a working one: ids continue, search finds, threads load.
    with Session(target) as session:
        more = make_story(session, author=make_account(session), circle=make_circle(session))
        assert more.id > max(row[0] for row in before["post"])
        found, _ = search.search_stories(session, q="lanterns")
        assert [listing.story.id for listing, _rank in found] == [story_id]
        thread = stories.get_thread(session, story_id=story_id, viewer=None)
        assert [node.post.body for node in thread.replies] == ["Thank you for writing this."]
        session.rollback()
