"""The PostgreSQL lexical backend (search/backends/postgres.py) on a real PostgreSQL: terms and
phrases in both languages, tags, exclusions, filters, sorts with keyset paging, relevance
relations, idempotent writes, counters, rebuilds. Skipped on SQLite (set
REDLEAF_TEST_DATABASE_URL to run them)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text

from redleaf.kit.db import commit, new_id
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Note
from redleaf.notes.text import fold_tag
from redleaf.search import query as query_parser
from redleaf.search.analyze import tokens_for_index
from redleaf.search.backends.base import Clause, IndexedNote, LexicalQuery, Near
from redleaf.search.backends.postgres import (
    ANALYZER_VERSION,
    PostgresBackend,
    tsquery,
    tsvector,
)
from redleaf.search.pg_models import NoteSearch
from tests.accounts.factories import make_account

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
CHENGDU = (30.5728, 104.0668)
SHANGHAI = (31.2304, 121.4737)
_ids = itertools.count(1)


@pytest.fixture
async def backend(runtime: Runtime, is_postgres: bool) -> PostgresBackend:
    if not is_postgres:
        pytest.skip("PostgreSQL only: set REDLEAF_TEST_DATABASE_URL")
    return PostgresBackend(runtime.sessions, batch_size=3)


class World:
    """Notes in the database (the search table refers to them) and their indexed form."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.author_ids: list[int] = []

    async def authors(self, count: int) -> list[int]:
        for _ in range(count):
            account = await make_account(self.runtime)
            self.author_ids.append(account.id)
        return self.author_ids

    async def notes(self, *specs: dict[str, Any]) -> list[IndexedNote]:
        if not self.author_ids:
            await self.authors(1)
        made = []
        async with self.runtime.sessions() as session:
            for spec in specs:
                fields = dict(spec)
                note_id = fields.pop("id", None) or new_id()
                author = fields.pop("author_id", self.author_ids[0])
                session.add(Note(id=note_id, author_id=author, state="published"))
                made.append(indexed(note_id, author, **fields))
            await commit(session)
        return made


def indexed(note_id: int, author_id: int, **spec: Any) -> IndexedNote:
    tags = " ".join(fold_tag(tag) for tag in spec.get("tags", ()))
    return IndexedNote(
        id=note_id,
        author_id=author_id,
        kind=spec.get("kind", "image"),
        created_at=spec.get("created_at", NOW - timedelta(hours=next(_ids))),
        like_count=spec.get("likes", 0),
        collect_count=spec.get("collects", 0),
        comment_count=spec.get("comments", 0),
        title=tokens_for_index(spec.get("title", "")),
        body=tokens_for_index(spec.get("body", "")),
        tags=tags,
        place=tokens_for_index(spec.get("place", "")),
        lat=spec.get("lat"),
        lon=spec.get("lon"),
    )


def ask(text: str, **fields: Any) -> LexicalQuery:
    """A LexicalQuery from what a member typed, as the service builds it."""
    parsed = query_parser.parse(text)
    must = tuple(Clause((term,)) for term in parsed.terms)
    must += tuple(Clause(phrase) for phrase in parsed.phrases)
    must_not = tuple(Clause((term,)) for term in parsed.excluded_terms)
    must_not += tuple(Clause(phrase) for phrase in parsed.excluded_phrases)
    fields.setdefault("limit", 50)
    return LexicalQuery(must=must, must_not=must_not, tags=parsed.tags, **fields)


async def found(backend: PostgresBackend, text: str, **fields: Any) -> list[int]:
    return [hit.id for hit in await backend.search(ask(text, **fields))]


async def world(runtime: Runtime, backend: PostgresBackend, *specs: dict[str, Any]) -> list[int]:
    notes = await World(runtime).notes(*specs)
    await backend.apply(notes, [])
    return [note.id for note in notes]


async def test_words_in_both_languages(runtime: Runtime, backend: PostgresBackend) -> None:
    hotpot_zh, hotpot_en, tea, sunscreen = await world(
        runtime,
        backend,
        {"title": "成都火锅探店", "body": "这家火锅太好吃了，牛油锅底很香"},
        {"title": "Hotpot night in Chengdu", "body": "The best hotpots we had, spicy!"},
        {"title": "奶茶推荐", "body": "夏天喝奶茶，不喝火锅汤"},
        {"title": "My sunscreen routine", "body": "A light SPF for hot days"},
    )
    assert set(await found(backend, "火锅")) == {hotpot_zh, tea}
    assert await found(backend, "火鍋") == await found(backend, "火锅")  # traditional folds
    assert await found(backend, "成都火锅") == [hotpot_zh]  # segmented, every word required
    assert await found(backend, "hotpots") == [hotpot_en]  # stemmed on both sides
    assert await found(backend, "HOTPOT chengdu") == [hotpot_en]
    assert await found(backend, "ＳＵＮＳＣＲＥＥＮ") == [sunscreen]  # full-width folds
    assert await found(backend, "hotpot sunscreen") == []
    assert await found(backend, "nothing-like-this") == []


