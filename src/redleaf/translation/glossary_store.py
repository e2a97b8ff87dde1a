"""The glossary in force: the bundled entries (data/glossary.tsv) with the operator's database
entries over them. Built once per process and rebuilt when an edit here or the time-to-live says
so (another process's edit shows within `GLOSSARY_TTL_SECONDS`)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.runtime import Runtime
from redleaf.translation.glossary import Glossary, GlossaryEntry, load_bundled
from redleaf.translation.models import GlossaryTerm

GLOSSARY_TTL_SECONDS = 30.0
_KEY = "translation.glossary"
_LOCK = "translation.glossary.lock"


@dataclass(frozen=True)
class Current:
    glossary: Glossary
    version: str  # part of every cache key: a changed glossary gives changed translations
    entries: tuple[GlossaryEntry, ...]
    built_at: float


def merge(bundled: list[GlossaryEntry], rows: list[GlossaryTerm]) -> list[GlossaryEntry]:
    by_term = {entry.term.casefold(): entry for entry in bundled}
    for row in rows:
        key = row.term.casefold()
        if not row.enabled:
            by_term.pop(key, None)
            continue
        by_term[key] = GlossaryEntry(row.term, row.en, row.zh, row.note_en, row.note_zh)
    return sorted(by_term.values(), key=lambda entry: entry.term.casefold())


def version_of(entries: list[GlossaryEntry]) -> str:
    digest = hashlib.sha256()
    for e in entries:
        digest.update("\x1f".join((e.term, e.en, e.zh, e.note_en, e.note_zh)).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()[:12]


async def current(runtime: Runtime, session: AsyncSession | None = None) -> Current:
    found = runtime.extras.get(_KEY)
    if isinstance(found, Current) and time.monotonic() - found.built_at < GLOSSARY_TTL_SECONDS:
        return found
    # One rebuild at a time: a thousand readers arriving together must not each build it.
    lock = runtime.extras.setdefault(_LOCK, asyncio.Lock())
    async with lock:  # type: ignore[attr-defined]
        found = runtime.extras.get(_KEY)
        if isinstance(found, Current) and time.monotonic() - found.built_at < GLOSSARY_TTL_SECONDS:
            return found
        return await _build(runtime, session)


async def _build(runtime: Runtime, session: AsyncSession | None) -> Current:
    if session is None:
        async with runtime.sessions() as own:
            rows = list((await own.scalars(select(GlossaryTerm))).all())
    else:
        rows = list((await session.scalars(select(GlossaryTerm))).all())
    entries = merge(load_bundled(), rows)
    built = Current(Glossary(entries), version_of(entries), tuple(entries), time.monotonic())
    runtime.extras[_KEY] = built
    return built


def forget(runtime: Runtime) -> None:
    """After an edit in this process: the next translation rebuilds the glossary."""
    runtime.extras.pop(_KEY, None)
