"""Surge defences: per-IP limits, the sign-up surge gate, and the bounded hashing pool."""

from __future__ import annotations

import asyncio

from tests.accounts.factories import PASSWORD


async def test_signup_surge_answers_503_with_retry_after(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(surge_signup_rate="2/minute", surge_retry_after_seconds=7) as (
        _app,
        client,
    ):
        codes = []
        for i in range(3):
            response = await client.post(
                "/api/v1/accounts",
                json={"username": f"wave{i}", "password": PASSWORD},
                headers={"Accept-Language": "zh-Hans"},
            )
            codes.append(response.status_code)
        assert codes == [201, 201, 503]
        assert int(response.headers["retry-after"]) >= 7
        error = response.json()["error"]
        assert error["code"] == "surge_queued"
        assert "排队" in error["message"]


async def test_signup_limit_per_ip(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(rate_signup_per_ip="2/hour") as (_app, client):
        statuses = [
            (
                await client.post(
                    "/api/v1/accounts", json={"username": f"ip{i}", "password": PASSWORD}
                )
            ).status_code
            for i in range(3)
        ]
        assert statuses == [201, 201, 429]


async def test_login_limit_per_ip(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(rate_login_per_ip="3/minute") as (_app, client):
        statuses = [
            (
                await client.post(
                    "/api/v1/auth/tokens", json={"username": "nobody", "password": "x" * 9}
                )
            ).status_code
            for _ in range(4)
        ]
        assert statuses == [401, 401, 401, 429]


async def test_a_burst_beyond_the_hash_pool_gets_503_never_500(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(hash_threads=1, hash_queue_max=1) as (_app, client):
        responses = await asyncio.gather(
            *(
                client.post(
                    "/api/v1/accounts", json={"username": f"burst{i}", "password": PASSWORD}
                )
                for i in range(8)
            )
        )
        statuses = sorted(r.status_code for r in responses)
        assert set(statuses) <= {201, 503}
        assert 201 in statuses and 503 in statuses
        assert all("retry-after" in r.headers for r in responses if r.status_code == 503)


async def test_rate_limits_off_lets_everything_through(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(rate_limits="off", rate_signup_per_ip="1/hour") as (_app, client):
        statuses = [
            (
                await client.post(
                    "/api/v1/accounts", json={"username": f"free{i}", "password": PASSWORD}
                )
            ).status_code
            for i in range(3)
        ]
        assert statuses == [201, 201, 201]
