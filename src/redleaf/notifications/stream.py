"""The live stream: a member's notifications as Server-Sent Events.

```
retry: 5000                                   reconnection delay for EventSource
event: unread   data: {"count", "by_kind"}    on connect, and whenever the count changes
id: <notification id>
event: notification  data: {"unread", "by_kind", "item"}   a group that changed, as the list
                                              shows it, in the reader's language
: ping                                        every NOTIFICATIONS_STREAM_HEARTBEAT_SECONDS
```

The bus carries compact, language-neutral events (`service.do_notify`); each stream reads the
group and the count for its reader when one arrives, after the commit, so what it sends is the
committed state through the reader's own filters (blocks, mutes, hidden notes). Events that
arrive together are read together. A client that reconnects sends `Last-Event-ID` and first gets
the groups that changed meanwhile. No database connection is held between events.

A stream ends when the client goes (Starlette cancels it), after
NOTIFICATIONS_STREAM_MAX_SECONDS (the browser reconnects, and its session is checked again), when
the member opens more than NOTIFICATIONS_STREAMS_PER_ACCOUNT in one process (the oldest goes), or
when the server begins a graceful shutdown: uvicorn waits for open responses before it stops, so
an endless response would hold the shutdown for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import anyio
import orjson

from redleaf.accounts.models import Account
from redleaf.kit.events import Event, Subscription
from redleaf.kit.i18n import reset_locale, set_locale
from redleaf.kit.runtime import Runtime
from redleaf.notifications import service

log = logging.getLogger(__name__)

STOP = "notifications:stop"  # the channel name of the stop signal put into subscriptions
DRAIN_MAX = 100
WATCH_INTERVAL_SECONDS = 0.5


def _server_exiting() -> bool:
    """True once uvicorn has been asked to stop. uvicorn installs its `Server.handle_exit` as
    the SIGTERM handler and sets `should_exit` there; that flag is all an app can see before the
    connections drain (the lifespan shutdown only comes after them)."""
    handler = signal.getsignal(signal.SIGTERM)
    server = getattr(handler, "__self__", None)
    return getattr(server, "should_exit", False) is True


class OpenStreams:
    """The streams open in this app: at most NOTIFICATIONS_STREAMS_PER_ACCOUNT per member (a
    newer one closes the oldest), and all of them closed when the server begins to stop (checked
    twice a second while any is open)."""

    def __init__(self) -> None:
        self._by_account: dict[int, list[Subscription]] = {}
        self._task: asyncio.Task[None] | None = None
        self.stopping = False

    def __len__(self) -> int:
        return sum(len(streams) for streams in self._by_account.values())

    def add(self, account_id: int, subscription: Subscription, limit: int) -> None:
        streams = self._by_account.setdefault(account_id, [])
        streams.append(subscription)
        while len(streams) > max(1, limit):
            streams.pop(0).put(STOP, {"type": "stop"})
        if self.stopping:
            subscription.put(STOP, {"type": "stop"})
        elif self._task is None or self._task.done():
            self._task = asyncio.create_task(self._watch(), name="notifications-shutdown-watch")

    def discard(self, account_id: int, subscription: Subscription) -> None:
        streams = self._by_account.get(account_id, [])
        if subscription in streams:
            streams.remove(subscription)
        if not streams:
            self._by_account.pop(account_id, None)
        if not self._by_account and self._task is not None:
            self._task.cancel()
            self._task = None

    def stop_all(self) -> None:
        self.stopping = True
        for streams in self._by_account.values():
            for subscription in streams:
                subscription.put(STOP, {"type": "stop"})

    async def _watch(self) -> None:
        while self._by_account:
            if _server_exiting():
                self.stop_all()
                return
            await asyncio.sleep(WATCH_INTERVAL_SECONDS)


def open_streams(runtime: Runtime) -> OpenStreams:
    registry = runtime.extras.get("notifications.streams")
    if not isinstance(registry, OpenStreams):
        registry = OpenStreams()
        runtime.extras["notifications.streams"] = registry
    return registry


def frame(
    event: str | None = None,
    data: Any = None,
    *,
    event_id: str | None = None,
    retry_ms: int | None = None,
    comment: str | None = None,
) -> bytes:
    """One SSE message. JSON never contains a raw newline, so `data:` is always one line."""
    lines = []
    if comment is not None:
        lines.append(f": {comment}")
    if retry_ms is not None:
        lines.append(f"retry: {retry_ms}")
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    if data is not None:
        lines.append("data: " + orjson.dumps(data).decode())
    return ("\n".join(lines) + "\n\n").encode()


async def _drain(subscription: Subscription) -> list[tuple[str, Event]]:
    """Whatever else is already queued, without waiting: a burst becomes one read."""
    found: list[tuple[str, Event]] = []
    while len(found) < DRAIN_MAX:
        task = asyncio.ensure_future(subscription.get())
        await asyncio.sleep(0)  # one turn: enough for a get() on a non-empty queue to finish
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if not task.cancelled():
                found.append(task.result())
            break
        found.append(task.result())
    return found


async def _read(
    runtime: Runtime,
    reader: Account,
    *,
    keys: list[str] | None = None,
    since: int | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    """The changed groups and the unread count, in a short session of its own; None when the
    database cannot answer now (the stream goes on; the next event tries again)."""
    try:
        async with runtime.sessions() as session:
            unread = await service.get_unread(session, reader)
            items: list[dict[str, Any]] = []
            if keys:
                items = await service.get_groups(session, reader, keys)
            elif since is not None:
                limit = runtime.settings.notifications_stream_replay_max
                items = list(reversed(await service.get_since(session, reader, since, limit)))
            return items, unread
    except Exception:
        log.exception("notification stream could not read for account %s", reader.id)
        return None


def _frames(items: list[dict[str, Any]], unread: dict[str, Any]) -> list[bytes]:
    # Oldest first: the page prepends each one, so the newest ends on top.
    out = [
        frame("notification", {**unread, "item": item}, event_id=item["id"])
        for item in reversed(items)
    ]
    out.append(frame("unread", unread))
    return out


async def events(
    runtime: Runtime, reader: Account, locale: str, last_event_id: int | None
) -> AsyncIterator[bytes]:
    """The body of GET /api/v1/notifications/stream."""
    settings = runtime.settings
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.notifications_stream_max_seconds
    registry = open_streams(runtime)
    subscribing = runtime.events.subscribe(service.channel(reader.id))
    subscription = await subscribing.__aenter__()
    registry.add(reader.id, subscription, settings.notifications_streams_per_account)
    locale_token = set_locale(locale)
    try:
        yield frame(retry_ms=settings.notifications_stream_retry_ms, comment="connected")
        # Subscribed first, read second: nothing published in between is missed.
        first = await _read(runtime, reader, since=last_event_id)
        if first is not None:
            for chunk in _frames(*first):
                yield chunk
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                received = await subscription.get(
                    timeout=min(settings.notifications_stream_heartbeat_seconds, remaining)
                )
            except TimeoutError:
                yield frame(comment="ping")
                continue
            batch = [received, *await _drain(subscription)]
            if any(name == STOP for name, _event in batch):
                return
            keys = list(
                dict.fromkeys(
                    str(event["group"])
                    for _name, event in batch
                    if event.get("type") == "notification" and event.get("group")
                )
            )
            read = await _read(runtime, reader, keys=keys)
            if read is not None:
                for chunk in _frames(*read):
                    yield chunk
    finally:
        with contextlib.suppress(ValueError):  # closed from another context: nothing to undo
            reset_locale(locale_token)
        registry.discard(reader.id, subscription)
        # Shielded: a stream ends by cancellation when its client goes, and an unshielded await
        # here would be cancelled again before the bus forgot the subscription.
        with anyio.CancelScope(shield=True):
            await subscribing.__aexit__(None, None, None)
