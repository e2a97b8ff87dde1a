"""Lexical search backends on one generated corpus, in one run: SQLite FTS5, Tantivy, PostgreSQL.

    .venv/bin/python bench/search_backends.py                       # 200,000 notes: ~5 min
    .venv/bin/python bench/search_backends.py --notes 1000000       # ~18 min, 11 of them pg
    .venv/bin/python bench/search_backends.py --notes 1000000 --backends fts5,tantivy
    .venv/bin/python bench/search_backends.py --notes 20000 --json out.json

1. bench/search_corpus.py generates the notes (seeded); each is tokenised once by the analyzer
   (redleaf.search.analyze.tokens_for_index when importable, else a stand-in: lowercase ASCII
   words + rjieba cut_for_search on CJK runs) into space-joined terms: a title field, and a body
   field holding body, tags and place names. The terms are written to a temporary file that
   every backend reads, so all index the same terms, and tokenising is timed once.
2. Each backend indexes the terms (timed without tokenising; "incl. tok" adds the tokenising
   time), then answers the same queries (bench.search_corpus.queries: 1-, 2- and 3-word, English
   and Chinese, all words required) in these modes:
   - bm25: top 20 by BM25 (title weighted 2, body 1);
   - bm25+filter: the same, kind = video and created in the last half year;
   - likes: top 20 matches by like_count; latest: the 20 newest matches;
   - rerank: top 200 by BM25, then BM25 + freshness + engagement in Python, top 20 (the rerank's
     own cost is reported apart);
   - bm25 newest 5k (FTS5 and PostgreSQL): rank only the 5,000 newest matches, a way to bound
     their cost, which grows with the number of matches (both score every one).
   Ids are in time order (as kit.db.new_id makes them), so "created in the last half year" is
   an id range on FTS5 (a rowid range it seeks to in its doclists) and PostgreSQL.
   One warm-up pass, then `--rounds` measured passes; p50/p95/p99 over all queries of a row.
3. Backends:
   - fts5: a regular FTS5 table (title, body) with tokenize='ascii' over the terms (space and
     ASCII punctuation separate, every non-ASCII character is part of a term: the analyzer's
     terms, made of alphanumerics only, come out exactly as they went in), rank = bm25(2.0,
     1.0), in the same SQLite file as a `notes` table holding kind, created_at and counts
     (joined for filters and sorts). Optimised ('optimize') after loading.
   - tantivy: a directory index, both text fields with a whitespace tokenizer registered as
     "ws", integer fast fields id, kind, created_at, like_count, collect_count, comment_count;
     filters are zero-scored Must clauses, sorts use order_by_field, count=False.
   - pg: a table with a tsvector (title weight A, body B) built as a tsvector literal from the
     same terms (no text-search parser in between), a GIN index, ranked by ts_rank (PostgreSQL
     has no BM25); a temporary database, dropped afterwards.
   Also: index size on disk, the cost of updating one note and making it visible (commit), and
   how much of each backend's top 20 (bm25, likes) the first backend's top 20 holds: BM25
   variants differ between engines, so ranked orders differ even on identical matches.
Temporary files and databases are removed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _p in (ROOT, ROOT / "src"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from bench.search_corpus import KINDS, REFERENCE_NOW, generate, queries  # noqa: E402

HALF_YEAR = 182 * 86400
KIND_CODE = {k: i for i, k in enumerate(KINDS)}  # image 0, video 1, text 2
VIDEO = KIND_CODE["video"]
MODES = ("bm25", "bm25+filter", "likes", "latest", "rerank", "bm25 newest 5k")
BOUNDED = 5_000
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0


# --- the analyzer ---------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PRODUCT_WORDS = ("小红书", "穿搭", "种草", "拔草", "探店", "敏感肌", "氛围感", "绝绝子", "出片")


def _standin_analyzer() -> Callable[[str], str]:
    import rjieba

    for w in _PRODUCT_WORDS:
        rjieba.add_word(w, 3000, None)

    def tokens(text: str) -> str:
        out: list[str] = []
        for m in _WORD.finditer(text.lower()):
            s = m.group()
            if s[0] >= "\u3400":
                out.extend(rjieba.cut_for_search(s))
            else:
                out.append(s)
        return " ".join(out)

    return tokens


def load_analyzer() -> tuple[Callable[[str], str], Callable[[str], list[str]], str]:
    """(index terms, query terms, name): the project's analyzer when it exists."""
    try:
        from redleaf.search import analyze

        analyze.warm_up()
        return analyze.tokens_for_index, analyze.analyze_query, "redleaf.search.analyze"
    except ImportError:
        fn = _standin_analyzer()
        return fn, lambda q: fn(q).split(), "stand-in (lowercase words + rjieba cut_for_search)"


