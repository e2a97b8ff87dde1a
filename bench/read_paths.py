"""The read paths members hit most, against the same server's trivial endpoint in the same run.

    .venv/bin/python bench/read_paths.py                 # SQLite, then PostgreSQL + Redis
    .venv/bin/python bench/read_paths.py --only sqlite --seconds 5

1. A community of 10,000 notes by 500 members (a fifth text cards, the rest 1–4 photos; a third
   name a place; likes and comments, a third of them with replies, on a quarter of them) is
   bulk-inserted into a migrated database (bench/_corpus.py).
2. A real `redleaf serve` subprocess: SQLite in one process, or PostgreSQL (a fresh database,
   dropped afterwards) + Redis with `--workers 2`; rate limits off, as on a private machine.
   Each runs twice by default: with the read-path caches as shipped, and with them off
   (REDLEAF_EXPLORE_CACHE_ENTRIES=0, REDLEAF_NOTE_PAGE_CACHE_ENTRIES=0).
3. A closed-loop generator in this process (16 connections) measures, one after the other and
   in three turns (`--rounds`), so that other load on the shared machine weighs on the ceiling
   and the paths alike:
   GET /healthz (the ceiling: the same server doing no work); GET /notes/{id} (the note page,
   HTML, as an anonymous reader) over notes drawn uniformly, then drawn Zipf-like (the note of
   popularity rank k is asked for in proportion to 1/k, as readers crowd onto a few notes);
   GET /api/v1/feeds/explore (the first page) and the same deeper in the feed (pages 2-50).

Target (issue 3): the note page and the Explore API each reach >= 35% of the ceiling's requests
per second. The generator shares the two cores with the server: quote the ratios of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import random
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import _corpus  # noqa: E402
from bench._load import ClosedLoopResult, closed_loop  # noqa: E402
from bench._servers import (  # noqa: E402
    HOST,
    REDIS_URL,
    _drop_redis_prefix,
    _psql,
    clean_environment,
    migrate,
    serve,
)

TARGET = 0.35


def _env(tmp: Path, name: str, url: str, **extra: str) -> dict[str, str]:
    return clean_environment(
        REDLEAF_DATABASE_URL=url,
        REDLEAF_VAR_DIR=str(tmp / f"{name}-var"),
        REDLEAF_SECRET_KEY="bench-read-" + secrets.token_hex(8),
        REDLEAF_INPROCESS_WORKER="false",
        REDLEAF_LOG_LEVEL="WARNING",
        REDLEAF_LOG_FORMAT="text",
        REDLEAF_RATE_LIMITS="off",
        **extra,
    )


def _explore_cursors(port: int, pages: int) -> list[str]:
    """Cursors of the first `pages` Explore pages, walked once before measuring."""
    import httpx

    cursors: list[str] = []
    cursor = None
    with httpx.Client(base_url=f"http://{HOST}:{port}") as http:
        for _ in range(pages):
            query = f"?cursor={cursor}" if cursor else ""
            cursor = http.get(f"/api/v1/feeds/explore{query}").json()["next_cursor"]
            if not cursor:
                break
            cursors.append(cursor)
    return cursors


def _zipf_paths(note_ids: list[int], count: int, rng: random.Random) -> list[str]:
    """`count` note pages, the note of popularity rank k drawn with weight 1/k (Zipf, s = 1)."""
    ranked = note_ids[:]
    rng.shuffle(ranked)
    weights = [1 / rank for rank in range(1, len(ranked) + 1)]
    return [f"/notes/{note_id}" for note_id in rng.choices(ranked, weights, k=count)]


def _measure(
    port: int, note_ids: list[int], seconds: float, rounds: int
) -> dict[str, ClosedLoopResult]:
    """Each path for `seconds` in all, in `rounds` turns (ceiling, paths, ceiling, paths, ...):
    a machine whose other load comes and goes then weighs on the ceiling and the paths alike."""
    rng = random.Random(3)
    uniform = [f"/notes/{rng.choice(note_ids)}" for _ in range(5000)]
    zipf = _zipf_paths(note_ids, 5000, rng)
    deep = [f"/api/v1/feeds/explore?cursor={c}" for c in _explore_cursors(port, 50)]
    runs = {
        "GET /healthz (ceiling)": ["/healthz"],
        "GET /notes/{id}, uniform": uniform,
        "GET /notes/{id}, Zipf": zipf,
        "GET /api/v1/feeds/explore": ["/api/v1/feeds/explore"],
        "explore, pages 2-50": deep,
    }
    totals = {name: ClosedLoopResult(seconds=0.0) for name in runs}
    for turn in range(rounds):
        for name, paths in runs.items():
            start = turn * len(paths) // rounds  # each turn goes on where the last one stopped
            result = closed_loop(
                HOST, port, paths[start:] + paths[:start], seconds=seconds / rounds, warmup=1.0
            )
            total = totals[name]
            total.seconds += result.seconds
            total.latencies += result.latencies
            total.statuses.update(result.statuses)
            total.cpu_seconds += result.cpu_seconds
    return totals


def _report(config: str, results: dict[str, ClosedLoopResult]) -> list[str]:
    ceiling = next(iter(results.values())).rate
    lines = [
        f"\n{config}",
        f"{'path':28} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'of ceiling':>11} {'non-200':>8}",
    ]
    for name, result in results.items():
        bad = sum(n for status, n in result.statuses.items() if status != 200)
        share = result.rate / ceiling
        mark = "" if name.endswith("(ceiling)") else ("  ok" if share >= TARGET else "  BELOW")
        lines.append(
            f"{name:28} {result.rate:8.0f} {result.percentile(0.5) * 1000:8.1f} "
            f"{result.percentile(0.99) * 1000:8.1f} {share:10.0%} {bad:8d}{mark}"
        )
    return lines


# The read-path caches turned off (the shipped defaults are in settings.py).
CACHES_OFF = {"REDLEAF_EXPLORE_CACHE_ENTRIES": "0", "REDLEAF_NOTE_PAGE_CACHE_ENTRIES": "0"}


def _modes(caches: str) -> list[tuple[str, dict[str, str]]]:
    on, off = ("caches on", {}), ("caches off", CACHES_OFF)
    return {"on": [on], "off": [off], "both": [on, off]}[caches]


def run_sqlite(tmp: Path, notes: int, seconds: float, caches: str, rounds: int) -> list[str]:
    url = f"sqlite+aiosqlite:///{tmp / 'read.db'}"
    migrate(url, tmp)
    note_ids = asyncio.run(_corpus.fill(url, notes=notes))
    lines: list[str] = []
    for label, extra in _modes(caches):
        with serve("sqlite", tmp, 1, _env(tmp, "sqlite", url, **extra)) as server:
            results = _measure(server.port, note_ids, seconds, rounds)
        lines += _report(f"SQLite, 1 process, {label}", results)
    return lines


def run_postgres(tmp: Path, notes: int, seconds: float, caches: str, rounds: int) -> list[str]:
    run = secrets.token_hex(4)
    database, prefix = f"redleaf_read_{run}", f"redleaf-read-{run}:"
    _psql(f'CREATE DATABASE "{database}"')
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"
        migrate(url, tmp)
        note_ids = asyncio.run(_corpus.fill(url, notes=notes))
        lines: list[str] = []
        for label, extra in _modes(caches):
            env = _env(
                tmp, "pg", url, REDLEAF_REDIS_URL=REDIS_URL, REDLEAF_REDIS_PREFIX=prefix, **extra
            )
            with serve("postgres", tmp, 2, env) as server:
                results = _measure(server.port, note_ids, seconds, rounds)
            lines += _report(f"PostgreSQL + Redis, 2 processes, {label}", results)
        return lines
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _drop_redis_prefix(prefix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--rounds", type=int, default=3, help="turns over all paths (their seconds are split)"
    )
    parser.add_argument(
        "--caches",
        choices=["on", "off", "both"],
        default="both",
        help="run with the read-path caches as shipped, turned off, or both (the default)",
    )
    args = parser.parse_args()
    print(
        f"read paths: {args.notes} notes, {args.seconds:.0f} s per path in {args.rounds} turns, "
        f"16 connections, {platform.python_implementation()} {platform.python_version()}"
    )
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="redleaf-read-") as tmp:
        if args.only in (None, "sqlite"):
            lines += run_sqlite(Path(tmp), args.notes, args.seconds, args.caches, args.rounds)
        if args.only in (None, "postgres"):
            lines += run_postgres(Path(tmp), args.notes, args.seconds, args.caches, args.rounds)
    print("\n".join(lines))
    print(f"\ntarget: the note page and the Explore API >= {TARGET:.0%} of the ceiling")


if __name__ == "__main__":
    main()
