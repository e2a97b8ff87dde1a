"""The interface every lexical backend implements (docs/adr/0004-embedded-search-backend.md).

Documents and queries arrive already analysed (`redleaf.search.analyze`): a backend never
tokenises user text itself, so Tantivy and PostgreSQL match the same terms. The index holds only
searchable notes (published, public, visible); per-viewer rules reach a query as author lists,
and the service still loads every hit through the permission-checked loaders.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal, Protocol

Sort = Literal["relevance", "latest", "likes", "collects", "comments"]
SORTS: tuple[Sort, ...] = ("relevance", "latest", "likes", "collects", "comments")
KINDS = ("image", "video", "text")


@dataclass(frozen=True)
class IndexedNote:
    """One searchable note. Text fields hold the analyzer's space-joined terms."""

    id: int
    author_id: int
    kind: str
    created_at: datetime
    like_count: int
    collect_count: int
    comment_count: int
    title: str
    body: str
    tags: str  # folded tags, space-joined (matched by #tag and as words)
    place: str  # the place's names in both languages, analysed
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Clause:
    """A term (one item) or a phrase (several, in order)."""

    terms: tuple[str, ...]


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    km: float


@dataclass(frozen=True)
class LexicalQuery:
    must: tuple[Clause, ...] = ()
    must_not: tuple[Clause, ...] = ()
    tags: tuple[str, ...] = ()  # every one required
    kinds: tuple[str, ...] = ()  # any of; empty: all
    since: datetime | None = None
    until: datetime | None = None
    near: Near | None = None
    authors: tuple[int, ...] | None = None  # only these (people I follow); None: anyone
    exclude_authors: tuple[int, ...] = ()  # blocks and mutes
    sort: Sort = "relevance"
    limit: int = 20
    # Keyset paging for the sorted orders: (sort value, id) of the last hit of the previous
    # page. Relevance pages come from the service's reranked candidates instead.
    after: tuple[int, int] | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.must or self.tags)


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    created_at: datetime
    like_count: int = 0
    collect_count: int = 0
    comment_count: int = 0


# The keyset unit of each sort: the field a hit carries it in (`latest`: Unix microseconds).
SORT_FIELDS: dict[str, str] = {
    "latest": "created_at",
    "likes": "like_count",
    "collects": "collect_count",
    "comments": "comment_count",
}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(value: datetime) -> int:
    """A datetime as Unix microseconds, exactly (naive means UTC; floats would round)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - EPOCH) // timedelta(microseconds=1)


def from_micros(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


def sort_value(hit: Hit, sort: Sort) -> int:
    """The first half of a keyset `after` for `sort`, from the last hit of a page; every
    backend and the service's cursors use this unit."""
    if sort == "latest":
        return micros(hit.created_at)
    return int(getattr(hit, SORT_FIELDS[sort]))


@dataclass
class BackendStats:
    documents: int
    size_bytes: int
    analyzer_version: str
    details: dict[str, object] = field(default_factory=dict)


Progress = Callable[[int], None]


class LexicalBackend(Protocol):
    name: str

    async def search(self, query: LexicalQuery) -> list[Hit]:
        """Relevance: the top `query.limit` by BM25 (the service asks for ~200 and reranks).
        Other sorts: the page after `query.after`, in that order, ties broken by id."""

    def can_write(self) -> bool:
        """Whether this process may write now (Tantivy: it holds the writer lock)."""

    async def apply(self, upserts: Sequence[IndexedNote], deletes: Sequence[int]) -> None:
        """Replace or add `upserts`, remove `deletes`; durable and visible when it returns.
        Idempotent: applying the same batch twice leaves the same index."""

    async def update_counters(self, rows: Sequence[tuple[int, int, int, int]]) -> None:
        """(id, likes, collects, comments) for notes already indexed."""

    async def rebuild(self, notes: AsyncIterator[IndexedNote], progress: Progress) -> int:
        """Index everything from scratch, then switch readers over; the count indexed."""

    async def stats(self) -> BackendStats: ...

    async def close(self) -> None: ...
