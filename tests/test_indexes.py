"""Every main query reads the large tables through an index (PostgreSQL's EXPLAIN says so).

The queries are the real ones: each service function runs against a migrated database while
its SELECTs are recorded, then each recorded statement is explained with its own parameters.
The database holds a few thousand rows per table, so its statistics look like a community's;
sequential scans, hash joins and merge joins are then priced out, so the planner takes an
index, joined row by row, wherever one could serve: what it does with millions of rows.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

from app.accounts import service as accounts
from app.accounts.models import Role
from app.db import make_engine
from app.moderation import service as moderation
from app.moderation.models import CaseStatus
from app.notifications import service as notifications
from app.pagination import encode_cursor
from app.reactions import service as reactions
from app.reactions.models import ReactionKind
from app.search import service as search
from app.stories import service as stories
from app.stories import tips
from tests.conftest import _fresh_postgres, migrate
from tests.factories import PASSWORD, make_account, make_circle, make_reply, make_story

LARGE_TABLES = {
    "post",
    "reaction",
    "notification",
    "moderation_case",
    "audit_entry",
    "auth_session",
    "account",
}
# Nodes that read all their input before giving a row: a scan under one of them is read whole.
BLOCKING = {"Sort", "Aggregate", "Hash", "Materialize", "SetOp", "Unique", "WindowAgg"}
SCANS = {"Index Scan", "Index Only Scan", "Bitmap Index Scan"}

# Thousands of rows written in bulk, so the planner's statistics resemble a real community's.
BULK = [
    """INSERT INTO account (pseudonym, pseudonym_key, password_hash, role, created_at)
    SELECT 'Bulk' || g, 'bulk' || g, 'x', 'member', now() FROM generate_series(1, 3000) g""",
    """INSERT INTO post (depth, circle_id, author_id, is_anonymous, title, body, body_html,
        excerpt, is_coping_tip, status, created_at)
    SELECT 0, :circle, (SELECT min(id) FROM account) + g % 3000, false, 'Story ' || g,
        'Words of story ' || g, '<p>Words</p>', 'Words', false,
        CASE WHEN g % 50 = 0 THEN 'pending' ELSE 'published' END, now()
    FROM generate_series(1, 3000) g""",
    "UPDATE post SET story_id = id WHERE story_id IS NULL AND parent_id IS NULL",
    """INSERT INTO post (story_id, parent_id, depth, circle_id, author_id, is_anonymous, body,
        body_html, excerpt, is_coping_tip, status, created_at)
    SELECT s.id, s.id, 1, s.circle_id, s.author_id, false, 'Reply ' || g, '<p>Reply</p>',
        'Reply', g % 25 = 0, 'published', now()
    FROM post s CROSS JOIN generate_series(1, 10) g WHERE s.title LIKE 'Story %'""",
    """INSERT INTO reaction (post_id, account_id, kind, created_at)
    SELECT p.id, p.author_id, k, now() FROM post p CROSS JOIN
        unnest(ARRAY['support', 'helpful']) k WHERE p.id % 3 = 0 AND p.author_id IS NOT NULL""",
    """INSERT INTO notification (account_id, kind, post_id, created_at, read_at)
    SELECT p.author_id, 'reply', p.id, now(), CASE WHEN p.id % 4 = 0 THEN NULL ELSE now() END
    FROM post p WHERE p.parent_id IS NOT NULL""",
    """INSERT INTO notification (account_id, kind, post_id, created_at)
    SELECT :member, 'reaction', p.id, now() FROM post p WHERE p.id % 100 = 0""",
    """INSERT INTO auth_session (account_id, token_hash, kind, created_at, last_seen_at,
        expires_at)
    SELECT a.id, md5(a.pseudonym_key) || md5(a.pseudonym), 'api', now(), now(),
        now() + interval '30 days'
    FROM account a WHERE a.pseudonym_key LIKE 'bulk%'""",
    """INSERT INTO moderation_case (post_id, status, priority, is_escalated, decision,
        created_at, closed_at)
    SELECT p.id, 'closed', 0, false, 'approve', now(), now()
    FROM post p WHERE p.id % 7 = 0 AND p.title LIKE 'Story %'""",
    """INSERT INTO moderation_case (post_id, status, priority, is_escalated, created_at)
    SELECT p.id, 'open', p.id % 3, false, now()
    FROM post p WHERE p.status = 'pending' AND p.title LIKE 'Story %'""",
    """INSERT INTO moderation_case_reason (case_id, reason)
    SELECT c.id, CASE WHEN c.id % 2 = 0 THEN 'first_post' ELSE 'stigma' END
    FROM moderation_case c WHERE NOT EXISTS
        (SELECT 1 FROM moderation_case_reason r WHERE r.case_id = c.id)""",
    """INSERT INTO audit_entry (at, moderator_name, action, target, post_id, account_id, reason)
    SELECT now(), 'system', 'approve', 'post:' || p.id, p.id, p.author_id, ''
    FROM post p WHERE p.id % 5 = 0""",
]

Query = Callable[[Session, dict[str, Any]], object]


@pytest.fixture(scope="module")
def seeded(postgres_server_url: str) -> Iterator[tuple[Engine, dict[str, Any]]]:
    """A migrated database with a little of everything, and the objects the queries need."""
    for url in _fresh_postgres(postgres_server_url):
        engine = make_engine(url)
        migrate(engine)
        with Session(engine, expire_on_commit=False) as session:
            circle = make_circle(session)
            member = make_account(session)
            moderator = make_account(session, role=Role.moderator)
            story = make_story(session, author=member, circle=circle, body="A river walk.")
            tip = make_reply(session, story=story, body="Count five breaths.", coping_tip=True)
            reactions.react(session, member=member, post=tip, kind=ReactionKind.helpful)
            # Crisis wording opens a moderation case; the decision writes the audit log.
            held = make_story(session, circle=circle, body="I want to end my life tonight.")
            case = moderation.list_queue(session, status=CaseStatus.open, limit=20, cursor=None)[0][
                0
            ].case
            moderation.claim_case(session, moderator=moderator, case_id=case.id)
            token, _auth = accounts.start_session(session, account=member, kind="api")
            session.commit()
            circle_id, member_id = circle.id, member.id
            objects = {
                "circle": circle,
                "member": member,
                "moderator": moderator,
                "story": story,
                "held": held,
                "token": token,
            }
        with engine.begin() as connection:
            for statement in BULK:
                connection.execute(text(statement), {"circle": circle_id, "member": member_id})
        with engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        yield engine, objects
        engine.dispose()


def _partial_indexes(connection: Connection) -> set[str]:
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indpred IS NOT NULL"
        )
    )
    return {name for (name,) in rows}


def whole_table_reads(plan: dict[str, Any], partial: set[str]) -> list[str]:
    """Scans that read a whole large table: a Seq Scan, or an index walked without a condition
    when the index is not partial and the walk does not stop early under a LIMIT."""
    found: list[str] = []

    def visit(node: dict[str, Any], stops_early: bool) -> None:
        kind = node["Node Type"]
        table = node.get("Relation Name")
        index = node.get("Index Name")
        if kind == "Seq Scan" and table in LARGE_TABLES:
            found.append(f"Seq Scan on {table}")
        if (
            kind in SCANS
            and "Index Cond" not in node
            and index not in partial
            and not stops_early
            and (table in LARGE_TABLES or kind == "Bitmap Index Scan")
        ):
            found.append(f"{kind} on {table or index} using {index} without a condition")
        if kind == "Limit":
            stops_early = True
        elif kind in BLOCKING:
            stops_early = False
        for child in node.get("Plans", []):
            # A subplan runs per outer row with its own parameters: a fresh start.
            sub = child.get("Parent Relationship") in {"SubPlan", "InitPlan"}
            visit(child, False if sub else stops_early)

    visit(plan, False)
    return found


def explain(connection: Connection, statement: str, parameters: Any) -> dict[str, Any]:
    result = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters)
    plan: dict[str, Any] = result.scalar_one()[0]["Plan"]
    return plan


def plans_of(engine: Engine, objects: dict[str, Any], query: Query) -> list[tuple[str, Any]]:
    """The query's SELECTs as PostgreSQL would run them, each with its plan."""
    statements: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    with engine.connect() as connection:
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
            connection.exec_driver_sql(f"SET {setting} = off")
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        objects = {k: session.merge(v) if hasattr(v, "id") else v for k, v in objects.items()}
        event.listen(connection, "before_cursor_execute", record)
        try:
            query(session, objects)
        finally:
            event.remove(connection, "before_cursor_execute", record)
        partial = _partial_indexes(connection)
        plans = [(s, explain(connection, s, p)) for s, p in statements]
        connection.rollback()
    assert plans, "the query sent no SELECT"
    return [(statement, whole_table_reads(plan, partial)) for statement, plan in plans]