def query_terms(query_fn: Callable[[str], list[str]], q: str) -> list[str]:
    return list(dict.fromkeys(query_fn(q)))


# --- the prepared corpus --------------------------------------------------------------------


@dataclass
class Prepared:
    path: Path
    notes: int
    generate_s: float
    tokenise_s: float
    chars: int
    terms: int


def prepare(n: int, seed: int, tmp: Path, index_fn: Callable[[str], str]) -> Prepared:
    """Generate and tokenise the corpus into a TSV of terms, timing each part apart."""
    path = tmp / "terms.tsv"
    gen_s = tok_s = 0.0
    chars = terms = 0
    it = generate(n, seed)
    with path.open("w", encoding="utf-8") as out:
        while True:
            t0 = time.perf_counter()
            note = next(it, None)
            t1 = time.perf_counter()
            gen_s += t1 - t0
            if note is None:
                break
            place = note["place"]
            extra = " ".join(note["tags"])
            if place:
                extra += f" {place['name_en']} {place['name_zh']}"
            body_src = note["body"] + " " + extra
            t1 = time.perf_counter()
            title = index_fn(note["title"])
            body = index_fn(body_src)
            tok_s += time.perf_counter() - t1
            chars += len(note["title"]) + len(body_src)
            terms += title.count(" ") + body.count(" ") + 2
            out.write(
                f"{note['id']}\t{KIND_CODE[note['kind']]}\t{note['created_at']}\t"
                f"{note['like_count']}\t{note['collect_count']}\t{note['comment_count']}\t"
                f"{title}\t{body}\n"
            )
    return Prepared(path, n, gen_s, tok_s, chars, terms)


Row = tuple[int, int, int, int, int, int, str, str]


def rows(prepared: Prepared) -> Iterator[Row]:
    with prepared.path.open(encoding="utf-8") as f:
        for line in f:
            a = line.rstrip("\n").split("\t")
            yield (int(a[0]), int(a[1]), int(a[2]), int(a[3]), int(a[4]), int(a[5]), a[6], a[7])


def rerank(cands: list[tuple[int, float, int, int, int, int]], now: int, k: int = 20) -> list[int]:
    """BM25 + freshness + engagement over (id, bm25 (higher is better), created_at, likes,
    collects, comments) candidates; the weights are placeholders for the service's own."""
    if not cands:
        return []
    top = max(c[1] for c in cands) or 1.0
    scored = []
    for cid, s, created, likes, collects, comments in cands:
        age_days = (now - created) / 86400
        fresh = math.exp(-age_days / 45)
        engage = min(1.0, math.log1p(likes + 2 * collects + 3 * comments) / 11.5)
        scored.append((0.7 * s / top + 0.15 * fresh + 0.15 * engage, cid))
    scored.sort(reverse=True)
    return [cid for _, cid in scored[:k]]


def half_year_floor(prepared: Prepared) -> int:
    """The first id created in the last half year (ids are in time order)."""
    return next((r[0] for r in rows(prepared) if r[2] >= REFERENCE_NOW - HALF_YEAR), 1 << 62)


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- backends -------------------------------------------------------------------------------


@dataclass
class BuildStats:
    index_s: float = 0.0
    side_s: float = 0.0  # work the app does anyway (the notes table), not counted
    optimize_s: float = 0.0
    size_bytes: int = 0
    size_detail: dict[str, int] = field(default_factory=dict)
    update_ms: dict[str, float] = field(default_factory=dict)
    notes: str = ""


