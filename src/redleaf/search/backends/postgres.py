"""The PostgreSQL lexical backend: a tsvector per note with a GIN index (ADR 0004).

Documents arrive as the analyzer's terms, and the tsvector is built **as a literal** from them
(`'火锅':1A,9B 'hotpot':3B`): `to_tsvector('simple', ...)` would re-split the terms by
PostgreSQL's own parser. Weights: title A, body B, tags C, place D. A tag is indexed twice: its
words (analysed here, as the analyzer does for any text) so that a plain word finds it, and
its folded form as one lexeme `tag:<tag>`, which only `#tag` asks for; analysed terms are made
of alphanumerics only, so no word can collide with a `tag:` lexeme. Fields (and tags) are kept
apart by a gap in positions, so a phrase never matches across two of them.

Queries are a tsquery literal built from the parsed clauses, every lexeme quoted: terms and
`tag:` lexemes joined by `&`, phrases as `'a' <-> 'b'`, exclusions as `!`. Relevance is
`ts_rank` over the query without its exclusions (with a `!` it scores every match 1e-20):
PostgreSQL has no BM25 and `ts_rank` no term rarity; weights {D, C, B, A} = {0.1, 0.2, 0.4,
1.0}, and for several words it scores how close together they are. No length normalisation:
dividing by 1 + log(length) cost 10-20% more time on common words (measured at 200,000 notes).
The service reranks the top candidates in Python. The other sorts are keyset pages on
(value, note_id), descending.

Costs (ADR 0004): GIN returns every match and ranking reads each match's tsvector, so ranked
latency grows with the number of matches (about 3 µs a match here): p95 up to ~60 ms at
200,000 notes on this shared 2-core machine, more at a million. The sorted orders have b-tree
indexes on (value, note_id): for a common word the planner walks one backwards and stops after
a page (7 ms for a word in 10% of 200,000 notes, against 80-300 ms ranking every match).
"""

from __future__ import annotations

import functools
import math
import typing
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Row,
    Select,
    Table,
    and_,
    any_,
    func,
    literal,
    literal_column,
    not_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from redleaf.notes.models import Note
from redleaf.search import analyze
from redleaf.search.backends.base import (
    BackendStats,
    Clause,
    Hit,
    IndexedNote,
    LexicalQuery,
    Progress,
    from_micros,
)
from redleaf.search.pg_models import NoteSearch

ANALYZER_VERSION = analyze.ANALYZER_VERSION
TAG_PREFIX = "tag:"
VERSION_PREFIX = "analyzer "  # the table's comment: "analyzer 1"
# tsvector limits: positions run 1..16383 (larger ones are clamped), at most 256 per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS_PER_LEXEME = 256
FIELD_GAP = 8  # positions between fields and between tags: a phrase never spans them
RANK_WEIGHTS = "{0.1,0.2,0.4,1.0}"  # D, C, B, A
RANK_NORMALIZATION = 0  # none (1: rank / (1 + log(length)), 10-20% slower)
BATCH = 2000
EARTH_KM = 6371.0088
KM_PER_DEGREE = math.pi * EARTH_KM / 180


class _TsQuery(TSQUERY):
    """A tsquery parameter sent as `$1::TSQUERY`. Not `CAST(:q AS TSQUERY)`, which asyncpg
    sends as `CAST($1::VARCHAR AS TSQUERY)`: under a generic plan (a prepared statement run
    more than five times) that parses the query text again for every matching row."""

    render_bind_cast = True


_table = typing.cast(Table, NoteSearch.__table__)
_c = _table.c
_SORT_COLUMN = {
    "latest": _c.created_at,
    "likes": _c.like_count,
    "collects": _c.collect_count,
    "comments": _c.comment_count,
}


def quote(lexeme: str) -> str:
    """A lexeme quoted for a tsvector or tsquery literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


@functools.lru_cache(maxsize=100_000)
def _tag_terms(tag: str) -> tuple[str, ...]:
    """A tag's lexemes: itself, then its words (tags repeat: analysed once per process)."""
    return (TAG_PREFIX + tag, *analyze.analyze(tag))


