from typing import Annotated, Any

from fastapi import APIRouter, Path, Response

from app.accounts import personal_data, service
from app.accounts.deps import BearerToken, CurrentMember
from app.accounts.models import AuthSession
from app.accounts.schemas import (
    AccountCreate,
    AccountCreated,
    AccountDelete,
    AccountRead,
    AccountRecover,
    AccountRecovered,
    PasswordChange,
    PseudonymSuggestions,
    SessionCreate,
    SessionCreated,
    SessionList,
)
from app.db import MAX_ID, SessionDep
from app.ratelimit import ClientKey

router = APIRouter(tags=["accounts"])


@router.get("/pseudonyms/suggestions", response_model=PseudonymSuggestions)
def suggest_pseudonyms(session: SessionDep) -> dict[str, Any]:
    """Friendly pseudonyms that are free right now."""
    return {"items": service.suggest_pseudonyms(session, count=5)}


@router.post("/accounts", status_code=201, response_model=AccountCreated)
def create_account(body: AccountCreate, session: SessionDep, client: ClientKey) -> dict[str, Any]:
    """Sign up with a pseudonym (or have one chosen) and a password; no e-mail needed."""
    account = service.sign_up(
        session, pseudonym=body.pseudonym, password=body.password, client=client
    )
    codes = service.issue_recovery_codes(session, account=account)
    session.commit()
    return {"account": account, "recovery_codes": codes}


@router.post("/sessions", status_code=201, response_model=SessionCreated)
def sign_in(body: SessionCreate, session: SessionDep, client: ClientKey) -> dict[str, Any]:
    """Sign in and receive a bearer token; repeated failures are slowed down (429)."""
    token, auth, account = service.sign_in(
        session, pseudonym=body.pseudonym, password=body.password, kind="api", client=client
    )
    session.commit()
    return {"token": token, "expires_at": auth.expires_at, "account": account}


@router.delete("/sessions/current", status_code=204)
def sign_out(member: CurrentMember, token: BearerToken, session: SessionDep) -> Response:
    """End the session behind this token."""
    service.end_session(session, token=token or "")
    session.commit()
    return Response(status_code=204)


@router.get("/me/sessions", response_model=SessionList)
def my_sessions(member: CurrentMember, token: BearerToken, session: SessionDep) -> Any:
    """Every session of the caller's that still works, most recently used first."""
    sessions = service.list_sessions(session, account=member)
    return {"items": [_session_read(auth, token) for auth in sessions]}


@router.delete("/me/sessions/{session_id}", status_code=204)
def end_my_session(
    session_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    member: CurrentMember,
    session: SessionDep,
) -> Response:
    """End one of the caller's sessions, e.g. on a lost phone."""
    service.revoke_session(session, account=member, session_id=session_id)
    session.commit()
    return Response(status_code=204)


def _session_read(auth: AuthSession, token: str | None) -> dict[str, Any]:
    return {
        "id": auth.id,
        "kind": auth.kind,
        "created_at": auth.created_at,
        "last_seen_at": auth.last_seen_at,
        "expires_at": auth.expires_at,
        "current": service.is_current(auth, token),
    }


@router.get("/me", response_model=AccountRead)
def me(member: CurrentMember) -> Any:
    """The signed-in account."""
    return member


@router.post("/accounts/recover", response_model=AccountRecovered)
def recover(body: AccountRecover, session: SessionDep, client: ClientKey) -> dict[str, Any]:
    """Set a new password with a one-time recovery code; every other session ends."""
    account, left = service.recover_account(
        session,
        pseudonym=body.pseudonym,
        recovery_code=body.recovery_code,
        new_password=body.new_password,
        client=client,
    )
    session.commit()
    return {"account": account, "recovery_codes_left": left}


@router.put("/me/password", response_model=SessionCreated)
def change_password(body: PasswordChange, member: CurrentMember, session: SessionDep) -> Any:
    """Change the password: every session ends, and a fresh token replaces this one."""
    token, auth = service.change_password(
        session,
        account=member,
        current_password=body.current_password,
        new_password=body.new_password,
        kind="api",
    )
    session.commit()
    return {"token": token, "expires_at": auth.expires_at, "account": member}


@router.get("/me/export")
def export(member: CurrentMember, session: SessionDep) -> dict[str, Any]:
    """Everything Kindred holds about the caller, as JSON."""
    return personal_data.export_account(session, account=member)


@router.delete("/me", status_code=204)
def delete_me(body: AccountDelete, member: CurrentMember, session: SessionDep) -> Response:
    """Delete the account; its posts are erased or kept without a name, as asked."""
    service.check_password(member, body.password)
    personal_data.delete_account(session, account=member, content=body.content)
    session.commit()
    return Response(status_code=204)
