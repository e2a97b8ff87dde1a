"""Likes, collects into boards, comments and their counters, through the JSON API."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Note
from tests.accounts.factories import make_account, token_headers
from tests.notes.factories import make_note


async def _counts(client: httpx.AsyncClient, note_id: object) -> dict[str, int]:
    return (await client.get(f"/api/v1/notes/{note_id}")).json()["counts"]  # type: ignore[no-any-return]


async def test_like_and_unlike_count_once(client: httpx.AsyncClient, runtime: Runtime) -> None:
    lily = await make_account(runtime, "lily")
    note = await make_note(runtime, lily)
    await make_account(runtime, "jake")
    jake = await token_headers(client, "jake")
    for _ in range(2):
        assert (await client.post(f"/api/v1/notes/{note.id}/like", headers=jake)).status_code == 204
    assert (await _counts(client, note.id))["likes"] == 1
    seen = (await client.get(f"/api/v1/notes/{note.id}", headers=jake)).json()
    assert seen["viewer"]["liked"] is True
    for _ in range(2):
        await client.delete(f"/api/v1/notes/{note.id}/like", headers=jake)
    assert (await _counts(client, note.id))["likes"] == 0
    private = await make_note(runtime, lily, title="Secret", visibility="private")
    assert (await client.post(f"/api/v1/notes/{private.id}/like", headers=jake)).status_code == 404


async def test_concurrent_likes_stay_exact(
    client: httpx.AsyncClient, runtime: Runtime, is_postgres: bool
) -> None:
    """Many members like one note at once, twice each; the counter equals the rows."""
    if not is_postgres:
        pytest.skip("true concurrency needs PostgreSQL; SQLite has one writer")
    lily = await make_account(runtime, "lily")
    note = await make_note(runtime, lily)
    members = 24
    headers = []
    for i in range(members):
        await make_account(runtime, f"fan{i}")
        headers.append(await token_headers(client, f"fan{i}"))

    async def tap(h: dict[str, str]) -> None:
        for _ in range(2):
            response = await client.post(f"/api/v1/notes/{note.id}/like", headers=h)
            assert response.status_code == 204, response.text

    await asyncio.gather(*(tap(h) for h in headers))
    assert (await _counts(client, note.id))["likes"] == members

    async def untap(h: dict[str, str]) -> None:
        await client.delete(f"/api/v1/notes/{note.id}/like", headers=h)
        await client.post(f"/api/v1/notes/{note.id}/like", headers=h)
        await client.delete(f"/api/v1/notes/{note.id}/like", headers=h)

    await asyncio.gather(*(untap(h) for h in headers[: members // 2]))
    assert (await _counts(client, note.id))["likes"] == members - members // 2
    async with runtime.sessions() as session:
        from sqlalchemy import func, select

        from redleaf.notes.models import Like

        rows = await session.scalar(select(func.count()).where(Like.note_id == note.id))
        stored = await session.get(Note, note.id)
        assert stored is not None and stored.like_count == rows


async def test_boards_collect_move_and_privacy(client: httpx.AsyncClient, runtime: Runtime) -> None:
    lily = await make_account(runtime, "lily")
    note = await make_note(runtime, lily)
    await make_account(runtime, "jake")
    jake = await token_headers(client, "jake")
    trips = (await client.post("/api/v1/boards", headers=jake, json={"name": "Trip ideas"})).json()
    secret = (
        await client.post(
            "/api/v1/boards", headers=jake, json={"name": "想去的地方", "private": True}
        )
    ).json()
    duplicate = await client.post("/api/v1/boards", headers=jake, json={"name": "Trip ideas"})
    assert duplicate.status_code == 409
    too_long = await client.post("/api/v1/boards", headers=jake, json={"name": "x" * 31})
    assert too_long.json()["error"]["code"] == "board_name_too_long"

    added = await client.post(
        f"/api/v1/boards/{trips['id']}/notes", headers=jake, json={"note_id": str(note.id)}
    )
    assert added.status_code == 201
    assert (await _counts(client, note.id))["collects"] == 1
    board = (await client.get(f"/api/v1/boards/{trips['id']}")).json()
    assert board["note_count"] == 1
    assert len(board["covers"]) == 1

    # Move to the private board: still one collect.
    await client.post(
        f"/api/v1/notes/{note.id}/collect", headers=jake, json={"board_id": secret["id"]}
    )
    assert (await _counts(client, note.id))["collects"] == 1
    assert (await client.get(f"/api/v1/boards/{trips['id']}")).json()["note_count"] == 0
    viewer = (await client.get(f"/api/v1/notes/{note.id}", headers=jake)).json()["viewer"]
    assert viewer == {
        "collected": True,
        "liked": False,
        "board_id": secret["id"],
        "is_author": False,
    }

    # A private board is the owner's alone.
    assert (await client.get(f"/api/v1/boards/{secret['id']}")).status_code == 404
    listed = (await client.get("/api/v1/users/jake/boards")).json()["items"]
    assert [b["name"] for b in listed] == ["Trip ideas"]
    mine = (await client.get("/api/v1/me/boards", headers=jake)).json()["items"]
    assert {b["name"] for b in mine} == {"Trip ideas", "想去的地方"}
    notes = (await client.get(f"/api/v1/boards/{secret['id']}/notes", headers=jake)).json()
    assert [n["id"] for n in notes["items"]] == [str(note.id)]
    # Someone else's board is not yours to fill.
    lily_headers = await token_headers(client, "lily")
    foreign = await client.post(
        f"/api/v1/boards/{trips['id']}/notes", headers=lily_headers, json={"note_id": str(note.id)}
    )
    assert foreign.status_code == 404

    renamed = await client.patch(
        f"/api/v1/boards/{trips['id']}", headers=jake, json={"name": "Trips", "private": True}
    )
    assert renamed.json()["name"] == "Trips" and renamed.json()["private"] is True
    assert (await client.delete(f"/api/v1/boards/{secret['id']}", headers=jake)).status_code == 204
    # The note stays collected, outside any board.
    collects = (await client.get("/api/v1/users/jake/collects", headers=jake)).json()["items"]
    assert [n["id"] for n in collects] == [str(note.id)]
    await client.delete(f"/api/v1/notes/{note.id}/collect", headers=jake)
    assert (await _counts(client, note.id))["collects"] == 0


async def test_comments_replies_likes_and_deletion(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await make_account(runtime, "lily")
    note = await make_note(runtime, lily)
    for name in ("jake", "mei", "sam"):
        await make_account(runtime, name)
    jake, mei, sam = [await token_headers(client, n) for n in ("jake", "mei", "sam")]
    lily_h = await token_headers(client, "lily")
    url = f"/api/v1/notes/{note.id}/comments"

    top = (await client.post(url, headers=jake, json={"body": "Looks amazing!"})).json()
    reply = (
        await client.post(url, headers=mei, json={"body": "同意", "reply_to": top["id"]})
    ).json()
    assert reply["parent_id"] == top["id"] and reply["reply_to"] is None
    # A reply to a reply stays one level deep and names who it answers.
    deeper = (
        await client.post(url, headers=sam, json={"body": "me too", "reply_to": reply["id"]})
    ).json()
    assert deeper["parent_id"] == top["id"]
    assert deeper["reply_to"]["username"] == "mei"
    other = (await client.post(url, headers=sam, json={"body": "Second"})).json()

    listed = (await client.get(url)).json()
    assert [c["id"] for c in listed["items"]] == [other["id"], top["id"]]
    assert [r["id"] for r in listed["items"][1]["replies"]] == [reply["id"], deeper["id"]]
    assert listed["items"][1]["counts"]["replies"] == 2
    assert (await _counts(client, note.id))["comments"] == 4

    assert (await client.post(url, headers=jake, json={"body": "   "})).status_code == 400
    long = await client.post(url, headers=jake, json={"body": "x" * 501})
    assert long.json()["error"]["code"] == "comment_too_long"

    await client.post(f"/api/v1/comments/{top['id']}/like", headers=mei)
    await client.post(f"/api/v1/comments/{top['id']}/like", headers=mei)
    liked = (await client.get(url, headers=mei)).json()["items"][1]
    assert liked["counts"]["likes"] == 1 and liked["viewer"]["liked"] is True

    # Only the comment's author or the note's author may delete.
    assert (await client.delete(f"/api/v1/comments/{reply['id']}", headers=sam)).status_code == 403
    assert (await client.delete(f"/api/v1/comments/{reply['id']}", headers=mei)).status_code == 204
    assert (await _counts(client, note.id))["comments"] == 3
    # The note's author deletes a thread: its replies go with it.
    assert (await client.delete(f"/api/v1/comments/{top['id']}", headers=lily_h)).status_code == 204
    assert (await _counts(client, note.id))["comments"] == 1
    replies = await client.get(f"/api/v1/comments/{top['id']}/replies")
    assert replies.status_code == 404


async def test_comment_pages_and_blocked_commenters(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await make_account(runtime, "lily")
    note = await make_note(runtime, lily)
    await make_account(runtime, "jake")
    jake = await token_headers(client, "jake")
    url = f"/api/v1/notes/{note.id}/comments"
    top = (await client.post(url, headers=jake, json={"body": "first"})).json()
    for i in range(5):
        await client.post(url, headers=jake, json={"body": f"reply {i}", "reply_to": top["id"]})
    listed = (await client.get(url)).json()["items"]
    assert len(listed[0]["replies"]) == 3
    page = (await client.get(f"/api/v1/comments/{top['id']}/replies?limit=4")).json()
    assert [r["body"] for r in page["items"]] == [f"reply {i}" for i in range(4)]
    rest = (
        await client.get(f"/api/v1/comments/{top['id']}/replies?cursor={page['next_cursor']}")
    ).json()
    assert [r["body"] for r in rest["items"]] == ["reply 4"]
    # Lily blocks Jake: his comments disappear for her, and he can no longer reach the note.
    lily_h = await token_headers(client, "lily")
    await client.post("/api/v1/users/jake/block", headers=lily_h)
    assert (await client.get(url, headers=lily_h)).json()["items"] == []
    assert (await client.post(url, headers=jake, json={"body": "hello?"})).status_code == 404


async def test_a_member_who_leaves_takes_their_counts_with_them(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await make_account(runtime, "lily")
    note = await make_note(
        runtime, lily, place={"name": "Chengdu", "name_zh": "成都", "lat": 30.6, "lon": 104.0}
    )
    await make_account(runtime, "jake")
    jake = await token_headers(client, "jake")
    lily_h = await token_headers(client, "lily")
    mei_h = await _member_headers(client, runtime, "mei")
    url = f"/api/v1/notes/{note.id}/comments"
    await client.post(f"/api/v1/notes/{note.id}/like", headers=jake)
    await client.post(f"/api/v1/notes/{note.id}/collect", headers=jake)
    top = (await client.post(url, headers=jake, json={"body": "first"})).json()
    await client.post(url, headers=mei_h, json={"body": "reply", "reply_to": top["id"]})
    lily_top = (await client.post(url, headers=lily_h, json={"body": "thanks"})).json()
    await client.post(
        url, headers=jake, json={"body": "you're welcome", "reply_to": lily_top["id"]}
    )
    await client.post(f"/api/v1/comments/{lily_top['id']}/like", headers=jake)
    # Jake's own note, collected into Mei's board.
    jake_note = (await client.post("/api/v1/notes", headers=jake, json={"title": "Mine"})).json()
    board = (await client.post("/api/v1/boards", headers=mei_h, json={"name": "Saved"})).json()
    await client.post(
        f"/api/v1/boards/{board['id']}/notes", headers=mei_h, json={"note_id": jake_note["id"]}
    )
    assert (await _counts(client, note.id)) == {
        "likes": 1,
        "collects": 1,
        "comments": 4,
        "views": 0,
    }

    left = await client.request(
        "DELETE", "/api/v1/me", headers=jake, json={"password": "plum-blossom-42"}
    )
    assert left.status_code == 204, left.text
    assert (await _counts(client, note.id)) == {
        "likes": 0,
        "collects": 0,
        "comments": 1,
        "views": 0,
    }
    thread = (await client.get(url)).json()["items"]
    assert [(c["body"], c["counts"]) for c in thread] == [("thanks", {"likes": 0, "replies": 0})]
    assert (await client.get(f"/api/v1/boards/{board['id']}")).json()["note_count"] == 0


async def _member_headers(client: httpx.AsyncClient, runtime: Runtime, name: str) -> dict[str, str]:
    await make_account(runtime, name)
    return await token_headers(client, name)
