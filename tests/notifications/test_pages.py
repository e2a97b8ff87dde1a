"""The notifications page, driven as a browser without JavaScript drives it, in both languages."""

from __future__ import annotations

import re

import httpx

from redleaf.accounts.models import Account
from redleaf.kit.runtime import Runtime
from tests.accounts.factories import make_account
from tests.accounts.test_pages import assert_no_inline_code, csrf_of, log_in
from tests.notifications.factories import make_comment, make_note, notify, unread_of


async def _busy_author(runtime: Runtime) -> Account:
    """An author with 13 likes on one note, a comment, and a new follower."""
    author = await make_account(runtime, "author")
    note = await make_note(runtime, author, cover={"url": "/media/n/360.jpg", "width": 360})
    for n in range(1, 14):
        fan = await make_account(runtime, f"fan{n}", display_name=f"Fan {n}")
        await notify(runtime, recipient_id=author.id, kind="like", actor_id=fan.id, note_id=note.id)
    critic = await make_account(runtime, "critic", display_name="<b>Critic</b>")
    comment = await make_comment(runtime, note, critic, "Too spicy <script>alert(1)</script>")
    await notify(
        runtime,
        recipient_id=author.id,
        kind="comment",
        actor_id=critic.id,
        note_id=note.id,
        comment_id=comment.id,
    )
    await notify(runtime, recipient_id=author.id, kind="follow", actor_id=critic.id)
    return author


async def test_visitors_are_invited_to_log_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/notifications")
    assert response.status_code == 200
    assert "No notifications yet" in response.text
    assert 'href="/login?next=/notifications"' in response.text
    assert "data-notifications-list" not in response.text
    assert_no_inline_code(response.text)


async def test_the_page_lists_grouped_lines(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await _busy_author(runtime)
    await log_in(client, "author")
    response = await client.get("/notifications")
    assert response.status_code == 200
    html = response.text
    assert "<strong>Fan 13</strong>, <strong>Fan 12</strong> and 11 others liked your note" in html
    assert "15 unread" in html
    assert "Mark all as read" in html
    # The nav badge is rendered by the server here, and the live script is loaded.
    assert re.search(r"data-notifications-badge[^>]*><span data-count>15</span>", html)
    assert "/static/js/notifications.js" in html
    assert html.count('class="notif is-unread"') == 3
    # Member text is escaped, never markup.
    assert "&lt;b&gt;Critic&lt;/b&gt;" in html and "<b>Critic</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'src="/media/n/360.jpg"' in html
    assert 'action="/u/critic/follow"' in html  # follow back
    assert "Likes and collects" in html and "New followers" in html
    assert_no_inline_code(html)


async def test_tabs_and_the_empty_state(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await _busy_author(runtime)
    await log_in(client, "author")
    likes = (await client.get("/notifications?tab=likes")).text
    assert "liked your note" in likes and "started following you" not in likes
    follows = (await client.get("/notifications?tab=follows")).text
    assert "started following you" in follows and "liked your note" not in follows
    unknown = await client.get("/notifications?tab=pokes")
    assert unknown.status_code == 200  # an unknown tab shows them all

    await make_account(runtime, "newcomer")
    client.cookies.clear()
    await log_in(client, "newcomer")
    empty = (await client.get("/notifications")).text
    assert "No notifications yet" in empty
    assert "Mark all as read" not in empty
    assert "All caught up" in empty


async def test_mark_all_as_read_without_javascript(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await _busy_author(runtime)
    await log_in(client, "author")
    opened = await client.get("/notifications?tab=likes")
    done = await client.post(
        "/notifications/read",
        data={"csrf_token": csrf_of(opened.text), "next": "/notifications?tab=likes"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/notifications?tab=likes"
    assert await unread_of(runtime, author) == 0
    again = (await client.get("/notifications")).text
    assert 'class="notif is-unread"' not in again
    assert "All caught up" in again

    forged = await client.post("/notifications/read", data={"next": "/"})
    assert forged.status_code == 403


async def test_the_page_in_chinese(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await _busy_author(runtime)
    await log_in(client, "author")
    client.cookies.set("redleaf_lang", "zh-Hans")
    html = (await client.get("/notifications")).text
    assert '<html lang="zh-Hans">' in html
    assert "<strong>Fan 13</strong>、<strong>Fan 12</strong> 等 13 人赞了你的笔记" in html
    assert "15 条未读" in html
    assert "全部标为已读" in html
    assert "赞和收藏" in html and "评论和@" in html and "新增关注" in html
    assert "刚刚" in html


async def test_other_pages_carry_the_badge_for_members_only(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    visitor = (await client.get("/guidelines")).text
    assert "data-notifications-badge" not in visitor
    assert "notifications.js" not in visitor
    await make_account(runtime, "author")
    await log_in(client, "author")
    member = (await client.get("/guidelines")).text
    assert 'data-stream="/api/v1/notifications/stream"' in member
    assert "notifications.js" in member
