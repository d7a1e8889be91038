import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from types import SimpleNamespace

import pytest
from argon2 import PasswordHasher
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from app.accounts import personal_data, pseudonyms, service
from app.accounts.models import Account, AuthSession, RecoveryCode, Role
from app.config import get_settings
from app.db import utcnow
from app.errors import Conflict
from app.reactions import service as reactions
from app.reactions.models import Reaction, ReactionKind
from tests.factories import PASSWORD, make_account, make_story

NEW_PASSWORD = "slow tide, steady lamp"


def column_text(db: Session, table: str) -> str:
    rows = db.execute(text(f"SELECT * FROM {table}")).all()
    return "\n".join(repr(tuple(row)) for row in rows)


def set_last_seen(db: Session, auth: AuthSession, minutes_ago: float) -> None:
    db.execute(
        update(AuthSession)
        .where(AuthSession.id == auth.id)
        .values(last_seen_at=utcnow() - timedelta(minutes=minutes_ago))
    )


# --- passwords ------------------------------------------------------------------------------


def test_password_hashes_are_salted_argon2id_and_never_the_password(db):
    first = service.create_account(db, pseudonym="QuietHarbor", password=PASSWORD)
    second = service.create_account(db, pseudonym="BrightFern", password=PASSWORD)
    for account in (first, second):
        assert account.password_hash.startswith("$argon2id$")
        assert account.password_hash != PASSWORD
        assert PASSWORD not in account.password_hash
    assert first.password_hash != second.password_hash
    assert PASSWORD not in column_text(db, "account")


def test_checking_a_password_accepts_the_right_one_and_refuses_others(db):
    account = make_account(db)
    service.check_password(account, PASSWORD)
    for wrong in ("", "A CALM RIVER AT DAWN", PASSWORD + " ", "a calm river"):
        with pytest.raises(service.BadCredentials):
            service.check_password(account, wrong)


def test_signing_in_upgrades_a_hash_made_with_weaker_settings(db):
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    account = make_account(db)
    account.password_hash = weak.hash(PASSWORD)
    db.flush()
    old_hash = account.password_hash
    service.sign_in(
        db, pseudonym=account.pseudonym, password=PASSWORD, kind="api", client="test-client"
    )
    assert account.password_hash != old_hash
    assert account.password_hash.startswith("$argon2id$")
    assert not service._hasher.check_needs_rehash(account.password_hash)
    service.check_password(account, PASSWORD)


def test_signing_in_with_an_unknown_name_or_wrong_password_starts_no_session(db):
    account = make_account(db, pseudonym="QuietHarbor")
    for pseudonym, password in (("QuietHarbor", "not it at all"), ("NobodyHere", PASSWORD)):
        with pytest.raises(service.BadCredentials) as refused:
            service.sign_in(
                db, pseudonym=pseudonym, password=password, kind="api", client="test-client"
            )
        assert refused.value.message == "That pseudonym and password don't match. Please try again."
    assert db.scalar(select(func.count()).where(AuthSession.account_id == account.id)) == 0


def test_an_unknown_pseudonym_still_costs_one_full_password_check(db, monkeypatch):
    # Answering faster for names that don't exist would let anyone list the members.
    make_account(db, pseudonym="QuietHarbor")
    checked: list[str] = []

    class Spy(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            checked.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(service, "_hasher", Spy())
    for pseudonym in ("QuietHarbor", "NobodyHere"):
        with pytest.raises(service.BadCredentials):
            service.sign_in(
                db, pseudonym=pseudonym, password="not it at all", kind="api", client="test-client"
            )
    assert len(checked) == 2 and all(h.startswith("$argon2id$") for h in checked)


# --- creating accounts ----------------------------------------------------------------------


def test_a_new_account_stores_its_look_alike_proof_key(db):
    account = service.create_account(db, pseudonym="Quiet Harbor", password=PASSWORD)
    assert account.pseudonym == "Quiet Harbor"
    assert account.pseudonym_key == pseudonyms.key("Quiet Harbor")
    assert account.role == Role.member


def test_a_taken_name_is_a_conflict_and_the_session_stays_usable(db):
    earlier = make_account(db, pseudonym="QuietHarbor")
    with pytest.raises(Conflict):
        service.create_account(db, pseudonym="quiet_harbor", password=PASSWORD)
    # The failed insert is undone on its own: what the request did before it survives.
    assert db.scalar(select(func.count()).select_from(Account)) == 1
    assert db.get(Account, earlier.id) is earlier
    assert service.find_account(db, "QUIET HARBOR") is earlier


def test_an_account_without_a_chosen_name_gets_a_free_suggestion(db, monkeypatch):
    make_account(db, pseudonym="CalmRiver12")
    monkeypatch.setattr(pseudonyms, "suggest", lambda count: ["CalmRiver12", "SoftCedar45"][:count])
    account = service.create_account(db, pseudonym=None, password=PASSWORD)
    assert account.pseudonym == "SoftCedar45"


# --- recovery codes -------------------------------------------------------------------------


def test_recovery_codes_are_eight_random_codes_stored_only_as_sha256_hashes(db):
    account = make_account(db)
    codes = service.issue_recovery_codes(db, account=account)
    assert len(codes) == 8 and len(set(codes)) == 8
    assert all(re.fullmatch(r"[0-9a-f]{5}(-[0-9a-f]{5}){3}", code) for code in codes)
    stored = set(
        db.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.account_id == account.id))
    )
    assert stored == {hashlib.sha256(code.replace("-", "").encode()).hexdigest() for code in codes}
    table = column_text(db, "recovery_code")
    assert [code for code in codes if code in table or code.replace("-", "") in table] == []


