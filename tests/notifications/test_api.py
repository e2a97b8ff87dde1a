"""The notifications API: the grouped list, the unread count, marking read, and follow
notifications made through the accounts API."""

from __future__ import annotations

import httpx
import pytest

from redleaf.kit.runtime import Runtime
from tests.accounts.factories import make_account, token_headers
from tests.notifications.factories import make_note, notify


async def _two_members(
    client: httpx.AsyncClient, runtime: Runtime
) -> tuple[dict[str, str], dict[str, str]]:
    await make_account(runtime, "lily", display_name="Lily")
    await make_account(runtime, "mei", display_name="美美")
    return await token_headers(client, "lily"), await token_headers(client, "mei")


async def test_the_list_needs_a_member(client: httpx.AsyncClient) -> None:
    for path in ("/api/v1/notifications", "/api/v1/notifications/unread-count"):
        response = await client.get(path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


async def test_follow_notifies_and_unfollow_withdraws(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily, mei = await _two_members(client, runtime)
    assert (await client.post("/api/v1/users/lily/follow", headers=mei)).status_code == 204

    count = await client.get("/api/v1/notifications/unread-count", headers=lily)
    assert count.json() == {"count": 1, "by_kind": {"follow": 1}}
    listing = (await client.get("/api/v1/notifications", headers=lily)).json()
    assert listing["next_cursor"] is None
    [item] = listing["items"]
    assert item["kind"] == "follow"
    assert item["text"] == "美美 started following you"
    assert item["actors"][0]["username"] == "mei"
    assert item["actors"][0]["avatar_url"].startswith("/u/mei/avatar.svg")
    assert item["url"] == "/u/mei"
    assert item["follow_back"] is True
    assert item["unread"] is True
    assert isinstance(item["id"], str) and item["created_at"].endswith(("Z", "+00:00"))

    # Following back answers the "follow back" question.
    assert (await client.post("/api/v1/users/mei/follow", headers=lily)).status_code == 204
    [item] = (await client.get("/api/v1/notifications", headers=lily)).json()["items"]
    assert item["follow_back"] is False

    assert (await client.delete("/api/v1/users/lily/follow", headers=mei)).status_code == 204
    assert (await client.get("/api/v1/notifications", headers=lily)).json()["items"] == []

    # Seen, then unfollowed and followed again: still one notification.
    await client.post("/api/v1/users/lily/follow", headers=mei)
    read = await client.post("/api/v1/notifications/read", json={"all": True}, headers=lily)
    assert read.status_code == 204
    await client.delete("/api/v1/users/lily/follow", headers=mei)
    await client.post("/api/v1/users/lily/follow", headers=mei)
    items = (await client.get("/api/v1/notifications", headers=lily)).json()["items"]
    assert len(items) == 1 and items[0]["unread"] is False


async def test_lines_follow_accept_language(client: httpx.AsyncClient, runtime: Runtime) -> None:
    lily, mei = await _two_members(client, runtime)
    await client.post("/api/v1/users/lily/follow", headers=mei)
    response = await client.get(
        "/api/v1/notifications", headers={**lily, "Accept-Language": "zh-Hans"}
    )
    assert response.json()["items"][0]["text"] == "美美开始关注你了"


async def test_tabs_cursor_and_their_errors(client: httpx.AsyncClient, runtime: Runtime) -> None:
    lily, _mei = await _two_members(client, runtime)
    author = await make_account(runtime, "author")
    headers = await token_headers(client, "author")
    for n in range(3):
        note = await make_note(runtime, author, title=f"Note {n}")
        fan = await make_account(runtime)
        await notify(runtime, recipient_id=author.id, kind="like", actor_id=fan.id, note_id=note.id)
    first = (await client.get("/api/v1/notifications?limit=2", headers=headers)).json()
    assert [i["note"]["title"] for i in first["items"]] == ["Note 2", "Note 1"]
    rest = await client.get(
        f"/api/v1/notifications?limit=2&cursor={first['next_cursor']}", headers=headers
    )
    assert [i["note"]["title"] for i in rest.json()["items"]] == ["Note 0"]
    assert rest.json()["next_cursor"] is None

    likes = await client.get("/api/v1/notifications?tab=likes", headers=headers)
    assert len(likes.json()["items"]) == 3
    follows = await client.get("/api/v1/notifications?tab=follows", headers=headers)
    assert follows.json()["items"] == []

    bad_tab = await client.get("/api/v1/notifications?tab=pokes", headers=headers)
    assert bad_tab.status_code == 400 and bad_tab.json()["error"]["code"] == "invalid_tab"
    bad_cursor = await client.get("/api/v1/notifications?cursor=nonsense", headers=headers)
    assert bad_cursor.status_code == 400
    assert bad_cursor.json()["error"]["code"] == "invalid_cursor"
    assert (await client.get("/api/v1/notifications", headers=lily)).json()["items"] == []


async def test_mark_read_by_group_and_id(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "author")
    headers = await token_headers(client, "author")
    fan = await make_account(runtime)
    notes = [await make_note(runtime, author) for _ in range(2)]
    for note in notes:
        await notify(runtime, recipient_id=author.id, kind="like", actor_id=fan.id, note_id=note.id)
    items = (await client.get("/api/v1/notifications", headers=headers)).json()["items"]
    by_group = await client.post(
        "/api/v1/notifications/read", json={"groups": [items[0]["group"]]}, headers=headers
    )
    assert by_group.status_code == 204
    count = (await client.get("/api/v1/notifications/unread-count", headers=headers)).json()
    assert count["count"] == 1
    by_id = await client.post(
        "/api/v1/notifications/read", json={"ids": [items[1]["id"]]}, headers=headers
    )
    assert by_id.status_code == 204
    count = (await client.get("/api/v1/notifications/unread-count", headers=headers)).json()
    assert count == {"count": 0, "by_kind": {}}


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "nothing_to_mark"),
        ({"ids": ["12x"]}, "invalid_notification_id"),
        ({"ids": ["9" * 25]}, "invalid_notification_id"),
        ({"ids": [str(n) for n in range(101)]}, "too_many"),
        ({"groups": ["x" * 81]}, "invalid_notification_group"),
    ],
)
async def test_mark_read_refuses_what_it_cannot_mean(
    client: httpx.AsyncClient, runtime: Runtime, body: dict[str, object], code: str
) -> None:
    await make_account(runtime, "author")
    headers = await token_headers(client, "author")
    response = await client.post("/api/v1/notifications/read", json=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


async def test_mark_read_with_the_session_cookie_needs_the_csrf_header(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    from tests.accounts.test_pages import log_in

    await make_account(runtime, "author")
    await log_in(client, "author")
    refused = await client.post("/api/v1/notifications/read", json={"all": True})
    assert refused.status_code == 403
    token = client.cookies.get("redleaf_csrf")
    accepted = await client.post(
        "/api/v1/notifications/read",
        json={"all": True},
        headers={"X-CSRF-Token": token or "", "Origin": "http://testserver"},
    )
    assert accepted.status_code == 204
