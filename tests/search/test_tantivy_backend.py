"""The Tantivy backend against the LexicalBackend interface, on a real index in a temporary
directory: writes, matching in both languages, filters, sorted pages, rebuilds and the writer
lock (docs/adr/0004)."""

from __future__ import annotations

import asyncio
import json
import math
import os
import signal
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from redleaf.search.analyze import tokens_for_index
from redleaf.search.backends.base import Clause, IndexedNote, LexicalQuery, Near, sort_value
from redleaf.search.backends.tantivy_backend import (
    ANALYZER_VERSION,
    POINTER,
    TantivyBackend,
)

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def note(
    note_id: int,
    title: str = "",
    body: str = "",
    *,
    tags: str = "",
    place: str = "",
    author: int = 1,
    kind: str = "image",
    days: float = 0,
    likes: int = 0,
    collects: int = 0,
    comments: int = 0,
    lat: float | None = None,
    lon: float | None = None,
) -> IndexedNote:
    return IndexedNote(
        id=note_id,
        author_id=author,
        kind=kind,
        created_at=T0 + timedelta(days=days),
        like_count=likes,
        collect_count=collects,
        comment_count=comments,
        title=tokens_for_index(title),
        body=tokens_for_index(body),
        tags=tags,
        place=tokens_for_index(place),
        lat=lat,
        lon=lon,
    )


def words(*items: str | tuple[str, ...]) -> tuple[Clause, ...]:
    return tuple(Clause(item if isinstance(item, tuple) else (item,)) for item in items)


@pytest.fixture
async def backend(tmp_path: Path) -> AsyncIterator[TantivyBackend]:
    made = TantivyBackend(tmp_path / "notes")
    yield made
    await made.close()


async def ids(backend: TantivyBackend, **fields: object) -> list[int]:
    return [hit.id for hit in await backend.search(LexicalQuery(**fields))]  # type: ignore[arg-type]


async def eventually(
    read: Callable[[], Awaitable[list[int]]], ok: Callable[[list[int]], bool], seconds: float = 10
) -> list[int]:
    deadline = time.monotonic() + seconds
    while True:
        found = await read()
        if ok(found) or time.monotonic() > deadline:
            assert ok(found), found
            return found
        await asyncio.sleep(0.05)


async def test_upserts_and_deletes_are_idempotent(backend: TantivyBackend) -> None:
    assert backend.can_write()
    batch = [note(1, "Hotpot in Chengdu"), note(2, "成都火锅")]
    await backend.apply(batch, [])
    await backend.apply(batch, [])
    assert (await backend.stats()).documents == 2
    await backend.apply([note(1, "Noodles in Chengdu")], [])  # replaced, not added
    assert (await backend.stats()).documents == 2
    assert await ids(backend, must=words("hotpot")) == []
    assert await ids(backend, must=words("noodl")) == [1]
    await backend.apply([], [2, 2, 999])
    await backend.apply([], [2])
    assert (await backend.stats()).documents == 1
    assert await ids(backend, must=words("火锅")) == []


async def test_terms_and_phrases_in_both_languages(backend: TantivyBackend) -> None:
    await backend.apply(
        [
            note(1, "成都火锅", "这家火锅好吃"),
            note(2, "奶茶", "好吃的火锅汤底"),
            note(3, "Hotpot night", "The best hotpots in Chengdu"),
            note(4, "Chengdu walk", "hotpot later, best tea first"),
        ],
        [],
    )
    assert set(await ids(backend, must=words("火锅"))) == {1, 2}
    assert await ids(backend, must=words(("火锅", "好吃"))) == [1]  # in that order only
    assert await ids(backend, must=words(("好吃", "火锅"))) == [2]
    assert set(await ids(backend, must=words("hotpot", "chengdu"))) == {3, 4}
    assert await ids(backend, must=words(("best", "hotpot"))) == [3]
    # A title match outweighs the same word in a body.
    assert await ids(backend, must=words("chengdu")) == [4, 3]


async def test_tags_exact_and_as_words(backend: TantivyBackend) -> None:
    await backend.apply(
        [
            note(1, "晚饭", "牛油锅底", tags="成都美食 hotpot"),
            note(2, "成都", "美食 地图", tags="成都"),
            note(3, "Dinner", "nothing else", tags="streetfood"),
        ],
        [],
    )
    assert await ids(backend, tags=("成都美食",)) == [1]
    assert await ids(backend, tags=("成都",)) == [2]
    assert await ids(backend, tags=("成都美食", "hotpot")) == [1]
    assert await ids(backend, tags=("美食",)) == []  # a tag is matched whole
    assert set(await ids(backend, must=words("美食"))) == {1, 2}  # a word finds a tag's words
    assert await ids(backend, must=words("streetfood")) == [3]


