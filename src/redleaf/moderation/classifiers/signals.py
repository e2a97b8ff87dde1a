"""Spam signals as pure functions of what they are given: link spam, mention spam, and burst
posting (with the per-author sliding-window counter it needs). Each gives a score in [0, 1] that
policy rules compare with thresholds, plus the raw figures a reviewer can read.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from redleaf.translation.entities import MENTION_PATTERN, URL_PATTERN

# Link shorteners hide where a link goes; spam uses them far more than members do.
SHORTENER_DOMAINS = frozenset(
    {
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly",
        "rebrand.ly", "shorturl.at", "rb.gy", "tiny.cc", "t.ly", "s.id", "v.gd", "dwz.cn",
        "url.cn", "t.cn", "suo.im", "xhslink.com",
    }
)  # fmt: skip

# A bare domain such as "bit.ly/abc" or "cheap-deals.shop" (spam often drops the scheme);
# URL_PATTERN only finds links with http(s):// or www.
_BARE_LINK = re.compile(
    r"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|net|org|io|co|ly|me|cn|gd|gy|at|cc|id|xyz|top|shop|store|site|online|link|info|biz|app|vip)"
    r"(?:/[\w\-./?=&%#~+]*)?(?![\w\-])",
    re.IGNORECASE,
)


def find_links(text: str) -> list[str]:
    spans: list[tuple[int, int]] = [m.span() for m in URL_PATTERN.finditer(text)]
    for match in _BARE_LINK.finditer(text):
        if not any(start <= match.start() < end for start, end in spans):
            spans.append(match.span())
    return [text[start:end] for start, end in sorted(spans)]


def link_domain(link: str) -> str:
    host = re.sub(r"^(?:https?://)?", "", link, flags=re.IGNORECASE).split("/", 1)[0]
    host = host.split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host.removeprefix("www.")


@dataclass(frozen=True)
class LinkSignals:
    links: int
    links_per_100_chars: float
    link_share: float  # share of the text's characters that are links
    shortener_links: int
    most_repeated: int  # how often the most repeated link occurs
    score: float


def link_spam(
    text: str,
    shorteners: Iterable[str] = SHORTENER_DOMAINS,
    dense_links_per_100: float = 2.0,
    dense_share: float = 0.6,
) -> LinkSignals:
    """Score 1.0 when links are dense (≥ `dense_links_per_100` per 100 characters), make up most
    of the text (≥ `dense_share`), or one link repeats 3 times; a shortener alone scores 0.6."""
    links = find_links(text)
    if not links or not text.strip():
        return LinkSignals(0, 0.0, 0.0, 0, 0, 0.0)
    length = len(text)
    per_100 = len(links) * 100 / length
    share = min(1.0, sum(len(link) for link in links) / length)
    short_domains = set(shorteners)
    shortened = sum(1 for link in links if link_domain(link) in short_domains)
    normalised = [link.lower().rstrip("/") for link in links]
    repeated = max(normalised.count(link) for link in normalised)
    score = max(
        min(1.0, per_100 / dense_links_per_100),
        min(1.0, share / dense_share),
        0.6 if shortened else 0.0,
        min(1.0, (repeated - 1) / 2),
    )
    # One ordinary link in a short text is normal ("recipe: https://..."): cap its score.
    if len(links) == 1 and not shortened:
        score = min(score, 0.5)
    return LinkSignals(len(links), per_100, share, shortened, repeated, score)


@dataclass(frozen=True)
class MentionSignals:
    mentions: int
    distinct: int
    score: float


def mention_spam(text: str, free: int = 3, limit: int = 10) -> MentionSignals:
    """0.0 up to `free` distinct @mentions, rising to 1.0 at `limit`."""
    mentions = [m.group(0).lower() for m in MENTION_PATTERN.finditer(text)]
    distinct = len(set(mentions))
    score = 0.0 if distinct <= free else min(1.0, (distinct - free) / (limit - free))
    return MentionSignals(len(mentions), distinct, score)


def burst_score(posts_in_window: int, limit: int) -> float:
    """posts / limit, capped at 1.0: a threshold of 1.0 fires at `limit` posts in the window."""
    return min(1.0, posts_in_window / limit) if limit > 0 else 0.0


class BurstCounter:
    """Posts per author in the last `window` seconds (a deque of timestamps per author). Bounded:
    at most `max_authors` authors are tracked, the least recently active forgotten first.
    Thread-safe; one per process."""

    def __init__(self, limit: int, window: float, max_authors: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.max_authors = max_authors
        self._posts: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, author: str, now: float | None = None) -> float:
        """Count one post by `author` now; the burst score including it."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._posts.pop(author, None) or deque()
            times.append(now)
            self._posts[author] = times  # re-inserted: most recently active last
            count = self._prune(times, now)
            while len(self._posts) > self.max_authors:
                self._posts.popitem(last=False)
        return burst_score(count, self.limit)

    def count(self, author: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._posts.get(author)
            return self._prune(times, now) if times else 0

    def __len__(self) -> int:
        return len(self._posts)

    def _prune(self, times: deque[float], now: float) -> int:
        while times and times[0] <= now - self.window:
            times.popleft()
        return len(times)
