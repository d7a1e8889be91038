"""Every model, imported once so Base.metadata is complete (Alembic, tests)."""

from app.accounts.models import Account, AuthSession, RecoveryCode
from app.circles.models import Circle
from app.reactions.models import Reaction
from app.stories.models import Post, PostRevision

__all__ = ["Account", "AuthSession", "Circle", "Post", "PostRevision", "Reaction", "RecoveryCode"]
