"""A bounded pool for CPU-heavy calls (password hashing) kept off the event loop.

At most `threads` calls run at once. A new call is refused at once with `Overloaded` when the
calls already waiting would keep it waiting longer than `max_wait` seconds (estimated from how
long recent calls took), or when `queue_max` calls already wait. The estimate adapts by itself to
the machine, to other processes sharing the cores and to how many server processes there are, so
a sign-up flood gets quick surge 503s instead of a queue that grows for ever, and memory stays
bounded (each argon2id hash holds 19 MiB while it runs).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

_SMOOTHING = 0.1  # weight of the newest call in the running average of call durations


class Overloaded(Exception):
    pass


class BoundedPool:
    def __init__(
        self, threads: int, queue_max: int, max_wait: float | None = None, name: str = "cpu"
    ) -> None:
        self.threads = threads
        self.queue_max = queue_max
        self.max_wait = max_wait
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._admitted = 0
        self._average: float | None = None  # seconds one call takes, smoothed

    @property
    def load(self) -> int:
        """Calls running plus waiting."""
        return self._admitted

    def expected_wait(self) -> float:
        """Seconds a call admitted now would wait before a thread takes it."""
        waiting_ahead = self._admitted - self.threads + 1
        if waiting_ahead <= 0 or self._average is None:
            return 0.0
        return waiting_ahead / self.threads * self._average

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self._admitted >= self.threads + self.queue_max:
            raise Overloaded()
        if self.max_wait is not None and self.expected_wait() > self.max_wait:
            raise Overloaded()
        self._admitted += 1
        try:
            loop = asyncio.get_running_loop()
            result, took = await loop.run_in_executor(self._executor, _timed, fn, args)
        finally:
            self._admitted -= 1
        self._average = (
            took
            if self._average is None
            else (_SMOOTHING * took + (1 - _SMOOTHING) * self._average)
        )
        return result

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _timed(fn: Callable[..., T], args: tuple[object, ...]) -> tuple[T, float]:
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started
