"""Operator commands behind the CLI: create an admin, report on the configuration."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from redleaf.accounts import repository, service
from redleaf.kit.db import commit
from redleaf.kit.health import probe
from redleaf.kit.migrate import current_head
from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings


async def make_admin(
    settings: Settings, username: str, password: str | None, prompt: Callable[[], str]
) -> bool:
    """True when the account was created, False when an existing one was promoted."""
    runtime = Runtime.build(settings)
    try:
        async with runtime.sessions() as session:
            account = await repository.by_username(session, username)
            created = account is None
            if account is None:
                account = await service.do_signup(
                    session, runtime, username=username, password=password or prompt()
                )
            await service.do_set_role(session, account, "admin")
            await commit(session)
            return created
    finally:
        await runtime.close()


async def set_role(settings: Settings, username: str, role: str) -> str:
    """Give an existing account a role (member, moderator or admin); its previous role."""
    from redleaf.moderation import audit  # the change is moderation's to remember

    runtime = Runtime.build(settings)
    try:
        async with runtime.sessions() as session:
            account = await repository.by_username(session, username)
            if account is None:
                raise LookupError(f"no account named {username!r}")
            before = account.role
            await service.do_set_role(session, account, role)
            await audit.record(
                session,
                None,
                "account.role_set",
                target_type="user",
                target_id=account.id,
                role=role,
                previous=before,
                by="command line",
            )
            await commit(session)
            return before
    finally:
        await runtime.close()


def _masked(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable>"


async def check_report(settings: Settings) -> tuple[bool, list[str]]:
    runtime = Runtime.build(settings)
    try:
        checks = await probe(runtime)
        revision = None
        if checks.get("database") == "ok":
            async with runtime.engine.connect() as connection:
                try:
                    revision = await connection.scalar(
                        text("SELECT version_num FROM alembic_version")
                    )
                except Exception:
                    revision = None
        head = current_head()
        redis = (
            f"{_masked(settings.redis_url)} -> {checks['redis']}"
            if settings.redis_url
            else "not configured (in-process broker and limits)"
        )
        worker = "in each server" if settings.inprocess_worker else "`redleaf worker`"
        lines = [
            f"database:     {_masked(settings.resolved_database_url)} -> {checks['database']}",
            f"schema:       {revision or 'not migrated'} (head {head})"
            + ("" if revision == head else "  run `redleaf migrate`"),
            f"redis:        {redis}",
            f"listen:       {settings.host}:{settings.port}, workers {settings.workers}",
            f"job worker:   {worker}",
            f"rate limits:  {settings.rate_limits}",
            f"surge mode:   sign-ups above {settings.surge_signup_rate} wait in line",
            f"hashing:      argon2id m={settings.argon2_memory_kib} KiB "
            f"t={settings.argon2_time_cost} p={settings.argon2_parallelism}, "
            f"{settings.hash_thread_count} threads, "
            f"queue {settings.hash_queue_max}",
            f"log format:   {settings.log_format} at {settings.log_level}",
        ]
        ok = all(v == "ok" for v in checks.values()) and revision == head
        return ok, lines
    finally:
        await runtime.close()
