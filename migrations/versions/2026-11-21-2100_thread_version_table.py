"""Thread versions in a table of their own, stamped when the writing transaction commits.

Revision 0006 kept each story's version on the story's own row and stamped it as each write
happened. On PostgreSQL that locked the story row in every transaction that wrote anywhere in
its thread, and in the middle of it. Two writers could then take the same two rows in
opposite orders and deadlock: an account being erased updates its story and then its reply,
while a moderator's decision on that reply locks the reply and then, through the trigger,
the story. Now the versions live in `thread_version`, which no other statement writes. On
PostgreSQL its triggers are deferred constraint triggers: they run when the transaction
commits, after every row it writes is already locked. They still run inside it, so the new
version and the write it records become visible together.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-21 21:00:00
"""

# The statements are put together from this file's own constants only, never from input.

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_STAMP = "random()"
POSTGRES_STAMP = "(random() * 9e18)::bigint"
# A new stamp for each story that `stories` (a SELECT of one column named s) yields.
UPSERT = (
    "INSERT INTO thread_version (story_id, version) SELECT s, {stamp} FROM ({stories}) AS t"
    " WHERE s IS NOT NULL ON CONFLICT (story_id) DO UPDATE SET version = excluded.version"
)
STORY_OF_POST = "SELECT coalesce(story_id, id) AS s FROM post WHERE id = {post_id}"
STORIES_BY = "SELECT DISTINCT coalesce(story_id, id) AS s FROM post WHERE author_id = {account_id}"
CIRCLE_STORIES = "SELECT id AS s FROM post WHERE parent_id IS NULL AND circle_id = {circle_id}"
BOTH = (
    "SELECT coalesce({new}.story_id, {new}.id) AS s UNION SELECT coalesce({old}.story_id, {old}.id)"
)


def _sqlite(stories: str) -> str:
    return UPSERT.format(stamp=SQLITE_STAMP, stories=stories)


def _postgres(stories: str) -> str:
    return UPSERT.format(stamp=POSTGRES_STAMP, stories=stories)


SQLITE_UP = [
    f"""CREATE TRIGGER post_thread_insert AFTER INSERT ON post BEGIN
        {_sqlite("SELECT coalesce(new.story_id, new.id) AS s")};
    END""",
    f"""CREATE TRIGGER post_thread_update AFTER UPDATE ON post BEGIN
        {_sqlite(BOTH.format(new="new", old="old"))};
    END""",
    f"""CREATE TRIGGER post_thread_delete AFTER DELETE ON post BEGIN
        {_sqlite("SELECT coalesce(old.story_id, old.id) AS s")};
    END""",
    f"""CREATE TRIGGER reaction_thread_insert AFTER INSERT ON reaction BEGIN
        {_sqlite(STORY_OF_POST.format(post_id="new.post_id"))};
    END""",
    f"""CREATE TRIGGER reaction_thread_delete AFTER DELETE ON reaction BEGIN
        {_sqlite(STORY_OF_POST.format(post_id="old.post_id"))};
    END""",
    f"""CREATE TRIGGER account_thread_rename AFTER UPDATE OF pseudonym ON account
        WHEN old.pseudonym IS NOT new.pseudonym BEGIN
        {_sqlite(STORIES_BY.format(account_id="new.id"))};
    END""",
    f"""CREATE TRIGGER account_thread_delete BEFORE DELETE ON account BEGIN
        {_sqlite(STORIES_BY.format(account_id="old.id"))};
    END""",
    f"""CREATE TRIGGER circle_thread_rename AFTER UPDATE OF slug, name ON circle BEGIN
        {_sqlite(CIRCLE_STORIES.format(circle_id="new.id"))};
    END""",
]
SQLITE_DOWN = [f"DROP TRIGGER {statement.split()[2]}" for statement in reversed(SQLITE_UP)]

# Deferred: each runs as its transaction commits (see above). A deleted account's posts are
# covered by the post trigger: PostgreSQL's ON DELETE SET NULL updates them as rows.
_DEFERRED = "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
POSTGRES_UP = [
    f"""CREATE FUNCTION post_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_postgres("SELECT coalesce(NEW.story_id, NEW.id) AS s")};
        ELSIF TG_OP = 'UPDATE' THEN
            {_postgres(BOTH.format(new="NEW", old="OLD"))};
        ELSE
            {_postgres("SELECT coalesce(OLD.story_id, OLD.id) AS s")};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE CONSTRAINT TRIGGER post_thread AFTER INSERT OR UPDATE OR DELETE ON post
        {_DEFERRED} EXECUTE FUNCTION post_thread_changed()""",
    f"""CREATE FUNCTION reaction_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            {_postgres(STORY_OF_POST.format(post_id="OLD.post_id"))};
        ELSE
            {_postgres(STORY_OF_POST.format(post_id="NEW.post_id"))};
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE CONSTRAINT TRIGGER reaction_thread AFTER INSERT OR DELETE ON reaction
        {_DEFERRED} EXECUTE FUNCTION reaction_thread_changed()""",
    f"""CREATE FUNCTION account_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_postgres(STORIES_BY.format(account_id="NEW.id"))};
        RETURN NULL;
    END $$""",
    f"""CREATE CONSTRAINT TRIGGER account_thread_rename AFTER UPDATE OF pseudonym ON account
        {_DEFERRED} WHEN (OLD.pseudonym IS DISTINCT FROM NEW.pseudonym)
        EXECUTE FUNCTION account_thread_changed()""",
    f"""CREATE FUNCTION circle_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_postgres(CIRCLE_STORIES.format(circle_id="NEW.id"))};
        RETURN NULL;
    END $$""",
    f"""CREATE CONSTRAINT TRIGGER circle_thread_rename AFTER UPDATE OF slug, name ON circle
        {_DEFERRED} EXECUTE FUNCTION circle_thread_changed()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER circle_thread_rename ON circle",
    "DROP FUNCTION circle_thread_changed()",
    "DROP TRIGGER account_thread_rename ON account",
    "DROP FUNCTION account_thread_changed()",
    "DROP TRIGGER reaction_thread ON reaction",
    "DROP FUNCTION reaction_thread_changed()",
    "DROP TRIGGER post_thread ON post",
    "DROP FUNCTION post_thread_changed()",
]


def _previous() -> ModuleType:
    """Revision 0006, whose triggers this one replaces (and a downgrade puts back)."""
    path = Path(__file__).with_name("2026-11-21-1900_thread_versions.py")
    spec = importlib.util.spec_from_file_location("thread_versions_0006", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    previous = _previous()
    _run(previous.SQLITE_DOWN if sqlite else previous.POSTGRES_DOWN)
    op.create_table(
        "thread_version",
        sa.Column("story_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("story_id", name=op.f("pk_thread_version")),
    )
    op.execute(
        "INSERT INTO thread_version (story_id, version)"
        " SELECT id, thread_version FROM post WHERE parent_id IS NULL"
    )
    op.drop_column("post", "thread_version")
    _run(SQLITE_UP if sqlite else POSTGRES_UP)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _run(SQLITE_DOWN if sqlite else POSTGRES_DOWN)
    op.add_column(
        "post", sa.Column("thread_version", sa.BigInteger(), server_default="0", nullable=False)
    )
    op.execute(
        "UPDATE post SET thread_version = coalesce((SELECT version FROM thread_version"
        " WHERE thread_version.story_id = post.id), 0)"
    )
    op.drop_table("thread_version")
    previous = _previous()
    _run(previous.SQLITE_UP if sqlite else previous.POSTGRES_UP)
