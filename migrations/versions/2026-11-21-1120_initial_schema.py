"""Initial schema: accounts, sessions, recovery codes, circles, posts, revisions, reactions.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 11:20:14.226576
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("pseudonym", sa.String(length=64), nullable=False),
        sa.Column("pseudonym_key", sa.String(length=128), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "role",
            sa.Enum("member", "moderator", "admin", name="role", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("pseudonym_key", name=op.f("uq_account_pseudonym_key")),
    )
    op.create_table(
        "circle",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_circle")),
        sa.UniqueConstraint("slug", name=op.f("uq_circle_slug")),
    )
    op.create_table(
        "auth_session",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_auth_session_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    op.create_index("ix_auth_session_account_id", "auth_session", ["account_id"], unique=False)
    op.create_table(
        "post",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("story_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("parent_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column(
            "circle_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("author_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("is_anonymous", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("content_warning", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("is_coping_tip", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "published", "pending", "removed", name="poststatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["account.id"],
            name=op.f("fk_post_author_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["circle_id"], ["circle.id"], name=op.f("fk_post_circle_id_circle")
        ),
        sa.ForeignKeyConstraint(["parent_id"], ["post.id"], name=op.f("fk_post_parent_id_post")),
        sa.ForeignKeyConstraint(["story_id"], ["post.id"], name=op.f("fk_post_story_id_post")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post")),
    )
    op.create_index("ix_post_author_id", "post", ["author_id", "id"], unique=False)
    op.create_index(
        "ix_post_circle_stories",
        "post",
        ["circle_id", "id"],
        unique=False,
        postgresql_where=sa.text("parent_id IS NULL"),
        sqlite_where=sa.text("parent_id IS NULL"),
    )
    op.create_index(
        "ix_post_stories",
        "post",
        ["id"],
        unique=False,
        postgresql_where=sa.text("parent_id IS NULL"),
        sqlite_where=sa.text("parent_id IS NULL"),
    )
    op.create_index("ix_post_story_id", "post", ["story_id", "id"], unique=False)
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_recovery_code_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
    )
    op.create_index(
        op.f("ix_recovery_code_account_id"), "recovery_code", ["account_id"], unique=False
    )
    op.create_table(
        "post_revision",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("content_warning", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_post_revision_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_revision")),
    )
    op.create_index(op.f("ix_post_revision_post_id"), "post_revision", ["post_id"], unique=False)
    op.create_table(
        "reaction",
        sa.Column("post_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "support",
                "me_too",
                "helpful",
                "thank_you",
                name="reactionkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_reaction_account_id_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["post.id"], name=op.f("fk_reaction_post_id_post"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "account_id", "kind", name=op.f("pk_reaction")),
    )
    op.create_index("ix_reaction_account_id", "reaction", ["account_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_reaction_account_id", "reaction")
    op.drop_table("reaction")
    op.drop_index(op.f("ix_post_revision_post_id"), "post_revision")
    op.drop_table("post_revision")
    op.drop_index(op.f("ix_recovery_code_account_id"), "recovery_code")
    op.drop_table("recovery_code")
    op.drop_index("ix_post_story_id", "post")
    op.drop_index(
        "ix_post_stories",
        "post",
        postgresql_where=sa.text("parent_id IS NULL"),
        sqlite_where=sa.text("parent_id IS NULL"),
    )
    op.drop_index(
        "ix_post_circle_stories",
        "post",
        postgresql_where=sa.text("parent_id IS NULL"),
        sqlite_where=sa.text("parent_id IS NULL"),
    )
    op.drop_index("ix_post_author_id", "post")
    op.drop_table("post")
    op.drop_index("ix_auth_session_account_id", "auth_session")
    op.drop_table("auth_session")
    op.drop_table("circle")
    op.drop_table("account")