async def test_phrases_keep_order_and_stay_inside_a_field(
    runtime: Runtime, backend: PostgresBackend
) -> None:
    ordered, reversed_, split = await world(
        runtime,
        backend,
        {"title": "Sunscreen routine", "body": "火锅好吃，真的"},
        {"title": "Routine sunscreen", "body": "好吃的火锅"},
        {"title": "All about sunscreen", "body": "routine 火锅"},
    )
    assert await found(backend, '"sunscreen routine"') == [ordered]
    assert await found(backend, '"火锅好吃"') == [ordered]
    assert set(await found(backend, "sunscreen routine")) == {ordered, reversed_, split}
    # The title's last word and the body's first are not next to each other.
    assert await found(backend, '"about sunscreen routine"') == []


async def test_tags_match_tags_and_their_words(runtime: Runtime, backend: PostgresBackend) -> None:
    tagged, written, chinese = await world(
        runtime,
        backend,
        {"title": "Today", "body": "What I wore", "tags": ["OOTD", "citywalk"]},
        {"title": "OOTD", "body": "not a tag here"},
        {"title": "周末", "body": "逛街", "tags": ["成都美食"]},
    )
    assert await found(backend, "#ootd") == [tagged]  # the tag, not the word
    assert await found(backend, "#OOTD") == [tagged]
    assert set(await found(backend, "ootd")) == {tagged, written}  # the word, anywhere
    assert await found(backend, "#成都美食") == [chinese]
    assert await found(backend, "美食") == [chinese]  # a tag's words are words
    assert await found(backend, "#ootd #citywalk") == [tagged]
    assert await found(backend, "#ootd #成都美食") == []
    assert await found(backend, "#成都") == []  # a tag matches whole


async def test_exclusions(runtime: Runtime, backend: PostgresBackend) -> None:
    spicy, mild, phrase = await world(
        runtime,
        backend,
        {"title": "Hotpot", "body": "very spicy broth"},
        {"title": "Hotpot", "body": "a mild broth"},
        {"title": "Hotpot", "body": "spicy is fine but the broth very mild"},
    )
    assert set(await found(backend, "hotpot -spicy")) == {mild}
    assert set(await found(backend, 'hotpot -"very spicy"')) == {mild, phrase}
    assert set(await found(backend, "hotpot -牛油")) == {spicy, mild, phrase}
    assert await found(backend, "-hotpot") == []  # exclusions alone select nothing
    # An exclusion changes what matches, not how a match ranks.
    plain = {hit.id: hit.score for hit in await backend.search(ask("hotpot"))}
    excluding = await backend.search(ask("hotpot -spicy"))
    assert [(hit.id, hit.score) for hit in excluding] == [(mild, plain[mild])]


async def test_filters(runtime: Runtime, backend: PostgresBackend) -> None:
    people = World(runtime)
    first, second = await people.authors(2)
    notes = await people.notes(
        {"title": "hotpot", "kind": "video", "author_id": first, "created_at": NOW},
        {
            "title": "hotpot",
            "kind": "image",
            "author_id": second,
            "created_at": NOW - timedelta(days=3),
            "lat": CHENGDU[0] + 0.02,
            "lon": CHENGDU[1],
        },
        {
            "title": "hotpot",
            "kind": "text",
            "author_id": first,
            "created_at": NOW - timedelta(days=300),
            "lat": SHANGHAI[0],
            "lon": SHANGHAI[1],
        },
    )
    await backend.apply(notes, [])
    video, image, old = (note.id for note in notes)
    assert await found(backend, "hotpot", kinds=("video",)) == [video]
    assert set(await found(backend, "hotpot", kinds=("video", "image"))) == {video, image}
    week = NOW - timedelta(days=7)
    assert set(await found(backend, "hotpot", since=week)) == {video, image}
    assert await found(backend, "hotpot", until=week) == [old]
    assert await found(backend, "hotpot", near=Near(CHENGDU[0], CHENGDU[1], 5)) == [image]
    assert await found(backend, "hotpot", near=Near(CHENGDU[0], CHENGDU[1], 1)) == []
    everywhere = Near(CHENGDU[0], CHENGDU[1], 3000)
    assert set(await found(backend, "hotpot", near=everywhere)) == {image, old}
    assert set(await found(backend, "hotpot", authors=(first,))) == {video, old}
    assert await found(backend, "hotpot", authors=()) == []
    assert await found(backend, "hotpot", exclude_authors=(first,)) == [image]
    assert await found(backend, "hotpot", kinds=("text",), authors=(first,), until=week) == [old]


