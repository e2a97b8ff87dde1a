"""The read paths' per-process caches (docs/architecture.md, "Read-path caches").

- Explore, as anonymous readers see it: per (tag, cursor, limit, language), for
  `explore_cache_seconds`. Members share the same pages with their own state laid over them
  (service/reads.py), so a viewer's likes, collects, blocks and mutes never come from, or go
  into, the shared copy.
- The note page HTML for anonymous readers: per (note, language), kept while the note's row is
  unchanged and for at most `note_page_cache_seconds` (pages/note.py). The CSRF token in it is a
  placeholder filled per response (web/templating.py, `render_shared`).

Both live on the runtime, so each app (and each test) has its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redleaf.kit.runtime import Runtime
from redleaf.kit.ttlcache import TTLCache


@dataclass(frozen=True)
class ExplorePage:
    """One page of the anonymous Explore feed. Shared between requests: never mutate it."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    body: bytes  # the API's JSON answer, serialised once


@dataclass(frozen=True)
class NotePage:
    updated_at: datetime  # the note's row when the page was drawn
    html: str


ExploreKey = tuple[str | None, str | None, int, str]  # tag, cursor, limit, language
NotePageKey = tuple[int, str]  # note id, language

# Their places in `runtime.extras` (a test may put a cache on its own clock there).
EXPLORE_PAGES = "notes.explore_pages"
NOTE_PAGES = "notes.note_pages"


def explore_pages(runtime: Runtime) -> TTLCache[ExploreKey, ExplorePage]:
    cache = runtime.extras.get(EXPLORE_PAGES)
    if cache is None:
        settings = runtime.settings
        cache = TTLCache(settings.explore_cache_entries, settings.explore_cache_seconds)
        runtime.extras[EXPLORE_PAGES] = cache
    return cache  # type: ignore[return-value]


def note_pages(runtime: Runtime) -> TTLCache[NotePageKey, NotePage]:
    cache = runtime.extras.get(NOTE_PAGES)
    if cache is None:
        settings = runtime.settings
        cache = TTLCache(settings.note_page_cache_entries, settings.note_page_cache_seconds)
        runtime.extras[NOTE_PAGES] = cache
    return cache  # type: ignore[return-value]
