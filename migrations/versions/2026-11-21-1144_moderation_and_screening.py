"""Moderation (cases, reasons, reports, appeals, sanctions, audit) and screening columns.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 11:44:24.457146
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sanction",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "moderator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_sanction_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["account.id"],
            name=op.f("fk_sanction_moderator_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sanction")),
    )
    op.create_index("ix_sanction_account_id", "sanction", ["account_id", "id"], unique=False)
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "moderator_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("moderator_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_audit_entry_account_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["account.id"],
            name=op.f("fk_audit_entry_moderator_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_audit_entry_post_id_post"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_account_id", "audit_entry", ["account_id", "id"], unique=False)
    op.create_index("ix_audit_entry_post_id", "audit_entry", ["post_id"], unique=False)
    op.create_table(
        "moderation_case",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="casestatus", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("is_escalated", sa.Boolean(), nullable=False),
        sa.Column(
            "claimed_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "decision",
            sa.Enum("approve", "remove", "escalate", name="decision", native_enum=False, length=24),
            nullable=True,
        ),
        sa.Column(
            "decided_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["claimed_by_id"],
            ["account.id"],
            name=op.f("fk_moderation_case_claimed_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["account.id"],
            name=op.f("fk_moderation_case_decided_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["post.id"],
            name=op.f("fk_moderation_case_post_id_post"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderation_case")),
    )
    op.create_index("ix_moderation_case_post_id", "moderation_case", ["post_id"], unique=False)
    op.create_index(
        "ix_moderation_case_queue", "moderation_case", ["status", "priority", "id"], unique=False
    )
    op.create_index(
        "uq_moderation_case_open_post",
        "moderation_case",
        ["post_id"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "appeal",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "removed_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_case.id"],
            name=op.f("fk_appeal_case_id_moderation_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_appeal_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["removed_by_id"],
            ["account.id"],
            name=op.f("fk_appeal_removed_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal")),
        sa.UniqueConstraint("post_id", name=op.f("uq_appeal_post_id")),
    )
    op.create_table(
        "moderation_case_reason",
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_case.id"],
            name=op.f("fk_moderation_case_reason_case_id_moderation_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "reason", name=op.f("pk_moderation_case_reason")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "reporter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "reason",
            sa.Enum(
                "stigmatising",
                "harassment",
                "crisis",
                "personal_info",
                "spam",
                "other",
                name="reportreason",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["moderation_case.id"],
            name=op.f("fk_report_case_id_moderation_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_report_post_id_post"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["account.id"],
            name=op.f("fk_report_reporter_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("post_id", "reporter_id", name="uq_report_post_reporter"),
    )
    op.create_index("ix_report_case_id", "report", ["case_id"], unique=False)
    op.create_index("ix_report_reporter_id", "report", ["reporter_id"], unique=False)
    op.add_column(
        "account", sa.Column("suspended_until", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("post", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("post", sa.Column("removal_reason", sa.Text(), nullable=True))
    op.add_column("post", sa.Column("screening", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Batch mode: SQLite rebuilds the table, PostgreSQL drops the columns in place.
    with op.batch_alter_table("post") as batch_op:
        batch_op.drop_column("screening")
        batch_op.drop_column("removal_reason")
        batch_op.drop_column("removed_at")
    with op.batch_alter_table("account") as batch_op:
        batch_op.drop_column("suspended_until")
    op.drop_index("ix_report_reporter_id", "report")
    op.drop_index("ix_report_case_id", "report")
    op.drop_table("report")
    op.drop_table("moderation_case_reason")
    op.drop_table("appeal")
    op.drop_index(
        "uq_moderation_case_open_post",
        "moderation_case",
        postgresql_where=sa.text("status = 'open'"),
        sqlite_where=sa.text("status = 'open'"),
    )
    op.drop_index("ix_moderation_case_queue", "moderation_case")
    op.drop_index("ix_moderation_case_post_id", "moderation_case")
    op.drop_table("moderation_case")
    op.drop_index("ix_audit_entry_post_id", "audit_entry")
    op.drop_index("ix_audit_entry_account_id", "audit_entry")
    op.drop_table("audit_entry")
    op.drop_index("ix_sanction_account_id", "sanction")
    op.drop_table("sanction")
