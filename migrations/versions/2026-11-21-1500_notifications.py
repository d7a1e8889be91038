"""In-app notifications: one row per notice, no text and no actor stored.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("account_id", BIG_ID, nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reply",
                "reaction",
                "post_removed",
                "post_approved",
                "appeal_upheld",
                "appeal_overturned",
                "report_reviewed",
                name="notificationkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("post_id", BIG_ID, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_notification_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_notification_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    op.create_index("ix_notification_account_id", "notification", ["account_id", "id"])
    op.create_index(
        "ix_notification_unread",
        "notification",
        ["account_id", "id"],
        postgresql_where=sa.text("read_at IS NULL"),
        sqlite_where=sa.text("read_at IS NULL"),
    )
    op.create_index("ix_notification_post_id", "notification", ["post_id"])


def downgrade() -> None:
    op.drop_index("ix_notification_post_id", table_name="notification")
    op.drop_index("ix_notification_unread", table_name="notification")
    op.drop_index("ix_notification_account_id", table_name="notification")
    op.drop_table("notification")
