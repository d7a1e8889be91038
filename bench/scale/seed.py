"""Loading the community of plan.py into a database the app's own migrations created.

Rows go in with bulk statements, never through the HTTP API: SQLAlchemy Core executemany in
one transaction on SQLite, COPY on PostgreSQL. Secondary indexes, foreign keys and the
search and thread-version triggers are read from the migrated schema, dropped (triggers
disabled on PostgreSQL) for the load and recreated from their own definitions afterwards, so
the database ends exactly as migrated, only fuller: the search index is rebuilt from the rows
(FTS5 'rebuild'; PostgreSQL computes its generated tsvector column as rows arrive), stories
get their thread versions, sequences continue after the last id, and the tables are vacuumed
and analysed so that nothing is left for autovacuum to do during the measurements.
"""

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, create_engine, event, insert
from sqlalchemy.engine import make_url

import app.models  # noqa: F401  (fills Base.metadata)
from app.db import Base
from bench.scale import plan
from bench.scale.texts import Pool

ROOT = Path(__file__).resolve().parents[2]
TABLES = ["account", "recovery_code", "circle", "post", "reaction", "notification"]
# Each story's own random thread version, as migration 0007 gives stories and its triggers
# give every story written later: the databases of one run share a Redis for their pages.
STAMP_STORIES = (
    "INSERT INTO thread_version (story_id, version)"
    " SELECT id, {stamp} FROM post WHERE parent_id IS NULL"
)


@dataclass
class Seeded:
    summary: plan.Summary
    seconds: float  # the whole seed, migration included
    steps: dict[str, float]