class Fts5:
    name = "fts5"

    def __init__(self, tmp: Path) -> None:
        self.path = tmp / "fts5.sqlite3"
        self.con: sqlite3.Connection | None = None

    def build(self, prepared: Prepared, batch: int = 10_000) -> BuildStats:
        st = BuildStats()
        con = sqlite3.connect(self.path, isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA cache_size=-131072")
        con.execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, kind INTEGER NOT NULL, "
            "created_at INTEGER NOT NULL, like_count INTEGER NOT NULL, "
            "collect_count INTEGER NOT NULL, comment_count INTEGER NOT NULL)"
        )
        con.execute("CREATE VIRTUAL TABLE note_fts USING fts5(title, body, tokenize='ascii')")
        con.execute(
            f"INSERT INTO note_fts(note_fts, rank) VALUES('rank', "
            f"'bm25({TITLE_WEIGHT}, {BODY_WEIGHT})')"
        )
        buf: list[Row] = []

        def flush() -> None:
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?)", [r[:6] for r in buf])
            t1 = time.perf_counter()
            con.executemany(
                "INSERT INTO note_fts(rowid, title, body) VALUES (?,?,?)",
                [(r[0], r[6], r[7]) for r in buf],
            )
            con.execute("COMMIT")
            t2 = time.perf_counter()
            st.side_s += t1 - t0
            st.index_s += t2 - t1
            buf.clear()

        for r in rows(prepared):
            buf.append(r)
            if len(buf) >= batch:
                flush()
        if buf:
            flush()
        t0 = time.perf_counter()
        con.execute("INSERT INTO note_fts(note_fts) VALUES('optimize')")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        st.optimize_s = time.perf_counter() - t0
        for name, size in con.execute(
            "SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'note_fts%' GROUP BY name"
        ):
            st.size_detail[name] = size
        st.size_bytes = sum(st.size_detail.values())
        st.size_detail["notes table (not counted)"] = con.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name = 'notes'"
        ).fetchone()[0]
        con.execute("PRAGMA cache_size=-65536")  # 64 MB while querying
        self.half_year_id = half_year_floor(prepared)
        self.con = con
        return st

    @staticmethod
    def match(terms: list[str]) -> str:
        # Every term quoted: FTS5's own syntax (AND, NEAR, -, :, *, ^, parentheses) never
        # reaches it, and a term the tokenizer splits becomes a phrase on both sides.
        return " ".join('"' + t.replace('"', '""') + '"' for t in terms)

    def search(self, mode: str, terms: list[str]) -> list[int]:
        assert self.con is not None
        m = self.match(terms)
        if mode == "bm25":
            sql = "SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rank LIMIT 20"
            return [r[0] for r in self.con.execute(sql, (m,))]
        if mode == "bm25+filter":
            sql = (
                "SELECT f.rowid FROM note_fts f CROSS JOIN notes n ON n.id = f.rowid "
                "WHERE note_fts MATCH ? AND f.rowid >= ? AND n.kind = ? "
                "ORDER BY f.rank LIMIT 20"
            )
            return [r[0] for r in self.con.execute(sql, (m, self.half_year_id, VIDEO))]
        if mode == "likes":
            sql = (
                "SELECT f.rowid FROM note_fts f CROSS JOIN notes n ON n.id = f.rowid "
                "WHERE note_fts MATCH ? ORDER BY n.like_count DESC LIMIT 20"
            )
            return [r[0] for r in self.con.execute(sql, (m,))]
        if mode == "latest":
            sql = "SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT 20"
            return [r[0] for r in self.con.execute(sql, (m,))]
        if mode == "bm25 newest 5k":
            floor = self.con.execute(
                "SELECT rowid FROM note_fts WHERE note_fts MATCH ? ORDER BY rowid DESC "
                "LIMIT 1 OFFSET ?",
                (m, BOUNDED - 1),
            ).fetchone()
            sql = (
                "SELECT rowid FROM note_fts WHERE note_fts MATCH ? AND rowid >= ? "
                "ORDER BY rank LIMIT 20"
            )
            return [r[0] for r in self.con.execute(sql, (m, floor[0] if floor else 0))]
        raise ValueError(mode)

    def candidates(self, terms: list[str]) -> list[tuple[int, float, int, int, int, int]]:
        assert self.con is not None
        sql = (
            "SELECT f.rowid, -f.rank, n.created_at, n.like_count, n.collect_count, "
            "n.comment_count FROM (SELECT rowid, rank FROM note_fts WHERE note_fts MATCH ? "
            "ORDER BY rank LIMIT 200) f JOIN notes n ON n.id = f.rowid"
        )
        return self.con.execute(sql, (self.match(terms),)).fetchall()

    def count(self, terms: list[str]) -> int:
        assert self.con is not None
        sql = "SELECT count(*) FROM note_fts WHERE note_fts MATCH ?"
        return self.con.execute(sql, (self.match(terms),)).fetchone()[0]

    def measure_updates(self, prepared: Prepared, k: int = 200) -> dict[str, float]:
        """Replace k notes' terms, one transaction each, as a job after commit would."""
        assert self.con is not None
        con = self.con
        sample = [r for r, _ in zip(rows(prepared), range(k), strict=False)]
        times = []
        for r in sample:
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.execute("DELETE FROM note_fts WHERE rowid = ?", (r[0],))
            con.execute(
                "INSERT INTO note_fts(rowid, title, body) VALUES (?,?,?)",
                (r[0], r[6], r[7] + " updated"),
            )
            con.execute("COMMIT")
            times.append((time.perf_counter() - t0) * 1000)
        return {"update 1 note + commit p50 ms": statistics.median(times)}

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


