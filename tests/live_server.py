"""A real Redleaf server in a subprocess, for tests that need real HTTP (browser, schemathesis)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from redleaf.kit.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# Up and warmed (the language detector, the dictionary): seconds on an idle machine, more on a
# loaded CI machine.
START_SECONDS = 120
SHARED_CACHE = Path(tempfile.gettempdir()) / "redleaf-test-cache"


@contextlib.contextmanager
def live_server(tmp: Path, **env: str) -> Iterator[str]:
    """`redleaf serve` on a fresh, migrated SQLite database in `tmp`, with no job worker and no
    Redis; yields the base URL. `env` adds or overrides REDLEAF_* variables."""
    database = f"sqlite+aiosqlite:///{tmp / 'live.db'}"
    # In a thread: the migration runs its own event loop, and a caller (Playwright's sync API)
    # may already have one running in this thread.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(upgrade, database).result()
    port = free_port()
    environment = {
        **os.environ,
        "REDLEAF_DATABASE_URL": database,
        "REDLEAF_VAR_DIR": str(tmp / "var"),
        # Built indexes (the CC-CEDICT dictionary, ~4 s to build) shared by every test server.
        "REDLEAF_CACHE_DIR": str(SHARED_CACHE),
        "REDLEAF_SECRET_KEY": "live-server-test-key",
        "REDLEAF_INPROCESS_WORKER": "false",
        "REDLEAF_REDIS_URL": "",
        "REDLEAF_LOG_FORMAT": "text",
        "REDLEAF_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        **env,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "redleaf.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "server.log", "wb"),  # noqa: SIM115  (closed with the process)
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                raise RuntimeError((tmp / "server.log").read_text()[-3000:])
            with contextlib.suppress(httpx.HTTPError):
                # Ready, not just up: what loads at start no longer competes with the tests.
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"server was not ready in {START_SECONDS} s")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
