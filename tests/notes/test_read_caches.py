"""The read paths' caches (notes/cache.py): what is shared, what never is, when a change shows,
and the settings that turn them off. A fake clock stands in for the seconds that pass."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from redleaf.kit.runtime import Runtime
from redleaf.kit.ttlcache import TTLCache
from redleaf.notes.cache import EXPLORE_PAGES, NOTE_PAGES, note_pages
from tests.accounts.factories import make_account, token_headers
from tests.accounts.test_pages import csrf_of
from tests.conftest import http_client
from tests.notes.factories import make_note
from tests.notes.test_pages import member_named


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _clocked(runtime: Runtime) -> Clock:
    """Both caches, as configured, on a clock the test moves."""
    clock = Clock()
    settings = runtime.settings
    runtime.extras[EXPLORE_PAGES] = TTLCache(
        settings.explore_cache_entries, settings.explore_cache_seconds, clock=clock
    )
    runtime.extras[NOTE_PAGES] = TTLCache(
        settings.note_page_cache_entries, settings.note_page_cache_seconds, clock=clock
    )
    return clock


async def _titles(client: httpx.AsyncClient, **headers: str) -> list[str]:
    response = await client.get("/api/v1/feeds/explore", headers=headers)
    assert response.status_code == 200, response.text
    return [note["title"] for note in response.json()["items"]]


# --- Explore -------------------------------------------------------------------------------------


async def test_explore_pages_are_shared_for_a_few_seconds(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    clock = _clocked(runtime)
    lily = await make_account(runtime, "lily")
    await make_note(runtime, lily, title="First")
    assert await _titles(client) == ["First"]
    await make_note(runtime, lily, title="Second")
    assert await _titles(client) == ["First"]  # the shared page, not yet a second old
    clock.now += runtime.settings.explore_cache_seconds
    assert await _titles(client) == ["Second", "First"]


async def test_members_see_their_own_flags_on_the_shared_page(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _clocked(runtime)
    jake = await make_account(runtime, "jake")
    note = await make_note(runtime, jake, title="Hotpot")
    await make_account(runtime, "lily")
    await make_account(runtime, "mei")
    lily = await token_headers(client, "lily")
    mei = await token_headers(client, "mei")
    jake_headers = await token_headers(client, "jake")
    anonymous = await client.get("/api/v1/feeds/explore")
    assert anonymous.json()["items"][0]["viewer"] is None

    # Likes made after the page was cached show at once, each to its own member only.
    assert (await client.post(f"/api/v1/notes/{note.id}/like", headers=lily)).status_code == 204
    mine = (await client.get("/api/v1/feeds/explore", headers=lily)).json()["items"][0]
    theirs = (await client.get("/api/v1/feeds/explore", headers=mei)).json()["items"][0]
    author = (await client.get("/api/v1/feeds/explore", headers=jake_headers)).json()["items"][0]
    assert mine["viewer"] == {
        "liked": True,
        "collected": False,
        "board_id": None,
        "is_author": False,
    }
    assert theirs["viewer"]["liked"] is False
    assert author["viewer"]["is_author"] is True and author["viewer"]["liked"] is False
    # Nothing of theirs went into the shared copy.
    again = await client.get("/api/v1/feeds/explore")
    assert again.content == anonymous.content


async def test_blocks_and_mutes_apply_to_the_shared_page(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    _clocked(runtime)
    jake = await make_account(runtime, "jake")
    lily = await make_account(runtime, "lily")
    await make_account(runtime, "mei")
    for i in range(3):
        await make_note(runtime, lily, title=f"Lily {i}")
    await make_note(runtime, jake, title="Jake")
    assert (await _titles(client))[0] == "Jake"  # cached with Jake's note on it
    lily_headers = await token_headers(client, "lily")
    mei_headers = await token_headers(client, "mei")
    jake_headers = await token_headers(client, "jake")

    await client.post("/api/v1/users/jake/mute", headers=lily_headers)
    assert await _titles(client, **lily_headers) == ["Lily 2", "Lily 1", "Lily 0"]
    await client.post("/api/v1/users/mei/block", headers=jake_headers)
    assert await _titles(client, **mei_headers) == ["Lily 2", "Lily 1", "Lily 0"]
    # A page made for one member alone stays full: limit 2 still brings two notes.
    page = await client.get("/api/v1/feeds/explore?limit=2", headers=mei_headers)
    assert [n["title"] for n in page.json()["items"]] == ["Lily 2", "Lily 1"]
    assert page.json()["next_cursor"]
    # Everyone else still shares the page with Jake's note.
    assert (await _titles(client))[0] == "Jake"


async def test_explore_cache_can_be_turned_off(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(explore_cache_entries=0) as (app, client):
        runtime: Runtime = app.state.runtime
        lily = await make_account(runtime, "lily")
        await make_note(runtime, lily, title="First")
        assert await _titles(client) == ["First"]
        await make_note(runtime, lily, title="Second")
        assert await _titles(client) == ["Second", "First"]


# --- the note page -------------------------------------------------------------------------------

_LIKES = re.compile(r'aria-label="Like">.*?<span class="note-action-count">([^<]*)</span>', re.S)
_COMMENT_LIKES = re.compile(r'<span class="comment-like-count" data-count="(\d+)">')


def _likes(html: str) -> str:
    found = _LIKES.search(html)
    assert found, "no like count on the page"
    return found.group(1)


async def test_anonymous_note_pages_are_drawn_once_per_change(
    app: FastAPI, runtime: Runtime
) -> None:
    _clocked(runtime)
    mei = await make_account(runtime, "mei")
    note = await make_note(runtime, mei, title="Tea house", body="Quiet morning")
    await make_account(runtime, "lily")
    async with http_client(app) as first, http_client(app) as second, http_client(app) as api:
        lily = await token_headers(api, "lily")
        one = await first.get(f"/notes/{note.id}")
        two = await second.get(f"/notes/{note.id}")
        assert one.status_code == two.status_code == 200
        assert len(note_pages(runtime)) == 1  # drawn once, for both
        # Each reader gets their own CSRF token, the one their cookie holds.
        assert csrf_of(one.text) == first.cookies["redleaf_csrf"]
        assert csrf_of(two.text) == second.cookies["redleaf_csrf"]
        assert csrf_of(one.text) != csrf_of(two.text)
        assert one.text.replace(csrf_of(one.text), "") == two.text.replace(csrf_of(two.text), "")
        assert _likes(one.text) == "0"

        # A like changes the note's row: the next reader sees it at once.
        await api.post(f"/api/v1/notes/{note.id}/like", headers=lily)
        assert _likes((await first.get(f"/notes/{note.id}")).text) == "1"
        # So does an edit.
        mei_headers = await token_headers(api, "mei")
        edited = await api.patch(
            f"/api/v1/notes/{note.id}", headers=mei_headers, json={"title": "Tea garden"}
        )
        assert edited.status_code == 200, edited.text
        assert "Tea garden" in (await second.get(f"/notes/{note.id}")).text
        # And a deleted note is gone, whatever was cached.
        await api.delete(f"/api/v1/notes/{note.id}", headers=mei_headers)
        assert (await first.get(f"/notes/{note.id}")).status_code == 404


async def test_what_the_note_row_does_not_hold_shows_within_the_ttl(
    app: FastAPI, runtime: Runtime
) -> None:
    clock = _clocked(runtime)
    mei = await make_account(runtime, "mei")
    note = await make_note(runtime, mei, title="Tea house")
    await make_account(runtime, "lily")
    async with http_client(app) as reader, http_client(app) as api:
        lily = await token_headers(api, "lily")
        made = await api.post(
            f"/api/v1/notes/{note.id}/comments", headers=lily, json={"body": "Lovely"}
        )
        comment_id = made.json()["id"]
        assert _COMMENT_LIKES.findall((await reader.get(f"/notes/{note.id}")).text) == ["0"]
        # A comment's like leaves the note's row alone: the cached page may lag...
        await api.post(f"/api/v1/comments/{comment_id}/like", headers=lily)
        assert _COMMENT_LIKES.findall((await reader.get(f"/notes/{note.id}")).text) == ["0"]
        # ...for at most note_page_cache_seconds.
        clock.now += runtime.settings.note_page_cache_seconds
        assert _COMMENT_LIKES.findall((await reader.get(f"/notes/{note.id}")).text) == ["1"]


async def test_members_and_other_addresses_never_get_the_shared_page(
    client: httpx.AsyncClient, app: FastAPI, runtime: Runtime
) -> None:
    _clocked(runtime)
    mei = await make_account(runtime, "mei")
    note = await make_note(runtime, mei, title="Tea house")
    async with http_client(app) as reader:
        await reader.get(f"/notes/{note.id}")
        assert len(note_pages(runtime)) == 1
        cached = next(iter(note_pages(runtime)._data.values()))[1].html
        # Another address for the same note (a query string, a longer id) is drawn for itself.
        with_query = await reader.get(f"/notes/{note.id}?utm=share")
        assert with_query.status_code == 200
        assert f'value="/notes/{note.id}?utm=share"' in with_query.text
        assert (await reader.get(f"/notes/0{note.id}")).status_code == 200
    await member_named(client, runtime, "lily")
    page = await client.get(f"/notes/{note.id}")
    assert page.status_code == 200
    assert "data-comment-form" in page.text and "data-comment-form" not in cached
    assert len(note_pages(runtime)) == 1  # only the one anonymous page was ever stored


async def test_note_page_cache_can_be_turned_off(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(note_page_cache_entries=0) as (app, client):
        runtime: Runtime = app.state.runtime
        mei = await make_account(runtime, "mei")
        note = await make_note(runtime, mei, title="Tea house")
        await make_account(runtime, "lily")
        lily = await token_headers(client, "lily")
        made = await client.post(
            f"/api/v1/notes/{note.id}/comments", headers=lily, json={"body": "Lovely"}
        )
        async with http_client(app) as reader:
            assert _COMMENT_LIKES.findall((await reader.get(f"/notes/{note.id}")).text) == ["0"]
            await client.post(f"/api/v1/comments/{made.json()['id']}/like", headers=lily)
            assert _COMMENT_LIKES.findall((await reader.get(f"/notes/{note.id}")).text) == ["1"]
        assert len(note_pages(runtime)) == 0