class Tantivy:
    name = "tantivy"

    def __init__(self, tmp: Path, threads: int = 1, heap_mb: int = 256) -> None:
        import tantivy

        self.t = tantivy
        self.path = tmp / "tantivy"
        self.path.mkdir()
        self.threads, self.heap = threads, heap_mb * 1_000_000
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("id", indexed=True, fast=True)
        sb.add_text_field("title", tokenizer_name="ws")
        sb.add_text_field("body", tokenizer_name="ws")
        for name in ("kind", "created_at"):
            sb.add_integer_field(name, indexed=True, fast=True)
        for name in ("like_count", "collect_count", "comment_count"):
            sb.add_integer_field(name, fast=True)
        self.schema = sb.build()
        self.index = tantivy.Index(self.schema, path=str(self.path))
        self._register()
        self.searcher: Any = None

    def _register(self) -> None:
        # Not persisted with the index: every process that opens it must register it again.
        t = self.t
        self.index.register_tokenizer("ws", t.TextAnalyzerBuilder(t.Tokenizer.whitespace()).build())

    def build(self, prepared: Prepared) -> BuildStats:
        st = BuildStats()
        Doc = self.t.Document
        t0 = time.perf_counter()
        writer = self.index.writer(self.heap, self.threads)
        for r in rows(prepared):
            writer.add_document(
                Doc(
                    id=r[0],
                    kind=r[1],
                    created_at=r[2],
                    like_count=r[3],
                    collect_count=r[4],
                    comment_count=r[5],
                    title=r[6],
                    body=r[7],
                )
            )
        writer.commit()
        st.index_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        writer.wait_merging_threads()
        st.optimize_s = time.perf_counter() - t0
        del writer
        gc.collect()
        self.index.reload()
        self.searcher = self.index.searcher()
        st.size_bytes = dir_size(self.path)
        st.notes = f"{self.searcher.num_segments} segments, writer {self.threads} thread(s)"
        return st

    def _query(self, terms: list[str], filtered: bool = False) -> Any:
        t, schema = self.t, self.schema
        Occur, Q = t.Occur, t.Query
        clauses = []
        for term in terms:
            clauses.append(
                (
                    Occur.Must,
                    Q.boolean_query(
                        [
                            (
                                Occur.Should,
                                Q.boost_query(Q.term_query(schema, "title", term), TITLE_WEIGHT),
                            ),
                            (Occur.Should, Q.term_query(schema, "body", term)),
                        ]
                    ),
                )
            )
        if filtered:
            clauses.append(
                (Occur.Must, Q.const_score_query(Q.term_query(schema, "kind", VIDEO), 0.0))
            )
            clauses.append(
                (
                    Occur.Must,
                    Q.const_score_query(
                        Q.range_query(
                            schema,
                            "created_at",
                            t.FieldType.Integer,
                            REFERENCE_NOW - HALF_YEAR,
                            None,
                        ),
                        0.0,
                    ),
                )
            )
        return Q.boolean_query(clauses)

    def search(self, mode: str, terms: list[str]) -> list[int]:
        s = self.searcher
        if mode == "bm25":
            res = s.search(self._query(terms), 20, count=False)
        elif mode == "bm25+filter":
            res = s.search(self._query(terms, filtered=True), 20, count=False)
        elif mode == "likes":
            res = s.search(self._query(terms), 20, count=False, order_by_field="like_count")
        elif mode == "latest":
            res = s.search(self._query(terms), 20, count=False, order_by_field="created_at")
        else:
            raise NotImplementedError(mode)
        return s.fast_field_values("id", [a for _, a in res.hits])

    def candidates(self, terms: list[str]) -> list[tuple[int, float, int, int, int, int]]:
        s = self.searcher
        hits = s.search(self._query(terms), 200, count=False).hits
        addrs = [a for _, a in hits]
        cols = [
            s.fast_field_values(f, addrs)
            for f in ("id", "created_at", "like_count", "collect_count", "comment_count")
        ]
        return [
            (i, sc, c, lk, co, cm) for (sc, _), i, c, lk, co, cm in zip(hits, *cols, strict=True)
        ]

    def count(self, terms: list[str]) -> int:
        return self.searcher.search(self._query(terms), 1, count=True).count

    def measure_updates(self, prepared: Prepared, k: int = 50) -> dict[str, float]:
        """Replace notes' terms: one commit per note (as a per-note job would), then k in one."""
        Doc = self.t.Document
        sample = [r for r, _ in zip(rows(prepared), range(k), strict=False)]
        writer = self.index.writer(50_000_000, 1)

        def doc(r: Row) -> Any:
            return Doc(
                id=r[0],
                kind=r[1],
                created_at=r[2],
                like_count=r[3],
                collect_count=r[4],
                comment_count=r[5],
                title=r[6],
                body=r[7] + " updated",
            )

        times = []
        for r in sample:
            t0 = time.perf_counter()
            writer.delete_documents_by_term("id", r[0])
            writer.add_document(doc(r))
            writer.commit()
            self.index.reload()
            times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        for r in sample:
            writer.delete_documents_by_term("id", r[0])
            writer.add_document(doc(r))
        writer.commit()
        self.index.reload()
        batch_ms = (time.perf_counter() - t0) * 1000
        writer.wait_merging_threads()
        del writer
        gc.collect()
        self.searcher = self.index.searcher()
        return {
            "update 1 note + commit + reload p50 ms": statistics.median(times),
            f"update {k} notes, one commit ms": batch_ms,
        }

    def close(self) -> None:
        self.searcher = None


