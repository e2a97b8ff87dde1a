"""Fixtures the console's tests share: signed-in browsers of their own, and members who report."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from redleaf.kit.runtime import Runtime
from tests.moderation.console_helpers import Reporters, SignIn, signed_in_browsers


@pytest.fixture
async def sign_in(app: FastAPI, runtime: Runtime) -> AsyncIterator[SignIn]:
    async with signed_in_browsers(app, runtime) as make:
        yield make


@pytest.fixture
def reporters(client: httpx.AsyncClient, runtime: Runtime) -> Reporters:
    return Reporters(client, runtime)
