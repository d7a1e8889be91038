"""Every model, imported once so Base.metadata is complete (Alembic, tests)."""

from app.accounts.models import Account, AuthSession, RecoveryCode
from app.circles.models import Circle
from app.moderation.models import Appeal, AuditEntry, CaseReason, ModerationCase, Report, Sanction
from app.notifications.models import Notification
from app.reactions.models import Reaction
from app.stories.models import Post, PostRevision

__all__ = [
    "Account",
    "Appeal",
    "AuditEntry",
    "AuthSession",
    "CaseReason",
    "Circle",
    "ModerationCase",
    "Notification",
    "Post",
    "PostRevision",
    "Reaction",
    "RecoveryCode",
    "Report",
    "Sanction",
]
