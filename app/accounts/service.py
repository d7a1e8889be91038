import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import ratelimit
from app.accounts import pseudonyms
from app.accounts.models import Account, AuthSession, RecoveryCode, Role
from app.config import get_settings
from app.db import utcnow
from app.errors import AppError, Conflict, NotFound
from app.moderation import cases as moderation

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
    # Hashed before the first query: the slow part never runs inside a write transaction.
    password_hash = hash_password(password)
    name = pseudonym or _free_pseudonym(session)
    account = Account(
        pseudonym=name, pseudonym_key=pseudonyms.key(name), password_hash=password_hash, role=role
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


def sign_up(session: Session, *, pseudonym: str | None, password: str, client: str) -> Account:
    ratelimit.check("signup", client)
    account = create_account(session, pseudonym=pseudonym, password=password)
    ratelimit.count("signup", client)
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


def _sign_in_counters(pseudonym: str, client: str) -> list[tuple[str, str]]:
    """Failed sign-ins are counted per place, per account from that place, and per account.

    The per-account count from one place stops guessing quickly; the per-account count from
    anywhere is far higher, so one person guessing from one place cannot lock the real member
    out, and every count lapses on its own, so nobody is locked out for good. The account is
    named by a hash, so the counter store never holds a pseudonym.
    """
    name = hash_token(pseudonyms.key(pseudonyms.clean(pseudonym)))
    return [
        ("signin_client", client),
        ("signin_name", hash_token(f"{client}|{name}")),
        ("signin_account", name),
    ]


def sign_in(
    session: Session, *, pseudonym: str, password: str, kind: str, client: str
) -> tuple[str, AuthSession, Account]:
    counters = _sign_in_counters(pseudonym, client)
    for rule, identifier in counters:
        ratelimit.check(rule, identifier)
    account = find_account(session, pseudonym)
    if not _password_matches(account, password) or account is None:
        for rule, identifier in counters:
            ratelimit.count(rule, identifier)
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
    if not _is_live(auth, now):
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


def _is_live(auth: AuthSession, now: datetime) -> bool:
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    return auth.revoked_at is None and auth.expires_at > now and auth.last_seen_at + idle > now


def list_sessions(session: Session, *, account: Account) -> list[AuthSession]:
    """The member's sessions that still work, most recently used first."""
    rows = session.scalars(
        select(AuthSession)
        .where(AuthSession.account_id == account.id, AuthSession.revoked_at.is_(None))
        .order_by(AuthSession.last_seen_at.desc(), AuthSession.id.desc())
    )
    now = utcnow()
    return [auth for auth in rows if _is_live(auth, now)]


def is_current(auth: AuthSession, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(auth.token_hash, hash_token(token))


def revoke_session(session: Session, *, account: Account, session_id: int) -> AuthSession:
    """End one of the member's own sessions (a lost phone, a shared computer)."""
    auth = session.get(AuthSession, session_id)
    if auth is None or auth.account_id != account.id or not _is_live(auth, utcnow()):
        raise NotFound("There is no such session, or it has already ended.")
    auth.revoked_at = utcnow()
    session.flush()
    return auth


def recover_account(
    session: Session, *, pseudonym: str, recovery_code: str, new_password: str, client: str
) -> tuple[Account, int]:
    """Use up one recovery code to set a new password; every earlier session ends."""
    ratelimit.hit("recover", client)
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


def change_password(
    session: Session, *, account: Account, current_password: str, new_password: str, kind: str
) -> tuple[str, AuthSession]:
    """Set a new password: every session ends, including this one, which is replaced."""
    ratelimit.check("signin_account", hash_token(account.pseudonym_key))
    if not _password_matches(account, current_password):
        ratelimit.count("signin_account", hash_token(account.pseudonym_key))
        raise BadCredentials("That isn't your current password.")
    account.password_hash = hash_password(new_password)
    end_all_sessions(session, account=account)
    return start_session(session, account=account, kind=kind)


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


def clear_recovery_codes(session: Session, *, account: Account) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.account_id == account.id))
