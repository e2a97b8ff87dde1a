"""The moderation policy in force for this process, and the admins' edits to it.

In force: the newest `moderation_policies` row, else the operator's file
(`settings.moderation_policy_file`), else the shipped default. Its compiled Engine is cached on
the runtime and re-checked against the newest row's digest at most every
`settings.moderation_policy_refresh_seconds` (one small query), so every process picks up an edit
within that time; the process that saved the edit installs it as soon as its transaction commits.

    refresh / current_engine    async: read the database when the cache is stale
    cached_engine               sync, never touches the database (the inline check's path)
    do_save / do_revert / set_rule_enabled
                                a new version, validated, audited, installed after commit

The YAML itself (parsing, errors by line and column, switching a rule) is `policy_yaml`.
Compiling a 1,000-rule policy into an Engine costs ~0.6 s on top of parsing it (0.24 s), so
rebuilds run in a worker thread rather than on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass, replace
from importlib.resources import files
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account
from redleaf.accounts.service import clean_text
from redleaf.kit.db import new_id, on_commit, utcnow
from redleaf.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from redleaf.kit.i18n import lazy
from redleaf.kit.runtime import Runtime
from redleaf.moderation import audit
from redleaf.moderation.engine import Engine
from redleaf.moderation.models import PolicyVersion
from redleaf.moderation.policy_yaml import (
    check_size,
    clean_yaml,
    digest_of,
    parse,
    switch_rule_text,
)

log = logging.getLogger("redleaf.moderation")

COMMENT_MAX_LENGTH = 200  # PolicyVersion.comment
_KEY = "moderation.policy"
_LOCK = "moderation.policy.lock"
_LOOKING = "moderation.policy.looking"


@dataclass(frozen=True)
class InForce:
    """The compiled policy and where it came from. `checked_at`: when this process last compared
    it with the newest row (monotonic; -inf: never, so the next refresh reads the database)."""

    engine: Engine
    yaml: str
    digest: str
    source: str  # "database" | "file" | "default"
    version_id: int | None
    checked_at: float


def compile_text(text: str) -> Engine:
    return Engine(parse(text))


# ----------------------------------------------------------------------------- in force


def _fallback_text(runtime: Runtime) -> tuple[str, str]:
    path = runtime.settings.moderation_policy_file
    if path:
        return path.read_text(encoding="utf-8"), "file"
    text = files("redleaf.moderation").joinpath("data/default_policy.yaml").read_text("utf-8")
    return text, "default"


def _fallback(runtime: Runtime, checked_at: float = -math.inf) -> InForce:
    text, source = _fallback_text(runtime)
    return InForce(compile_text(text), text, digest_of(text), source, None, checked_at)


def _fresh(runtime: Runtime, found: object, max_age: float | None = None) -> bool:
    """Whether `found` was compared with the newest row within `max_age` seconds (by default
    settings.moderation_policy_refresh_seconds)."""
    age = runtime.settings.moderation_policy_refresh_seconds if max_age is None else max_age
    return isinstance(found, InForce) and time.monotonic() - found.checked_at < age


def cached_engine(runtime: Runtime) -> Engine:
    """The engine this process holds, without touching the database: the last one compiled, or
    the operator's file or shipped default while none is (the next refresh reads the database)."""
    found = runtime.extras.get(_KEY)
    if not isinstance(found, InForce):
        found = runtime.extras[_KEY] = _fallback(runtime)
    return found.engine


async def current(
    runtime: Runtime, session: AsyncSession | None = None, *, max_age: float | None = None
) -> InForce:
    """The policy in force, compared with the newest row when the last look is older than
    settings.moderation_policy_refresh_seconds (or `max_age` seconds: 0 for the console, which
    must show what every process runs). One look at a time: requests arriving together wait for
    it rather than repeat it."""
    found = runtime.extras.get(_KEY)
    if _fresh(runtime, found, max_age):
        return found  # type: ignore[return-value]
    async with _lock(runtime):
        found = runtime.extras.get(_KEY)
        if _fresh(runtime, found, max_age):
            return found  # type: ignore[return-value]
        return await _revalidate(runtime, session, found if isinstance(found, InForce) else None)


