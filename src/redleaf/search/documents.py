"""Notes as the lexical index holds them (`IndexedNote`), built from the database.

Only searchable notes are indexed: published, public, visible to moderation and withheld from
no locale (a note withheld anywhere is left out entirely, since one index serves every reader;
its author and other readers still find it elsewhere). Any other note, or a note that is gone,
is a delete. Text fields hold `analyze.tokens_for_index` terms: the title, the body, the
place's English and Chinese names. `tags` holds the note's folded tags themselves (`Note.tags`,
the same list as its `note_tags` rows), space-joined (a tag typed in a body has no white space,
`notes.text.TAG_PATTERN`; an explicit one that has becomes its words); the backends match
them exactly for `#tag` and index their analysed words too, so a plain word finds an explicit
tag the body does not write. `created_at` is the note's `created_at`, which `since` and
`latest` use.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from redleaf.notes.models import Note, Place
from redleaf.search.analyze import tokens_for_index
from redleaf.search.backends.base import IndexedNote

LOAD_CHUNK = 500  # ids per IN (...) query
# Batches at least this large are analysed in a worker thread, so the event loop stays free.
THREAD_MIN = 20

_COLUMNS = (
    Note.id,
    Note.author_id,
    Note.kind,
    Note.created_at,
    Note.like_count,
    Note.collect_count,
    Note.comment_count,
    Note.title,
    Note.body,
    Note.tags,
    Note.state,
    Note.visibility,
    Note.moderation_state,
    Note.withheld_in,
    Place.name_en,
    Place.name_zh,
    Place.lat,
    Place.lon,
)


def searchable(note: Any) -> bool:
    """Whether a note (a `Note`, or a row with the same attributes) belongs in the index."""
    return (
        note.state == "published"
        and note.visibility == "public"
        and note.moderation_state == "visible"
        and not note.withheld_in
    )


def searchable_sql() -> ColumnElement[bool]:
    """`searchable` as SQL."""
    return and_(
        Note.state == "published",
        Note.visibility == "public",
        Note.moderation_state == "visible",
        Note.withheld_in == "",
    )


def _indexed(row: Any) -> IndexedNote:
    tags = [tag for tag in (row.tags or []) if isinstance(tag, str) and tag]
    place = " ".join(name for name in (row.name_en, row.name_zh) if name)
    return IndexedNote(
        id=row.id,
        author_id=row.author_id,
        kind=row.kind,
        created_at=row.created_at,
        like_count=row.like_count,
        collect_count=row.collect_count,
        comment_count=row.comment_count,
        title=tokens_for_index(row.title or ""),
        body=tokens_for_index(row.body or ""),
        tags=" ".join(tags),  # an explicit tag written with spaces becomes its words
        place=tokens_for_index(place) if place else "",
        lat=row.lat,
        lon=row.lon,
    )


async def _analyse(rows: Sequence[Any]) -> list[IndexedNote]:
    if len(rows) < THREAD_MIN:
        return [_indexed(row) for row in rows]
    return await asyncio.to_thread(lambda: [_indexed(row) for row in rows])


def _select() -> Any:
    return select(*_COLUMNS).outerjoin(Place, Place.id == Note.place_id)


async def load_documents(
    session: AsyncSession, ids: Iterable[int]
) -> tuple[list[IndexedNote], list[int]]:
    """(notes to index, ids to delete) for `ids`: a note that is not searchable, or is gone,
    is a delete."""
    wanted = sorted(set(ids))
    rows: list[Any] = []
    for start in range(0, len(wanted), LOAD_CHUNK):
        chunk = wanted[start : start + LOAD_CHUNK]
        rows.extend((await session.execute(_select().where(Note.id.in_(chunk)))).all())
    found = [row for row in rows if searchable(row)]
    upserts = await _analyse(found)
    kept = {note.id for note in upserts}
    return upserts, [note_id for note_id in wanted if note_id not in kept]


async def count_searchable(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Note).where(searchable_sql())) or 0
    )


async def stream_all(
    session_factory: async_sessionmaker[AsyncSession], batch: int = 1000
) -> AsyncIterator[IndexedNote]:
    """Every searchable note, in id order, read in short transactions of `batch` notes."""
    after = 0
    while True:
        async with session_factory() as session:
            statement = (
                _select().where(searchable_sql(), Note.id > after).order_by(Note.id).limit(batch)
            )
            rows = (await session.execute(statement)).all()
        if not rows:
            return
        for note in await _analyse(rows):
            yield note
        after = rows[-1].id
        if len(rows) < batch:
            return
