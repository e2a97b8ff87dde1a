"""A bounded pool for CPU-heavy calls (password hashing) kept off the event loop.

At most `threads` calls run at once; at most `queue_max` more may wait. Beyond that `Overloaded`
is raised at once, so a burst of sign-ups cannot queue unbounded work or memory (each argon2id
hash holds 19 MiB while it runs).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Overloaded(Exception):
    pass


class BoundedPool:
    def __init__(self, threads: int, queue_max: int, name: str = "cpu") -> None:
        self.threads = threads
        self.queue_max = queue_max
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=name)
        self._admitted = 0

    @property
    def load(self) -> int:
        """Calls running plus waiting."""
        return self._admitted

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        if self._admitted >= self.threads + self.queue_max:
            raise Overloaded()
        self._admitted += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._executor, fn, *args)
        finally:
            self._admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
