"""A circuit breaker for translation engines that call a network service.

When a service keeps failing, every reader who presses Translate would otherwise wait for a full
timeout (and its retries) before the chain falls back to the next engine. After
`failure_threshold` consecutive failures the breaker opens: calls fail at once with EngineError
("circuit open") without touching the network. After `reset_seconds` one trial call is let
through (half-open); its success closes the breaker, its failure opens it again for another
`reset_seconds`.

State changes happen only in synchronous code between awaits, so on one event loop no two
coroutines can both become the trial; a lock also keeps it right if a breaker is shared between
threads.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar

from redleaf.translation.engines.base import EngineError

log = logging.getLogger("redleaf.translation")

State = Literal["closed", "open", "half-open"]
T = TypeVar("T")


class CircuitOpen(EngineError):
    """The breaker refused the call without trying it."""


class CircuitBreaker:
    def __init__(
        self,
        failure_threshold: int = 5,
        reset_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        *,
        name: str = "",
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_seconds < 0:
            raise ValueError("reset_seconds must not be negative")
        self.failure_threshold = failure_threshold
        self.reset_seconds = reset_seconds
        self.name = name or "unnamed"  # only for log lines
        self._clock = clock
        self._lock = threading.Lock()
        self._state: State = "closed"
        self._failures = 0
        self._opened_at = 0.0
        self._trial_running = False

    @property
    def state(self) -> State:
        return self._state

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    def admit(self) -> bool:
        """Let a call through or raise CircuitOpen. Returns True when the call is the half-open
        trial. An admitted caller must report back with `record_success`, `record_failure` or
        `record_abandoned`, passing that flag."""
        with self._lock:
            if self._state == "closed":
                return False
            if self._state == "open":
                if self._clock() - self._opened_at < self.reset_seconds:
                    raise CircuitOpen("circuit open")
                self._state = "half-open"
            # Half-open: exactly one trial at a time; everyone else keeps failing fast.
            if self._trial_running:
                raise CircuitOpen("circuit open")
            self._trial_running = True
            return True

    def record_success(self) -> None:
        with self._lock:
            if self._state != "closed":
                log.info("circuit %s closed: the service answered again", self.name)
            self._state = "closed"
            self._failures = 0
            self._trial_running = False

    def record_failure(self, trial: bool = False) -> None:
        with self._lock:
            if trial:
                self._open("the trial call failed")
            elif self._state == "closed":
                self._failures += 1
                if self._failures >= self.failure_threshold:
                    self._open(f"{self._failures} consecutive failures")
            # Otherwise a call admitted before the breaker opened finished late: the breaker
            # already knows the service is failing.

    def record_abandoned(self, trial: bool = False) -> None:
        """The call was cancelled before it could tell us anything: free the trial slot so the
        next caller can try, counting neither a success nor a failure."""
        if trial:
            with self._lock:
                self._trial_running = False

    async def call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run `operation` under the breaker: any exception it raises counts as a failure."""
        trial = self.admit()
        try:
            result = await operation()
        except asyncio.CancelledError:
            self.record_abandoned(trial)
            raise
        except Exception:
            self.record_failure(trial)
            raise
        self.record_success()
        return result

    def _open(self, why: str) -> None:
        self._state = "open"
        self._opened_at = self._clock()
        self._trial_running = False
        log.warning("circuit %s open for %.1f s: %s", self.name, self.reset_seconds, why)
