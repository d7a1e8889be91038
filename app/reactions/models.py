import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class ReactionKind(enum.StrEnum):
    support = "support"
    me_too = "me_too"
    helpful = "helpful"
    thank_you = "thank_you"


class Reaction(Base):
    __tablename__ = "reaction"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[ReactionKind] = mapped_column(
        Enum(ReactionKind, native_enum=False, length=16, validate_strings=True), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_reaction_account_id", "account_id"),)
