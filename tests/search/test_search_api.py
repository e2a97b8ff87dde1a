"""GET /api/v1/search/notes (API.md) and /search, end to end on the real index: both languages,
phrases, exclusions and tags, filters and sorts, highlights, paging, and what must never show
(private, held, withheld or blocked authors' notes)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import update

from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Note
from tests.accounts.factories import make_account, token_headers
from tests.notes.factories import make_note, run_jobs

ZH = {"Accept-Language": "zh-Hans"}


async def _ids(client: httpx.AsyncClient, headers: dict[str, str] | None = None, **params: str):  # type: ignore[no-untyped-def]
    answer = await client.get("/api/v1/search/notes", params=params, headers=headers or {})
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


async def _world(runtime: Runtime) -> dict[str, Note]:
    mei = await make_account(runtime, "mei", age_days=30)
    jake = await make_account(runtime, "jake", age_days=30)
    notes = {
        "hotpot_zh": await make_note(
            runtime, mei, title="成都火锅探店", body="这家火锅太好吃了，牛油锅底很香 #成都美食"
        ),
        "hotpot_en": await make_note(
            runtime, jake, title="Hotpot night in Chengdu", body="The best hotpots we had, spicy!"
        ),
        "sunscreen": await make_note(
            runtime, jake, title="My sunscreen routine", body="A light sunscreen for hot days"
        ),
        "tea": await make_note(runtime, mei, title="奶茶推荐", body="夏天喝奶茶，不喝火锅汤"),
    }
    await run_jobs(runtime)
    return notes


async def test_words_in_both_languages(client: httpx.AsyncClient, runtime: Runtime) -> None:
    notes = await _world(runtime)
    assert set(await _ids(client, q="火锅")) == {str(notes["hotpot_zh"].id), str(notes["tea"].id)}
    assert await _ids(client, q="hotpot") == [str(notes["hotpot_en"].id)]  # "hotpots" stems
    assert await _ids(client, q="SUNSCREEN") == [str(notes["sunscreen"].id)]
    assert await _ids(client, q="火鍋") == await _ids(client, q="火锅")  # traditional folds
    assert await _ids(client, q="火锅 -奶茶") == [str(notes["hotpot_zh"].id)]
    assert await _ids(client, q="#成都美食") == [str(notes["hotpot_zh"].id)]
    assert await _ids(client, q='"sunscreen routine"') == [str(notes["sunscreen"].id)]
    assert await _ids(client, q='"routine sunscreen"') == []


async def test_highlights_mark_the_matched_words(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await _world(runtime)
    answer = await client.get("/api/v1/search/notes", params={"q": "hotpot"})
    (item,) = answer.json()["items"]
    marked = [piece["text"] for piece in item["highlight"]["title"] if piece["match"]]
    assert marked == ["Hotpot"]
    body = [piece["text"] for piece in item["highlight"]["body"] if piece["match"]]
    assert body == ["hotpots"]
    assert {"id", "title", "author", "cover", "counts"} <= set(item)


async def test_filters_sorts_and_pages(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "mei", age_days=400)
    made = [
        await make_note(runtime, author, title=f"Kyoto walk {n}", body="temples and tea")
        for n in range(5)
    ]
    async with runtime.sessions() as session:
        for n, note in enumerate(made):  # older and older; more and more likes
            await session.execute(
                update(Note)
                .where(Note.id == note.id)
                .values(created_at=utcnow() - timedelta(days=30 * n), like_count=n)
            )
        await commit(session)
    from redleaf.search.backends.select import backend_for
    from redleaf.search.documents import load_documents

    async with runtime.sessions() as session:  # re-index with the new dates and counts
        upserts, deletes = await load_documents(session, [note.id for note in made])
    await backend_for(runtime).apply(upserts, deletes)

    ids = [str(note.id) for note in made]
    assert await _ids(client, q="kyoto", sort="latest") == ids
    assert await _ids(client, q="kyoto", sort="likes") == ids[::-1]
    assert await _ids(client, q="kyoto", since="week") == ids[:1]
    assert await _ids(client, q="kyoto", type="video") == []

    seen: list[str] = []
    cursor = None
    while True:
        params = {"q": "kyoto", "sort": "likes", "limit": "2"}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/v1/search/notes", params=params)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == ids[::-1]  # no repeats, no gaps
    relevance = (
        await client.get("/api/v1/search/notes", params={"q": "kyoto", "limit": "3"})
    ).json()
    rest = (
        await client.get(
            "/api/v1/search/notes",
            params={"q": "kyoto", "limit": "3", "cursor": relevance["next_cursor"]},
        )
    ).json()
    together = [item["id"] for item in relevance["items"] + rest["items"]]
    assert sorted(together) == sorted(ids) and rest["next_cursor"] is None


async def test_bad_input_gets_a_clear_error(client: httpx.AsyncClient, runtime: Runtime) -> None:
    for params, field in (
        ({"q": ""}, "q"),
        ({"q": "-only -exclusions"}, "q"),
        ({"q": "tea", "sort": "random"}, "sort"),
        ({"q": "tea", "type": "gif"}, "type"),
        ({"q": "tea", "since": "year"}, "since"),
        ({"q": "tea", "cursor": "not-a-cursor"}, "cursor"),
    ):
        answer = await client.get("/api/v1/search/notes", params=params)
        assert answer.status_code == 400, params
        assert answer.json()["error"]["field"] == field
    chinese = await client.get("/api/v1/search/notes", params={"q": ""}, headers=ZH)
    assert chinese.json()["error"]["message"] == "请输入要搜索的词。"
    for odd in ("火锅 (成都", "hotpot-chengdu", '"unbalanced', "AND OR NOT", "*:*", "\x00"):
        assert (await client.get("/api/v1/search/notes", params={"q": odd})).status_code in (
            200,
            400,
        )


async def test_what_must_never_show(client: httpx.AsyncClient, runtime: Runtime) -> None:
    notes = await _world(runtime)
    lily = await make_account(runtime, "lily", age_days=30)
    lily_headers = await token_headers(client, "lily")
    jake_headers = await token_headers(client, "jake")
    private = await make_note(
        runtime, lily, title="Secret hotpot", body="only me", visibility="private"
    )
    await run_jobs(runtime)
    assert str(private.id) not in await _ids(client, q="hotpot")
    assert str(private.id) not in await _ids(client, jake_headers, q="hotpot")

    # Held by a moderator's rule after the fact: out of the index, and out of the answer.
    async with runtime.sessions() as session:
        await session.execute(
            update(Note).where(Note.id == notes["hotpot_en"].id).values(moderation_state="held")
        )
        await commit(session)
    assert await _ids(client, q="hotpot") == []

    # Blocking: the blocker no longer finds the blocked member's notes.
    blocked = await client.post("/api/v1/users/mei/block", headers=lily_headers)
    assert blocked.status_code in (200, 201, 204), blocked.text
    assert str(notes["hotpot_zh"].id) not in await _ids(client, lily_headers, q="火锅")
    assert str(notes["hotpot_zh"].id) in await _ids(client, q="火锅")


async def test_the_results_page(client: httpx.AsyncClient, runtime: Runtime) -> None:
    notes = await _world(runtime)
    page = await client.get("/search", params={"q": "火锅"})
    assert page.status_code == 200
    assert f'data-note-id="{notes["hotpot_zh"].id}"' in page.text
    assert "Most liked" in page.text and "Past week" in page.text
    nothing = await client.get("/search", params={"q": "zzzzqqq"})
    assert "No notes found" in nothing.text
    client.cookies.set("redleaf_lang", "zh-Hans")
    chinese = await client.get("/search", params={"q": "hotpot", "sort": "likes"})
    assert "最多点赞" in chinese.text and "aria-current" in chinese.text
    assert f'data-note-id="{notes["hotpot_en"].id}"' in chinese.text