async def test_exclusions(backend: TantivyBackend) -> None:
    await backend.apply(
        [
            note(1, "火锅", "麻辣 牛油"),
            note(2, "火锅", "清汤 奶茶"),
            note(3, "Hotpot", "spicy beef broth"),
            note(4, "Hotpot", "mild beef soup"),
        ],
        [],
    )
    assert await ids(backend, must=words("火锅"), must_not=words("奶茶")) == [1]
    assert await ids(backend, must=words("hotpot"), must_not=words(("beef", "broth"))) == [4]
    assert set(await ids(backend, must=words("hotpot"), must_not=words(("broth", "beef")))) == {
        3,
        4,
    }  # an excluded phrase excludes those words in that order only
    assert await ids(backend, must_not=words("hotpot")) == []  # exclusions alone: nothing


async def test_filters(backend: TantivyBackend) -> None:
    chengdu = (30.5728, 104.0668)
    await backend.apply(
        [
            note(1, "tea", kind="image", author=1, days=0, lat=chengdu[0], lon=chengdu[1]),
            note(2, "tea", kind="video", author=2, days=10, lat=30.60, lon=104.10),
            note(3, "tea", kind="text", author=3, days=20),
            # Inside the 20 km box's corner, 25 km away: outside the circle.
            note(4, "tea", kind="video", author=2, days=30, lat=30.7328, lon=104.2528),
            note(5, "tea", kind="image", author=4, days=40, lat=39.9, lon=116.4),  # Beijing
        ],
        [],
    )
    tea = words("tea")
    assert set(await ids(backend, must=tea, kinds=("video",))) == {2, 4}
    assert set(await ids(backend, must=tea, kinds=("image", "text"))) == {1, 3, 5}
    assert await ids(backend, must=tea, kinds=("gif",)) == []
    since, until = T0 + timedelta(days=10), T0 + timedelta(days=30)
    assert set(await ids(backend, must=tea, since=since)) == {2, 3, 4, 5}
    assert set(await ids(backend, must=tea, since=since, until=until)) == {2, 3}  # until: before
    assert set(await ids(backend, must=tea, authors=(2, 3))) == {2, 3, 4}
    assert await ids(backend, must=tea, authors=()) == []
    assert set(await ids(backend, must=tea, exclude_authors=(2, 4))) == {1, 3}
    near = Near(lat=chengdu[0], lon=chengdu[1], km=20)
    assert set(await ids(backend, must=tea, near=near)) == {1, 2}
    assert set(await ids(backend, must=tea, near=Near(chengdu[0], chengdu[1], 30))) == {1, 2, 4}
    assert await ids(backend, must=tea, near=near, kinds=("video",), sort="latest") == [2]


async def test_near_finds_enough_when_the_box_corners_crowd_the_top(
    backend: TantivyBackend,
) -> None:
    """Hits outside the circle but inside its box are dropped after Tantivy's top k: the
    backend asks for more until the page is full."""
    corner = [
        note(i, "tea tea tea", lat=30.7328, lon=104.2528, likes=100 + i) for i in range(1, 30)
    ]
    inside = [note(100 + i, "tea", lat=30.58, lon=104.07, likes=i) for i in range(5)]
    await backend.apply(corner + inside, [])
    near = Near(30.5728, 104.0668, 20)
    assert set(await ids(backend, must=words("tea"), near=near, limit=5)) == {
        100,
        101,
        102,
        103,
        104,
    }
    assert await ids(backend, must=words("tea"), near=near, limit=3, sort="likes") == [
        104,
        103,
        102,
    ]


@pytest.mark.parametrize("sort", ["latest", "likes", "collects", "comments"])
async def test_sorted_pages_have_no_repeats_and_no_gaps(backend: TantivyBackend, sort: str) -> None:
    # Many ties (counts drawn from three values, several notes a day) across page boundaries.
    notes = [
        note(
            i,
            "kyoto temple",
            days=(i * 7) % 5,
            likes=i % 3,
            collects=(i * 5) % 3,
            comments=(i * 2) % 3,
        )
        for i in range(1, 41)
    ]
    notes.append(note(99, "osaka"))
    await backend.apply(notes, [])
    key = {
        "latest": lambda n: n.created_at,
        "likes": lambda n: n.like_count,
        "collects": lambda n: n.collect_count,
        "comments": lambda n: n.comment_count,
    }[sort]
    expected = [n.id for n in sorted(notes[:-1], key=lambda n: (key(n), n.id), reverse=True)]
    for limit in (1, 3, 7, 40, 50):
        seen: list[int] = []
        after = None
        while True:
            page = await backend.search(
                LexicalQuery(must=words("kyoto"), sort=sort, limit=limit, after=after)  # type: ignore[arg-type]
            )
            seen += [hit.id for hit in page]
            if len(page) < limit:
                break
            after = (sort_value(page[-1], sort), page[-1].id)  # type: ignore[arg-type]
        assert seen == expected, limit


