"""An open-loop HTTP load generator for the benchmarks, meant to run in its own process.

Open loop: request i is due at `start + i / rate` whatever happened to earlier requests, and its
latency is counted from that due time (not from when it was actually sent), so a slow server or
a late generator shows up in the numbers instead of hiding them (no coordinated omission). The
generator also reports how late it sent (`lag`) and its own CPU time, which tell whether the
generator, rather than the server, was the limit.

Two clients with the same interface: `raw` (HTTP/1.1 keep-alive over asyncio streams, a few
lines of parsing; the default because it costs the shared cores least) and `httpx`
(httpx.AsyncClient). `client_ceiling()` measures either against a cheap route such as /healthz.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

# (status, headers with lower-case names, body)
Answer = tuple[int, dict[str, str], bytes]


class RawClient:
    """HTTP/1.1 with keep-alive over asyncio streams: one idle list, a new connection when none."""

    def __init__(self, host: str, port: int, max_connections: int = 4096) -> None:
        self.host = host
        self.port = port
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(max_connections)
        self.opened = 0
        self.retried = 0

    async def request(self, method: str, path: str, body: bytes = b"") -> Answer:
        message = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        async with self._slots:
            while True:
                reused = bool(self._idle)
                if reused:
                    reader, writer = self._idle.pop()
                    if reader.at_eof() or writer.is_closing():  # the server closed it while idle
                        writer.close()
                        continue
                else:
                    reader, writer = await asyncio.open_connection(self.host, self.port)
                    self.opened += 1
                try:
                    status, headers, content = await _exchange(reader, writer, message)
                except (asyncio.IncompleteReadError, ConnectionError) as exc:
                    writer.close()
                    partial = getattr(exc, "partial", b"")
                    if reused and not partial:
                        # An idle keep-alive connection the server closed as we reused it (its
                        # keep-alive timeout): nothing was answered, so send again, as browsers do.
                        self.retried += 1
                        continue
                    raise
                except BaseException:
                    writer.close()
                    raise
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                else:
                    self._idle.append((reader, writer))
                return status, headers, content

    async def close(self) -> None:
        for _reader, writer in self._idle:
            writer.close()
        self._idle.clear()


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: bytes
) -> Answer:
    writer.write(message)
    raw = await reader.readuntil(b"\r\n\r\n")
    lines = raw.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        content = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        content = await _read_chunked(reader)
    else:
        content = b""
    return status, headers, content


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class HttpxClient:
    def __init__(self, host: str, port: int, max_connections: int = 4096) -> None:
        import httpx

        self._client = httpx.AsyncClient(
            base_url=f"http://{host}:{port}",
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
            timeout=None,  # the generator applies its own deadline
            headers={"content-type": "application/json"},
        )
        self.opened = -1  # not tracked
        self.retried = -1

    async def request(self, method: str, path: str, body: bytes = b"") -> Answer:
        response = await self._client.request(method, path, content=body or None)
        return response.status_code, dict(response.headers), response.content

    async def close(self) -> None:
        await self._client.aclose()


def make_client(kind: str, host: str, port: int) -> RawClient | HttpxClient:
    if kind == "raw":
        return RawClient(host, port)
    if kind == "httpx":
        return HttpxClient(host, port)
    raise ValueError(f"unknown client {kind!r}")


def classify(status: int, headers: dict[str, str], body: bytes) -> str:
    """'201', 'surge503' (503 saying surge_queued, with Retry-After), 'busy503' (503 saying
    unavailable, with Retry-After: no database connection came free), '429', '4xx' or '5xx'."""
    if status == 201:
        return "201"
    if status == 503 and "retry-after" in headers:
        if b"surge_queued" in body:
            return "surge503"
        if b'"unavailable"' in body:
            return "busy503"
    if status == 429:
        return "429"
    if 400 <= status < 500:
        return "4xx"
    if status >= 500:
        return "5xx"
    return str(status)


@dataclass
class PhaseResult:
    rate: float
    duration: float
    counts: Counter[str] = field(default_factory=Counter)
    ok_latencies: list[float] = field(default_factory=list)  # seconds, from the due time
    ok_due: list[float] = field(default_factory=list)  # their due times, from the window's start
    ok_completed: int = 0  # 201s that arrived inside the window, whenever they were due
    ok_total: int = 0  # 201s over the whole phase, warm-up included
    all_latencies: list[float] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)  # seconds the send started after its due time
    samples: list[str] = field(default_factory=list)  # a few unexpected answers, for the report
    cpu_seconds: float = 0.0  # the generator's own CPU time over the whole phase
    sent: int = 0
    max_in_flight: int = 0
    connections: int = 0
    retried: int = 0  # requests sent again on a fresh connection (a stale keep-alive one)


def _run(coro_factory: Callable[[], Awaitable[Any]]) -> Any:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        return asyncio.run(coro_factory())  # type: ignore[arg-type]
    return uvloop.run(coro_factory())  # type: ignore[arg-type]


def open_loop(
    host: str,
    port: int,
    *,
    path: str,
    rate: float,
    duration: float,
    warmup: float,
    body_template: bytes,
    client: str = "raw",
    timeout: float = 15.0,
) -> PhaseResult:
    """Offer `rate` requests/s for `warmup + duration` seconds; statistics cover `duration` only.

    Request i's body is `body_template` with every `{n}` replaced by i (unique usernames).
    """
    return _run(
        lambda: _open_loop(host, port, path, rate, duration, warmup, body_template, client, timeout)
    )


async def _open_loop(
    host: str,
    port: int,
    path: str,
    rate: float,
    duration: float,
    warmup: float,
    body_template: bytes,
    client_kind: str,
    deadline_s: float,
) -> PhaseResult:
    loop = asyncio.get_running_loop()
    client = make_client(client_kind, host, port)
    result = PhaseResult(rate=rate, duration=duration)
    in_flight = 0
    cpu0 = time.process_time()

    async def one(i: int, due: float, measured: bool) -> None:
        nonlocal in_flight
        in_flight += 1
        result.max_in_flight = max(result.max_in_flight, in_flight)
        body = body_template.replace(b"{n}", str(i).encode())
        sent_at = loop.time()
        try:
            async with asyncio.timeout(deadline_s):
                status, headers, content = await client.request("POST", path, body)
            kind = classify(status, headers, content)
        except TimeoutError:
            kind, content = "timeout", b""
        except Exception as exc:  # refused, reset, a malformed answer: the server failed us
            kind, content = "error", repr(exc).encode()
        finally:
            in_flight -= 1
        now = loop.time()
        if kind == "201":
            result.ok_total += 1
            if window_start <= now < window_end:
                result.ok_completed += 1
        if not measured:
            return
        latency = now - due
        result.counts[kind] += 1
        result.lags.append(sent_at - due)
        if kind in ("201", "surge503", "busy503", "429", "4xx", "5xx"):
            result.all_latencies.append(latency)
        if kind == "201":
            result.ok_latencies.append(latency)
            result.ok_due.append(due - window_start)
        elif kind != "surge503" and len(result.samples) < 5:
            result.samples.append(f"{kind}: {content[:200]!r}")

    total = int(round((warmup + duration) * rate))
    first_measured = int(round(warmup * rate))
    start = loop.time() + 0.05
    window_start = start + first_measured / rate
    window_end = window_start + duration
    tasks = []
    for i in range(total):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i, due, i >= first_measured)))
    result.sent = total - first_measured
    await asyncio.gather(*tasks)
    result.cpu_seconds = time.process_time() - cpu0
    result.connections = client.opened
    result.retried = client.retried
    await client.close()
    return result


def client_ceiling(
    host: str,
    port: int,
    *,
    path: str = "/healthz",
    client: str = "raw",
    seconds: float = 2.0,
    concurrency: int = 32,
) -> tuple[float, float]:
    """Closed loop against a cheap route: (requests/s, generator CPU µs per request).

    The server shares the cores, so requests/s is a lower bound on what the generator could do
    alone; CPU per request is the generator's own cost.
    """
    return _run(lambda: _ceiling(host, port, path, client, seconds, concurrency))


async def _ceiling(
    host: str, port: int, path: str, client_kind: str, seconds: float, concurrency: int
) -> tuple[float, float]:
    client = make_client(client_kind, host, port)
    loop = asyncio.get_running_loop()
    done = 0

    async def worker(stop: float) -> None:
        nonlocal done
        while loop.time() < stop:
            status, _headers, _body = await client.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
            done += 1

    await asyncio.gather(*(worker(loop.time() + 0.3) for _ in range(concurrency)))  # warm up
    done = 0
    cpu0, t0 = time.process_time(), loop.time()
    await asyncio.gather(*(worker(t0 + seconds) for _ in range(concurrency)))
    elapsed, cpu = loop.time() - t0, time.process_time() - cpu0
    await client.close()
    return done / elapsed, cpu / max(done, 1) * 1e6


@dataclass
class ClosedLoopResult:
    seconds: float
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    cpu_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def closed_loop(
    host: str,
    port: int,
    paths: list[str],
    *,
    seconds: float = 10.0,
    warmup: float = 2.0,
    concurrency: int = 16,
    client: str = "raw",
) -> ClosedLoopResult:
    """`concurrency` clients, each sending the next path as soon as the last answer came: the
    throughput the server sustains, with the latency of each request."""
    return _run(lambda: _closed_loop(host, port, paths, seconds, warmup, concurrency, client))  # type: ignore[no-any-return]


async def _closed_loop(
    host: str,
    port: int,
    paths: list[str],
    seconds: float,
    warmup: float,
    concurrency: int,
    client_kind: str,
) -> ClosedLoopResult:
    client = make_client(client_kind, host, port)
    loop = asyncio.get_running_loop()
    result = ClosedLoopResult(seconds=seconds)
    counter = 0

    async def worker(stop: float, measured: bool) -> None:
        nonlocal counter
        while loop.time() < stop:
            path = paths[counter % len(paths)]
            counter += 1
            started = loop.time()
            status, _headers, _body = await client.request("GET", path)
            if measured:
                result.latencies.append(loop.time() - started)
                result.statuses[status] += 1

    await asyncio.gather(*(worker(loop.time() + warmup, False) for _ in range(concurrency)))
    cpu0 = time.process_time()
    stop = loop.time() + seconds
    await asyncio.gather(*(worker(stop, True) for _ in range(concurrency)))
    result.cpu_seconds = time.process_time() - cpu0
    await client.close()
    return result
