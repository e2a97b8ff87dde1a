"""Rate limiting by GCRA (the generic cell rate algorithm), in process or in Redis.

GCRA keeps one timestamp per key (the "theoretical arrival time"), allows bursts up to the
rate's count, and answers exactly how long to wait. The Redis version runs the same arithmetic in
one Lua script, so every server process shares the limits.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from redis.asyncio import Redis
from starlette.requests import HTTPConnection, Request

from redleaf.kit.errors import RateLimited, SurgeQueued
from redleaf.kit.rates import Rate

if TYPE_CHECKING:
    from redleaf.settings import Settings


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until the next hit would be allowed (0 when allowed)


class Limiter(Protocol):
    async def hit(self, key: str, rate: Rate, cost: int = 1) -> Decision: ...

    async def reset(self, key: str) -> None: ...


def _gcra(tat: float, now: float, rate: Rate, cost: int) -> tuple[bool, float, float]:
    """Returns (allowed, new_tat, retry_after)."""
    interval = rate.period_seconds / rate.count
    burst = rate.period_seconds  # the whole count may arrive at once
    tat = max(tat, now)
    new_tat = tat + interval * cost
    allow_at = new_tat - burst
    if allow_at <= now + 1e-6:  # tolerance for float rounding of now + period - period
        return True, new_tat, 0.0
    return False, tat, allow_at - now


class MemoryLimiter:
    """One process's limits. Old keys are swept so memory stays bounded under a flood of IPs."""

    def __init__(self, max_keys: int = 200_000) -> None:
        self._tats: dict[str, float] = {}
        self._max_keys = max_keys

    async def hit(self, key: str, rate: Rate, cost: int = 1) -> Decision:
        now = time.monotonic()
        allowed, tat, retry_after = _gcra(self._tats.get(key, now), now, rate, cost)
        if allowed:
            if len(self._tats) >= self._max_keys and key not in self._tats:
                self._sweep(now)
            self._tats[key] = tat
        return Decision(allowed, retry_after)

    async def reset(self, key: str) -> None:
        self._tats.pop(key, None)

    def _sweep(self, now: float) -> None:
        for stale in [k for k, tat in self._tats.items() if tat <= now]:
            del self._tats[stale]
        while len(self._tats) >= self._max_keys:  # all busy: drop the oldest half
            for k in list(self._tats)[: self._max_keys // 2]:
                del self._tats[k]


_GCRA_LUA = """
local key = KEYS[1]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local tat = tonumber(redis.call('GET', key) or now)
if tat < now then tat = now end
local new_tat = tat + interval * cost
local allow_at = new_tat - burst
if allow_at <= now + 0.000001 then
  redis.call('SET', key, tostring(new_tat), 'PX', math.ceil((new_tat - now) * 1000) + 1)
  return {1, '0'}
end
return {0, tostring(allow_at - now)}
"""


class RedisLimiter:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "rl:"
        self._script = redis.register_script(_GCRA_LUA)

    async def hit(self, key: str, rate: Rate, cost: int = 1) -> Decision:
        interval = rate.period_seconds / rate.count
        allowed, retry_after = await self._script(
            keys=[self._prefix + key], args=[interval, rate.period_seconds, cost]
        )
        return Decision(bool(allowed), float(retry_after))

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)


class NoLimiter:
    """`REDLEAF_RATE_LIMITS=off`: for load tests on a private machine."""

    async def hit(self, key: str, rate: Rate, cost: int = 1) -> Decision:
        return Decision(True, 0.0)

    async def reset(self, key: str) -> None:
        return None


# --- as route dependencies ------------------------------------------------------------------------


def get_runtime(connection: HTTPConnection):  # type: ignore[no-untyped-def]
    return connection.app.state.runtime


def client_ip(connection: HTTPConnection) -> str:
    """The peer address; the first X-Forwarded-For hop only behind a proxy the operator trusts."""
    if get_runtime(connection).settings.trusted_proxies:
        forwarded = connection.headers.get("x-forwarded-for", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return connection.client.host if connection.client else "unknown"


async def enforce(connection: HTTPConnection, name: str, rate: Rate, key: str) -> None:
    """Raise `RateLimited` (429 with Retry-After) when `key` went over `rate` for `name`."""
    decision = await get_runtime(connection).limiter.hit(f"{name}:{key}", rate)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)


def limit_per_ip(
    name: str, rate: Callable[[Settings], Rate]
) -> Callable[[Request], Awaitable[None]]:
    """A dependency: `Depends(limit_per_ip("login", lambda s: s.rate_login_per_ip))`."""

    async def dependency(request: Request) -> None:
        await enforce(request, name, rate(get_runtime(request).settings), client_ip(request))

    return dependency


def surge_gate(name: str, rate: Callable[[Settings], Rate]) -> Callable[[Request], Awaitable[None]]:
    """A dependency that turns traffic above `rate` (all clients together) into a polite 503 with
    Retry-After, instead of letting the queue grow until requests time out."""

    async def dependency(request: Request) -> None:
        runtime = get_runtime(request)
        decision = await runtime.limiter.hit(f"surge:{name}", rate(runtime.settings))
        if not decision.allowed:
            wait = max(decision.retry_after, runtime.settings.surge_retry_after_seconds)
            raise SurgeQueued(wait)

    return dependency
