"""Regional withholding (issue 5, item 1): a rule scoped to readers' locales keeps a note or a
comment from readers of that locale (404 from the loaders, absent from every list), while its
author and readers of other locales see it. Set on posting, recomputed by an edit; the caches
keyed by language never carry a withheld note or comment into another language's page."""

from __future__ import annotations

from importlib.resources import files

import httpx
import pytest
from sqlalchemy import select

from redleaf.accounts.models import Account
from redleaf.kit.db import commit
from redleaf.kit.runtime import Runtime
from redleaf.kit.ttlcache import TTLCache
from redleaf.moderation import pipeline, policy_store
from redleaf.moderation.engine import Content, Engine
from redleaf.moderation.policy import load_yaml
from redleaf.notes import withheld
from redleaf.notes.cache import EXPLORE_PAGES, NOTE_PAGES
from redleaf.notes.models import Comment, Note
from tests.accounts.factories import make_account, token_headers

DEFAULT_YAML = files("redleaf.moderation").joinpath("data/default_policy.yaml").read_text("utf-8")
REGIONAL_RULE = """
  - code: regional-limited
    name: {en: Regional limit, zh: 地区限制}
    matcher: {kind: terms, terms: [限定词]}
    action: hold
    severity: 2
    scope: {viewer_locales: [zh-Hans]}
    reason:
      en: Not shown to readers in this region.
      zh: 此地区的读者不会看到。
"""
WITH_REGIONAL = DEFAULT_YAML.rstrip("\n") + "\n" + REGIONAL_RULE
TERM = "限定词"
EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-Hans"}


