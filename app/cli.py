"""The `kindred` command: serve, migrate, manage roles, load demo data."""

import os
from typing import Any

import click

from app.web import ROOT


def _alembic_config() -> Any:
    from alembic.config import Config

    from app.config import get_settings

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", get_settings().database_url.replace("%", "%%"))
    return config


@click.group()
def main() -> None:
    """Kindred: an anonymous peer-support forum."""
    from pydantic import ValidationError

    from app.config import get_settings

    try:
        get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"KINDRED_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise click.ClickException(f"The settings need attention: {problems}") from None


@main.command()
@click.option(
    "--host", default=lambda: os.environ.get("KINDRED_HOST", "127.0.0.1"), show_default="127.0.0.1"
)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "8000")),
    show_default="$PORT or 8000",
)
@click.option("--workers", type=int, default=1, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the forum with uvicorn."""
    import uvicorn

    from app.config import get_settings

    proxies = get_settings().trusted_proxies
    # glibc gives each thread of a worker's pool its own malloc arena; two keep a worker near
    # the memory it needs (30-40 MB less after load, make bench). Read when a process starts,
    # so it takes effect in the workers --workers spawns (set it outside for one process).
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # The client address is only ever used, hashed, to count attempts (app/ratelimit.py).
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        server_header=False,
        date_header=True,
        # Access logs would tie addresses to pages read; Kindred keeps none.
        access_log=False,
    )


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
def upgrade() -> None:
    """Upgrade the database schema to the newest revision."""
    from alembic import command

    command.upgrade(_alembic_config(), "head")
    click.echo("Database is up to date.")


@main.group()
def moderator() -> None:
    """Grant or withdraw the moderator role."""


def _set_role(pseudonym: str, role_name: str) -> None:
    from app.accounts import service
    from app.accounts.models import Role
    from app.db import session_factory
    from app.errors import AppError

    with session_factory()() as session:
        try:
            account = service.set_role(session, pseudonym=pseudonym, role=Role(role_name))
        except AppError as exc:
            raise click.ClickException(exc.message) from None
        session.commit()
        article = "an" if role_name[0] in "aeiou" else "a"
        click.echo(f"{account.pseudonym} is now {article} {role_name}.")


@moderator.command("add")
@click.argument("pseudonym")
def moderator_add(pseudonym: str) -> None:
    """Make PSEUDONYM a moderator."""
    _set_role(pseudonym, "moderator")


@moderator.command("remove")
@click.argument("pseudonym")
def moderator_remove(pseudonym: str) -> None:
    """Make PSEUDONYM an ordinary member again."""
    _set_role(pseudonym, "member")


@main.group()
def admin() -> None:
    """Grant or withdraw the admin role."""


@admin.command("add")
@click.argument("pseudonym")
def admin_add(pseudonym: str) -> None:
    """Make PSEUDONYM an admin."""
    _set_role(pseudonym, "admin")


@admin.command("remove")
@click.argument("pseudonym")
def admin_remove(pseudonym: str) -> None:
    """Make PSEUDONYM an ordinary member again."""
    _set_role(pseudonym, "member")


@main.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Only when no circle exists yet.")
def demo_data(if_empty: bool) -> None:
    """Add sample circles, members, stories and replies (safe to run twice)."""
    from app import demo
    from app.db import session_factory

    with session_factory()() as session:
        added = demo.load(session, only_if_empty=if_empty)
        session.commit()
    click.echo(f"Demo data: {added} new rows." if added else "Demo data: nothing to add.")


if __name__ == "__main__":  # pragma: no cover
    main()
