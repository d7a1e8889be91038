"""Full-text search over posts: SQLite FTS5 kept in step by triggers; PostgreSQL tsvector.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 14:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The index reads title and body from `post` itself (external content), so nothing is stored
# twice; the triggers keep it in step with every write, including erasure.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE post_search USING fts5(
        title, body, content='post', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER post_search_insert AFTER INSERT ON post BEGIN
        INSERT INTO post_search(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER post_search_delete AFTER DELETE ON post BEGIN
        INSERT INTO post_search(post_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER post_search_update AFTER UPDATE OF title, body ON post BEGIN
        INSERT INTO post_search(post_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO post_search(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    # A database upgraded with posts in it gets them indexed now.
    "INSERT INTO post_search(post_search) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER post_search_update",
    "DROP TRIGGER post_search_delete",
    "DROP TRIGGER post_search_insert",
    "DROP TABLE post_search",
]
POSTGRES_UP = [
    """ALTER TABLE post ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', body), 'B')) STORED""",
    "CREATE INDEX ix_post_search_vector ON post USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX ix_post_search_vector",
    "ALTER TABLE post DROP COLUMN search_vector",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP)


def downgrade() -> None:
    _run(SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN)