class Postgres:
    name = "pg"

    def __init__(self, dsn_base: str) -> None:
        import asyncpg

        self.asyncpg = asyncpg
        self.dsn_base = dsn_base.rstrip("/")
        self.db = f"searchbench_{os.getpid()}_{int(time.time())}"
        self.loop = asyncio.new_event_loop()
        self.con: Any = None
        self.run(self._create())

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    async def _create(self) -> None:
        admin = await self.asyncpg.connect(self.dsn_base + "/postgres")
        await admin.execute(f'CREATE DATABASE "{self.db}"')
        await admin.close()
        self.con = await self.asyncpg.connect(self.dsn_base + "/" + self.db)
        await self.con.execute(
            "CREATE TABLE note_search (id bigint PRIMARY KEY, kind smallint NOT NULL, "
            "created_at bigint NOT NULL, like_count int NOT NULL, collect_count int NOT NULL, "
            "comment_count int NOT NULL, tsv tsvector NOT NULL)"
        )
        await self.con.execute("CREATE INDEX note_search_tsv ON note_search USING gin (tsv)")

    @staticmethod
    def quote(term: str) -> str:
        return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"

    @classmethod
    def tsvector(cls, title: str, body: str) -> str:
        """A tsvector literal: each term with its positions, title weight A, body B."""
        pos: dict[str, list[str]] = {}
        p = 0
        for weight, text in (("A", title), ("B", body)):
            for term in text.split():
                p = min(p + 1, 16383)
                pos.setdefault(term, []).append(f"{p}{weight}")
        return " ".join(f"{cls.quote(t)}:{','.join(ps[:256])}" for t, ps in pos.items())

    def tsquery(self, terms: list[str]) -> str:
        return " & ".join(self.quote(t) for t in terms)

    def build(self, prepared: Prepared, batch: int = 5_000) -> BuildStats:
        st = BuildStats()
        sql = "INSERT INTO note_search VALUES ($1,$2,$3,$4,$5,$6,$7::tsvector)"
        buf: list[tuple[Any, ...]] = []
        build_py = 0.0

        def flush() -> None:
            self.run(self._insert(sql, buf))
            buf.clear()

        t0 = time.perf_counter()
        for r in rows(prepared):
            t1 = time.perf_counter()
            tsv = self.tsvector(r[6], r[7])
            build_py += time.perf_counter() - t1
            buf.append((*r[:6], tsv))
            if len(buf) >= batch:
                flush()
        if buf:
            flush()
        st.index_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        self.run(self.con.execute("VACUUM ANALYZE note_search"))
        st.optimize_s = time.perf_counter() - t0
        sizes = self.run(
            self.con.fetchrow(
                "SELECT pg_relation_size('note_search_tsv') AS gin, "
                "pg_total_relation_size('note_search') AS total"
            )
        )
        st.size_bytes = sizes["total"]
        st.size_detail = {"gin index": sizes["gin"], "table + toast + all indexes": sizes["total"]}
        st.notes = f"tsvector literals built in Python: {build_py:.1f} s of the load"
        self.half_year_id = half_year_floor(prepared)
        return st

    async def _insert(self, sql: str, buf: list[tuple[Any, ...]]) -> None:
        async with self.con.transaction():
            await self.con.executemany(sql, buf)

    def search(self, mode: str, terms: list[str]) -> list[int]:
        q = self.tsquery(terms)
        if mode == "bm25":
            sql = (
                "SELECT id FROM note_search WHERE tsv @@ $1::tsquery "
                "ORDER BY ts_rank(tsv, $1::tsquery) DESC LIMIT 20"
            )
            args: tuple[Any, ...] = (q,)
        elif mode == "bm25+filter":
            sql = (
                "SELECT id FROM note_search WHERE tsv @@ $1::tsquery AND kind = $2 "
                "AND id >= $3 ORDER BY ts_rank(tsv, $1::tsquery) DESC LIMIT 20"
            )
            args = (q, VIDEO, self.half_year_id)
        elif mode == "likes":
            sql = (
                "SELECT id FROM note_search WHERE tsv @@ $1::tsquery "
                "ORDER BY like_count DESC LIMIT 20"
            )
            args = (q,)
        elif mode == "latest":
            sql = "SELECT id FROM note_search WHERE tsv @@ $1::tsquery ORDER BY id DESC LIMIT 20"
            args = (q,)
        elif mode == "bm25 newest 5k":
            sql = (
                "SELECT id FROM (SELECT id, tsv FROM note_search WHERE tsv @@ $1::tsquery "
                "ORDER BY id DESC LIMIT $2) c ORDER BY ts_rank(tsv, $1::tsquery) DESC LIMIT 20"
            )
            args = (q, BOUNDED)
        else:
            raise NotImplementedError(mode)
        return [r[0] for r in self.run(self.con.fetch(sql, *args))]

    def candidates(self, terms: list[str]) -> list[tuple[int, float, int, int, int, int]]:
        sql = (
            "SELECT id, ts_rank(tsv, $1::tsquery) AS r, created_at, like_count, "
            "collect_count, comment_count FROM note_search WHERE tsv @@ $1::tsquery "
            "ORDER BY r DESC LIMIT 200"
        )
        return [tuple(r) for r in self.run(self.con.fetch(sql, self.tsquery(terms)))]

    def count(self, terms: list[str]) -> int:
        sql = "SELECT count(*) FROM note_search WHERE tsv @@ $1::tsquery"
        return self.run(self.con.fetchval(sql, self.tsquery(terms)))

    def measure_updates(self, prepared: Prepared, k: int = 200) -> dict[str, float]:
        sample = [r for r, _ in zip(rows(prepared), range(k), strict=False)]
        times = []
        for r in sample:
            tsv = self.tsvector(r[6], r[7] + " updated")
            t0 = time.perf_counter()
            self.run(
                self.con.execute(
                    "UPDATE note_search SET tsv = $2::tsvector WHERE id = $1", r[0], tsv
                )
            )
            times.append((time.perf_counter() - t0) * 1000)
        return {"update 1 note (autocommit) p50 ms": statistics.median(times)}

    def close(self) -> None:
        async def drop() -> None:
            if self.con is not None:
                await self.con.close()
            admin = await self.asyncpg.connect(self.dsn_base + "/postgres")
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
            await admin.close()

        self.run(drop())
        self.loop.close()