def test_issuing_recovery_codes_again_makes_the_old_ones_useless(db):
    account = make_account(db, pseudonym="QuietHarbor")
    old = service.issue_recovery_codes(db, account=account)
    new = service.issue_recovery_codes(db, account=account)
    assert not set(old) & set(new)
    assert db.scalar(select(func.count()).where(RecoveryCode.account_id == account.id)) == 8
    with pytest.raises(service.BadCredentials):
        service.recover_account(
            db,
            pseudonym="QuietHarbor",
            recovery_code=old[0],
            new_password=NEW_PASSWORD,
            client="test-client",
        )


def test_recovering_uses_up_one_code_changes_the_password_and_ends_every_session(db):
    account = make_account(db, pseudonym="QuietHarbor")
    codes = service.issue_recovery_codes(db, account=account)
    api_token, _ = service.start_session(db, account=account, kind="api")
    web_token, _ = service.start_session(db, account=account, kind="web")
    other = make_account(db)
    others_token, _ = service.start_session(db, account=other, kind="api")

    found, left = service.recover_account(
        db,
        pseudonym="quietharbor",
        recovery_code=codes[5],
        new_password=NEW_PASSWORD,
        client="test-client",
    )
    assert found is account and left == 7
    service.check_password(account, NEW_PASSWORD)
    with pytest.raises(service.BadCredentials):
        service.check_password(account, PASSWORD)
    assert service.authenticate(db, token=api_token, kind="api") is None
    assert service.authenticate(db, token=web_token, kind="web") is None
    assert service.authenticate(db, token=others_token, kind="api") is not None
    used = db.scalar(select(RecoveryCode).where(RecoveryCode.used_at.is_not(None)))
    assert used is not None and used.code_hash == service.hash_token(codes[5].replace("-", ""))
    _, left = service.recover_account(
        db,
        pseudonym="QuietHarbor",
        recovery_code=codes[6],
        new_password=PASSWORD,
        client="test-client",
    )
    assert left == 6


def test_one_code_sent_by_two_requests_at_once_recovers_the_account_only_once(engine, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer in at a time; this race needs PostgreSQL's row locks")
    # Real commits on separate connections, as two simultaneous requests would make them.
    with Session(engine) as setup:
        account = make_account(setup, pseudonym=f"Racer{secrets.token_hex(4)}")
        name, account_id = account.pseudonym, account.id
        codes = service.issue_recovery_codes(setup, account=account)
        setup.commit()
    compare = hmac.compare_digest
    raced: list[bool] = []

    def other_request_wins_meanwhile(a: str, b: str) -> bool:
        # Runs after this request has read the unused codes and before it marks one used.
        if not raced:
            raced.append(True)
            with Session(engine) as other:
                service.recover_account(
                    other,
                    pseudonym=name,
                    recovery_code=codes[0],
                    new_password=PASSWORD,
                    client="test-client",
                )
                other.commit()
        return compare(a, b)

    monkeypatch.setattr(
        service, "hmac", SimpleNamespace(compare_digest=other_request_wins_meanwhile)
    )
    try:
        with Session(engine) as mine, pytest.raises(service.BadCredentials):
            service.recover_account(
                mine,
                pseudonym=name,
                recovery_code=codes[0],
                new_password=NEW_PASSWORD,
                client="test-client",
            )
        with Session(engine) as check:
            stored = check.get_one(Account, account_id)
            service.check_password(stored, PASSWORD)
            used = check.scalar(
                select(func.count()).where(
                    RecoveryCode.account_id == account_id, RecoveryCode.used_at.is_not(None)
                )
            )
            assert used == 1
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(Account).where(Account.id == account_id))
            cleanup.commit()


