"""Keeping the index in step with the database through jobs (search/jobs.py), on the real
database and a real Tantivy index: what is searchable, what never is, batches, the hand-over
by a process without the writer, counters, and `redleaf reindex`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from redleaf.accounts.models import Account
from redleaf.kit.db import commit, utcnow
from redleaf.kit.jobs.models import DONE, QUEUED, Job
from redleaf.kit.runtime import Runtime
from redleaf.moderation import enforce
from redleaf.notes import service as notes_service
from redleaf.notes.models import Note
from redleaf.notes.schemas import NoteUpdate
from redleaf.search import documents
from redleaf.search.backends.base import Clause, LexicalQuery
from redleaf.search.backends.select import backend_for, index_directory
from redleaf.search.backends.tantivy_backend import TantivyBackend
from redleaf.search.jobs import INDEX, REFRESH_COUNTERS, refresh_counters_since, schedule_index
from redleaf.settings import Settings
from tests.accounts.factories import make_account
from tests.notes.factories import make_note, run_jobs


@pytest.fixture
async def runtime(app_with) -> AsyncIterator[Runtime]:  # type: ignore[no-untyped-def]
    """The app's runtime without the moderation models, whose checks (and holds of similar
    notes) belong to moderation's tests; holds here come from `enforce` directly."""
    async with app_with(moderation_models="off") as (application, _client):
        yield application.state.runtime


async def changed(runtime: Runtime, *note_ids: int) -> None:
    """What the notes' call sites do after a change (idempotent if they did it already)."""
    async with runtime.sessions() as session:
        for note_id in note_ids:
            await schedule_index(session, note_id)
        await commit(session)


async def found(runtime: Runtime, *terms: str, **fields: object) -> list[int]:
    query = LexicalQuery(must=tuple(Clause((term,)) for term in terms), **fields)  # type: ignore[arg-type]
    return [hit.id for hit in await backend_for(runtime).search(query)]


async def member(runtime: Runtime, name: str = "mei") -> Account:
    return await make_account(runtime, name, age_days=30)  # old enough not to be held


async def test_a_published_public_note_is_found_after_its_job(runtime: Runtime) -> None:
    mei = await member(runtime)
    note = await make_note(
        runtime,
        mei,
        title="成都火锅探店",
        body="牛油锅底很香 #成都美食",
        tags=["spicy food"],
        place={"name": "Chengdu", "name_zh": "成都", "lat": 30.57, "lon": 104.07},
    )
    await changed(runtime, note.id)
    assert await found(runtime, "火锅") == []  # not before the job runs
    await run_jobs(runtime)
    assert await found(runtime, "火锅") == [note.id]
    assert await found(runtime, "chengdu") == [note.id]  # the place, in English
    assert await found(runtime, "spici") == [note.id]  # an explicit tag's words
    hits = await backend_for(runtime).search(LexicalQuery(tags=("成都美食",)))
    assert [hit.id for hit in hits] == [note.id]


async def test_what_never_reaches_the_index(runtime: Runtime) -> None:
    mei = await member(runtime)
    public = await make_note(runtime, mei, title="Kyoto tea public")
    private = await make_note(runtime, mei, title="Kyoto tea private", visibility="private")
    followers = await make_note(runtime, mei, title="Kyoto tea followers", visibility="followers")
    draft = await make_note(runtime, mei, title="Kyoto tea draft", draft=True)
    held = await make_note(runtime, mei, title="Kyoto tea held")
    removed = await make_note(runtime, mei, title="Kyoto tea removed")
    withheld = await make_note(runtime, mei, title="Kyoto tea withheld")
    deleted = await make_note(runtime, mei, title="Kyoto tea deleted")
    everything = [public, private, followers, draft, held, removed, withheld, deleted]
    async with runtime.sessions() as session:
        await enforce.set_content_state(session, "note", held.id, "held")
        await enforce.set_content_state(session, "note", removed.id, "removed")
        await session.execute(
            update(Note).where(Note.id == withheld.id).values(withheld_in=",zh-Hans,")
        )
        row = await session.get(Note, deleted.id)
        assert row is not None
        await notes_service.do_delete_note(session, runtime, row)
        await commit(session)
    await changed(runtime, *(note.id for note in everything))
    await run_jobs(runtime)
    assert await found(runtime, "kyoto") == [public.id]
    assert (await backend_for(runtime).stats()).documents == 1


