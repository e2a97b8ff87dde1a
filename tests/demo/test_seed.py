"""`redleaf seed` end to end on the test database, at a small scale: members who can sign in,
published notes whose pictures went through the media pipeline, likes, collects and comments
as the plan says, a month of history, the explore feed showing it all, and no second copy."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from redleaf.accounts.models import Account, Follow
from redleaf.demo.content import Scale, make_plan
from redleaf.kit.db import utcnow
from redleaf.kit.jobs.models import Job
from redleaf.kit.runtime import Runtime
from redleaf.media.models import Media
from redleaf.moderation.models import Case
from redleaf.notes.models import Board, Collect, Comment, Like, Note
from redleaf.notifications.models import Notification
from redleaf.seed import DEMO_PASSWORD, seed_demo
from redleaf.settings import Settings

SMALL = Scale(members=4, notes=10, picture_width=400)  # small pictures: a quick test


async def _count(runtime: Runtime, model: type) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("workers", [1, 2], ids=["threads", "processes"])
async def test_seed_makes_a_living_site(
    client: httpx.AsyncClient, runtime: Runtime, settings: Settings, workers: int
) -> None:
    lines: list[str] = []
    scale = Scale(SMALL.members, SMALL.notes, SMALL.picture_width, workers=workers)
    made = await seed_demo(settings, if_empty=True, scale=scale, progress=lines.append)
    assert made == ["lily", "jake", "mei", "sam"]
    assert any("demo community ready" in line for line in lines)
    plan = make_plan(settings, SMALL)

    async with runtime.sessions() as session:
        notes = list((await session.scalars(select(Note))).all())
        media = list((await session.scalars(select(Media))).all())
    assert len(notes) == len(plan.notes)
    assert {note.state for note in notes} == {"published"}
    assert len(media) == sum(len(n.pictures) for n in plan.notes) > 0
    for item in media:
        assert item.state == "ready" and item.note_id is not None
        assert {"360", "720"} <= set(item.renditions)
    image_notes = [n for n in notes if n.kind == "image"]
    assert image_notes and all(n.cover.get("url") for n in image_notes)

    # What members did with the notes is what the plan said, counters included.
    assert await _count(runtime, Like) == sum(len(n.likes) for n in plan.notes)
    assert await _count(runtime, Collect) == sum(len(n.collects) for n in plan.notes)
    planned_comments = sum(len(c.replies) + 1 for n in plan.notes for c in n.comments)
    assert await _count(runtime, Comment) == planned_comments > 0
    assert sum(n.like_count for n in notes) == await _count(runtime, Like)
    assert sum(n.comment_count for n in notes) == planned_comments
    assert await _count(runtime, Follow) == len(plan.follows)
    assert await _count(runtime, Board) == sum(len(b) for b in plan.boards.values())
    assert await _count(runtime, Notification) > 0

    # A month of history, not one minute of it.
    now = utcnow()
    published = sorted(n.published_at for n in notes if n.published_at is not None)
    assert len(published) == len(notes)
    assert published[0] < now - timedelta(days=2) and published[-1] <= now
    async with runtime.sessions() as session:
        likes = list((await session.scalars(select(Like))).all())
        joined = list((await session.scalars(select(Account.created_at))).all())
    by_id = {note.id: note for note in notes}
    assert all(like.created_at >= by_id[like.note_id].published_at for like in likes)
    assert max(joined) < published[0]

    # The explore feed shows every note, newest first, with covers that load.
    explore = await client.get("/api/v1/feeds/explore", params={"limit": 50})
    assert explore.status_code == 200, explore.text
    items = explore.json()["items"]
    assert {item["id"] for item in items} == {str(note.id) for note in notes}
    times = [item["published_at"] for item in items]
    assert times == sorted(times, reverse=True)
    cover = next(item["cover"] for item in items if item["kind"] == "image")
    picture = await client.get(cover["url"])
    assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/")
    assert any(item["counts"]["likes"] > 0 for item in items)
    assert {item["lang"] for item in items} == {"en", "zh-Hans"}

    # Demo content is not taken for spam: no model checks queued, no case, nobody paused.
    async with runtime.sessions() as session:
        checks = await session.scalar(
            select(func.count()).select_from(Job).where(Job.kind == "moderation.check")
        )
        cases = await session.scalar(select(func.count()).select_from(Case))
        muted = await session.scalar(select(func.count()).where(Account.muted_until.is_not(None)))
    assert (checks, cases, muted) == (0, 0, 0)

    # The demo members sign in with the documented password.
    signed_in = await client.post(
        "/api/v1/auth/tokens", json={"username": "lily", "password": DEMO_PASSWORD}
    )
    assert signed_in.status_code == 201, signed_in.text


async def test_seeding_again_adds_nothing(
    client: httpx.AsyncClient, runtime: Runtime, settings: Settings
) -> None:
    lines: list[str] = []
    await seed_demo(settings, if_empty=True, scale=SMALL, progress=lines.append)
    before = (await _count(runtime, Account), await _count(runtime, Note))
    assert await seed_demo(settings, if_empty=True, scale=SMALL, progress=lines.append) == []
    again = await seed_demo(settings, if_empty=False, scale=SMALL, progress=lines.append)
    assert again == ["lily", "jake", "mei", "sam"]
    assert (await _count(runtime, Account), await _count(runtime, Note)) == before
    assert any("exist already" in line for line in lines)
