from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

from app.db import MAX_ID
from app.moderation.models import CaseStatus, Decision, ReportReason
from app.stories.schemas import ReplyRead, StoryPostRead
from app.text import clean_line, has_text


def _text(value: str) -> str:
    if not has_text(value):
        raise ValueError("Please write a few words.")
    return value


def _reason(value: str) -> str:
    value = clean_line(value)
    if not value:
        raise ValueError("Please give a reason.")
    return value


Reason = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_reason)]
Note = Annotated[str | None, Field(default=None, max_length=2000)]


class ReportCreate(BaseModel):
    post_id: int = Field(ge=1, le=MAX_ID)
    reason: ReportReason
    details: Annotated[str | None, Field(max_length=1000)] = None


class ReportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    post_id: int
    reason: ReportReason
    created_at: datetime


class AppealCreate(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_text)]


class AppealRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    post_id: int
    text: str
    outcome: str | None
    created_at: datetime


class DecisionCreate(BaseModel):
    action: Decision
    reason: Reason = Field(description="shown to the author when a post is removed")
    note: Note = Field(default=None, description="for other moderators only")


class SuspensionCreate(BaseModel):
    until: AwareDatetime = Field(description="when the suspension ends (with a time zone)")
    reason: Reason


class WarningCreate(BaseModel):
    reason: Reason


class SanctionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    account_id: int
    kind: str
    reason: str
    until: datetime | None
    created_at: datetime
    lifted_at: datetime | None


class QueueItem(BaseModel):
    id: int
    post: StoryPostRead | ReplyRead
    reasons: list[str]
    priority: int
    status: CaseStatus
    claimed_by: str | None
    created_at: datetime
    reports: int
    escalated: bool
    decision: Decision | None


class AuditEntryRead(BaseModel):
    id: int
    at: datetime
    moderator: str
    action: str
    target: str
    reason: str
    note: str | None


class MemberHistory(BaseModel):
    account: dict[str, Any]
    suspended_until: datetime | None
    sanctions: list[SanctionRead]
    log: list[AuditEntryRead]
