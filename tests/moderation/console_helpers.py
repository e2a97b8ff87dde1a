"""What the review console's tests share (test_console_pages.py, test_console_audit.py): signed-in
browsers, members who report through the API, and small readers of cases and forms."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, update

from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.moderation.models import Case
from tests.accounts.factories import make_account, token_headers
from tests.accounts.test_pages import _member, csrf_of
from tests.conftest import http_client

ZH = {"redleaf_lang": "zh-Hans"}
CASE_LINK = re.compile(r'href="/mod/cases/(\d+)\?view=\w+" data-open')
SignIn = Callable[..., Awaitable[httpx.AsyncClient]]


@asynccontextmanager
async def signed_in_browsers(app: FastAPI, runtime: Runtime) -> AsyncIterator[SignIn]:
    """`await sign_in("mod1", role="moderator")`: a browser of its own, logged in."""
    opened: list[httpx.AsyncClient] = []
    addresses = itertools.count(20)

    async def make(name: str, role: str = "moderator", **fields: object) -> httpx.AsyncClient:
        browser = http_client(app, ip=f"203.0.113.{next(addresses)}")
        opened.append(browser)
        await _member(browser, runtime, name, role=role, **fields)
        return browser

    try:
        yield make
    finally:
        for browser in opened:
            await browser.aclose()


class Reporters:
    """Members who report through the API, each with a token made once."""

    def __init__(self, client: httpx.AsyncClient, runtime: Runtime) -> None:
        self.client, self.runtime = client, runtime
        self.headers: dict[str, dict[str, str]] = {}

    async def report(
        self, target_type: str, target_id: int, reason: str, name: str = "lily", text: str = ""
    ) -> Case:
        if name not in self.headers:
            await make_account(self.runtime, name)
            self.headers[name] = await token_headers(self.client, name)
        answer = await self.client.post(
            "/api/v1/reports",
            json={
                "target_type": target_type,
                "target_id": str(target_id),
                "reason": reason,
                "text": text,
            },
            headers=self.headers[name],
        )
        assert answer.status_code in (200, 201), answer.text
        return await case_of(self.runtime, target_type, target_id)


async def case_of(runtime: Runtime, target_type: str, target_id: int) -> Case:
    async with runtime.sessions() as session:
        found = await session.scalar(
            select(Case)
            .where(Case.target_type == target_type, Case.target_id == target_id)
            .order_by(Case.opened_at.desc())
        )
    assert found is not None
    return found


async def reload_case(runtime: Runtime, case_id: int) -> Case:
    async with runtime.sessions() as session:
        found = await session.get(Case, case_id)
    assert found is not None
    return found


async def opened_ago(runtime: Runtime, case_id: int, hours: float) -> None:
    async with runtime.sessions() as session:
        await session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(opened_at=utcnow() - timedelta(hours=hours))
        )
        await commit(session)


async def post_from(
    browser: httpx.AsyncClient, page: str, action: str, data: dict[str, object]
) -> httpx.Response:
    """Open `page`, then post `data` to `action` with the page's CSRF token."""
    opened = await browser.get(page)
    assert opened.status_code in (200, 403, 404, 409), opened.text[:300]
    return await browser.post(action, data={"csrf_token": csrf_of(opened.text), **data})
