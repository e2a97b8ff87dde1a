"""Accounts made the way members make them: through the service, in a committed transaction."""

from __future__ import annotations

import itertools

import httpx

from redleaf.accounts import service
from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime

PASSWORD = "plum-blossom-42"
_counter = itertools.count(1)


async def make_account(
    runtime: Runtime, username: str | None = None, *, role: str = "member", **fields: object
) -> Account:
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
