"""The account pages, driven the way a browser without JavaScript drives them: GET a page, read
its CSRF token, POST the form, follow the 303."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from redleaf.accounts import avatar, repository
from redleaf.accounts.pages import profile as profile_pages
from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from tests.accounts.factories import PASSWORD, make_account
from tests.conftest import http_client

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
ZH = {"redleaf_lang": "zh-Hans"}


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def submit(
    client: httpx.AsyncClient, page: str, action: str, data: dict[str, object]
) -> httpx.Response:
    """Open `page`, then post `data` to `action` with the page's CSRF token."""
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text[:500]
    return await client.post(action, data={"csrf_token": csrf_of(opened.text), **data})


async def sign_up(client: httpx.AsyncClient, username: str, **fields: str) -> httpx.Response:
    data = {"username": username, "password": PASSWORD, "ui_language": "en", **fields}
    return await submit(client, "/signup", "/signup", data)


async def log_in(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> None:
    response = await submit(
        client, "/login", "/login", {"username": username, "password": password}
    )
    assert response.status_code == 303, response.text[:500]


def has_chinese(html: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in html)


# --- sign-up, onboarding, home -------------------------------------------------------------------


async def test_signup_onboarding_home_flow(client: httpx.AsyncClient, runtime: Runtime) -> None:
    response = await sign_up(client, "Lily_Chen", display_name="莉莉 🌸", ui_language="zh-Hans")
    assert response.status_code == 303
    assert response.headers["location"] == "/onboarding"
    assert "redleaf_session" in response.cookies
    assert response.cookies["redleaf_lang"] == "zh-Hans"

    onboarding = await client.get("/onboarding")
    assert onboarding.status_code == 200
    assert '<html lang="zh-Hans">' in onboarding.text
    assert "欢迎来到红叶" in onboarding.text  # the one-shot notice
    assert "社区公约" in onboarding.text and "旅行" in onboarding.text

    home = await client.get("/")
    assert home.status_code == 303 and home.headers["location"] == "/onboarding"

    done = await client.post(
        "/onboarding",
        data={
            "csrf_token": csrf_of(onboarding.text),
            "interests": ["travel", "food"],
            "languages": ["zh", "en"],
            "accept_guidelines": "on",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/"
    home = await client.get("/")
    assert home.status_code == 200
    assert "你可能想关注的人" in home.text
    async with runtime.sessions() as session:
        account = await repository.by_username(session, "lily_chen")
        assert account is not None
        assert account.interests == ["travel", "food"]
        assert account.onboarded_at is not None


async def test_onboarding_requires_accepting_the_guidelines(client: httpx.AsyncClient) -> None:
    await sign_up(client, "mei")
    response = await submit(client, "/onboarding", "/onboarding", {"interests": ["pets"]})
    assert response.status_code == 400
    assert "Please read and accept the community guidelines" in response.text
    assert 'value="pets" checked' in response.text  # the choice survives the error
    assert (await client.get("/")).headers["location"] == "/onboarding"
    # Only the home page insists; the rest of the site stays usable.
    assert (await client.get("/settings")).status_code == 200


async def test_signup_errors_keep_values_but_never_the_password(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    response = await sign_up(client, "x", display_name="Tiny Tim", password="secret-words-99")
    assert response.status_code == 400
    assert "A username has 3 to 30 characters." in response.text
    assert 'value="x"' in response.text and 'value="Tiny Tim"' in response.text
    assert "secret-words-99" not in response.text

    await make_account(runtime, "taken")
    response = await sign_up(client, "taken")
    assert response.status_code == 409
    assert "That username is taken." in response.text

    client.cookies.set("redleaf_lang", "zh-Hans")
    response = await sign_up(client, "ok_name", password="password123")
    assert response.status_code == 400
    assert '<html lang="zh-Hans">' in response.text and has_chinese(response.text)
    assert 'aria-invalid="true" aria-describedby="password-error"' in response.text


async def test_posts_without_a_valid_csrf_token_are_refused(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await client.get("/signup")
    data = {"username": "sneaky", "password": PASSWORD}
    missing = await client.post("/signup", data=data)
    assert missing.status_code == 403
    assert "This form has expired" in missing.text and "<html" in missing.text
    wrong = await client.post(
        "/signup", data={**data, "csrf_token": "abc.0123456789abcdef0123456789abcdef"}
    )
    assert wrong.status_code == 403
    cross_site = await client.post(
        "/signup",
        data={**data, "csrf_token": client.cookies["redleaf_csrf"]},
        headers={"Origin": "https://evil.example"},
    )
    assert cross_site.status_code == 403
    async with runtime.sessions() as session:
        assert await repository.by_username(session, "sneaky") is None


async def test_signup_surge_page_keeps_everything_typed(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(surge_signup_rate="1/minute", surge_retry_after_seconds=9) as (
        _app,
        client,
    ):
        first = await sign_up(client, "first_one")
        assert first.status_code == 303
        client.cookies.clear()
        client.cookies.set("redleaf_lang", "zh-Hans")
        second = await sign_up(client, "second_one", display_name="Ann <3")
        assert second.status_code == 503
        assert int(second.headers["retry-after"]) >= 9
        assert second.headers["cache-control"] == "no-store"
        assert "排队" in second.text
        html = second.text
        assert 'name="username" value="second_one"' in html
        assert 'name="display_name" value="Ann &lt;3"' in html
        assert f'name="password" value="{PASSWORD}"' in html
        countdown = re.search(r'data-countdown="(\d+)"', html)
        assert countdown and countdown.group(1) == second.headers["retry-after"]
        assert html.count('name="csrf_token"') == 2  # the language switch's and the re-post's


# --- login and logout -------------------------------------------------------------------------


async def test_login_redirects_only_to_local_paths(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "hana")
    for target in ("https://evil.example", "//evil.example/x", "/\\evil.example", "javascript:x"):
        page = await client.get("/login", params={"next": target})
        kept = re.search(r'action="/login".*?name="next" value="([^"]*)"', page.text, re.S)
        assert kept and kept.group(1) == "/"
        response = await client.post(
            "/login",
            data={
                "csrf_token": csrf_of(page.text),
                "username": "hana",
                "password": PASSWORD,
                "next": target,
            },
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/"
        client.cookies.delete("redleaf_session")
    response = await submit(
        client,
        "/login?next=/settings",
        "/login",
        {"username": "hana", "password": PASSWORD, "next": "/settings"},
    )
    assert response.headers["location"] == "/settings"


async def test_login_failure_keeps_the_username(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "kai")
    client.cookies.set("redleaf_lang", "zh-Hans")
    response = await submit(
        client, "/login", "/login", {"username": "kai", "password": "nope-nope-1"}
    )
    assert response.status_code == 401
    assert 'value="kai"' in response.text and has_chinese(response.text)
    assert "nope-nope-1" not in response.text


async def test_logout_needs_post_and_csrf(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "lea")
    await log_in(client, "lea")
    session_cookie = client.cookies["redleaf_session"]
    assert (await client.get("/logout")).status_code == 405
    refused = await client.post("/logout", data={})
    assert refused.status_code == 403
    assert (await client.get("/settings")).status_code == 200  # still signed in
    response = await submit(client, "/settings", "/logout", {})
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "redleaf_session" not in client.cookies
    home = await client.get("/")
    assert "You have logged out" in home.text
    # The session row is gone, not just the cookie.
    client.cookies.set("redleaf_session", session_cookie)
    assert (await client.get("/settings")).headers["location"].startswith("/login")


async def test_member_pages_send_visitors_to_login(client: httpx.AsyncClient) -> None:
    for path in ("/settings", "/onboarding", "/settings/export"):
        response = await client.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/login?next=" + path
    refused = await submit(client, "/", "/settings/profile", {"display_name": "x"})
    assert refused.status_code == 401
    assert 'href="/login"' in refused.text


# --- profiles -----------------------------------------------------------------------------------


async def _member(
    client: httpx.AsyncClient, runtime: Runtime, username: str, **fields: object
) -> None:
    account = await make_account(runtime, username, **fields)
    async with runtime.sessions() as session:
        stored = await repository.by_id(session, account.id)
        assert stored is not None
        stored.onboarded_at = utcnow()
        await commit(session)
    await log_in(client, username)


async def test_profile_escapes_html_and_shows_counts(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "evil", display_name="<script>alert(1)</script>")
    page = await client.get("/u/evil")
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "No notes yet" in page.text
    for tab, text in (("collects", "Nothing collected yet"), ("boards", "No boards yet")):
        assert text in (await client.get("/u/evil", params={"tab": tab})).text
    client.cookies.update(ZH)
    zh = await client.get("/u/evil")
    assert '<html lang="zh-Hans">' in zh.text and "还没有笔记" in zh.text
    assert (await client.get("/u/nobody_here")).status_code == 404


async def test_follow_mute_block_through_forms(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await make_account(runtime, "bob")
    await _member(client, runtime, "ana")
    home = await client.get("/")
    assert "@bob" in home.text
    response = await client.post(
        "/u/bob/follow", data={"csrf_token": csrf_of(home.text), "next": "/"}
    )
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert "@bob" not in (await client.get("/")).text  # followed people leave the suggestions
    profile = await client.get("/u/bob")
    assert "Following ✓" in profile.text
    assert re.search(r"<strong>1</strong><span>Followers</span>", profile.text)

    response = await submit(client, "/u/bob", "/u/bob/mute", {"next": "https://evil.example"})
    assert response.headers["location"] == "/u/bob"
    assert "Unmute" in (await client.get("/u/bob")).text
    await submit(client, "/u/bob", "/u/bob/block", {})
    blocked_view = await client.get("/u/bob")
    assert "Unblock" in blocked_view.text
    assert re.search(r"<strong>0</strong><span>Followers</span>", blocked_view.text)

    # To the blocked member, the blocker does not exist.
    client.cookies.clear()
    await log_in(client, "bob")
    assert (await client.get("/u/ana")).status_code == 404
    assert (await client.get("/u/ana/avatar.svg")).status_code == 404
    assert (await client.get("/u/ana/followers")).status_code == 404
    assert "@ana" not in (await client.get("/")).text


async def test_relation_forms_need_a_member_and_a_token(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "cyd")
    await _member(client, runtime, "dee")
    refused = await client.post("/u/cyd/follow", data={})
    assert refused.status_code == 403
    self_follow = await submit(client, "/u/dee", "/u/dee/follow", {})
    assert self_follow.status_code == 400
    assert "You cannot follow yourself." in self_follow.text


async def test_follower_lists_load_more(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile_pages, "PEOPLE_PER_PAGE", 2)
    star = await make_account(runtime, "star")
    fans = [await make_account(runtime, f"fan{i}") for i in range(3)]
    async with runtime.sessions() as session:
        for fan in fans:
            await repository.add_follow(session, fan.id, star.id)
        await commit(session)
    first = await client.get("/u/star/followers")
    names = re.findall(r"@(fan\d)", first.text)
    assert len(names) == 2
    more = re.search(r'href="\?cursor=([^"]+)"', first.text)
    assert more and "Load more" in first.text
    second = await client.get("/u/star/followers", params={"cursor": more.group(1)})
    rest = re.findall(r"@(fan\d)", second.text)
    assert len(rest) == 1 and set(names + rest) == {"fan0", "fan1", "fan2"}
    assert "Load more" not in second.text
    client.cookies.update(ZH)
    following = await client.get("/u/fan0/following")
    assert "@star" in following.text and "关注" in following.text
    assert (await client.get("/u/star/followers", params={"cursor": "bad!"})).status_code == 400


async def test_avatar_is_an_escaped_cacheable_svg(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    chinese = await make_account(runtime, "xiao", display_name="小红")
    response = await client.get(avatar.url(chinese))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "max-age=31536000" in response.headers["cache-control"]
    assert ">小</text>" in response.text
    plain = await client.get("/u/xiao/avatar.svg")
    assert "max-age=3600" in plain.headers["cache-control"]
    await make_account(runtime, "angle", display_name="<>")
    svg = (await client.get("/u/angle/avatar.svg")).text
    assert ">&lt;</text>" in svg and "<></text>" not in svg
    assert avatar.initial("  émile") == "É" and avatar.initial("🌸") == "🌸"


# --- settings -------------------------------------------------------------------------------------


async def test_settings_profile_saves_and_switches_language(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _member(client, runtime, "rin")
    response = await submit(
        client,
        "/settings",
        "/settings/profile",
        {
            "display_name": "Rin 凛",
            "bio": "Tea\nand trains",
            "ui_language": "zh-Hans",
            "languages": ["en", "ja"],
            "interests": ["books"],
        },
    )
    assert response.status_code == 303
    assert response.cookies["redleaf_lang"] == "zh-Hans"
    page = await client.get("/settings")
    assert '<html lang="zh-Hans">' in page.text and "已保存" in page.text
    assert 'value="Rin 凛"' in page.text and 'value="ja" checked' in page.text
    assert "Tea\nand trains" in (await client.get("/u/rin")).text


async def test_settings_errors_save_nothing(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await _member(client, runtime, "sol", display_name="Sol")
    response = await submit(
        client,
        "/settings",
        "/settings/profile",
        {"display_name": "New Sol", "bio": "x" * 301, "ui_language": "en"},
    )
    assert response.status_code == 400
    assert "Use at most 300 characters." in response.text
    assert 'value="New Sol"' in response.text  # what was typed comes back
    async with runtime.sessions() as session:
        account = await repository.by_username(session, "sol")
        assert account is not None and account.display_name == "Sol" and account.bio == ""


async def test_password_change_ends_other_sessions(app, runtime: Runtime) -> None:
    async with http_client(app) as here, http_client(app) as there:
        await _member(here, runtime, "tao")
        await log_in(there, "tao")
        wrong = await submit(
            here,
            "/settings",
            "/settings/password",
            {"current_password": "not-it-at-all", "new_password": "bamboo-river-77"},
        )
        assert wrong.status_code == 400 and "Your current password is not right." in wrong.text
        changed = await submit(
            here,
            "/settings",
            "/settings/password",
            {"current_password": PASSWORD, "new_password": "bamboo-river-77"},
        )
        assert changed.status_code == 303
        assert "Password changed" in (await here.get("/settings")).text
        assert (await there.get("/settings")).status_code == 303


async def test_api_tokens_are_shown_once_and_revocable(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _member(client, runtime, "uma")
    created = await submit(client, "/settings", "/settings/tokens", {"name": "backup script"})
    assert created.status_code == 200
    secret = re.search(r'value="(rl_[^"]+)"', created.text)
    assert secret, "the new token is shown"
    me = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert me.status_code == 200 and me.json()["username"] == "uma"
    page = await client.get("/settings")
    assert "backup script" in page.text and secret.group(1) not in page.text
    token_id = re.search(r'action="/settings/tokens/(\d+)/revoke"', page.text)
    assert token_id
    revoked = await submit(client, "/settings", f"/settings/tokens/{token_id.group(1)}/revoke", {})
    assert revoked.status_code == 303
    gone = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret.group(1)}"})
    assert gone.status_code == 401


async def test_export_downloads_the_archive(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await _member(client, runtime, "vic")
    response = await client.get("/settings/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="redleaf-vic.json"'
    archive = json.loads(response.content)
    assert archive["format"] == "redleaf-export/1" and archive["account"]["username"] == "vic"


async def test_delete_account_needs_the_password(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _member(client, runtime, "wen")
    wrong = await submit(client, "/settings", "/settings/delete", {"password": "not-my-password"})
    assert wrong.status_code == 400 and "Your password is not right." in wrong.text
    done = await submit(client, "/settings", "/settings/delete", {"password": PASSWORD})
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert "redleaf_session" not in client.cookies
    assert "has been deleted" in (await client.get("/")).text
    async with runtime.sessions() as session:
        assert await repository.by_username(session, "wen") is None


# --- both languages, no inline code ------------------------------------------------------------

INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    re.compile(r"<style", re.I),
    re.compile(r"\sstyle\s*=", re.I),
    re.compile(r"\son[a-z]+\s*=", re.I),
]


def assert_no_inline_code(html: str) -> None:
    for pattern in INLINE:
        assert not pattern.search(html), pattern.pattern


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
async def test_member_pages_render_in_both_languages(
    client: httpx.AsyncClient, runtime: Runtime, lang: str
) -> None:
    await make_account(runtime, "other")
    await _member(client, runtime, "yui")
    client.cookies.set("redleaf_lang", lang)
    for path in (
        "/",
        "/onboarding",
        "/settings",
        "/u/yui",
        "/u/other",
        "/u/yui/followers",
        "/u/yui/following",
        "/u/yui?tab=boards",
        "/notifications",
        "/guidelines",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.text, path
        assert (">发现<" if lang == "zh-Hans" else ">Explore<") in response.text, path
        assert "content-security-policy" in response.headers
        assert_no_inline_code(response.text)


async def test_cookies_are_secure_behind_https(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(base_url="https://redleaf.example") as (app, _client):
        transport = httpx.ASGITransport(app=app)
        # Over https, as the browser would be: Secure cookies only travel there.
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
            response = await sign_up(client, "secure_sam")
        assert response.status_code == 303
        cookies = response.headers.get_list("set-cookie")
        session_cookie = next(c for c in cookies if c.startswith("redleaf_session="))
        for attribute in ("HttpOnly", "SameSite=lax", "Secure", "Path=/"):
            assert attribute in session_cookie, session_cookie
