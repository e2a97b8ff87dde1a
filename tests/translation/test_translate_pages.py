"""Translation on the pages: the Translate button where the reader does not read the text, the
auto-translate setting, the glossary console, and notes translated ahead of their readers."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from redleaf.accounts import repository
from redleaf.kit.runtime import Runtime
from redleaf.notes import service as notes_service
from redleaf.translation.models import Translation
from redleaf.translation.setup import translator_for
from tests.accounts.factories import make_account
from tests.accounts.test_pages import ZH
from tests.notes.factories import make_note, run_jobs
from tests.notes.test_pages import member_named, post_form

BUTTON = 'data-translate="/api/v1/notes/'


async def test_the_button_shows_where_the_reader_does_not_read_the_text(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei", ui_language="zh-Hans")
    zh_note = await make_note(runtime, author, title="成都火锅", body="今天的火锅太好吃了")
    en_note = await make_note(runtime, author, title="Hotpot", body="The best hotpot in town")

    english = await client.get(f"/notes/{zh_note.id}")
    assert BUTTON in english.text and ">Translate<" in english.text
    assert BUTTON not in (await client.get(f"/notes/{en_note.id}")).text

    client.cookies.update(ZH)
    chinese = await client.get(f"/notes/{en_note.id}")
    assert BUTTON in chinese.text and ">翻译<" in chinese.text and "显示原文" in chinese.text
    assert BUTTON not in (await client.get(f"/notes/{zh_note.id}")).text


async def test_members_who_read_both_see_no_button_and_can_auto_translate(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    author = await make_account(runtime, "mei", ui_language="zh-Hans")
    note = await make_note(runtime, author, title="成都火锅", body="今天的火锅太好吃了")
    me = await member_named(client, runtime, "jake")
    page = await client.get(f"/notes/{note.id}")
    assert BUTTON in page.text and "data-auto" not in page.text

    saved = await post_form(
        client,
        "/settings",
        "/settings/profile",
        {
            "display_name": "Jake",
            "bio": "I read both",
            "ui_language": "en",
            "languages": ["en"],
            "auto_translate": "on",
        },
    )
    assert saved.status_code == 303
    assert "data-auto" in (await client.get(f"/notes/{note.id}")).text
    async with runtime.sessions() as session:
        stored = await repository.by_id(session, me.id)
        assert stored is not None and stored.auto_translate and stored.bio_lang == "en"

    await post_form(
        client,
        "/settings",
        "/settings/profile",
        {"display_name": "Jake", "ui_language": "en", "languages": ["en", "zh"]},
    )
    assert BUTTON not in (await client.get(f"/notes/{note.id}")).text
    me_json = (await client.get("/api/v1/me")).json()
    assert me_json["auto_translate"] is False


async def test_comments_get_their_own_button(client: httpx.AsyncClient, runtime: Runtime) -> None:
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="Hotpot", body="The best hotpot in town")
    commenter = await make_account(runtime, "lan")
    async with runtime.sessions() as session:
        from redleaf.kit.db import commit

        await notes_service.do_comment(session, runtime, commenter, note, "看起来太好吃了吧")
        await commit(session)
    page = await client.get(f"/notes/{note.id}")
    assert 'data-translate="/api/v1/comments/' in page.text
    assert BUTTON not in page.text


async def test_the_glossary_console(client: httpx.AsyncClient, runtime: Runtime) -> None:
    await member_named(client, runtime, "jake")
    assert (await client.get("/admin/glossary")).status_code == 403
    client.cookies.clear()
    editor = await member_named(client, runtime, "editor")
    async with runtime.sessions() as session:
        from redleaf.kit.db import commit

        stored = await repository.by_id(session, editor.id)
        assert stored is not None
        stored.role = "admin"
        await commit(session)
    console = await client.get("/admin/glossary")
    assert console.status_code == 200 and "YYDS" in console.text

    refused = await post_form(
        client, "/admin/glossary", "/admin/glossary", {"term": "绝绝子", "en": "", "zh": ""}
    )
    assert refused.status_code == 400 and "both English and Chinese" in refused.text

    saved = await post_form(
        client,
        "/admin/glossary",
        "/admin/glossary",
        {"term": "出片", "en": "photogenic", "zh": "出片", "note_en": "Great for photos"},
    )
    assert saved.status_code == 303
    translator = translator_for(runtime)
    result = await translator.translate("这家店很出片", "zh-Hans", "en")
    assert "photogenic" in result.text
    assert {"term": "出片", "rendering": "photogenic", "note": "Great for photos"} in result.terms

    switched = await post_form(
        client, "/admin/glossary", "/admin/glossary/switch", {"term": "YYDS"}
    )
    assert switched.status_code == 303
    console = await client.get("/admin/glossary")
    assert "Switch on" in console.text

    client.cookies.update(ZH)
    assert "术语表" in (await client.get("/admin/glossary")).text


async def test_a_note_that_draws_likes_is_translated_ahead(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    settings = runtime.settings
    settings.translation_pretranslate_at_likes = [2]
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="成都火锅", body="今天的火锅太好吃了")
    for name in ("fan_one", "fan_two"):
        fan = await make_account(runtime, name)
        async with runtime.sessions() as session:
            from redleaf.kit.db import commit
            from redleaf.notes import access

            seen = await access.load_note(session, fan, note.id)
            await notes_service.do_like(session, runtime, fan, seen)
            await commit(session)
    await run_jobs(runtime)
    async with runtime.sessions() as session:
        rows = (await session.scalars(select(Translation))).all()
    assert {row.target_lang for row in rows} == {"en"}  # not into its own language
    assert len(rows) == 1  # title and body, as one text


async def test_the_page_language_counts_as_read(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    """A member whose account says English, reading the Chinese interface (a cookie), is never
    offered a "translation" of Chinese text into Chinese."""
    author = await make_account(runtime, "mei")
    note = await make_note(runtime, author, title="成都火锅", body="今天的火锅太好吃了")
    await member_named(client, runtime, "jake")
    assert BUTTON in (await client.get(f"/notes/{note.id}")).text
    client.cookies.update(ZH)
    assert BUTTON not in (await client.get(f"/notes/{note.id}")).text
