"""The web shell: layout in both languages, the language switch, error pages, security headers."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from redleaf.kit.runtime import Runtime
from redleaf.web.forms import safe_next
from tests.accounts.factories import make_account
from tests.accounts.test_pages import assert_no_inline_code, csrf_of, log_in, submit
from tests.conftest import http_client

PUBLIC_PAGES = [
    "/",
    "/signup",
    "/login",
    "/guidelines",
    "/search?q=火锅",
    "/chat",
    "/notifications",
    "/new",
    "/following",
]
TEMPLATE_DIRS = [
    Path(__file__).resolve().parents[2] / "src/redleaf/web/templates",
    Path(__file__).resolve().parents[2] / "src/redleaf/accounts/templates",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
async def test_pages_render_in_english_and_chinese(client: httpx.AsyncClient, path: str) -> None:
    english = await client.get(path)
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert ">Explore<" in english.text and 'name="csrf-token"' in english.text
    client.cookies.set("redleaf_lang", "zh-Hans")
    chinese = await client.get(path)
    assert chinese.status_code == 200
    assert '<html lang="zh-Hans">' in chinese.text
    assert ">发现<" in chinese.text and "社区公约" in chinese.text
    for response in (english, chinese):
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        assert_no_inline_code(response.text)


async def test_accept_language_picks_chinese_without_a_cookie(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.6"})
    assert '<html lang="zh-Hans">' in response.text
    assert "发现和分享生活里的美好" in response.text


async def test_guidelines_are_complete_in_both_languages(client: httpx.AsyncClient) -> None:
    english = (await client.get("/guidelines")).text
    for phrase in (
        "Be kind",
        "zero tolerance",
        "doxxing",
        "say so clearly",
        "assume good",
        "appeal",
    ):
        assert phrase in english
    client.cookies.set("redleaf_lang", "zh-Hans")
    chinese = (await client.get("/guidelines")).text
    for phrase in ("友善待人", "零容忍", "开盒", "广告", "往好处想", "申诉"):
        assert phrase in chinese


async def test_language_switch_sets_the_cookie_and_goes_back(client: httpx.AsyncClient) -> None:
    response = await submit(
        client, "/guidelines", "/lang", {"lang": "zh-Hans", "next": "/guidelines"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/guidelines"
    cookie = response.headers["set-cookie"]
    assert "redleaf_lang=zh-Hans" in cookie and "Max-Age=31536000" in cookie
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert '<html lang="zh-Hans">' in (await client.get("/guidelines")).text
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        away = await submit(client, "/", "/lang", {"lang": "en", "next": target})
        assert away.headers["location"] == "/"
    unknown = await submit(client, "/", "/lang", {"lang": "klingon", "next": "/chat"})
    assert unknown.headers["location"] == "/chat" and "set-cookie" not in unknown.headers


async def test_language_switch_updates_the_members_account(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "ling")
    await log_in(client, "ling")
    await submit(client, "/chat", "/lang", {"lang": "zh-Hans", "next": "/chat"})
    me = await client.get("/api/v1/me")
    assert me.json()["ui_language"] == "zh-Hans"
    # On a new device without the cookie, the account's choice applies.
    client.cookies.delete("redleaf_lang")
    assert '<html lang="zh-Hans">' in (await client.get("/chat")).text


async def test_language_switch_needs_a_csrf_token(client: httpx.AsyncClient) -> None:
    await client.get("/")
    response = await client.post("/lang", data={"lang": "zh-Hans", "next": "/"})
    assert response.status_code == 403
    assert "This form has expired" in response.text and '<html lang="en">' in response.text


@pytest.mark.parametrize(
    ("lang", "status", "path", "text"),
    [
        ("en", 404, "/no/such/page", "Page not found"),
        ("zh-Hans", 404, "/no/such/page", "页面找不到了"),
        ("en", 405, "/logout", "This address does not accept that method."),
        ("zh-Hans", 401, None, "请先登录"),
    ],
)
async def test_friendly_error_pages(
    client: httpx.AsyncClient, lang: str, status: int, path: str | None, text: str
) -> None:
    client.cookies.set("redleaf_lang", lang)
    if path is None:  # a member-only form posted by a visitor
        page = await client.get("/")
        response = await client.post(
            "/onboarding", data={"csrf_token": csrf_of(page.text), "accept_guidelines": "on"}
        )
    else:
        response = await client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert text in response.text and f'<html lang="{lang}">' in response.text


async def test_unexpected_errors_get_a_friendly_500(app: FastAPI) -> None:
    async def boom() -> None:
        raise RuntimeError("kaboom")

    app.add_api_route("/boom-for-test", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        english = await client.get("/boom-for-test")
        client.cookies.set("redleaf_lang", "zh-Hans")
        chinese = await client.get("/boom-for-test")
    assert english.status_code == 500
    assert "Something went wrong" in english.text and "kaboom" not in english.text
    # Still in the member's language and behind the security headers.
    assert chinese.status_code == 500
    assert '<html lang="zh-Hans">' in chinese.text and "出了点问题" in chinese.text
    assert "content-security-policy" in chinese.headers and "x-request-id" in chinese.headers


async def test_search_page_escapes_the_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/search", params={"q": "<img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "<img src=x" not in response.text
    assert "&lt;img src=x onerror=alert(1)&gt;" in response.text
    assert "No notes found" in response.text


async def test_placeholders_are_honest_empty_states(client: httpx.AsyncClient) -> None:
    client.cookies.set("redleaf_lang", "zh-Hans")
    assert "还没有消息" in (await client.get("/notifications")).text
    assert "还没有聊天" in (await client.get("/chat")).text
    client.cookies.set("redleaf_lang", "en")
    assert "No notifications yet" in (await client.get("/notifications")).text


async def test_static_files_are_served_with_cache_busting(client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text
    css = re.search(r'href="(/static/css/app\.css\?v=[0-9a-f]{10})"', page)
    js = re.search(
        r'<script type="module" src="(/static/js/app\.js\?v=[0-9a-f]{10})"></script>', page
    )
    assert css and js
    assert (await client.get(css.group(1))).status_code == 200
    script = await client.get(js.group(1))
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]


def test_templates_hold_no_inline_scripts_or_styles() -> None:
    files = [path for folder in TEMPLATE_DIRS for path in folder.glob("*.html")]
    assert len(files) >= 10
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), path.name
        assert not re.search(r"\sstyle\s*=|<style|\son[a-z]+\s*=", source), path.name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/settings", "/settings"),
        ("/u/lily?tab=boards", "/u/lily?tab=boards"),
        ("https://evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("/\tevil", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
        (None, "/"),
        ("settings", "/"),
    ],
)
def test_safe_next(value: object, expected: str) -> None:
    assert safe_next(value) == expected


async def test_each_client_keeps_its_own_language(app: FastAPI) -> None:
    async with http_client(app) as one, http_client(app) as two:
        one.cookies.set("redleaf_lang", "zh-Hans")
        assert '<html lang="zh-Hans">' in (await one.get("/")).text
        assert '<html lang="en">' in (await two.get("/")).text