def migrate(database_url: str) -> None:
    """`kindred db upgrade`, exactly as an operator runs it."""
    env = os.environ | {"KINDRED_DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "app", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def create_postgres(database_url: str) -> None:
    """Drop and create the database named in the URL (only ever a kindred_bench* one)."""
    name, admin = _admin(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres(database_url: str) -> None:
    name, admin = _admin(database_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(database_url: str) -> tuple[str, str]:
    """The benchmark database's name, and a libpq URL of the server's `postgres` database."""
    name = make_url(database_url).database or ""
    if not name.startswith("kindred_bench"):
        raise ValueError(f"refusing to recreate or drop {name!r}: only kindred_bench* databases")
    return name, libpq(make_url(database_url).set(database="postgres").render_as_string(False))


def libpq(database_url: str) -> str:
    """The SQLAlchemy URL as psycopg takes it."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def seed(database_url: str, size: plan.Size, pool: Pool, *, seed: int = 1) -> Seeded:
    """Create the schema with the app's migrations, then load `size` into it."""
    started = time.perf_counter()
    steps: dict[str, float] = {}
    if database_url.startswith("sqlite"):
        path = Path(make_url(database_url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        create_postgres(database_url)
    migrate(database_url)
    steps["migrate"] = time.perf_counter() - started
    rng = random.Random(seed)  # noqa: S311 (a repeatable dataset, not a secret)
    summary = plan.Summary()
    loader = _load_sqlite if database_url.startswith("sqlite") else _load_postgres
    loader(database_url, size, pool, rng, summary, steps)
    return Seeded(summary, time.perf_counter() - started, steps)


def _timed(steps: dict[str, float], name: str, since: float) -> float:
    now = time.perf_counter()
    steps[name] = steps.get(name, 0.0) + now - since
    return now


# --- SQLite ------------------------------------------------------------------------------------


def _load_sqlite(
    database_url: str,
    size: plan.Size,
    pool: Pool,
    rng: random.Random,
    summary: plan.Summary,
    steps: dict[str, float],
) -> None:
    engine = create_engine(database_url)

    @event.listens_for(engine, "connect")
    def _for_the_load(dbapi_connection: Any, _record: Any) -> None:
        # For the load only: no journal and no fsync (a crash means seeding again), and
        # foreign keys unchecked (the plan makes them consistent; the app turns them on).
        dbapi_connection.isolation_level = None
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "foreign_keys=OFF",
            "cache_size=-524288",
            "temp_store=MEMORY",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    tables = Base.metadata.tables
    with engine.connect() as conn:
        conn.exec_driver_sql("BEGIN")
        now = time.perf_counter()
        saved = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
            " AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))",
            (json.dumps(TABLES),),
        ).all()
        for kind, name, _sql in saved:
            conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
        accounts, codes = plan.accounts(size)
        now = _timed(steps, "generate", now)
        _insert(conn, tables["account"], plan.ACCOUNT_COLUMNS, accounts)
        _insert(conn, tables["recovery_code"], plan.RECOVERY_COLUMNS, codes)
        _insert(conn, tables["circle"], plan.CIRCLE_COLUMNS, plan.circles())
        now = _timed(steps, "insert", now)
        for batch in plan.posts(size, pool, rng, summary):
            now = _timed(steps, "generate", now)
            _insert(conn, tables["post"], plan.POST_COLUMNS, batch.posts)
            _insert(conn, tables["reaction"], plan.REACTION_COLUMNS, batch.reactions)
            _insert(conn, tables["notification"], plan.NOTIFICATION_COLUMNS, batch.notifications)
            now = _timed(steps, "insert", now)
        for kind, _name, sql in saved:
            if kind == "index":
                conn.exec_driver_sql(sql)
        now = _timed(steps, "indexes", now)
        conn.exec_driver_sql("INSERT INTO post_search(post_search) VALUES ('rebuild')")
        conn.exec_driver_sql(STAMP_STORIES.format(stamp="random()"))
        for kind, _name, sql in saved:
            if kind == "trigger":
                conn.exec_driver_sql(sql)
        now = _timed(steps, "search index", now)
        conn.exec_driver_sql("COMMIT")
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # as the app leaves the file
        _timed(steps, "analyze", now)
    engine.dispose()


def _insert(conn: Connection, table: Any, columns: list[str], rows: list[plan.Row]) -> None:
    if rows:
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


# --- PostgreSQL --------------------------------------------------------------------------------


def _load_postgres(
    database_url: str,
    size: plan.Size,
    pool: Pool,
    rng: random.Random,
    summary: plan.Summary,
    steps: dict[str, float],
) -> None:
    with psycopg.connect(libpq(database_url)) as conn:
        now = time.perf_counter()
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        indexes = conn.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
               FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
               WHERE t.relname = ANY(%s)
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            (TABLES,),
        ).fetchall()
        foreign_keys = conn.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
               FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
            (TABLES,),
        ).fetchall()
        for table, name, _definition in foreign_keys:
            conn.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for table in TABLES:  # the thread-version triggers: stamped once, after the load
            conn.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        # Emptied in this transaction, so COPY may write the rows already frozen: nothing is
        # left for (auto)vacuum to rewrite while the benchmark runs. The tables are empty;
        # CASCADE only names the other empty tables that refer to them.
        conn.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        accounts, codes = plan.accounts(size)
        now = _timed(steps, "generate", now)
        _copy(conn, "account", plan.ACCOUNT_COLUMNS, accounts)
        _copy(conn, "recovery_code", plan.RECOVERY_COLUMNS, codes)
        _copy(conn, "circle", plan.CIRCLE_COLUMNS, plan.circles())
        now = _timed(steps, "insert", now)
        for batch in plan.posts(size, pool, rng, summary):
            now = _timed(steps, "generate", now)
            _copy(conn, "post", plan.POST_COLUMNS, _with_json(batch.posts))
            _copy(conn, "reaction", plan.REACTION_COLUMNS, batch.reactions)
            _copy(conn, "notification", plan.NOTIFICATION_COLUMNS, batch.notifications)
            now = _timed(steps, "insert", now)
        for _name, definition in indexes:
            conn.execute(definition)
        for table, name, definition in foreign_keys:
            conn.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        conn.execute(STAMP_STORIES.format(stamp="(random() * 9e18)::bigint"))
        for table in TABLES:
            conn.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        for table in ("account", "recovery_code", "circle", "post", "notification"):
            last = sql.SQL("SELECT max(id) FROM {}").format(sql.Identifier(table))
            conn.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), ({}))").format(last),
                (table,),
            )
        conn.commit()
        now = _timed(steps, "indexes", now)
    with psycopg.connect(libpq(database_url), autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {', '.join(TABLES)}")
    _timed(steps, "analyze", now)


def _with_json(rows: list[plan.Row]) -> Iterator[plan.Row]:
    """The screening column as the app's engine sends it (json.dumps), dumped once per dict."""
    dumped: dict[int, str] = {}
    for row in rows:
        screening = row[-1]
        text = dumped.get(id(screening))
        if text is None:
            text = dumped[id(screening)] = json.dumps(screening)
        yield (*row[:-1], text)


def _copy(conn: psycopg.Connection[Any], table: str, columns: list[str], rows: Any) -> None:
    with conn.cursor() as cursor:
        statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FREEZE)"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