async def test_a_note_that_changes_state_leaves_the_index(runtime: Runtime) -> None:
    mei = await member(runtime)
    note = await make_note(runtime, mei, title="Osaka street food")
    other = await make_note(runtime, mei, title="Osaka castle")
    await changed(runtime, note.id, other.id)
    await run_jobs(runtime)
    assert set(await found(runtime, "osaka")) == {note.id, other.id}

    async with runtime.sessions() as session:  # a moderator holds it
        await enforce.set_content_state(session, "note", note.id, "held")
        await commit(session)
    await changed(runtime, note.id)
    await run_jobs(runtime)
    assert await found(runtime, "osaka") == [other.id]

    async with runtime.sessions() as session:  # back to visible: found again
        await enforce.set_content_state(session, "note", note.id, "visible")
        await commit(session)
    await changed(runtime, note.id)
    await run_jobs(runtime)
    assert set(await found(runtime, "osaka")) == {note.id, other.id}

    async with runtime.sessions() as session:  # its author makes it private
        row = await session.get(Note, other.id)
        assert row is not None
        await notes_service.do_update_note(
            session, runtime, mei, row, NoteUpdate(visibility="private")
        )
        await commit(session)
    await changed(runtime, other.id)
    await run_jobs(runtime)
    assert await found(runtime, "osaka") == [note.id]

    async with runtime.sessions() as session:  # an edit: the new words, not the old
        row = await session.get(Note, note.id)
        assert row is not None
        await notes_service.do_update_note(
            session, runtime, mei, row, NoteUpdate(title="Nara deer park")
        )
        await commit(session)
    await changed(runtime, note.id)
    await run_jobs(runtime)
    assert await found(runtime, "osaka") == []
    assert await found(runtime, "nara") == [note.id]


async def test_jobs_are_applied_in_batches(runtime: Runtime) -> None:
    mei = await member(runtime)
    for n in range(30):
        await make_note(runtime, mei, title=f"Hangzhou tea {n}")
    ran = await run_jobs(runtime)  # the notes' service queued one job each
    assert ran < 30  # the first job took the others into its batch
    assert len(await found(runtime, "hangzhou", limit=100)) == 30
    async with runtime.sessions() as session:
        states = dict(
            (
                await session.execute(
                    select(Job.state, func.count()).where(Job.kind == INDEX).group_by(Job.state)
                )
            ).all()
        )
    assert states == {DONE: 30}
    # The periodic counter refresh was scheduled, for later.
    async with runtime.sessions() as session:
        refresh = (await session.scalars(select(Job).where(Job.kind == REFRESH_COUNTERS))).all()
    assert len(refresh) == 1 and refresh[0].state == QUEUED and refresh[0].run_at > utcnow()


async def test_a_process_without_the_writer_hands_jobs_over(runtime: Runtime) -> None:
    mei = await member(runtime)
    note = await make_note(runtime, mei, title="Xiamen island")
    if not isinstance(backend_for(runtime), TantivyBackend):
        pytest.skip("only Tantivy has a writer lock")
    holder = TantivyBackend(index_directory(runtime))  # "another process" holds the writer
    try:
        assert holder.can_write()
        assert not backend_for(runtime).can_write()
        await run_jobs(runtime)  # the job the notes' service queued
        async with runtime.sessions() as session:
            rows = (await session.scalars(select(Job).where(Job.kind == INDEX))).all()
        assert sorted(row.state for row in rows) == [DONE, QUEUED]  # handed over, not failed
        assert all(row.attempts <= 1 and row.last_error is None for row in rows)
    finally:
        await holder.close()
    async with runtime.sessions() as session:  # the copy is due a second later; now, here
        await session.execute(update(Job).where(Job.state == QUEUED).values(run_at=utcnow()))
        await commit(session)
    await run_jobs(runtime)
    assert await found(runtime, "xiamen") == [note.id]


