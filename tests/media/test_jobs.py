"""The processing state machine as jobs: crashes, re-runs, notes, discards and the clean-up."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from redleaf.accounts.models import Account
from redleaf.kit.db import commit, rollback, utcnow
from redleaf.kit.jobs import queue
from redleaf.kit.jobs.models import DONE, QUEUED, RUNNING
from redleaf.kit.jobs.registry import JobContext, get_handler
from redleaf.kit.runtime import Runtime
from redleaf.media import service
from redleaf.media.models import Media
from redleaf.media.storage import LocalStorage, storage_for
from redleaf.notes.models import Note
from tests.accounts.factories import make_account, token_headers
from tests.media import samples
from tests.media.factories import jobs_of, process_all, uploaded


@pytest.fixture
async def lily(runtime: Runtime, client: httpx.AsyncClient) -> dict[str, str]:
    await make_account(runtime, "lily")
    return await token_headers(client, "lily")


def disk(runtime: Runtime) -> set[str]:
    """Every file in the media directory, staging included."""
    storage = storage_for(runtime.settings)
    assert isinstance(storage, LocalStorage)
    return {p.relative_to(storage.root).as_posix() for p in storage.root.rglob("*") if p.is_file()}


async def media_row(runtime: Runtime, media_id: str | int) -> Media | None:
    async with runtime.sessions() as session:
        return await session.get(Media, int(media_id))


async def add_note(runtime: Runtime, media_id: str, state: str = "processing") -> int:
    async with runtime.sessions() as session:
        media = await session.get(Media, int(media_id))
        assert media is not None
        note = Note(author_id=media.owner_id, state=state)
        session.add(note)
        await session.flush()
        media.note_id = note.id
        await commit(session)
        return note.id


async def crash_processing(runtime: Runtime) -> None:
    """A worker takes the processing job, does all the work, and dies before its transaction
    commits; its lease (0 s) has run out at once."""
    claimed = await queue.claim(runtime.sessions, "doomed-worker", 10, lease_seconds=0.0)
    job = next(j for j in claimed if j.kind == service.PROCESS)
    handler = get_handler(service.PROCESS)
    assert handler is not None
    async with runtime.sessions() as session:
        await handler(session, job.payload, JobContext(job.id, job.attempts, runtime))
        await rollback(session)


async def test_uploaded_then_processing_then_ready_and_a_crash_mid_way_changes_nothing(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    body = await uploaded(client, lily, samples.jpeg(1200, 900))
    row = await media_row(runtime, body["id"])
    assert row is not None and row.state == "uploaded" and row.original_key

    await crash_processing(runtime)
    crashed = await media_row(runtime, body["id"])
    assert crashed is not None and crashed.state == "processing"  # what clients saw meanwhile
    files_after_crash = disk(runtime)
    assert row.original_key in files_after_crash

    # Its lease runs out; another worker runs the job again from the start.
    await process_all(runtime)
    ready = await media_row(runtime, body["id"])
    assert ready is not None and ready.state == "ready" and ready.original_key is None
    renditions = {r["key"] for r in ready.renditions.values()}
    assert disk(runtime) == renditions  # the same three files: none doubled, no original
    assert files_after_crash - {row.original_key} == renditions
    assert [j.state for j in await jobs_of(runtime, service.PROCESS)] == [DONE]

    # Running it yet again (a duplicate delivery) is a no-op.
    async with runtime.sessions() as session:
        await queue.enqueue(session, service.PROCESS, {"media_id": body["id"]})
        await commit(session)
    before = {
        k: os.stat(storage_for(runtime.settings).serve_path(k)).st_mtime_ns for k in renditions
    }  # type: ignore[arg-type]
    await process_all(runtime)
    again = await media_row(runtime, body["id"])
    assert again is not None and again.renditions == ready.renditions
    after = {
        k: os.stat(storage_for(runtime.settings).serve_path(k)).st_mtime_ns for k in renditions
    }  # type: ignore[arg-type]
    assert before == after


@pytest.mark.parametrize(
    ("data", "state"), [(samples.jpeg(), "ready"), (samples.jpeg()[:-300], "failed")]
)
async def test_a_settled_media_of_a_note_queues_notes_media_settled(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str], data: bytes, state: str
) -> None:
    body = await uploaded(client, lily, data)
    note_id = await add_note(runtime, body["id"])
    other = await uploaded(client, lily)  # not on a note: nobody to tell
    await process_all(runtime)
    assert (await media_row(runtime, body["id"])).state == state  # type: ignore[union-attr]
    assert (await media_row(runtime, other["id"])).state == "ready"  # type: ignore[union-attr]
    settled = await jobs_of(runtime, service.MEDIA_SETTLED)
    assert len(settled) == 1
    assert settled[0].payload == {"note_id": str(note_id)}
    assert settled[0].idempotency_key == f"media-settled:{body['id']}"


async def test_discarding_deletes_rows_now_and_files_after_commit(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    photo = await uploaded(client, lily)
    await process_all(runtime)
    before = disk(runtime)
    pending = await uploaded(client, lily, samples.png())
    await crash_processing(runtime)  # leaves renditions of `pending` that no row names yet
    assert any(key.startswith("m/") for key in disk(runtime) - before)
    ids = [int(photo["id"]), int(pending["id"])]

    async with runtime.sessions() as session:
        rows = [await session.get(Media, media_id) for media_id in ids]
        await service.do_discard(session, [r for r in rows if r is not None])
        await rollback(session)  # the note's deletion failed: nothing happens
    assert await media_row(runtime, photo["id"]) is not None
    async with runtime.sessions() as session:
        rows = [await session.get(Media, media_id) for media_id in ids]
        await service.do_discard(session, [r for r in rows if r is not None])
        await commit(session)
    assert await media_row(runtime, photo["id"]) is None
    assert await media_row(runtime, pending["id"]) is None
    assert disk(runtime)  # the files wait for the job, which runs after the commit
    await process_all(runtime)
    assert disk(runtime) == set()


async def test_processing_a_media_discarded_meanwhile_leaves_no_files(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    body = await uploaded(client, lily)
    claimed = await queue.claim(runtime.sessions, "slow-worker", 10, lease_seconds=60.0)
    job = next(j for j in claimed if j.kind == service.PROCESS)
    handler = get_handler(service.PROCESS)
    assert handler is not None
    async with runtime.sessions() as session:  # the note is deleted while the job runs
        row = await session.get(Media, int(body["id"]))
        await service.do_discard(session, [row])  # type: ignore[list-item]
        await commit(session)
    async with runtime.sessions() as session:
        await handler(session, job.payload, JobContext(job.id, job.attempts, runtime))
        await session.execute(queue.mark_done(job.id, "slow-worker"))
        await commit(session)
    async with runtime.sessions() as session:  # the other claimed jobs go back to the queue
        await session.execute(
            update(queue.jobs).where(queue.jobs.c.state == RUNNING).values(state=QUEUED)
        )
        await commit(session)
    await process_all(runtime)
    assert disk(runtime) == set()


async def test_the_daily_sweep_deletes_what_no_note_took(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    old = await uploaded(client, lily, samples.jpeg(1200, 900))
    kept = await uploaded(client, lily)
    fresh = await uploaded(client, lily)
    await process_all(runtime)
    old_row = await media_row(runtime, old["id"])
    assert old_row is not None
    old_files = {r["key"] for r in old_row.renditions.values()}
    assert len(old_files) == 3
    await add_note(runtime, kept["id"], state="published")
    long_ago = utcnow() - timedelta(hours=runtime.settings.media_unattached_hours + 1)
    async with runtime.sessions() as session:
        await session.execute(
            update(Media)
            .where(Media.id.in_([int(old["id"]), int(kept["id"])]))
            .values(created_at=long_ago)
        )
        await commit(session)
    storage = storage_for(runtime.settings)
    assert isinstance(storage, LocalStorage)
    # Leftovers of dead processes: a temporary file, and an original no row refers to.
    stale = time.time() - 3 * 24 * 3600
    handle, tmp = storage.staging_file()
    handle.close()
    storage.save_bytes("uploads/qq/qqOrphanOriginalAbcdefgh", b"orphan")
    for path in (tmp, storage.root / "uploads/qq/qqOrphanOriginalAbcdefgh"):
        os.utime(path, (stale, stale))
    files_before = disk(runtime)

    async with runtime.sessions() as session:
        await queue.enqueue(session, service.SWEEP, {}, idempotency_key="test-day")
        await commit(session)
    await process_all(runtime)
    assert await media_row(runtime, old["id"]) is None
    assert await media_row(runtime, kept["id"]) is not None
    assert await media_row(runtime, fresh["id"]) is not None
    leftovers = {"uploads/qq/qqOrphanOriginalAbcdefgh", tmp.relative_to(storage.root).as_posix()}
    assert files_before - disk(runtime) == leftovers | old_files


async def test_a_media_stuck_in_processing_fails_and_its_note_hears(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    body = await uploaded(client, lily)
    note_id = await add_note(runtime, body["id"])
    async with runtime.sessions() as session:
        # Its job died with the workers that ran it; the row stayed "processing".
        await session.execute(update(queue.jobs).values(state="dead"))
        await session.execute(
            update(Media)
            .where(Media.id == int(body["id"]))
            .values(state="processing", updated_at=utcnow() - timedelta(hours=7))
        )
        await queue.enqueue(session, service.SWEEP, {}, idempotency_key="stuck-day")
        await commit(session)
    await process_all(runtime)
    row = await media_row(runtime, body["id"])
    assert row is not None and (row.state, row.error_code) == ("failed", "processing_failed")
    settled = await jobs_of(runtime, service.MEDIA_SETTLED)
    assert [j.payload for j in settled] == [{"note_id": str(note_id)}]
    assert disk(runtime) == set()


async def test_an_account_only_attaches_its_own_free_media(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    from redleaf.kit.errors import InvalidInput
    from redleaf.media.access import load_attachable

    photos = [await uploaded(client, lily) for _ in range(3)]
    clip = await uploaded(client, lily, samples.video(seconds=0.25))
    await make_account(runtime, "jake")
    jake_photo = await uploaded(client, await token_headers(client, "jake"))
    taken = await uploaded(client, lily)
    note_id = await add_note(runtime, taken["id"])
    ids = [p["id"] for p in photos]
    settings = runtime.settings
    async with runtime.sessions() as session:
        owner = await session.get(Account, (await media_row(runtime, ids[0])).owner_id)  # type: ignore[union-attr]
        assert owner is not None
        got = await load_attachable(session, owner, list(reversed(ids)), settings=settings)
        assert [str(m.id) for m in got] == list(reversed(ids))
        assert [m.id for m in await load_attachable(session, owner, [clip["id"]])] == [
            int(clip["id"])
        ]
        own_note = await load_attachable(session, owner, [taken["id"]], note_id=note_id)
        assert len(own_note) == 1
        cases = {
            "media_not_found": [ids[0], jake_photo["id"]],
            "duplicate_media": [ids[0], ids[0]],
            "media_taken": [taken["id"]],
            "invalid_media_mix": [clip["id"], ids[0]],
        }
        for code, wanted in cases.items():
            with pytest.raises(InvalidInput) as error:
                await load_attachable(session, owner, wanted, settings=settings)
            assert error.value.code == code
            assert error.value.translated()
        tight = settings.model_copy(update={"note_images_max": 2})
        with pytest.raises(InvalidInput) as error:
            await load_attachable(session, owner, ids, settings=tight)
        assert error.value.code == "too_many_media"
        await rollback(session)


async def test_media_json_and_cover_for_the_notes_feature(
    runtime: Runtime, client: httpx.AsyncClient, lily: dict[str, str]
) -> None:
    photo = await uploaded(client, lily, samples.jpeg(1600, 1200))
    clip = await uploaded(client, lily, samples.video(seconds=0.25))
    await process_all(runtime)
    settings = runtime.settings
    photo_row, clip_row = (
        await media_row(runtime, photo["id"]),
        await media_row(runtime, clip["id"]),
    )
    assert photo_row is not None and clip_row is not None
    out = service.media_out(photo_row, settings)
    assert out["urls"]["720"].startswith("/media/m/") and out["error"] is None
    cover = service.cover_of(photo_row, settings)
    assert cover == {
        "url": out["urls"]["720"],
        "width": 720,
        "height": 540,
        "color": out["color"],
        "video": False,
    }
    video_cover = service.cover_of(clip_row, settings)
    assert video_cover["video"] is True and video_cover["width"] == 64
    assert service.media_out(clip_row, settings)["urls"]["poster"].endswith(".webp")
