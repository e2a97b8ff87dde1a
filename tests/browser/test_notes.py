"""The heart of the product in a real browser: a member composes a three-photo note in the
Chinese interface, watches the uploads, publishes; another member, in English, likes, collects
and comments, while the author sees the notifications arrive live."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.people import PASSWORD, api_signup

pytestmark = pytest.mark.browser


def _photos(folder: Path) -> list[Path]:
    paths = []
    for i, colour in enumerate(((230, 120, 90), (90, 160, 220), (120, 200, 140))):
        image = Image.new("RGB", (900, 1200), colour)
        for y in range(0, 1200, 40):  # some texture, so the JPEG is not trivially small
            image.paste((colour[0] // 2, colour[1], colour[2]), (0, y, 900, y + 8))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=90)
        path = folder / f"chengdu-{i}.jpg"
        path.write_bytes(buffer.getvalue())
        paths.append(path)
    return paths


def _log_in(
    page: Page, username: str, username_label: str, password_label: str, button: str
) -> None:
    page.goto("/login")
    page.get_by_label(username_label).fill(username)
    page.get_by_label(password_label, exact=True).fill(PASSWORD)
    page.get_by_role("button", name=button).click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def _watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def contexts(browser: Browser, base_url: str) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    author = browser.new_context(
        base_url=base_url, viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True
    )
    reader = browser.new_context(
        base_url=base_url, viewport={"width": 1280, "height": 800}, locale="en-US"
    )
    yield author, reader
    author.close()
    reader.close()


def test_compose_publish_and_react_live(
    contexts: tuple[BrowserContext, BrowserContext], base_url: str, tmp_path: Path
) -> None:
    api_signup(base_url, "xiaohong", "小红", "zh-Hans")
    api_signup(base_url, "jake_nyc", "Jake", "en")
    author_context, reader_context = contexts

    # The author composes in Chinese.
    author = author_context.new_page()
    author_errors = _watch_errors(author)
    _log_in(author, "xiaohong", "用户名", "密码", "登录")
    author.goto("/new")
    expect(author.locator("html")).to_have_attribute("lang", "zh-Hans")
    author.locator("[data-file-input]").set_input_files([str(p) for p in _photos(tmp_path)])
    tiles = author.locator("[data-tiles] .media-tile")
    expect(tiles).to_have_count(3)
    expect(tiles.first.locator("progress.media-progress")).to_be_attached()
    for i in range(3):
        expect(tiles.nth(i)).to_have_attribute("data-state", "ready", timeout=30_000)
    author.get_by_label("标题").fill("成都三日游")
    author.locator("#f-body").fill("火锅、熊猫和宽窄巷子 #成都 #旅行")
    author.get_by_role("button", name="发布").click()
    expect(author).to_have_url(re.compile(r"/notes/\d+$"), timeout=30_000)
    note_url = author.url
    expect(author.get_by_role("heading", name="成都三日游")).to_be_visible()
    expect(author.locator(".carousel img, [data-carousel] img")).to_have_count(3)

    # The author waits on the notifications page; it updates live.
    author.goto("/notifications")
    expect(author.locator("[data-notifications-summary]")).to_have_text("全部已读")

    # A reader in English likes, collects and comments.
    reader = reader_context.new_page()
    reader_errors = _watch_errors(reader)
    _log_in(reader, "jake_nyc", "Username", "Password", "Log in")
    reader.goto(note_url)
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    like = reader.locator("form[data-toggle=like] button")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    collect = reader.locator("form[data-toggle=collect] button")
    collect.click()
    expect(collect).to_have_attribute("aria-pressed", "true")
    picker = reader.locator("#board-picker")  # "Collected! Add it to a board"
    expect(picker).to_be_visible()
    picker.get_by_role("button", name="Done").click()
    expect(picker).to_be_hidden()
    reader.locator("#comment-body").fill("Adding Chengdu to my list! 🐼")
    reader.get_by_role("button", name="Send").click()
    expect(reader.locator("[data-comment-list]")).to_contain_text("Adding Chengdu to my list!")

    # ...and the author sees all three arrive without reloading, in Chinese.
    notifications = author.locator("[data-notifications-list] .notif")
    expect(notifications).to_have_count(3, timeout=15_000)
    expect(author.locator("[data-notifications-list]")).to_contain_text("Jake")
    expect(author.locator("[data-notifications-list]")).to_contain_text("赞了")
    expect(author.locator("[data-notifications-list]")).to_contain_text("收藏")
    expect(author.locator("[data-notifications-list]")).to_contain_text("评论")

    # The counts on the note agree.
    note_id = note_url.rsplit("/", 1)[1]
    counts = httpx.get(f"{base_url}/api/v1/notes/{note_id}").json()["counts"]
    assert counts["likes"] == 1 and counts["collects"] == 1 and counts["comments"] == 1
    assert author_errors == [] and reader_errors == []
