from __future__ import annotations

import asyncio

import pytest
from redis.asyncio import Redis

from redleaf.kit.db import commit, rollback
from redleaf.kit.events import RedisEventBus, publish_on_commit
from redleaf.kit.runtime import Runtime


async def test_published_only_after_commit(runtime: Runtime) -> None:
    async with runtime.events.subscribe("account:1") as subscription:
        await asyncio.sleep(0.05)  # let a Redis subscription settle
        async with runtime.sessions() as session:
            publish_on_commit(session, runtime.events, "account:1", {"type": "follow", "n": 1})
            await asyncio.sleep(0.1)
            assert subscription._queue.empty(), "nothing may escape before the commit"
            await commit(session)
        channel, event = await subscription.get(timeout=3)
        assert (channel, event) == ("account:1", {"type": "follow", "n": 1})


async def test_rolled_back_events_are_dropped(runtime: Runtime) -> None:
    async with runtime.events.subscribe("account:2") as subscription:
        await asyncio.sleep(0.05)
        async with runtime.sessions() as session:
            publish_on_commit(session, runtime.events, "account:2", {"type": "never"})
            await rollback(session)
        async with runtime.sessions() as session:
            publish_on_commit(session, runtime.events, "account:2", {"type": "later"})
            await commit(session)
        _channel, event = await subscription.get(timeout=3)
        assert event == {"type": "later"}


async def test_channels_are_separate_and_fan_out(runtime: Runtime) -> None:
    async with (
        runtime.events.subscribe("room:a") as first,
        runtime.events.subscribe("room:a", "room:b") as second,
    ):
        await asyncio.sleep(0.05)
        await runtime.events.publish("room:b", {"n": 1})
        await runtime.events.publish("room:a", {"n": 2})
        assert (await first.get(timeout=3)) == ("room:a", {"n": 2})
        got = [await second.get(timeout=3), await second.get(timeout=3)]
        assert sorted((channel, event["n"]) for channel, event in got) == [
            ("room:a", 2),
            ("room:b", 1),
        ]
        assert first._queue.empty()


async def test_a_slow_reader_loses_the_oldest_not_the_publisher(runtime: Runtime) -> None:
    async with runtime.events.subscribe("busy") as subscription:
        await asyncio.sleep(0.05)
        for n in range(1100):
            await runtime.events.publish("busy", {"n": n})
        await asyncio.sleep(0.3)
        assert subscription._queue.qsize() <= 1000
        drained = []
        while not subscription._queue.empty():
            drained.append((await subscription.get(timeout=1))[1]["n"])
        assert drained[-1] == 1099


async def test_redis_bus_reaches_another_process(runtime: Runtime) -> None:
    """Two buses on separate Redis connections stand for two server processes."""
    if runtime.redis is None:
        pytest.skip("REDLEAF_TEST_REDIS_URL not set")
    other_redis = Redis.from_url(runtime.settings.redis_url)  # type: ignore[arg-type]
    other = RedisEventBus(other_redis, runtime.settings.redis_prefix)
    try:
        async with other.subscribe("account:9") as subscription:
            await asyncio.sleep(0.1)
            async with runtime.sessions() as session:
                publish_on_commit(session, runtime.events, "account:9", {"type": "follow"})
                await commit(session)
            assert await subscription.get(timeout=3) == ("account:9", {"type": "follow"})
    finally:
        await other.close()
        await other_redis.aclose()
