"""Browser tests: a real server in a subprocess and Debian's Chromium driven by Playwright.

Skipped as a whole when /usr/bin/chromium is missing. The server is `tests.live_server`: a real
`redleaf serve` on a fresh, migrated SQLite database in a temporary folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live_server import live_server as serve

CHROMIUM = Path("/usr/bin/chromium")
# Chromium as root needs --no-sandbox; the rest keep it off this closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main
    thread from its first use until the session ends, and async tests after it would fail."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _needs_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip("browser tests need /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # Every test person signs up from 127.0.0.1; uploads are processed by the server's own
    # job worker, as with `make run`.
    with serve(
        tmp_path_factory.mktemp("live"),
        REDLEAF_RATE_SIGNUP_PER_IP="100/hour",
        REDLEAF_INPROCESS_WORKER="true",
    ) as url:
        yield url


@pytest.fixture(scope="session")
def surge_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose sign-up surge gate lets one person a second through, then queues for 2 s."""
    with serve(
        tmp_path_factory.mktemp("surge"),
        REDLEAF_RATE_SIGNUP_PER_IP="100/hour",
        REDLEAF_SURGE_SIGNUP_RATE="1/second",
        REDLEAF_SURGE_RETRY_AFTER_SECONDS="2",
    ) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $REDLEAF_SCREENSHOTS when set (to look at them), else a tmp folder."""
    chosen = os.environ.get("REDLEAF_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
