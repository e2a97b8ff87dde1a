"""Translation's figures (issue 4): cached lookups per second, dictionary-gloss sentences per
second, and 1,000 readers of one new note arriving at once -> one engine call.

1. In this process, on a fresh SQLite database: `Translator.translate` for a text already
   translated, answered from the process's memory and (memory off) from the `translations`
   table, against its baseline, the engine call a miss costs (the gloss engine, the offline
   default). Then the gloss engine alone over the test pairs' sentences, both directions.
2. A real `redleaf serve` (SQLite, one process; and PostgreSQL + Redis, two processes) whose
   first engine is a LibreTranslate-compatible service run by this benchmark, answering after
   ENGINE_SECONDS as a neural model on a CPU would, and counting the requests it gets. A member
   posts a Chinese note; once the server is idle (its language detector and dictionary load at
   start), READERS readers ask for its English translation at once (one connection each).
   Printed: the engine calls (the baseline: one per reader without single flight), and the
   readers' p50/p99; then the same readers again, now cached.

    .venv/bin/python bench/translation.py [--only inprocess|sqlite|postgres] [--readers 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from bench._load import RawClient, _run  # noqa: E402
from bench._servers import (  # noqa: E402
    HOST,
    REDIS_URL,
    Server,
    _drop_redis_prefix,
    _psql,
    clean_environment,
    free_port,
    migrate,
    serve,
)

PAIRS = ROOT / "tests" / "data" / "translation_pairs.tsv"
ENGINE_SECONDS = 0.3
NOTE = {"title": "成都火锅", "body": "今天的火锅太好吃了 #成都美食\n人均 120 元，推荐给大家 😋"}
PASSWORD = "bench-translation-2026"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- 1. in this process ---------------------------------------------------------------------


async def _inprocess(tmp: Path) -> list[str]:
    from redleaf.kit.runtime import Runtime
    from redleaf.settings import Settings
    from redleaf.translation.engines.gloss import GlossEngine
    from redleaf.translation.evaluate import read_pairs
    from redleaf.translation.setup import translator_for

    url = f"sqlite+aiosqlite:///{tmp / 'inprocess.db'}"
    migrate(url, tmp)
    lines = []
    text = "今天的火锅太好吃了 #成都美食 人均 120 元"
    for label, memory in (("memory", 2000), ("table", 0)):
        settings = Settings(
            database_url=url,
            var_dir=tmp / "var",
            translation_engines=["gloss"],
            translation_memory_entries=memory,
        )
        runtime = Runtime.build(settings)
        translator = translator_for(runtime)
        await translator.translate(text, "zh-Hans", "en")  # the miss, and the dictionary's load
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < 2.0:
            for _ in range(50):
                await translator.translate(text, "zh-Hans", "en")
            count += 50
        rate = count / (time.perf_counter() - started)
        lines.append(f"cached lookup from the {label:<6}: {rate:>9,.0f} /s")
        await runtime.close()

    gloss = GlossEngine(cache_dir=tmp / "var" / "cache")
    gloss.dictionary()
    pairs = read_pairs(PAIRS)
    for source, target in (("zh-Hans", "en"), ("en", "zh-Hans")):
        sentences = [p.source for p in pairs if p.source_lang == source] * 25
        started = time.perf_counter()
        gloss.translate_sync(sentences, source, target)
        rate = len(sentences) / (time.perf_counter() - started)
        lines.append(f"gloss {source + '→' + target:<13} (a miss): {rate:>9,.0f} sentences/s")
    return lines


# --- 2. a real server and 1,000 readers -------------------------------------------------------


class SlowEngine:
    """A LibreTranslate-compatible service that takes ENGINE_SECONDS a request, and counts."""

    def __init__(self) -> None:
        self.requests = 0
        self.port = free_port()
        app = Starlette(routes=[Route("/translate", self.translate, methods=["POST"])])
        config = uvicorn.Config(app, host=HOST, port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    async def translate(self, request: Request) -> JSONResponse:
        self.requests += 1
        body = await request.json()
        await asyncio.sleep(ENGINE_SECONDS)
        texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
        return JSONResponse({"translatedText": [f"[en] {t}" for t in texts]})

    def __enter__(self) -> SlowEngine:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)


def _post_note(port: int) -> str:
    base = f"http://{HOST}:{port}"
    name = "bench_" + secrets.token_hex(3)
    signed = httpx.post(
        f"{base}/api/v1/accounts",
        json={"username": name, "password": PASSWORD, "ui_language": "zh-Hans"},
    )
    assert signed.status_code == 201, signed.text
    token = httpx.post(
        f"{base}/api/v1/auth/tokens", json={"username": name, "password": PASSWORD, "name": "b"}
    ).json()["token"]
    made = httpx.post(
        f"{base}/api/v1/notes", json=NOTE, headers={"Authorization": f"Bearer {token}"}
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def _readers(port: int, path: str, readers: int) -> tuple[list[float], dict[int, int]]:
    client = RawClient(HOST, port, max_connections=readers)
    # Connections first, so the wave measures the translation, not a thousand handshakes.
    opened = [await asyncio.open_connection(HOST, port) for _ in range(readers)]
    client._idle.extend(opened)  # noqa: SLF001 - the benchmark's own client
    statuses: dict[int, int] = {}
    gate = asyncio.Event()

    async def one() -> float:
        await gate.wait()
        started = time.perf_counter()
        status, _headers, _body = await client.request("GET", path)
        statuses[status] = statuses.get(status, 0) + 1
        return time.perf_counter() - started

    tasks = [asyncio.create_task(one()) for _ in range(readers)]
    await asyncio.sleep(0.2)
    gate.set()
    latencies = list(await asyncio.gather(*tasks))
    await client.close()
    return latencies, statuses


def _wave(label: str, port: int, path: str, readers: int) -> str:
    latencies, statuses = _run(lambda: _readers(port, path, readers))
    ms = [1000 * x for x in latencies]
    return (
        f"  {label:<28} answers {statuses}  p50 {statistics.median(ms):6.0f} ms  "
        f"p99 {percentile(ms, 0.99):6.0f} ms  max {max(ms):6.0f} ms"
    )


def _wait_until_idle(server: Server, quiet_seconds: float = 1.0, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    quiet_since = time.monotonic()
    for proc in server.tree():
        proc.cpu_percent()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        busy = sum(proc.cpu_percent() for proc in server.tree())
        if busy > 10:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_seconds:
            return


def _server_run(
    name: str, tmp: Path, url: str, workers: int, readers: int, **extra: str
) -> list[str]:
    with SlowEngine() as engine:
        env = clean_environment(
            REDLEAF_DATABASE_URL=url,
            REDLEAF_VAR_DIR=str(tmp / f"{name}-var"),
            REDLEAF_SECRET_KEY="bench-translation-" + secrets.token_hex(8),
            REDLEAF_INPROCESS_WORKER="false",
            REDLEAF_LOG_LEVEL="WARNING",
            REDLEAF_LOG_FORMAT="text",
            REDLEAF_RATE_LIMITS="off",
            REDLEAF_TRANSLATION_ENGINES='["libretranslate", "gloss"]',
            REDLEAF_TRANSLATION_LIBRETRANSLATE_URL=f"http://{HOST}:{engine.port}",
            REDLEAF_TRANSLATION_HTTP_TIMEOUT_SECONDS="30",
            **extra,
        )
        with serve(name, tmp, workers, env) as server:
            note = _post_note(server.port)
            _wait_until_idle(server)  # the language detector and dictionary load at start
            path = f"/api/v1/notes/{note}/translation?lang=en"
            lines = [f"{name}, {workers} process(es), {readers} readers of one new note:"]
            lines.append(_wave("first wave (one miss)", server.port, path, readers))
            calls = engine.requests
            lines.append(_wave("second wave (cached)", server.port, path, readers))
            lines.append(
                f"  engine calls: {calls} (baseline without single flight: {readers}); "
                f"after the cached wave: {engine.requests}"
            )
            return lines


def run_sqlite(tmp: Path, readers: int) -> list[str]:
    url = f"sqlite+aiosqlite:///{tmp / 'server.db'}"
    migrate(url, tmp)
    return _server_run("SQLite", tmp, url, 1, readers)


def run_postgres(tmp: Path, readers: int) -> list[str]:
    run = secrets.token_hex(4)
    database, prefix = f"redleaf_tr_{run}", f"redleaf-tr-{run}:"
    _psql(f'CREATE DATABASE "{database}"')
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"
        migrate(url, tmp)
        return _server_run(
            "PostgreSQL + Redis",
            tmp,
            url,
            2,
            readers,
            REDLEAF_REDIS_URL=REDIS_URL,
            REDLEAF_REDIS_PREFIX=prefix,
        )
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _drop_redis_prefix(prefix)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["inprocess", "sqlite", "postgres"])
    parser.add_argument("--readers", type=int, default=1000)
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="redleaf-translation-") as name:
        tmp = Path(name)
        if args.only in (None, "inprocess"):
            lines += asyncio.run(_inprocess(tmp))
        if args.only in (None, "sqlite"):
            lines += run_sqlite(tmp, args.readers)
        if args.only in (None, "postgres"):
            lines += run_postgres(tmp, args.readers)
    print("\n".join(lines))
    print(f"\nengine: {ENGINE_SECONDS * 1000:.0f} ms a request; target: one engine call per note")


if __name__ == "__main__":
    main()
