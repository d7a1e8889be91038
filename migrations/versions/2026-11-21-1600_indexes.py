"""Indexes for the queries a large community makes that had none: the coping tips.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The predicate is written as SQLAlchemy renders the tips query's own conditions, so each
    # database can tell that the query only wants rows this partial index holds.
    op.create_index(
        "ix_post_coping_tips",
        "post",
        ["circle_id", "id"],
        unique=False,
        postgresql_where=sa.text("is_coping_tip IS true AND parent_id IS NOT NULL"),
        sqlite_where=sa.text("is_coping_tip IS 1 AND parent_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_post_coping_tips", "post")
