"""The rules of notifying, withdrawing, grouping and reading, through the service on a real
database (SQLite, or PostgreSQL when REDLEAF_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from redleaf.accounts import repository as accounts_repository
from redleaf.accounts.models import Account
from redleaf.kit.db import commit, rollback, utcnow
from redleaf.kit.i18n import reset_locale, set_locale
from redleaf.kit.jobs.registry import JobContext
from redleaf.kit.runtime import Runtime
from redleaf.notes.models import Note
from redleaf.notifications import jobs, repository, service
from redleaf.notifications.models import Notification
from tests.accounts.factories import make_account
from tests.notifications.factories import (
    count_rows,
    make_comment,
    make_note,
    notify,
    page_of,
    unread_of,
    withdraw,
)


@pytest.fixture
def chinese():  # type: ignore[no-untyped-def]
    token = set_locale("zh-Hans")
    yield
    reset_locale(token)


async def _like(runtime: Runtime, actor: Account, note: Note) -> None:
    await notify(
        runtime, recipient_id=note.author_id, kind="like", actor_id=actor.id, note_id=note.id
    )


# --- who is told ----------------------------------------------------------------------------------


async def test_nobody_is_told_about_themselves(runtime: Runtime) -> None:
    author = await make_account(runtime)
    note = await make_note(runtime, author)
    await _like(runtime, author, note)
    assert await count_rows(runtime, author) == 0


@pytest.mark.parametrize("relation", ["recipient_blocks", "actor_blocks", "recipient_mutes"])
async def test_blocks_and_mutes_silence_notifications(runtime: Runtime, relation: str) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    async with runtime.sessions() as session:
        if relation == "recipient_blocks":
            await accounts_repository.add_block(session, author.id, fan.id)
        elif relation == "actor_blocks":
            await accounts_repository.add_block(session, fan.id, author.id)
        else:
            await accounts_repository.add_mute(session, author.id, fan.id)
        await commit(session)
    await _like(runtime, fan, note)
    await notify(runtime, recipient_id=author.id, kind="follow", actor_id=fan.id)
    assert await count_rows(runtime, author) == 0


async def test_liking_unliking_and_liking_again_notifies_once(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    like = {"recipient_id": author.id, "kind": "like", "actor_id": fan.id, "note_id": note.id}

    await notify(runtime, **like)
    await notify(runtime, **like)  # a double tap
    assert await count_rows(runtime, author) == 1

    await withdraw(runtime, **like)  # unliked before it was seen: gone
    assert await count_rows(runtime, author) == 0

    await notify(runtime, **like)
    async with runtime.sessions() as session:
        await service.do_mark_read(session, runtime, author, everything=True)
        await commit(session)
    await withdraw(runtime, **like)  # already seen: it stays
    await notify(runtime, **like)  # and liking again says nothing new
    assert await count_rows(runtime, author) == 1
    assert await unread_of(runtime, author) == 0


async def test_each_comment_is_its_own_notification(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    for body in ("First!", "Second thought"):
        comment = await make_comment(runtime, note, fan, body)
        await notify(
            runtime,
            recipient_id=author.id,
            kind="comment",
            actor_id=fan.id,
            note_id=note.id,
            comment_id=comment.id,
        )
    assert await count_rows(runtime, author) == 2
    [group] = await page_of(runtime, author)
    assert group["count"] == 1  # one member commented twice: one person in the line
    assert group["comment"]["excerpt"] == "Second thought"
    assert group["text"].endswith("commented on your note")


async def test_a_wrong_call_is_a_bug_not_a_member_error(runtime: Runtime) -> None:
    async with runtime.sessions() as session:
        with pytest.raises(ValueError):
            await service.do_notify(session, runtime, recipient_id=1, kind="poke", actor_id=2)
        with pytest.raises(ValueError):
            await service.do_notify(session, runtime, recipient_id=1, kind="like", actor_id=2)


async def test_the_event_leaves_only_after_commit(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    async with runtime.events.subscribe(service.channel(author.id)) as subscription:
        await asyncio.sleep(0.05)  # let a Redis subscription settle
        async with runtime.sessions() as session:
            await service.do_notify(
                session,
                runtime,
                recipient_id=author.id,
                kind="like",
                actor_id=fan.id,
                note_id=note.id,
            )
            await rollback(session)
        await _like(runtime, fan, note)
        channel, event = await subscription.get(timeout=3)
    assert channel == f"notifications:{author.id}"
    assert event["type"] == "notification"
    assert event["kind"] == "like"
    assert event["group"] == f"like:note:{note.id}"
    assert event["actor_id"] == str(fan.id) and event["note_id"] == str(note.id)
    async with runtime.sessions() as session:
        row = await session.scalar(select(Notification))
    assert row is not None and event["id"] == str(row.id)


async def test_concurrent_likes_insert_one_row_and_one_event(
    runtime: Runtime, is_postgres: bool
) -> None:
    """Many transactions race to insert the same dedupe key; the unique index lets one win."""
    if not is_postgres:
        pytest.skip("SQLite has one writer: no race to lose")
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    start = asyncio.Event()

    async def tap() -> None:
        async with runtime.sessions() as session:
            await start.wait()
            await service.do_notify(
                session,
                runtime,
                recipient_id=author.id,
                kind="like",
                actor_id=fan.id,
                note_id=note.id,
            )
            await commit(session)

    async with runtime.events.subscribe(service.channel(author.id)) as subscription:
        await asyncio.sleep(0.05)
        tasks = [asyncio.create_task(tap()) for _ in range(8)]
        await asyncio.sleep(0.05)
        start.set()
        await asyncio.gather(*tasks)
        await subscription.get(timeout=3)
        with pytest.raises(TimeoutError):
            await subscription.get(timeout=0.3)
    assert await count_rows(runtime, author) == 1


# --- grouping and wording -------------------------------------------------------------------------


async def _liked_by(runtime: Runtime, note: Note, count: int, prefix: str) -> list[Account]:
    fans = []
    for n in range(1, count + 1):
        fan = await make_account(runtime, f"{prefix}{n}", display_name=f"{prefix.title()} {n}")
        await _like(runtime, fan, note)
        fans.append(fan)
    return fans


async def test_likes_on_one_note_read_as_one_line(runtime: Runtime) -> None:
    author = await make_account(runtime)
    note = await make_note(runtime, author, cover={"url": "/media/x/360.jpg", "width": 360})
    await _liked_by(runtime, note, 13, "fan")
    [group] = await page_of(runtime, author)
    assert group["kind"] == "like"
    assert group["count"] == 13
    assert group["unread"] is True
    assert [a["username"] for a in group["actors"]] == ["fan13", "fan12"]
    assert group["text"] == "Fan 13, Fan 12 and 11 others liked your note"
    assert group["parts"][0] == {"text": "Fan 13", "username": "fan13"}
    assert group["note"]["title"] == "Hotpot in Chengdu"
    assert group["note"]["cover"]["url"] == "/media/x/360.jpg"
    assert group["url"] == f"/notes/{note.id}"
    assert await unread_of(runtime, author) == 13


@pytest.mark.parametrize(
    ("count", "english", "chinese"),
    [
        (1, "Fan 1 liked your note", "Fan 1赞了你的笔记"),
        (2, "Fan 2 and Fan 1 liked your note", "Fan 2、Fan 1赞了你的笔记"),
        (3, "Fan 3, Fan 2 and 1 other liked your note", "Fan 3、Fan 2 等 3 人赞了你的笔记"),
        (13, "Fan 13, Fan 12 and 11 others liked your note", "Fan 13、Fan 12 等 13 人赞了你的笔记"),
    ],
)
async def test_plural_forms_in_both_languages(
    runtime: Runtime, count: int, english: str, chinese: str
) -> None:
    author = await make_account(runtime)
    note = await make_note(runtime, author)
    await _liked_by(runtime, note, count, "fan")
    [group] = await page_of(runtime, author)
    assert group["text"] == english
    token = set_locale("zh-Hans")
    try:
        [group] = await page_of(runtime, author)
    finally:
        reset_locale(token)
    assert group["text"] == chinese


async def test_each_kind_has_its_line(runtime: Runtime, chinese: None) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime, "mei", display_name="美美")
    note = await make_note(runtime, author)
    theirs = await make_note(runtime, fan, title="")
    mine = await make_comment(runtime, theirs, author, "Where is this?")
    reply = await make_comment(runtime, theirs, fan, "In Chengdu!", parent_id=mine.id)
    for kind, note_id, comment_id in [
        ("collect", note.id, None),
        ("reply", theirs.id, reply.id),
        ("comment_like", theirs.id, mine.id),
        ("mention", theirs.id, None),
        ("follow", None, None),
    ]:
        await notify(
            runtime,
            recipient_id=author.id,
            kind=kind,
            actor_id=fan.id,
            note_id=note_id,
            comment_id=comment_id,
        )
    lines = {item["kind"]: item for item in await page_of(runtime, author)}
    assert lines["collect"]["text"] == "美美收藏了你的笔记"
    assert lines["reply"]["text"] == "美美回复了你的评论"
    assert lines["reply"]["comment"]["excerpt"] == "In Chengdu!"
    assert lines["reply"]["url"] == f"/notes/{theirs.id}#comment-{reply.id}"
    assert lines["comment_like"]["text"] == "美美赞了你的评论"
    assert lines["mention"]["text"] == "美美在笔记中@了你"
    assert lines["mention"]["note"]["title"] == "Spicy and wonderful"  # no title: the body
    assert lines["follow"]["text"] == "美美开始关注你了"
    assert lines["follow"]["url"] == "/u/mei"
    assert lines["follow"]["follow_back"] is True


async def test_tabs_split_the_kinds(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    comment = await make_comment(runtime, note, fan)
    await _like(runtime, fan, note)
    await notify(
        runtime,
        recipient_id=author.id,
        kind="comment",
        actor_id=fan.id,
        note_id=note.id,
        comment_id=comment.id,
    )
    await notify(runtime, recipient_id=author.id, kind="follow", actor_id=fan.id)
    assert [i["kind"] for i in await page_of(runtime, author)] == ["follow", "comment", "like"]
    assert [i["kind"] for i in await page_of(runtime, author, tab="likes")] == ["like"]
    assert [i["kind"] for i in await page_of(runtime, author, tab="comments")] == ["comment"]
    assert [i["kind"] for i in await page_of(runtime, author, tab="follows")] == ["follow"]
    async with runtime.sessions() as session:
        unread = await service.get_unread(session, author)
    assert unread["count"] == 3
    assert service.tab_counts(unread["by_kind"]) == {
        "all": 3,
        "likes": 1,
        "comments": 1,
        "follows": 1,
    }


async def test_pages_follow_the_cursor(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    notes = [await make_note(runtime, author, title=f"Note {n}") for n in range(5)]
    for note in notes:
        await _like(runtime, fan, note)
    seen: list[str] = []
    cursor = None
    async with runtime.sessions() as session:
        while True:
            items, cursor = await service.get_page(session, author, cursor=cursor, limit=2)
            seen.extend(item["note"]["title"] for item in items)
            if cursor is None:
                break
    assert seen == [f"Note {n}" for n in reversed(range(5))]


# --- what the reader no longer sees ---------------------------------------------------------------


async def test_members_blocked_later_drop_out_of_lines_and_count(runtime: Runtime) -> None:
    author = await make_account(runtime)
    note = await make_note(runtime, author)
    fans = await _liked_by(runtime, note, 3, "fan")
    async with runtime.sessions() as session:
        await accounts_repository.add_block(session, author.id, fans[2].id)
        await commit(session)
    [group] = await page_of(runtime, author)
    assert group["count"] == 2
    assert group["text"] == "Fan 2 and Fan 1 liked your note"
    assert await unread_of(runtime, author) == 2


async def test_notes_the_reader_cannot_see_are_hidden(runtime: Runtime) -> None:
    reader = await make_account(runtime)
    other = await make_account(runtime)
    theirs = await make_note(runtime, other)
    mine = await make_note(runtime, reader)
    await notify(
        runtime, recipient_id=reader.id, kind="mention", actor_id=other.id, note_id=theirs.id
    )
    await _like(runtime, other, mine)
    async with runtime.sessions() as session:
        for note_id in (theirs.id, mine.id):
            await session.execute(
                update(Note).where(Note.id == note_id).values(moderation_state="held")
            )
        await commit(session)
    # The held note of someone else is gone; the reader's own held note still shows its likes.
    assert [i["kind"] for i in await page_of(runtime, reader)] == ["like"]
    assert await unread_of(runtime, reader) == 1


# --- marking read ---------------------------------------------------------------------------------


async def test_marking_read_by_id_group_or_all(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    first, second, third = [await make_note(runtime, author) for _ in range(3)]
    for note in (first, second, third):
        await _like(runtime, fan, note)
    groups = {item["group"]: item for item in await page_of(runtime, author)}
    async with runtime.sessions() as session:
        await service.do_mark_read(
            session, runtime, author, ids=[groups[f"like:note:{first.id}"]["id"]]
        )
        await service.do_mark_read(session, runtime, author, groups=[f"like:note:{second.id}"])
        await commit(session)
    unread = {item["group"]: item["unread"] for item in await page_of(runtime, author)}
    assert unread == {
        f"like:note:{first.id}": False,
        f"like:note:{second.id}": False,
        f"like:note:{third.id}": True,
    }
    async with runtime.sessions() as session:
        assert await service.do_mark_read(session, runtime, author, everything=True) == 1
        await commit(session)
    assert await unread_of(runtime, author) == 0


async def test_a_reader_cannot_mark_someone_elses(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    note = await make_note(runtime, author)
    await _like(runtime, fan, note)
    [group] = await page_of(runtime, author)
    async with runtime.sessions() as session:
        changed = await service.do_mark_read(session, runtime, fan, ids=[group["id"]])
        await commit(session)
    assert changed == 0
    assert await unread_of(runtime, author) == 1


# --- upkeep ---------------------------------------------------------------------------------------


async def test_the_daily_prune_drops_old_notifications(runtime: Runtime) -> None:
    author = await make_account(runtime)
    fan = await make_account(runtime)
    old, new = await make_note(runtime, author), await make_note(runtime, author)
    await _like(runtime, fan, old)
    await _like(runtime, fan, new)
    long_ago = utcnow() - timedelta(days=runtime.settings.notifications_keep_days + 1)
    async with runtime.sessions() as session:
        await session.execute(
            update(Notification)
            .where(Notification.note_id == old.id)
            .values(id=repository.id_floor(long_ago), created_at=long_ago)
        )
        await commit(session)
    async with runtime.sessions() as session:
        await jobs.prune(session, {}, JobContext(job_id=1, attempt=1, runtime=runtime))
        await commit(session)
    assert [item["note"]["id"] for item in await page_of(runtime, author)] == [str(new.id)]
