"""Translate / Show original in a real browser, in both interfaces: an English visitor reads a
Chinese note through the dictionary gloss (labelled as such, with pinyin), and a Chinese reader
reads an English note and its English comment."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.people import PASSWORD, api_signup
from tests.browser.test_notes import _log_in

pytestmark = pytest.mark.browser


def _note(base_url: str, username: str, title: str, body: str) -> str:
    token = httpx.post(
        f"{base_url}/api/v1/auth/tokens",
        json={"username": username, "password": PASSWORD, "name": "browser test"},
    ).json()["token"]
    made = httpx.post(
        f"{base_url}/api/v1/notes",
        json={"title": title, "body": body},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def test_translate_and_show_original_in_both_interfaces(
    browser: Browser, base_url: str, screenshot_dir: Path
) -> None:
    api_signup(base_url, "tang_yi", "唐毅", "zh-Hans")
    api_signup(base_url, "ella_m", "Ella", "en")
    zh_note = _note(base_url, "tang_yi", "成都火锅", "今天的火锅太好吃了 #成都美食\n人均 120 元 😋")
    en_note = _note(base_url, "ella_m", "Hot pot night", "I love hot pot with friends #food")

    # An English visitor on the Chinese note.
    english = browser.new_context(base_url=base_url, locale="en-US")
    page = english.new_page()
    errors = _errors(page)
    page.goto(f"/notes/{zh_note}")
    body = page.locator(".note-body")
    expect(body).to_contain_text("今天的火锅太好吃了")
    page.get_by_role("button", name="Translate").click()
    expect(page.get_by_role("button", name="Show original")).to_be_visible()
    expect(body).not_to_contain_text("今天的火锅")
    expect(body).to_contain_text("#成都美食")  # entities survive
    expect(body).to_contain_text("120")
    expect(page.locator(".translate-credit")).to_contain_text("Dictionary gloss (CC-CEDICT)")
    expect(page.locator(".gloss-reading").first).to_be_visible()  # pinyin for each word
    page.screenshot(path=screenshot_dir / "translate-gloss-en.png", full_page=True)
    page.get_by_role("button", name="Show original").click()
    expect(body).to_contain_text("今天的火锅太好吃了")
    expect(page.locator(".translate-credit")).to_be_hidden()

    # A comment that arrives through the scripts gets its button too.
    _log_in(page, "ella_m", "Username", "Password", "Log in")
    page.goto(f"/notes/{zh_note}")
    page.locator("#comment-body").fill("这家店在哪里？看起来太好吃了")
    page.get_by_role("button", name="Send").click()
    comment = page.locator("[data-comment-list] .comment").first
    expect(comment).to_contain_text("这家店在哪里")
    comment.get_by_role("button", name="Translate").click()
    expect(comment.locator(".comment-text")).not_to_contain_text("这家店")
    expect(comment.locator(".translate-credit")).to_contain_text("Dictionary gloss")
    assert errors == []
    english.close()

    # A Chinese reader on the English note, with a Chinese comment beside an English one.
    chinese = browser.new_context(base_url=base_url, locale="zh-CN")
    chinese.add_cookies([{"name": "redleaf_lang", "value": "zh-Hans", "url": base_url}])
    page = chinese.new_page()
    errors = _errors(page)
    page.goto(f"/notes/{en_note}")
    title = page.locator(".note-title")
    expect(title).to_have_text("Hot pot night")
    page.locator(".note-side .translate").get_by_role("button", name="翻译").click()
    expect(title).to_contain_text(re.compile("[\u4e00-\u9fff]"))
    expect(page.locator(".translate-credit")).to_contain_text("词典释义")
    expect(page.get_by_role("button", name="显示原文")).to_be_visible()
    page.screenshot(path=screenshot_dir / "translate-gloss-zh.png", full_page=True)
    assert errors == []
    chinese.close()
