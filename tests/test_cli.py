import os
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, func, select

from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.stories.models import Post, PostStatus
from tests.conftest import ROOT


@pytest.fixture
def kindred(tmp_path):
    """Runs `python -m app ...` the way an operator would, on a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = os.environ | {"KINDRED_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("KINDRED_SECRET_KEY", None)  # the CLI must make and keep its own
    # The operator's real defaults (the suite itself turns pre-moderation off).
    for name in ("KINDRED_PREMODERATE_FIRST_POSTS", "KINDRED_RATE_LIMITS"):
        env.pop(name, None)

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=check,
            timeout=120,
        )

    run.url = url  # type: ignore[attr-defined]
    run.cwd = tmp_path  # type: ignore[attr-defined]
    return run


def _count(url: str, model: type) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(model)).scalar_one()
    engine.dispose()
    return int(n)


def test_db_upgrade_then_demo_data_twice_adds_the_sample_forum_once(kindred):
    assert "up to date" in kindred("db", "upgrade").stdout
    first = kindred("demo-data").stdout
    assert "new rows" in first
    circles, posts = _count(kindred.url, Circle), _count(kindred.url, Post)
    assert circles >= 5 and posts >= 10
    # Every demo post is published: none trips screening or waits as a "first post".
    engine = create_engine(kindred.url)
    with engine.connect() as conn:
        statuses = set(conn.execute(select(Post.status)).scalars())
    engine.dispose()
    assert statuses == {PostStatus.published}
    assert "nothing to add" in kindred("demo-data").stdout
    assert "nothing to add" in kindred("demo-data", "--if-empty").stdout
    assert (_count(kindred.url, Circle), _count(kindred.url, Post)) == (circles, posts)
    secret = kindred.cwd / ".kindred-secret"
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"


def test_moderators_are_granted_and_withdrawn_by_pseudonym(kindred):
    kindred("db", "upgrade")
    kindred("demo-data")
    assert "is now a moderator" in kindred("moderator", "add", "quietharbor42").stdout
    engine = create_engine(kindred.url)
    with engine.connect() as conn:
        role = conn.execute(
            select(Account.role).where(Account.pseudonym == "QuietHarbor42")
        ).scalar_one()
    assert role == Role.moderator
    kindred("moderator", "remove", "QuietHarbor42")
    with engine.connect() as conn:
        role = conn.execute(
            select(Account.role).where(Account.pseudonym == "QuietHarbor42")
        ).scalar_one()
    engine.dispose()
    assert role == Role.member


def test_demo_data_if_empty_leaves_a_forum_with_circles_alone(kindred):
    """What `make run` calls: an operator's own forum never gets sample stories mixed in."""
    kindred("db", "upgrade")
    engine = create_engine(kindred.url)
    with engine.begin() as conn:
        conn.execute(
            Circle.__table__.insert().values(slug="ours", name="Ours", description="", position=0)
        )
    engine.dispose()
    assert "nothing to add" in kindred("demo-data", "--if-empty").stdout
    assert _count(kindred.url, Post) == 0


def test_admins_are_granted_by_the_cli_too(kindred):
    kindred("db", "upgrade")
    kindred("demo-data")
    assert "is now an admin" in kindred("admin", "add", "GentleFern07").stdout
    engine = create_engine(kindred.url)
    with engine.connect() as conn:
        query = select(Account.role).where(Account.pseudonym == "GentleFern07")
        assert conn.execute(query).scalar_one() == Role.admin
    engine.dispose()


def test_an_unknown_pseudonym_is_a_clear_cli_error(kindred):
    kindred("db", "upgrade")
    result = kindred("moderator", "add", "NobodyHere", check=False)
    assert result.returncode != 0
    assert "No account is called" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_placeholder_secret_key_is_refused(kindred, tmp_path):
    env = os.environ | {
        "KINDRED_SECRET_KEY": "changeme",
        "PYTHONPATH": str(ROOT),
        "KINDRED_DATABASE_URL": kindred.url,
    }
    result = subprocess.run(
        [sys.executable, "-m", "app", "db", "upgrade"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "KINDRED_SECRET_KEY" in result.stderr
