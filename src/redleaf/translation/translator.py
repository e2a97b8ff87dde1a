"""Translate a text for a reader: the shared cache first, then the engines in the operator's order.

- A translation is kept in the `translations` table under the normalised text's hash, the pair,
  and the engine with its version and the glossary's; a per-process memory holds recent hits.
- Single flight: however many readers ask at once for the same missing translation, one engine
  call is made. In a process, later callers await the first caller's future; across processes
  (with Redis) the first takes a lock and the others wait for its row to appear.
- Fallback: engines are tried in rank order; a lower-ranked answer already stored is used when
  the better engines fail, and it is replaced once a better engine answers.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, select, update

from redleaf.kit.db import commit, insert_ignore, new_id, utcnow
from redleaf.kit.errors import AppError
from redleaf.kit.runtime import Runtime
from redleaf.kit.ttlcache import TTLCache
from redleaf.translation import chain, glossary_store
from redleaf.translation.chain import Result
from redleaf.translation.engines.base import Engine, EngineError
from redleaf.translation.models import Translation

log = logging.getLogger("redleaf.translation")

MEMORY_SECONDS = 3600.0  # the per-process copy; rows never change, only the key's parts do
POLL_SECONDS = 0.05  # how often a process waiting on another's lock looks for the row


class NoEngine(AppError):
    status = 422
    code = "translation_unsupported"
    message = "Translation between these languages is not available."


class TranslationUnavailable(AppError):
    status = 503
    code = "translation_unavailable"
    message = "Translation is unavailable right now. Please try again later."


def normalise(text: str) -> str:
    """The form that is hashed and translated: NFC, no trailing spaces, no blank edges."""
    lines = [line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n")]
    return "\n".join(lines).strip("\n")


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class _Key:
    digest: str
    source: str
    target: str
    versions: tuple[tuple[str, str], ...]  # (engine, engine version + glossary), by rank


class Translator:
    def __init__(self, runtime: Runtime, engines: Sequence[Engine]) -> None:
        self.runtime = runtime
        self.engines = list(engines)
        settings = runtime.settings
        self.memory: TTLCache[_Key, Result] = TTLCache(
            settings.translation_memory_entries, MEMORY_SECONDS
        )
        self._inflight: dict[_Key, asyncio.Future[Result]] = {}
        self.engine_calls = 0  # engine invocations by this process (tests, benchmarks)

    async def translate(self, text: str, source: str, target: str) -> Result:
        text = normalise(text)
        if not text or chain.same_language(source, target):
            return Result(text, source, target, "none", "translation")
        engines = chain.engines_for(self.engines, source, target)
        if not engines:
            raise NoEngine()
        glossary = await glossary_store.current(self.runtime)
        key = _Key(
            text_hash(text),
            source,
            target,
            tuple((e.name, f"{e.version}+g{glossary.version}") for e in engines),
        )
        hit = self.memory.get(key)
        if hit is not None:
            return hit
        waiting = self._inflight.get(key)
        if waiting is not None:
            return await asyncio.shield(waiting)
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            result = await self._fill(key, text, engines, glossary.glossary)
        except BaseException as error:
            future.set_exception(error)
            future.exception()  # the waiters get it; don't warn when there were none
            raise
        else:
            future.set_result(result)
            self.memory.put(key, result)
            return result
        finally:
            del self._inflight[key]

    async def _fill(self, key: _Key, text: str, engines: list[Engine], glossary: object) -> Result:
        best, rank = await self._stored(key)
        if best is not None and rank == 0:
            return best
        lock = await self._lock(key)
        try:
            if lock is None:  # another process is translating: wait for its row
                best, rank = await self._wait_for_row(key, best, rank)
            elif lock:  # taken: the previous holder may have stored its row since we looked
                best, rank = await self._stored(key)
            if best is not None and rank == 0:
                return best
            for engine, (_, version) in zip(engines[:rank], key.versions, strict=False):
                try:
                    self.engine_calls += 1
                    result = await chain.run(engine, text, key.source, key.target, glossary)  # type: ignore[arg-type]
                except EngineError as error:
                    log.warning("translation engine %s failed: %s", engine.name, error)
                    continue
                await self._store(key, version, result)
                return result
        finally:
            if lock is not None:
                await self._unlock(lock)
        if best is not None:
            return best
        raise TranslationUnavailable()

    # --- the table

    async def _stored(self, key: _Key) -> tuple[Result | None, int]:
        """The best stored answer under the current versions, and its rank (len if none)."""
        ranks = {pair: index for index, pair in enumerate(key.versions)}
        async with self.runtime.sessions() as session:
            rows = (
                await session.execute(
                    _STORED, {"digest": key.digest, "source": key.source, "target": key.target}
                )
            ).all()
            current = [row for row in rows if (row.engine, row.engine_version) in ranks]
            if not current:
                return None, len(key.versions)
            row = min(current, key=lambda r: ranks[(r.engine, r.engine_version)])
            if row.used_at < utcnow() - timedelta(days=1):  # kept alive for pruning, daily
                await session.execute(
                    update(Translation).where(Translation.id == row.id).values(used_at=utcnow())
                )
                await commit(session)
            return _result_of(row), ranks[(row.engine, row.engine_version)]

    async def _store(self, key: _Key, version: str, result: Result) -> None:
        from redleaf.translation.jobs import schedule_pruning

        async with self.runtime.sessions() as session:
            await schedule_pruning(session)
            await session.execute(
                insert_ignore(
                    session,
                    Translation,
                    id=new_id(),
                    source_hash=key.digest,
                    source_lang=key.source,
                    target_lang=key.target,
                    engine=result.engine,
                    engine_version=version,
                    kind=result.kind,
                    text=result.text,
                    glosses={"words": list(result.words), "terms": list(result.terms)},
                    created_at=utcnow(),
                    used_at=utcnow(),
                )
            )
            await commit(session)

    # --- across processes

    def _lock_name(self, key: _Key) -> str:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        return f"{self.runtime.settings.redis_prefix}translation:lock:{digest}"

    async def _lock(self, key: _Key) -> str | None:
        """The lock's name if this process holds it (or there is no Redis); None if another
        process does."""
        redis = self.runtime.redis
        if redis is None:
            return ""
        name = self._lock_name(key)
        millis = int(self.runtime.settings.translation_wait_seconds * 1000)
        return name if await redis.set(name, b"1", nx=True, px=millis) else None

    async def _unlock(self, name: str) -> None:
        if name and self.runtime.redis is not None:
            await self.runtime.redis.delete(name)

    async def _wait_for_row(
        self, key: _Key, best: Result | None, rank: int
    ) -> tuple[Result | None, int]:
        deadline = time.monotonic() + self.runtime.settings.translation_wait_seconds
        redis = self.runtime.redis
        name = self._lock_name(key)
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            found, found_rank = await self._stored(key)
            if found is not None and found_rank < rank:
                return found, found_rank
            if redis is not None and not await redis.exists(name):
                return found or best, min(found_rank, rank)  # the holder gave up: try ourselves
        return best, rank

    async def aclose(self) -> None:
        for engine in self.engines:
            await engine.aclose()


# Built once: a cache hit that reaches the table is one indexed lookup, and building an ORM query
# per call cost more than running it (bench/translation.py). Few rows share a text and a pair:
# one per engine version, filtered here.
_STORED = select(
    Translation.id,
    Translation.engine,
    Translation.engine_version,
    Translation.kind,
    Translation.text,
    Translation.glosses,
    Translation.used_at,
    Translation.source_lang,
    Translation.target_lang,
).where(
    Translation.source_hash == bindparam("digest"),
    Translation.source_lang == bindparam("source"),
    Translation.target_lang == bindparam("target"),
)


def _result_of(row: Any) -> Result:
    extra = row.glosses or {}
    return Result(
        row.text,
        row.source_lang,
        row.target_lang,
        row.engine,
        row.kind,  # type: ignore[arg-type]
        tuple(extra.get("words", ())),
        tuple(extra.get("terms", ())),
    )