def tsvector(note: IndexedNote) -> str:
    """The note's tsvector literal: every term with its positions and its field's weight."""
    positions: dict[str, list[str]] = {}
    position = 0

    def add(terms: Sequence[str], weight: str) -> None:
        nonlocal position
        for term in terms:
            position += 1
            found = positions.get(term)
            if found is None:
                positions[term] = [f"{min(position, MAX_POSITION)}{weight}"]
            elif len(found) < MAX_POSITIONS_PER_LEXEME:
                found.append(f"{min(position, MAX_POSITION)}{weight}")
        position += FIELD_GAP

    add(note.title.split(), "A")
    add(note.body.split(), "B")
    for tag in note.tags.split():
        add(_tag_terms(tag), "C")
    add(note.place.split(), "D")
    return " ".join(f"{quote(term)}:{','.join(found)}" for term, found in positions.items())


def _clause(clause: Clause) -> str | None:
    # Analysed terms never hold ":"; a term that looks like a tag lexeme is dropped, so that
    # only `tags` can ask for a tag.
    terms = [quote(term) for term in clause.terms if term and not term.startswith(TAG_PREFIX)]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else "(" + " <-> ".join(terms) + ")"


def tsquery(query: LexicalQuery, *, exclusions: bool = True) -> str:
    """The query's tsquery literal; "" when nothing positive is asked for. Without
    `exclusions`, for ranking: ts_rank scores a query holding `!` next to nothing (1e-20)."""
    positive = [part for part in map(_clause, query.must) if part]
    positive += [quote(TAG_PREFIX + tag) for tag in query.tags if tag]
    if not positive:
        return ""
    negative = [part for part in map(_clause, query.must_not) if part] if exclusions else []
    return " & ".join(positive + ["!" + part for part in negative])


def _near(lat: float, lon: float, km: float) -> ColumnElement[bool]:
    """Within `km` of (lat, lon): a bounding box the planner can use, then the haversine."""
    dlat = km / KM_PER_DEGREE
    conditions: list[ColumnElement[bool]] = [_c.lat.between(lat - dlat, lat + dlat)]
    cos_lat = math.cos(math.radians(lat))
    if cos_lat > 1e-6:
        dlon = dlat / cos_lat
        if lon - dlon >= -180 and lon + dlon <= 180:  # else the box wraps: haversine alone
            conditions.append(_c.lon.between(lon - dlon, lon + dlon))
    phi = func.radians(_c.lat)
    half_dphi = (phi - math.radians(lat)) / 2
    half_dlambda = (func.radians(_c.lon) - math.radians(lon)) / 2
    a = func.power(func.sin(half_dphi), 2) + math.cos(math.radians(lat)) * func.cos(
        phi
    ) * func.power(func.sin(half_dlambda), 2)
    conditions.append(2 * EARTH_KM * func.asin(func.sqrt(func.least(a, 1.0))) <= km)
    return and_(*conditions)


