"""The authorisation matrix: every moderation route of the console and the API, found in the
app itself (a route added later is covered without editing this test), tried by an anonymous
visitor, a member, a moderator and an admin.

    members' routes    (reports, notices, appeals)       any signed-in member
    moderators' routes (/mod, cases, appeal reviews)     moderators and admins
    admins' routes     (/admin/...: policy, glossary)    admins only

Page forms are sent with a valid CSRF token, so a refusal is the role check, not the token.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI

from redleaf.kit.runtime import Runtime
from tests.accounts.factories import PASSWORD, make_account, token_headers
from tests.accounts.test_pages import csrf_of
from tests.conftest import http_client

MEMBERS = ("/api/v1/reports", "/api/v1/moderation/notices", "/api/v1/moderation/decisions")
MEMBER_PAGES = ("/report", "/notices")
MODERATORS = ("/mod", "/api/v1/moderation/cases", "/api/v1/moderation/appeals")
ADMINS = ("/admin/",)
DENIED = (401, 403)
PUBLIC = {("GET", "/api/v1/reports/reasons")}  # the reasons, for any client to show


def _walk(routes: list[Any]) -> list[tuple[str, str]]:
    found = []
    for route in routes:
        path = getattr(route, "path", "")
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                found.append((method, path))
        inner = getattr(route, "routes", None)
        if inner is None:
            inner = getattr(getattr(route, "original_router", None), "routes", None)
        if inner:
            found += _walk(inner)
    return found


def _routes(app: FastAPI) -> dict[str, list[tuple[str, str]]]:
    groups: dict[str, list[tuple[str, str]]] = {"member": [], "moderator": [], "admin": []}
    for method, path in _walk(app.routes):
        concrete = re.sub(r"\{[a-z_]+\}", "1", path)
        if path.startswith(ADMINS):
            groups["admin"].append((method, concrete))
        elif path.startswith(MODERATORS):
            groups["moderator"].append((method, concrete))
        elif path.startswith(MEMBERS) or path in MEMBER_PAGES or path.startswith("/notices/"):
            groups["member"].append((method, concrete))
    return groups


async def _signed_in(app: FastAPI, username: str) -> tuple[httpx.AsyncClient, str]:
    """A client with the member's session cookie, and a CSRF token for its forms."""
    client = http_client(app)
    login = await client.get("/login")
    answer = await client.post(
        "/login",
        data={"csrf_token": csrf_of(login.text), "username": username, "password": PASSWORD},
    )
    assert answer.status_code == 303, answer.text[:300]
    return client, csrf_of((await client.get("/settings")).text)


async def _call(
    client: httpx.AsyncClient, method: str, path: str, csrf: str | None, headers: dict[str, str]
) -> int:
    if path.startswith("/api/"):
        body = {} if method in ("POST", "PATCH", "PUT") else None
        answer = await client.request(method, path, json=body, headers=headers)
    elif method == "GET":
        answer = await client.get(path)
    else:
        answer = await client.request(method, path, data={"csrf_token": csrf or ""})
    return answer.status_code


async def test_every_moderation_route_checks_the_role(
    app: FastAPI, client: httpx.AsyncClient, runtime: Runtime
) -> None:
    groups = _routes(app)
    assert len(groups["moderator"]) >= 8 and len(groups["admin"]) >= 9  # the app's own routes
    for name, role in (("lily", "member"), ("mod1", "moderator"), ("boss", "admin")):
        await make_account(runtime, name, role=role)
    allowed = {"member": {"member"}, "moderator": {"member", "moderator"}}
    allowed["admin"] = {"member", "moderator", "admin"}

    failures = []
    for name, role in (("lily", "member"), ("mod1", "moderator"), ("boss", "admin")):
        api = await token_headers(client, name)
        pages, csrf = await _signed_in(app, name)
        try:
            for needed, routes in groups.items():
                for method, path in routes:
                    on = client if path.startswith("/api/") else pages
                    status = await _call(on, method, path, csrf, api)
                    denied = status in DENIED
                    if denied == (needed in allowed[role]):
                        failures.append((role, method, path, status))
        finally:
            await pages.aclose()
    assert failures == [], failures


async def test_anonymous_visitors_are_sent_to_sign_in(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    failures = []
    for routes in _routes(app).values():
        for method, path in routes:
            if (method, path) in PUBLIC:
                continue
            status = await _call(client, method, path, None, {})
            page_get = method == "GET" and not path.startswith("/api/")
            # A page sends a visitor to sign in, or says why in a 401 page with the way in.
            expected = (303, 302, 401) if page_get else DENIED
            if status not in expected:
                failures.append((method, path, status))
    assert failures == [], failures
