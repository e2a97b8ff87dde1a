"""Notes through the JSON API: writing, reading, who may see what."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from redleaf.kit.runtime import Runtime
from tests.accounts.factories import make_account, token_headers
from tests.notes.factories import make_note


async def _member(client: httpx.AsyncClient, runtime: Runtime, name: str) -> dict[str, str]:
    await make_account(runtime, name)
    return await token_headers(client, name)


async def test_text_note_with_tags_mentions_and_place(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await _member(client, runtime, "lily")
    await make_account(runtime, "mei")
    response = await client.post(
        "/api/v1/notes",
        headers=lily,
        json={
            "title": "成都火锅攻略",
            "body": "和 @mei 一起去吃了 #火锅 #成都# 超级好吃 #OOTD",
            "tags": ["travel", "#火锅"],
            "place": {"name": "Chengdu", "name_zh": "成都", "lat": 30.657, "lon": 104.066},
        },
    )
    assert response.status_code == 201, response.text
    note = response.json()
    assert note["state"] == "published"
    assert note["kind"] == "text"
    assert note["tags"] == ["travel", "火锅", "成都", "ootd"]
    assert note["lang"] == "zh-Hans"
    assert note["mentions"] == [{"username": "mei", "display_name": "mei"}]
    assert note["place"]["name_zh"] == "成都"
    assert note["counts"] == {"likes": 0, "collects": 0, "comments": 0, "views": 0}
    assert note["author"]["username"] == "lily"
    assert note["viewer"]["is_author"] is True

    # The same place named again within ~100 m is the same place.
    again = await client.post(
        "/api/v1/notes",
        headers=lily,
        json={
            "title": "Again",
            "place": {"name": "Chengdu", "name_zh": "成都", "lat": 30.6571, "lon": 104.0661},
        },
    )
    assert again.json()["place"]["id"] == note["place"]["id"]

    anonymous = await client.get(f"/api/v1/notes/{note['id']}")
    assert anonymous.status_code == 200
    assert anonymous.json()["viewer"] is None


async def test_note_limits_are_explained(client: httpx.AsyncClient, runtime: Runtime) -> None:
    lily = await _member(client, runtime, "lily")
    cases = [
        ({"title": "x" * 41}, "title_too_long", "title"),
        ({"title": "ok", "body": "y" * 1001}, "body_too_long", "body"),
        ({"title": "ok", "tags": [f"t{i}" for i in range(11)]}, "too_many_tags", "tags"),
        ({"title": "ok", "body": " ".join(f"#t{i}" for i in range(11))}, "too_many_tags", "tags"),
        ({"title": "", "body": "  "}, "empty_note", "title"),
        ({"title": "ok", "text_style": 9}, "invalid_text_style", "text_style"),
        ({"title": "ok", "place": {"name": "X", "lat": 91, "lon": 0}}, "invalid_place", "place"),
        ({"title": "ok", "place": {"name": "X", "lat": 1}}, "invalid_place", "place"),
        ({"title": "ok", "media_ids": ["12345"]}, None, "media_ids"),
    ]
    for body, code, field in cases:
        response = await client.post("/api/v1/notes", headers=lily, json=body)
        assert response.status_code == 400, (body, response.text)
        error = response.json()["error"]
        if code:
            assert error["code"] == code
        assert error["field"] == field
    chinese = await client.post(
        "/api/v1/notes", headers={**lily, "Accept-Language": "zh-Hans"}, json={"title": "x" * 41}
    )
    assert "40" in chinese.json()["error"]["message"]
    assert "标题" in chinese.json()["error"]["message"]
    wrong_shape = await client.post("/api/v1/notes", headers=lily, json={"visibility": "friends"})
    assert wrong_shape.status_code == 422
    anonymous = await client.post("/api/v1/notes", json={"title": "hi"})
    assert anonymous.status_code == 401


async def test_visibility_blocks_and_drafts(client: httpx.AsyncClient, runtime: Runtime) -> None:
    lily = await _member(client, runtime, "lily")
    jake = await _member(client, runtime, "jake")
    mei = await _member(client, runtime, "mei")
    await client.post("/api/v1/users/lily/follow", headers=jake)

    async def post(**body: object) -> str:
        response = await client.post("/api/v1/notes", headers=lily, json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    public = await post(title="Public")
    followers = await post(title="Followers", visibility="followers")
    private = await post(title="Only me", visibility="private")
    draft = await post(title="Draft", draft=True)

    async def sees(headers: dict[str, str] | None, note_id: str) -> bool:
        response = await client.get(f"/api/v1/notes/{note_id}", headers=headers or {})
        assert response.status_code in (200, 404)
        return response.status_code == 200

    assert [await sees(lily, n) for n in (public, followers, private, draft)] == [True] * 4
    assert [await sees(jake, n) for n in (public, followers, private, draft)] == [
        True,
        True,
        False,
        False,
    ]
    assert [await sees(mei, n) for n in (public, followers, private, draft)] == [
        True,
        False,
        False,
        False,
    ]
    assert [await sees(None, n) for n in (public, followers, private, draft)] == [
        True,
        False,
        False,
        False,
    ]
    # Listing a member's notes applies the same rule; the author also sees drafts.
    own = await client.get("/api/v1/users/lily/notes", headers=lily)
    assert {n["title"] for n in own.json()["items"]} == {"Public", "Followers", "Only me", "Draft"}
    theirs = await client.get("/api/v1/users/lily/notes", headers=jake)
    assert {n["title"] for n in theirs.json()["items"]} == {"Public", "Followers"}

    # A block hides everything both ways.
    await client.post("/api/v1/users/mei/block", headers=lily)
    assert not await sees(mei, public)
    explore = await client.get("/api/v1/feeds/explore", headers=mei)
    assert explore.json()["items"] == []

    # Publishing a draft.
    published = await client.patch(f"/api/v1/notes/{draft}", headers=lily, json={"draft": False})
    assert published.json()["state"] == "published"
    assert await sees(jake, draft)
    back = await client.patch(f"/api/v1/notes/{draft}", headers=lily, json={"draft": True})
    assert back.status_code == 400


async def test_edit_and_delete_only_by_the_author(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await _member(client, runtime, "lily")
    jake = await _member(client, runtime, "jake")
    created = await client.post(
        "/api/v1/notes",
        headers=lily,
        json={"title": "Dumplings", "body": "#food yum", "tags": ["x"]},
    )
    note_id = created.json()["id"]
    assert (
        await client.patch(f"/api/v1/notes/{note_id}", headers=jake, json={"title": "Mine"})
    ).status_code == 404
    edited = await client.patch(
        f"/api/v1/notes/{note_id}", headers=lily, json={"body": "#dimsum even better"}
    )
    assert edited.status_code == 200
    assert edited.json()["tags"] == ["x", "dimsum"]  # the old body's #food went with it
    assert edited.json()["edited_at"] is not None
    assert (await client.delete(f"/api/v1/notes/{note_id}", headers=jake)).status_code == 404
    assert (await client.delete(f"/api/v1/notes/{note_id}", headers=lily)).status_code == 204
    assert (await client.get(f"/api/v1/notes/{note_id}", headers=lily)).status_code == 404


async def test_explore_is_newest_first_with_cursor_and_tag(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await make_account(runtime, "lily")
    jake = await make_account(runtime, "jake")
    for i in range(5):
        await make_note(runtime, lily, title=f"Lily {i}", body="#travel")
    await make_note(runtime, jake, title="Jake food", body="#food")
    await make_note(runtime, jake, title="Jake private", visibility="private")
    first = (await client.get("/api/v1/feeds/explore?limit=4")).json()
    assert [n["title"] for n in first["items"]] == ["Jake food", "Lily 4", "Lily 3", "Lily 2"]
    second = (
        await client.get(f"/api/v1/feeds/explore?limit=4&cursor={first['next_cursor']}")
    ).json()
    assert [n["title"] for n in second["items"]] == ["Lily 1", "Lily 0"]
    assert second["next_cursor"] is None
    food = (await client.get("/api/v1/feeds/explore?channel=Food")).json()
    assert [n["title"] for n in food["items"]] == ["Jake food"]
    bad = await client.get("/api/v1/feeds/explore?cursor=nonsense")
    assert bad.status_code == 400

    # Muting hides a member's notes from the muter's Explore.
    headers = await token_headers(client, "lily")
    await client.post("/api/v1/users/jake/mute", headers=headers)
    mine = (await client.get("/api/v1/feeds/explore", headers=headers)).json()
    assert all(n["author"]["username"] == "lily" for n in mine["items"])


async def test_views_count_once_per_viewer_per_day(
    client: httpx.AsyncClient, runtime: Runtime, app: FastAPI
) -> None:
    lily = await make_account(runtime, "lily")
    note = await make_note(runtime, lily)
    jake = await _member(client, runtime, "jake")
    for _ in range(3):
        assert (await client.post(f"/api/v1/notes/{note.id}/view", headers=jake)).status_code == 204
        await client.post(f"/api/v1/notes/{note.id}/view")  # a visitor, same browser
    from tests.conftest import http_client

    async with http_client(app, ip="198.51.100.7") as elsewhere:
        await elsewhere.post(f"/api/v1/notes/{note.id}/view")
    counts = (await client.get(f"/api/v1/notes/{note.id}")).json()["counts"]
    assert counts["views"] == 3


async def test_mentions_skip_oneself_unknown_names_and_blocks(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    lily = await _member(client, runtime, "lily")
    jake = await _member(client, runtime, "jake")
    await make_account(runtime, "mei")
    await client.post("/api/v1/users/lily/block", headers=jake)
    note = await client.post(
        "/api/v1/notes",
        headers=lily,
        json={"title": "Hi", "body": "@mei @jake @lily @nobody @MEI"},
    )
    assert [m["username"] for m in note.json()["mentions"]] == ["mei"]
