"""Accounts made the way members make them: through the service, in a committed transaction."""

from __future__ import annotations

import itertools
from datetime import timedelta

import httpx

from redleaf.accounts import service
from redleaf.accounts.models import Account
from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime

PASSWORD = "plum-blossom-42"
_counter = itertools.count(1)


async def make_account(
    runtime: Runtime,
    username: str | None = None,
    *,
    role: str = "member",
    age_days: float = 0,
    **fields: object,
) -> Account:
    """`age_days`: how long ago the account was made (moderation holds links from accounts
    younger than a day)."""
    username = username or f"member{next(_counter)}"
    async with runtime.sessions() as session:
        account = await service.do_signup(
            session,
            runtime,
            username=username,
            password=PASSWORD,
            **fields,  # type: ignore[arg-type]
        )
        account.role = role
        if age_days:
            account.created_at = utcnow() - timedelta(days=age_days)
        await commit(session)
        return account


async def token_headers(
    client: httpx.AsyncClient, username: str, password: str = PASSWORD
) -> dict[str, str]:
    response = await client.post(
        "/api/v1/auth/tokens", json={"username": username, "password": password, "name": "tests"}
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}
