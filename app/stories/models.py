import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Account
from app.db import Base, BigId, utcnow


class PostStatus(enum.StrEnum):
    published = "published"
    pending = "pending"
    removed = "removed"


class Post(Base):
    """A story (parent_id is None) or a reply; stories and replies share one id space."""

    __tablename__ = "post"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # The story this post belongs to: its own id for a story, so a whole thread is one lookup.
    story_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"))
    depth: Mapped[int] = mapped_column(default=0)
    circle_id: Mapped[int] = mapped_column(ForeignKey("circle.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    title: Mapped[str | None] = mapped_column(String(200))
    content_warning: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Plain text for lists and previews, made on write like body_html.
    excerpt: Mapped[str] = mapped_column(Text, default="")
    is_coping_tip: Mapped[bool] = mapped_column(default=False)
    status: Mapped[PostStatus] = mapped_column(
        Enum(PostStatus, native_enum=False, length=16, validate_strings=True),
        default=PostStatus.published,
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]
    # Shown to the author: the moderator's reason for removing the post.
    removal_reason: Mapped[str | None] = mapped_column(Text)
    # What screening found when the text was written (stigma, crisis, redactions, held).
    screening: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    author: Mapped[Account | None] = relationship(lazy="raise")

    @property
    def is_story(self) -> bool:
        return self.parent_id is None

    __table_args__ = (
        Index(
            "ix_post_circle_stories",
            "circle_id",
            "id",
            postgresql_where=parent_id.is_(None),
            sqlite_where=parent_id.is_(None),
        ),
        Index(
            "ix_post_stories",
            "id",
            postgresql_where=parent_id.is_(None),
            sqlite_where=parent_id.is_(None),
        ),
        Index("ix_post_story_id", "story_id", "id"),
        # Coping tips, all or one circle's: few rows among millions of replies.
        Index(
            "ix_post_coping_tips",
            "circle_id",
            "id",
            postgresql_where=is_coping_tip.is_(True) & parent_id.is_not(None),
            sqlite_where=is_coping_tip.is_(True) & parent_id.is_not(None),
        ),
        Index("ix_post_author_id", "author_id", "id"),
    )


class PostRevision(Base):
    """An earlier version of a post, kept when its author edits it."""

    __tablename__ = "post_revision"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    content_warning: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadVersion(Base):
    """A story's stamp of the latest change to anything its page shows: a new random value,
    set by database triggers as each writing transaction commits (migrations 0006-0007); the
    shared page cache (app/cache.py) tags entries by it. Written by nothing else."""

    __tablename__ = "thread_version"

    story_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger)
