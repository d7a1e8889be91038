"""Thread versions: a story's stamp of its latest change to anything its page shows.

The shared cache of rendered threads (app/cache.py) tags every entry with this stamp. The
database sets a new random one in the same transaction as the write, whichever code path
made the write
(a reply, an edit, a delete, a reaction, moderation, a report that hides a post, erasure or
anonymisation of an account, a renamed circle), so an entry for an older version is never
asked for again: there is nothing to invalidate and nothing that can be forgotten. Random
rather than counted, so that two databases (a test's, a restored backup's, another
deployment's) sharing one Redis never hold the same stamp for different pages.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 19:00:00
"""

# The statements are put together from this file's own constants only, never from input.
# ruff: noqa: S608

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_STAMP = "random()"
POSTGRES_STAMP = "(random() * 9e18)::bigint"
SQLITE_BUMP = f"UPDATE post SET thread_version = {SQLITE_STAMP} WHERE id"
POSTGRES_BUMP = f"UPDATE post SET thread_version = {POSTGRES_STAMP} WHERE id"
# A post's own story: its story_id, or its own id while a new story has none yet.
STORY_OF_POST = "(SELECT coalesce(story_id, id) FROM post WHERE id = {post_id})"
STORIES_BY = "(SELECT DISTINCT coalesce(story_id, id) FROM post WHERE author_id = {account_id})"

# Every change to a post, except the bump itself (which changes only thread_version), moves
# its thread on (a new stamp equal to the old one, one chance in 2**63, would go unseen); SQLite's triggers do not recurse, and PostgreSQL's WHEN stops the second level.
SQLITE_UP = [
    f"""CREATE TRIGGER post_thread_insert AFTER INSERT ON post BEGIN
        {SQLITE_BUMP} = coalesce(new.story_id, new.id);
    END""",
    f"""CREATE TRIGGER post_thread_update AFTER UPDATE ON post
        WHEN old.thread_version = new.thread_version BEGIN
        {SQLITE_BUMP} IN (coalesce(new.story_id, new.id), coalesce(old.story_id, old.id));
    END""",
    f"""CREATE TRIGGER post_thread_delete AFTER DELETE ON post BEGIN
        {SQLITE_BUMP} = coalesce(old.story_id, old.id);
    END""",
    f"""CREATE TRIGGER reaction_thread_insert AFTER INSERT ON reaction BEGIN
        {SQLITE_BUMP} = {STORY_OF_POST.format(post_id="new.post_id")};
    END""",
    f"""CREATE TRIGGER reaction_thread_delete AFTER DELETE ON reaction BEGIN
        {SQLITE_BUMP} = {STORY_OF_POST.format(post_id="old.post_id")};
    END""",
    f"""CREATE TRIGGER account_thread_rename AFTER UPDATE OF pseudonym ON account
        WHEN old.pseudonym IS NOT new.pseudonym BEGIN
        {SQLITE_BUMP} IN {STORIES_BY.format(account_id="new.id")};
    END""",
    f"""CREATE TRIGGER account_thread_delete BEFORE DELETE ON account BEGIN
        {SQLITE_BUMP} IN {STORIES_BY.format(account_id="old.id")};
    END""",
    f"""CREATE TRIGGER circle_thread_rename AFTER UPDATE OF slug, name ON circle BEGIN
        {SQLITE_BUMP} IN (SELECT id FROM post WHERE parent_id IS NULL AND circle_id = new.id);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER circle_thread_rename",
    "DROP TRIGGER account_thread_delete",
    "DROP TRIGGER account_thread_rename",
    "DROP TRIGGER reaction_thread_delete",
    "DROP TRIGGER reaction_thread_insert",
    "DROP TRIGGER post_thread_delete",
    "DROP TRIGGER post_thread_update",
    "DROP TRIGGER post_thread_insert",
]

POSTGRES_UP = [
    f"""CREATE FUNCTION post_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {POSTGRES_BUMP} = coalesce(NEW.story_id, NEW.id);
        ELSIF TG_OP = 'UPDATE' THEN
            {POSTGRES_BUMP} IN (coalesce(NEW.story_id, NEW.id), coalesce(OLD.story_id, OLD.id));
        ELSE
            {POSTGRES_BUMP} = coalesce(OLD.story_id, OLD.id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER post_thread_write AFTER INSERT OR DELETE ON post
        FOR EACH ROW EXECUTE FUNCTION post_thread_changed()""",
    """CREATE TRIGGER post_thread_update AFTER UPDATE ON post
        FOR EACH ROW WHEN (OLD.thread_version = NEW.thread_version)
        EXECUTE FUNCTION post_thread_changed()""",
    f"""CREATE FUNCTION reaction_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            {POSTGRES_BUMP} = {STORY_OF_POST.format(post_id="OLD.post_id")};
        ELSE
            {POSTGRES_BUMP} = {STORY_OF_POST.format(post_id="NEW.post_id")};
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER reaction_thread_write AFTER INSERT OR DELETE ON reaction
        FOR EACH ROW EXECUTE FUNCTION reaction_thread_changed()""",
    f"""CREATE FUNCTION account_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {POSTGRES_BUMP} IN {STORIES_BY.format(account_id="OLD.id")};
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER account_thread_rename AFTER UPDATE OF pseudonym ON account
        FOR EACH ROW WHEN (OLD.pseudonym IS DISTINCT FROM NEW.pseudonym)
        EXECUTE FUNCTION account_thread_changed()""",
    """CREATE TRIGGER account_thread_delete BEFORE DELETE ON account
        FOR EACH ROW EXECUTE FUNCTION account_thread_changed()""",
    f"""CREATE FUNCTION circle_thread_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {POSTGRES_BUMP} IN (SELECT id FROM post WHERE parent_id IS NULL AND circle_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER circle_thread_rename AFTER UPDATE OF slug, name ON circle
        FOR EACH ROW EXECUTE FUNCTION circle_thread_changed()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER circle_thread_rename ON circle",
    "DROP FUNCTION circle_thread_changed()",
    "DROP TRIGGER account_thread_delete ON account",
    "DROP TRIGGER account_thread_rename ON account",
    "DROP FUNCTION account_thread_changed()",
    "DROP TRIGGER reaction_thread_write ON reaction",
    "DROP FUNCTION reaction_thread_changed()",
    "DROP TRIGGER post_thread_update ON post",
    "DROP TRIGGER post_thread_write ON post",
    "DROP FUNCTION post_thread_changed()",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    op.add_column(
        "post", sa.Column("thread_version", sa.BigInteger(), server_default="0", nullable=False)
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    # Stories written before this revision get a stamp of their own too.
    stamp = SQLITE_STAMP if sqlite else POSTGRES_STAMP
    op.execute(f"UPDATE post SET thread_version = {stamp} WHERE parent_id IS NULL")
    _run(SQLITE_UP if sqlite else POSTGRES_UP)


def downgrade() -> None:
    _run(SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN)
    op.drop_column("post", "thread_version")
