"""Making the planned demo community real, through the same services members go through.

Members sign up (accounts service), follow and make boards; every picture is drawn, uploaded
and processed by the media pipeline (`media.service.do_upload`, `media.process.process_upload`,
`media.service.do_settle`) before its note is written (notes service), so each note publishes at
once with its media ready. Likes, collects, comments and replies go through the notes service
too. Last, every row is moved back to when the plan says it happened, so the site looks like a
month of life rather than one minute.

Drawing and processing are CPU work done in worker processes (one per core), while this process
does the database work: the seed finishes with a ready site, no jobs left to wait for.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from redleaf.accounts import repository as accounts_repository
from redleaf.accounts import service as accounts_service
from redleaf.accounts.models import Account, Follow
from redleaf.demo import drawing
from redleaf.demo.content import CommentPlan, NotePlan, Picture, Plan, Scale, make_plan
from redleaf.kit.db import commit, utcnow
from redleaf.kit.runtime import Runtime
from redleaf.media import service as media_service
from redleaf.media.models import Media
from redleaf.media.process import Outcome, process_upload
from redleaf.media.storage import storage_for
from redleaf.media.upload import StagedUpload
from redleaf.notes import service as notes_service
from redleaf.notes.models import Board, Collect, Comment, Like, Note
from redleaf.notes.schemas import NoteCreate, PlaceIn
from redleaf.notes.text import mentions
from redleaf.notifications.models import Notification
from redleaf.notifications.service import dedupe_key, group_key
from redleaf.settings import Settings

Progress = Callable[[str], None]
BATCH = 25  # notes per transaction
MAX_WORKERS = 8  # drawing processes, at most (each holds ~100 MB)
SEEN_AFTER = timedelta(days=3)  # demo notifications older than this are marked read


# --- work for the worker processes (plain functions of picklable values) ---------------------


def draw_to_staging(settings: Settings, picture: Picture, width: int) -> tuple[str, int]:
    """Draw a picture and leave it as a JPEG in the storage's staging area, as an upload
    would: (path, size)."""
    data = drawing.jpeg(picture.scene, picture.seed, aspect=picture.aspect, width=width)
    handle, path = storage_for(settings).staging_file()
    with handle:
        handle.write(data)
    return str(path), len(data)


def process_original(settings: Settings, original_key: str) -> Outcome:
    return process_upload(
        storage_for(settings), settings, kind="image", fmt="jpeg", original_key=original_key
    )


class Workers:
    """`count` worker processes, or this process's threads when `count` is 1.

    Processes start from a fresh interpreter (forkserver, or spawn where there is none), never
    as a copy of this process with its database threads; like any such pool they import the
    main module, so a script calling the seed must guard its work with
    `if __name__ == "__main__":` (the `redleaf` command and pytest do)."""

    def __init__(self, count: int) -> None:
        self.pool: concurrent.futures.Executor | None = None
        if count > 1:
            methods = multiprocessing.get_all_start_methods()
            # forkserver/spawn: children start clean, never a copy of this process's threads.
            method = "forkserver" if "forkserver" in methods else "spawn"
            self.pool = concurrent.futures.ProcessPoolExecutor(
                count, mp_context=multiprocessing.get_context(method)
            )

    def submit(self, fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        if self.pool is None:
            return asyncio.ensure_future(asyncio.to_thread(fn, *args))
        return asyncio.wrap_future(self.pool.submit(fn, *args))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


# --- the seed ------------------------------------------------------------------------------------


async def seed_world(
    runtime: Runtime, password: str, *, scale: Scale | None = None, progress: Progress
) -> list[str]:
    """Create the demo community; returns the members' usernames. Members and follows that
    exist already are kept; the notes are only made when the first member has none yet."""
    settings = runtime.settings
    scale = scale or Scale()
    plan = make_plan(settings, scale)
    now = utcnow()
    async with runtime.sessions() as session:
        members = await _members(session, runtime, plan, password, progress)
        await _follows(session, runtime, plan, members)
        await commit(session)
        first = members[plan.members[0].username]
        if await session.scalar(select(func.count()).where(Note.author_id == first.id)):
            progress("demo notes exist already; members and follows checked")
            return list(members)
        boards = await _boards(session, runtime, plan, members)
        await commit(session)
    pictures = sum(len(note.pictures) for note in plan.notes)
    # Starting processes costs a second or two: not worth it for a handful of pictures.
    automatic = min(os.cpu_count() or 1, MAX_WORKERS) if pictures >= 40 else 1
    workers = Workers(scale.workers if scale.workers is not None else automatic)
    try:
        notes = await _notes(runtime, plan, members, workers, scale.picture_width, progress)
    finally:
        workers.close()  # on failure, what was still queued is dropped
    async with runtime.sessions() as session:
        progress("likes, collects and comments...")
        moments = await _interactions(session, runtime, plan, members, boards, notes)
        await _backdate(session, plan, members, boards, notes, moments, now)
        await commit(session)
    progress(
        f"demo community ready: {len(members)} members, {len(notes)} notes, "
        f"{pictures} pictures (password: {password})"
    )
    return list(members)


async def _members(
    session: AsyncSession, runtime: Runtime, plan: Plan, password: str, progress: Progress
) -> dict[str, Account]:
    made: dict[str, Account] = {}
    for person in plan.members:
        account = await accounts_repository.by_username(session, person.username)
        if account is None:
            # One argon2 hash each (about 30 ms): the real sign-up path is fast enough here.
            account = await accounts_service.do_signup(
                session,
                runtime,
                username=person.username,
                password=password,
                display_name=person.display_name,
                ui_language=person.ui_language,
            )
            await accounts_service.do_update_profile(
                session, runtime.settings, account, bio=person.bio
            )
            await accounts_service.do_onboard(
                session,
                runtime.settings,
                account,
                interests=list(person.interests),
                languages=list(person.languages),
                accept_guidelines=True,
            )
        made[person.username] = account
    progress(f"members: {len(made)}")
    return made


async def _follows(
    session: AsyncSession, runtime: Runtime, plan: Plan, members: dict[str, Account]
) -> None:
    for follower, followee, _age in plan.follows:
        await accounts_service.do_follow(session, runtime, members[follower], members[followee])


async def _boards(
    session: AsyncSession, runtime: Runtime, plan: Plan, members: dict[str, Account]
) -> dict[str, list[Board]]:
    made: dict[str, list[Board]] = {}
    for username, specs in plan.boards.items():
        made[username] = [
            await notes_service.do_create_board(
                session, runtime, members[username], name, description, private
            )
            for name, description, private in specs
        ]
    return made


async def _notes(
    runtime: Runtime,
    plan: Plan,
    members: dict[str, Account],
    workers: Workers,
    width: int,
    progress: Progress,
) -> list[Note]:
    settings = runtime.settings
    pending: list[asyncio.Future[Any]] = []

    def submit(fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        future = workers.submit(fn, *args)
        pending.append(future)
        return future

    try:
        # Every drawing is queued at once; uploads and processing follow each as it is ready.
        drawn = [
            [submit(draw_to_staging, settings, picture, width) for picture in note.pictures]
            for note in plan.notes
        ]
        total = sum(len(d) for d in drawn)
        uploaded: list[list[tuple[Media, str, asyncio.Future[Any]]]] = []
        async with runtime.sessions() as session:
            for note, futures in zip(plan.notes, drawn, strict=True):
                author = await session.get(Account, members[note.author].id)
                assert author is not None
                row = []
                for future in futures:
                    path, size = await future
                    staged = StagedUpload(Path(path), size, kind="image", format="jpeg")
                    media = await media_service.do_upload(session, runtime, author, staged)
                    original = media.original_key or ""
                    row.append((media, original, submit(process_original, settings, original)))
                uploaded.append(row)
                done = sum(len(r) for r in uploaded)
                if done and done % 100 < len(row):
                    progress(f"pictures drawn: {done}/{total}")
            await commit(session)
        notes: list[Note] = []
        for start in range(0, len(plan.notes), BATCH):
            async with runtime.sessions() as session:
                batch = zip(
                    plan.notes[start : start + BATCH], uploaded[start : start + BATCH], strict=True
                )
                for note_plan, row in batch:
                    notes.append(await _write_note(session, runtime, note_plan, members, row))
                await commit(session)
            progress(f"notes: {len(notes)}/{len(plan.notes)}")
        return notes
    except BaseException:
        for future in pending:  # one failure is reported, not hundreds of orphaned futures
            if not future.cancel() and future.done():
                future.exception()
        raise


async def _write_note(
    session: AsyncSession,
    runtime: Runtime,
    plan: NotePlan,
    members: dict[str, Account],
    uploads: list[tuple[Media, str, asyncio.Future[Any]]],
) -> Note:
    for media, original, processing in uploads:
        await media_service.do_settle(session, media.id, original, await processing)
    author = await session.get(Account, members[plan.author].id)
    assert author is not None
    place = plan.place
    data = NoteCreate(
        title=plan.title,
        body=plan.body,
        media_ids=[str(media.id) for media, _, _ in uploads],
        place=PlaceIn(name=place.name_en, name_zh=place.name_zh, lat=place.lat, lon=place.lon)
        if place
        else None,
        text_style=plan.text_style,
    )
    note = await notes_service.do_create_note(session, runtime, author, data)
    if note.state != "published":
        raise RuntimeError(f"demo note {plan.index} is {note.state}, not published")
    return note


# --- what members did with the notes -----------------------------------------------------------


class Moments:
    """When each planned interaction happened, keyed the way its rows are."""

    def __init__(self) -> None:
        self.likes: list[dict[str, Any]] = []
        self.collects: list[dict[str, Any]] = []
        self.comments: list[dict[str, Any]] = []
        self.notifications: list[dict[str, Any]] = []

    def notified(
        self,
        recipient: int,
        kind: str,
        actor: int,
        at: datetime,
        note: int | None = None,
        comment: int | None = None,
    ) -> None:
        """The notification this caused, if any was made, is moved to the same moment."""
        self.notifications.append(
            {
                "b_key": dedupe_key(recipient, kind, actor, note, comment),
                "b_at": at,
                "b_group": group_key(kind, note, comment, at),
            }
        )


async def _interactions(
    session: AsyncSession,
    runtime: Runtime,
    plan: Plan,
    members: dict[str, Account],
    boards: dict[str, list[Board]],
    notes: list[Note],
) -> Moments:
    now = utcnow()
    moments = Moments()
    fresh = {name: await session.get(Account, account.id) for name, account in members.items()}
    people = {name: account for name, account in fresh.items() if account is not None}
    for note_plan, saved in zip(plan.notes, notes, strict=True):
        note = await session.get(Note, saved.id)
        assert note is not None
        author_id = note.author_id
        for username, age in note_plan.likes:
            await notes_service.do_like(session, runtime, people[username], note)
            at = now - age
            moments.likes.append({"b_account": people[username].id, "b_note": note.id, "b_at": at})
            moments.notified(author_id, "like", people[username].id, at, note.id)
        for username, position, age in note_plan.collects:
            board = boards[username][position] if position is not None else None
            await notes_service.do_collect(
                session, runtime, people[username], note, board.id if board else None
            )
            at = now - age
            moments.collects.append(
                {"b_account": people[username].id, "b_note": note.id, "b_at": at}
            )
            moments.notified(author_id, "collect", people[username].id, at, note.id)
        for planned in note_plan.comments:
            await _comment(session, runtime, people, note, planned, None, moments, now)
    return moments


async def _comment(
    session: AsyncSession,
    runtime: Runtime,
    people: dict[str, Account],
    note: Note,
    planned: CommentPlan,
    parent: Comment | None,
    moments: Moments,
    now: datetime,
) -> None:
    author = people[planned.author]
    comment = await notes_service.do_comment(
        session, runtime, author, note, planned.body, str(parent.id) if parent else None
    )
    at = now - planned.age
    moments.comments.append({"b_id": comment.id, "b_at": at})
    if parent is not None:
        moments.notified(parent.author_id, "reply", author.id, at, note.id, comment.id)
    moments.notified(note.author_id, "comment", author.id, at, note.id, comment.id)
    for username in planned.likes:
        await notes_service.do_like_comment(session, runtime, people[username], comment)
        moments.notified(author.id, "comment_like", people[username].id, at, note.id, comment.id)
    for reply in planned.replies:
        await _comment(session, runtime, people, note, reply, comment, moments, now)


# --- moving everything back in time --------------------------------------------------------------


async def _backdate(
    session: AsyncSession,
    plan: Plan,
    members: dict[str, Account],
    boards: dict[str, list[Board]],
    notes: list[Note],
    moments: Moments,
    now: datetime,
) -> None:
    """One UPDATE per table, many rows each (executemany)."""
    connection = await session.connection()

    async def run(table: Any, key: dict[str, Any], values: dict[str, Any], rows: list[Any]) -> None:
        if rows:
            condition = [table.c[column] == bindparam(param) for column, param in key.items()]
            await connection.execute(update(table).where(*condition).values(**values), rows)

    accounts = Account.__table__
    joined = [{"b_id": members[name].id, "b_at": now - age} for name, age in plan.joined.items()]
    stamp: dict[str, Any] = {"created_at": bindparam("b_at"), "updated_at": bindparam("b_at")}
    await run(accounts, {"id": "b_id"}, {**stamp, "password_changed_at": bindparam("b_at")}, joined)
    follows = [
        {"b_from": members[a].id, "b_to": members[b].id, "b_at": now - age}
        for a, b, age in plan.follows
    ]
    await run(
        Follow.__table__,
        {"follower_id": "b_from", "followee_id": "b_to"},
        {"created_at": bindparam("b_at")},
        follows,
    )
    board_rows = [
        {"b_id": board.id, "b_at": now - plan.joined[name] / 2}
        for name, owned in boards.items()
        for board in owned
    ]
    await run(Board.__table__, {"id": "b_id"}, stamp, board_rows)
    note_rows = [
        {"b_id": note.id, "b_at": now - planned.age, "b_views": planned.views}
        for planned, note in zip(plan.notes, notes, strict=True)
    ]
    await run(
        Note.__table__,
        {"id": "b_id"},
        {**stamp, "published_at": bindparam("b_at"), "view_count": bindparam("b_views")},
        note_rows,
    )
    media_rows = [{"b_note": row["b_id"], "b_at": row["b_at"]} for row in note_rows]
    await run(Media.__table__, {"note_id": "b_note"}, stamp, media_rows)
    like_key = {"account_id": "b_account", "note_id": "b_note"}
    await run(Like.__table__, like_key, {"created_at": bindparam("b_at")}, moments.likes)
    await run(Collect.__table__, like_key, {"created_at": bindparam("b_at")}, moments.collects)
    await run(
        Comment.__table__, {"id": "b_id"}, {"created_at": bindparam("b_at")}, moments.comments
    )
    for follower, followee, age in plan.follows:
        moments.notified(members[followee].id, "follow", members[follower].id, now - age)
    for planned, note in zip(plan.notes, notes, strict=True):
        for username in mentions(f"{planned.title}\n{planned.body}"):
            if username in members:
                at = now - planned.age
                moments.notified(members[username].id, "mention", note.author_id, at, note.id)
    table = Notification.__table__
    await run(
        table,
        {"dedupe_key": "b_key"},
        {"created_at": bindparam("b_at"), "group_key": bindparam("b_group")},
        moments.notifications,
    )
    # What is older than a few days the members have seen; the recent ones wait unread.
    ids = [account.id for account in members.values()]
    await connection.execute(
        update(Notification)
        .where(Notification.recipient_id.in_(ids), Notification.created_at < now - SEEN_AFTER)
        .values(read_at=now)
    )