async def test_counters_are_refreshed(runtime: Runtime) -> None:
    mei, jake = await member(runtime), await member(runtime, "jake")
    quiet = await make_note(runtime, mei, title="Suzhou garden quiet")
    liked = await make_note(runtime, mei, title="Suzhou garden liked")
    await changed(runtime, quiet.id, liked.id)
    await run_jobs(runtime)
    before = utcnow()
    async with runtime.sessions() as session:
        row = await session.get(Note, liked.id)
        assert row is not None
        await notes_service.do_like(session, runtime, jake, row)
        await commit(session)
    async with runtime.sessions() as session:
        assert await refresh_counters_since(session, runtime, before) == 1
    hits = await backend_for(runtime).search(
        LexicalQuery(must=(Clause(("suzhou",)),), sort="likes")
    )
    assert [(hit.id, hit.like_count) for hit in hits] == [(liked.id, 1), (quiet.id, 0)]

    # The periodic job does the same from the time of the last one.
    async with runtime.sessions() as session:
        row = await session.get(Note, quiet.id)
        assert row is not None
        await notes_service.do_like(session, runtime, jake, row)
        await session.execute(update(Job).values(run_at=utcnow()))  # due now
        await commit(session)
    await run_jobs(runtime)
    hits = await backend_for(runtime).search(
        LexicalQuery(must=(Clause(("suzhou",)),), sort="likes")
    )
    assert {hit.id: hit.like_count for hit in hits} == {liked.id: 1, quiet.id: 1}


async def test_load_documents_and_stream_all_agree(runtime: Runtime) -> None:
    mei = await member(runtime)
    shown = [await make_note(runtime, mei, title=f"Qingdao beer {n}") for n in range(5)]
    hidden = await make_note(runtime, mei, title="Qingdao private", visibility="private")
    async with runtime.sessions() as session:
        upserts, deletes = await documents.load_documents(
            session, [*(n.id for n in shown), hidden.id, 12345]
        )
        assert await documents.count_searchable(session) == 5
    assert sorted(n.id for n in upserts) == sorted(n.id for n in shown)
    assert sorted(deletes) == sorted([hidden.id, 12345])
    streamed = [n async for n in documents.stream_all(runtime.sessions, batch=2)]
    assert [n.id for n in streamed] == sorted(n.id for n in shown)
    assert streamed[0].title.split()[:2] == ["qingdao", "beer"]


async def test_reindex_command(
    runtime: Runtime, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from redleaf.search import cli

    mei = await member(runtime)
    notes = [await make_note(runtime, mei, title=f"Dali lake {n}") for n in range(12)]
    private = await make_note(runtime, mei, title="Dali private", visibility="private")
    assert await found(runtime, "dali") == []  # no jobs ran: the index knows nothing yet
    monkeypatch.setattr(cli, "load_settings", lambda: settings)
    result = await asyncio.to_thread(CliRunner().invoke, cli.reindex, [])
    assert result.exit_code == 0, result.output
    assert "indexed 12 notes" in result.output
    # This process's reader follows the switch at once; the private note is not there.
    assert sorted(await found(runtime, "dali", limit=50)) == sorted(n.id for n in notes)
    assert private.id not in await found(runtime, "private")
    if isinstance(backend_for(runtime), TantivyBackend):
        directory = index_directory(runtime)
        generations = await asyncio.to_thread(lambda: list(directory.glob("g*")))
        assert len(generations) == 1  # the old one, which no writer held, was removed
