import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, BigId, utcnow


class ReportReason(enum.StrEnum):
    stigmatising = "stigmatising"
    harassment = "harassment"
    crisis = "crisis"
    personal_info = "personal_info"
    spam = "spam"
    other = "other"


class CaseStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class Decision(enum.StrEnum):
    approve = "approve"
    remove = "remove"
    escalate = "escalate"


def _enum(kind: type[enum.StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=24, validate_strings=True)


class ModerationCase(Base):
    """One queue item per post at a time: reports, holds, first posts and appeals fold in."""

    __tablename__ = "moderation_case"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), default=CaseStatus.open)
    priority: Mapped[int] = mapped_column(default=0)
    is_escalated: Mapped[bool] = mapped_column(default=False)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    claimed_until: Mapped[datetime | None]
    decision: Mapped[Decision | None] = mapped_column(_enum(Decision))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_moderation_case_queue", "status", "priority", "id"),
        # At most one open case per post, so repeated reports fold into it.
        Index(
            "uq_moderation_case_open_post",
            "post_id",
            unique=True,
            postgresql_where=status == CaseStatus.open,
            sqlite_where=status == CaseStatus.open,
        ),
        Index("ix_moderation_case_post_id", "post_id"),
    )


class CaseReason(Base):
    """Why a case is in the queue: "crisis", "stigma", "first_post", "appeal", "report:<reason>"."""

    __tablename__ = "moderation_case_reason"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_case.id", ondelete="CASCADE"), primary_key=True
    )
    reason: Mapped[str] = mapped_column(String(32), primary_key=True)


class Report(Base):
    __tablename__ = "report"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    # Kept without a name when the reporter deletes their account (the report still counts).
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_case.id", ondelete="CASCADE"))
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason))
    details: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("post_id", "reporter_id", name="uq_report_post_reporter"),
        Index("ix_report_case_id", "case_id"),
        Index("ix_report_reporter_id", "reporter_id"),
    )


class Appeal(Base):
    """An author's one appeal against the removal of their post."""

    __tablename__ = "appeal"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("moderation_case.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    # Whoever removed the post may not decide its appeal.
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(16))  # "upheld" or "overturned"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]


class Sanction(Base):
    """A warning or a time-limited suspension, kept as the member's history."""

    __tablename__ = "sanction"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "warning" or "suspension"
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime | None]
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_sanction_account_id", "account_id", "id"),)


class AuditEntry(Base):
    """Append-only record of every moderator action; names are snapshots, ids may be erased."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    moderator_name: Mapped[str] = mapped_column(String(64))  # "system" for automatic actions
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64))  # "post:12", "account:7", "case:3"
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_audit_entry_account_id", "account_id", "id"),
        Index("ix_audit_entry_post_id", "post_id"),
    )
