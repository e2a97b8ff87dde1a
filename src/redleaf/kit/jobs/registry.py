"""Job kinds and their handlers.

A feature declares its background work in its own `jobs.py`:

    @job_handler("accounts.purge_sessions")
    async def purge_sessions(session: AsyncSession, payload: dict, ctx: JobContext) -> None: ...

The handler runs inside the transaction that also marks the job done, so it only flushes; the
worker commits. Handlers must tolerate running more than once (a worker can die after the work
but before the commit is acknowledged), which the single transaction makes rare but not impossible.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from redleaf.kit.runtime import Runtime


@dataclass(frozen=True, slots=True)
class JobContext:
    job_id: int
    attempt: int  # 1 on the first run, counting runs cut short by a dead worker
    runtime: Runtime


Handler = Callable[[AsyncSession, dict[str, Any], JobContext], Awaitable[None]]

_handlers: dict[str, Handler] = {}


class DuplicateJobKind(ValueError):
    pass


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register `fn` as the handler of `kind`; a kind has exactly one handler in a process."""
    if not kind or len(kind) > 80:
        raise ValueError(f"job kind must be 1..80 characters: {kind!r}")

    def register(fn: Handler) -> Handler:
        existing = _handlers.get(kind)
        if existing is not None:
            where = f"{existing.__module__}.{existing.__qualname__}"
            raise DuplicateJobKind(f"job kind {kind!r} is already handled by {where}")
        _handlers[kind] = fn
        return fn

    return register


def get_handler(kind: str) -> Handler | None:
    return _handlers.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_handlers)
