"""Translation as readers use it: the API of API.md, the shared cache, single flight, permissions,
validation in both languages, and the glossary."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import func, select

from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.translation.models import Translation
from redleaf.translation.setup import translator_for
from tests.accounts.factories import make_account, token_headers
from tests.conftest import REDIS_URL
from tests.notes.factories import make_note

ZH_NOTE = {
    "title": "成都火锅",
    "body": "今天的火锅太好吃了 #成都美食 @lily https://example.com/hotpot 😋\n第二行: 人均 120 元",
}


async def _rows(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Translation)) or 0)


async def test_a_chinese_note_for_an_english_reader(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    await make_account(runtime, "lily")
    author = await make_account(runtime, "mei", ui_language="zh-Hans", age_days=30)
    note = await make_note(runtime, author, **ZH_NOTE)
    assert note.lang == "zh-Hans"

    answer = await client.get(f"/api/v1/notes/{note.id}/translation", params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source_lang"] == "zh-Hans" and body["target_lang"] == "en"
    # Only the dictionary is configured here: it says so, and never calls itself a translation.
    assert body["engine"] == "gloss" and body["kind"] == "gloss"
    assert "hot pot" in body["title"].lower() or "hotpot" in body["title"].lower()
    for entity in ("#成都美食", "@lily", "https://example.com/hotpot", "😋", "120"):
        assert entity in body["body"], entity
    assert body["body"].count("\n") == 1  # the line break survives
    assert any(word["reading"] for word in body["words"])  # pinyin for the reader

    # A second reader: the shared cache answers, no engine call.
    translator = translator_for(runtime)
    calls = translator.engine_calls
    rows = await _rows(runtime)
    translator.memory.clear()  # as another process would: only the table is shared
    again = await client.get(f"/api/v1/notes/{note.id}/translation", params={"lang": "en"})
    assert again.json() == body
    assert translator.engine_calls == calls and await _rows(runtime) == rows


async def test_an_edit_is_translated_afresh(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "mei", age_days=30)
    headers = await token_headers(client, "mei")
    note = await make_note(runtime, author, **ZH_NOTE)
    first = await client.get(f"/api/v1/notes/{note.id}/translation", params={"lang": "en"})
    edited = await client.patch(
        f"/api/v1/notes/{note.id}", json={"body": "今天的咖啡很好"}, headers=headers
    )
    assert edited.status_code == 200, edited.text
    second = await client.get(f"/api/v1/notes/{note.id}/translation", params={"lang": "en"})
    assert second.json()["body"] != first.json()["body"]
    assert "coffee" in second.json()["body"].lower()


async def test_readers_without_the_right_to_see_get_404(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei", age_days=30)
    await make_account(runtime, "jake")
    hidden = await make_note(runtime, author, visibility="private", **ZH_NOTE)
    jake = await token_headers(client, "jake")
    for headers in ({}, jake):
        answer = await client.get(f"/api/v1/notes/{hidden.id}/translation", headers=headers)
        assert answer.status_code == 404
    assert (await client.get("/api/v1/notes/nope/translation")).status_code == 404
    mine = await client.get(
        f"/api/v1/notes/{hidden.id}/translation",
        params={"lang": "en"},
        headers=await token_headers(client, "mei"),
    )
    assert mine.status_code == 200


async def test_one_engine_call_for_a_hundred_readers(runtime: Runtime) -> None:
    translator = translator_for(runtime)
    calls = translator.engine_calls
    results = await asyncio.gather(
        *(translator.translate("成都的火锅太好吃了", "zh-Hans", "en") for _ in range(100))
    )
    assert translator.engine_calls == calls + 1
    assert len({r.text for r in results}) == 1
    assert await _rows(runtime) == 1


async def test_translate_any_text(client: httpx.AsyncClient, runtime: Runtime) -> None:
    ok = await client.post("/api/v1/translate", json={"text": "I love hot pot", "target": "zh"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["source_lang"] == "en" and "火锅" in ok.json()["text"]
    assert ok.json()["engine"] == "gloss"

    # Simplified and traditional: converted exactly, by OpenCC.
    script = await client.post(
        "/api/v1/translate", json={"text": "今天天氣很好", "target": "zh-Hans"}
    )
    assert script.json() == {**script.json(), "text": "今天天气很好", "engine": "opencc"}
    same = await client.post(
        "/api/v1/translate", json={"text": "Hello there, friends", "target": "en", "source": "en"}
    )
    assert same.json()["text"] == "Hello there, friends" and same.json()["engine"] == "none"


async def test_bad_requests_are_explained_in_both_languages(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    cases = [
        ({"text": "hello world", "target": "xx"}, 400, "target"),
        ({"text": "hello world", "target": "en", "source": "??"}, 400, "source"),
        ({"text": "   ", "target": "en"}, 400, "text"),
        ({"text": "😀🔥", "target": "en"}, 400, "text"),
        ({"text": "a" * 5001, "target": "zh"}, 400, "text"),
    ]
    for payload, status, field in cases:
        answer = await client.post("/api/v1/translate", json=payload)
        assert answer.status_code == status, (payload, answer.text)
        assert answer.json()["error"]["field"] == field
    assert (await client.post("/api/v1/translate", json={"text": "hi"})).status_code == 422
    zh = await client.post(
        "/api/v1/translate", json={"text": "😀", "target": "en"}, headers={"Accept-Language": "zh"}
    )
    assert zh.json()["error"]["code"] == "lang_undetermined"
    assert "语言" in zh.json()["error"]["message"]


async def test_translation_is_rate_limited(app_with) -> None:  # type: ignore[no-untyped-def]
    async with app_with(rate_limits="on", rate_translate_per_ip="2/minute") as (_app, client):
        for _ in range(2):
            ok = await client.post("/api/v1/translate", json={"text": "hot pot", "target": "zh"})
            assert ok.status_code == 200
        limited = await client.post("/api/v1/translate", json={"text": "hot pot", "target": "zh"})
        assert limited.status_code == 429 and "retry-after" in limited.headers


async def test_comments_translate_too(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "mei", age_days=30)
    await make_account(runtime, "jake")
    note = await make_note(runtime, author, **ZH_NOTE)
    jake = await token_headers(client, "jake")
    made = await client.post(
        f"/api/v1/notes/{note.id}/comments", json={"body": "This looks so good!"}, headers=jake
    )
    assert made.status_code == 201, made.text
    comment = made.json()
    assert comment["lang"] == "en"
    answer = await client.get(
        f"/api/v1/comments/{comment['id']}/translation", params={"lang": "zh"}
    )
    assert answer.status_code == 200 and answer.json()["target_lang"] == "zh-Hans"
    assert answer.json()["kind"] == "gloss"


@pytest.mark.skipif(not REDIS_URL, reason="two processes meet in Redis")
async def test_one_engine_call_across_processes(runtime: Runtime) -> None:
    other = Runtime.build(runtime.settings)  # a second server process, as far as Redis can tell
    try:
        here, there = translator_for(runtime), translator_for(other)
        text = "今天的咖啡很好喝"
        results = await asyncio.gather(
            *(t.translate(text, "zh-Hans", "en") for t in [here, there] * 50)
        )
        assert here.engine_calls + there.engine_calls == 1
        assert len({r.text for r in results}) == 1
    finally:
        await other.close()


async def test_mixed_text_is_stored_with_its_spans(runtime: Runtime) -> None:
    author = await make_account(runtime, "mei", age_days=30)
    mixed = await make_note(runtime, author, title="OOTD", body="今天的穿搭 so cute, I love it")
    plain = await make_note(runtime, author, title="成都火锅", body="今天的火锅太好吃了")
    assert plain.lang == "zh-Hans" and plain.lang_spans is None
    text = f"{mixed.title}\n{mixed.body}"
    assert mixed.lang_spans is not None
    found = {(text[start:end], lang) for start, end, lang in mixed.lang_spans}
    assert ("今天的穿搭", "zh-Hans") in found
    assert {lang for _s, _e, lang in mixed.lang_spans} >= {"en", "zh-Hans"}


async def test_a_bio_translates_on_the_profile(client: httpx.AsyncClient, runtime: Runtime) -> None:
    mei = await make_account(runtime, "mei")
    async with runtime.sessions() as session:
        from redleaf.accounts import service as accounts

        stored = await session.get(type(mei), mei.id)
        await accounts.do_update_profile(
            session, runtime.settings, stored, bio="成都人，喜欢火锅和咖啡"
        )
        await commit(session)
    page = await client.get("/u/mei")
    assert 'data-translate="/api/v1/users/mei/bio/translation' in page.text
    answer = await client.get("/api/v1/users/mei/bio/translation", params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["source_lang"] == "zh-Hans" and "coffee" in answer.json()["text"]
    missing = await client.get("/api/v1/users/nobody_here/bio/translation")
    assert missing.status_code == 404
