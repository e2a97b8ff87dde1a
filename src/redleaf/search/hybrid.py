"""Hybrid retrieval: semantic candidates from the vector index, and reciprocal rank fusion of
several rankings (lexical, semantic) into one.

RRF (Cormack, Clarke and Büttcher, 2009) scores an item by the sum over rankings of
weight / (k + rank), rank counting from 1. It needs no score calibration: BM25 scores and cosine
similarities live on unrelated scales (and e5's cosines crowd into a narrow band), but ranks are
comparable. An item missing from a ranking gets nothing from it. k = 60 is the paper's value:
larger k flattens the head of each ranking.
"""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Iterable, Sequence

from redleaf.kit.runtime import Runtime
from redleaf.search.embeddings import default_space
from redleaf.search.query import MAX_QUERY_CHARS, _scan
from redleaf.search.semantic_jobs import vector_index

RRF_K = 60
# How many nearest notes the semantic side offers to the fusion (to settings as
# `search_semantic_candidates`); HNSW search time grows slowly with it (bench).
SEMANTIC_CANDIDATES = 100


def fuse_rrf(
    rankings: Sequence[Sequence[int]],
    k: int = RRF_K,
    weights: Sequence[float] | None = None,
) -> list[tuple[int, float]]:
    """Fuse rankings of ids (best first) into one list of (id, score), best first.

    A repeated id within one ranking counts once, at its first place, and the ids after it keep
    the ranks they would have without the repeat. Ties are broken by the best
    rank the id reached in any ranking, then by the earlier ranking, so the order is
    deterministic."""
    if k < 0:
        raise ValueError("k must not be negative")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    scores: dict[int, float] = {}
    best: dict[int, tuple[int, int]] = {}  # id -> (best rank, ranking index)
    for which, (ranking, weight) in enumerate(zip(rankings, weights, strict=True)):
        seen: set[int] = set()
        for item in ranking:
            if item in seen:
                continue
            seen.add(item)
            rank = len(seen)
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            if item not in best or (rank, which) < best[item]:
                best[item] = (rank, which)
    return sorted(scores.items(), key=lambda pair: (-pair[1], best[pair[0]]))


def semantic_query_text(raw: str) -> str:
    """What of a search box's text the model should read: its words, phrases and tags as typed
    (not analyzed: e5 reads natural text), without exclusions, quotes or `#`. Scanned by the
    query parser's own rules, so `-word` means the same on both sides."""
    text = unicodedata.normalize("NFKC", raw[:MAX_QUERY_CHARS] if isinstance(raw, str) else "")
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(body for _kind, negated, body in _scan(text) if not negated and body.strip())


async def semantic_candidates(
    runtime: Runtime,
    query_text: str,
    k: int = SEMANTIC_CANDIDATES,
    *,
    exclude_ids: Iterable[int] = (),
) -> list[tuple[int, float]]:
    """The `k` notes nearest to the query's meaning, as (note_id, cosine), best first; in any
    language (a Chinese note for an English query, and the reverse). `query_text` is what the
    member typed: exclusions and syntax are dropped (`semantic_query_text`); a query with
    nothing left returns [].

    The index holds only searchable notes (published, public, visible), but it lags the
    database by seconds: load the ids through notes/access.py, which applies per-viewer rules
    (blocks, followers, withheld locales) and drops what changed since."""
    text = " ".join(semantic_query_text(query_text).split())
    if not text or k <= 0:
        return []
    index = vector_index(runtime)
    excluded = tuple(exclude_ids)

    def run() -> list[tuple[int, float]]:
        vector = default_space().query(text)  # ~10 ms of CPU, hence the thread
        return index.search(vector, k, exclude_ids=excluded)

    return await asyncio.to_thread(run)
