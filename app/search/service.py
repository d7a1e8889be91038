import re

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    cast,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from app.pagination import decode_key, encode_key
from app.stories import service as stories
from app.stories.models import Post, PostStatus
from app.text import clean_line

# Ranks are compared exactly between pages, so they travel as integers.
RANK_SCALE = 1_000_000_000
QUERY_MAX = 200
# The index objects the migration makes beside the models (see 2026-11-21-1430_full_text_search).
INDEX_TABLE = "post_search"
INDEX_COLUMN = "search_vector"


def is_index_object(name: str | None, kind: str) -> bool:
    """FTS5's table and its shadow tables, or the tsvector column and its index."""
    if kind == "table":
        return bool(name and name.startswith(INDEX_TABLE))
    return name in {INDEX_COLUMN, f"ix_post_{INDEX_COLUMN}"}


_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_WORD = re.compile(r"\w+")


def fts5_query(text: str) -> str | None:
    """A member's words as an FTS5 expression, like PostgreSQL's websearch_to_tsquery.

    Plain words must all appear, "quoted words" as a phrase, `or` between two terms allows
    either, and a leading minus excludes a term. Everything else is treated as text, never
    as FTS5 syntax, so no query can be malformed. None when nothing searchable remains.
    """
    wanted: list[str] = []
    excluded: list[str] = []
    pending_or = False
    for match in _TERM.finditer(text):
        negated = bool(match.group(1) or match.group(3))
        raw = match.group(2) if match.group(2) is not None else match.group(4)
        if match.group(4) is not None and raw.lower() == "or" and not negated:
            pending_or = bool(wanted)
            continue
        words = _WORD.findall(raw)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if negated:
            excluded.append(term)
        elif pending_or and wanted:
            wanted[-1] = f"({wanted[-1]} OR {term})"
        else:
            wanted.append(term)
        pending_or = False
    if not wanted:
        return None
    expression = " AND ".join(wanted)
    return expression + "".join(f" NOT {term}" for term in excluded)


def _matches(session: Session, q: str) -> Select[int, float] | None:
    """(post id, relevance) for every post whose words match, whatever its status."""
    if session.get_bind().dialect.name == "sqlite":
        expression = fts5_query(q)
        if expression is None:
            return None
        index = table(INDEX_TABLE)
        fts: ColumnElement[str] = literal_column(INDEX_TABLE)
        # bm25 is lower for better matches; titles weigh four times the body.
        relevance = -func.bm25(fts, 4.0, 1.0)
        return (
            select(literal_column("rowid").label("post_id"), relevance.label("relevance"))
            .select_from(index)
            .where(fts.op("MATCH")(expression))
        )
    query = func.websearch_to_tsquery("english", q)
    vector: ColumnElement[str] = literal_column(f"post.{INDEX_COLUMN}")
    return select(
        Post.id.label("post_id"), func.ts_rank_cd(vector, query).label("relevance")
    ).where(vector.op("@@")(query))


def search_stories(
    session: Session, *, q: str, limit: int = 20, cursor: str | None = None
) -> tuple[list[tuple[stories.StoryListing, int]], str | None]:
    """Published stories whose title, body or a published reply matches, best first.

    Only what everyone may read is searched: pending, removed and deleted posts, and replies
    in stories that are not shown, never appear.
    """
    # Control and invisible characters (NUL among them) are never part of a search.
    words = clean_line(q)[:QUERY_MAX]
    matches = _matches(session, words) if words else None
    if matches is None:
        return [], None
    # Materialised first: SQLite allows bm25() only in the query that reads the index itself.
    found = matches.cte("found").prefix_with("MATERIALIZED")
    best = (
        select(
            Post.story_id.label("story_id"),
            cast(func.max(found.c.relevance) * RANK_SCALE, BigInteger).label("rank"),
        )
        .join(found, found.c.post_id == Post.id)
        .where(Post.status == PostStatus.published, Post.deleted_at.is_(None))
        .group_by(Post.story_id)
        .subquery()
    )
    query = stories.listing_query().add_columns(best.c.rank).join(best, best.c.story_id == Post.id)
    if (key := decode_key(cursor, 2)) is not None:
        query = query.where(_after(best.c.rank, key))
    rows = session.execute(query.order_by(best.c.rank.desc(), Post.id.desc()).limit(limit + 1))
    page = [(stories.StoryListing(post, slug, count), rank) for post, slug, count, rank in rows]
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last, rank = page[-1]
        next_cursor = encode_key(rank, last.story.id)
    return page, next_cursor


def _after(rank: ColumnElement[int], key: tuple[int, ...]) -> ColumnElement[bool]:
    last_rank, last_id = key
    return or_(rank < last_rank, and_(rank == last_rank, Post.id < last_id))
