"""A newcomer's first visit in a real browser: sign up in Chinese, onboard, log out, log in,
follow someone, switch to English. Plus screenshots of the main pages for a human to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.people import PASSWORD, api_signup

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NARROW = {"width": 360, "height": 740}  # the narrowest phone we promise not to break
SIZES = {"phone": PHONE, "desktop": DESKTOP, "narrow": NARROW}


def _watch_errors(page: Page) -> list[str]:
    """Console errors include CSP violations: an inline style or script would show up here."""
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def phone_zh(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=base_url, viewport=PHONE, locale="zh-CN", has_touch=True)
    yield context
    context.close()


def test_newcomer_journey_in_chinese_then_english(phone_zh: BrowserContext, base_url: str) -> None:
    api_signup(base_url, "mei_travels", "梅 Mei")
    page = phone_zh.new_page()
    errors = _watch_errors(page)

    page.goto("/signup")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("heading", name="加入红叶")).to_be_visible()
    expect(page.get_by_label("界面语言")).to_have_value("zh-Hans")
    page.get_by_label("用户名").fill("xiaolu")
    page.get_by_label("昵称（选填）").fill("小鹿")
    expect(page.locator(".counter")).to_have_text("2/40")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="显示").click()  # the show/hide toggle from app.js
    expect(page.get_by_label("密码", exact=True)).to_have_attribute("type", "text")
    page.get_by_role("button", name="创建账号").click()

    expect(page).to_have_url(re.compile(r"/onboarding$"))
    expect(page.get_by_text("欢迎来到红叶！你的账号已经准备好了。")).to_be_visible()
    page.locator(".chip", has_text="旅行").click()
    page.locator(".chip", has_text="美食").click()
    expect(page.get_by_text("友善待人").first).to_be_visible()
    page.get_by_label("我已阅读并同意社区公约。").check()
    page.get_by_role("button", name="开始逛逛").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="你可能想关注的人")).to_be_visible()

    page.goto("/settings")
    page.locator("#session").get_by_role("button", name="退出登录").click()
    expect(page.get_by_text("已退出登录，下次见！")).to_be_visible()
    expect(page.get_by_role("heading", name="发现和分享生活里的美好")).to_be_visible()

    page.locator(".hero").get_by_role("link", name="登录").click()
    page.get_by_label("用户名").fill("xiaolu")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/$"))

    person = page.locator(".person", has_text="@mei_travels")
    expect(person).to_be_visible()
    person.get_by_role("button", name="关注").click()
    expect(page.locator(".person", has_text="@mei_travels")).to_have_count(0)

    page.goto("/u/mei_travels")
    expect(page.get_by_role("heading", name="梅 Mei")).to_be_visible()
    expect(page.get_by_role("button", name="已关注 ✓")).to_be_visible()
    expect(page.locator(".counts")).to_contain_text("1粉丝")
    page.get_by_label("更多操作").click()  # a <details> menu: no script needed
    page.get_by_role("button", name="屏蔽").click()
    expect(page.locator(".badge", has_text="已屏蔽")).to_be_visible()

    page.locator(".lang-switch").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/u/mei_travels$"))
    expect(page.get_by_role("button", name="Following ✓")).to_be_visible()
    expect(page.get_by_role("link", name="Explore")).to_be_visible()
    assert errors == []


# --- screenshots ----------------------------------------------------------------------------------

PAGES = {
    "home": "/",
    "signup": "/signup",
    "profile": "/u/shot_member",
    "friend": "/u/shot_friend",
    "settings": "/settings",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("size", list(SIZES))
def test_screenshots(
    browser: Browser, base_url: str, screenshot_dir: Path, size: str, lang: str, scheme: str
) -> None:
    if not httpx.get(f"{base_url}/u/shot_member").is_success:
        api_signup(base_url, "shot_member", "Ada 小爱", "en")
        api_signup(base_url, "shot_friend", "Lin 林")
    context = browser.new_context(
        base_url=base_url,
        viewport=SIZES[size],
        locale=lang,
        color_scheme=scheme,  # type: ignore[arg-type]
        device_scale_factor=1,
    )
    # The member's account says English; the cookie makes the chosen language win everywhere.
    ui = "zh-Hans" if lang == "zh-CN" else "en"
    context.add_cookies([{"name": "redleaf_lang", "value": ui, "url": base_url}])
    page = context.new_page()
    errors = _watch_errors(page)
    tag = f"{size}-{lang}-{scheme}"

    def shoot(name: str) -> None:
        # Lazy avatars load now, so the picture is complete (networkidle costs 0.5 s a shot).
        page.evaluate("document.querySelectorAll('img').forEach(i => { i.loading = 'eager' })")
        # Polled from here: wait_for_function compiles its predicate in the page, which our CSP
        # (no unsafe-eval) refuses whenever the first check is false.
        for _ in range(100):
            if page.evaluate("[...document.images].every(i => i.complete)"):
                break
            page.wait_for_timeout(50)
        page.screenshot(path=screenshot_dir / f"{name}-{tag}.png", full_page=True)
        # Nothing may stick out sideways, even at 360 px.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= SIZES[size]["width"], (name, width)

    page.goto("/")
    shoot("visitor-home")
    page.goto("/signup")
    shoot("signup")
    page.goto("/login")
    page.locator("#f-username").fill("shot_member")
    page.locator("#f-password").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_load_state()
    for name, path in PAGES.items():
        if name == "signup":
            continue
        page.goto(path)
        if name == "home" and "/onboarding" in page.url:
            shoot("onboarding")
            page.locator(".chip").first.click()
            page.locator("input[name=accept_guidelines]").check()
            page.locator("form.stack button[type=submit]").click()
            page.goto(path)
        shoot(name)
    assert errors == []
    page.goto("/no-such-page")  # last: the browser logs the 404 as a console error
    shoot("not-found")
    context.close()


def test_surge_page_counts_down_and_sends_the_form_again(
    browser: Browser, surge_server: str, screenshot_dir: Path
) -> None:
    context = browser.new_context(base_url=surge_server, viewport=PHONE, locale="en-US")
    page = context.new_page()
    errors = _watch_errors(page)
    page.goto("/signup")
    page.get_by_label("Username").fill("patient_pat")
    page.get_by_label("Display name (optional)").fill("Pat")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    api_signup(surge_server, "early_bird", "Early")  # takes this second's only place
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="You are in line")).to_be_visible()
    page.screenshot(path=screenshot_dir / "surge-phone-en-light.png", full_page=True)
    # No click: the countdown re-posts the same values, password included, and they go through.
    expect(page).to_have_url(re.compile(r"/onboarding$"), timeout=10_000)
    expect(page.get_by_text("Welcome to Redleaf! Your account is ready.")).to_be_visible()
    context.close()
    assert [e for e in errors if "503" not in e] == []
