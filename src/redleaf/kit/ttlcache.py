"""A small per-process cache whose entries expire: least recently used out first, and nothing
older than its time to live.

For read paths that may show data a few seconds old (the anonymous Explore feed, the anonymous
note page). Each process keeps its own, so an entry is never invalidated across processes: the
time to live is the bound on staleness, and an entry size of 0 or a time of 0 turns it off.
Used from the event loop only (no await between a look-up and its use), so it needs no lock.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    def __init__(
        self, entries: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.entries = entries
        self.seconds = seconds
        self.hits = 0
        self.misses = 0
        self._clock = clock
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.entries > 0 and self.seconds > 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: K) -> V | None:
        found = self._data.get(key)
        if found is None:
            self.misses += 1
            return None
        expires, value = found
        if expires <= self._clock():
            del self._data[key]
            self.misses += 1
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: K, value: V) -> None:
        if not self.enabled:
            return
        self._data[key] = (self._clock() + self.seconds, value)
        self._data.move_to_end(key)
        while len(self._data) > self.entries:
            self._data.popitem(last=False)

    def discard(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()