@pytest.mark.parametrize(
    ("sort", "field"),
    [("likes", "likes"), ("collects", "collects"), ("comments", "comments"), ("latest", None)],
)
async def test_sorts_page_by_keyset(
    runtime: Runtime, backend: PostgresBackend, sort: str, field: str | None
) -> None:
    values = [5, 9, 5, 0, 12, 5, 3]  # ties are broken by id, newest id first
    specs = []
    for index, value in enumerate(values):
        spec: dict[str, Any] = {"title": "火锅 hotpot", "id": 1000 + index}
        if field is None:
            spec["created_at"] = NOW - timedelta(minutes=value)
        else:
            spec[field] = value
        specs.append(spec)
    specs.append({"title": "tea only", "id": 2000, "likes": 100, "created_at": NOW})
    notes = {note.id: note for note in await World(runtime).notes(*specs)}
    await backend.apply(list(notes.values()), [])
    del notes[2000]

    def key(note: IndexedNote) -> tuple[int, int]:
        value = {
            "likes": note.like_count,
            "collects": note.collect_count,
            "comments": note.comment_count,
            "latest": int(note.created_at.timestamp() * 1_000_000),
        }[sort]
        return value, note.id

    expected = sorted(notes, key=lambda note_id: key(notes[note_id]), reverse=True)
    pages: list[list[int]] = []
    after = None
    while True:
        hits = await backend.search(ask("hotpot 火锅", sort=sort, limit=3, after=after))
        if not hits:
            break
        pages.append([hit.id for hit in hits])
        after = key(notes[hits[-1].id])
    assert [note_id for page in pages for note_id in page] == expected
    assert [len(page) for page in pages] == [3, 3, 1]
    first = (await backend.search(ask("hotpot", sort=sort, limit=1)))[0]
    assert first.created_at == notes[first.id].created_at
    assert first.like_count == notes[first.id].like_count


async def test_relevance_relations(runtime: Runtime, backend: PostgresBackend) -> None:
    in_body, in_title, in_place, twice = await world(
        runtime,
        backend,
        {"title": "A long day out", "body": "we found a great hotpot place near the river"},
        {"title": "Hotpot guide", "body": "we found a great place near the river"},
        {"title": "A long day out", "body": "we found a great place", "place": "Hotpot Street"},
        {"title": "Hotpot guide", "body": "the hotpot was great near the river"},
    )
    hits = await backend.search(ask("hotpot"))
    score = {hit.id: hit.score for hit in hits}
    assert set(score) == {in_body, in_title, in_place, twice}
    assert score[in_title] > score[in_body] > score[in_place] > 0  # title > body > place
    assert score[twice] > score[in_title]  # title and body beat title alone
    assert (await backend.search(ask("hotpot", limit=2)))[0].id == twice
    ranked = await backend.search(ask("hotpot", limit=2))
    assert [hit.score for hit in ranked] == sorted((hit.score for hit in ranked), reverse=True)


async def test_apply_is_idempotent_and_replaces(runtime: Runtime, backend: PostgresBackend) -> None:
    made = World(runtime)
    note, other = await made.notes(
        {"title": "Hotpot", "body": "spicy", "likes": 3}, {"title": "Noodles"}
    )
    await backend.apply([note, other], [])
    await backend.apply([note, other], [])
    assert (await backend.stats()).documents == 2
    assert await found(backend, "hotpot") == [note.id]
    edited = indexed(note.id, note.author_id, title="Noodles", body="mild", likes=4)
    await backend.apply([note, edited], [])  # the last version of a note wins
    assert await found(backend, "hotpot") == []
    assert set(await found(backend, "noodles")) == {note.id, other.id}
    await backend.apply([], [other.id, other.id, 999_999])
    await backend.apply([], [other.id])
    assert await found(backend, "noodles") == [note.id]
    await backend.apply([other], [other.id])  # deleted then indexed again: indexed
    assert set(await found(backend, "noodles")) == {note.id, other.id}
    await backend.apply([indexed(123_456_789, note.author_id, title="ghost noodles")], [])
    assert await found(backend, "ghost") == []  # no such note: skipped, not an error
    assert (await backend.stats()).documents == 2


