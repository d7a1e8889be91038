import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

# Settings are read once per process: make them deterministic before any app import uses them.
os.environ.setdefault("KINDRED_SECRET_KEY", secrets.token_urlsafe(48))
os.environ["KINDRED_RATE_LIMITS"] = "off"
os.environ["KINDRED_PREMODERATE_FIRST_POSTS"] = "0"

from app import ratelimit
from app.accounts.models import Account, Role
from app.circles.models import Circle
from app.config import Settings, get_settings
from app.db import get_session, make_engine
from app.main import create_app
from tests.factories import bearer, make_account, make_circle

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ENV = "KINDRED_TEST_POSTGRES_URL"
REDIS_ENV = "KINDRED_TEST_REDIS_URL"


def alembic_config(connection: object | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["configure_logger"] = False
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def skip_unless_available(reason: str) -> None:
    """Skip locally when a service or browser is missing; in CI (.ci/run) that is a failure."""
    if os.environ.get("KINDRED_TEST_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        skip_unless_available(
            f"PostgreSQL tests need {POSTGRES_ENV}, e.g. "
            "postgresql+psycopg://postgres@127.0.0.1:5432/test (.ci/run sets it)"
        )
    return str(url)


def _fresh_postgres(server_url: str) -> Iterator[str]:
    """A throwaway database per test run, so nothing depends on what was left before."""
    name = f"kindred_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'kindred.db'}"
        return
    yield from _fresh_postgres(request.getfixturevalue("postgres_server_url"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose commits are savepoints inside one transaction rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    if engine.dialect.name == "postgresql":
        # Deferred triggers (the thread versions of migration 0007) run at COMMIT, which this
        # transaction never reaches: here they run as each statement ends instead. Real
        # commits are tested through live servers (test_workers) and in test_concurrency.
        connection.exec_driver_sql("SET CONSTRAINTS ALL IMMEDIATE")
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def app(db: Session):  # type: ignore[no-untyped-def]
    application = create_app()

    def _session() -> Iterator[Session]:
        yield db

    application.dependency_overrides[get_session] = _session
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The app's settings, changeable for one test: `settings.premoderate_first_posts = 1`."""
    current = get_settings()

    class Override:
        def __setattr__(self, name: str, value: object) -> None:
            monkeypatch.setattr(current, name, value)

        def __getattr__(self, name: str) -> object:
            return getattr(current, name)

    return Override()  # type: ignore[return-value]


@pytest.fixture
def rate_limits(settings: Settings) -> Iterator[Settings]:
    """Rate limits on, in this process's memory, starting from nothing."""
    settings.rate_limits = "on"
    settings.redis_url = None
    ratelimit.reset()
    yield settings
    ratelimit.reset()


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get(REDIS_ENV)
    if not url:
        skip_unless_available(
            f"Redis tests need {REDIS_ENV}, e.g. redis://127.0.0.1:6379/15 (.ci/run sets it)"
        )
    return str(url)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole run: Playwright's sync API allows one at a time."""
    from tests.live import chromium

    with chromium() as instance:
        yield instance


@pytest.fixture
def member(db: Session) -> Account:
    return make_account(db)


@pytest.fixture
def other(db: Session) -> Account:
    return make_account(db)


@pytest.fixture
def moderator(db: Session) -> Account:
    return make_account(db, role=Role.moderator)


@pytest.fixture
def auth(db: Session, member: Account) -> dict[str, str]:
    """Bearer headers for `member`."""
    return bearer(db, member)


@pytest.fixture
def mod_auth(db: Session, moderator: Account) -> dict[str, str]:
    return bearer(db, moderator)


@pytest.fixture
def circle(db: Session) -> Circle:
    return make_circle(db)


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.parameters: list[Any] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def queries(db: Session) -> Iterator[QueryCounter]:
    """Counts the SQL statements the test's session sends (SAVEPOINT bookkeeping excluded)."""
    counter = QueryCounter()
    connection = db.connection()

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            counter.statements.append(statement)
            counter.parameters.append(parameters)

    event.listen(connection, "before_cursor_execute", record)
    yield counter
    event.remove(connection, "before_cursor_execute", record)