QUERIES: dict[str, Query] = {
    "home listing": lambda s, o: stories.list_stories(s),
    "home listing, next page": lambda s, o: stories.list_stories(
        s, cursor=encode_cursor(o["story"].id + 1)
    ),
    "circle listing": lambda s, o: stories.list_stories(s, circle=o["circle"]),
    "story thread": lambda s, o: stories.get_thread(s, story_id=o["story"].id, viewer=o["member"]),
    "search": lambda s, o: search.search_stories(s, q="river walk"),
    "tips": lambda s, o: tips.list_tips(s),
    "circle tips": lambda s, o: tips.list_tips(s, circle=o["circle"]),
    "notifications": lambda s, o: notifications.list_notifications(s, member=o["member"]),
    "unread notification count": lambda s, o: notifications.unread_count(s, member=o["member"]),
    "moderation queue": lambda s, o: moderation.list_queue(
        s, status=CaseStatus.open, limit=20, cursor=None
    ),
    "moderation queue by reason": lambda s, o: moderation.list_queue(
        s, status=CaseStatus.open, reason="crisis", limit=20, cursor=None
    ),
    "closed moderation cases": lambda s, o: moderation.list_queue(
        s, status=CaseStatus.closed, limit=20, cursor=None
    ),
    "audit log": lambda s, o: moderation.list_log(s, limit=20, cursor=None),
    "a member's audit log": lambda s, o: moderation.list_log(
        s, limit=20, cursor=None, account_id=o["member"].id
    ),
    "sign-in by pseudonym": lambda s, o: accounts.sign_in(
        s, pseudonym=o["member"].pseudonym, password=PASSWORD, kind="api", client="test"
    ),
    "session token lookup": lambda s, o: accounts.authenticate(s, token=o["token"], kind="api"),
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_each_main_query_reads_the_large_tables_only_through_indexes(
    seeded: tuple[Engine, dict[str, Any]], name: str
) -> None:
    engine, objects = seeded
    for statement, reads in plans_of(engine, objects, QUERIES[name]):
        assert reads == [], f"{name}: {reads}\n{statement}"


def test_the_check_notices_a_query_that_no_index_can_serve(
    seeded: tuple[Engine, dict[str, Any]],
) -> None:
    engine, objects = seeded
    unindexed: Query = lambda s, o: s.execute(text("SELECT id FROM post WHERE body = 'x'"))  # noqa: E731
    [(_statement, reads)] = plans_of(engine, objects, unindexed)
    assert reads, "a filter on an unindexed column went unnoticed"
