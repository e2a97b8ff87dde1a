from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from redis.asyncio import Redis

from redleaf.kit.ratelimit import Limiter, MemoryLimiter, RedisLimiter
from redleaf.kit.rates import Rate

REDIS_URL = os.environ.get("REDLEAF_TEST_REDIS_URL")


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    if request.param == "memory":
        yield MemoryLimiter()
        return
    if not REDIS_URL:
        pytest.skip("REDLEAF_TEST_REDIS_URL not set")
    redis = Redis.from_url(REDIS_URL)
    prefix = f"redleaf_test_{uuid.uuid4().hex[:8]}:"
    yield RedisLimiter(redis, prefix)
    keys = [k async for k in redis.scan_iter(match=prefix + "*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()


async def test_allows_a_burst_up_to_the_count_then_refuses(limiter: Limiter) -> None:
    rate = Rate.parse("5/minute")
    decisions = [await limiter.hit("k", rate) for _ in range(6)]
    assert [d.allowed for d in decisions] == [True] * 5 + [False]
    assert 0 < decisions[-1].retry_after <= 12.5  # one slot frees every 12 s


async def test_keys_are_independent_and_reset(limiter: Limiter) -> None:
    rate = Rate.parse("1/hour")
    assert (await limiter.hit("a", rate)).allowed
    assert (await limiter.hit("b", rate)).allowed
    assert not (await limiter.hit("a", rate)).allowed
    await limiter.reset("a")
    assert (await limiter.hit("a", rate)).allowed


async def test_refills_over_time(limiter: Limiter) -> None:
    rate = Rate.parse("20/second")
    for _ in range(20):
        assert (await limiter.hit("fast", rate)).allowed
    assert not (await limiter.hit("fast", rate)).allowed
    await asyncio.sleep(0.12)
    assert (await limiter.hit("fast", rate)).allowed


async def test_concurrent_hits_never_exceed_the_count(limiter: Limiter) -> None:
    rate = Rate.parse("10/hour")
    decisions = await asyncio.gather(*(limiter.hit("crowd", rate) for _ in range(50)))
    assert sum(d.allowed for d in decisions) == 10


def test_rate_parsing() -> None:
    assert Rate.parse("10/minute") == Rate(10, 60.0)
    assert Rate.parse("3/hours").per_second == pytest.approx(3 / 3600)
    assert str(Rate.parse("7/day")) == "7/day"
    for bad in ("", "10", "x/minute", "0/minute", "5/fortnight", "-1/second"):
        with pytest.raises(ValueError):
            Rate.parse(bad)


async def test_memory_limiter_stays_bounded() -> None:
    limiter = MemoryLimiter(max_keys=100)
    for i in range(1000):
        await limiter.hit(f"ip-{i}", Rate.parse("5/hour"))
    assert len(limiter._tats) <= 100


async def test_redis_limits_are_shared_between_processes() -> None:
    if not REDIS_URL:
        pytest.skip("REDLEAF_TEST_REDIS_URL not set")
    prefix = f"redleaf_test_{uuid.uuid4().hex[:8]}:"
    first, second = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
    try:
        rate = Rate.parse("4/minute")
        a, b = RedisLimiter(first, prefix), RedisLimiter(second, prefix)
        decisions = [await (a if i % 2 else b).hit("shared", rate) for i in range(6)]
        assert [d.allowed for d in decisions] == [True] * 4 + [False] * 2
    finally:
        await first.delete(prefix + "rl:shared")
        await first.aclose()
        await second.aclose()