async def current_engine(runtime: Runtime, session: AsyncSession | None = None) -> Engine:
    return (await current(runtime, session)).engine


async def refresh(runtime: Runtime, session: AsyncSession | None = None) -> None:
    """Call before the inline check (note and comment creation, model jobs). Costs nothing
    within settings.moderation_policy_refresh_seconds of the last look. After that, the look at
    the database (and a rebuild, ~2 s for 1,000 rules) runs in the background on its own
    session, and this request goes on with the engine in hand, at most one edit behind. Only a
    process that never looked yet waits for it (with `session`), so its first post is never
    checked against a policy the admins replaced."""
    found = runtime.extras.get(_KEY)
    if _fresh(runtime, found):
        return
    if not isinstance(found, InForce) or found.checked_at == -math.inf:
        await current(runtime, session)
        return
    looking = runtime.extras.get(_LOOKING)
    if isinstance(looking, _Look) and not looking.task.done():
        return
    runtime.extras[_LOOKING] = _Look(asyncio.create_task(current(runtime)))


async def settled(runtime: Runtime) -> None:
    """Wait for a background look `refresh` started, if any (tests; shutdown does it too)."""
    looking = runtime.extras.get(_LOOKING)
    if isinstance(looking, _Look):
        await looking.aclose()


@dataclass
class _Look:
    """The background look; Runtime.close() awaits `aclose` of what its extras hold."""

    task: asyncio.Task[InForce]

    async def aclose(self) -> None:
        try:
            await self.task
        except Exception:  # logged, and the engine in hand stays; the next refresh tries again
            log.exception("looking for a new moderation policy failed")


def _lock(runtime: Runtime) -> asyncio.Lock:
    lock = runtime.extras.setdefault(_LOCK, asyncio.Lock())
    return lock  # type: ignore[return-value]


async def _revalidate(
    runtime: Runtime, session: AsyncSession | None, found: InForce | None
) -> InForce:
    if session is None:
        async with runtime.sessions() as own:
            return await _revalidate(runtime, own, found)
    now = time.monotonic()
    newest = (
        await session.execute(
            select(PolicyVersion.id, PolicyVersion.digest)
            .order_by(PolicyVersion.created_at.desc(), PolicyVersion.id.desc())
            .limit(1)
        )
    ).first()
    if newest is None:
        base = found if found is not None and found.source != "database" else None
        if base is None:
            base = await asyncio.to_thread(_fallback, runtime)
    elif found is not None and found.digest == newest.digest:
        base = replace(found, source="database", version_id=newest.id)
    else:
        text = await session.scalar(select(PolicyVersion.yaml).where(PolicyVersion.id == newest.id))
        try:
            engine = await asyncio.to_thread(compile_text, text or "")
        except InvalidInput:  # saved rows were valid; a newer Redleaf may read them differently
            log.exception("moderation policy version %s no longer validates; kept", newest.id)
            base = found if found is not None else await asyncio.to_thread(_fallback, runtime)
        else:
            base = InForce(engine, text or "", newest.digest, "database", newest.id, now)
    installed = replace(base, checked_at=now)
    runtime.extras[_KEY] = installed
    return installed


def _install_after_commit(session: AsyncSession, runtime: Runtime, made: InForce) -> None:
    async def install() -> None:
        async with _lock(runtime):  # after any look that read the database before our commit
            runtime.extras[_KEY] = replace(made, checked_at=time.monotonic())

    on_commit(session, install)


# ----------------------------------------------------------------------------- versions


async def history(session: AsyncSession, limit: int = 50) -> list[PolicyVersion]:
    rows = await session.scalars(
        select(PolicyVersion)
        .order_by(PolicyVersion.created_at.desc(), PolicyVersion.id.desc())
        .limit(limit)
    )
    return list(rows.all())


async def _newest(session: AsyncSession) -> PolicyVersion | None:
    found = await history(session, 1)
    return found[0] if found else None


