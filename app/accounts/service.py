import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts import pseudonyms
from app.accounts.models import Account, AuthSession, RecoveryCode, Role
from app.config import get_settings
from app.db import utcnow
from app.errors import AppError, Conflict, NotFound
from app.moderation import cases as moderation
from app.moderation.models import Appeal, Report, Sanction
from app.reactions.models import Reaction
from app.stories import service as stories
from app.stories.models import Post, PostRevision

RECOVERY_CODE_COUNT = 8
# Writing last_seen_at on every request would turn each read into a write.
TOUCH_INTERVAL = timedelta(minutes=5)
GENERATED_NAME_TRIES = 5

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile


class BadCredentials(AppError):
    status, slug, title = 401, "bad-credentials", "That didn't work"


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_matches(account: Account | None, password: str) -> bool:
    # An unknown pseudonym still costs one hash, so timing does not reveal which names exist.
    try:
        return _hasher.verify(account.password_hash if account else _dummy_hash(), password) and (
            account is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _new_code() -> str:
    raw = secrets.token_hex(10)  # 80 bits
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


def find_account(session: Session, pseudonym: str) -> Account | None:
    key = pseudonyms.key(pseudonyms.clean(pseudonym))
    return session.scalar(select(Account).where(Account.pseudonym_key == key))


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("There is no such account.")
    return account


def suggest_pseudonyms(session: Session, *, count: int = 5) -> list[str]:
    candidates = pseudonyms.suggest(count * 2)
    keys = {pseudonyms.key(name): name for name in candidates}
    taken = set(
        session.scalars(select(Account.pseudonym_key).where(Account.pseudonym_key.in_(keys)))
    )
    return [name for key, name in keys.items() if key not in taken][:count]


def issue_recovery_codes(session: Session, *, account: Account) -> list[str]:
    """Replace any earlier codes; the plain codes exist only in this return value."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(
        RecoveryCode(account_id=account.id, code_hash=hash_token(_normalise_code(c))) for c in codes
    )
    session.flush()
    return codes


def has_recovery_codes(session: Session, *, account: Account) -> bool:
    count = session.scalar(select(func.count()).where(RecoveryCode.account_id == account.id))
    return bool(count)


def _free_pseudonym(session: Session) -> str:
    # Once the forum is busy a whole random batch can be taken, so draw again before giving up.
    for _ in range(GENERATED_NAME_TRIES):
        if found := suggest_pseudonyms(session, count=5):
            return found[0]
    raise Conflict("We couldn't find a free pseudonym just now. Please choose one yourself.")


def create_account(
    session: Session, *, pseudonym: str | None, password: str, role: Role = Role.member
) -> Account:
    name = pseudonym or _free_pseudonym(session)
    account = Account(
        pseudonym=name,
        pseudonym_key=pseudonyms.key(name),
        password_hash=hash_password(password),
        role=role,
    )
    try:
        with session.begin_nested():
            session.add(account)
            session.flush()
    except IntegrityError:
        raise Conflict(
            "That pseudonym, or one that looks just like it, is taken. Please try another."
        ) from None
    return account


def start_session(session: Session, *, account: Account, kind: str) -> tuple[str, AuthSession]:
    settings = get_settings()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    auth = AuthSession(
        account_id=account.id,
        token_hash=hash_token(token),
        kind=kind,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(days=settings.session_lifetime_days),
    )
    session.add(auth)
    session.flush()
    return token, auth


def sign_in(
    session: Session, *, pseudonym: str, password: str, kind: str
) -> tuple[str, AuthSession, Account]:
    account = find_account(session, pseudonym)
    if not _password_matches(account, password) or account is None:
        raise BadCredentials("That pseudonym and password don't match. Please try again.")
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    token, auth = start_session(session, account=account, kind=kind)
    return token, auth, account


def authenticate(session: Session, *, token: str, kind: str) -> tuple[Account, bool] | None:
    """The account behind a live token, and whether its last-seen time was refreshed."""
    if not token or len(token) > 128:
        return None
    row = session.execute(
        select(AuthSession, Account)
        .join(Account, Account.id == AuthSession.account_id)
        .where(AuthSession.token_hash == hash_token(token), AuthSession.kind == kind)
    ).first()
    if row is None:
        return None
    auth, account = row
    now = utcnow()
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    if auth.revoked_at is not None or auth.expires_at <= now or auth.last_seen_at + idle <= now:
        return None
    touched = now - auth.last_seen_at >= TOUCH_INTERVAL
    if touched:
        auth.last_seen_at = now
    return account, touched


def end_session(session: Session, *, token: str) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == hash_token(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def end_all_sessions(session: Session, *, account: Account) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.account_id == account.id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def recover_account(
    session: Session, *, pseudonym: str, recovery_code: str, new_password: str
) -> tuple[Account, int]:
    """Use up one recovery code to set a new password; every earlier session ends."""
    account = find_account(session, pseudonym)
    wanted = hash_token(_normalise_code(recovery_code))
    codes = (
        []
        if account is None
        else list(
            session.scalars(
                select(RecoveryCode).where(
                    RecoveryCode.account_id == account.id, RecoveryCode.used_at.is_(None)
                )
            )
        )
    )
    match = next((c for c in codes if hmac.compare_digest(c.code_hash, wanted)), None)
    refused = BadCredentials("That pseudonym and recovery code don't match an unused code.")
    if account is None or match is None:
        raise refused
    # Claimed in one conditional statement: of two requests racing with one code, one wins.
    claimed = session.scalar(
        update(RecoveryCode)
        .where(RecoveryCode.id == match.id, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
        .returning(RecoveryCode.id)
    )
    if claimed is None:
        raise refused
    account.password_hash = hash_password(new_password)
    end_all_sessions(session, account=account)
    session.flush()
    return account, len(codes) - 1


def check_password(account: Account, password: str) -> None:
    if not _password_matches(account, password):
        raise BadCredentials("That password isn't right.")


def set_role(session: Session, *, pseudonym: str, role: Role) -> Account:
    account = find_account(session, pseudonym)
    if account is None:
        raise NotFound(f"No account is called {pseudonym!r}.")
    previous = account.role
    account.role = role
    session.flush()
    if previous != role:
        moderation.record(
            session, moderator=None, action="set_role", account_id=account.id,
            reason=f"{previous.value} -> {role.value} (granted with the kindred CLI)",
        )  # fmt: skip
    return account


def export_account(session: Session, *, account: Account) -> dict[str, Any]:
    """Everything stored about one account, for the member to keep."""
    posts = session.scalars(
        select(Post).where(Post.author_id == account.id).order_by(Post.id)
    ).all()
    revisions = session.scalars(
        select(PostRevision)
        .join(Post, Post.id == PostRevision.post_id)
        .where(Post.author_id == account.id)
        .order_by(PostRevision.id)
    ).all()
    by_post: dict[int, list[dict[str, Any]]] = {}
    for rev in revisions:
        by_post.setdefault(rev.post_id, []).append(
            {
                "title": rev.title,
                "content_warning": rev.content_warning,
                "body": rev.body,
                "saved_at": rev.created_at.isoformat(),
            }
        )
    sessions = session.scalars(
        select(AuthSession).where(AuthSession.account_id == account.id).order_by(AuthSession.id)
    ).all()
    reactions = session.execute(
        select(Reaction.post_id, Reaction.kind, Reaction.created_at)
        .where(Reaction.account_id == account.id)
        .order_by(Reaction.created_at)
    ).all()
    codes = session.scalars(select(RecoveryCode).where(RecoveryCode.account_id == account.id)).all()
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": account.id,
            "pseudonym": account.pseudonym,
            "role": account.role.value,
            "created_at": account.created_at.isoformat(),
        },
        "posts": [
            {
                "id": p.id,
                "story_id": p.story_id,
                "parent_id": p.parent_id,
                "title": p.title,
                "content_warning": p.content_warning,
                "body": p.body,
                "anonymous": p.is_anonymous,
                "coping_tip": p.is_coping_tip,
                "status": p.status.value,
                "created_at": p.created_at.isoformat(),
                "edited_at": p.edited_at.isoformat() if p.edited_at else None,
                "deleted_at": p.deleted_at.isoformat() if p.deleted_at else None,
                "revisions": by_post.get(p.id, []),
            }
            for p in posts
        ],
        "reactions": [
            {"post_id": post_id, "kind": kind.value, "at": at.isoformat()}
            for post_id, kind, at in reactions
        ],
        "sessions": [
            {
                "kind": s.kind,
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
                "expires_at": s.expires_at.isoformat(),
                "revoked_at": s.revoked_at.isoformat() if s.revoked_at else None,
            }
            for s in sessions
        ],
        "recovery_codes": {"total": len(codes), "unused": sum(c.used_at is None for c in codes)},
        **_moderation_record(session, account=account),
    }


def _moderation_record(session: Session, *, account: Account) -> dict[str, Any]:
    """Reports the member filed, their appeals, and warnings or suspensions they received."""
    reports = session.scalars(
        select(Report).where(Report.reporter_id == account.id).order_by(Report.id)
    ).all()
    appeals = session.scalars(
        select(Appeal)
        .join(Post, Post.id == Appeal.post_id)
        .where(Post.author_id == account.id)
        .order_by(Appeal.id)
    ).all()
    sanctions = session.scalars(
        select(Sanction).where(Sanction.account_id == account.id).order_by(Sanction.id)
    ).all()
    return {
        "reports": [
            {
                "post_id": r.post_id,
                "reason": r.reason.value,
                "details": r.details,
                "at": r.created_at.isoformat(),
            }
            for r in reports
        ],
        "appeals": [
            {
                "post_id": a.post_id,
                "text": a.text,
                "outcome": a.outcome,
                "at": a.created_at.isoformat(),
            }
            for a in appeals
        ],
        "moderation": [
            {
                "kind": x.kind,
                "reason": x.reason,
                "until": x.until.isoformat() if x.until else None,
                "at": x.created_at.isoformat(),
            }
            for x in sanctions
        ],
        "suspended_until": account.suspended_until.isoformat() if account.suspended_until else None,
    }


def delete_account(session: Session, *, account: Account, content: str) -> None:
    """Remove the account for good; posts are erased, or kept with no name attached."""
    posts = session.scalars(select(Post).where(Post.author_id == account.id)).all()
    for post in posts:
        if content == "erase":
            stories.erase_post(session, post=post)
            # The appeal's words were the member's too; its outcome stays for the audit.
            session.execute(update(Appeal).where(Appeal.post_id == post.id).values(text=""))
        else:
            session.execute(delete(PostRevision).where(PostRevision.post_id == post.id))
            post.is_anonymous = True
        post.author_id = None
    session.execute(delete(Reaction).where(Reaction.account_id == account.id))
    # Reports still count toward their case, but no longer say who filed them.
    session.execute(update(Report).where(Report.reporter_id == account.id).values(reporter_id=None))
    session.execute(delete(AuthSession).where(AuthSession.account_id == account.id))
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
    session.flush()
    session.delete(account)
    session.flush()


def clear_recovery_codes(session: Session, *, account: Account) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
