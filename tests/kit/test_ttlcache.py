"""The per-process cache of the read paths: entries expire, the least recently used go first,
and a size or time of 0 turns it off."""

from __future__ import annotations

from redleaf.kit.ttlcache import TTLCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_time() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(10, 2.0, clock=clock)
    cache.put("a", 1)
    clock.now += 1.9
    assert cache.get("a") == 1
    clock.now += 0.1
    assert cache.get("a") is None
    assert len(cache) == 0  # an expired entry is dropped when found
    assert (cache.hits, cache.misses) == (1, 1)


def test_putting_again_renews_the_value_and_its_time() -> None:
    clock = Clock()
    cache: TTLCache[str, int] = TTLCache(10, 2.0, clock=clock)
    cache.put("a", 1)
    clock.now += 1.5
    cache.put("a", 2)
    clock.now += 1.5
    assert cache.get("a") == 2


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: TTLCache[str, int] = TTLCache(2, 60.0, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert cache.get("b") is None
    assert cache.get("a") == 1 and cache.get("c") == 3
    assert len(cache) == 2


def test_zero_entries_or_zero_seconds_turn_it_off() -> None:
    for entries, seconds in ((0, 5.0), (10, 0.0)):
        cache: TTLCache[str, int] = TTLCache(entries, seconds, clock=Clock())
        assert not cache.enabled
        cache.put("a", 1)
        assert cache.get("a") is None and len(cache) == 0


def test_discard_and_clear() -> None:
    cache: TTLCache[str, int] = TTLCache(10, 60.0, clock=Clock())
    cache.put("a", 1)
    cache.put("b", 2)
    cache.discard("a")
    cache.discard("missing")
    assert cache.get("a") is None and cache.get("b") == 2
    cache.clear()
    assert len(cache) == 0