# --- measuring ------------------------------------------------------------------------------


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    i = min(len(xs) - 1, max(0, math.ceil(p / 100 * len(xs)) - 1))
    return xs[i]


def measure_queries(
    backend: Any, qsets: dict[str, list[list[str]]], rounds: int
) -> dict[str, dict[str, dict[str, float]]]:
    out: dict[str, dict[str, dict[str, float]]] = {}
    for mode in MODES:
        out[mode] = {}
        for key, qs in qsets.items():
            samples: list[float] = []
            rerank_ms: list[float] = []
            try:
                if mode != "rerank":
                    backend.search(mode, qs[0])
            except NotImplementedError:
                continue
            for rnd in range(rounds + 1):
                for terms in qs:
                    t0 = time.perf_counter()
                    if mode == "rerank":
                        cands = backend.candidates(terms)
                        t1 = time.perf_counter()
                        rerank(cands, REFERENCE_NOW)
                        t2 = time.perf_counter()
                        if rnd:
                            rerank_ms.append((t2 - t1) * 1000)
                    else:
                        backend.search(mode, terms)
                        t2 = time.perf_counter()
                    if rnd:  # round 0 warms up
                        samples.append((t2 - t0) * 1000)
            res = {"p50": pct(samples, 50), "p95": pct(samples, 95), "p99": pct(samples, 99)}
            if rerank_ms:
                res["rerank_p50"] = pct(rerank_ms, 50)
                res["rerank_p99"] = pct(rerank_ms, 99)
            out[mode][key] = res
    return out


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, default=200_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--backends", default="fts5,tantivy,pg")
    ap.add_argument("--queries-per", type=int, default=40, help="queries per language and length")
    ap.add_argument("--rounds", type=int, default=3, help="measured passes (after one warm-up)")
    ap.add_argument("--tantivy-threads", type=int, default=1)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    ap.add_argument("--tmp", default=None, help="parent of the temporary directory")
    ap.add_argument("--json", default=None, help="also write the results here")
    args = ap.parse_args()

    index_fn, query_fn, analyzer = load_analyzer()
    names = [b.strip() for b in args.backends.split(",") if b.strip()]
    qraw = queries(args.seed, args.queries_per)
    qsets = {k: [query_terms(query_fn, q) for q in v] for k, v in qraw.items()}
    qsets = {k: [t for t in v if t] for k, v in qsets.items()}
    tmp = Path(tempfile.mkdtemp(prefix="searchbench-", dir=args.tmp))
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "machine": machine(),
        "notes": args.notes,
        "seed": args.seed,
        "analyzer": analyzer,
        "queries_per_kind": args.queries_per,
        "rounds": args.rounds,
        "backends": {},
    }
    try:
        print(f"# {args.notes:,} notes, seed {args.seed}; analyzer: {analyzer}", flush=True)
        prepared = prepare(args.notes, args.seed, tmp, index_fn)
        result["corpus"] = {
            "generate_s": prepared.generate_s,
            "tokenise_s": prepared.tokenise_s,
            "tokenise_notes_per_s": args.notes / prepared.tokenise_s,
            "chars_per_note": prepared.chars / args.notes,
            "terms_per_note": prepared.terms / args.notes,
            "terms_file_bytes": prepared.path.stat().st_size,
        }
        print(
            f"# generated in {prepared.generate_s:.1f} s; tokenised in {prepared.tokenise_s:.1f}"
            f" s ({args.notes / prepared.tokenise_s:,.0f} notes/s, "
            f"{prepared.chars / args.notes:.0f} chars and "
            f"{prepared.terms / args.notes:.0f} terms a note)",
            flush=True,
        )
        hits: dict[str, list[int]] | None = None
        reference: dict[str, list[list[int]]] | None = None  # the first backend's top 20s
        for name in names:
            backend: Any
            if name == "fts5":
                backend = Fts5(tmp)
            elif name == "tantivy":
                backend = Tantivy(tmp, threads=args.tantivy_threads)
            elif name == "pg":
                backend = Postgres(args.pg)
            else:
                raise SystemExit(f"unknown backend {name}")
            try:
                t0 = time.perf_counter()
                st = backend.build(prepared)
                print(
                    f"# {name}: indexed in {st.index_s:.1f} s (+{st.optimize_s:.1f} s "
                    f"optimise/merge), {st.size_bytes / 1e6:.0f} MB",
                    flush=True,
                )
                if hits is None:
                    hits = {k: [backend.count(t) for t in v] for k, v in qsets.items()}
                tops = {
                    m: [backend.search(m, t) for v in qsets.values() for t in v]
                    for m in ("bm25", "likes")
                }
                if reference is None:
                    reference = tops
                agree = {
                    m: statistics.mean(
                        len(set(a) & set(b)) / len(b) if b else float(not a)
                        for a, b in zip(tops[m], reference[m], strict=True)
                    )
                    for m in tops
                }
                lat = measure_queries(backend, qsets, args.rounds)
                st.update_ms = backend.measure_updates(prepared)
                print(f"# {name}: done in {time.perf_counter() - t0:.0f} s", flush=True)
            finally:
                backend.close()
                gc.collect()
            n = args.notes
            result["backends"][name] = {
                "index_s": st.index_s,
                "optimize_s": st.optimize_s,
                "side_s": st.side_s,
                "notes_per_s_excl_tokenise": n / st.index_s,
                "notes_per_s_incl_tokenise": n / (st.index_s + prepared.tokenise_s),
                "size_bytes": st.size_bytes,
                "size_detail": st.size_detail,
                "updates": st.update_ms,
                "notes": st.notes,
                "top20_overlap_with_first": agree,
                "latency_ms": lat,
            }
        result["median_hits"] = {k: statistics.median(v) for k, v in (hits or {}).items()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print_tables(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False))


