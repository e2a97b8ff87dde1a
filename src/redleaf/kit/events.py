"""The event bus: real-time events to open pages and sockets, in process or through Redis pub/sub.

Code that changes data never publishes directly: it calls `publish_on_commit(session, ...)`,
which buffers the event on the transaction and sends it only after the commit succeeds (a rolled
back change announces nothing). Events are best-effort notifications; what must not be lost goes
through the job table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.kit.db import on_commit

log = logging.getLogger(__name__)

Event = dict[str, Any]


class EventBus(Protocol):
    async def publish(self, channel: str, event: Event) -> None: ...

    def subscribe(self, *channels: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...

    async def close(self) -> None: ...


class Subscription:
    """Events for a set of channels. A reader that falls `maxsize` events behind loses the oldest
    rather than holding memory for ever: a slow reader never slows the publisher."""

    def __init__(self, maxsize: int = 1000) -> None:
        self._queue: asyncio.Queue[tuple[str, Event]] = asyncio.Queue(maxsize)
        self.dropped = 0

    def put(self, channel: str, event: Event) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped += 1
        self._queue.put_nowait((channel, event))

    async def get(self, timeout: float | None = None) -> tuple[str, Event]:  # noqa: ASYNC109
        return await asyncio.wait_for(self._queue.get(), timeout)

    async def __aiter__(self) -> AsyncIterator[tuple[str, Event]]:
        while True:
            yield await self._queue.get()


class MemoryEventBus:
    """One process. Enough for `make run`; several processes need Redis."""

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = defaultdict(set)

    async def publish(self, channel: str, event: Event) -> None:
        for subscription in list(self._subscribers.get(channel, ())):
            subscription.put(channel, event)

    @contextlib.asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        subscription = Subscription()
        for channel in channels:
            self._subscribers[channel].add(subscription)
        try:
            yield subscription
        finally:
            for channel in channels:
                self._subscribers[channel].discard(subscription)
                if not self._subscribers[channel]:
                    del self._subscribers[channel]

    async def close(self) -> None:
        self._subscribers.clear()


class RedisEventBus:
    """Redis pub/sub shared by every process. One Redis connection per process listens for all
    local subscribers, and fans each message out to them in memory."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix + "ev:"
        self._local = MemoryEventBus()
        self._pubsub = redis.pubsub(ignore_subscribe_messages=True)
        self._counts: dict[str, int] = defaultdict(int)
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def publish(self, channel: str, event: Event) -> None:
        await self._redis.publish(self._prefix + channel, orjson.dumps(event))

    @contextlib.asynccontextmanager
    async def subscribe(self, *channels: str) -> AsyncIterator[Subscription]:
        async with self._lock:
            new = [c for c in channels if self._counts[c] == 0]
            for channel in channels:
                self._counts[channel] += 1
            if new:
                await self._pubsub.subscribe(*(self._prefix + c for c in new))
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read(), name="redis-event-reader")
        try:
            async with self._local.subscribe(*channels) as subscription:
                yield subscription
        finally:
            async with self._lock:
                gone = []
                for channel in channels:
                    self._counts[channel] -= 1
                    if self._counts[channel] == 0:
                        del self._counts[channel]
                        gone.append(channel)
                if gone:
                    await self._pubsub.unsubscribe(*(self._prefix + c for c in gone))

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("event bus lost its Redis connection; retrying")
                await asyncio.sleep(1.0)
                continue
            if message is None or message.get("type") != "message":
                if not self._counts:
                    await asyncio.sleep(0.05)
                continue
            channel = message["channel"]
            channel = channel.decode() if isinstance(channel, bytes) else channel
            await self._local.publish(
                channel.removeprefix(self._prefix), orjson.loads(message["data"])
            )

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
        await self._local.close()


def publish_on_commit(session: AsyncSession, bus: EventBus, channel: str, event: Event) -> None:
    """Buffer `event` on the session's transaction; it is published after commit, never before."""

    async def send() -> None:
        await bus.publish(channel, event)

    on_commit(session, send)
