import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, utcnow


class NotificationKind(enum.StrEnum):
    reply = "reply"
    reaction = "reaction"
    post_removed = "post_removed"
    post_approved = "post_approved"
    appeal_upheld = "appeal_upheld"
    appeal_overturned = "appeal_overturned"
    report_reviewed = "report_reviewed"


class Notification(Base):
    """A notice for one member about one post.

    It stores no text and no actor: what it says is worked out when it is read, from the post
    as it is then, so a post later removed, deleted or anonymised shows nothing it no longer
    should, and no row links whoever reacted or reported to anyone.
    """

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        Enum(NotificationKind, native_enum=False, length=24, validate_strings=True)
    )
    # The reply for `reply`; otherwise the recipient's own post, or the post they reported.
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        # The list, newest first (keyset on id).
        Index("ix_notification_account_id", "account_id", "id"),
        # The header's unread count and "mark all as read": only unread rows are indexed.
        Index(
            "ix_notification_unread",
            "account_id",
            "id",
            postgresql_where=read_at.is_(None),
            sqlite_where=read_at.is_(None),
        ),
        # Folding and de-duplication look notices up by post; also serves the FK's cascade.
        Index("ix_notification_post_id", "post_id"),
    )
