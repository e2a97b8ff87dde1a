"""The process-wide parts a request or job needs: built once per app or worker, closed at exit."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.requests import HTTPConnection

from redleaf.kit.cpu import BoundedPool
from redleaf.kit.db import make_engine, make_sessionmaker
from redleaf.kit.events import EventBus, MemoryEventBus, RedisEventBus
from redleaf.kit.ratelimit import Limiter, MemoryLimiter, NoLimiter, RedisLimiter
from redleaf.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis | None
    limiter: Limiter
    events: EventBus
    hash_pool: BoundedPool
    extras: dict[str, object] = field(default_factory=dict)
    # What is still loading at start (models, dictionaries): /readyz answers 503 until empty.
    warming: set[str] = field(default_factory=set)

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        engine = make_engine(
            settings.resolved_database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout_seconds,
        )
        redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
        limiter: Limiter
        if not settings.rate_limits_enabled:
            log.warning("REDLEAF_RATE_LIMITS=off: rate limits and surge mode are disabled")
            limiter = NoLimiter()
        elif redis is not None:
            limiter = RedisLimiter(redis, settings.redis_prefix)
        else:
            limiter = MemoryLimiter()
        events: EventBus = (
            RedisEventBus(redis, settings.redis_prefix) if redis is not None else MemoryEventBus()
        )
        pool = BoundedPool(
            settings.hash_thread_count,
            settings.hash_queue_max,
            max_wait=settings.hash_wait_max_seconds,
            name="hash",
        )
        return cls(settings, engine, make_sessionmaker(engine), redis, limiter, events, pool)

    async def close(self) -> None:
        for extra in self.extras.values():  # what features hung here that holds connections
            closer = getattr(extra, "aclose", None)
            if closer is not None:
                await closer()
        await self.events.close()
        self.hash_pool.shutdown()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


def get_runtime(connection: HTTPConnection) -> Runtime:
    runtime: Runtime = connection.app.state.runtime
    return runtime
