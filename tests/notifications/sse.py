"""Reading Server-Sent Events in tests.

httpx's ASGI transport collects a whole response before returning it, which an endless stream
never finishes; `AsgiStream` drives the ASGI app directly instead (as a server would: the request,
then `http.disconnect` when the test hangs up), and `parse` splits the bytes into events.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.types import ASGIApp, Message


@dataclass
class SseEvent:
    event: str | None = None
    data: Any = None
    id: str | None = None
    retry: int | None = None
    comments: list[str] = field(default_factory=list)


def parse_block(block: str) -> SseEvent:
    found = SseEvent()
    data_lines = []
    for line in block.split("\n"):
        name, _sep, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "":
            found.comments.append(value)
        elif name == "event":
            found.event = value
        elif name == "data":
            data_lines.append(value)
        elif name == "id":
            found.id = value
        elif name == "retry":
            found.retry = int(value)
    if data_lines:
        found.data = orjson.loads("\n".join(data_lines))
    return found


class SseReader:
    """Splits a byte stream into events, whatever the chunking."""

    def __init__(self) -> None:
        self._buffer = ""
        self.events: asyncio.Queue[SseEvent | None] = asyncio.Queue()

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk.decode()
        while "\n\n" in self._buffer:
            block, self._buffer = self._buffer.split("\n\n", 1)
            self.events.put_nowait(parse_block(block))

    def end(self) -> None:
        self.events.put_nowait(None)

    async def next(self, seconds: float = 5.0) -> SseEvent | None:
        """The next event, or None when the stream has ended."""
        return await asyncio.wait_for(self.events.get(), seconds)

    async def next_named(self, name: str, seconds: float = 5.0) -> SseEvent:
        while True:
            event = await self.next(seconds)
            assert event is not None, f"the stream ended before a {name!r} event"
            if event.event == name:
                return event


class AsgiStream:
    """`async with AsgiStream(app, "/api/v1/notifications/stream", headers) as stream:`"""

    def __init__(self, app: ASGIApp, path: str, headers: dict[str, str]) -> None:
        self.app = app
        self.path, _sep, query = path.partition("?")
        self.query = query
        self.headers = headers
        self.status: int | None = None
        self.response_headers: dict[str, str] = {}
        self.reader = SseReader()
        self.finished = asyncio.Event()
        self._started = asyncio.Event()
        self._hang_up = asyncio.Event()
        self._request_sent = False
        self._task: asyncio.Task[None] | None = None

    async def _receive(self) -> Message:
        if not self._request_sent:
            self._request_sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self._hang_up.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.response_headers = {k.decode(): v.decode() for k, v in message["headers"]}
            self._started.set()
        elif message["type"] == "http.response.body":
            if message.get("body"):
                self.reader.feed(message["body"])
            if not message.get("more_body", False):
                self.reader.end()
                self.finished.set()

    async def _run(self) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": self.query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver")]
            + [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("203.0.113.10", 50000),
            "server": ("testserver", 80),
        }
        try:
            await self.app(scope, self._receive, self._send)
        finally:
            self._started.set()
            self.finished.set()

    async def __aenter__(self) -> AsgiStream:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self._started.wait(), 5)
        return self

    def hang_up(self) -> None:
        self._hang_up.set()

    async def wait_closed(self, seconds: float = 5.0) -> None:
        assert self._task is not None
        await asyncio.wait_for(asyncio.shield(self._task), seconds)

    async def __aexit__(self, *exc: object) -> None:
        self.hang_up()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, 5)
