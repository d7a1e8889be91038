from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.accounts import service
from app.accounts.models import Account
from app.db import SessionDep
from app.errors import NotSignedIn
from app.notifications import service as notifications
from app.web import SESSION_COOKIE

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/sessions")


def _resolve(session: SessionDep, token: str | None, kind: str) -> Account | None:
    found = service.authenticate(session, token=token or "", kind=kind)
    if found is None:
        return None
    account, touched = found
    if touched:
        session.commit()  # only the last-seen time is pending here
    return account


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    return credentials.credentials if credentials else None


def optional_member(
    session: SessionDep, token: Annotated[str | None, Depends(bearer_token)]
) -> Account | None:
    return _resolve(session, token, "api")


def current_member(account: Annotated[Account | None, Depends(optional_member)]) -> Account:
    if account is None:
        # RFC 9110 asks every 401 to name the scheme that would work.
        raise NotSignedIn(
            "Sign in first: send Authorization: Bearer <token> from POST /api/v1/sessions.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return account


def page_viewer(request: Request, session: SessionDep) -> Account | None:
    account = _resolve(session, request.cookies.get(SESSION_COOKIE), "web")
    request.state.viewer = account
    if account is not None:
        # For the header on every page: one indexed count, taken while the session is sound.
        request.state.unread_notifications = notifications.unread_count(session, member=account)
    return account


def page_member(account: Annotated[Account | None, Depends(page_viewer)]) -> Account:
    if account is None:
        raise NotSignedIn()
    return account


BearerToken = Annotated[str | None, Depends(bearer_token)]
OptionalMember = Annotated[Account | None, Depends(optional_member)]
CurrentMember = Annotated[Account, Depends(current_member)]
PageViewer = Annotated[Account | None, Depends(page_viewer)]
PageMember = Annotated[Account, Depends(page_member)]