async def test_a_deleted_note_leaves_the_index(runtime: Runtime, backend: PostgresBackend) -> None:
    (note_id,) = await world(runtime, backend, {"title": "Hotpot"})
    async with runtime.sessions() as session:
        await session.execute(delete(Note).where(Note.id == note_id))
        await commit(session)
    assert await found(backend, "hotpot") == []
    assert (await backend.stats()).documents == 0


async def test_update_counters(runtime: Runtime, backend: PostgresBackend) -> None:
    low, high = await world(
        runtime, backend, {"title": "Hotpot", "likes": 1}, {"title": "Hotpot", "likes": 2}
    )
    assert await found(backend, "hotpot", sort="likes") == [high, low]
    await backend.update_counters([(low, 10, 1, 2), (low, 30, 4, 5), (987_654, 1, 1, 1)])
    await backend.update_counters([])
    hits = await backend.search(ask("hotpot", sort="likes"))
    assert [hit.id for hit in hits] == [low, high]
    assert (hits[0].like_count, hits[0].collect_count, hits[0].comment_count) == (30, 4, 5)
    assert await found(backend, "hotpot", sort="collects") == [low, high]


async def test_rebuild_replaces_everything(runtime: Runtime, backend: PostgresBackend) -> None:
    made = World(runtime)
    stale = (await made.notes({"title": "old hotpot"}))[0]
    await backend.apply([stale], [])
    fresh = await made.notes(*({"title": f"hotpot {word}"} for word in "abcdefg"))

    async def stream():  # type: ignore[no-untyped-def]
        for note in fresh:
            yield note

    seen: list[int] = []
    assert await backend.rebuild(stream(), seen.append) == 7
    assert seen == [3, 6, 7]  # the count so far, after each batch of 3
    assert set(await found(backend, "hotpot")) == {note.id for note in fresh}
    stats = await backend.stats()
    assert stats.documents == 7
    assert stats.size_bytes > 0
    assert stats.analyzer_version == ANALYZER_VERSION
    assert stats.details["needs_reindex"] is False
    async with runtime.sessions() as session:
        await session.execute(text("COMMENT ON TABLE note_search IS 'analyzer 0-old'"))
        await commit(session)
    stats = await backend.stats()
    assert (stats.analyzer_version, stats.details["needs_reindex"]) == ("0-old", True)
    await backend.rebuild(stream(), seen.append)
    assert (await backend.stats()).details["needs_reindex"] is False


async def test_odd_input_never_breaks_the_query(runtime: Runtime, backend: PostgresBackend) -> None:
    (note_id,) = await world(runtime, backend, {"title": "xi'an hotpot-chengdu", "tags": ["a-b"]})
    assert await found(backend, "xi'an") == [note_id]
    assert await found(backend, "hotpot-chengdu") == [note_id]
    assert await found(backend, "#a-b") == [note_id]
    for terms in (("it's",), ("a\\",), ("&", "|"), ("tag:a-b",), ("'", "!"), ("",), ()):
        odd = LexicalQuery(must=(Clause(terms),), must_not=(Clause(("x'y",)),))
        assert await backend.search(odd) == []
    for typed in ("火锅 (成都", '"unclosed', "-", "#", "!!", "a & b | c", "<-> :*"):
        assert isinstance(await found(backend, typed), list)


def test_literals() -> None:
    note = IndexedNote(
        id=1,
        author_id=2,
        kind="image",
        created_at=NOW,
        like_count=0,
        collect_count=0,
        comment_count=0,
        title="hotpot chengdu",
        body="hotpot it's",
        tags="ootd",
        place="成都",
    )
    assert tsvector(note) == (
        "'hotpot':1A,11B 'chengdu':2A 'it''s':12B 'tag:ootd':21C 'ootd':22C '成都':31D"
    )
    query = LexicalQuery(
        must=(Clause(("a",)), Clause(("b", "c"))),
        must_not=(Clause(("d",)), Clause(("e", "f"))),
        tags=("x",),
    )
    assert tsquery(query) == "'a' & ('b' <-> 'c') & 'tag:x' & !'d' & !('e' <-> 'f')"
    assert tsquery(LexicalQuery(must_not=(Clause(("d",)),))) == ""


async def test_the_table_counts_as_the_model_says(
    runtime: Runtime, backend: PostgresBackend
) -> None:
    await world(runtime, backend, {"title": "one"}, {"title": "two"})
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NoteSearch)) == 2
