"""Searching notes: our parser → the lexical backend (and, when it exists, the semantic index)
→ a rerank → the permission-checked load → highlighted cards.

Relevance is BM25 over the top `SEARCH_CANDIDATES` matches (a setting), reranked by

    score = bm25 / best_bm25 + FRESHNESS · exp(-age_days / FRESHNESS_DAYS)
            + ENGAGEMENT · log1p(likes + 2·collects + comments) / log1p(ENGAGEMENT_SCALE)

so a clearly better text match wins, and among close ones the fresher and better-liked note
comes first. Relevance pages are offsets into that list (recomputed per page: cheap, and the
list is bounded); the other sorts page by (value, id) keysets in the backend. Whatever the
backend returns is loaded through `notes.repository.visible_notes` again, so a note the index
has not caught up with (made private, held, blocked) never shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts.models import Account, Block, Mute
from redleaf.kit.db import utcnow
from redleaf.kit.errors import InvalidInput
from redleaf.kit.pagination import decode_cursor, encode_cursor
from redleaf.kit.runtime import Runtime
from redleaf.notes import repository as notes_repository
from redleaf.notes.models import Note
from redleaf.notes.service.present import notes_out
from redleaf.search import query as query_parser
from redleaf.search.analyze import highlight
from redleaf.search.backends.base import SORTS, Clause, Hit, LexicalQuery, Sort, sort_value

FRESHNESS, FRESHNESS_DAYS = 0.15, 30.0
ENGAGEMENT, ENGAGEMENT_SCALE = 0.10, 1000.0
SINCE_DAYS = {"day": 1, "week": 7, "half_year": 183}
TYPES = ("image", "video")
EXCLUDED_AUTHORS_MAX = 5000  # blocks and mutes taken into a query; more are filtered on load
PageOut = tuple[list[dict[str, Any]], str | None]


@dataclass(frozen=True)
class SearchRequest:
    q: str
    sort: str = "relevance"
    type: str | None = None
    since: str | None = None
    cursor: str | None = None
    limit: int = 20


def _check(request: SearchRequest) -> tuple[query_parser.ParsedQuery, Sort]:
    parsed = query_parser.parse(request.q)
    if parsed.is_empty:
        raise InvalidInput("Type a word to search for.", code="empty_query", field="q")
    if request.sort not in SORTS:
        raise InvalidInput(
            "Sort by relevance, latest, likes, collects or comments.",
            code="invalid_sort",
            field="sort",
        )
    if request.type is not None and request.type not in TYPES:
        raise InvalidInput("Choose image or video.", code="invalid_type", field="type")
    if request.since is not None and request.since not in SINCE_DAYS:
        raise InvalidInput("Choose day, week or half_year.", code="invalid_since", field="since")
    return parsed, request.sort  # type: ignore[return-value]


async def _hidden_authors(session: AsyncSession, viewer: Account | None) -> tuple[int, ...]:
    """Authors the viewer blocked, muted or was blocked by (a bounded list; the load filters the
    rest)."""
    if viewer is None:
        return ()
    blocked = select(Block.blocked_id).where(Block.blocker_id == viewer.id)
    blockers = select(Block.blocker_id).where(Block.blocked_id == viewer.id)
    muted = select(Mute.muted_id).where(Mute.muter_id == viewer.id)
    ids: set[int] = set()
    for query in (blocked, blockers, muted):
        ids.update(await session.scalars(query.limit(EXCLUDED_AUTHORS_MAX)))
    return tuple(sorted(ids))


def lexical_query(
    parsed: query_parser.ParsedQuery,
    request: SearchRequest,
    sort: Sort,
    excluded: tuple[int, ...],
    limit: int,
    after: tuple[int, int] | None = None,
) -> LexicalQuery:
    must = tuple(Clause((term,)) for term in parsed.terms)
    must += tuple(Clause(tuple(phrase)) for phrase in parsed.phrases)
    must_not = tuple(Clause((term,)) for term in parsed.excluded_terms)
    must_not += tuple(Clause(tuple(phrase)) for phrase in parsed.excluded_phrases)
    since = None
    if request.since is not None:
        since = utcnow() - timedelta(days=SINCE_DAYS[request.since])
    return LexicalQuery(
        must=must,
        must_not=must_not,
        tags=parsed.tags,
        kinds=(request.type,) if request.type else (),
        since=since,
        exclude_authors=excluded,
        sort=sort,
        limit=limit,
        after=after,
    )


def rerank(hits: list[Hit]) -> list[Hit]:
    """Relevance order: BM25 normalised by the best match, plus freshness and engagement."""
    if not hits:
        return []
    best = max(hit.score for hit in hits) or 1.0
    now = utcnow()

    def score(hit: Hit) -> float:
        age_days = max((now - hit.created_at).total_seconds() / 86400, 0.0)
        engagement = hit.like_count + 2 * hit.collect_count + hit.comment_count
        return (
            hit.score / best
            + FRESHNESS * math.exp(-age_days / FRESHNESS_DAYS)
            + ENGAGEMENT * math.log1p(engagement) / math.log1p(ENGAGEMENT_SCALE)
        )

    return sorted(hits, key=lambda hit: (-score(hit), -hit.id))


async def search_notes(
    session: AsyncSession, runtime: Runtime, viewer: Account | None, request: SearchRequest
) -> PageOut:
    from redleaf.search.backends.select import backend_for  # the backend loads on first use

    parsed, sort = _check(request)
    excluded = await _hidden_authors(session, viewer)
    backend = backend_for(runtime)
    limit = request.limit
    if sort == "relevance":
        offset = _offset(request.cursor, runtime.settings.search_candidates)
        candidates = runtime.settings.search_candidates
        hits = rerank(
            await backend.search(lexical_query(parsed, request, sort, excluded, candidates))
        )
        page = hits[offset : offset + limit]
        more = len(hits) > offset + limit
        next_cursor = encode_cursor("r", str(offset + limit)) if more else None
    else:
        after = _keyset(request.cursor)
        page = await backend.search(
            lexical_query(parsed, request, sort, excluded, limit + 1, after)
        )
        more = len(page) > limit
        page = page[:limit]
        last = page[-1] if page else None
        next_cursor = (
            encode_cursor(str(sort_value(last, sort)), str(last.id)) if more and last else None
        )
    items = await _cards(session, runtime, viewer, [hit.id for hit in page], parsed)
    return items, next_cursor


def _bad_cursor() -> InvalidInput:
    return InvalidInput("This page link is not valid.", code="invalid_cursor", field="cursor")


def _offset(cursor: str | None, candidates: int) -> int:
    if cursor is None:
        return 0
    key = decode_cursor(cursor, 2)
    if key is None or key[0] != "r" or not str(key[1]).isdigit() or int(key[1]) > candidates:
        raise _bad_cursor()
    return int(key[1])


def _keyset(cursor: str | None) -> tuple[int, int] | None:
    if cursor is None:
        return None
    key = decode_cursor(cursor, 2)
    if key is None:
        raise _bad_cursor()
    try:
        value, note_id = int(str(key[0])), int(str(key[1]))
    except ValueError:
        raise _bad_cursor() from None
    return value, note_id


async def _cards(
    session: AsyncSession,
    runtime: Runtime,
    viewer: Account | None,
    ids: list[int],
    parsed: query_parser.ParsedQuery,
) -> list[dict[str, Any]]:
    """The notes of `ids` the viewer may see, in that order, each with its highlight."""
    if not ids:
        return []
    viewer_id = viewer.id if viewer else None
    rows = await session.scalars(
        select(Note).where(
            Note.id.in_(ids),
            notes_repository.visible_notes(viewer_id),
            notes_repository.not_muted(viewer_id),
        )
    )
    found = {note.id: note for note in rows}
    notes = [found[note_id] for note_id in ids if note_id in found]
    items = await notes_out(session, runtime.settings, viewer, notes)
    terms = parsed.highlight_terms
    for item, note in zip(items, notes, strict=True):
        item["highlight"] = {
            "title": _segments(highlight(note.title, terms, max_chars=80)) if note.title else [],
            "body": _segments(highlight(note.body, terms)) if note.body else [],
        }
    return items


def _segments(pieces: list[tuple[str, bool]]) -> list[dict[str, Any]]:
    return [{"text": text, "match": match} for text, match in pieces]