async def _base(session: AsyncSession, runtime: Runtime) -> tuple[str, str]:
    """The YAML in force for every process (the newest row, not this process's cache), and its
    digest."""
    newest = await _newest(session)
    text = newest.yaml if newest is not None else _fallback_text(runtime)[0]
    return text, digest_of(text)


def _require_admin(admin: Account) -> None:
    if admin.role != "admin":
        raise Forbidden()


async def _store(
    session: AsyncSession,
    runtime: Runtime,
    admin: Account,
    text: str,
    comment: str,
    action: str,
    engine: Engine | None = None,
    **details: Any,
) -> PolicyVersion:
    if engine is None:
        engine = await asyncio.to_thread(compile_text, text)
    digest = digest_of(text)
    row = PolicyVersion(
        id=new_id(),
        yaml=text,
        version=engine.policy.version,
        digest=digest,
        author_id=admin.id,
        comment=comment,
        created_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        admin,
        action,
        version=engine.policy.version,
        digest=digest,
        rules=len(engine.policy.rules),
        policy_version_id=str(row.id),
        **details,
    )
    _install_after_commit(
        session, runtime, InForce(engine, text, digest, "database", row.id, time.monotonic())
    )
    from redleaf.moderation.withholding import schedule_backfill  # it reads the store

    await schedule_backfill(session, digest)
    return row


async def do_save(
    session: AsyncSession,
    runtime: Runtime,
    admin: Account,
    yaml_text: str,
    comment: str,
    *,
    based_on: str | None = None,
) -> PolicyVersion:
    """Save `yaml_text` as the newest version. `based_on`: the digest of the version the admin
    started from; when another save came in between, Conflict (their text is not lost: the
    page shows it again). PolicyTooLarge over settings.moderation_policy_max_bytes."""
    _require_admin(admin)
    comment = clean_text(comment, field="comment", max_length=COMMENT_MAX_LENGTH)
    text = clean_yaml(yaml_text)
    check_size(len(text.encode("utf-8")), runtime.settings.moderation_policy_max_bytes)
    # The admin's mistakes first, before the race with another admin; off the event loop (a
    # 1,000-rule policy takes a second or two).
    engine = await asyncio.to_thread(compile_text, text)
    if based_on:
        _in_force, digest = await _base(session, runtime)
        if digest != based_on:
            raise Conflict(
                lazy(
                    "Someone saved the policy after you opened it. Your text is below: compare "
                    "it with the version in force, then save again."
                ),
                field="yaml",
            )
    return await _store(session, runtime, admin, text, comment, "policy.saved", engine)


async def do_revert(
    session: AsyncSession, runtime: Runtime, admin: Account, version_id: int | str
) -> PolicyVersion:
    """Bring an earlier version back by saving it again as the newest."""
    _require_admin(admin)
    old = None
    if str(version_id).isdigit() and int(version_id) < 2**63:
        old = await session.get(PolicyVersion, int(version_id))
    if old is None:
        raise NotFound(lazy("We could not find that policy version."))
    comment = f"↩ {old.version} · {old.digest[:8]}"[:COMMENT_MAX_LENGTH]
    return await _store(
        session, runtime, admin, old.yaml, comment, "policy.restored", restored_from=str(old.id)
    )


async def set_rule_enabled(
    session: AsyncSession, runtime: Runtime, admin: Account, code: str, enabled: bool
) -> PolicyVersion:
    """Switch one rule on or off: a new version whose YAML differs in that rule's `enabled`."""
    _require_admin(admin)
    text, _digest = await _base(session, runtime)
    edited = await asyncio.to_thread(switch_rule_text, text, code, enabled)
    newest = await _newest(session)
    if edited == text and newest is not None:
        return newest  # already so (a second click): no new version
    comment = f"{code}: enabled={'true' if enabled else 'false'}"[:COMMENT_MAX_LENGTH]
    return await _store(
        session, runtime, admin, edited, comment, "policy.rule_switched", rule=code, enabled=enabled
    )