def print_tables(result: dict[str, Any]) -> None:
    bs = result["backends"]
    names = list(bs)
    c = result["corpus"]
    print()
    print(f"{result['notes']:,} notes · {result['machine']} · {result['date']}")
    print(f"tokenising: {c['tokenise_notes_per_s']:,.0f} notes/s ({result['analyzer']})")
    print()
    print(
        "| backend | notes/s excl. tok | notes/s incl. tok | index s | optimise/merge s "
        "| size MB | top-20 overlap bm25 / likes | updates | notes |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for n in names:
        b = bs[n]
        upd = "; ".join(f"{k}: {v:.1f}" for k, v in b["updates"].items())
        print(
            f"| {n} | {b['notes_per_s_excl_tokenise']:,.0f} | "
            f"{b['notes_per_s_incl_tokenise']:,.0f} | {b['index_s']:.1f} | "
            f"{b['optimize_s']:.1f} | {b['size_bytes'] / 1e6:.0f} | "
            f"{b['top20_overlap_with_first']['bm25']:.0%} / "
            f"{b['top20_overlap_with_first']['likes']:.0%} | {upd} | {b['notes']} |"
        )
    print()
    head = " | ".join(f"{n} p50 / p95 / p99" for n in names)
    print(f"| mode | query | median hits | {head} |")
    print("|---|---|---|" + "---|" * len(names))
    hits = result.get("median_hits", {})
    for mode in MODES:
        for key in hits:
            cells = []
            for n in names:
                r = bs[n]["latency_ms"][mode].get(key)
                if r is None:
                    cells.append("—")
                    continue
                cell = f"{r['p50']:.1f} / {r['p95']:.1f} / {r['p99']:.1f}"
                if mode == "rerank":
                    cell += f" (rerank {r['rerank_p50']:.2f})"
                cells.append(cell)
            print(f"| {mode} | {key} | {hits[key]:,.0f} | " + " | ".join(cells) + " |")
    print()
    print(
        "ms per query; top 20 (rerank: top 200 by BM25, then rescored in Python, its own "
        "p50 in brackets). pg ranks by ts_rank (no BM25)."
    )


if __name__ == "__main__":
    main()
