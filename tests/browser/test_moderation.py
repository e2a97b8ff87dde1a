"""Moderation end to end in a real browser, across both interfaces: an English member reports a
Chinese note; an English moderator reviews it with its translation beside it and removes it;
the Chinese author reads the notice in Chinese and appeals; a Chinese-speaking moderator (not
the one who decided) reverses the decision, and the note is back for everyone."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.people import PASSWORD, api_signup
from tests.live_server import ROOT, SHARED_CACHE
from tests.live_server import live_server as serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server of its own, whose database this test can reach with `redleaf set-role`."""
    tmp = tmp_path_factory.mktemp("moderation")
    with serve(tmp, REDLEAF_RATE_SIGNUP_PER_IP="100/hour") as url:
        yield url, tmp


def _set_role(tmp: Path, username: str, role: str) -> None:
    environment = {
        **os.environ,
        "REDLEAF_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'live.db'}",
        "REDLEAF_VAR_DIR": str(tmp / "var"),
        "REDLEAF_CACHE_DIR": str(SHARED_CACHE),
        "REDLEAF_SECRET_KEY": "live-server-test-key",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "redleaf.cli", "set-role", username, role],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"member -> {role}" in done.stdout


def _signed_in(browser: Browser, base_url: str, username: str, locale: str) -> Page:
    context = browser.new_context(base_url=base_url, locale=locale)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.errors = errors  # type: ignore[attr-defined]
    return page


def test_report_review_notice_appeal_reversal(
    browser: Browser, server: tuple[str, Path], screenshot_dir: Path
) -> None:
    base_url, tmp = server
    api_signup(base_url, "mei_chen", "美美", "zh-Hans")
    api_signup(base_url, "lily_r", "Lily", "en")
    api_signup(base_url, "mod_ann", "Ann", "en")
    api_signup(base_url, "mod_wang", "王版主", "zh-Hans")
    _set_role(tmp, "mod_ann", "moderator")
    _set_role(tmp, "mod_wang", "moderator")
    token = httpx.post(
        f"{base_url}/api/v1/auth/tokens",
        json={"username": "mei_chen", "password": PASSWORD, "name": "browser test"},
    ).json()["token"]
    made = httpx.post(
        f"{base_url}/api/v1/notes",
        json={"title": "周末夜市", "body": "今天去夜市吃了烤串，太好吃了"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert made.status_code == 201, made.text
    note_url = f"/notes/{made.json()['id']}"

    # 1. An English member reports it from the note page.
    lily = _signed_in(browser, base_url, "lily_r", "en-US")
    lily.goto(note_url)
    lily.locator("a[href^='/report?type=note']").first.click()
    lily.get_by_label("Spam or advertising").check()
    lily.get_by_label("Anything moderators should know (optional)").fill("Looks like an ad")
    lily.get_by_role("button", name="Send report").click()
    expect(lily.locator(".notice")).to_contain_text("Thank you for telling us")

    # 2. An English moderator opens the queue, then the case: the Chinese original beside its
    # English rendering (the dictionary gloss on a fresh machine), and removes the note.
    ann = _signed_in(browser, base_url, "mod_ann", "en-US")
    ann.goto("/mod")
    ann.locator("a[data-open]").first.click()
    expect(ann.locator(".side.original")).to_contain_text("今天去夜市吃了烤串")
    translated = ann.locator(".side.translated")
    expect(translated).to_contain_text("Dictionary gloss")
    expect(translated).not_to_contain_text("今天去夜市")
    expect(ann.locator(".case-reports")).to_contain_text("Looks like an ad")
    ann.screenshot(path=screenshot_dir / "moderation-case-en.png", full_page=True)
    ann.locator("input[name=action][value=remove]").check()
    ann.locator("select[name=reason]").select_option("spam")
    ann.get_by_role("button", name="Send the decision").click()
    expect(ann.locator(".notice")).to_be_visible()
    assert httpx.get(base_url + note_url).status_code == 404  # gone for everyone else

    # 3. The author reads the notice in Chinese, and appeals.
    mei = _signed_in(browser, base_url, "mei_chen", "zh-CN")
    mei.goto("/notifications")
    mei.locator(".notif-moderation a").click()
    notice = mei.locator(".mod-notice-decision").first
    expect(notice).to_contain_text("你的笔记已被移除。")
    expect(notice).to_contain_text("垃圾信息或广告")
    notice.locator("summary").click()
    notice.locator("textarea[name=text]").fill("这是我自己的夜市日记，不是广告")
    notice.get_by_role("button", name="提交申诉").click()
    expect(mei.locator("p.notice")).to_contain_text("申诉已提交")
    mei.screenshot(path=screenshot_dir / "moderation-notices-zh.png", full_page=True)

    # 4. The moderator who decided cannot review the appeal; another one, in Chinese, can.
    ann.goto("/mod?view=appeals")
    ann.locator("a[data-open]").first.click()
    expect(ann.locator(".appeal-review")).to_contain_text("a different moderator must review")
    expect(ann.locator("form[action$='/review']")).to_have_count(0)
    wang = _signed_in(browser, base_url, "mod_wang", "zh-CN")
    wang.goto("/mod?view=appeals")
    wang.locator("a[data-open]").first.click()
    expect(wang.locator(".appeal-text")).to_contain_text("不是广告")
    expect(wang.locator(".side.translated")).to_contain_text("词典释义")  # into English
    wang.locator("input[name=outcome][value=reversed]").check()
    wang.locator("textarea[name=response]").fill("已恢复，抱歉")
    wang.locator("form[action$='/review'] button[type=submit]").click()
    expect(wang.locator(".notice")).to_be_visible()

    # 5. The note is back, and the author is told.
    assert httpx.get(base_url + note_url).status_code == 200
    mei.goto("/notices")
    expect(mei.locator(".notices")).to_contain_text("我们已复核你的申诉，并撤销了该处理决定。")
    expect(mei.locator(".notices")).to_contain_text("已恢复，抱歉")
    for page in (lily, ann, mei, wang):
        assert page.errors == []  # type: ignore[attr-defined]
        page.context.close()
