"""Request ids, security headers, locales, cursors, CSRF on cookie-authenticated API calls."""

from __future__ import annotations

import logging

import httpx
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from redleaf.accounts import service
from redleaf.kit import csrf
from redleaf.kit.db import commit, make_engine
from redleaf.kit.errors import InvalidInput
from redleaf.kit.i18n import normalise_locale, parse_accept_language
from redleaf.kit.logs import JsonFormatter
from redleaf.kit.pagination import decode_cursor, encode_cursor
from tests.accounts.factories import make_account


async def test_request_id_is_kept_or_made(client: httpx.AsyncClient) -> None:
    kept = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert kept.headers["x-request-id"] == "abc-123"
    made = await client.get("/healthz", headers={"X-Request-ID": "bad id\nwith newline"})
    assert made.headers["x-request-id"] != "bad id\nwith newline"
    assert len(made.headers["x-request-id"]) == 16


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"


def test_accept_language_prefers_the_highest_quality() -> None:
    assert parse_accept_language("fr-FR, zh-CN;q=0.8, en;q=0.9") == "en"
    assert parse_accept_language("zh-TW,zh;q=0.9") == "zh-Hans"
    assert parse_accept_language("de, fr") is None
    assert parse_accept_language("en;q=0, zh") == "zh-Hans"
    assert normalise_locale("zh_Hans") == "zh-Hans"


@given(st.text(max_size=200))
def test_accept_language_never_raises(header: str) -> None:
    assert parse_accept_language(header) in (None, "en", "zh-Hans")


@given(
    st.lists(
        st.one_of(st.integers(-(2**63), 2**63 - 1), st.text(max_size=20)), min_size=1, max_size=3
    )
)
def test_cursors_round_trip(key: list[object]) -> None:
    assert decode_cursor(encode_cursor(*key), len(key)) == key


@given(st.text(max_size=100))
def test_garbage_cursors_are_a_clear_400(cursor: str) -> None:
    try:
        decode_cursor(cursor, 2)
    except InvalidInput as error:
        assert error.code == "invalid_cursor"


async def _session_cookie(runtime, username: str) -> str:  # type: ignore[no-untyped-def]
    account = await make_account(runtime, username)
    async with runtime.sessions() as session:
        _token, secret = await service.do_create_token(
            session, runtime.settings, account, kind="session"
        )
        await commit(session)
    return secret


async def test_cookie_authenticated_api_writes_need_the_csrf_header(
    client: httpx.AsyncClient, runtime
) -> None:  # type: ignore[no-untyped-def]
    secret = await _session_cookie(runtime, "cookie_user")
    await make_account(runtime, "target_user")
    token = csrf.new_token(runtime.settings.resolved_secret_key)
    client.cookies.set("redleaf_session", secret)
    client.cookies.set(csrf.CSRF_COOKIE, token)
    # Reads need no token.
    assert (await client.get("/api/v1/me")).status_code == 200
    refused = await client.post("/api/v1/users/target_user/follow")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    forged = await client.post(
        "/api/v1/users/target_user/follow", headers={"X-CSRF-Token": csrf.new_token("other-secret")}
    )
    assert forged.status_code == 403
    cross_site = await client.post(
        "/api/v1/users/target_user/follow",
        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    ok = await client.post(
        "/api/v1/users/target_user/follow",
        headers={"X-CSRF-Token": token, "Origin": "http://testserver"},
    )
    assert ok.status_code == 204


async def test_expired_or_unknown_session_cookie_is_anonymous(client: httpx.AsyncClient) -> None:
    client.cookies.set("redleaf_session", "not-a-real-session")
    response = await client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


async def test_access_log_is_json_with_the_request_id(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="redleaf.access"):
        await client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    record = next(r for r in caplog.records if r.name == "redleaf.access")
    line = orjson.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-42"
    assert line["path"] == "/healthz" and line["status"] == 200 and line["method"] == "GET"
    assert isinstance(line["ms"], float)


async def test_an_exhausted_connection_pool_answers_503_not_a_hang(app_with) -> None:  # type: ignore[no-untyped-def]
    tuned = {"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout_seconds": 0.2}
    async with app_with(**tuned) as (app, client):
        held = await app.state.runtime.engine.connect()  # the only connection, taken
        try:
            response = await client.get("/api/v1/users/anyone", headers={"Accept-Language": "zh"})
        finally:
            await held.close()
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.json()["error"]["code"] == "unavailable"


async def test_a_lost_database_connection_is_a_brief_503(
    client: httpx.AsyncClient,
    runtime,
    is_postgres: bool,  # type: ignore[no-untyped-def]
) -> None:
    if not is_postgres:
        pytest.skip("needs a database server whose connections can be cut")
    await make_account(runtime, "still_here")
    assert (await client.get("/api/v1/users/still_here")).status_code == 200
    # A restart, as the app's pool sees it: from outside, every other connection is cut.
    outsider = make_engine(runtime.settings.resolved_database_url)
    async with outsider.connect() as connection:
        await connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    await outsider.dispose()
    lost = await client.get("/api/v1/users/still_here")
    assert lost.status_code == 503 and lost.headers["retry-after"] == "1"
    assert (await client.get("/api/v1/users/still_here")).status_code == 200
