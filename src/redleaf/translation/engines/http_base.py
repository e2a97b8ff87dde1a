"""What the engines that call a translation service over HTTP share (libretranslate.py,
openai_chat.py): one lazily created `httpx.AsyncClient` per engine, a total time limit per
attempt, retries with exponential back-off and jitter on connection errors, timeouts, 429 and
5xx, and a circuit breaker around the whole call.

Every failure ends as EngineError with a short reason, and is logged with the engine's name and
the status, never with the reader's text, the service's answer (it may echo the text) or the
API key.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from typing import Any

import httpx

from redleaf.translation.breaker import CircuitBreaker, CircuitOpen
from redleaf.translation.engines.base import EngineError, Kind, Output, UnsupportedPair

log = logging.getLogger("redleaf.translation")

# Back-off between attempts: BACKOFF_SECONDS, doubled each attempt, never above this.
MAX_BACKOFF_SECONDS = 5.0


class HttpEngine:
    """Base of the HTTP engines: subclasses set `name` and write `_translate_batch`,
    `supports` and `version`."""

    name = "http"
    kind: Kind = "translation"

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        connect_timeout: float = 3.0,
        retries: int = 2,
        breaker: CircuitBreaker | None = None,
        backoff_seconds: float = 0.5,
        max_retry_after: float = 5.0,
    ) -> None:
        self.url = url.rstrip("/")
        parsed = httpx.URL(self.url)
        if parsed.scheme not in {"http", "https"} or not parsed.host:
            raise ValueError(f"{self.name}: the URL must be http(s)://host[:port][/path]")
        self.host = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
        self.timeout = timeout
        self.connect_timeout = min(connect_timeout, timeout)
        self.retries = max(0, retries)
        self.breaker = breaker if breaker is not None else CircuitBreaker(name=self.name)
        self.backoff_seconds = backoff_seconds
        # A service that asks us to come back later than this is treated as down for this
        # call: a reader is waiting for the answer.
        self.max_retry_after = max_retry_after
        self._client: httpx.AsyncClient | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None
        self._random = random.Random()

    # -- the Engine interface ----------------------------------------------------------------

    async def translate(self, segments: list[str], source: str, target: str) -> list[Output]:
        if not segments:
            return []
        if not self.supports(source, target):
            raise UnsupportedPair(f"{self.name}: no {source} -> {target}")
        try:
            return await self.breaker.call(lambda: self._guarded(segments, source, target))
        except CircuitOpen:
            log.debug("%s: circuit open, call skipped", self.name)
            raise

    def supports(self, source: str, target: str) -> bool:
        raise NotImplementedError

    async def aclose(self) -> None:
        client, self._client = self._client, None
        # A client made on another event loop cannot be closed from this one; dropping it is
        # all that is left to do.
        if client is not None and self._client_loop is asyncio.get_running_loop():
            await client.aclose()

    # -- for subclasses ----------------------------------------------------------------------

    async def _translate_batch(self, segments: list[str], source: str, target: str) -> list[Output]:
        raise NotImplementedError

    def _headers(self) -> dict[str, str]:
        """Headers sent with every request (an Authorization header, for instance)."""
        return {}

    def _fail(self, reason: str, status: int | None = None) -> EngineError:
        """Log a failure that is not an HTTP exchange (a malformed or rejected answer) and
        return the EngineError to raise."""
        log.warning("translation engine %s failed: %s (status %s)", self.name, reason, status)
        return EngineError(f"{self.name}: {reason}")

    async def _post_json(self, path: str, payload: dict[str, Any]) -> Any:
        """POST `payload` to url + path with retries; the decoded JSON of a 2xx answer."""
        return await self._exchange("POST", path, payload)

    async def _get_json(self, path: str, *, retries: int | None = None) -> Any:
        return await self._exchange("GET", path, None, retries=retries)

    # -- the exchange ------------------------------------------------------------------------

    async def _guarded(self, segments: list[str], source: str, target: str) -> list[Output]:
        try:
            return await self._translate_batch(segments, source, target)
        except EngineError:
            raise
        except Exception as error:  # the interface promises EngineError and nothing else
            raise self._fail(f"unexpected {type(error).__name__}") from error

    def _http(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        if self._client is not None and self._client_loop is not loop:
            # Its pooled connections belong to another (perhaps closed) event loop, as after a
            # CLI command's asyncio.run: start afresh rather than fail on them.
            self._client = None
        if self._client is None:
            self._client_loop = loop
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout, connect=self.connect_timeout),
                headers=self._headers(),
                follow_redirects=False,
            )
        return self._client

    async def _exchange(
        self, method: str, path: str, payload: dict[str, Any] | None, *, retries: int | None = None
    ) -> Any:
        retries = self.retries if retries is None else retries
        attempts = retries + 1
        for attempt in range(attempts):
            status: int | None = None
            retry_after: float | None = None
            try:
                # httpx limits each phase (connect, each read); this limits the whole exchange,
                # so a server that trickles bytes cannot hold a reader for long.
                async with asyncio.timeout(self.timeout):
                    response = await self._http().request(method, self.url + path, json=payload)
            except (TimeoutError, httpx.TimeoutException):
                reason, retryable = "timeout", True
            except httpx.TransportError as error:
                reason, retryable = f"connection failed ({type(error).__name__})", True
            except httpx.HTTPError as error:
                reason, retryable = f"request failed ({type(error).__name__})", False
            else:
                status = response.status_code
                if response.is_success:
                    try:
                        return response.json()
                    except ValueError:
                        raise self._fail("malformed answer (not JSON)", status) from None
                reason = f"HTTP {status}"
                retryable = status == 429 or status >= 500
                retry_after = parse_retry_after(response.headers.get("retry-after"))
            log.warning(
                "translation engine %s failed: %s (status %s, attempt %d of %d)",
                self.name,
                reason,
                status,
                attempt + 1,
                attempts,
            )
            if not retryable or attempt + 1 == attempts:
                break
            if retry_after is not None and retry_after > self.max_retry_after:
                reason += f", retry after {retry_after:.0f} s"
                break
            await asyncio.sleep(self._backoff(attempt, retry_after))
        raise EngineError(f"{self.name}: {reason}")

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        ceiling = min(MAX_BACKOFF_SECONDS, self.backoff_seconds * 2**attempt)
        # Jitter keeps many workers that failed together from retrying together.
        delay = ceiling * self._random.uniform(0.5, 1.0)
        return max(delay, retry_after or 0.0)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when
    absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)