def _filters(query: LexicalQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if query.kinds:
        conditions.append(_c.kind.in_(query.kinds))
    if query.since is not None:
        conditions.append(_c.created_at >= query.since)
    if query.until is not None:
        conditions.append(_c.created_at < query.until)
    if query.near is not None:
        conditions.append(_near(query.near.lat, query.near.lon, query.near.km))
    if query.authors is not None:
        authors = literal(list(query.authors), ARRAY(BigInteger))
        conditions.append(_c.author_id == any_(authors))
    if query.exclude_authors:
        excluded = literal(list(query.exclude_authors), ARRAY(BigInteger))
        conditions.append(not_(_c.author_id == any_(excluded)))
    return conditions


def _row(note: IndexedNote) -> dict[str, Any]:
    return {
        "note_id": note.id,
        "author_id": note.author_id,
        "kind": note.kind,
        "created_at": note.created_at,
        "like_count": note.like_count,
        "collect_count": note.collect_count,
        "comment_count": note.comment_count,
        "lat": note.lat,
        "lon": note.lon,
        "tsv": tsvector(note),
    }


_UPSERT = insert(_table)
_UPSERT = _UPSERT.on_conflict_do_update(
    index_elements=[_c.note_id],
    set_={
        name: _UPSERT.excluded[name]
        for name in (
            "author_id",
            "kind",
            "created_at",
            "like_count",
            "collect_count",
            "comment_count",
            "lat",
            "lon",
            "tsv",
        )
    },
)

_UPDATE_COUNTERS = text(
    """
    UPDATE note_search AS s
    SET like_count = v.likes, collect_count = v.collects, comment_count = v.comments
    FROM unnest(CAST(:ids AS bigint[]), CAST(:likes AS bigint[]), CAST(:collects AS bigint[]),
                CAST(:comments AS bigint[])) AS v(id, likes, collects, comments)
    WHERE s.note_id = v.id
      AND (s.like_count, s.collect_count, s.comment_count)
          IS DISTINCT FROM (v.likes, v.collects, v.comments)
    """
)


def _version(comment: str | None) -> str | None:
    """The analyzer version the table's comment records (None: nothing written yet)."""
    if comment and comment.startswith(VERSION_PREFIX):
        return comment.removeprefix(VERSION_PREFIX)
    return None


async def _record_version(session: AsyncSession, *, only_if_absent: bool) -> None:
    """Write the analyzer version in the table's comment: by every rebuild, and by the first
    write to a table that has none (a new database indexed note by note), as Tantivy writes
    it beside a new index."""
    if only_if_absent:
        comment = await session.scalar(
            text("SELECT obj_description('note_search'::regclass, 'pg_class')")
        )
        if _version(comment) is not None:
            return
    version = (VERSION_PREFIX + ANALYZER_VERSION).replace("'", "''")
    await session.execute(text(f"COMMENT ON TABLE note_search IS '{version}'"))


class PostgresBackend:
    """`LexicalBackend` on the `note_search` table; any process may write (the database
    orders concurrent writers), and every write is visible when its transaction commits."""

    name = "postgres"

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, batch_size: int = BATCH
    ) -> None:
        self.sessions = sessions
        self.batch_size = batch_size
        self._version_recorded = False

    def can_write(self) -> bool:
        return True

    # --- reading -------------------------------------------------------------------------

    async def search(self, query: LexicalQuery) -> list[Hit]:
        literal_query = tsquery(query)
        if not literal_query or query.limit <= 0:
            return []
        if query.authors is not None and not query.authors:
            return []
        tsq = literal(literal_query, _TsQuery())
        conditions = [_c.tsv.op("@@")(tsq), *_filters(query)]
        columns = [_c.note_id, _c.created_at, _c.like_count, _c.collect_count, _c.comment_count]
        if query.sort == "relevance":
            weights: ColumnElement[Any] = literal_column(f"'{RANK_WEIGHTS}'::float4[]")
            ranked = literal_query
            if query.must_not:
                ranked = tsquery(query, exclusions=False)
            rank_q = tsq if ranked == literal_query else literal(ranked, _TsQuery())
            score = func.ts_rank(weights, _c.tsv, rank_q, RANK_NORMALIZATION, type_=Float)
            statement = (
                select(*columns, score.label("score"))
                .where(*conditions)
                .order_by(score.desc(), _c.note_id.desc())
                .limit(query.limit)
            )
        else:
            column = _SORT_COLUMN[query.sort]
            if query.after is not None:
                value, last_id = query.after
                bound: Any = from_micros(value) if query.sort == "latest" else value
                conditions.append(tuple_(column, _c.note_id) < tuple_(bound, last_id))
            statement = (
                select(*columns, literal(0.0, Float).label("score"))
                .where(*conditions)
                .order_by(column.desc(), _c.note_id.desc())
                .limit(query.limit)
            )
        rows = await self._read(statement)
        return [
            Hit(
                id=row.note_id,
                score=float(row.score or 0.0),
                created_at=row.created_at,
                like_count=row.like_count,
                collect_count=row.collect_count,
                comment_count=row.comment_count,
            )
            for row in rows
        ]

    async def _read(self, statement: Select[Any]) -> Sequence[Row[Any]]:
        """One statement outside a transaction: no BEGIN and ROLLBACK round trips (0.2-0.3
        ms of a 1.5 ms query measured here)."""
        engine = self.sessions.kw.get("bind")
        if isinstance(engine, AsyncEngine):
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                return (await connection.execute(statement)).all()
        async with self.sessions() as session:
            return (await session.execute(statement)).all()

    # --- writing -------------------------------------------------------------------------

    async def apply(self, upserts: Sequence[IndexedNote], deletes: Sequence[int]) -> None:
        """Deletes first, then upserts: a note in both (deleted, then indexed again within
        one batch) ends up indexed, as Tantivy's delete-by-id + add does."""
        if not upserts and not deletes:
            return
        latest = {note.id: note for note in upserts}  # one row per note: the last given
        async with self.sessions() as session:
            if deletes:
                ids = literal(sorted(set(deletes)), ARRAY(BigInteger))
                await session.execute(_table.delete().where(_c.note_id == any_(ids)))
            await self._upsert(session, list(latest.values()))
            if not self._version_recorded:
                await _record_version(session, only_if_absent=True)
            await session.commit()
        self._version_recorded = True

    async def _upsert(self, session: AsyncSession, notes: list[IndexedNote]) -> int:
        """Insert or replace `notes`, skipping those whose note is gone (deleted since the
        job was written: the foreign key would refuse the row)."""
        if not notes:
            return 0
        ids = literal([note.id for note in notes], ARRAY(BigInteger))
        existing = set(await session.scalars(select(Note.id).where(Note.id == any_(ids))))
        rows = [_row(note) for note in notes if note.id in existing]
        if rows:
            await session.execute(_UPSERT, rows)
        return len(rows)

    async def update_counters(self, rows: Sequence[tuple[int, int, int, int]]) -> None:
        if not rows:
            return
        latest = {row[0]: row for row in rows}
        ids, likes, collects, comments = (
            list(column) for column in zip(*latest.values(), strict=True)
        )
        async with self.sessions() as session:
            await session.execute(
                _UPDATE_COUNTERS,
                {"ids": ids, "likes": likes, "collects": collects, "comments": comments},
            )
            await session.commit()

    async def rebuild(self, notes: AsyncIterator[IndexedNote], progress: Progress) -> int:
        """Empty the table, then index `notes` in batches, each committed (searches see a
        growing subset meanwhile), calling `progress` with the count so far after each."""
        async with self.sessions() as session:
            await session.execute(text("TRUNCATE note_search"))
            await session.commit()
        done = 0
        batch: list[IndexedNote] = []
        async for note in notes:
            batch.append(note)
            if len(batch) >= self.batch_size:
                done += await self._rebuild_batch(batch)
                batch = []
                progress(done)
        if batch:
            done += await self._rebuild_batch(batch)
            progress(done)
        async with self.sessions() as session:
            # Planner statistics: how common each lexeme is decides between the GIN bitmap
            # and walking a sort index.
            await session.execute(text("ANALYZE note_search"))
            await _record_version(session, only_if_absent=False)
            await session.commit()
        self._version_recorded = True
        return done

    async def _rebuild_batch(self, batch: list[IndexedNote]) -> int:
        latest = {note.id: note for note in batch}
        async with self.sessions() as session:
            count = await self._upsert(session, list(latest.values()))
            await session.commit()
        return count

    async def stats(self) -> BackendStats:
        async with self.sessions() as session:
            documents = await session.scalar(select(func.count()).select_from(_table))
            row = (
                await session.execute(
                    text(
                        "SELECT pg_total_relation_size('note_search') AS total, "
                        "pg_relation_size('note_search') AS heap, "
                        "pg_relation_size('ix_note_search_tsv') AS gin, "
                        "obj_description('note_search'::regclass, 'pg_class') AS comment"
                    )
                )
            ).one()
        version = _version(row.comment)
        return BackendStats(
            documents=int(documents or 0),
            size_bytes=int(row.total),
            analyzer_version=version or ANALYZER_VERSION,
            details={
                "table_bytes": int(row.heap),
                "gin_bytes": int(row.gin),
                "needs_reindex": version is not None and version != ANALYZER_VERSION,
            },
        )

    async def close(self) -> None:
        """Nothing to release: connections belong to the engine."""

    aclose = close  # Runtime.close() closes what hangs on runtime.extras through `aclose`