class FrozenClock:
    """The read caches on a clock that only the test moves: nothing expires by itself."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _frozen_caches(runtime: Runtime) -> FrozenClock:
    clock = FrozenClock()
    settings = runtime.settings
    runtime.extras[EXPLORE_PAGES] = TTLCache(
        settings.explore_cache_entries, settings.explore_cache_seconds, clock=clock
    )
    runtime.extras[NOTE_PAGES] = TTLCache(
        settings.note_page_cache_entries, settings.note_page_cache_seconds, clock=clock
    )
    return clock


async def _install_policy(runtime: Runtime) -> None:
    admin = await make_account(runtime, "boss", role="admin", age_days=100)
    async with runtime.sessions() as session:
        await policy_store.do_save(session, runtime, admin, WITH_REGIONAL, "regional rule")
        await commit(session)


@pytest.fixture
async def people(client: httpx.AsyncClient, runtime: Runtime) -> dict[str, dict[str, str]]:
    """The policy with the regional rule in force; mei writes, lily and wang read."""
    await _install_policy(runtime)
    for name in ("mei", "lily", "wang"):
        await make_account(runtime, name, age_days=30)
    return {name: await token_headers(client, name) for name in ("mei", "lily", "wang")}


async def _post(client: httpx.AsyncClient, headers: dict[str, str], title: str) -> str:
    answer = await client.post(
        "/api/v1/notes", json={"title": title, "body": "A snack from home"}, headers=headers
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["moderation_state"] == "visible"  # not held: withheld by locale only
    return str(answer.json()["id"])


async def _explore_titles(client: httpx.AsyncClient, **headers: str) -> list[str]:
    answer = await client.get("/api/v1/feeds/explore", headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["title"] for item in answer.json()["items"]]


async def _profile_titles(client: httpx.AsyncClient, **headers: str) -> list[str]:
    answer = await client.get("/api/v1/users/mei/notes", headers=headers)
    assert answer.status_code == 200, answer.text
    return [item["title"] for item in answer.json()["items"]]


async def _withheld_in(runtime: Runtime, model: type[Note] | type[Comment], row_id: str) -> str:
    async with runtime.sessions() as session:
        value = await session.scalar(select(model.withheld_in).where(model.id == int(row_id)))
    assert value is not None
    return value


# --- the engine and the helper -------------------------------------------------------------------


def test_only_viewer_scoped_rules_withhold() -> None:
    engine = Engine(load_yaml(WITH_REGIONAL))
    locales = ("en", "zh-Hans")
    regional = Content(kind="note", text=f"今天的{TERM}", author_age_hours=1000)
    assert engine.withheld_locales(regional, locales) == ("zh-Hans",)
    assert engine.withheld_locales(regional, ("en",)) == ()
    # A rule without a viewer scope holds it at posting, but withholds it from no locale.
    scam = Content(kind="note", text="加我微信 稳赚不赔", author_age_hours=1000)
    assert engine.check(scam).action == "hold"
    assert engine.withheld_locales(scam, locales) == ()
    # The shipped default has no viewer-scoped rule: nothing is withheld, whatever the text.
    default = Engine(load_yaml(DEFAULT_YAML))
    assert default.withheld_locales(regional, locales) == ()


def test_a_weaker_viewer_scoped_action_withholds_nothing() -> None:
    warned = WITH_REGIONAL.replace(
        "    action: hold\n    severity: 2\n    scope: {viewer",
        "    action: warn\n    severity: 2\n    scope: {viewer",
    )
    assert warned != WITH_REGIONAL
    engine = Engine(load_yaml(warned))
    content = Content(kind="comment", text=TERM, author_age_hours=1000)
    assert engine.withheld_locales(content, ("en", "zh-Hans")) == ()


def test_the_helper_reads_what_the_column_holds() -> None:
    assert withheld.encode(["zh-Hans"]) == ",zh-Hans,"
    assert withheld.encode([]) == ""
    assert withheld.is_withheld(",zh-Hans,", "zh-Hans")
    assert not withheld.is_withheld(",zh-Hans,", "en")
    assert not withheld.is_withheld("", "zh-Hans")
    assert withheld.reader_pattern("zh-Hans") == "%,zh-Hans,%"


# --- notes ---------------------------------------------------------------------------------------


async def test_a_note_is_withheld_from_chinese_readers_only(
    client: httpx.AsyncClient, runtime: Runtime, people: dict[str, dict[str, str]]
) -> None:
    mei, lily = people["mei"], people["lily"]
    withheld_id = await _post(client, mei, f"{TERM} tasting")
    plain_id = await _post(client, mei, "Plain snack")
    assert await _withheld_in(runtime, Note, withheld_id) == ",zh-Hans,"
    assert await _withheld_in(runtime, Note, plain_id) == ""

    # English readers (signed in or not) see it; Chinese readers get the same 404 as held notes.
    for headers in ({**lily, **EN}, EN):
        assert (
            await client.get(f"/api/v1/notes/{withheld_id}", headers=headers)
        ).status_code == 200
    for headers in ({**lily, **ZH}, ZH):
        missing = await client.get(f"/api/v1/notes/{withheld_id}", headers=headers)
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "note_not_found"
        assert (await client.get(f"/api/v1/notes/{plain_id}", headers=headers)).status_code == 200
        comments = await client.get(f"/api/v1/notes/{withheld_id}/comments", headers=headers)
        assert comments.status_code == 404
    # Its author sees it in both languages.
    for language in (EN, ZH):
        assert (
            await client.get(f"/api/v1/notes/{withheld_id}", headers={**mei, **language})
        ).status_code == 200

    # Lists: Explore and the author's profile, for readers; the author's own list keeps it.
    titles = {f"{TERM} tasting", "Plain snack"}
    assert set(await _explore_titles(client, **lily, **EN)) == titles
    assert await _explore_titles(client, **lily, **ZH) == ["Plain snack"]
    assert set(await _profile_titles(client, **EN)) == titles
    assert await _profile_titles(client, **ZH) == ["Plain snack"]
    assert await _profile_titles(client, **lily, **ZH) == ["Plain snack"]
    assert set(await _profile_titles(client, **mei, **ZH)) == titles


async def test_pages_follow_the_language_cookie(
    client: httpx.AsyncClient, runtime: Runtime, people: dict[str, dict[str, str]]
) -> None:
    mei = people["mei"]
    note_id = await _post(client, mei, f"{TERM} tasting")
    client.cookies.set("redleaf_lang", "en")
    shown = await client.get(f"/notes/{note_id}")
    assert shown.status_code == 200 and f"{TERM} tasting" in shown.text
    assert f"{TERM} tasting" in (await client.get("/u/mei")).text
    assert f"{TERM} tasting" in (await client.get("/")).text

    client.cookies.set("redleaf_lang", "zh-Hans")
    assert (await client.get(f"/notes/{note_id}")).status_code == 404
    assert f"{TERM} tasting" not in (await client.get("/u/mei")).text
    assert f"{TERM} tasting" not in (await client.get("/")).text
    # Its author reads the Chinese interface and still sees it, on its page and their profile.
    assert (await client.get(f"/notes/{note_id}", headers=mei)).status_code == 200
    assert f"{TERM} tasting" in (await client.get("/u/mei", headers=mei)).text
    client.cookies.clear()


async def test_an_edit_recomputes_it(
    client: httpx.AsyncClient, runtime: Runtime, people: dict[str, dict[str, str]]
) -> None:
    mei, wang = people["mei"], people["wang"]
    note_id = await _post(client, mei, f"{TERM} tasting")
    assert (await client.get(f"/api/v1/notes/{note_id}", headers={**wang, **ZH})).status_code == 404

    edited = await client.patch(
        f"/api/v1/notes/{note_id}", json={"title": "Snack tasting"}, headers=mei
    )
    assert edited.status_code == 200, edited.text
    assert await _withheld_in(runtime, Note, note_id) == ""
    assert (await client.get(f"/api/v1/notes/{note_id}", headers={**wang, **ZH})).status_code == 200

    # And back: words that a viewer-scoped rule names withhold a note that was shown.
    again = await client.patch(
        f"/api/v1/notes/{note_id}", json={"body": f"Now with {TERM}"}, headers=mei
    )
    assert again.status_code == 200, again.text
    assert await _withheld_in(runtime, Note, note_id) == ",zh-Hans,"
    assert (await client.get(f"/api/v1/notes/{note_id}", headers={**wang, **ZH})).status_code == 404
    assert (await client.get(f"/api/v1/notes/{note_id}", headers={**wang, **EN})).status_code == 200


# --- comments ------------------------------------------------------------------------------------


async def test_a_comment_is_withheld_from_chinese_readers_only(
    client: httpx.AsyncClient, runtime: Runtime, people: dict[str, dict[str, str]]
) -> None:
    mei, lily, wang = people["mei"], people["lily"], people["wang"]
    note_id = await _post(client, mei, "Plain snack")
    posted = await client.post(
        f"/api/v1/notes/{note_id}/comments", json={"body": f"Try the {TERM} one"}, headers=lily
    )
    assert posted.status_code == 201, posted.text
    comment_id = str(posted.json()["id"])
    plain = await client.post(
        f"/api/v1/notes/{note_id}/comments", json={"body": "Looks good"}, headers=lily
    )
    assert plain.status_code == 201
    assert await _withheld_in(runtime, Comment, comment_id) == ",zh-Hans,"

    async def bodies(headers: dict[str, str]) -> list[str]:
        answer = await client.get(f"/api/v1/notes/{note_id}/comments", headers=headers)
        assert answer.status_code == 200, answer.text
        return [item["body"] for item in answer.json()["items"]]

    both = {f"Try the {TERM} one", "Looks good"}
    assert set(await bodies({**wang, **EN})) == both
    assert set(await bodies(EN)) == both
    assert await bodies({**wang, **ZH}) == ["Looks good"]
    assert await bodies(ZH) == ["Looks good"]
    assert set(await bodies({**lily, **ZH})) == both  # its author
    replies = f"/api/v1/comments/{comment_id}/replies"
    assert (await client.get(replies, headers={**wang, **ZH})).status_code == 404
    assert (await client.get(replies, headers={**wang, **EN})).status_code == 200
    assert (await client.get(replies, headers={**lily, **ZH})).status_code == 200
    # A Chinese reader cannot answer what they cannot see.
    reply = await client.post(
        f"/api/v1/notes/{note_id}/comments",
        json={"body": "Where?", "reply_to": comment_id},
        headers={**wang, **ZH},
    )
    assert reply.status_code == 404

    # The note's author is told of both comments in English, of the shown one in Chinese.
    counts = {}
    for name, language in (("en", EN), ("zh", ZH)):
        answer = await client.get("/api/v1/notifications/unread-count", headers={**mei, **language})
        counts[name] = answer.json()["count"]
    assert counts == {"en": 2, "zh": 1}


# --- the caches ----------------------------------------------------------------------------------


async def test_anonymous_pages_in_each_language_never_mix(
    client: httpx.AsyncClient, runtime: Runtime, people: dict[str, dict[str, str]]
) -> None:
    clock = _frozen_caches(runtime)
    mei, lily = people["mei"], people["lily"]
    withheld_id = await _post(client, mei, f"{TERM} tasting")
    note_id = await _post(client, mei, "Plain snack")
    comment = await client.post(
        f"/api/v1/notes/{note_id}/comments", json={"body": f"The {TERM} kind"}, headers=lily
    )
    assert comment.status_code == 201

    # Each language's shared Explore page, asked twice in turn (the second from the cache).
    for _round in range(2):
        assert set(await _explore_titles(client, **EN)) == {f"{TERM} tasting", "Plain snack"}
        assert await _explore_titles(client, **ZH) == ["Plain snack"]
    # A member's page is the shared page of their language with their flags over it.
    assert await _explore_titles(client, **lily, **ZH) == ["Plain snack"]

    # The note page drawn once per language: the comment only on the English one.
    for _round in range(2):
        client.cookies.set("redleaf_lang", "en")
        english = await client.get(f"/notes/{note_id}")
        assert english.status_code == 200 and f"The {TERM} kind" in english.text
        assert (await client.get(f"/notes/{withheld_id}")).status_code == 200
        client.cookies.set("redleaf_lang", "zh-Hans")
        chinese = await client.get(f"/notes/{note_id}")
        assert chinese.status_code == 200 and f"The {TERM} kind" not in chinese.text
        assert (await client.get(f"/notes/{withheld_id}")).status_code == 404
    client.cookies.clear()

    # After an edit that drops the word, the next Chinese page (once the cache turns) has it.
    edited = await client.patch(
        f"/api/v1/notes/{withheld_id}", json={"title": "Snack tasting"}, headers=mei
    )
    assert edited.status_code == 200
    clock.now += runtime.settings.explore_cache_seconds
    assert set(await _explore_titles(client, **ZH)) == {"Snack tasting", "Plain snack"}


async def test_without_a_viewer_scoped_rule_nothing_is_withheld(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    assert (
        pipeline.engine_for(runtime).withheld_locales(
            Content(kind="note", text=TERM), ("en", "zh-Hans")
        )
        == ()
    )
    author: Account = await make_account(runtime, "mei", age_days=30)
    headers = await token_headers(client, author.username)
    note_id = await _post(client, headers, f"{TERM} tasting")
    assert await _withheld_in(runtime, Note, note_id) == ""
    assert (await client.get(f"/api/v1/notes/{note_id}", headers=ZH)).status_code == 200


async def test_a_saved_policy_rederives_what_was_posted_before(
    client: httpx.AsyncClient, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from redleaf.moderation import withholding
    from tests.notes.factories import run_jobs

    await make_account(runtime, "mei", age_days=30)
    admin = await make_account(runtime, "boss", role="admin", age_days=100)
    mei = await token_headers(client, "mei")
    made = await client.post(
        "/api/v1/notes", json={"title": "旅行", "body": f"{TERM} 的风景"}, headers=mei
    )
    note_id = made.json()["id"]
    comment = await client.post(
        f"/api/v1/notes/{note_id}/comments", json={"body": f"{TERM}!"}, headers=mei
    )
    assert comment.status_code == 201
    await run_jobs(runtime)
    assert (await client.get(f"/api/v1/notes/{note_id}", headers=ZH)).status_code == 200

    # The regional rule arrives: what was posted before is withheld from Chinese readers.
    monkeypatch.setattr(withholding, "BATCH", 1)  # several links of the chain
    async with runtime.sessions() as session:
        await policy_store.do_save(session, runtime, admin, WITH_REGIONAL, "regional")
        await commit(session)
    await run_jobs(runtime)
    assert (await client.get(f"/api/v1/notes/{note_id}", headers=ZH)).status_code == 404
    assert (await client.get(f"/api/v1/notes/{note_id}", headers=EN)).status_code == 200
    async with runtime.sessions() as session:
        stored = await session.scalar(select(Comment.withheld_in))
    assert stored == withheld.encode(["zh-Hans"])

    # And back when the rule goes.
    async with runtime.sessions() as session:
        await policy_store.do_save(session, runtime, admin, DEFAULT_YAML, "no regional rule")
        await commit(session)
    await run_jobs(runtime)
    assert (await client.get(f"/api/v1/notes/{note_id}", headers=ZH)).status_code == 200
