"""Job kinds and their handlers.

A feature declares its background work in its own `jobs.py`:

    @job_handler("accounts.purge_sessions")
    async def purge_sessions(session: AsyncSession, payload: dict, ctx: JobContext) -> None: ...

The handler runs inside the transaction that also marks the job done, so it only flushes; the
worker commits. Handlers must tolerate running more than once (a worker can die after the work
but before the commit is acknowledged), which the single transaction makes rare but not impossible.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Awaitable, Callable, Iterable
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


def import_job_modules(extra: Iterable[str] = ()) -> list[str]:
    """Import every `redleaf.<feature>.jobs` module, then `extra`, so their handlers register.

    Found by name so that kit never imports a feature."""
    import redleaf

    names: list[str] = []
    for info in pkgutil.iter_modules(redleaf.__path__):
        if info.ispkg and info.name != "kit":
            name = f"redleaf.{info.name}.jobs"
            if importlib.util.find_spec(name) is not None:
                names.append(name)
    names.extend(extra)
    for name in names:
        importlib.import_module(name)
    return names
