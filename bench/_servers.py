"""The servers bench/signup.py measures: `redleaf serve` subprocesses on SQLite or on a fresh
PostgreSQL database with Redis, started with a clean REDLEAF_* environment and always stopped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
HOST = "127.0.0.1"
SERVER_EXTRA: dict[str, str] = {}  # --server-env KEY=VALUE, for experiments

# --- servers --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    procs: dict[int, psutil.Process] = field(default_factory=dict)

    def tree(self) -> list[psutil.Process]:
        """The server process and its children (uvicorn's workers), cached so CPU times add up."""
        try:
            root = self.procs.setdefault(self.process.pid, psutil.Process(self.process.pid))
            for child in root.children(recursive=True):
                self.procs.setdefault(child.pid, child)
        except psutil.NoSuchProcess:
            pass
        return [p for p in self.procs.values() if p.is_running()]

    def rss_mb(self) -> float:
        total = 0
        for proc in self.tree():
            with contextlib.suppress(psutil.NoSuchProcess):
                total += proc.memory_info().rss
        return total / 2**20


def clean_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REDLEAF_")}
    env.update(extra)
    return env


@contextlib.contextmanager
def serve(name: str, tmp: Path, workers: int, env: dict[str, str]) -> Iterator[Server]:
    port = free_port()
    log = tmp / f"{name}-server.log"
    command = [sys.executable, "-m", "redleaf.cli", "serve", "--host", HOST, "--port", str(port)]
    command += ["--workers", str(workers)]
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            command, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=log_file
        )
    server = Server(name, port, process, log)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(server, workers):
            if process.poll() is not None:
                raise RuntimeError(f"{name} server exited:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} server did not start in 60 s")
            time.sleep(0.2)
        if workers > 1:
            time.sleep(2)  # the last worker's lifespan (engine, Redis) finishes starting
        yield server
    finally:
        children = list(server.procs.values())
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        for child in children:  # only the processes this server started, by pid
            if child.pid != process.pid:
                with contextlib.suppress(psutil.NoSuchProcess):
                    child.kill()


def _healthy(server: Server, workers: int) -> bool:
    try:
        with socket.create_connection((HOST, server.port), timeout=1) as sock:
            request = f"GET /healthz HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n"
            sock.sendall(request.encode())
            if not sock.recv(64).startswith(b"HTTP/1.1 200"):
                return False
    except OSError:
        return False
    # With --workers, one worker may answer while another still starts: wait for all of them
    # (uvicorn spawns them with multiprocessing; its resource tracker is not one).
    spawned = 0
    for proc in server.tree():
        with contextlib.suppress(psutil.Error):
            spawned += "spawn_main" in " ".join(proc.cmdline())
    return workers == 1 or spawned >= workers


def migrate(database_url: str, tmp: Path) -> None:
    env = clean_environment(REDLEAF_DATABASE_URL=database_url, REDLEAF_VAR_DIR=str(tmp / "var"))
    subprocess.run(
        [sys.executable, "-m", "redleaf.cli", "migrate"],
        env=env,
        cwd=tmp,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def server_env(
    tmp: Path, name: str, database_url: str, surge_rate: int, **extra: str
) -> dict[str, str]:
    return clean_environment(
        REDLEAF_DATABASE_URL=database_url,
        REDLEAF_VAR_DIR=str(tmp / f"{name}-var"),
        REDLEAF_SECRET_KEY="bench-signup-" + secrets.token_hex(8),
        REDLEAF_INPROCESS_WORKER="false",
        REDLEAF_LOG_LEVEL="WARNING",
        REDLEAF_LOG_FORMAT="text",
        REDLEAF_RATE_SIGNUP_PER_IP="1000000/second",
        REDLEAF_SURGE_SIGNUP_RATE=f"{surge_rate}/second",
        **{**extra, **SERVER_EXTRA},
    )


@contextlib.contextmanager
def sqlite_config(tmp: Path, surge_rate: int) -> Iterator[Server]:
    url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    migrate(url, tmp)
    with serve("sqlite", tmp, 1, server_env(tmp, "sqlite", url, surge_rate)) as server:
        yield server


@contextlib.contextmanager
def postgres_config(tmp: Path, surge_rate: int, run: str) -> Iterator[Server]:
    database = f"redleaf_bench_{run}"
    prefix = f"redleaf-bench-{run}:"
    _psql(f'CREATE DATABASE "{database}"')
    try:
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}"
        migrate(url, tmp)
        env = server_env(
            tmp,
            "postgres",
            url,
            surge_rate,
            REDLEAF_REDIS_URL=REDIS_URL,
            REDLEAF_REDIS_PREFIX=prefix,
        )
        with serve("postgres", tmp, 2, env) as server:
            yield server
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _drop_redis_prefix(prefix)


def _psql(statement: str) -> None:

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _drop_redis_prefix(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
