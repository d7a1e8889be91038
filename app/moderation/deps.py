from typing import Annotated

from fastapi import Depends, Path

from app.accounts.deps import CurrentMember, PageMember
from app.accounts.models import Account
from app.db import MAX_ID
from app.moderation import cases


def current_moderator(member: CurrentMember) -> Account:
    return cases.require_staff(member)


def page_moderator(member: PageMember) -> Account:
    return cases.require_staff(member)


CurrentModerator = Annotated[Account, Depends(current_moderator)]
PageModerator = Annotated[Account, Depends(page_moderator)]
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="a queue item's id")]
AccountId = Annotated[int, Path(ge=1, le=MAX_ID, description="an account's id")]