async def test_counters_are_updated_in_place(backend: TantivyBackend) -> None:
    await backend.apply([note(1, "tea", "green tea", tags="茶"), note(2, "tea", likes=5)], [])
    assert await ids(backend, must=words("tea"), sort="likes") == [2, 1]
    await backend.update_counters([(1, 9, 2, 3), (404, 1, 1, 1)])
    hits = await backend.search(LexicalQuery(must=words("tea"), sort="likes"))
    assert [(h.id, h.like_count, h.collect_count, h.comment_count) for h in hits] == [
        (1, 9, 2, 3),
        (2, 5, 0, 0),
    ]
    assert await ids(backend, must=words(("green", "tea"))) == [1]  # the text is kept
    assert await ids(backend, tags=("茶",)) == [1]
    assert (await backend.stats()).documents == 2


async def test_hits_carry_what_the_rerank_needs(backend: TantivyBackend) -> None:
    await backend.apply([note(7, "tea", days=3, likes=4, collects=5, comments=6)], [])
    (hit,) = await backend.search(LexicalQuery(must=words("tea")))
    assert (hit.id, hit.created_at, hit.like_count, hit.collect_count, hit.comment_count) == (
        7,
        T0 + timedelta(days=3),
        4,
        5,
        6,
    )
    assert hit.score > 0 and math.isfinite(hit.score)


async def test_rebuild_switches_open_readers(tmp_path: Path) -> None:
    directory = tmp_path / "notes"
    writer, reader = TantivyBackend(directory), TantivyBackend(directory)
    try:
        await writer.apply([note(1, "old hotpot"), note(2, "old tea")], [])
        await eventually(lambda: ids(reader, must=words("old")), lambda found: len(found) == 2)
        first = (await reader.stats()).details["generation"]

        async def fresh() -> AsyncIterator[IndexedNote]:
            for i in range(10, 13):
                yield note(i, "new hotpot")

        seen: list[int] = []
        assert await writer.rebuild(fresh(), seen.append) == 3
        assert seen[-1] == 3
        assert set(await ids(reader, must=words("hotpot"))) == {10, 11, 12}
        assert await ids(reader, must=words("old")) == []
        stats = await reader.stats()
        assert stats.details["generation"] != first and stats.documents == 3
        assert not (directory / str(first)).exists()  # no writer held it: removed
        # The writer moved to the new generation too.
        assert writer.can_write()
        await writer.apply([note(20, "newer hotpot")], [])
        # Another process's commit reaches a reader on its next reload (OnCommit, ~0.5 s).
        await eventually(lambda: ids(reader, must=words("hotpot")), lambda found: 20 in found)
    finally:
        await writer.close()
        await reader.close()


async def test_a_second_writer_is_refused_until_the_first_lets_go(tmp_path: Path) -> None:
    first, second = TantivyBackend(tmp_path / "notes"), TantivyBackend(tmp_path / "notes")
    try:
        assert first.can_write()
        assert not second.can_write()
        assert not second.can_write()  # asked again: still refused, no waiting
        await first.close()
        assert second.can_write()
        await second.apply([note(1, "tea")], [])
        assert await ids(second, must=words("tea")) == [1]
    finally:
        await first.close()
        await second.close()


async def test_an_index_of_another_analyzer_asks_for_a_reindex(tmp_path: Path) -> None:
    backend = TantivyBackend(tmp_path / "notes")
    await backend.apply([note(1, "tea")], [])
    await backend.close()
    pointer = tmp_path / "notes" / POINTER
    data = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**data, "analyzer_version": ANALYZER_VERSION + "-old"}))
    reopened = TantivyBackend(tmp_path / "notes")
    try:
        stats = await reopened.stats()
        assert stats.details["needs_reindex"] is True and stats.documents == 1
        assert await ids(reopened, must=words("tea")) == [1]  # still answering meanwhile
    finally:
        await reopened.close()


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from redleaf.search.backends.tantivy_backend import TantivyBackend
    backend = TantivyBackend(Path(sys.argv[1]))
    print("held" if backend.can_write() else "refused", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.slow
async def test_another_process_holding_the_writer_and_dying(tmp_path: Path) -> None:
    """Tantivy's lock is an OS file lock: refused while another process holds it, free again
    when that process dies, even by SIGKILL."""
    directory = tmp_path / "notes"
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _HOLDER,
        str(directory),
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    here = TantivyBackend(directory)
    try:
        assert holder.stdout is not None
        line = await asyncio.wait_for(holder.stdout.readline(), 60)
        assert line.decode().strip() == "held"
        assert not here.can_write()
        holder.send_signal(signal.SIGKILL)
        await asyncio.wait_for(holder.wait(), 10)
        assert here.can_write()
        await here.apply([note(1, "tea")], [])
        assert await ids(here, must=words("tea")) == [1]
    finally:
        if holder.returncode is None:
            holder.kill()
            await holder.wait()
        await here.close()