def test_clearing_recovery_codes_lets_the_codes_page_make_a_new_set(db):
    account = make_account(db)
    service.issue_recovery_codes(db, account=account)
    assert service.has_recovery_codes(db, account=account)
    service.clear_recovery_codes(db, account=account)
    assert not service.has_recovery_codes(db, account=account)


# --- sessions -------------------------------------------------------------------------------


def test_tokens_are_random_and_stored_only_as_sha256_hashes(db):
    account = make_account(db)
    first, auth = service.start_session(db, account=account, kind="api")
    second, _ = service.start_session(db, account=account, kind="api")
    assert first != second and len(first) >= 40
    assert auth.token_hash == hashlib.sha256(first.encode()).hexdigest()
    table = column_text(db, "auth_session")
    assert first not in table and second not in table
    assert auth.token_hash in table


def test_a_session_lasts_the_configured_lifetime(db):
    _token, auth = service.start_session(db, account=make_account(db), kind="web")
    lifetime = timedelta(days=get_settings().session_lifetime_days)
    assert auth.expires_at - auth.created_at == lifetime
    assert auth.last_seen_at == auth.created_at and auth.revoked_at is None


@pytest.mark.parametrize(
    ("minutes_ago", "refreshed"),
    [
        (0, False),
        (1, False),
        (4.5, False),
        (5.5, True),
        (60, True),
        (60 * 24 * 6, True),
    ],
)
def test_authenticate_refreshes_last_seen_at_at_most_every_few_minutes(db, minutes_ago, refreshed):
    account = make_account(db)
    token, auth = service.start_session(db, account=account, kind="api")
    set_last_seen(db, auth, minutes_ago)
    before = auth.last_seen_at
    found = service.authenticate(db, token=token, kind="api")
    assert found == (account, refreshed)
    if refreshed:
        assert auth.last_seen_at > before and utcnow() - auth.last_seen_at < timedelta(seconds=5)
    else:
        assert auth.last_seen_at == before


def test_a_busy_session_is_written_once_in_a_burst_of_requests(db):
    token, auth = service.start_session(db, account=make_account(db), kind="api")
    set_last_seen(db, auth, 10)
    results = [service.authenticate(db, token=token, kind="api") for _ in range(5)]
    assert [touched for _account, touched in results] == [True, False, False, False, False]


@pytest.mark.parametrize(
    "spoil",
    [
        {"revoked_at": utcnow},
        {"expires_at": lambda: utcnow() - timedelta(seconds=1)},
        {"last_seen_at": lambda: utcnow() - timedelta(minutes=get_settings().session_idle_minutes)},
    ],
    ids=["revoked", "expired", "idle"],
)
def test_authenticate_refuses_sessions_that_have_ended(db, spoil):
    token, auth = service.start_session(db, account=make_account(db), kind="api")
    db.execute(
        update(AuthSession)
        .where(AuthSession.id == auth.id)
        .values({name: make() for name, make in spoil.items()})
    )
    assert service.authenticate(db, token=token, kind="api") is None


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 129])
def test_authenticate_refuses_tokens_it_never_issued(db, token):
    service.start_session(db, account=make_account(db), kind="api")
    assert service.authenticate(db, token=token, kind="api") is None


def test_a_token_only_works_for_the_kind_of_session_it_was_issued_for(db):
    account = make_account(db)
    api_token, _ = service.start_session(db, account=account, kind="api")
    web_token, _ = service.start_session(db, account=account, kind="web")
    assert service.authenticate(db, token=api_token, kind="web") is None
    assert service.authenticate(db, token=web_token, kind="api") is None


def test_ending_a_session_leaves_the_others_alive(db):
    account = make_account(db)
    ended, _ = service.start_session(db, account=account, kind="api")
    kept, _ = service.start_session(db, account=account, kind="api")
    service.end_session(db, token=ended)
    assert service.authenticate(db, token=ended, kind="api") is None
    assert service.authenticate(db, token=kept, kind="api") is not None


# --- deleting -------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["erase", "anonymise"])
def test_deleting_an_account_removes_its_sessions_codes_and_reactions(db, content):
    member, other = make_account(db), make_account(db)
    story = make_story(db, author=other)
    reactions.react(db, member=member, post=story, kind=ReactionKind.support)
    reactions.react(db, member=other, post=story, kind=ReactionKind.support)
    service.issue_recovery_codes(db, account=member)
    service.start_session(db, account=member, kind="api")
    member_id = member.id

    personal_data.delete_account(db, account=member, content=content)

    assert db.get(Account, member_id) is None
    for model in (AuthSession, RecoveryCode, Reaction):
        assert db.scalar(select(func.count()).where(model.account_id == member_id)) == 0
    assert db.scalar(select(func.count()).where(Reaction.account_id == other.id)) == 1
