from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from app.db import Base, make_engine
from app.search import service as search
from app.search.service import is_index_object
from tests.conftest import _fresh_postgres, alembic_config


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    for url in _fresh_postgres(request.getfixturevalue("postgres_server_url")):
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_the_migrations_build_exactly_the_schema_the_models_describe(engine):
    with engine.connect() as connection:
        opts = {
            "compare_type": True,
            "include_object": lambda obj, name, kind, *_: not is_index_object(name, kind),
        }
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, Base.metadata) == []


def test_every_migration_downgrades_and_upgrades_again(empty_engine):
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert "post" in inspect(empty_engine).get_table_names()
    with empty_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert {"account", "post", "reaction"} <= set(inspect(empty_engine).get_table_names())


def test_upgrading_a_populated_database_keeps_every_row(empty_engine):
    from datetime import UTC, datetime

    from sqlalchemy import text

    sqlite = empty_engine.dialect.name == "sqlite"
    with empty_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        connection.execute(
            text(
                "INSERT INTO account"
                " (id, pseudonym, pseudonym_key, password_hash, role, created_at)"
                " VALUES (1, 'Fern', 'fern', 'x', 'member', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO circle (id, slug, name, description, position)"
                " VALUES (1, 'anxiety', 'Anxiety', '', 0)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO post (id, story_id, parent_id, depth, circle_id, author_id,"
                " is_anonymous, title, body, body_html, excerpt, is_coping_tip, status, created_at)"
                " VALUES (1, NULL, NULL, 0, 1, 1, false, 'T', 'kept words', '<p>kept words</p>',"
                " 'kept words', false, 'published', :now)"
            ),
            {"now": now},
        )
        command.upgrade(alembic_config(connection), "head")
        row = connection.execute(
            text("SELECT body, status, removed_at, screening FROM post WHERE id = 1")
        ).one()
        account = connection.execute(text("SELECT suspended_until FROM account")).one()
        # A story written before thread versions has a stamp of its own, and writes move it.
        version = text("SELECT version FROM thread_version WHERE story_id = 1")
        stamp = connection.execute(version).scalar()
        connection.execute(text("UPDATE post SET body_html = '<p>kept</p>' WHERE id = 1"))
        connection.execute(text("SET CONSTRAINTS ALL IMMEDIATE")) if not sqlite else None
        moved = connection.execute(version).scalar()
        assert stamp not in (None, 0) and moved != stamp
        # Posts written before search existed are in its index after the upgrade.
        matches = search._matches(Session(bind=connection), "kept")
        assert matches is not None
        assert [post_id for post_id, _ in connection.execute(matches)] == [1]
    assert tuple(row) == ("kept words", "published", None, None)
    assert account.suspended_until is None
