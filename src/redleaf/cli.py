"""The `redleaf` command: serve, worker, migrate, seed, create-admin, set-role, check,
translation ...,
moderation ..."""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from collections.abc import Callable, Coroutine
from typing import TypeVar

import click

from redleaf.settings import Settings, load_settings

T = TypeVar("T")


def _run(factory: Callable[[Settings], Coroutine[object, object, T]]) -> T:
    settings = load_settings()
    return asyncio.run(factory(settings))


class _FeatureCommands(click.Group):
    """Features' command groups, imported when called: `redleaf moderation` loads numpy and
    scikit-learn (~1 s), which `redleaf serve` should not pay for."""

    FEATURES = {
        "translation": "redleaf.translation.cli",
        "moderation": "redleaf.moderation.cli",
        "reindex": "redleaf.search.cli",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.FEATURES])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = self.FEATURES.get(cmd_name)
        if module is None:
            return super().get_command(ctx, cmd_name)
        command = getattr(importlib.import_module(module), cmd_name)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=_FeatureCommands)
@click.version_option(package_name="redleaf")
def main() -> None:
    """Redleaf: a bilingual lifestyle community."""


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default: $HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default: $PORT or 8000).")
@click.option("--workers", type=int, default=None, help="Server processes (default: 1).")
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve pages, the API and WebSockets (and, by default, run a job worker in each process)."""
    import uvicorn

    settings = load_settings()
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    settings.resolved_secret_key  # noqa: B018  (create var/secret_key once, before workers race)
    processes = workers or settings.workers
    # Each server process reads its settings anew: tell them how many they are (hash threads).
    os.environ["REDLEAF_WORKERS"] = str(processes)
    uvicorn.run(
        "redleaf.app:serve_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=processes,
        loop="uvloop",
        http="httptools",
        proxy_headers=settings.trusted_proxies,
        forwarded_allow_ips="*" if settings.trusted_proxies else None,
        log_config=None,
        access_log=False,
        server_header=False,
    )


@main.command()
@click.option("--concurrency", type=int, default=4, show_default=True, help="Jobs run at once.")
def worker(concurrency: int) -> None:
    """Run background jobs from the job table until stopped (SIGTERM finishes running jobs)."""
    from redleaf.kit.jobs.worker import run_worker
    from redleaf.kit.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    run_worker(settings, concurrency)


@main.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from redleaf.kit.migrate import upgrade

    settings = load_settings()
    if settings.is_sqlite:
        settings.var_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    click.echo("database is up to date")


@main.command()
@click.option("--if-empty", is_flag=True, help="Only when no account exists yet (first run).")
def seed(if_empty: bool) -> None:
    """Create the demo community: members, notes with drawn photos, likes, boards, comments."""
    from redleaf.seed import seed_demo

    # The seed reports its own progress and result on stderr.
    created = _run(lambda settings: seed_demo(settings, if_empty=if_empty))
    if not created:
        click.echo("accounts exist already; nothing seeded")


@main.command("create-admin")
@click.argument("username")
@click.option("--password", default=None, help="Prompted for (hidden) when not given.")
def create_admin(username: str, password: str | None) -> None:
    """Create an admin account, or make an existing account admin."""
    from redleaf.ops import make_admin

    try:
        created = _run(lambda settings: make_admin(settings, username, password, _prompt_password))
    except Exception as exc:  # the service's AppErrors carry a readable message
        raise click.ClickException(str(exc)) from None
    click.echo(f"{username}: {'created as admin' if created else 'is now admin'}")


@main.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(["member", "moderator", "admin"]))
def set_role(username: str, role: str) -> None:
    """Make an existing account a member, moderator or admin (moderators work /mod)."""
    from redleaf.ops import set_role as apply_role

    try:
        before = _run(lambda settings: apply_role(settings, username, role))
    except Exception as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{username}: {before} -> {role}")


def _prompt_password() -> str:
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@main.command()
def check() -> None:
    """Print the configuration and whether the database and Redis answer."""
    from redleaf.ops import check_report

    ok, lines = _run(check_report)
    for line in lines:
        click.echo(line)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
